"""A report document from the free text of a DXA report (dictated, machine-written, or a PDF's
text layer without a vendor table).

Public API:

* :func:`read_prose` (text, source) -> ``ReportDocument`` (measurements may be empty; the caller
  decides whether that is a rejection);
* :func:`looks_like_dxa` (text) -> bool: the text talks about bone densitometry at all.

The text is read by content: section headers, labelled values (``T-score= -1.9``,
``0.618 g/cm2``), and the site named before (or, failing that, after) the values in the same
sentence, through the shared label table (``parsers.labels``). Phrase lists live in
``prose.json``. Every regular expression is bounded (no nested unbounded quantifiers) and lines
are cut to :data:`MAX_LINE` characters, so pathological input costs linear time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from dexa.documents import (
    FractureHistory,
    Frax,
    Lsc,
    Measurement,
    Patient,
    Prior,
    ReportDocument,
    RiskFactors,
    Source,
    Study,
    Therapy,
)
from parsers.dates import (
    DATE_ORDER_ASSUMED,
    DATE_RE,
    document_day_first,
    has_ambiguous_dates,
    parse_date,
)
from parsers.labels import Site, family_of, field_of, is_not_a_measurement, site_from_labels

DATA = json.loads(resources.files("parsers").joinpath("prose.json").read_text("utf-8"))

MAX_LINE = 2000
MAX_TEXT = 200_000  # characters read; a dictated report is a few thousand


# --- text preparation --------------------------------------------------------------------------

_TRANSLATE = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-",
                            "\u2011": "-", "\t": " ", "\u00a0": " ", "\u2019": "'"})


def norm(text: str) -> str:
    """Lower case, punctuation to single spaces, padded: phrase lists match whole words."""
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def _phrase_pattern(phrase: str) -> str:
    words = norm(phrase.replace("*", "qzq")).split()
    body = " ".join(re.escape(w) for w in words)
    return body.replace("qzq", "[a-z0-9]{0,20}")


@lru_cache(maxsize=256)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(_phrase_pattern(p) for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def phrases(key: str | Iterable[str]) -> re.Pattern[str]:
    """The phrase list ``DATA[key]`` (or the given phrases) as one regex over :func:`norm` text."""
    items = DATA[key] if isinstance(key, str) else key
    return _compiled(tuple(items))


def _has(key: str | Iterable[str], normed: str) -> bool:
    return phrases(key).search(normed) is not None


def _split_long(line: str) -> Iterator[str]:
    while len(line) > MAX_LINE:
        cut = max(line.rfind(". ", 0, MAX_LINE), line.rfind("; ", 0, MAX_LINE))
        cut = cut + 1 if cut > MAX_LINE // 2 else line.rfind(" ", 0, MAX_LINE)
        cut = cut if cut > 0 else MAX_LINE
        yield line[:cut]
        line = line[cut:].lstrip()
    yield line


def prepare(text: str) -> list[str]:
    """Normalised lines: NFKC (``g/cm²`` -> ``g/cm2``), Unicode minus and dashes to ``-``, line
    endings unified, each line at most MAX_LINE characters."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [part.rstrip() for line in text.split("\n") for part in _split_long(line)]


# --- sections and sentences ----------------------------------------------------------------

_SECTION_OF = {norm(p).strip(): name for name, items in DATA["sections"].items() for p in items}
_HEADER_RE = re.compile(r"^ {0,8}([A-Za-z][A-Za-z /&()-]{0,40}?) {0,3}:(?!\d)(.*)$")
_SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\[\"'])|(?<=;)\s*|\n")


@dataclass
class Paragraph:
    section: str | None
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _header(line: str) -> tuple[str, str] | None:
    match = _HEADER_RE.match(line)
    if match:
        name = _SECTION_OF.get(norm(match.group(1)).strip())
        return (name, match.group(2).strip()) if name else None
    bare = line.strip()
    name = _SECTION_OF.get(norm(bare).strip()) if bare.isupper() and len(bare) < 40 else None
    return (name, "") if name else None


def paragraphs(lines: list[str]) -> list[Paragraph]:
    """Lines grouped into paragraphs (blank line or section header starts a new one); each knows
    its section. A wrapped line (next line starts in lower case) is joined to the one before."""
    out: list[Paragraph] = [Paragraph(None)]
    section: str | None = None
    for line in lines:
        head = _header(line)
        if head:
            section = head[0]
            out.append(Paragraph(section, [head[1]] if head[1] else []))
        elif not line.strip():
            if out[-1].lines:
                out.append(Paragraph(section))
        elif out[-1].lines and line.lstrip()[:1].islower() and out[-1].lines[-1][-1:] not in ".:;":
            out[-1].lines[-1] += " " + line.strip()
        else:
            out[-1].lines.append(line.strip())
    return [p for p in out if p.lines]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(text) if s and s.strip()]


# --- labelled values -----------------------------------------------------------------------

