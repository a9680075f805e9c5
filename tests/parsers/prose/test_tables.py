"""Tables in text reports (dxa-formats.md §2.4, the FHIR DXA narrative, and dictated tables):
the same table written with pipes, tabs, fixed-width columns or single spaces reads the same;
earlier dated rows are priors and never measurements; a change column is never a BMD."""

from __future__ import annotations

import pytest

from dexa.contract import ReportRejected
from parsers import parse_bytes
from parsers.prose.tables import read_header
from tests.parsers.prose.reading import read_text, rows_of

HEADER = ["Scan Type", "Region", "Measured", "Age", "BMD", "T-Score", "Z-Score",
          "\u0394BMD(g/cm2)", "\u0394BMD(%)"]
ROWS = [
    ["AP Spine", "L1-L4", "17/06/2021", "61.2", "0.912 g/cm\u00b2", "-2.2", "-0.4",
     "+0.006", "+0.7"],
    ["", "", "03/02/2019", "58.8", "0.906 g/cm\u00b2", "", "", "-", "-"],
    ["Left Femur", "Neck", "17/06/2021", "61.2", "0.701 g/cm\u00b2", "-2.1", "-0.8",
     "-0.012", "-1.7"],
    ["", "", "03/02/2019", "58.8", "0.713 g/cm\u00b2", "", "", "-", "-"],
    ["Left Femur", "Total", "17/06/2021", "61.2", "0.802 g/cm\u00b2", "-1.6", "-0.5",
     "-", "-"],
]
HEAD = ("NAME Doe^Jane\nDOB 10/02/1960\nREFERRING DR Dr. A. Bones\n"
        "INDICATIONS 61 years old postmenopausal female\n"
        "PROCEDURE Dual energy x-ray absorptiometry (DEXA)\n\n")
TAIL = "\nAssessment:\n* The Left Femur Neck BMD is in the osteopenic range.\n"


def _pipes() -> str:
    return "\n".join("| " + " | ".join(row) + " |" for row in [HEADER, *ROWS])


def _tabs() -> str:
    return "\n".join("\t".join(row) for row in [HEADER, *ROWS])


def _fixed() -> str:
    widths = [12, 8, 12, 6, 13, 9, 9, 14, 8]
    return "\n".join("".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in [HEADER, *ROWS])


def _read(table: str) -> dict:
    return read_text(HEAD + table + "\n" + TAIL)


@pytest.mark.parametrize("layout", [_pipes, _tabs, _fixed])
def test_the_narrative_table_in_every_text_layout(layout) -> None:
    doc = _read(layout())
    assert [(m["region"], m["side"], m["levels"], m["bmd_g_cm2"], m["t_score"], m["z_score"])
            for m in doc["measurements"]] == [
        ("lumbar_spine", None, "L1-L4", 0.912, -2.2, -0.4),
        ("femoral_neck", "left", None, 0.701, -2.1, -0.8),
        ("total_hip", "left", None, 0.802, -1.6, -0.5)]
    assert [(p["scan_date"], p["region"], p["side"], p["bmd_g_cm2"]) for p in doc["priors"]] == [
        ("2019-02-03", "lumbar_spine", None, 0.906), ("2019-02-03", "femoral_neck", "left", 0.713)]
    assert doc["study"]["scan_date"] == "2021-06-17"  # the Measured date of the current rows


def test_a_change_column_is_never_the_bmd() -> None:
    columns = read_header("Region  BMD  T-Score  Z-Score  ?BMD(g/cm2)  ?BMD(%)")
    assert columns is not None
    assert [c.role for c in columns] == ["label", "bmd_g_cm2", "t_score", "z_score", "other",
                                         "other"]
    assert [c.role for c in read_header("Site | Change in BMD | BMD | T | Z")] == [
        "label", "other", "bmd_g_cm2", "t_score", "z_score"]


def test_a_numbered_line_is_not_a_header() -> None:
    assert read_header("L1-L4  BMD 0.912  T-score -2.2  Z-score -0.4") is None
    assert read_header("Scan date 03/02/2019 BMD T-score") is None


def test_grouped_rows_take_their_group_label() -> None:
    doc = _read("DualFemur\nRegion   BMD     T-score  Z-score\nNeck\n"
                "Left     0.701   -2.1     -0.8\nRight    0.745   -1.8     -0.5\n"
                "Mean     0.723   -1.9     -0.6\nDiff.    0.044   0.3      0.3\nTotal\n"
                "Left     0.802   -1.6     -0.5\nRight    0.840   -1.3     -0.2\n")
    assert [(m["region"], m["side"], m["bmd_g_cm2"], m["t_score"])
            for m in doc["measurements"]] == [
        ("femoral_neck", "left", 0.701, -2.1), ("femoral_neck", "right", 0.745, -1.8),
        ("femoral_neck", "mean", 0.723, -1.9), ("total_hip", "left", 0.802, -1.6),
        ("total_hip", "right", 0.840, -1.3)]


def test_single_spaced_table_reads_the_trailing_numbers() -> None:
    doc = _read("Region BMD T-score Z-score\nL1-L4 0.912 -2.2 -0.4\nFemoral Neck Left 0.701 "
                "-2.1 -0.8\n")
    assert [(m["region"], m["side"], m["bmd_g_cm2"], m["t_score"], m["z_score"])
            for m in doc["measurements"]] == [("lumbar_spine", None, 0.912, -2.2, -0.4),
                                              ("femoral_neck", "left", 0.701, -2.1, -0.8)]
    assert doc["priors"] == []


