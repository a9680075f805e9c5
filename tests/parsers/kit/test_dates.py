"""parsers.kit.dates: every date wording of dxa-formats.md §2, the document date order, rejects."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit.dates import (
    age_fits,
    date_order,
    document_day_first,
    find_dates,
    has_ambiguous_dates,
    order_by_age,
    parse_date,
)


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


# --- the reading kit's additions: DICOM values, look-alikes, the evidence for the order ---------

@pytest.mark.parametrize(("text", "expected"), [
    ("2019-12-04T10:15:00", "2019-12-04"),
    ("2019-12-04T10:15:00+01:00", "2019-12-04"),
    ("20191204101530", "2019-12-04"),  # DICOM DT
    ("20191204101530.123456+0100", "2019-12-04"),
    ("201912041015", "2019-12-04"),
    ("December\u00a004,\u00a02019", "2019-12-04"),  # no-break spaces
    ("04\u2013Dec\u20132019", "2019-12-04"),  # en dashes
    ("4 March 2021", "2021-03-04"),
    ("Sep. 30, 2024", "2024-09-30"),
    ("30 Sept 2024", "2024-09-30"),
])
def test_more_wordings(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "ID: A1204190D",  # a Hologic scan id
    "Radius 1/3",  # a forearm region
    "1/3 radius 0.701",
    "Tel. 01-23-45-67-89",  # a phone number
    "Phone 555-123-4567",
    "(555) 010-2030",
    "L1-L4 12.5",
    "0.891 g/cm2",
])
def test_look_alikes_that_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_a_dicom_value_is_never_read_in_an_assumed_order() -> None:
    assert parse_date("03/12/2019", assume_month_first=False) is None
    assert parse_date("03/12/2019", assume_month_first=False, day_first=True) == "2019-12-03"
    assert parse_date("17/06/2008", assume_month_first=False) == "2008-06-17"
    assert parse_date("05/05/2019", assume_month_first=False) == "2019-05-05"
    assert parse_date("20240314", assume_month_first=False) == "2024-03-14"


@pytest.mark.parametrize(("text", "day_first", "warned"), [
    # a day above 12 anywhere decides
    ("Scan 05/06/2025\nDOB 17/03/1950", True, False),
    ("Scan 05/06/2025\nDOB 3/17/1950", False, False),
    # nothing decides: month first is read, with the warning
    ("Scan 05/06/2025\nDOB 03/04/1950", None, True),
    # no ambiguous date: nothing to warn about
    ("Scan 17/06/2025", True, False),
    ("Scan December 04, 2019", None, False),
    # the style of the ambiguous dates decides before the other styles
    ("Scan 05-06-2025, DOB 17-03-1950, printed 5/29/2007", True, False),
    ("Scan 05/06/2025, DOB 3/17/1950, printed 17-03-2007", False, False),
    # contradicting evidence decides nothing
    ("05/06/2025 and 17/03/1950 and 3/17/1950", None, True),
    # the same day printed without an order question
    ("Exam date: December 04, 2019\nMeasured 04/12/2019", True, False),
    ("Exam date: 2019-12-04\nMeasured 12/04/2019", False, False),
    # dotted dates are day first and decide nothing for slashes
    ("Scan 04.12.2019, prior 05/06/2018", None, True),
    # a phone number is not evidence
    ("Tel 01-23-45-67-89\nScan 05/06/2025", None, True),
])
def test_date_order_evidence(text: str, day_first: bool | None, warned: bool) -> None:
    order = date_order(text)
    assert order.day_first is day_first
    assert order.warnings == (["DATE_ORDER_ASSUMED"] if warned else [])


def test_the_printed_age_decides_the_order() -> None:
    texts = {"birth": "04/09/1960", "scan": "03/10/2024"}

    def read(day_first: bool) -> tuple[str | None, str | None]:
        return (parse_date(texts["birth"], day_first=day_first),
                parse_date(texts["scan"], day_first=day_first))

    # day first: 1960-09-04 -> 2024-10-03 is 64.08 years; month first: 1960-04-09 ->
    # 2024-03-10 is 63.92 years
    assert order_by_age(64.1, read) is True
    assert order_by_age(63.9, read) is False
    assert order_by_age(64, read) is True  # completed years: 64 fits 64.08 only
    assert order_by_age(63, read) is False
    assert order_by_age(50, read) is None  # fits neither
    assert order_by_age(None, read) is None


def test_an_age_that_fits_both_orders_decides_nothing() -> None:
    def read(day_first: bool) -> tuple[str | None, str | None]:
        return (parse_date("01/02/1960", day_first=day_first),
                parse_date("01/03/2024", day_first=day_first))

    assert order_by_age(64, read) is None


def test_age_fits() -> None:
    assert age_fits(60.4, "1960-01-01", "2020-05-27")
    assert not age_fits(60.4, "1960-01-01", "2020-09-01")
    assert age_fits(60, "1960-01-01", "2020-12-30")
    assert not age_fits(60, "1960-01-01", "2019-11-30")
    assert not age_fits(60, None, "2020-01-01")
