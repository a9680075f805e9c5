"""Tolerant access to element values: raw bytes decoded here, never through keyword lookup.

Reading raw values ourselves (``Dataset.get_item`` by tag) is both faster than pydicom's
conversion and tolerant of what vendors and exports get wrong: a wrong VR, a stray null byte,
a non-ASCII character in a Latin-1 file. Every function returns None rather than raising for a
value it cannot read.
"""

from __future__ import annotations

import re
import struct
from datetime import date

from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

_BINARY_FORMATS = {"FL": "f", "FD": "d", "US": "H", "SS": "h", "UL": "L", "SL": "l"}
_NUMBER_RE = re.compile(r"(?:[-+]\s?)?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?")
_MINUSES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                          "\ufe63": "-", "\uff0d": "-"})


def decode(vr: str | None, value: object, little_endian: bool = True) -> str | None:
    """A raw or converted element value as stripped text (multiple values joined by ``\\``)."""
    if type(value) is bytes:  # the common case first: an unconverted value
        fmt = _BINARY_FORMATS.get(vr) if vr else None
        if fmt and len(value) >= struct.calcsize(fmt):
            return str(struct.unpack_from(("<" if little_endian else ">") + fmt, value)[0])
        try:
            decoded = value.decode("utf-8")
        except UnicodeDecodeError:
            decoded = value.decode("latin-1")
    elif value is None or isinstance(value, Sequence):
        return None
    elif isinstance(value, list | tuple) or type(value).__name__ == "MultiValue":
        decoded = "\\".join(str(v) for v in value)  # type: ignore[attr-defined]
    else:
        decoded = str(value)
    return decoded.strip(" \x00\t\r\n") or None


class Malformed(Exception):
    """pydicom could not make sense of an element: the file is damaged, not the reader."""


def element(ds: Dataset, tag: int) -> DataElement | RawDataElement | None:
    """The element at ``tag`` (raw when pydicom has not converted it), or None.

    Raises:
        Malformed: pydicom failed on the element's bytes (unknown VR, bad length, …).
    """
    try:
        return ds.get_item(tag, keep_deferred=True)
    except Exception as exc:  # pydicom raises many types on damaged bytes; all mean "damaged"
        raise Malformed(f"unreadable element ({type(exc).__name__})") from exc


def text(ds: Dataset, tag: int) -> str | None:
    """The element's value as text, or None when absent or unreadable."""
    try:
        elem = element(ds, tag)
    except Malformed:
        return None
    if elem is None:
        return None
    return decode(elem.VR, elem.value, getattr(elem, "is_little_endian", True) is not False)


def number_and_unit(raw: str | None) -> tuple[float | None, str | None]:
    """The first number in a string and the text after it: ``-2.0``, ``−2.0`` (Unicode
    minus), ``1,187`` (decimal comma), ``0.870 g/cm2`` -> (0.87, "g/cm2"). (None, None) when
    there is no finite number."""
    if not raw:
        return None, None
    text = raw.translate(_MINUSES)
    match = _NUMBER_RE.search(text)
    if not match:
        return None, None
    try:
        value = float(match.group(0).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None, None
    if value != value or abs(value) == float("inf"):
        return None, None
    return value, text[match.end():].strip() or None


def number(raw: str | None) -> float | None:
    return number_and_unit(raw)[0]


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})"), "ymd"),          # 20240314, 2024-03-14
    (re.compile(r"^(\d{4})[./](\d{2})[./](\d{2})$"), "ymd"),      # ACR-NEMA 2024.03.14
    (re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ,]+(\d{4})$"), "dby"),  # 12-Mar-2019
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "dmy"),      # 12.03.2019
)


def iso_date(raw: str | None) -> str | None:
    """An ISO date from DA values and the date spellings of SR concept names, else None.
    Slash dates (``03/12/2019``) are ambiguous between locales and are not read."""
    if not raw:
        return None
    raw = raw.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(raw)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                return date(int(a), int(b), int(c)).isoformat()
            if order == "dmy":
                return date(int(c), int(b), int(a)).isoformat()
            month = _MONTHS.get(b.lower())
            return date(int(c), month, int(a)).isoformat() if month else None
        except ValueError:
            return None
    return None
