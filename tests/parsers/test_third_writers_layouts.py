"""Layouts a third round of blind writers showed misread, across the readers, each with the
look-alike that must read otherwise (issue #13): a text table ruled under its header, a table
heading over a PDF's column headers, the date order of a printout's country, a Region and Side
table and a spine table's Total, a FRAX sentence a line break parted, and an SR's questionnaire
and FRAX note items. (The sex labels, scan-date wordings and the date order of a dictated
report's country are in ``prose/test_scan_dates_demographics.py``.) Reports are built here in
code from the notes of each class."""

from __future__ import annotations

import pytest

from dexa.contract import ReportDocument, ReportRejected
from parsers import parse_bytes
from parsers.kit.dates import DATE_ORDER_ASSUMED
from tests.conftest import assert_valid_report
from tests.parsers.prose.reading import read_text, rows_of
from tests.synth import cases, sr
from tests.synth.pdf import lines_pdf
from tests.synth.sr import HeaderQuirks, code_item, container, num, text

_TABLE = """
Region                     BMD (g/cm2)   T-score   Z-score
{rule}
LUMBAR SPINE (L1-L4)             0.818      -2.1      -0.6
LEFT FEMORAL NECK                0.584      -2.3      -0.7
"""


@pytest.mark.parametrize("rule", ["-" * 58, "=" * 58, "+-----+-----+", "_" * 40])
def test_a_ruled_line_under_a_header_keeps_the_table(rule: str) -> None:
    doc = read_text("BONE DENSITY REPORT\nDate: 22-Sep-2024\n" + _TABLE.format(rule=rule))
    assert [(r[0], r[1], r[3], r[4]) for r in rows_of(doc)] == [
        ("lumbar_spine", None, 0.818, -2.1), ("femoral_neck", "left", 0.584, -2.3)]


def test_a_ruled_line_with_words_is_no_rule() -> None:
    """The look-alike: a rule that names what follows ("--- Previous scan 2019 ---") ends the
    header's table; its rows are not read as this scan's."""
    data = ("BONE DENSITY REPORT\nDate: 22-Sep-2024\n"
            + _TABLE.format(rule="-------- Previous scan 2019 --------")).encode()
    with pytest.raises(ReportRejected):
        parse_bytes(data, "r.txt")


def _pdf(lines: list[str]) -> ReportDocument:
    doc = parse_bytes(lines_pdf(lines), "r.pdf")
    assert_valid_report(doc.to_dict())
    return doc


_NARRATIVE = [
    "Scan Type    Region   Measured    Age   BMD           T-Score  Z-Score  dBMD(g/cm2)  dBMD(%)",
    "AP Spine     L1-L4    {d}  49    1.108 g/cm2   0.6      1.0      -            -",
    "Left Femur   Neck     {d}  49    0.917 g/cm2   0.5      0.6      -            -",
]


@pytest.mark.parametrize("heading", ["Bone Mineral Density", None])
def test_a_table_heading_over_the_column_headers(heading: str | None) -> None:
    lines = ["DXA BONE DENSITOMETRY", "GENDER Male", ""] + ([heading] if heading else []) \
        + [line.format(d="21/04/2019") for line in _NARRATIVE]
    doc = _pdf(lines)
    assert [(m.region, m.bmd_g_cm2, m.t_score, m.z_score) for m in doc.measurements] == [
        ("lumbar_spine", 1.108, 0.6, 1.0), ("femoral_neck", 0.917, 0.5, 0.6)]
    assert doc.study.scan_date == "2019-04-21"


@pytest.mark.parametrize(
    ("place", "scan"), [("Northside Radiology, Brisbane QLD 4000", "2019-04-11"),
                        # a US ZIP code against the narrative's day-first header: undecided
                        ("Mayo Clinic, Rochester, MN 55905", "2019-11-04"),
                        # the FHIR core narrative's header alone: its dates are day first
                        ("Radiology department", "2019-04-11")])