@pytest.mark.parametrize("trend", [
    "AP Spine L1-L4 trend\nDate        BMD (g/cm2)\n06/17/2021  0.912\n02/03/2019  0.906\n",
    "AP Spine L1-L4\nDate        Value\n06/17/2021  0.912\n02/03/2019  0.906\n",
    "Lumbar spine L1-L4 trend\nScan date | BMD | Change\n06/17/2021 | 0.912 | +0.7%\n"
    "02/03/2019 | 0.906 | \n",
])
def test_a_trend_list_gives_priors_and_no_second_row(trend: str) -> None:
    doc = _read("RESULTS:\nL1-L4: BMD 0.912 g/cm2, T-score -2.2\n\n" + trend)
    assert doc["study"]["scan_date"] is None  # a trend list's latest date may be a prior's
    assert [(m["region"], m["levels"], m["bmd_g_cm2"], m["t_score"])
            for m in doc["measurements"]] == [("lumbar_spine", "L1-L4", 0.912, -2.2)]
    assert [(p["scan_date"], p["region"], p["levels"], p["bmd_g_cm2"]) for p in doc["priors"]] \
        == [("2019-02-03", "lumbar_spine", "L1-L4", 0.906)]


def test_the_age_column_of_the_current_rows_is_the_age_at_the_scan() -> None:
    text = (HEAD.replace("61 years old postmenopausal female", "postmenopausal female")
            + _fixed() + "\n" + TAIL)
    doc = parse_bytes(text.encode("utf-8"), "in/report.txt").to_dict()
    assert doc["patient"]["age_years"] == 61.2  # not 58.8, the age at the earlier scan
    assert _read(_pipes())["patient"]["age_years"] == 61  # the text's own age comes first


def test_a_body_composition_table_gives_no_bone_density() -> None:
    """Fat and lean indices carry T- and Z-scores of their own (a total-body composition
    page): never a total-body bone density row; the BMD row of the same scan is read."""
    indices = ("Measure            Result  T-score  Z-score\n"
               "Total Body % Fat    31.6    -0.6     -0.9\n"
               "Lean/Height2 (kg/m2) 13.9   -0.6     -0.8\n")
    with pytest.raises(ReportRejected) as rejected:
        parse_bytes((HEAD + indices).encode(), path="composition.txt")
    assert rejected.value.code == "no_measurements"
    bone = "Region      BMD     T-score  Z-score\nTotal Body  1.102   -0.4     0.1\n"
    doc = _read(bone + "\n" + indices)
    assert [(m["region"], m["bmd_g_cm2"], m["t_score"], m["z_score"])
            for m in doc["measurements"]] == [("total_body", 1.102, -0.4, 0.1)]


_SITE_HEAD = ("Clinical notes: female, 66.\n\n{title}\n"
              "Site                       BMD (g/cm2)   T-score   Z-score\n")


def test_femoral_abbreviations_in_table_rows() -> None:
    """``Left FN`` and ``Right TH`` rows are the femoral neck and the total hip of that side."""
    doc = read_text(_SITE_HEAD.format(title="") +
                    "L1-4 spine                       1.116      -1.7      -0.8\n"
                    "Left FN                          0.752      -1.8      -1.1\n"
                    "Right TH                         0.906      -1.5      -0.1\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.116, -1.7, -0.8),
                            ("femoral_neck", "left", None, 0.752, -1.8, -1.1),
                            ("total_hip", "right", None, 0.906, -1.5, -0.1)]


def test_a_line_naming_two_body_parts_is_no_title_for_the_rows_below() -> None:
    """``Lumbar spine and hip scanned ...`` lists the scans: a row whose label the reader does
    not know (``Left XN``) is left unread rather than read as a second lumbar spine."""
    doc = read_text(_SITE_HEAD.format(title="Lumbar spine and hip scanned on a GE Lunar iDXA.")
                    + "L1-4 spine                       1.116      -1.7      -0.8\n"
                    "Left XN                          0.752      -1.8      -1.1\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.116, -1.7, -0.8)]


def test_a_row_naming_a_side_takes_no_sideless_title_region() -> None:
    """Under a spine title, a row with a side and no known region is no part of the spine;
    a ``Total`` row without a side is still the spine's total."""
    doc = read_text(_SITE_HEAD.format(title="AP Spine")
                    + "L1-L4                            1.116      -1.7      -0.8\n"
                    "Left XN                          0.752      -1.8      -1.1\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.116, -1.7, -0.8)]
    doc = read_text(_SITE_HEAD.format(title="AP Spine")
                    + "Total                            1.116      -1.7      -0.8\n")
    assert rows_of(doc) == [("lumbar_spine", None, None, 1.116, -1.7, -0.8)]


def test_a_sentence_naming_the_scores_is_no_table_header() -> None:
    """``Findings are reported as T-Score and Z-Score.`` is prose: the labelled lines after it
    are read as sentences, T-score only (no BMD printed: a null BMD), not swallowed as rows."""
    doc = read_text("EXAMINATION: BONE DENSITOMETRY OF THE LUMBAR SPINE AND HIP\n\n"
                    "Findings are reported as T-Score and Z-Score.\n\n"
                    "SPINE: L1-L4  T-Score: -1.1\n"
                    "HIP: Left Femoral Neck  T-Score: -2.3\n"
                    "HIP: Right Total Hip  T-Score: -2.5\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", None, -1.1, None),
                            ("femoral_neck", "left", None, None, -2.3, None),
                            ("total_hip", "right", None, None, -2.5, None)]


def test_a_single_spaced_header_of_column_names_is_still_a_header() -> None:
    assert read_header("Region BMD T-score Z-score") is not None
    assert read_header("Scan Region BMD T-score Z-score") is not None
    assert read_header("Findings are reported as T-Score and Z-Score.") is None
