"""Dates in every wording of dxa-formats.md §2, per layout, and the date-order warning."""

from __future__ import annotations

import pytest

import parsers
from dexa.contract import Prior
from parsers.kit.dates import DATE_ORDER_ASSUMED
from tests.synth import cases
from tests.synth import pdf as synth

STYLES = ["long", "us", "us_short", "day_first", "abbrev", "iso"]
WRITERS = {"hologic": synth.hologic_pdf, "ge": synth.ge_pdf, "norland": synth.norland_pdf,
           "prodigy": synth.prodigy_narrative_pdf}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("layout", sorted(WRITERS))
def test_every_date_style_reads_back(layout: str, style: str) -> None:
    report = cases.motivating_case()  # 2024-03-14: the day (14) fixes the order of the page
    doc = parsers.parse_bytes(WRITERS[layout](report, date_style=style), "x.pdf")
    assert doc.study.scan_date == "2024-03-14"
    assert doc.patient.birth_date == "1956-02-01"
    assert {p.scan_date for p in doc.priors} == {"2021-05-02"}
    assert DATE_ORDER_ASSUMED not in doc.warnings


def test_day_first_page_reads_ambiguous_dates_day_first() -> None:
    """17/06/2008 style: the narrative table's dates are day first; 01/02/1956 then is the
    1st of February."""
    doc = parsers.parse_bytes(synth.prodigy_narrative_pdf(cases.motivating_case()), "x.pdf")
    assert doc.patient.birth_date == "1956-02-01"
    assert doc.study.scan_date == "2024-03-14"


def _all_ambiguous(age: float | None):
    report = cases.motivating_case()
    report.study.scan_date = "2024-04-09"
    report.patient.birth_date = "1956-02-01"
    report.patient.age_years = age
    report.priors = [Prior(scan_date="2021-05-02", region="lumbar_spine", levels="L1-L4",
                           bmd_g_cm2=1.150)]
    return report


def test_all_ambiguous_dates_without_a_printed_age_are_read_month_first_and_flagged() -> None:
    doc = parsers.parse_bytes(synth.ge_pdf(_all_ambiguous(None), date_style="us"), "x.pdf")
    assert doc.study.scan_date == "2024-04-09"
    assert DATE_ORDER_ASSUMED in doc.warnings


def test_a_printed_age_confirms_the_month_first_order() -> None:
    doc = parsers.parse_bytes(synth.ge_pdf(_all_ambiguous(68.2), date_style="us"), "x.pdf")
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1956-02-01", "2024-04-09")
    assert DATE_ORDER_ASSUMED not in doc.warnings


def test_a_printed_age_decides_day_first_when_every_date_is_ambiguous() -> None:
    """The narrative table prints dd/mm/yyyy; with no day above 12 only the age tells."""
    report = _all_ambiguous(None)
    report.priors = []
    doc = parsers.parse_bytes(synth.prodigy_narrative_pdf(report), "x.pdf")
    assert (doc.patient.birth_date, doc.study.scan_date) == ("1956-02-01", "2024-04-09")
    assert DATE_ORDER_ASSUMED not in doc.warnings


def test_unambiguous_word_dates_are_not_flagged() -> None:
    report = cases.motivating_case()
    report.study.scan_date = "2024-04-09"
    doc = parsers.parse_bytes(synth.hologic_pdf(report, date_style="long"), "x.pdf")
    assert doc.study.scan_date == "2024-04-09"
    assert DATE_ORDER_ASSUMED not in doc.warnings