@lru_cache(maxsize=128)
def _label_re(labels: tuple[str, ...], value: str = r"([^\n]{0,120})",
              separator: str = "[:=#]") -> re.Pattern[str]:
    """``Label: value``; a label written ``^label`` counts only at the start of a line."""
    alts = "|".join(("(?<![^\n]) {0,8}" if label.startswith("^") else "")
                    + r"[^A-Za-z0-9\n]{0,3}".join(re.escape(w) for w in norm(label).split())
                    for label in labels)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alts})[ .]{{0,3}}(?:#|no\.?)?[ ]{{0,3}}{separator}"
                      rf"[ ]{{0,5}}{value}", re.IGNORECASE)


def labelled(text: str, key: str) -> list[str]:
    """Values after ``Label:`` for the labels ``DATA[key]``, in label-list order of priority."""
    found: list[str] = []
    for label in DATA[key]:
        found += [m.group(1).strip() for m in _label_re((label,)).finditer(text)]
    return [value for value in found if value]


def labelled_date(text: str, key: str, day_first: bool | None) -> str | None:
    """The first date after one of the labels ``DATA[key]``, with a colon (``DOB: …``) or,
    when the date follows at once, without (``DOB 10/02/1974``, ``DOB | 10/02/1974``)."""
    for value in labelled(text, key):
        if date := parse_date(value, day_first=day_first):
            return date
    for m in _label_re(tuple(DATA[key]), value="", separator="[:=#|]?").finditer(text):
        date_match = DATE_RE.match(text, m.end())
        if date_match and (date := parse_date(date_match.group(0), day_first=day_first)):
            return date
    return None


# --- measurements --------------------------------------------------------------------------

_NUM = r"([-+]?\d{1,2}(?:\.\d{1,3})?)(?![\d%]|\.\d)"
_FILL = r"((?:(?![tzTZ][ -]?[sS]core)[^\d\n%:=\[\]]){0,50}?)(?:[:=] {0,3})?"
_UNIT = (r"(?:g|gm|gms|grams?) {0,2}(?:/|per) {0,2}"
         r"(?:cm2|cm\^2|sq[ .-]{0,2}cm|square centimet[a-z]{0,3}|cm)(?![a-z])")
VALUE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<t>T[ -]?scores?){_FILL}{_NUM}"
    rf"|(?<![A-Za-z])(?P<z>Z[ -]?scores?){_FILL}{_NUM}"
    rf"|(?<![A-Za-z])(?P<b>BMD(?: values?)?|bone mineral density|bone density)"
    r"( {0,3}(?:[:=]|is|of|was|measures|measured at)? {0,3})(\d\.\d{2,4})(?!\d|\.\d)"
    rf"(?: {{0,2}}{_UNIT})?"
    rf"|(?<![\d.])(?P<u>\d\.\d{{2,4}}) {{0,2}}{_UNIT}",
    re.IGNORECASE,
)
_DEFINITION_RE = re.compile(
    r"between|or (?:lower|higher|less|greater|below|above|more)|at or (?:below|above)"
    r"|defin|less than|greater than|more than|standard deviations? (?:above|below)"
    r"|^ {0,4}(?:normal|osteopenia|low bone mass|osteoporosis|severe|established)[ a-z/]{0,30}:",
    re.IGNORECASE)


@dataclass
class Value:
    field: str  # t_score | z_score | bmd_g_cm2
    number: float
    start: int
    end: int
    inner: str  # text between the label and the number (may name the site)


def values_in(sentence: str) -> list[Value]:
    out: list[Value] = []
    for m in VALUE_RE.finditer(sentence):
        if m.group("t"):
            out.append(Value("t_score", float(m.group(3)), m.start(), m.end(), m.group(2)))
        elif m.group("z"):
            out.append(Value("z_score", float(m.group(6)), m.start(), m.end(), m.group(5)))
        elif m.group("b"):
            out.append(Value("bmd_g_cm2", float(m.group(9)), m.start(), m.end(), ""))
        else:
            out.append(Value("bmd_g_cm2", float(m.group("u")), m.start(), m.end(), ""))
    return out


def _plausible(value: Value, kind: str) -> bool:
    if kind == "change":
        return value.field == "bmd_g_cm2" and value.number < 1.0
    if value.field == "bmd_g_cm2":
        return 0.1 <= value.number <= 3.0
    return -10.0 <= value.number <= 10.0


_LABELS = json.loads(resources.files("parsers").joinpath("labels.json").read_text("utf-8"))
_SITE_WORDS = re.compile(
    r"(?<![a-z0-9])(?:[lt]1?[0-9]|" + "|".join(sorted(
        {_phrase_pattern(p) for items in _LABELS["families"].values() for p in items}
        | {_phrase_pattern(p) for entry in _LABELS["regions"] for p in entry["phrases"]
           if entry["family"] is None}, key=len, reverse=True)) + r")(?![a-z0-9])")


def names_a_place(text: str) -> bool:
    """Cheap test before the label table: does the text hold any body-part word at all?"""
    return _SITE_WORDS.search(norm(text)) is not None


@lru_cache(maxsize=4096)
def _site(*labels: str | None) -> Site | None:
    texts = [label for label in labels if label and label.strip()]
    if not any(names_a_place(text) for text in texts):
        return None
    return site_from_labels(*texts)


