"""Golden round trips: a synthetic case rendered as a dictated text (tests.synth.text) and read
back through ``parsers.parse_bytes`` gives the case again (minus what the style does not print)."""

from __future__ import annotations

import hashlib

import pytest

from tests.parsers.prose.reading import read_text
from tests.synth.cases import ALL_CASES
from tests.synth.text import DATE_FORMATS, STYLES, dictated_text, expected_document

FIELDS = ("patient", "study", "measurements", "frax", "fracture_history", "therapy", "priors",
          "lsc", "risk_factors")


def _read(text: str, path: str = "reports/sample.txt") -> dict:
    data = text.encode("utf-8")
    doc = read_text(text, path)
    assert doc["source"]["kind"] == "text"
    assert doc["source"]["path"] == path
    assert doc["source"]["sha256"] == hashlib.sha256(data).hexdigest()
    return doc


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", sorted(ALL_CASES))
def test_round_trip_per_style(case: str, style: str) -> None:
    report = ALL_CASES[case]()
    doc = _read(dictated_text(report, style=style))
    expected = expected_document(report, style=style).to_dict()
    for name in FIELDS:
        assert doc[name] == expected[name], name
    assert doc["source"]["vendor"] == expected["source"]["vendor"]
    assert doc["warnings"] == []


@pytest.mark.parametrize("day_first", [False, True])
@pytest.mark.parametrize("date_format", DATE_FORMATS)
@pytest.mark.parametrize("style", STYLES)
def test_round_trip_per_date_format(style: str, date_format: str, day_first: bool) -> None:
    report = ALL_CASES["motivating"]()
    doc = _read(dictated_text(report, style=style, date_format=date_format, day_first=day_first))
    expected = expected_document(report, style=style).to_dict()
    assert doc["study"]["scan_date"] == "2024-03-14"
    assert doc["patient"]["birth_date"] == "1956-02-01"
    assert doc["priors"] == expected["priors"]


def test_ambiguous_numeric_dates_warn_and_read_month_first() -> None:
    report = ALL_CASES["motivating"]()
    report.study.scan_date = "2024-03-04"
    report.patient.birth_date = "1956-02-01"
    report.priors = [p.model_copy(update={"scan_date": "2021-05-02"}) for p in report.priors]
    doc = _read(dictated_text(report, style="ucsf", date_format="numeric"))
    assert doc["study"]["scan_date"] == "2024-03-04"
    assert "DATE_ORDER_ASSUMED" in doc["warnings"]


def test_day_first_document_reads_every_date_day_first() -> None:
    report = ALL_CASES["motivating"]()
    report.patient.birth_date = "1956-02-01"  # 01/02/1956, ambiguous on its own
    doc = _read(dictated_text(report, style="narrative", day_first=True))
    assert doc["patient"]["birth_date"] == "1956-02-01"
    assert doc["priors"][0]["scan_date"] == "2021-05-02"
    assert doc["warnings"] == []


def test_canadian_change_gives_no_prior() -> None:
    """The prior BMD a change implies is not printed, so it is not a prior (never guessed)."""
    report = ALL_CASES["motivating"]()
    doc = _read(dictated_text(report, style="canadian"))
    assert "creased by" in dictated_text(report, style="canadian")
    assert doc["priors"] == []
    assert [m["bmd_g_cm2"] for m in doc["measurements"]] == [
        m.bmd_g_cm2 for m in report.measurements if m.bmd_g_cm2 is not None]


def test_young_patient_canadian_prints_z_only() -> None:
    report = ALL_CASES["premenopausal_z"]()
    doc = _read(dictated_text(report, style="canadian"))
    assert all(m["t_score"] is None for m in doc["measurements"])
    assert [m["z_score"] for m in doc["measurements"]] == [-2.1, -1.1, -0.6]


def test_writer_output_changes_are_detected() -> None:
    """The round trip can fail: a changed number in the text changes the document."""
    report = ALL_CASES["motivating"]()
    text = dictated_text(report, style="ucsf").replace("T-score= -2.0", "T-score= -2.6")
    doc = _read(text)
    neck = next(m for m in doc["measurements"] if m["region"] == "femoral_neck")
    assert neck["t_score"] == -2.6
