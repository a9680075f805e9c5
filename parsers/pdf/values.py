"""Printout cell values, read with the reading kit under the printout's policy: a comma in a
number is a thousands separator (``BMC 1,656``), a sign is attached to its number, and the
words of a sentence printed across value columns (GE's ``No reference data``) are empty cells."""

from __future__ import annotations

from parsers.kit.numbers import Commas, Number, find_number, read_number, unit_key
from parsers.kit.numbers import is_empty_mark as _is_empty_mark
from parsers.kit.text import key
from parsers.kit.vocabulary import load

_NO_VALUE_WORDS = frozenset(load("values")["printout_no_value_words"])


def read_value(token: str) -> Number | None:
    """A token as a number (``-1.0``, ``0.891g/cm²``, ``1,656``) with the digits printed after
    its point (``Number.decimals``: 0.620 has 3, a precision a float cannot keep, which the
    visit merge compares at, VIS-2)."""
    return read_number(token, commas=Commas.THOUSANDS)


def number(token: str) -> float | None:
    """``-1.0``, ``−2.0``, ``0.891g/cm²``, ``1,656``, ``87%``, ``1.285*`` -> float; else None."""
    found = read_number(token, commas=Commas.THOUSANDS)
    return found.value if found is not None else None


def first_number(text: str) -> float | None:
    found = find_number(text, commas=Commas.THOUSANDS)
    return found.value if found is not None else None


def is_empty_mark(token: str) -> bool:
    """``-``, ``–``, ``—``, ``n/a``, the words of ``No reference data``: the cell is printed but
    holds no value."""
    return _is_empty_mark(token) or key(token).strip() in _NO_VALUE_WORDS


def is_unit(token: str) -> bool:
    return unit_key(token) is not None