def sites_for(sentence: str, vals: list[Value], context: str | None,
              current: Site | None) -> list[Site | None]:
    """The site of each value: named before it (since the previous value) or between its label
    and number; else the site carried from before; a sentence that names its site only after its
    values ("The lowest T-score is -2.0 at the left femoral neck") gives that site."""
    out: list[Site | None] = []
    previous_end = 0
    tail_site = _site(context, sentence[vals[-1].end:]) if vals else None
    for value in vals:
        label = sentence[previous_end:value.start] + " " + value.inner
        if is_not_a_measurement(label):  # "Neck Diff. 0.064": a left-right difference
            out.append(None)
            previous_end = value.end
            continue
        if _site(label):
            current = _site(context, label)
        elif not out and tail_site and _site(sentence[vals[-1].end:]):
            current = tail_site
        out.append(current)
        previous_end = value.end
    return out


# --- the reader ----------------------------------------------------------------------------

@dataclass
class _Reading:
    """Everything gathered while walking the paragraphs once."""

    day_first: bool | None
    comparison_date: str | None = None
    title: str | None = None  # the last table title naming a body part
    measurements: dict[tuple[str, str | None, str | None], Measurement] = field(
        default_factory=dict)
    priors: dict[tuple[str, str, str | None, str | None], Prior] = field(default_factory=dict)
    changes: list[tuple[Site, Decimal, str | None]] = field(default_factory=list)
    lsc: dict[tuple[str, str | None, str | None], Lsc] = field(default_factory=dict)


def _key(site: Site) -> tuple[str, str | None, str | None]:
    return (site.region, site.side, site.levels)


def _sentence_kind(sentence: str, section: str | None) -> str:
    """``lsc`` (read by _read_lsc), ``skip`` (recommendations, definitions) or ``text``."""
    if _has("lsc_words", norm(sentence)):
        return "lsc"
    if section == "recommendations" or _DEFINITION_RE.search(sentence):
        return "skip"
    return "text"


_CHANGE_BEFORE = re.compile(r"(?:increase|decrease|change|gain|loss|decline|drop|differen)"
                            r"[a-z]{0,3}(?: in [a-z]{1,12})? {0,3}(?:by|of|=|:)? {0,3}$",
                            re.IGNORECASE)
_PRIOR_AFTER = re.compile(r" {0,3}\)?,? {0,3}(?:\(?(?:prior|previous(?:ly)?|baseline)\b"
                          r"|(?:on|at|in) (?:the|a) (?:prior|previous|baseline))", re.IGNORECASE)


def _value_kind(sentence: str, value: Value, since: int, section: str | None) -> str:
    """``change`` ("has decreased by 0.012 g/cm2"), ``prior`` (after a prior-study phrase, or
    followed by one: "0.754 g/cm2 on the previous study"), else ``current``."""
    if _CHANGE_BEFORE.search(sentence[since:value.start]):
        return "change"
    if (_has("prior_words", norm(sentence[:value.start]))
            or _PRIOR_AFTER.match(sentence, value.end)
            or (section == "comparison" and parse_date(sentence))):
        return "prior"
    return "current"


def _add_measurement(reading: _Reading, site: Site, value: Value) -> None:
    row = reading.measurements.setdefault(
        _key(site), Measurement(region=site.region, side=site.side, levels=site.levels))
    if getattr(row, value.field) is None:
        setattr(row, value.field, value.number)


_NUMBER_CELL = re.compile(r"([-+]?\d{1,3}(?:\.\d{1,4})?) {0,2}(?:g/cm2|%|g|cm2)?")
_NOT_A_COLUMN = re.compile(r"\u0394|delta|change|diff|trend", re.IGNORECASE)


def _cells(line: str) -> list[str]:
    if "|" in line:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return [cell for cell in re.split(r"\t| {2,}", line.strip()) if cell]


def _table_header(line: str) -> list[str | None] | None:
    """Column fields of a table header (``Region | BMD | T-Score | Z-Score``), else None."""
    if len(line) > 200 or not re.search(r"score|bmd|density", line, re.IGNORECASE) or re.search(
            r"\d\.\d|[:=] {0,3}[-+]?\d", line):
        return None
    cells = _cells(line)
    if any(_NUMBER_CELL.fullmatch(c) for c in cells):
        return None
    fields = [None if _NOT_A_COLUMN.search(c) else field_of(c) for c in cells]
    if len(cells) < 3:  # single spaces: "Region BMD (g/cm2) YA T-score AM Z-score"
        if "%" in line or _NOT_A_COLUMN.search(line):
            return None
        fields = [None] + [f for f in (field_of(word) for word in line.split()[1:]) if f]
    scores = sum(f in ("t_score", "z_score", "bmd_g_cm2") for f in fields)
    return fields if scores >= 2 else None


def _table_row(line: str, header: list[str | None]) -> tuple[list[str], list[Value]] | None:
    """Label cells and values of a row, by cell position (``|``, tab or wide gaps), or else by
    the trailing numbers (``Neck Left 0.980 -0.4 0.7``) against the columns after the first."""
    cells = _cells(line)
    if len(cells) != len(header):
        tokens = line.split()
        count = len(header) - 1
        if not 0 < count < len(tokens) or not all(
                _NUMBER_CELL.fullmatch(t) or t == "-" for t in tokens[-count:]):
            return None
        numbers = tokens[-count:]
        cells = [" ".join(tokens[:-count]), *numbers]
    labels, vals = [], []
    for cell, column in zip(cells, header, strict=True):
        number = _NUMBER_CELL.fullmatch(cell)
        if column and number:
            vals.append(Value(column, float(number.group(1)), 0, 0, ""))
        elif not number and cell not in ("", "-") and not parse_date(cell):
            labels.append(cell)
    return (labels, vals) if vals else None


