"""One date reader: dates as printed in DXA reports and DICOM, to ISO ``YYYY-MM-DD``.

Wordings seen (dxa-formats.md §2): ``December 04, 2019``, ``Dec 4, 2019``, ``4 December 2019``,
``12-Mar-2019``, ``12/04/2019`` (month first, US), ``17/06/2008`` (day first: the first number
is above 12), ``5/6/2002 1:51:17 PM``, ``2019-12-04`` (and ``2019-12-04T10:15``), ``04.12.2019``
(dotted: day first), ``20191204`` (DICOM DA, and DT ``20191204101500``). A time after the date
is ignored. Month names are vocabulary (``parsers/vocabulary/dates.json``).

Numeric dates with both parts <= 12 are ambiguous. The order is decided for a whole document by
its evidence (:func:`date_order`): a numeric date of the same style with a part above 12, the
same day printed unambiguously elsewhere (ISO, a month name), and -- in the reader, which knows
the labels -- the printed age at the scan together with the birth date (:func:`order_by_age`).
A reader passes the decision to :func:`parse_date` and adds :data:`DATE_ORDER_ASSUMED` to the
warnings only when nothing decides (:attr:`DateOrder.warnings`). Impossible dates
(``02/30/2020``, month 13 in both orders) give ``None``, never a guess.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import fold, key
from parsers.kit.vocabulary import load

DATE_ORDER_ASSUMED = "DATE_ORDER_ASSUMED"

MIN_YEAR = 1880
MAX_YEAR = 2199

_MONTHS: dict[str, int] = {name: entry["month"] for entry in load("dates")["months"]
                           for name in entry["names"]}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_PLACES = load("dates")
_ORD = r"(?:st|nd|rd|th)?"

# One alternative per family of wordings; every group name is distinct. No nested quantifiers.
_Y2 = r"\d{4}|\d{2}"
_ALTERNATIVES = (
    r"(?P<iso_y>\d{4})(?P<iso_sep>[-/.])(?P<iso_m>\d{1,2})(?P=iso_sep)(?P<iso_d>\d{1,2})"
    r"(?![\d.]\d)",
    # not inside a longer run of numbers (a phone number: 01-23-45-67-89)
    rf"(?<!\d[-/])(?P<num_a>\d{{1,2}})(?P<num_sep>[/\-.])(?P<num_b>\d{{1,2}})(?P=num_sep)"
    rf"(?P<num_y>{_Y2})(?!\d|\.\d|(?P=num_sep)\d)",
    rf"(?P<mdy_m>{_MONTH})\.?[ \t]{{0,3}}(?P<mdy_d>\d{{1,2}}){_ORD},?[ \t]{{0,3}}"
    r"(?P<mdy_y>\d{4})(?!\d)",
    rf"(?P<dmy_d>\d{{1,2}}){_ORD}[ \t\-]{{0,3}}(?:of[ \t]{{1,3}})?(?P<dmy_m>{_MONTH})\.?,?"
    rf"[ \t\-]{{0,3}}(?P<dmy_y>{_Y2})(?!\d)",
    # DICOM DA, or the date of a DT (time digits, fraction and UTC offset after it)
    r"(?P<da_y>(?:18|19|20|21)\d\d)(?P<da_m>0[1-9]|1[0-2])(?P<da_d>0[1-9]|[12]\d|3[01])"
    r"(?:[0-2]\d(?:[0-5]\d){0,2}(?:\.\d{1,6})?(?:[+-]\d{4})?)?(?!\d)",
)
DATE_RE = re.compile(r"(?<![\w.])(?:" + "|".join(_ALTERNATIVES) + ")", re.IGNORECASE)

# Numeric dates whose order is ambiguous in principle (slash or dash, not dotted, not ISO).
_ORDER_RE = re.compile(r"(?<![\w.])(?<!\d[-/])(\d{1,2})([/\-])(\d{1,2})\2(\d{4}|\d{2})"
                       r"(?!\d|\.\d|\2\d)")

_MAX_SCAN = 200_000  # characters of a document looked at when deciding the date order
_MAX_PARSE = 1000  # characters of a text looked at by parse_date


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years: 00..(this year) -> 20xx, else 19xx
        pivot = _dt.date.today().year % 100
        year += 2000 if year <= pivot else 1900
    return year


def _iso(year: int, month: int, day: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric(first: int, second: int, year: int, day_first: bool | None,
             assume_month_first: bool) -> str | None:
    """``a/b/yyyy``: a number above 12 fixes the order; otherwise ``day_first``, else month
    first (or nothing when ``assume_month_first`` is False). A date valid in one order only is
    read in that order."""
    if first > 12 >= second:
        return _iso(year, second, first)
    if second > 12 >= first:
        return _iso(year, first, second)
    if day_first:
        return _iso(year, second, first)
    if day_first is None and not assume_month_first and first != second:
        return None
    return _iso(year, first, second)


def _month(name: str) -> int:
    return _MONTHS[name.lower()]


def _from_match(match: re.Match[str], day_first: bool | None,
                assume_month_first: bool = True) -> str | None:
    g = match.groupdict()
    if g["iso_y"]:
        return _iso(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["num_a"]:
        year = _year(g["num_y"])
        first, second = int(g["num_a"]), int(g["num_b"])
        if g["num_sep"] == ".":  # dotted dates are day first (European)
            return _iso(year, second, first)
        return _numeric(first, second, year, day_first, assume_month_first)
    if g["mdy_m"]:
        return _iso(int(g["mdy_y"]), _month(g["mdy_m"]), int(g["mdy_d"]))
    if g["dmy_m"]:
        return _iso(_year(g["dmy_y"]), _month(g["dmy_m"]), int(g["dmy_d"]))
    return _iso(int(g["da_y"]), int(g["da_m"]), int(g["da_d"]))


def parse_date(text: str, *, day_first: bool | None = None,
               assume_month_first: bool = True) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, or ``None`` when there is none or it
    is impossible. ``day_first`` decides ``a/b/yyyy`` when both numbers are <= 12; when it is
    None, such a date is read month first, or not at all with ``assume_month_first=False``
    (a DICOM value: a guess there would be an invented date)."""
    if len(text) == 8 and text.isdigit():  # DICOM DA, the most frequent value by far
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = DATE_RE.search(fold(text[:_MAX_PARSE]))
    return _from_match(match, day_first, assume_month_first) if match else None


