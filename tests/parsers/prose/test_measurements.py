"""The numbers of dictated reports in every house style of dxa-formats.md §2.5: labels written
out or bare (``T -1.9``), after the number (``-2.0 (T)``), with or without a colon; each with
the look-alike that must not be read. Reports are read through ``parse_bytes``."""

from __future__ import annotations

import pytest

from parsers.prose.values import values_in
from tests.parsers.prose.reading import read_text, rows_of


def _report(results: str) -> str:
    return ("BONE DENSITOMETRY REPORT\nDATE OF STUDY: 03/14/2024\n"
            "INDICATIONS: 66-year-old postmenopausal woman.\n\nRESULTS:\n" + results
            + "\n\nIMPRESSION: Osteopenia.\n")


@pytest.mark.parametrize("line", [
    "LUMBAR SPINE L1-L4: BMD 0.912 g/cm2; T -1.9; Z 0.4",
    "Lumbar spine L1-L4: BMD 0.912 g/cm2, T = \u22121.9, Z = 0.4",
    "Lumbar spine L1-L4: BMD 0.912 g/cm2, T: -1.9, Z: 0.4",
    "Lumbar spine L1-L4: 0.912 g/cm\u00b2, -1.9 (T), 0.4 (Z)",
    "Lumbar spine L1-L4: 0.912 g/cm2, \u22121.9 (T-score), 0.4 (Z-score)",
    "Lumbar spine L1\u2013L4 BMD 912 mg/cm2 T-score of -1.9 and Z-score of 0.4",
])
def test_score_labels_of_every_house_style(line: str) -> None:
    doc = read_text(_report(line))
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.9, 0.4)]


@pytest.mark.parametrize("text", [
    "Compression deformity at T 12.",  # a vertebra, not a T-score
    "Staging T 2 N 0.",  # a bare label takes a decimal score only
    "T12 and L1 were excluded.",
    "Signed by Dr. Z. Okafor",
])
def test_a_bare_letter_is_not_a_score(text: str) -> None:
    assert values_in(text) == []


def test_reference_statement_and_impression_are_not_rows() -> None:
    doc = read_text(_report(
        "Left femoral neck: 0.701 g/cm2 (T-score -2.1, Z-score -0.8)\n"
        "Osteoporosis is defined as a T-score of -2.5 or lower.\n"
        "The lowest T-score is -2.1 at the left femoral neck."))
    assert rows_of(doc) == [("femoral_neck", "left", None, 0.701, -2.1, -0.8)]


@pytest.mark.parametrize("sentence", [
    "Compared with the prior study of 05/02/2021, the L1-L4 BMD has decreased from 0.934 to "
    "0.912 g/cm2 (-2.4%).",
    "Compared with the prior study of 05/02/2021, the L1-L4 BMD has decreased from 0.934 g/cm2 "
    "to 0.912 g/cm2.",
    "Previous L1-L4 BMD (05/02/2021) was 0.934 g/cm2; change -0.022 g/cm2, which is "
    "statistically significant.",
    "Prior exam 05/02/2021: L1-L4 0.934 g/cm\u00b2.",
    # the rest of the line lost (a picture's side cut it): the prior is stated all the same
    "Since the previous scan on 05/02/2021 the L1-L4 BMD has fallen from 0.934 to",
    "Since the previous scan on 05/02/2021 the L1-L4 BMD has fallen from 0.934 to 0.912 g/c",
])
def test_a_comparison_gives_the_prior_and_no_measurement(sentence: str) -> None:
    doc = read_text(_report("L1-L4: T-score -2.2, Z-score -0.4\n" + sentence))
    assert [(p["scan_date"], p["region"], p["levels"], p["bmd_g_cm2"]) for p in doc["priors"]] \
        == [("2021-05-02", "lumbar_spine", "L1-L4", 0.934)]
    # the current BMD repeated in the comparison (or the change) is not a measurement's BMD
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -2.2, -0.4)]


def test_from_and_to_without_a_value_before_to_is_no_prior() -> None:
    """The look-alikes of a comparison cut after 'to': no number after 'from', or 'to' not at
    the sentence's end (words follow it), state no prior BMD."""
    for sentence in ("Since the previous scan on 05/02/2021 the L1-L4 BMD has fallen from "
                     "baseline to", "Since the previous scan on 05/02/2021 the L1-L4 BMD has "
                     "fallen from 0.934 to a lower value."):
        doc = read_text(_report("L1-L4: T-score -2.2, Z-score -0.4\n" + sentence))
        assert doc["priors"] == [], sentence


def test_frax_labels_with_the_horizon_in_brackets() -> None:
    doc = read_text(_report("L1-L4: 0.912 g/cm2 (T-score -2.2)\n\n"
                        "Major osteoporotic fracture risk (10 yr) (without BMD): 15.2 %\n"
                        "Hip fracture risk (10 yr): 4.0 %"))
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"],
            doc["frax"]["with_bmd"]) == (15.2, 4.0, False)