def test_a_printouts_country_decides_its_open_dates(place: str, scan: str) -> None:
    lines = ["DXA BONE DENSITOMETRY", "Bone Mineral Density"] \
        + [line.format(d="11/04/2019") for line in _NARRATIVE] + ["", place]
    doc = _pdf(lines)
    assert doc.study.scan_date == scan
    assert DATE_ORDER_ASSUMED in doc.warnings


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (["The 10-year probability of a major osteoporotic fracture is 26.4% and of a hip",
          "fracture 3.9% (FRAX with femoral neck", "BMD)."], (26.4, 3.9, True)),
        (["FRAX (UK) 10-year probability, calculated with the femoral neck BMD: major "
          "osteoporotic fracture", "7.9%, hip fracture 1.3%."], (7.9, 1.3, True)),
        (["10-year Fracture Risk (FRAX, version 4.x, USA Caucasian)",
          " Major Osteoporotic Fracture 15.7%", " Hip Fracture 0.6%",
          " Calculated without BMD (clinical risk factors and BMI only)."], (15.7, 0.6, False)),
    ],
)
def test_a_frax_sentence_a_line_break_parted(sentence: list[str], expected: tuple) -> None:
    lines = ["BONE DENSITOMETRY REPORT 9/16/2021", "RESULTS:",
             "Left femoral neck BMD values= 0.799 T-score= -0.5 Z-score= 0.6", "IMPRESSION:",
             *sentence, "RECOMMENDATIONS: Calcium and vitamin D."]
    frax = _pdf(lines).frax
    assert frax is not None
    assert (frax.major_osteoporotic_pct, frax.hip_pct, frax.with_bmd) == expected


def test_a_threshold_a_line_break_parted_is_no_frax() -> None:
    lines = ["BONE DENSITOMETRY REPORT 9/16/2021", "RESULTS:",
             "Left femoral neck BMD values= 0.799 T-score= -0.5 Z-score= 0.6",
             "Addendum: FRAX could not be calculated. Treatment is usually advised above a",
             "10-year hip fracture probability of 3% or major osteoporotic probability of 20%."]
    assert _pdf(lines).frax is None


def test_an_upper_case_frax_line_break_parted() -> None:
    lines = ["BONE DENSITOMETRY REPORT 9/16/2021", "RESULTS:",
             "LEFT FEMORAL NECK: BMD 0.799 G/CM2, T-SCORE -0.5, Z-SCORE 0.6",
             "FRAX (CALCULATED WITH FEMORAL NECK BMD): 10-YEAR RISK OF MAJOR OSTEOPOROTIC "
             "FRACTURE 31.0% AND HIP", "FRACTURE 10.8%.",
             "(NOF/BHOF TREATMENT THRESHOLDS: 20% MAJOR OSTEOPOROTIC, 3% HIP.)"]
    frax = _pdf(lines).frax
    assert frax is not None and (frax.major_osteoporotic_pct, frax.hip_pct, frax.with_bmd) \
        == (31.0, 10.8, True)


def test_a_frax_heading_after_a_line_that_runs_on_is_its_own() -> None:
    """The look-alike of a wrapped line: a heading with no percentage after a cut-off line
    ("... decreased from 0.833 to", the rest past a picture's edge) starts its own sentence."""
    lines = ["BONE DENSITOMETRY REPORT 9/16/2021", "RESULTS:",
             "Left femoral neck BMD values= 0.799 T-score= -0.5 Z-score= 0.6",
             "Compared with the prior study of 19 June 2013, the neck BMD has decreased from "
             "0.833 to",
             "10-year Fracture Risk (without BMD)", "Major Osteoporotic Fracture 22.3%",
             "Hip Fracture 3.7%", "IMPRESSION: Osteopenia."]
    frax = _pdf(lines).frax
    assert frax is not None and (frax.major_osteoporotic_pct, frax.hip_pct, frax.with_bmd) \
        == (22.3, 3.7, False)


def test_a_bound_a_line_break_parted_is_no_frax() -> None:
    """The look-alike: a risk category's threshold wrapped onto its own line."""
    lines = ["BONE DENSITOMETRY REPORT 9/16/2021", "RESULTS:",
             "Left femoral neck BMD values= 0.799 T-score= -0.5 Z-score= 0.6",
             "FRACTURE RISK CATEGORY (CAROC): High (10-year major osteoporotic fracture risk "
             "greater than", "20%)"]
    assert _pdf(lines).frax is None


CASE = cases.motivating_case()


def _sr(*containers) -> ReportDocument:  # type: ignore[no-untyped-def]
    children = [container("AP Spine", [container("L1-L4", [num("BMD", 0.9, "g/cm2")])]),
                *containers]
    doc = parse_bytes(sr._sr(CASE, sr.ENHANCED_SR, sr.concept("DXA Report"), children,
                             HeaderQuirks()), "t.dcm")
    assert_valid_report(doc.to_dict())
    return doc


