"""Whole dictated reports in house styles modelled on published DXA report templates and
sample reports (a resident's dictation list, "The T-score at ... is" sentences, "The L1-L4 BMD
is ... with a T-score of", key-value "Site: ...; BMD: ..." blocks, a pipe table with a change
column, a UK sentence style, a young man's Z-score report). The wording, patients and numbers
are invented; each report is read through ``parse_bytes``, with the look-alike that must not
be read beside each fix."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from parsers.prose.tables import read_header
from tests.conftest import assert_valid_report
from tests.parsers.prose.reading import read_text, rows_of
from tests.synth.pdf import text_pdf

RESIDENT_LIST = """EXAM: DXA BONE MINERAL DENSITY, AXIAL
DATE: 03/18/2025
INDICATION: 64-year-old postmenopausal woman with history of left distal radius fracture in \
2021 after a fall from standing. Currently taking alendronate since 2019.
COMPARISON: 03/02/2023
FINDINGS:
- Lumbar spine (L1-L4): BMD 0.874 g/cm2, T-score -2.1, Z-score -0.7
- Left femoral neck: BMD 0.641 g/cm2, T-score -2.4, Z-score -0.9
- Left total hip: BMD 0.733 g/cm2, T-score -1.9, Z-score -0.6
FRAX (with femoral neck BMD):
- Major osteoporotic fracture: 19.5%
- Hip fracture: 3.4%
IMPRESSION: Low bone mass (osteopenia). The lowest T-score is -2.4 at the left femoral neck.
"""


def test_resident_dictation_list() -> None:
    doc = read_text(RESIDENT_LIST)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.874, -2.1, -0.7),
                          ("femoral_neck", "left", None, 0.641, -2.4, -0.9),
                          ("total_hip", "left", None, 0.733, -1.9, -0.6)]
    assert doc["study"]["scan_date"] == "2025-03-18"  # not the comparison date
    assert doc["priors"] == []
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"],
            doc["frax"]["with_bmd"]) == (19.5, 3.4, True)
    assert doc["fracture_history"] == {"hip": None, "vertebral": None, "other_fragility": True}
    assert doc["therapy"]["status"] == "on_therapy" and doc["therapy"]["current"] == "alendronate"
    assert (doc["patient"]["sex"], doc["patient"]["age_years"],
            doc["patient"]["menopausal_status"]) == ("F", 64.0, "post")


BMD_WITH_T_SCORE_OF = """CLINICAL INFORMATION: Age 67. Female. Menopause at age 51. On denosumab \
(Prolia) every 6 months since 2022.
PROCEDURE: DXA scan of the lumbar spine and both hips performed on 2024-06-12.
FINDINGS:
The L1-L4 BMD is 0.912 g/cm2, with a T-score of -1.2 and a Z-score of 0.4.
The right femoral neck BMD is 0.688 g/cm2, with a T-score of -2.1 and a Z-score of -0.5.
The left femoral neck BMD is 0.671 g/cm2, with a T-score of -2.3 and a Z-score of -0.7.
Compared with 2019, the lumbar spine BMD has decreased by 3.2% from 0.942 g/cm2.
IMPRESSION: Osteopenia.
"""


def test_bmd_sentences_with_a_change_from_an_undated_prior() -> None:
    doc = read_text(BMD_WITH_T_SCORE_OF)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.2, 0.4),
                          ("femoral_neck", "right", None, 0.688, -2.1, -0.5),
                          ("femoral_neck", "left", None, 0.671, -2.3, -0.7)]
    # "from 0.942 g/cm2" is where the change started: no measurement, and no prior without
    # its date (a year alone)
    assert doc["priors"] == []
    assert doc["study"]["scan_date"] == "2024-06-12"
    assert (doc["patient"]["sex"], doc["patient"]["age_years"],
            doc["patient"]["menopausal_status"]) == ("F", 67.0, "post")
    assert doc["therapy"]["status"] == "on_therapy"


def test_change_from_a_dated_prior_is_a_prior() -> None:
    doc = read_text("DXA REPORT\nThe L1-L4 BMD is 0.912 g/cm2, with a T-score of -1.2.\n"
                    "Compared with the study of 2022-05-03, the lumbar spine BMD has decreased "
                    "by 3.2% from 0.942 g/cm2.\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.2, None)]
    assert [(p["scan_date"], p["region"], p["bmd_g_cm2"]) for p in doc["priors"]] == [
        ("2022-05-03", "lumbar_spine", 0.942)]


PIPE_TABLE_WITH_CHANGE = """BONE DENSITY (DXA)
Scan date: 2025-01-09
Clinical: 73-year-old woman, postmenopausal, on zoledronic acid (last infusion 2023). Previous \
hip fracture (right, 2018).
Region | BMD (g/cm2) | T-score | Z-score | Change vs 2023-01-12
L1-L4 | 0.832 | -2.6 | -0.8 | +2.1%
Left femoral neck | 0.598 | -2.8 | -1.0 | -0.5%
Left total hip | 0.677 | -2.4 | -0.9 | +0.3%
Impression: Osteoporosis.
"""


def test_pipe_table_whose_change_column_names_the_prior_date() -> None:
    doc = read_text(PIPE_TABLE_WITH_CHANGE)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.832, -2.6, -0.8),
                          ("femoral_neck", "left", None, 0.598, -2.8, -1.0),
                          ("total_hip", "left", None, 0.677, -2.4, -0.9)]
    assert doc["priors"] == []  # a change column prints no prior BMD
    assert doc["study"]["scan_date"] == "2025-01-09"
    assert doc["fracture_history"]["hip"] is True
    assert doc["therapy"]["current"] == "zoledronic acid"


@pytest.mark.parametrize(("line", "is_header"), [
    ("Region | BMD (g/cm2) | T-score | Z-score | Change vs 01/12/2023", True),
    ("Region | BMD (g/cm2) | T-score | Z-score | % change since 2023-01-12", True),
    ("01/12/2023 | BMD | T-score | Z-score", False),  # a date in a value row's first cell
    ("Region | 01/12/2023 | T-score | Z-score", False),
])
def test_a_date_in_a_header_only_in_a_change_column(line: str, is_header: bool) -> None:
    assert (read_header(line) is not None) is is_header


UK_SENTENCES = """DEXA SCAN
Date of scan: 21/02/2024
Indication: 69 year old lady. Early menopause age 42. Sister has osteoporosis. Father \
fractured his hip. No personal history of low-trauma fracture. Not currently on bone protection.
Results:
Lumbar spine L1-L4 BMD 0.903 g/cm2, T score -1.6, Z score 0.1.
Left neck of femur BMD 0.634 g/cm2, T score -2.3, Z score -0.6.
Left total hip BMD 0.722 g/cm2, T score -2.0, Z score -0.4.
FRAX with BMD: major osteoporotic fracture 14%, hip fracture 4.3%.
Conclusion: Osteopenia.
"""


def test_uk_sentence_style() -> None:
    doc = read_text(UK_SENTENCES)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.903, -1.6, 0.1),
                          ("femoral_neck", "left", None, 0.634, -2.3, -0.6),
                          ("total_hip", "left", None, 0.722, -2.0, -0.4)]
    assert doc["study"]["scan_date"] == "2024-02-21"
    assert (doc["patient"]["sex"], doc["patient"]["age_years"],
            doc["patient"]["menopausal_status"]) == ("F", 69.0, "post")
    # the father's hip fracture is a FRAX risk factor, not the patient's fracture
    assert doc["fracture_history"] == {"hip": False, "vertebral": False, "other_fragility": False}
    assert doc["therapy"]["status"] == "untreated"
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"]) == (14.0, 4.3)


KEY_VALUE_BLOCKS = """BONE MINERAL DENSITY REPORT
Study date: 02/14/2025
Patient age: 78   Sex: M
Reason for exam: Androgen deprivation therapy for prostate cancer.
Osteoporosis medication: none.
Site: Lumbar spine L1-L4; BMD: 1.105 g/cm2; T-score: 0.3; Z-score: 0.9
Site: Left femoral neck; BMD: 0.701 g/cm2; T-score: -1.9; Z-score: -0.4
Site: Left total hip; BMD: 0.812 g/cm2; T-score: -1.6; Z-score: -0.3
Assessment: Low bone density.
"""


def test_key_value_blocks_of_a_man_on_androgen_deprivation() -> None:
    doc = read_text(KEY_VALUE_BLOCKS)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.105, 0.3, 0.9),
                          ("femoral_neck", "left", None, 0.701, -1.9, -0.4),
                          ("total_hip", "left", None, 0.812, -1.6, -0.3)]
    assert (doc["patient"]["sex"], doc["patient"]["age_years"],
            doc["patient"]["menopausal_status"]) == ("M", 78.0, None)
    assert doc["therapy"]["status"] == "untreated"  # androgen deprivation is no bone drug


# --- the phrases behind the fixes, and their look-alikes ------------------------------------

def _patient_line(line: str) -> dict:
    return read_text(f"DXA REPORT\n{line}\nL1-L4 BMD 0.912 g/cm2, T-score -1.2.\n")


@pytest.mark.parametrize(("line", "sex", "age"), [
    ("CLINICAL INFORMATION: Age 67. Female.", "F", 67.0),
    ("History: Age 71, male.", "M", 71.0),
    ("Age: 67. Sex: Female.", "F", 67.0),  # a second label inside the line
    ("Age 58.", None, 58.0),
    ("Female.", None, None),  # a line of the word alone may be a wrapped reference population
    ("T-score vs. White. Female.", None, None),
    ("Reference population: Female.", None, None),
    ("Menopause age 50.", None, None),  # the age at menopause is not the patient's age
    ("Fracture at age 12.", None, None),
])
def test_age_and_sex_opening_a_clause(line: str, sex: str | None, age: float | None) -> None:
    patient = _patient_line(line)["patient"]
    assert (patient["sex"], patient["age_years"]) == (sex, age)


@pytest.mark.parametrize(("line", "status"), [
    ("Early menopause age 42.", "post"),
    ("Premature menopause.", "post"),
    ("Menopause age 50.", "post"),
    ("No early menopause.", None),
    ("Menopausal status: not recorded.", None),
])
def test_early_menopause_is_postmenopausal(line: str, status: str | None) -> None:
    assert _patient_line(line)["patient"]["menopausal_status"] == status


@pytest.mark.parametrize(("line", "status"), [
    ("Not currently on bone protection.", "untreated"),
    ("No bone protection.", "untreated"),
    ("Bone protection should be considered.", None),
])
def test_bone_protection_wording(line: str, status: str | None) -> None:
    assert _patient_line(line)["therapy"]["status"] == status


@pytest.mark.parametrize(("line", "date"), [
    ("PROCEDURE: DXA of the lumbar spine and left hip was performed on 2024-06-12.", "2024-06-12"),
    ("The study was performed on 2024-06-12.", "2024-06-12"),
    ("The prior study was performed on 2020-01-02.", None),
    ("Vertebroplasty performed on 2019-03-04.", None),
    ("CT scan performed on 2019-03-04.", None),
])
def test_scan_date_performed_on(line: str, date: str | None) -> None:
    assert _patient_line(line)["study"]["scan_date"] == date


MARKDOWN_TABLE = """Bone densitometry
Date of study: 2024-09-30
History: 58 year old postmenopausal woman, status post kyphoplasty at L1 for osteoporotic \
compression fracture. Drug holiday from alendronate since 2022.
| Site | BMD (g/cm\u00b2) | T-score | Z-score |
|---|---|---|---|
| Lumbar spine (L2-L4) | 0.861 | \u22122.4 | \u22121.3 |
| Femoral neck (left) | 0.655 | \u22122.2 | \u22121.1 |
| Total hip (left) | 0.760 | \u22121.8 | \u22120.9 |
L1 excluded due to kyphoplasty.
FRAX score: MOF 12%, hip 2.1%.
"""


def test_markdown_table_with_unicode_minus_and_a_drug_holiday() -> None:
    doc = read_text(MARKDOWN_TABLE)
    assert rows_of(doc) == [("lumbar_spine", None, "L2-L4", 0.861, -2.4, -1.3),
                          ("femoral_neck", "left", None, 0.655, -2.2, -1.1),
                          ("total_hip", "left", None, 0.76, -1.8, -0.9)]
    assert doc["study"]["excluded_vertebrae"] == ["L1"]
    assert doc["fracture_history"]["vertebral"] is True
    assert doc["therapy"]["status"] == "untreated"  # on a drug holiday: no drug now
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"]) == (12.0, 2.1)


TAB_TABLE = ("DXA REPORT\nScan date: 2024-03-03\nIndication: 70-year-old woman. Mother had hip "
             "fracture. Never smoked. No medications for bone.\nRegion\tBMD\tT\tZ\n"
             "L1-L4\t1.001\t-0.9\t0.5\nLeft femoral neck\t0.702\t-1.7\t-0.2\n"
             "Left total hip\t0.815\t-1.2\t0.1\n"
             "Ten-year fracture risk (FRAX): major 9.8%; hip 1.2%.\n")


def test_tab_table_with_bare_t_and_z_headers() -> None:
    doc = read_text(TAB_TABLE)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.001, -0.9, 0.5),
                          ("femoral_neck", "left", None, 0.702, -1.7, -0.2),
                          ("total_hip", "left", None, 0.815, -1.2, 0.1)]
    assert doc["fracture_history"]["hip"] is None  # the mother's hip fracture
    assert doc["therapy"]["status"] == "untreated"
    assert doc["risk_factors"]["smoker"] is False
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"]) == (9.8, 1.2)


RISK_FACTOR_ANSWERS = """DXA REPORT
Scan date: 2024-02-02
History: 61 yo female. FRAX risk factors: prior fracture - no; parent fractured hip - yes; \
current smoking - no; glucocorticoids - no. Menopausal status: not recorded.
L1-L4 BMD 0.955 g/cm2, T-score -1.5.
Left femoral neck BMD 0.701 g/cm2, T-score -1.8.
10-year probability of hip fracture: 1.9%; major osteoporotic fracture: 11%.
"""


def test_risk_factor_answers_after_a_dash() -> None:
    doc = read_text(RISK_FACTOR_ANSWERS)
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.955, -1.5, None),
                          ("femoral_neck", "left", None, 0.701, -1.8, None)]
    assert doc["risk_factors"]["glucocorticoids"] is False  # "glucocorticoids - no"
    assert doc["risk_factors"]["smoker"] is False
    assert doc["fracture_history"]["hip"] is not True  # the parent's hip fracture
    assert doc["patient"]["menopausal_status"] is None  # not recorded
    assert (doc["patient"]["sex"], doc["patient"]["age_years"]) == ("F", 61.0)
    assert (doc["frax"]["major_osteoporotic_pct"], doc["frax"]["hip_pct"]) == (11.0, 1.9)


@pytest.mark.parametrize(("line", "glucocorticoids"), [
    ("Glucocorticoids - no.", False),
    ("Glucocorticoids - yes.", True),
    ("Prednisone 5 mg daily, no side effects.", True),  # a "no" that is not the clause's end
])
def test_glucocorticoid_answer_ending_the_clause(line: str, glucocorticoids: bool) -> None:
    assert _patient_line(line)["risk_factors"]["glucocorticoids"] is glucocorticoids


@pytest.mark.parametrize(("line", "status"), [
    ("No medications for bone.", "untreated"),
    ("Medications for bone were discussed.", None),
])
def test_no_medications_for_bone(line: str, status: str | None) -> None:
    assert _patient_line(line)["therapy"]["status"] == status


@pytest.mark.parametrize(("line", "sex"), [
    ("Patient age: 78 Sex: M", "M"),  # a second label on the line, single-spaced (PDF text)
    ("Age: 61 Sex: F/M", None),  # a blank form's choices
    ("Sex: M/F", None),
    ("Reference: Sex: Female", None),
    ("Gender: male / 67 yrs", "M"),
])
def test_sex_label_inside_a_line(line: str, sex: str | None) -> None:
    assert _patient_line(line)["patient"]["sex"] == sex


_FACTS = ("measurements", "priors", "frax", "fracture_history", "therapy", "risk_factors")


@pytest.mark.parametrize("text", [RESIDENT_LIST, BMD_WITH_T_SCORE_OF, PIPE_TABLE_WITH_CHANGE,
                                  UK_SENTENCES, KEY_VALUE_BLOCKS, MARKDOWN_TABLE,
                                  RISK_FACTOR_ANSWERS])
def test_the_same_report_printed_to_pdf_reads_the_same(text: str) -> None:
    """A pipe or markdown table whose header the vendor-table reader finds but whose rows it
    cannot read is read as dictation (it was rejected no_measurements)."""
    as_text = read_text(text)
    as_pdf = parse_bytes(text_pdf(text), "in/report.pdf").to_dict()
    assert_valid_report(as_pdf)
    assert {k: as_pdf[k] for k in _FACTS} == {k: as_text[k] for k in _FACTS}
    assert as_pdf["patient"] | {"id": None} == as_text["patient"] | {"id": None}
    assert as_pdf["study"]["scan_date"] == as_text["study"]["scan_date"]


@pytest.mark.parametrize("line", [
    "Trend: 2022-03-15 L1-L4 0.950 g/cm2; 2024-05-05 L1-L4 0.912 g/cm2.",
    "L1-L4 BMD on 2022-03-15: 0.950 g/cm2.",
    "L1-L4 BMD 0.950 g/cm2 (2022-03-15).",
])
def test_a_value_dated_before_the_scan_is_a_prior(line: str) -> None:
    """Written before the results, the earlier scan's value became the current BMD."""
    doc = read_text(f"DXA REPORT\nScan date: 2024-05-05\n{line}\n"
                    "L1-L4 BMD 0.912 g/cm2, T-score -1.2.\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.2, None)]
    assert [(p["scan_date"], p["bmd_g_cm2"]) for p in doc["priors"]] == [("2022-03-15", 0.95)]


@pytest.mark.parametrize("line", [
    "DOB 1950-01-01 L1-L4 BMD 0.912 g/cm2, T-score -1.2.",  # a birth date beside it
    "L1-L4 BMD on 2024-05-05: 0.912 g/cm2, T-score -1.2.",  # the scan's own date
])
def test_a_date_beside_a_value_that_is_no_earlier_scan(line: str) -> None:
    doc = read_text(f"DXA REPORT\nScan date: 2024-05-05\n{line}\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.2, None)]
    assert doc["priors"] == []


@pytest.mark.parametrize(("line", "status"), [
    ("Alendronate 2015-2020, now on drug holiday.", "untreated"),  # was on_therapy
    ("On alendronate, now on a drug holiday since 2022.", "untreated"),
    ("On alendronate since 2019.", "on_therapy"),
])
def test_drug_holiday_is_no_current_drug(line: str, status: str) -> None:
    assert _patient_line(line)["therapy"]["status"] == status


@pytest.mark.parametrize(("text", "rows"), [
    ("Right hip: neck T-score -2.1, total T-score -1.7.",  # the total hip was lost
     [("femoral_neck", "right", None, None, -2.1, None),
      ("total_hip", "right", None, None, -1.7, None)]),
    ("LEFT HIP:\nNeck T-score -2.0, Z-score -0.5.\nTotal T-score -1.5.",
     [("femoral_neck", "left", None, None, -2.0, -0.5),
      ("total_hip", "left", None, None, -1.5, None)]),
    ("Neck pain. L1-L4 T-score -1.2, Z-score 0.1.",  # a part word with no body part before it
     [("lumbar_spine", None, "L1-L4", None, -1.2, 0.1)]),
])
def test_a_part_word_under_its_body_part(text: str, rows: list[tuple]) -> None:
    assert rows_of(read_text(f"DXA REPORT\nScan date: 2024-05-05\n{text}\n")) == rows


@pytest.mark.parametrize(("line", "current"), [
    ("Alendronate 2015-2020, now on denosumab.", "denosumab"),  # was Alendronate
    ("Switched from risedronate to Prolia in 2022.", "Prolia"),  # was risedronate
    ("Alendronate, switched to denosumab in 2021.", "denosumab"),
    ("Alendronate to be switched to denosumab.", "Alendronate"),  # a switch still to come
    ("On alendronate and raloxifene.", "alendronate"),  # two drugs, no switch: the first
])
def test_the_drug_a_switch_leads_to_is_the_current_one(line: str, current: str) -> None:
    assert _patient_line(line)["therapy"]["current"] == current


@pytest.mark.parametrize("lines", [
    "Trend: 2022-03-15 L1-L4 0.950 g/cm2; 2024-05-05 L1-L4 0.912 g/cm2.\n",
    "L1-L4 BMD on 2022-03-15: 0.950 g/cm2.\nL1-L4 BMD on 2024-05-05: 0.912 g/cm2.\n",
])
def test_without_a_scan_date_the_earlier_of_a_sites_dated_values_is_the_prior(
        lines: str) -> None:
    """No scan date is readable, but one site's BMDs stand under two dates: the earlier is the
    earlier scan's (it was read as the current BMD)."""
    doc = read_text(f"DXA REPORT\n{lines}L1-L4 BMD 0.912 g/cm2, T-score -1.2.\n")
    assert doc["study"]["scan_date"] is None
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.912, -1.2, None)]
    assert [(p["scan_date"], p["bmd_g_cm2"]) for p in doc["priors"]] == [("2022-03-15", 0.95)]


@pytest.mark.parametrize("lines", [
    "L1-L4 BMD on 2022-03-15: 0.950 g/cm2, T-score -1.2.\n",  # one date: it may be the scan's
    "L1-L4 BMD 0.950 g/cm2 (2022-03-15), T-score -1.2.\n"
    "Femoral neck BMD 0.700 g/cm2 (2024-05-05).\n",  # two dates, but of two sites
])
def test_without_a_scan_date_one_date_of_a_site_changes_nothing(lines: str) -> None:
    doc = read_text(f"DXA REPORT\n{lines}")
    assert ("lumbar_spine", None, "L1-L4", 0.95, -1.2, None) in rows_of(doc)
    assert doc["priors"] == []
