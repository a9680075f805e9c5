"""Cell values as printed: numbers with Unicode minus signs, units, thousands separators,
footnote stars, and the dashes that mean "no value"."""

from __future__ import annotations

import re

_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
_UNIT = r"(?:[mµ]?g/cm[²2]|g/cm|[mk]?g|cm[²2]?|in|lbs?|%|years?|yrs?)"
_NUMBER_RE = re.compile(
    rf"^[<>]?([+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\*?(?:{_UNIT})?\*?$",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(rf"^\(?{_UNIT}\)?\*?$", re.IGNORECASE)
_EMPTY_RE = re.compile(r"^(?:[-\u2013\u2014]+|\*|n/?a|--?)$", re.IGNORECASE)


def number(token: str) -> float | None:
    """``-1.0``, ``−2.0``, ``0.891g/cm²``, ``1,656``, ``87%``, ``1.285*`` -> float; else None."""
    match = _NUMBER_RE.match(token.translate(_MINUS))
    if not match:
        return None
    try:
        return float(match.group(1).replace(",", ""))
    except ValueError:
        return None


def first_number(text: str) -> float | None:
    for token in text.split():
        value = number(token)
        if value is not None:
            return value
    return None


_NO_VALUE_WORDS = frozenset({"no", "ref", "ref.", "reference", "data", "n/a", "na", "none"})


def is_empty_mark(token: str) -> bool:
    """``-``, ``–``, ``—``, ``n/a``, the words of ``No reference data``: the cell is printed but
    holds no value."""
    return bool(_EMPTY_RE.match(token.translate(_MINUS))) or token.lower() in _NO_VALUE_WORDS


def is_unit(token: str) -> bool:
    return bool(_UNIT_RE.match(token))


def is_value(token: str) -> bool:
    """A token that may stand in a numeric table cell."""
    return number(token) is not None or is_empty_mark(token) or is_unit(token)
