"""Numbers as a free-text report writes them: labelled values (``T-score= -1.9``,
``BMD 0.618 g/cm2``, ``0.618 g/cm2``) with the g/cm² unit in its spellings, table cells, and
the ranges a value must fall in to be read as a measurement, a prior or a change. Every
regular expression is bounded (no nested unbounded quantifiers)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parsers.kit.numbers import Commas, read_number, unit_pattern

# never the 1 of "L1", nor the -2 of a decimal comma's "-2,7" (not read: no value, no wrong one)
_NUM = r"([-+]?(?<![A-Za-z])\d{1,2}(?:\.\d{1,3})?)(?![\d%]|[.,]\d)"
# between a score label and its number: words, and spine levels ("T-score at L1-L4 is -2.2")
_FILL = (r"(?P<{}>(?:(?![tzTZ][ -]?[sS]core)(?:[LT]\d{{1,2}}(?: ?- ?[LT]?\d{{1,2}})?(?![\d.])"
         r"|[^\d\n%:=\[\]])){{0,50}}?)(?:[:=] {{0,3}})?(?:\[ {{0,2}})?")  # "T-Score: [-2.7]"
# a bare label's number: "T -1.9", never "T 2"
_DECIMAL = r"([-+]?\d{1,2}\.\d{1,2})(?![\d%]|[.,]\d)"
UNIT = rf"(?:{unit_pattern('g/cm2')})(?![a-z])"
MG_UNIT = rf"(?:{unit_pattern('mg/cm2')})(?![a-z])"
# a bare "T" or "Z" labels a score only when the number follows at once, with a space, a colon
# or an equals sign between ("T -1.9", "T = -2.0", "Z: 0.4"): never "T12", "Z." or a word
_BARE = r" {0,2}[:=]? {0,2}"
VALUE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<t>T[ -]?scores?){_FILL.format('tf')}(?P<tn>{_NUM})"
    rf"|(?<![A-Za-z])(?P<z>Z[ -]?scores?){_FILL.format('zf')}(?P<zn>{_NUM})"
    rf"|(?<![A-Za-z0-9.\-])(?P<bt>T)(?=[ :=]){_BARE}(?P<btn>{_DECIMAL})"
    rf"|(?<![A-Za-z0-9.\-])(?P<bz>Z)(?=[ :=]){_BARE}(?P<bzn>{_DECIMAL})"
    rf"|(?<![\d.])(?P<sn>[-+]?\d{{1,2}}\.\d{{1,2}}) {{0,2}}\((?P<s>[TZ])(?:[ -]?scores?)?\)"
    r"|(?<![A-Za-z])(?P<b>BMD(?: values?)?|bone mineral density|bone density)"
    rf"(?: {{0,2}}\({UNIT}\) {{0,12}})?"  # a key-value line: "BMD (g/cm2)      0.810"
    r"( {0,3}(?:[:=]|is|of|was|measures|measured at)? {0,3})(?P<bn>\d\.\d{2,4})(?!\d|\.\d)"
    rf"(?: {{0,2}}{UNIT})?"
    rf"|(?<![\d.,])(?P<u>\d?\.\d{{2,4}}) {{0,2}}{UNIT}"  # ".912 g/cm2" too
    rf"|(?<![\d.])(?P<mg>\d{{3,4}}(?:\.\d{{1,2}})?) {{0,2}}{MG_UNIT}",
    re.IGNORECASE,
)

@dataclass
class Value:
    """One labelled number of a sentence, with where it stands."""

    field: str  # t_score | z_score | bmd_g_cm2
    number: float
    start: int
    end: int
    inner: str  # text between the label and the number (may name the site)


def values_in(sentence: str) -> list[Value]:
    """Every T-score, Z-score and BMD the sentence writes with its label or unit."""
    out: list[Value] = []
    for m in VALUE_RE.finditer(sentence):
        if m.group("t") or m.group("z"):
            name = "t" if m.group("t") else "z"
            out.append(Value(f"{name}_score", float(m.group(f"{name}n")), m.start(), m.end(),
                             m.group(f"{name}f")))
        elif m.group("bt") or m.group("bz"):
            name = "t" if m.group("bt") else "z"
            out.append(Value(f"{name}_score", float(m.group(f"b{name}n")), m.start(), m.end(), ""))
        elif m.group("s"):
            out.append(Value(f"{m.group('s').lower()}_score", float(m.group("sn")), m.start(),
                             m.end(), ""))
        elif m.group("b"):
            out.append(Value("bmd_g_cm2", float(m.group("bn")), m.start(), m.end(), ""))
        elif m.group("mg"):  # "912 mg/cm2"
            out.append(Value("bmd_g_cm2", round(float(m.group("mg")) / 1000, 6), m.start(),
                             m.end(), ""))
        else:
            out.append(Value("bmd_g_cm2", float(m.group("u")), m.start(), m.end(), ""))
    return out


_CONTINUED = re.compile(
    r",? {1,3}(?:and|while|whereas) {1,3}(?:(?:at|for|in|of) {1,3})?(?P<inner>(?:the {1,3})?"
    r"[A-Za-z][A-Za-z ()/,-]{1,40}?)"
    r" {1,3}(?:is|was|of|measures|measured) {1,3}(?P<n>[-+]?\d{1,2}\.\d{1,2})"
    r"(?![\d%]|\.\d| {0,2}g)",
    re.IGNORECASE)


_OTHER_LABEL = re.compile(r"score|bmd|density|\b[TZ]\b", re.IGNORECASE)


def continued_scores(sentence: str, vals: list[Value],
                     names_a_place: Callable[[str], bool]) -> list[Value]:
    """``The T-score at the lumbar spine is -2.2 and at the left femoral neck is -2.1``: a
    number right after a labelled score, joined by "and" with a place of its own (no other
    label), is the same kind of score (the place is the value's ``inner`` text)."""
    out = list(vals)
    for value in vals:
        end = value.end
        while value.field in ("t_score", "z_score") and (
                m := _CONTINUED.match(sentence, end)):
            inner = m.group("inner")
            if _OTHER_LABEL.search(inner) or not names_a_place(inner):
                break
            out.append(Value(value.field, float(m.group("n")), m.start(), m.end(), inner))
            end = m.end()
    return sorted(out, key=lambda v: v.start)


def plausible(value: Value, kind: str) -> bool:
    """A value of this ``kind`` (``current``, ``prior`` or ``change``) in a believable range."""
    if kind == "change":
        return value.field == "bmd_g_cm2" and value.number < 1.0
    if value.field == "bmd_g_cm2":
        return 0.1 <= value.number <= 3.0
    return -10.0 <= value.number <= 10.0


_CELL_UNITS = frozenset({None, "g/cm2", "%", "g", "cm2"})


def cell_number(cell: str) -> float | None:
    """A numeric table cell, with its unit if any: ``0.891``, ``-1.9``, ``87%``,
    ``0.980 g/cm2``; at most three digits before the point and four after (a year, an
    accession number, a date is not a cell value)."""
    found = read_number(cell, commas=Commas.NONE, units=_CELL_UNITS)
    if found is None or found.decimals > 4 or len(found.text.lstrip("-").partition(".")[0]) > 3:
        return None
    return found.value