def _read_values(reading: _Reading, paragraph: Paragraph) -> None:
    header: list[str | None] | None = None
    prose: list[str] = []
    for line in paragraph.lines:
        row = _table_row(line, header) if header else None
        if row:
            site = _site(reading.title, *row[0])
            for value in row[1] if site else []:
                if value.field not in ("t_score", "z_score", "bmd_g_cm2") or _plausible(
                        value, "current"):
                    _add_measurement(reading, site, value)
            continue
        header = _table_header(line) or header
        if header is None and len(line) < 60 and names_a_place(line) and family_of(line):
            reading.title = line  # "DualFemur Bone Density", "AP Spine"
        prose.append(line)
    _read_sentences(reading, paragraph.section, "\n".join(prose))


def _read_sentences(reading: _Reading, section: str | None, text: str) -> None:
    context: str | None = None
    current: Site | None = None
    for sentence in sentences(text):
        kind = _sentence_kind(sentence, section)
        vals = values_in(sentence) if kind == "text" else []
        if not vals:
            if kind != "skip" and len(sentence) < 60 and names_a_place(sentence) and (
                    family_of(sentence) or _site(sentence)):
                context, current = sentence, _site(sentence)  # a header: "LEFT HIP:"
            continue
        since = 0
        for site, value in zip(sites_for(sentence, vals, context, current), vals, strict=True):
            value_kind = _value_kind(sentence, value, since, section)
            since = value.end
            if site is None or not _plausible(value, value_kind):
                continue
            current = site
            if value_kind == "current":
                _add_measurement(reading, site, value)
            elif value.field == "bmd_g_cm2":
                _add_prior_or_change(reading, site, value, value_kind, sentence)


def _add_prior_or_change(reading: _Reading, site: Site, value: Value, kind: str,
                         sentence: str) -> None:
    date = parse_date(sentence, day_first=reading.day_first)
    if kind == "prior":
        date = date or reading.comparison_date
        if date:
            reading.priors.setdefault((date, *_key(site)), Prior(
                scan_date=date, region=site.region, side=site.side, levels=site.levels,
                bmd_g_cm2=value.number))
        return
    loss = re.search(r"decrease|decline|loss|lost|reduc|fell|drop", sentence, re.IGNORECASE)
    reading.changes.append((site, (-1 if loss else 1) * Decimal(str(value.number)), date))


_LSC_VALUE_RE = re.compile(rf"(?<![\d.])(\d\.\d{{1,4}}) {{0,2}}(?:{_UNIT}|%)", re.IGNORECASE)


def _read_lsc(reading: _Reading, sentence: str) -> None:
    """``LSC ... Lumbar spine - 0.033 gm/cm2 Total femur - 0.017 gm/cm2`` and
    ``(LSC= 0.028 g/cm2 for AP Spine L1-L4)``: the site before the value, else after it."""
    matches = [m for m in _LSC_VALUE_RE.finditer(sentence) if not m.group(0).endswith("%")]
    for i, m in enumerate(matches):
        before = sentence[matches[i - 1].end() if i else 0:m.start()]
        after = sentence[m.end():matches[i + 1].start() if i + 1 < len(matches) else None]
        site = _site(before) or _site(after)
        if site and 0 < float(m.group(1)) < 0.5:
            reading.lsc.setdefault(_key(site), Lsc(region=site.region, side=site.side,
                                                   levels=site.levels, g_cm2=float(m.group(1))))


def _derived_priors(reading: _Reading) -> None:
    """``This value has decreased by 0.012 g/cm2 compared to the previous`` gives the prior BMD
    exactly (current + 0.012) when the current BMD and the prior's date are known."""
    for site, change, date in reading.changes:
        row = reading.measurements.get(_key(site))
        date = date or reading.comparison_date
        if row is None or row.bmd_g_cm2 is None or date is None:
            continue
        prior = float(Decimal(str(row.bmd_g_cm2)) - change)
        reading.priors.setdefault((date, *_key(site)), Prior(
            scan_date=date, region=site.region, side=site.side, levels=site.levels,
            bmd_g_cm2=prior))


# --- patient and study facts ---------------------------------------------------------------

_AGE_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d)?)[ -]{0,3}(?:years?|yrs?|y)[ ./-]{0,3}(?:old|o)\b"
                     r"|\bage[ ]{0,3}[:=][ ]{0,3}(\d{1,3}(?:\.\d{1,2})?)(?!\d|\.\d)", re.IGNORECASE)
_HEIGHT_RE = re.compile(r"\b(?:height|ht)\b[^\n]{0,40}?(?<![\d.])(\d{2,3}(?:\.\d{1,2})?) {0,2}"
                        r"(cm|centimet[a-z]{0,3}|in|inch|inches|\")(?![a-z])", re.IGNORECASE)