def find_dates(text: str, *, day_first: bool | None = None) -> Iterator[tuple[int, int, str]]:
    """Every valid date in ``text`` as ``(start, end, iso)``, in order (``text`` is searched as
    it is: fold it first if it may hold look-alikes)."""
    for match in DATE_RE.finditer(text):
        iso = _from_match(match, day_first)
        if iso:
            yield match.start(), match.end(), iso


# --- a scan's own date after its scan type -------------------------------------------------

SCAN_TYPE = r"(?:AP Spine|Lumbar Spine|Spine|Hip|Femur|Forearm|Whole Body|Total Body)"
NUMERIC_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}\b"
# a scan's block header, its type (with a region or levels after a dash or space) and its date:
# "AP Spine on: 5/6/2002 1:51:17 PM", "Left Hip - Neck on: 02/15/2025", "AP Spine L1-L4 on:
# 11/22/2019" (Norland); the colon may be left out ("Right Hip on 2/4/2008 8:51:46 AM"), then a
# numeric date must follow at once ("hip on the left" is prose)
SCAN_ON_RE = re.compile(rf"\b{SCAN_TYPE}(?: {{0,2}}- {{0,2}}[A-Za-z]+"
                        rf"| {{1,2}}L[1-5] {{0,2}}- {{0,2}}L[1-5])?"
                        rf"\s+on(?::\s*|\s+(?={NUMERIC_DATE}))(.{{6,30}})", re.IGNORECASE)


# --- the date order of a document -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DateOrder:
    """The order of a document's numeric dates: ``day_first`` True or False when evidence
    decides, None when nothing does (then month first is read); ``ambiguous``: the document
    has a numeric date whose reading depends on it."""

    day_first: bool | None
    ambiguous: bool

    @property
    def warnings(self) -> list[str]:
        """``[DATE_ORDER_ASSUMED]`` when an ambiguous date was read without evidence."""
        return [DATE_ORDER_ASSUMED] if self.day_first is None and self.ambiguous else []


def _votes(text: str) -> tuple[dict[str, set[bool]], set[str], list[tuple[int, int, int]]]:
    """Per separator style, the orders its decisive dates vote for; the styles that have an
    ambiguous date; and the ambiguous dates as (first, second, year)."""
    votes: dict[str, set[bool]] = {}
    ambiguous_styles: set[str] = set()
    ambiguous: list[tuple[int, int, int]] = []
    for match in _ORDER_RE.finditer(text):
        first, second, style = int(match.group(1)), int(match.group(3)), match.group(2)
        if 12 < first <= 31 and second <= 12:
            votes.setdefault(style, set()).add(True)
        elif 12 < second <= 31 and first <= 12:
            votes.setdefault(style, set()).add(False)
        elif first <= 12 and second <= 12 and first != second:
            ambiguous_styles.add(style)
            ambiguous.append((first, second, _year(match.group(4))))
    return votes, ambiguous_styles, ambiguous


