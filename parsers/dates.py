"""Dates as printed in DXA reports, to ISO ``YYYY-MM-DD``.

Wordings seen (dxa-formats.md §2): ``December 04, 2019``, ``Dec 4, 2019``, ``4 December 2019``,
``12-Mar-2019``, ``12/04/2019`` (month first, US), ``17/06/2008`` (day first: the first number
is above 12), ``5/6/2002 1:51:17 PM``, ``2019-12-04``, ``04.12.2019`` (dotted: day first),
``20191204`` (DICOM DA). A time after the date is ignored.

Numeric dates with both parts <= 12 are ambiguous. :func:`document_day_first` decides the order
for a whole document from all its numeric dates; a reader passes the answer to
:func:`parse_date` and adds :data:`DATE_ORDER_ASSUMED` to the warnings when it is ``None``.
Impossible dates (``02/30/2020``, month 13 in both orders) give ``None``, never a guess.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

DATE_ORDER_ASSUMED = "DATE_ORDER_ASSUMED"

MIN_YEAR = 1880
MAX_YEAR = 2199

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_ORD = r"(?:st|nd|rd|th)?"

# One alternative per family of wordings; every group name is distinct. No nested quantifiers.
_Y2 = r"\d{4}|\d{2}"
_ALTERNATIVES = (
    r"(?P<iso_y>\d{4})(?P<iso_sep>[-/.])(?P<iso_m>\d{1,2})(?P=iso_sep)(?P<iso_d>\d{1,2})"
    r"(?![\d.]\d)",
    rf"(?P<num_a>\d{{1,2}})(?P<num_sep>[/\-.])(?P<num_b>\d{{1,2}})(?P=num_sep)(?P<num_y>{_Y2})"
    r"(?![\d]|\.\d)",
    rf"(?P<mdy_m>{_MONTH})\.?[ \t]{{0,3}}(?P<mdy_d>\d{{1,2}}){_ORD},?[ \t]{{0,3}}"
    r"(?P<mdy_y>\d{4})(?!\d)",
    rf"(?P<dmy_d>\d{{1,2}}){_ORD}[ \t\-]{{0,3}}(?:of[ \t]{{1,3}})?(?P<dmy_m>{_MONTH})\.?,?"
    rf"[ \t\-]{{0,3}}(?P<dmy_y>{_Y2})(?!\d)",
    r"(?P<da_y>(?:18|19|20|21)\d\d)(?P<da_m>0[1-9]|1[0-2])(?P<da_d>0[1-9]|[12]\d|3[01])(?!\d)",
)
# One alternative per family of wordings; every group name is distinct. No nested quantifiers.
DATE_RE = re.compile(r"(?<![\w.])(?:" + "|".join(_ALTERNATIVES) + ")", re.IGNORECASE)

# Numeric dates whose order is ambiguous in principle (slash or dash, not dotted, not ISO).
_ORDER_RE = re.compile(r"(?<![\w.])(\d{1,2})([/\-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d]|\.\d)")

_MAX_SCAN = 200_000  # characters of a document looked at when deciding the date order


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


def _numeric(first: int, second: int, year: int, day_first: bool | None) -> str | None:
    """``a/b/yyyy``: a number above 12 fixes the order; otherwise ``day_first`` (default
    month first). A date valid in one order only is read in that order."""
    if first > 12 >= second:
        return _iso(year, second, first)
    if second > 12 >= first:
        return _iso(year, first, second)
    if day_first:
        return _iso(year, second, first)
    return _iso(year, first, second)


def _from_match(match: re.Match[str], day_first: bool | None) -> str | None:
    g = match.groupdict()
    if g["iso_y"]:
        return _iso(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["num_a"]:
        year = _year(g["num_y"])
        first, second = int(g["num_a"]), int(g["num_b"])
        if g["num_sep"] == ".":  # dotted dates are day first (European)
            return _iso(year, second, first)
        return _numeric(first, second, year, day_first)
    if g["mdy_m"]:
        return _iso(int(g["mdy_y"]), _MONTHS[g["mdy_m"][:3].lower()], int(g["mdy_d"]))
    if g["dmy_m"]:
        return _iso(_year(g["dmy_y"]), _MONTHS[g["dmy_m"][:3].lower()], int(g["dmy_d"]))
    return _iso(int(g["da_y"]), int(g["da_m"]), int(g["da_d"]))


def parse_date(text: str, *, day_first: bool | None = None) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, or ``None`` when there is none or it
    is impossible. ``day_first`` decides ``a/b/yyyy`` when both numbers are <= 12 (``None`` or
    ``False``: month first)."""
    match = DATE_RE.search(text[:1000])
    return _from_match(match, day_first) if match else None


def find_dates(text: str, *, day_first: bool | None = None) -> Iterator[tuple[int, int, str]]:
    """Every valid date in ``text`` as ``(start, end, iso)``, in order."""
    for match in DATE_RE.finditer(text):
        iso = _from_match(match, day_first)
        if iso:
            yield match.start(), match.end(), iso


def document_day_first(text: str) -> bool | None:
    """The date order of a document from all its slash/dash numeric dates: ``True`` when one
    has a first part above 12 (``17/06/2008``), ``False`` when one has a second part above 12
    (``5/29/2007``), ``None`` when none decides (or they contradict each other)."""
    day_first = month_first = False
    for match in _ORDER_RE.finditer(text[:_MAX_SCAN]):
        first, second = int(match.group(1)), int(match.group(3))
        day_first = day_first or (12 < first <= 31 and second <= 12)
        month_first = month_first or (12 < second <= 31 and first <= 12)
    if day_first == month_first:
        return None
    return day_first


def has_ambiguous_dates(text: str) -> bool:
    """True when the document has a slash/dash numeric date with both parts <= 12, i.e. one
    whose reading depends on :func:`document_day_first`."""
    return any(int(m.group(1)) <= 12 and int(m.group(3)) <= 12 and m.group(1) != m.group(3)
               for m in _ORDER_RE.finditer(text[:_MAX_SCAN]))
