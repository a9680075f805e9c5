"""Text inputs that are not DXA reports, or DXA reports without numbers, and how bytes are
decoded. Every rejection carries a CONTRACT error code; nothing raises anything else."""

from __future__ import annotations

import pytest

from dexa.contract import ERROR_CODES, ReportRejected
from parsers import parse_bytes
from parsers.prose.reader import MAX_BYTES, read_text
from tests.conftest import assert_valid_report
from tests.synth.cases import motivating_case
from tests.synth.text import dictated_text

LETTER = """Dear Dr Smith,

Thank you for seeing Mrs Example in clinic. She would like to book a bone density scan
next month. Her blood pressure is well controlled on amlodipine.

Kind regards,
Dr Jones
"""

LAB_REPORT = """CHEMISTRY PANEL  Collected 03/14/2024 08:10
Sodium        140 mmol/L   (135-145)
Potassium     4.1 mmol/L   (3.5-5.1)
Calcium       2.35 mmol/L  (2.15-2.55)
25-OH Vitamin D   62 nmol/L
Alkaline phosphatase  81 U/L
"""

CSV = """date,store,item,quantity,price
2024-03-14,North,apples,12,0.45
2024-03-15,South,pears,7,0.52
"""

WUSTL_BLANK = """EXAMINATION: BONE DENSITOMETRY OF THE []
DATE OF STUDY:
HISTORY: [ ]-year-old postmenopausal female. Evaluate bone mineral density.

SPINE: [] T-Score: [ ] Z-Score: [ ]
HIP: Femoral Neck T-Score: [ ] Z-Score: [ ]
HIP: Total Hip T-Score: [ ] Z-Score: [ ]

For bone mineral density values in gm/sq-cm and plots of trends since prior exams, see
separate printout.

IMPRESSION:
1. The bone mineral density of the lumbar spine is [increased/normal/mildly-moderately-markedly
decreased].
"""

GE_YOUNG_BLANK = """PROCEDURE: A bone mineral density test of the left proximal femur and AP lumbar
spine was performed using the Lunar Prodigy Advance dual-energy x-ray absorptiometry (DXA) system.
FINDINGS: The bone mineral density measured at the [] is [ ] gm/cm2 with a Z-score of [ ].
IMPRESSION: The bone mineral density is [within] [below] the expected range for age.
"""


def _code(data: bytes) -> str:
    with pytest.raises(ReportRejected) as info:
        parse_bytes(data, "in/report.txt")
    assert info.value.code in ERROR_CODES
    return info.value.code


@pytest.mark.parametrize("text", [LETTER, LAB_REPORT, CSV], ids=["letter", "lab", "csv"])
def test_not_dxa(text: str) -> None:
    assert _code(text.encode()) == "not_dxa"


@pytest.mark.parametrize("text", [WUSTL_BLANK, GE_YOUNG_BLANK], ids=["wustl", "ge_young"])
def test_blank_template_has_no_measurements(text: str) -> None:
    assert _code(text.encode()) == "no_measurements"


def test_dxa_words_without_numbers() -> None:
    text = "DXA REPORT\nBone mineral density: see attached printout. T-scores pending.\n"
    assert _code(text.encode()) == "no_measurements"


def test_white_space_only_is_empty() -> None:
    assert _code(b" \r\n\t \n") == "empty"


def test_too_large() -> None:
    with pytest.raises(ReportRejected) as info:
        read_text(b"a" * (MAX_BYTES + 1), path="big.txt", sha256="0" * 64)
    assert info.value.code == "too_large"


TEXT = dictated_text(motivating_case(), style="narrative").replace("−", "-")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        TEXT.replace("g/cm2", "g/cm²").replace("of -2.0", "of \u20132.0").encode("cp1252"),
        TEXT.encode("utf-16"),
        TEXT.replace("-2.0", "\u22122.0").encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf8", "utf8_bom", "crlf", "cr", "cp1252", "utf16_bom", "utf16be_bom"],
)
def test_encodings_and_line_endings(data: bytes) -> None:
    doc = read_text(data, path="r.txt", sha256="0" * 64).to_dict()
    assert_valid_report(doc)
    neck = next(m for m in doc["measurements"] if m["region"] == "femoral_neck")
    assert (neck["side"], neck["bmd_g_cm2"], neck["t_score"]) == ("left", 0.76, -2.0)
    assert doc["study"]["scan_date"] == "2024-03-14"


def test_cp1252_superscript_two_through_dispatcher() -> None:
    data = TEXT.replace("gm/cm2", "g/cm²").encode("cp1252")
    assert b"\xb2" in data
    doc = parse_bytes(data, "r.txt").to_dict()
    assert_valid_report(doc)
    assert len(doc["measurements"]) == 3


def test_name_is_never_output() -> None:
    text = "Patient Name: Jane Q Example\nName: EXAMPLE^JANE\n" + TEXT
    doc = parse_bytes(text.encode(), "r.txt")
    assert "Example" not in doc.to_json() and "EXAMPLE" not in doc.to_json()
