"""Tolerant access to element values: raw bytes decoded here, never through keyword lookup.

Reading raw values ourselves (``Dataset.get_item`` by tag) is both faster than pydicom's
conversion and tolerant of what vendors and exports get wrong: a wrong VR, a stray null byte,
a non-ASCII character in a Latin-1 file. Every function returns None rather than raising for a
value it cannot read.
"""

from __future__ import annotations

import math
import struct

from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from parsers.kit.dates import parse_date
from parsers.kit.numbers import Commas, Number, find_number, read_number
from parsers.kit.text import fold

_BINARY_FORMATS = {"FL": "f", "FD": "d", "US": "H", "SS": "h", "UL": "L", "SL": "l"}


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


def _first_number(raw: str | None) -> tuple[float, Number, str] | None:
    """The first finite number of a value, as read, and the text after it. The DICOM reader's
    number policy: a decimal string may carry an exponent, a European export a decimal comma,
    a hand-typed TEXT value a sign set apart (``- 2.0``)."""
    if not raw:
        return None
    rest = ""
    found = read_number(raw, commas=Commas.DECIMAL, spaced_sign=True, exponent=True)
    if found is None:
        text = fold(raw)
        found = find_number(text, commas=Commas.DECIMAL, spaced_sign=True, exponent=True)
        if found is None:
            return None
        rest = text[found.end:].strip()
    value = found.value
    return (value, found, rest) if math.isfinite(value) else None


def number_and_unit(raw: str | None) -> tuple[float | None, str | None]:
    """The first number in a string and its unit: ``-2.0``, ``−2.0`` (Unicode minus),
    ``1,187`` (decimal comma), ``0.870 g/cm2`` -> (0.87, "g/cm2"). A unit the number reader
    does not know is the text after the number (``kg/m2``). (None, None) when there is no
    finite number."""
    found = _first_number(raw)
    if found is None:
        return None, None
    value, number, rest = found
    return value, number.unit or rest or None


def number(raw: str | None) -> float | None:
    found = _first_number(raw)
    return found[0] if found is not None else None


def iso_date(raw: str | None) -> str | None:
    """An ISO date from DA and DT values and the date spellings of SR concept names
    (``12-Mar-2019``), else None. A numeric date whose day and month could be swapped
    (``03/12/2019``) is not read: DICOM gives no document to decide its order."""
    return parse_date(raw, assume_month_first=False) if raw else None