@pytest.mark.parametrize("name", ["Patient Questionnaire", "Risk Factors"])
def test_an_srs_questionnaire_items_are_history(name: str) -> None:
    doc = _sr(container(name, [text("Years since menopause", "6"),
                               text("Treatment", "Zoledronic acid 5 mg annually"),
                               text("VFA", "No vertebral fracture"),
                               code_item("Parent fractured hip", sr.code("Y", "99X", "Yes"))]))
    assert doc.patient.menopausal_status == "post"
    assert doc.therapy.status == "on_therapy"
    assert doc.fracture_history.vertebral is False
    assert doc.fracture_history.hip is None  # the parent's


def test_written_items_outside_a_history_container_are_not_history() -> None:
    """The look-alike: the same item in a site's container states nothing."""
    doc = _sr(container("Left Femur", [container("Neck", [num("BMD", 0.8, "g/cm2"),
                                                          text("Treatment", "Alendronate")])]))
    assert doc.therapy.status is None


@pytest.mark.parametrize(("note", "with_bmd"), [("Calculated with femoral neck BMD", True),
                                                ("Calculated without BMD", False),
                                                ("Printed at the scanner", None)])
def test_a_frax_containers_written_note(note: str, with_bmd: bool | None) -> None:
    doc = _sr(container("FRAX", [num("MAJOR_OSTEO_FRAC_RISK", 25.4, "%"),
                                 num("HIP_FRAC_RISK", 2.9, "%"), text("FRAX Note", note)]))
    assert doc.frax is not None and doc.frax.with_bmd is with_bmd


_HOLOGIC_SPINE = [
    "DXA Results Summary: Lumbar Spine",
    "Region   Area(cm2)   BMC(g)   BMD(g/cm2)   T-score   Z-score",
    "L1       12.21       13.81    1.131        -0.4      0.6",
    "L2       16.20       17.62    1.088        -0.7      0.4",
    "{third}",
    "L4       14.82       16.27    1.098        -0.7      0.6",
    "Total    50.42       55.72    1.105        -0.6      0.4",
    "",
]
_HOLOGIC_HIPS = [
    "DXA Results Summary: Dual Femur",
    "Region   Side      BMD(g/cm2)   T-score   Z-score",
    "Neck     Left      0.888        -1.1      0.1",
    "         Right     0.861        -1.3      -0.1",
    "         Mean      0.875        -1.2      0.0",
    "         |Diff.|   0.027        0.2",
    "Total    Left      0.998        -0.1      0.7",
    "         Right     0.890        -0.9      0.1",
]


def test_a_region_and_side_table_and_a_spine_total() -> None:
    third = "L3       16.56       18.73    1.131        -0.4      0.8"
    doc = _pdf(["Name: EXAMPLE, Ann   Age: 83", "Scan Date: March 5, 2024",
                *(line.format(third=third) for line in _HOLOGIC_SPINE), *_HOLOGIC_HIPS])
    sites = {(m.region, m.side, m.levels): (m.bmd_g_cm2, m.t_score, m.z_score)
             for m in doc.measurements}
    assert sites[("lumbar_spine", None, "L1-L4")] == (1.105, -0.6, 0.4)
    assert sites[("femoral_neck", "right", None)] == (0.861, -1.3, -0.1)
    assert sites[("femoral_neck", "mean", None)] == (0.875, -1.2, 0.0)
    assert sites[("total_hip", "right", None)] == (0.890, -0.9, 0.1)
    assert len(sites) == 10  # four vertebrae, the spine total, three necks, two hip totals


def test_a_spine_total_over_a_gap_has_no_levels_to_guess() -> None:
    """The look-alike: L3 left out, the total's levels are not known (L1-L4? L1,L2,L4?)."""
    doc = _pdf(["Scan Date: March 5, 2024", *(line.format(third="") for line in _HOLOGIC_SPINE)])
    assert [m.levels for m in doc.measurements if m.region == "lumbar_spine"] in ([], [None])


def test_a_spine_tables_one_total_row() -> None:
    doc = _pdf(["Scan Date: March 5, 2024", "DXA Results Summary: Lumbar Spine",
                "Region   Area(cm2)   BMC(g)   BMD(g/cm2)   T-score   Z-score",
                "Total    51.26       47.72    0.931        -2.1      -1.8"])
    assert [(m.region, m.levels, m.bmd_g_cm2, m.t_score) for m in doc.measurements] == [
        ("lumbar_spine", None, 0.931, -2.1)]
