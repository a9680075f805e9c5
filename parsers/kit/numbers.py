"""One number reader: values as reports print them, with their sign, unit and precision.

Text is folded first (:func:`parsers.kit.text.fold`), so every minus look-alike (U+2212, the
dashes, a PDF font's soft hyphen) is a ``-``. What stays a decision of the caller:

* ``commas`` -- what a comma inside a number means (:class:`Commas`): a thousands separator
  in a printout's BMC column (``1,656``), a decimal point in a European value (``1,187``), or
  nothing (a list: ``0.8,0.9``). There is no default: each call site says which.
* ``spaced_sign`` -- whether ``- 1.2`` is minus 1.2. Dictation writes it; a sentence
  ``Lumbar spine - 0.033 g/cm2`` uses the same dash as a separator.
* ``units`` -- which units the caller accepts (:data:`SCORE`, :data:`PERCENT`, ...): ``2.5%``
  is not a T-score.

A printed empty mark (``-``, ``—``, ``--``, ``n/a``, ``*``, blank) is "no value", never a
number (:func:`is_empty_mark`). A number keeps the decimals it was printed with
(:attr:`Number.decimals`, :attr:`Number.decimal`) for print-rounding comparisons.

In running text (:func:`find_number`, :func:`find_numbers`) a number stands on its own: not
glued to a letter (``L1``, ``A1204190D``, ``4th``), not part of a range, fraction, date or
time (``L1-4``, ``1/3``, ``12/04/2019``, ``04.12.2019``, ``1:51``), so ``L1-L4`` is never
minus four.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from parsers.kit.text import fold, key
from parsers.kit.vocabulary import load


class Commas(enum.Enum):
    """What a comma inside a number means, decided by the caller."""

    __hash__ = object.__hash__  # members are looked up per value read: hash them in C

    THOUSANDS = "thousands"  # 1,656 -> 1656; "1,5" is not a number
    DECIMAL = "decimal"  # 1,187 -> 1.187 (a point is a decimal point too)
    NONE = "none"  # a comma ends a number: "0.8,0.9" is two numbers


# Unit spellings -> the unit's key. Alternatives are tried in order (longer spellings first).
_UNITS: tuple[tuple[str, str], ...] = (
    ("mg/cm2", r"mg {0,2}/ {0,2}cm(?:2|\^2)"),
    ("g/cm2", r"(?:g|gm|gms|grams?) {0,2}(?:/|per) {0,2}"
              r"(?:cm(?:2|\^2)?|sq[ .-]{0,2}cm|square centimet[a-z]{0,3})"),
    ("%", r"%|percent"),
    ("cm2", r"cm(?:2|\^2)|sq[ .-]{0,2}cm"),
    ("kg", r"kg|kilograms?"),
    ("mg", r"mg"),
    ("g", r"g|grams?"),
    ("cm", r"cm"),
    ("m", r"m"),
    ("in", r"inch(?:es)?|\"|in"),
    ("lb", r"lbs?|pounds?"),
    ("years", r"years?|yrs?"),
    ("sd", r"sd|s\.d\."),
)
def unit_pattern(unit: str) -> str:
    """The spellings of a unit (``"g/cm2"``: ``g/cm2``, ``gm/cm2``, ``grams per square
    centimetre`` ...) as a regular expression, for callers that read a unit beside a label."""
    return dict(_UNITS)[unit]


# After a number a spaced "in" is the word ("-1.2 in the hip"); inches are "65in", "65 inches".
_AFTER_A_NUMBER = {"in": r"inch(?:es)?|\"|(?<=\d)in"}
_UNIT_PATTERN = "|".join(f"(?:{_AFTER_A_NUMBER.get(unit, pattern)})" for unit, pattern in _UNITS)
_UNIT_KEYS = [(unit, re.compile(rf"(?:{pattern})\Z", re.IGNORECASE)) for unit, pattern in _UNITS]
_ALPHA_UNIT_END = r"(?![A-Za-z0-9/^])"  # "kg" of "kg/m2" is not a unit

# What callers accept (None: no unit printed).
ANY = None
SCORE = frozenset({None, "sd"})
PERCENT = frozenset({"%"})
DENSITY = frozenset({None, "g/cm2", "mg/cm2"})
PLAIN = frozenset({None})

_EMPTY_RE = re.compile(r"-{0,3}|\*{1,3}")
_EMPTY_WORDS = frozenset(load("values")["empty_words"])


def is_empty_mark(text: str | None) -> bool:
    """``-``, ``—``, ``--``, ``*``, blank, ``n/a``, ``none``: a printed cell that holds no
    value (the words are vocabulary: ``values.json``)."""
    if text is None:
        return True
    folded = fold(text).strip()
    return _EMPTY_RE.fullmatch(folded) is not None or key(folded).strip() in _EMPTY_WORDS


class Number(NamedTuple):
    """A number as printed: ``text`` is its digits with the sign folded to ``-``, thousands
    separators dropped and a decimal comma written as a point (``-0.891``). (A named tuple:
    readers make one per value of a report, so it is built cheaply.)"""

    text: str
    unit: str | None = None
    comparator: str | None = None  # "<" or ">" printed before it
    start: int = 0  # span in the text searched (the folded text)
    end: int = 0

    @property
    def value(self) -> float:
        return float(self.text)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.text)

    @property
    def decimals(self) -> int:
        """Digits printed after the decimal point (``-1.20`` -> 2)."""
        mantissa = self.text.lower().partition("e")[0]
        return len(mantissa.partition(".")[2])


@lru_cache(maxsize=1024)
def unit_key(text: str) -> str | None:
    """The key of a unit as printed (``g/cm²`` -> ``g/cm2``, ``percent`` -> ``%``)."""
    folded = " ".join(fold(text).strip().strip("()[]").split())
    return next((unit for unit, pattern in _UNIT_KEYS if pattern.match(folded)), None)


@lru_cache(maxsize=32)
def _pattern(commas: Commas, spaced_sign: bool, exponent: bool) -> re.Pattern[str]:
    digits = {Commas.THOUSANDS: r"\d{1,3}(?:,\d{3})+(?!\d)|\d+",
              Commas.DECIMAL: r"\d+", Commas.NONE: r"\d+"}[commas]
    point = "[.,]" if commas is Commas.DECIMAL else r"\."
    sign = r"[-+](?: (?=[\d.]))?" if spaced_sign else r"[-+]"
    return re.compile(
        rf"(?:(?P<cmp>[<>]=?) {{0,2}})?(?P<sign>{sign})?"
        rf"(?P<digits>(?:{digits})(?:{point}\d+)?|{point}\d+)"
        + (r"(?P<exp>[eE][-+]?\d{1,3})?" if exponent else "")
        + rf"(?: {{0,2}}\*?(?P<unit>{_UNIT_PATTERN}){_ALPHA_UNIT_END})?"
        + r"(?P<star>\*{1,3})?",
        re.IGNORECASE)


def _number(match: re.Match[str], commas: Commas, units: frozenset[str | None] | None,
            unit_text: str | None) -> Number | None:
    digits = match.group("digits")
    if commas is Commas.THOUSANDS:
        digits = digits.replace(",", "")
    elif commas is Commas.DECIMAL:
        digits = digits.replace(",", ".")
    if digits.startswith("."):
        digits = "0" + digits
    sign = "-" if match.group("sign") and match.group("sign")[0] == "-" else ""
    exponent = match.groupdict().get("exp") or ""
    unit = unit_key(unit_text) if unit_text else None
    if units is not None and unit not in units:
        return None
    return Number(text=f"{sign}{digits}{exponent}", unit=unit, comparator=match.group("cmp"),
                  start=match.start(), end=match.end())


_PLAIN_RE = re.compile(r"(-?)\+?(\d+(?:\.\d+)?|\.\d+)")


def read_number(text: str | None, *, commas: Commas, spaced_sign: bool = False,
                units: frozenset[str | None] | None = ANY, exponent: bool = False
                ) -> Number | None:
    """The whole of ``text`` (a table cell, a token, an item value) as one number, with a
    unit and footnote stars if printed (``0.891 g/cm²``, ``−1.0``, ``1.285*``, ``87%``); None
    for an empty mark, for text that holds anything else, or for a unit not in ``units``."""
    if not text:
        return None
    folded = (text if text.isascii() else fold(text)).strip()
    plain = _PLAIN_RE.fullmatch(folded)  # the common case: a plain decimal, no unit
    if plain is not None and (units is None or None in units):
        digits = plain.group(2)
        return Number(text=plain.group(1) + ("0" + digits if digits[0] == "." else digits),
                      end=len(folded))
    match = _pattern(commas, spaced_sign, exponent).fullmatch(folded)
    if match is None:
        return None
    return _number(match, commas, units, match.group("unit"))


# In running text: no letter, digit, point or comma right before a number, no sign right
# after a letter or digit (``Z-1.0`` is ambiguous, ``L1-4`` a range), and no range, fraction,
# date or time around it (``1/3``, ``12/04``, ``1:51``, ``04.12.2019``).
_AFTER_BAD = {commas: re.compile(r"[A-Za-z0-9_]|[-/:.]\d" + ("" if commas is Commas.NONE
                                                             else r"|,\d"))
              for commas in Commas}


def _stands_alone(text: str, start: int, end: int, commas: Commas) -> bool:
    previous = text[start - 1] if start else " "
    if previous.isalnum() or previous in "_." or (previous == "," and commas is not Commas.NONE):
        return False
    if previous in "-+/:" and start >= 2 and text[start - 2].isalnum():
        return False
    return _AFTER_BAD[commas].match(text, end) is None


def find_numbers(text: str, *, commas: Commas, spaced_sign: bool = False,
                 units: frozenset[str | None] | None = ANY, exponent: bool = False
                 ) -> Iterator[Number]:
    """Every number that stands on its own in ``text`` (spans are in ``fold(text)``)."""
    folded = fold(text)
    pattern = _pattern(commas, spaced_sign, exponent)
    position = 0
    while (match := pattern.search(folded, position)) is not None:
        position = max(match.end(), match.start() + 1)
        start = match.start("sign") if match.group("sign") else match.start("digits")
        if match.group("cmp"):
            start = match.start()
        if not _stands_alone(folded, start, match.end(), commas):
            if match.group("sign"):
                position = match.start("digits")  # the digits alone are tried (and refused)
            continue
        number = _number(match, commas, units, match.group("unit"))
        if number is not None:
            yield number


def find_number(text: str, *, commas: Commas, spaced_sign: bool = False,
                units: frozenset[str | None] | None = ANY, exponent: bool = False
                ) -> Number | None:
    """The first number that stands on its own in ``text`` (see :func:`find_numbers`)."""
    return next(find_numbers(text, commas=commas, spaced_sign=spaced_sign, units=units,
                             exponent=exponent), None)