_FEET_RE = re.compile(r"\bheight[^\n\d]{0,20}([4-7]) {0,2}(?:'|ft|feet|foot) {0,2}"
                      r"(\d{1,2}(?:\.\d)?)? {0,2}(?:\"|''|in|inches)?", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"\b(?:weight|wt)\b[^\n]{0,40}?(?<![\d.])(\d{2,3}(?:\.\d{1,2})?) {0,2}"
                        r"(kg|kilo[a-z]{0,6}|lbs?|pounds?)(?![a-z])", re.IGNORECASE)


_NOT_THE_AGE = {"mp", "menopause", "menopausal", "menarche", "onset", "diagnosis", "fracture"}


def _age(text: str) -> tuple[float | None, int | None]:
    """``83 years old``, ``68-year-old``, ``Age: 62.6``; not ``MP age: 50`` (menopause)."""
    for m in _AGE_RE.finditer(text):
        age = float(m.group(1) or m.group(2))
        before = norm(text[max(0, m.start() - 20):m.start()]).split()[-1:]
        if 0 < age < 120 and not (m.group(2) and set(before) & _NOT_THE_AGE):
            return age, m.end()
    return None, None


def _sex(text: str, age_end: int | None, menopause: str | None) -> str | None:
    for value in labelled(text, "sex_labels"):
        word = norm(value).split()[:1]
        for sex, words in DATA["sex_words"].items():
            if word and word[0] in words:
                return sex
    if age_end is not None:  # "83 years old Male", "a postmenopausal woman, 68 years old"
        for window in (text[age_end:age_end + 40], text[max(0, age_end - 40):age_end]):
            for sex, words in DATA["sex_words"].items():
                if _has([w for w in words if len(w) > 2], norm(window)):
                    return sex
    return "F" if menopause else None


_BOILERPLATE = re.compile(r"criteria|apply|applies|applied|defin|reference|population|guideline",
                          re.IGNORECASE)


def _menopause(text: str, scan_date: str | None, day_first: bool | None) -> str | None:
    """Menopausal status from the patient's own facts (not "WHO criteria apply to
    postmenopausal women"); ``LMP`` with a date over a year before the scan means post."""
    normed = norm(" ".join(s for s in sentences(text) if not _BOILERPLATE.search(s)))
    for status, items in DATA["menopause"]:
        if _has(items, normed):
            return status
    for value in labelled(text, "lmp_labels"):
        date = parse_date(value, day_first=day_first)
        if date and scan_date and int(scan_date[:4]) - int(date[:4]) >= 2:
            return "post"
        if date or re.search(r"\d", value):
            return "pre" if not re.search(r"years? ago", value, re.IGNORECASE) else "post"
    return None


def _height_weight(text: str) -> tuple[float | None, float | None]:
    height = weight = None
    for m in _HEIGHT_RE.finditer(text):
        cm = float(m.group(1)) * (1.0 if m.group(2).lower().startswith("c") else 2.54)
        if 50 <= cm <= 250:
            height = round(cm, 1)
            break
    if height is None:
        feet = _FEET_RE.search(text)
        if feet:
            height = round((int(feet.group(1)) * 12 + float(feet.group(2) or 0)) * 2.54, 1)
    for m in _WEIGHT_RE.finditer(text):
        kg = float(m.group(1)) * (1.0 if m.group(2).lower().startswith("k") else 0.45359237)
        if 10 <= kg <= 350:
            weight = round(kg, 1)
            break
    return height, weight


def _first_token(values: list[str], *, need_digit: bool) -> str | None:
    for value in values:
        token = re.match(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}", value)
        if token and (not need_digit or re.search(r"\d", token.group(0))):
            return token.group(0).rstrip("./-")
    return None


def _phrase_value(values: list[str]) -> str | None:
    for value in values:
        text = re.split(r" {2,}|[;|]|\. ", value)[0].strip(" ,.")
        if re.search(r"[A-Za-z]", text):
            return text[:80]
    return None


def _scan_date(lines: list[str], text: str, day_first: bool | None) -> str | None:
    if date := labelled_date(text, "scan_date_labels", day_first):
        return date
    for line in [line for line in lines if line.strip()][:3]:
        if _has(["report", "densitometry", "dxa", "dexa", "bone density"], norm(line)):
            date = parse_date(line, day_first=day_first)
            if date:
                return date
    return None


def _patient(text: str, scan_date: str | None, day_first: bool | None) -> Patient:
    age, age_end = _age(text)
    menopause = _menopause(text, scan_date, day_first)
    height, weight = _height_weight(text)
    birth = labelled_date(text, "birth_date_labels", day_first)
    return Patient(
        id=_first_token(labelled(text, "patient_id_labels"), need_digit=True),
        sex=_sex(text, age_end, menopause),  # type: ignore[arg-type]
        birth_date=birth, age_years=age, menopausal_status=menopause,  # type: ignore[arg-type]
        height_cm=height, weight_kg=weight,
        ethnicity=_phrase_value(labelled(text, "ethnicity_labels")),
    )


# --- excluded vertebrae, category ----------------------------------------------------------

