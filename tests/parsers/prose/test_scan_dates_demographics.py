"""Scan dates, ages and sex in the wordings of letters, EHR exports, lab headers and block
printouts (fourth, fifth and sixth writers' classes, written anew here): the date that follows
the study's name in a sentence about this study, a block header's "on:" date, a "Date" label
padded to a column or opening a header cell, "; aged 71 years", "Age/Sex : 58 Y / F",
"Administrative sex", "sex M" as a list item, a sex word opening a sentence as its subject.
Each with the look-alikes that must not be read: an earlier, compared or planned study's date,
a letter's or clinic's date, a reference population, a relative."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from parsers.kit.dates import DATE_ORDER_ASSUMED, locale_day_first
from tests.parsers.prose.reading import read_text
from tests.synth.pdf import lines_pdf, text_pdf

_RESULTS = """
Region          BMD (g/cm2)   T-score   Z-score
L1-L4                 0.934      -1.1      -0.2
Left femoral neck     0.702      -1.6      -0.7
"""


def _facts(head: str) -> tuple:
    doc = read_text(head + "\n" + _RESULTS)
    p = doc["patient"]
    return p["sex"], p["age_years"], doc["study"]["scan_date"]


# --- scan dates ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "scan"),
    [("Outpatient letter\nSeen 02/09/2023.\nYour patient's DXA of 14/08/2023 showed:",
      "2023-08-14"),
     ("RECORD EXTRACT\nDOB: 1951-03-09\nVisit: DEXA 2023-11-02", "2023-11-02"),
     ("Bone health request\nDXA performed 23/05/2022 - results below", "2022-05-23"),
     ("Dear Dr A,\nI met her after a DXA scan on 21/01/2024.", "2024-01-21"),
     ("HARBOUR DXA\nSMITH Jo; aged 71 years; scanned 03-Mar-2021", "2021-03-03"),
     ("Name: X  DOB: 04/03/1950\nRight Hip - Total on: 07/19/2024 10:02:11 AM", "2024-07-19"),
     ("Name: X  DOB: 04/03/1950\nAP Spine L2-L4 on: 07/19/2024 10:12:40 AM", "2024-07-19"),
     ("CITY LABS\nRef. by       : Dr Y\nDate         : 11.06.2024", "2024-06-11"),
     ("Patient ID : A12   Date : 05-Jan-2023   DOB : 01-Feb-1960", "2023-01-05")],
)
def test_a_scan_date_stated_by_the_study_or_a_header_cell(head: str, scan: str) -> None:
    assert _facts(head)[2] == scan


@pytest.mark.parametrize(
    "head",
    ["Clinic letter\nClinic date: 09/10/2023\nCompared with the DXA of 14/08/2021.",
     "Letter\nThe previous DXA of 14/08/2021 showed osteopenia.",
     "Letter\nPlan: repeat DXA 14/08/2026.",
     "Letter\nNext DEXA due 01/02/2027.",
     "Letter\nDOB: 04/03/1950\nDate typed: 02/09/2023",
     "Prior Right Hip on: 07/19/2019 10:02:11 AM was stable."],
)
def test_dates_of_other_studies_and_letters_are_no_scan_date(head: str) -> None:
    assert _facts(head)[2] is None


# --- ages and sex ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "facts"),
    [("HARBOUR DXA\nSMITH Jo; aged 71 years; sex M; scanned 03-Mar-2021",
      ("M", 71.0, "2021-03-03")),
     ("CITY LABS\nAge/Sex      : 58 Y / F\nDate         : 11.06.2024", ("F", 58.0, "2024-06-11")),
     ("CITY LABS\nAge          : 63 Yrs\nSex          : Male", ("M", 63.0, None)),
     ("RECORD EXTRACT\nDOB: 1951-03-09\nAdministrative sex: Male\nVisit: DEXA 2023-11-02",
      ("M", 72.7, "2023-11-02")),
     ("HISTORY: Gentleman referred by his GP after a fall.", ("M", None, None)),
     ("Indication: Lady with low bone mass on a chest film.", ("F", None, None)),
     ("Referral: please scan this 77F.", ("F", 77.0, None)),
     ("INDICATIONS     Gentleman sent by his GP after a fall.", ("M", None, None)),
     ("HISTORY: 41M. Crohn's disease on steroids.", ("M", 41.0, None)),
     ("NOTES: Age at scan: 64 years", (None, 64.0, None))],
)
def test_ages_and_sex_of_headers_and_sentences(head: str, facts: tuple) -> None:
    assert _facts(head) == facts


@pytest.mark.parametrize(
    "head",
    ["Reference: Male reference population used for Z-scores.",
     "FHx: Female relatives with osteoporosis.",
     "Mother: lady with a hip fracture at 80.",
     "Screening: Women aged 65 and over.",
     "CITY LABS\nAge/Sex      : 58 Y / F/M",
     "Plan: review this 10F/U scan."],
)
def test_sex_look_alikes_state_nothing(head: str) -> None:
    assert _facts(head)[0] is None


def test_a_letter_printed_to_pdf_takes_its_scan_date_from_the_sentence() -> None:
    text = ("Metabolic bone clinic\n12 March 2024\nDear Dr B,\nI saw this 66 year old man "
            "following a DXA scan on 20/02/2024.\nResults:\n" + _RESULTS)
    doc = parse_bytes(text_pdf(text), "letter.pdf")
    assert (doc.patient.age_years, doc.study.scan_date) == (66.0, "2024-02-20")


def test_a_printout_date_cell_is_the_scan_date_where_nothing_else_gives_one() -> None:
    lines = ["SUNRISE DIAGNOSTICS",
             "Patient Name : X            Age : 52 Yrs",
             "Patient ID : 7781           Date : 14-Mar-2023",
             "",
             "Region                 BMD (g/cm2)    T-score    Z-score",
             "Lumbar spine L1-L4           0.934       -1.1       -0.2",
             "Left femoral neck            0.702       -1.6       -0.7"]
    doc = parse_bytes(lines_pdf(lines), "lab.pdf")
    assert (doc.patient.age_years, doc.study.scan_date) == (52.0, "2023-03-14")


def test_an_age_at_menopause_is_no_age() -> None:
    assert _facts("NOTES: Age at menopause: 49")[1] is None


@pytest.mark.parametrize(
    ("pid", "facts"),
    [("PID|1||A77^^^H^MR||DOE^JANE||19500304|F", ("F", "1950-03-04", 73.7)),
     ("PID|1||A77^^^H^MR||DOE^JO||19500304|U", (None, "1950-03-04", 73.7)),
     ("PID|1||A77^^^H^MR||DOE^JO|||", (None, None, None))],
)
def test_an_hl7_patient_segment_states_birth_date_and_sex(pid: str, facts: tuple) -> None:
    """PID-7 and PID-8; the scan's date is the observation request's (OBR-7), here after a
    visit segment."""
    message = (f"MSH|^~\\&|RIS|H|EHR|H|202311200930||ORU^R01|1|P|2.5.1\n{pid}\nPV1|1|O\n"
               "OBR|1|ACC1||77080^DXA BONE DENSITY AXIAL^CPT|||202311200930\n"
               "OBX|1|NM|24966-4^DXA Lumbar spine L1-L4 BMD^LN||0.949|g/cm2|||||F\n"
               "OBX|2|NM|38267-1^DXA Lumbar spine L1-L4 T-score^LN||-0.9|{T-score}|||||F\n")
    p = read_text(message)["patient"]
    assert (p["sex"], p["birth_date"], p["age_years"]) == facts


# --- a third round of blind writers: sex labels, scan-date wordings, the date order of a
# report's country (issue #13) -------------------------------------------------------------

@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Age/Sex      : F\nDate: 22-Sep-2024", ("F", None, "2024-09-22")),
        ("Age/Sex : - / M\nDate: 22-Sep-2024", ("M", None, "2024-09-22")),
        ("Date of Birth: 24/07/1952   M/F: F\nExam date: 20/08/2024", ("F", 72.1, "2024-08-20")),
        ("CLINICAL DATA: Female\nDate: 22-Sep-2024", ("F", None, "2024-09-22")),
        ("Examination: BONE MINERAL DENSITOMETRY (DXA) - 1 April 2021", (None, None, "2021-04-01")),
        ("Dear Dr A,\n\nThis patient attended for DXA scanning on 18 July 2024.",
         (None, None, "2024-07-18")),
        ("Date: 26/03/2020\nDear Dr A,\nBone densitometry (DXA) was performed on 21/03/2020.",
         (None, None, "2020-03-21")),
        ("Menopause: Yes, age 53\nScan date: 22-Sep-2024", (None, None, "2024-09-22")),
        ("Sex/Age: F/67\nScan date: 22-Sep-2024", ("F", 67.0, "2024-09-22")),
        ("Visit: May 10, 2021\nDXA (April 9, 2021, outside facility, GE Lunar):",
         (None, None, "2021-04-09")),
        ("Scan date: 22-Sep-2024\nNOGG intervention threshold for age: 13.7% (MOF)",
         (None, None, "2024-09-22")),
        # the look-alikes: blank choices, no sex at all, a bare date alone still dates the scan
        ("Age/Sex : M/F\nDate: 22-Sep-2024", (None, None, "2024-09-22")),
        ("M/F: ___\nDate: 22-Sep-2024", (None, None, "2024-09-22")),
        ("Date: 22-Sep-2024", (None, None, "2024-09-22")),
    ],
)
def test_sex_labels_scan_date_wordings_and_an_event_age(head: str, expected: tuple) -> None:
    assert _facts(head) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Harrowgate & District NHS Foundation Trust", True),
        ("Eastern Imaging, Box Hill VIC 3128", True),
        ("Dear Dr A, thank you for referring this patient from your GP surgery.", True),
        ("Leeds LS1 3EX", True),
        ("Patient: A. Example  NHI: H605785", True),
        # the FHIR core narrative's table prints its dates day first (dxa-formats.md 2.4)
        ("Scan Type   Region   Measured   Age   BMD   T-Score   Z-Score", True),
        ("Rochester, MN 55905", False),
        ("Please forward to the primary care physician.", False),
        # the look-alikes: no place, or places of both kinds
        ("Bone densitometry report.", None),
        ("NHS Trust; copy to the primary care physician", None),
    ],
)
def test_the_date_order_of_a_reports_country(text: str, expected: bool | None) -> None:
    assert locale_day_first(text) is expected


def test_a_day_first_country_decides_dates_its_own_leave_open() -> None:
    head = ("Harrowgate & District NHS Foundation Trust\nDXA SCAN REPORT\nDOB: 03/03/1978\n"
            "Date of scan: 04/11/2024")
    doc = read_text(head + "\n" + _RESULTS)
    assert doc["study"]["scan_date"] == "2024-11-04"
    assert DATE_ORDER_ASSUMED in doc["warnings"]  # still an assumption, and said so


def test_without_a_country_an_open_date_stays_month_first() -> None:
    doc = read_text("DXA SCAN REPORT\nDate of scan: 04/11/2024\n" + _RESULTS)
    assert doc["study"]["scan_date"] == "2024-04-11"
    assert DATE_ORDER_ASSUMED in doc["warnings"]
