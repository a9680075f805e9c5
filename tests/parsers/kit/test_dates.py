"""parsers.kit.dates: every date wording of dxa-formats.md §2, the document date order, rejects."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit.dates import document_day_first, find_dates, has_ambiguous_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 04, 2019", "2019-12-04"),
        ("Scan Date: December 04, 2019        ID: A1204190D", "2019-12-04"),
        ("Analysis:  December 04, 2019 12:57 Version 13.6.0.5", "2019-12-04"),
        ("Dec 4, 2019", "2019-12-04"),
        ("Dec. 4th, 2019", "2019-12-04"),
        ("Sept 30 2024", "2024-09-30"),
        ("4 December 2019", "2019-12-04"),
        ("4th of December, 2019", "2019-12-04"),
        ("12-Mar-2019", "2019-03-12"),
        ("12/04/2019", "2019-12-04"),
        ("17/06/2008", "2008-06-17"),
        ("5/29/2007", "2007-05-29"),
        ("5/6/2002 1:51:17 PM", "2002-05-06"),
        ("AP Spine on: 5/6/2002 1:51:17 PM", "2002-05-06"),
        ("BONE DENSITOMETRY REPORT 5/16/2025 2:52 PM", "2025-05-16"),
        ("2019-12-04", "2019-12-04"),
        ("2019/12/04", "2019-12-04"),
        ("04.12.2019", "2019-12-04"),
        ("20191204", "2019-12-04"),
        ("05-16-2025", "2025-05-16"),
    ],
)
def test_wordings(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("12/04/2019", True, "2019-04-12"),
        ("12/04/2019", False, "2019-12-04"),
        ("12/04/2019", None, "2019-12-04"),
        # a date valid in one order only is read in that order, whatever the document says
        ("17/06/2008", False, "2008-06-17"),
        ("5/29/2007", True, "2007-05-29"),
        # dotted dates are day first
        ("04.12.2019", False, "2019-12-04"),
    ],
)
def test_day_first(text: str, day_first: bool | None, expected: str) -> None:
    assert parse_date(text, day_first=day_first) == expected


@pytest.mark.parametrize(
    "text",
    [
        "02/30/2020",
        "13/13/2020",
        "31.02.2019",
        "2019-13-01",
        "2019-02-29",
        "February 30, 2020",
        "32-Mar-2019",
        "20191304",
        "1/1/1066",
        "",
        "no date here",
        "L1-L4 1.163 T-score= 0.7",
        "Version 13.6.0.5",
        "0.745",
        "March 2019",
    ],
)
def test_impossible_or_absent_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_leap_day() -> None:
    assert parse_date("02/29/2020") == "2020-02-29"
    assert parse_date("29.02.2021") is None


def test_two_digit_year() -> None:
    assert parse_date("5/29/07") == "2007-05-29"
    assert parse_date("12/04/56") == "1956-12-04"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Measured 17/06/2008, prior 03/04/2005", True),
        ("COMPARISON: 5/29/2007. Today 05/06/2025", False),
        ("Scan 05/06/2025, prior 03/04/2020", None),
        ("no numeric dates, December 04, 2019", None),
        ("17/06/2008 and 5/29/2007", None),  # contradictory: undecided
        ("04.12.2019 and 17.06.2008", None),  # dotted dates are always day first; no vote
    ],
)
def test_document_day_first(text: str, expected: bool | None) -> None:
    assert document_day_first(text) is expected


def test_has_ambiguous_dates() -> None:
    assert has_ambiguous_dates("Scan 05/06/2025")
    assert not has_ambiguous_dates("Scan 05/05/2025 and 5/29/2007 and 2019-12-04")


def test_find_dates_positions() -> None:
    text = "COMPARISON: 5/29/2007 and December 04, 2019; bad 02/30/2020"
    found = list(find_dates(text))
    assert [iso for _, _, iso in found] == ["2007-05-29", "2019-12-04"]
    start, end, _ = found[0]
    assert text[start:end] == "5/29/2007"


_FORMATS = [
    lambda d: d.strftime("%B %d, %Y"),
    lambda d: f"{d.strftime('%b')} {d.day}, {d.year}",
    lambda d: d.strftime("%m/%d/%Y"),
    lambda d: f"{d.month}/{d.day}/{d.year} 1:51:17 PM",
    lambda d: d.strftime("%d-%b-%Y"),
    lambda d: d.isoformat(),
    lambda d: d.strftime("%d.%m.%Y"),
    lambda d: d.strftime("%Y%m%d"),
]


@settings(deadline=None, max_examples=300)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.integers(min_value=0, max_value=len(_FORMATS) - 1))
def test_round_trip_month_first_formats(day: dt.date, fmt: int) -> None:
    assert parse_date(f"Date: {_FORMATS[fmt](day)} ") == day.isoformat()


@settings(deadline=None, max_examples=200)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_round_trip_day_first(day: dt.date) -> None:
    assert parse_date(day.strftime("%d/%m/%Y"), day_first=True) == day.isoformat()


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or dt.date.fromisoformat(result)
    document_day_first(text)