_LEVEL = r"(?:L[1-5]|T1[0-2])"
_LEVEL_LIST = rf"{_LEVEL}(?:(?: {{0,2}}(?:,|and|&|-|to|through) {{0,2}}| {{1,2}}){_LEVEL}){{0,5}}"
_EXCLUDED_RE = re.compile(
    rf"(?<![A-Za-z0-9])({_LEVEL_LIST}) {{0,3}}(?:(?:has|have|was|were|is|are) {{1,3}})?"
    rf"(?:been {{1,3}})?(?:exclu[a-z]{{0,6}}|omitted|removed|not (?:included|used))"
    rf"|(?:exclu[a-z]{{0,6}}|omitted|removed)(?: {{1,3}}(?:of|the|vertebrae?|vertebral|bodies"
    rf"|body|levels?|from|analysis|:)){{0,3}} {{1,3}}({_LEVEL_LIST})(?![A-Za-z0-9])",
    re.IGNORECASE)
_ORDER = ["T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5"]


def _expand(level_list: str) -> list[str]:
    out: list[str] = []
    tokens = re.findall(r"[LT]\d{1,2}|-|to|through", level_list.upper())
    for i, token in enumerate(tokens):
        if token in ("-", "TO", "THROUGH") and 0 < i < len(tokens) - 1 and out:
            start, stop = _ORDER.index(out[-1]), _ORDER.index(tokens[i + 1])
            out += _ORDER[start + 1:stop]
        elif token in _ORDER:
            out.append(token)
    return list(dict.fromkeys(out))


def _excluded_vertebrae(text: str) -> list[str] | None:
    found: list[str] = []
    for sentence in sentences(text):
        if not re.search(r"exclu|omitted|removed|not included|not used", sentence, re.I):
            continue
        if re.match(r"\s*no\b", sentence, re.IGNORECASE):
            continue
        for m in _EXCLUDED_RE.finditer(sentence):
            found += _expand(m.group(1) or m.group(2))
    return list(dict.fromkeys(found)) or None


_CATEGORY = "|".join(sorted((re.escape(c) for c in DATA["categories"]), key=len, reverse=True))
_CATEGORY_LABEL_RE = re.compile(
    r"^(?:who )?(?:bone mineral density|bone density|diagnostic category|who classification"
    rf"|who category|classification|diagnosis|category)[ ]{{0,3}}:[ ]{{0,3}}({_CATEGORY})\b",
    re.IGNORECASE)
_CATEGORY_PHRASE_RE = re.compile(
    r"\b(?:consistent with|compatible with|in keeping with|meets (?:the )?criteria for"
    rf"|diagnostic of|indicative of|diagnosis of)(?: an?)? ({_CATEGORY})\b", re.IGNORECASE)
_CATEGORY_START_RE = re.compile(rf"^(?:\d[.)] {{0,2}})?({_CATEGORY})\b(?! range)", re.IGNORECASE)


def _printed_category(paras: list[Paragraph]) -> str | None:
    ordered = ([p for p in paras if p.section == "impression"]
               + [p for p in paras if p.section != "impression"])
    for paragraph in ordered:
        for sentence in sentences(paragraph.text):
            if _DEFINITION_RE.search(sentence) or re.search(r"\bT[ -]?score", sentence, re.I):
                continue
            m = (_CATEGORY_LABEL_RE.search(sentence) or _CATEGORY_PHRASE_RE.search(sentence)
                 or (_CATEGORY_START_RE.search(sentence) if paragraph.section == "impression"
                     else None))
            if m:
                return m.group(1)
    return None


# --- FRAX ----------------------------------------------------------------------------------

def _frax_value(text: str, labels: str, stop: str) -> float | None:
    alts = "|".join(_phrase_pattern(p).replace(" ", "[ -]{1,3}") for p in DATA[labels])
    number = r"(\d{1,2}(?:\.\d{1,2})?) {0,2}(?:%|percent)"
    reverse = re.compile(rf"(?<![\d.]){number} {{0,2}}(?:\(|for|of|risk of|probability of"
                         rf"|chance of) {{0,2}}(?:an? {{1,2}}|the {{1,2}})?(?:{alts})\b")
    forward = re.compile(rf"\b(?:{alts})\b((?:(?!{stop})[^\d%\n]){{0,60}}?)(?<![\d.]){number}")
    for pattern, group in ((reverse, 1), (forward, 2)):
        for m in pattern.finditer(text):
            value = float(m.group(group))
            if 0 <= value <= 100:
                return value
    return None


def _frax_sentences(paras: list[Paragraph]) -> list[str]:
    """Sentences that speak of FRAX ("10-year probability", "FRAX", "fracture risk"), with the
    lines that continue one ("Hip fracture: 1.6%" under "FRAX 10-year probability:")."""
    out: list[str] = []
    labels = phrases([*DATA["frax_mof"], *DATA["frax_hip"]])
    for paragraph in paras:
        if paragraph.section == "recommendations":
            continue
        previous = False
        for sentence in sentences(paragraph.text):
            normed = norm(sentence)
            previous = _has("frax_context", normed) or bool(
                previous and labels.match(normed, 1) and "%" in sentence)
            if previous:
                out.append(sentence)
    return out