def test_a_fracture_ten_years_ago_is_not_frax() -> None:
    doc = read_text(_report("L1-L4: 0.912 g/cm2 (T-score -2.2)\n\n"
                        "Hip fracture risk factors: hip fracture 10 years ago, 2 falls a year."))
    assert doc["frax"] is None


def test_a_score_sentence_naming_two_places() -> None:
    doc = read_text(_report("The T-score at the lumbar spine (L1-L4) is -2.2 and at the left "
                        "femoral neck is -2.1."))
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -2.2, None),
                          ("femoral_neck", "left", None, None, -2.1, None)]


def test_a_number_joined_by_and_without_a_place_is_not_a_score() -> None:
    doc = read_text(_report("Lumbar spine L1-L4: T-score -2.2 and the patient is 1.5 m tall.\n"
                        "Left femoral neck: Z-score of -1.0 and the T-score of -2.0."))
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -2.2, None),
                          ("femoral_neck", "left", None, None, -2.0, -1.0)]


def test_now_after_a_prior_phrase_is_the_current_value() -> None:
    doc = read_text(_report("COMPARISON: 03/14/2022. The lumbar spine L1-L4 BMD was 0.950 g/cm2 on "
                        "the prior study and is now 0.912 g/cm2 (T-score -2.2)."))
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -2.2, None)]
    assert [(p["scan_date"], p["bmd_g_cm2"]) for p in doc["priors"]] == [("2022-03-14", 0.95)]


@pytest.mark.parametrize("line", [
    "SPINE: L1-L4 T-Score: [-2.7] Z-Score: [-0.9]",  # the WUSTL template filled in its brackets
    "SPINE: L1-L4 T-Score: [ \u22122.7 ] Z-Score: [ \u22120.9 ]",
    "AP spine L1-L4: .955 g/cm2, T-score -2.7, Z-score -0.9",
])
def test_template_brackets_and_a_leading_point(line: str) -> None:
    rows = rows_of(read_text(_report(line)))
    assert [(r[0], r[2], r[4], r[5]) for r in rows] == [("lumbar_spine", "L1-L4", -2.7, -0.9)]


def test_a_spine_without_levels_is_the_lumbar_spine() -> None:
    doc = read_text(_report("SPINE: T-Score: -2.7 Z-Score: -0.9\nHIP: Femoral Neck T-Score: -2.1"))
    assert rows_of(doc) == [("lumbar_spine", None, None, None, -2.7, -0.9),
                          ("femoral_neck", None, None, None, -2.1, None)]


def test_a_decimal_comma_is_not_misread() -> None:
    """Decimal commas are not in the notes: no value is better than -2 for "-2,7"."""
    doc = read_text(_report("AP spine (L1-L4) 0,912 g/cm2, T-score -2,7\n"
                        "Left femoral neck: T-score -2.1"))
    assert rows_of(doc) == [("femoral_neck", "left", None, None, -2.1, None)]


def test_filled_template_slots() -> None:
    """The GE young-patient template (dxa-formats.md §2.5) with its slots left in brackets."""
    doc = read_text(_report("FINDINGS: The bone mineral density measured at the [L1-L4] is [0.982] "
                        "gm/cm2 with a Z-score of [-1.9].\nFRAX: [ ] not applicable."))
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.982, None, -1.9)]


def test_femoral_abbreviations_label_sentence_values() -> None:
    """``Left FN BMD: 0.543 g/cm2``, ``Left TH T-score: 1.2``, ``Right NOF T-score: -2.1``."""
    doc = read_text("Bone density (DXA).\nLeft FN BMD: 0.543 g/cm2\nLeft FN T-score: 0.0\n"
                    "Left TH T-score: 1.2\nRight NOF T-score: -2.1\n")
    assert rows_of(doc) == [("femoral_neck", "left", None, 0.543, 0.0, None),
                            ("total_hip", "left", None, None, 1.2, None),
                            ("femoral_neck", "right", None, None, -2.1, None)]


@pytest.mark.parametrize("sentence", [
    "Overall T-score -2.6 in a patient with a previous #NOF.",
    "Overall T-score -2.6 after a left femoral neck fracture.",
    "Following her R #NOF, T-score -2.6.",
    "On the 4th visit the T-score was -2.6.",
])
def test_a_fractured_site_or_an_ordinal_is_no_site_of_a_value(sentence: str) -> None:
    """A site named as a fracture (``#NOF``, ``... femoral neck fracture``) is the broken
    bone's, and ``4th`` is no total hip: the T-score gets no femoral site."""
    doc = read_text(f"Bone density (DXA).\nL1-L4 T-score: -1.7. {sentence}\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -1.7, None)]