def _unambiguous_days(text: str) -> set[tuple[int, int, int]]:
    """(year, month, day) of every date printed without an order question (ISO, DICOM, a
    month name, dotted)."""
    days = set()
    for match in DATE_RE.finditer(text):
        if match.group("num_a") and match.group("num_sep") != ".":
            continue
        iso = _from_match(match, None)
        if iso:
            days.add((int(iso[:4]), int(iso[5:7]), int(iso[8:10])))
    return days


def date_order(text: str, known: Iterable[str] = ()) -> DateOrder:
    """The date order of a document from its own dates.

    Evidence, strongest first: numeric dates of the style of the ambiguous ones (``/`` or
    ``-``) with a part above 12 (``17/06/2008`` day first, ``5/29/2007`` month first), then
    those of any style; then an ambiguous date that is also printed unambiguously
    (``12/04/2019`` beside ``December 04, 2019`` is month first), or is one of the ISO days
    ``known`` from the document's coded data (a FHIR report's birth and effective dates).
    Evidence that contradicts itself decides nothing. Dotted dates (``04.12.2019``) are always
    day first and do not vote.
    """
    text = fold(text[:_MAX_SCAN])
    votes, styles, ambiguous = _votes(text)
    relevant: set[bool] = set().union(*(votes.get(style, set()) for style in styles))
    decided = relevant or set().union(*votes.values())
    if not decided and ambiguous:
        days = _unambiguous_days(text) | {(int(d[:4]), int(d[5:7]), int(d[8:10])) for d in known}
        decided = {True for a, b, y in ambiguous if (y, b, a) in days and (y, a, b) not in days}
        decided |= {False for a, b, y in ambiguous if (y, a, b) in days and (y, b, a) not in days}
    return DateOrder(next(iter(decided)) if len(decided) == 1 else None, bool(ambiguous))


# a postcode that places a document: an Australian state's ("Box Hill VIC 3128"), a British one
# ("LS1 3EX"), a US state's ZIP code ("Rochester, MN 55905")
_DAY_FIRST_POSTCODE_RE = re.compile(
    r"\b(?:(?:VIC|NSW|QLD|TAS|ACT|SA|WA|NT)\s+\d{4}|[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2})\b"
    r"|\b(?:QLD|NSW)\b")
_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV"
              "|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC")
_MONTH_FIRST_POSTCODE_RE = re.compile(rf"\b(?:{_US_STATES}),?\s+\d{{5}}(?:-\d{{4}})?\b")


def locale_day_first(text: str) -> bool | None:
    """The date order of the country a document comes from (dates.json ``day_first_places``,
    ``month_first_places``, and postcodes): the weakest evidence, read only where the
    document's own dates and its printed age leave the order open; a document with marks of
    both kinds, or none, is left undecided (then month first, with ``DATE_ORDER_ASSUMED``)."""
    text = text[:_MAX_SCAN]
    keyed = key(text)
    day = bool(phrase_matcher(_PLACES["day_first_places"]).search(keyed)
               or _DAY_FIRST_POSTCODE_RE.search(text))
    month = bool(phrase_matcher(_PLACES["month_first_places"]).search(keyed)
                 or _MONTH_FIRST_POSTCODE_RE.search(text))
    return day if day != month else None


def document_day_first(text: str) -> bool | None:
    """``date_order(text).day_first``: True day first, False month first, None undecided."""
    return date_order(text).day_first


def has_ambiguous_dates(text: str) -> bool:
    """True when the document has a slash/dash numeric date with both parts <= 12 (and not
    equal), i.e. one whose reading depends on the document's date order."""
    return date_order(text).ambiguous


# --- the printed age as evidence -------------------------------------------------------------

AGE_TOLERANCE_YEARS = 0.15  # an age printed with decimals, against the one the dates give


def age_at(birth: str | None, day: str | None) -> float | None:
    """Years from an ISO birth date to an ISO day, or None when either is missing."""
    if not birth or not day:
        return None
    return (_dt.date.fromisoformat(day) - _dt.date.fromisoformat(birth)).days / 365.25


def age_fits(printed: float, birth: str | None, scan: str | None) -> bool:
    """Whether the printed age agrees with the birth and scan dates: a whole-number age is
    the completed years, an age with decimals is within AGE_TOLERANCE_YEARS."""
    age = age_at(birth, scan)
    if age is None:
        return False
    if float(printed).is_integer():
        return printed - 0.01 <= age < printed + 1.01
    return abs(age - printed) <= AGE_TOLERANCE_YEARS


def order_by_age(printed: float | None,
                 read: Callable[[bool], tuple[str | None, str | None]]) -> bool | None:
    """The date order that makes the printed age true: ``read(day_first)`` gives the
    document's (birth date, scan date) read in that order. True or False when exactly one
    order fits, else None."""
    if printed is None:
        return None
    fits = {order: age_fits(printed, *read(order)) for order in (True, False)}
    if fits[True] != fits[False]:
        return fits[True]
    return None