def _frax(paras: list[Paragraph]) -> Frax | None:
    original = "\n".join(_frax_sentences(paras))
    text = original.lower()
    mof = _frax_value(text, "frax_mof", "hip")
    hip = _frax_value(text, "frax_hip", "major|mof")
    if mof is None and hip is None:
        return None
    normed = norm(text)
    with_bmd = False if _has("frax_without_bmd", normed) else (
        True if _has("frax_with_bmd", normed) else None)
    country = None
    for phrase, name in DATA["frax_countries"].items():
        if _has([phrase], normed) and (len(phrase) > 3 or re.search(
                r"(?<![A-Za-z])" + re.escape(phrase.upper()).replace(r"\ ", r"\.?"), original)):
            country = name
            break
    return Frax(major_osteoporotic_pct=mof, hip_pct=hip, with_bmd=with_bmd, country=country,
                tbs_adjusted=True if _has("frax_tbs", normed) else None)


# --- fracture history ----------------------------------------------------------------------

_CLAUSE_RE = re.compile(r";|\bbut\b|\bhowever\b|\bwhereas\b|, (?=(?:and )?(?:no|not|denies|without|"
                        r"negative|now|currently)\b)|\. ", re.IGNORECASE)
_CHILD_AGE_RE = re.compile(r"\b(?:age|aged|at) (\d{1,2})\b(?! (?:years|yrs) ago)")


def clauses(paras: list[Paragraph]) -> Iterator[str]:
    for paragraph in paras:
        if paragraph.section == "recommendations":
            continue
        for sentence in sentences(paragraph.text):
            if not _DEFINITION_RE.search(sentence):
                yield from (c for c in _CLAUSE_RE.split(sentence) if c and c.strip())


def _negated(normed: str, target: re.Match[str]) -> bool:
    before = normed[max(0, target.start() - 60):target.start()].split()[-8:]
    after = normed[target.end():target.end() + 30].split()[:3]
    negation = DATA["negations"]
    return any(w in negation for w in before) or any(w in ("none", "no", "negative", "denied")
                                                       for w in after)


def _fracture_history(paras: list[Paragraph]) -> FractureHistory:
    result: dict[str, bool | None] = {"hip": None, "vertebral": None, "other_fragility": None}
    for clause in clauses(paras):
        normed = norm(clause)
        mention = phrases("fracture_words").search(normed)
        if not mention:
            continue
        if _has("fracture_not_history", normed) and not _has("fracture_history_words", normed):
            continue
        rest = normed
        sites = []
        for name in ("hip", "vertebral", "other_fragility"):
            pattern = phrases(DATA["fracture_sites"][name])
            if pattern.search(rest):
                sites.append(name)
                rest = pattern.sub(" ", rest)
        if _negated(normed, mention):
            for name in sites or list(result):
                result[name] = False if result[name] is None else result[name]
            continue
        excluded = any(_has(items, normed) for items in DATA["fracture_exclusions"].values())
        child = any(int(age) < 20 for age in _CHILD_AGE_RE.findall(normed))
        if excluded or child:
            continue
        for name in sites or ["other_fragility"]:
            result[name] = True
    return FractureHistory(**result)


# --- therapy -------------------------------------------------------------------------------

_FALSE_FRIENDS = re.compile(r"(?:o?estrogen|hormone) (?:deficien\w*|receptor\w*|status|level\w*)"
                            r"|low o?estrogen|bisphosphonate[ -]related", re.IGNORECASE)


_AT_PRIOR = re.compile(r"at the time of (?:the|her|his) (?:prior|previous|last|baseline)"
                       r"|since before the (?:prior|previous|last)"
                       r"|at (?:the )?(?:prior|previous|baseline) (?:study|scan|exam)",
                       re.IGNORECASE)
_STARTED_AFTER = re.compile(r"(?:started|begun|began|initiated|since) (?:after|following) the "
                            r"(?:prior|previous|last)|since the (?:prior|previous|last) "
                            r"(?:study|scan|exam)", re.IGNORECASE)


def _therapy(paras: list[Paragraph]) -> Therapy:
    """The osteoporosis drug the patient takes now, as written; ``untreated`` when the report
    says none (or stopped, or calcium and vitamin D only); unknown when it is silent."""
    untreated = False
    drugs = phrases("drugs")
    for clause in clauses(paras):
        clause = _FALSE_FRIENDS.sub(" ", clause)
        normed = norm(clause)
        if _has("drug_not_history", normed):
            continue
        drug = drugs.search(normed)
        if drug and not _negated(normed, drug):
            at_prior = (True if _AT_PRIOR.search(clause)
                        else False if _STARTED_AFTER.search(clause) else None)
            if _has("drug_stopped", normed):
                untreated = True
            elif at_prior is not None or not _has("drug_past", normed):
                as_written = re.search(r"[^A-Za-z0-9]{0,3}".join(
                    re.escape(w) for w in drug.group(0).split()), clause, re.IGNORECASE)
                return Therapy(status="on_therapy",
                               current=as_written.group(0) if as_written else drug.group(0),
                               on_therapy_at_prior=at_prior)
        elif drug or _has("untreated_phrases", normed) or (
                _has("supplements", normed) and _has("medication_context", normed)):
            untreated = True
    return Therapy(status="untreated" if untreated else None)


