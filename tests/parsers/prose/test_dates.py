"""Dates of dictated reports: the order decided by the report's own evidence (a day above 12,
the same day printed unambiguously, the printed age with the birth date), the warning only
when nothing decides."""

from __future__ import annotations

from dexa.contract import ReportDocument, Source
from parsers.kit.dates import DATE_ORDER_ASSUMED
from parsers.prose import read_prose

_REPORT = """BONE DENSITOMETRY REPORT
DATE OF STUDY: {scan}
DOB: {birth}
CLINICAL DATA: {age} postmenopausal woman.
RESULTS:
L1-L4 BMD values= 1.163 T-score= 0.7 Z-score= 1.9
"""


def _read(scan: str, birth: str, age: str) -> ReportDocument:
    return read_prose(_REPORT.format(scan=scan, birth=birth, age=age),
                      source=Source(path="p", sha256="0" * 64, kind="text"))


def test_the_printed_age_decides_day_first() -> None:
    # day first: 1960-09-04 -> 2024-10-03 is 64 years; month first it would be 63
    doc = _read("03/10/2024", "04/09/1960", "64-year-old")
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1960-09-04", "2024-10-03")
    assert DATE_ORDER_ASSUMED not in doc.warnings


def test_the_printed_age_decides_month_first() -> None:
    doc = _read("03/10/2024", "04/09/1960", "63-year-old")
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1960-04-09", "2024-03-10")
    assert DATE_ORDER_ASSUMED not in doc.warnings


def test_an_age_that_fits_neither_order_decides_nothing() -> None:
    doc = _read("03/10/2024", "04/09/1960", "70-year-old")
    assert doc.study.scan_date == "2024-03-10"  # month first, as assumed
    assert DATE_ORDER_ASSUMED in doc.warnings


def test_without_a_printed_age_month_first_is_assumed_and_flagged() -> None:
    doc = _read("03/10/2024", "04/09/1960", "A")
    assert doc.study.scan_date == "2024-03-10"
    assert DATE_ORDER_ASSUMED in doc.warnings


def test_a_day_above_twelve_decides_before_the_age() -> None:
    doc = _read("03/10/2024", "17/09/1960", "70-year-old")
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1960-09-17", "2024-10-03")
    assert DATE_ORDER_ASSUMED not in doc.warnings