# --- risk factors --------------------------------------------------------------------------

_ALCOHOL_RE = re.compile(r"(\d{1,2}(?:\.\d)?) {0,2}(?:or more )?(?:units?|drinks?)(?: of alcohol)?"
                         r" {0,2}(?:per|a|/|each) {0,2}(day|d|week|wk)\b", re.IGNORECASE)
_TBS_RE = re.compile(r"\b(?:TBS|trabecular bone score)\b(?: {0,2}\([^)\n]{0,20}\))?[^\d\n%]{0,25}?"
                     r"(?<![\d.])([01]\.\d{2,3})\b(?! {0,2}%)", re.IGNORECASE)
_HEIGHT_LOSS_RE = re.compile(
    r"height loss(?: of)? {0,3}(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches)\b"
    r"|(?:lost|loss of) {0,3}(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches)(?: of| in)? height"
    r"|(\d{1,2}(?:\.\d)?) {0,2}(cm|in|inch|inches) (?:of )?height loss", re.IGNORECASE)


def _risk_factors(paras: list[Paragraph]) -> RiskFactors:
    smoker: bool | None = None
    glucocorticoids: bool | None = None
    alcohol: float | None = None
    height_loss: float | None = None
    tbs: float | None = None
    for clause in clauses(paras):
        if tbs is None and (m := _TBS_RE.search(clause)):
            tbs = float(m.group(1))
        normed = norm(clause)
        if smoker is None and _has("smoker_no", normed):
            smoker = False
        elif smoker is None and _has("smoker_yes", normed) and not _has("negations", normed):
            smoker = True
        steroid = phrases("glucocorticoid_words").search(normed)
        if glucocorticoids is None and steroid and not _has("drug_not_history", normed):
            glucocorticoids = not _negated(normed, steroid)
        drinks = _ALCOHOL_RE.search(clause)
        if alcohol is None and drinks:
            per_week = drinks.group(2).lower().startswith("w")
            alcohol = round(float(drinks.group(1)) / (7 if per_week else 1), 2)
        loss = _HEIGHT_LOSS_RE.search(clause)
        if height_loss is None and loss:
            number, unit = next((loss.group(i), loss.group(i + 1)) for i in (1, 3, 5)
                                if loss.group(i))
            height_loss = round(float(number) * (1 if unit.lower() == "cm" else 2.54), 1)
    return RiskFactors(smoker=smoker, alcohol_units_per_day=alcohol,
                       glucocorticoids=glucocorticoids, height_loss_cm=height_loss, tbs=tbs)


# --- entry points --------------------------------------------------------------------------

def looks_like_dxa(text: str) -> bool:
    """At least two kinds of densitometry evidence (a method word, BMD, T- or Z-score, a WHO
    category, a DXA site): a letter mentioning a "bone density scan" is not a report."""
    normed = norm(text[:MAX_TEXT])
    return sum(_has(items, normed) for items in DATA["dxa_evidence"]) >= 2


def read_prose(text: str, *, source: Source) -> ReportDocument:
    """Read every fact a free-text DXA report states. Never raises on odd text; a report with
    no readable numbers comes back with ``measurements == []`` for the caller to reject."""
    lines = prepare(text)
    joined = "\n".join(lines)
    day_first = document_day_first(joined)
    warnings = [DATE_ORDER_ASSUMED] if day_first is None and has_ambiguous_dates(joined) else []
    paras = paragraphs(lines)
    reading = _Reading(day_first=day_first)
    comparison = [p.text for p in paras if p.section == "comparison"]
    reading.comparison_date = parse_date("\n".join(comparison), day_first=day_first) or next(
        (d for d in (parse_date(s, day_first=day_first) for s in sentences(joined)
                     if _has("prior_words", norm(s))) if d), None)
    for paragraph in paras:
        _read_values(reading, paragraph)
        for sentence in sentences(paragraph.text):
            if _has("lsc_words", norm(sentence)):
                _read_lsc(reading, sentence)
    _derived_priors(reading)
    scan_date = _scan_date(lines, joined, day_first)
    if source.vendor is None:  # "using a Hologic densitometer", "Lunar Prodigy ... GE Healthcare"
        normed = norm(" ".join(s for p in paras if p.section in ("technique", "exam")
                               for s in sentences(p.text) if "reference" not in s.lower()))
        vendor = next((v for k, v in DATA["vendors"].items() if _has([k], normed)), None)
        source = source.model_copy(update={"vendor": vendor})
    return ReportDocument(
        source=source,
        patient=_patient(joined, scan_date, day_first),
        study=Study(
            scan_date=scan_date,
            accession=_first_token(labelled(joined, "accession_labels"), need_digit=True),
            reference_database=_phrase_value(labelled(joined, "reference_labels")),
            excluded_vertebrae=_excluded_vertebrae(joined),
            printed_category=_printed_category(paras),
        ),
        measurements=list(reading.measurements.values()),
        frax=_frax(paras),
        fracture_history=_fracture_history(paras),
        therapy=_therapy(paras),
        risk_factors=_risk_factors(paras),
        priors=[p for p in reading.priors.values() if p.scan_date != scan_date],
        lsc=list(reading.lsc.values()),
        warnings=warnings,
    )
