"""Shared plumbing of the free-text reader: text preparation, sections, sentences and clauses,
phrase lists by name, and ``Label: value`` look-ups. Text is folded and phrases are matched
with the reading kit (``parsers.kit``); the vocabulary is ``parsers/vocabulary/`` (``sections``,
``findings``, ``frax``, ``history`` and ``report_labels``). Every regular expression is
bounded; lines are cut to :data:`MAX_LINE` characters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from parsers.kit.dates import DATE_RE, parse_date
from parsers.kit.identifiers import NUMBER_MARK, numbered
from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import fold, key, sentences
from parsers.kit.vocabulary import load

# phrase lists by name: section headers, findings words, FRAX and history wordings
DATA: dict[str, Any] = {**load("sections"), **load("findings"), **load("frax"),
                        **load("history")}
LABELS: dict[str, Any] = load("report_labels")

MAX_LINE = 2000
MAX_TEXT = 200_000  # characters read; a dictated report is a few thousand


# --- text preparation --------------------------------------------------------------------------

def phrases(name: str | Iterable[str]) -> re.Pattern[str]:
    """The phrase list ``DATA[name]`` (or the given phrases) as one pattern over key text."""
    return phrase_matcher(DATA[name] if isinstance(name, str) else name)


def has(name: str | Iterable[str], keyed: str) -> bool:
    """Whether key text holds one of the phrases of ``DATA[name]`` (or those given)."""
    return phrases(name).search(keyed) is not None


def _split_long(line: str) -> Iterator[str]:
    while len(line) > MAX_LINE:
        spaced = line.replace("\t", " ")
        cut = max(spaced.rfind(". ", 0, MAX_LINE), spaced.rfind("; ", 0, MAX_LINE))
        cut = cut + 1 if cut > MAX_LINE // 2 else spaced.rfind(" ", 0, MAX_LINE)
        cut = cut if cut > 0 else MAX_LINE
        yield line[:cut]
        line = line[cut:].lstrip()
    yield line


# a template's slot filled with a number or levels: "is [0.982] gm/cm2", "SPINE: [L1-L4]"; a
# checkbox ("[X]") and an empty slot ("[ ]") hold no digit and stay
_FILLED_SLOT = re.compile(r"\[ {0,3}([^\[\]\n]{0,30}?\d[^\[\]\n]{0,30}?) {0,3}\]")


# a sign spoken before a number (speech recognition: "T score minus 0.6" is -0.6; read without
# it, the number would be read with the wrong sign); "plus or minus 0.010" is a precision
_SPOKEN_SIGN = re.compile(r"(?<!\bor )\b(minus|negative|plus|positive) {1,3}(?=\d)",
                          re.IGNORECASE)


def _sign_of(match: re.Match[str]) -> str:
    return "-" if match.group(1).lower() in ("minus", "negative") else "+"


def prepare(text: str, *, tabs: bool = False) -> list[str]:
    """Normalised lines: folded (``parsers.kit.text.fold``: ``g/cm²`` -> ``g/cm2``, every minus
    and dash ``-``, ...), a spoken sign written (``minus 0.6`` -> ``-0.6``), template slots
    with a number unwrapped (``[0.982]``), tabs as spaces
    (kept with ``tabs=True``, for reading tables: the lines are the same but for the tabs),
    line endings unified, each line at most MAX_LINE characters."""
    text = _SPOKEN_SIGN.sub(_sign_of, _FILLED_SLOT.sub(r"\1", fold(text[:MAX_TEXT])))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [part.rstrip() for line in text.split("\n") for part in _split_long(line)]
    return lines if tabs else [line.replace("\t", " ") for line in lines]


# --- sections and sentences ----------------------------------------------------------------

_SECTION_OF = {key(p).strip(): name for name, items in DATA["sections"].items() for p in items}
_HEADER_RE = re.compile(r"^ {0,8}([A-Za-z][A-Za-z /&()-]{0,40}?) {0,3}:(?!\d)(.*)$")


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
        name = _SECTION_OF.get(key(match.group(1)).strip())
        return (name, match.group(2).strip()) if name else None
    bare = line.strip()
    name = _SECTION_OF.get(key(bare).strip()) if bare.isupper() and len(bare) < 40 else None
    return (name, "") if name else None


def section_of(line: str) -> str | None:
    """The section a header line opens (``COMPARISON: …`` -> ``comparison``), else None."""
    head = _header(line)
    return head[0] if head else None


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


# --- labelled values -----------------------------------------------------------------------

def _words_re(label: str) -> str:
    """A label's words (anything but a letter or digit between them, a number mark after them
    where the label needs one)."""
    return (r"[^A-Za-z0-9\n]{0,3}".join(re.escape(w) for w in key(label).split())
            + (rf"[ .]{{0,3}}{NUMBER_MARK}" if numbered(label) else ""))


@lru_cache(maxsize=128)
def _label_re(labels: tuple[str, ...], value: str = r"([^\n]{0,120})",
              separator: str = "[:=#]") -> re.Pattern[str]:
    """``Label: value``; a label written ``^label`` counts only where a line or a header cell
    starts (after two spaces or a pipe: ``ID: 123   Date: 24-Dec-2022``), one written ``label #``
    only with a number mark (``Chart #:``, ``Chart No.:``). Its colon may be padded to a
    column (``Date         : 20.08.2024``)."""
    alts = "|".join(("(?:(?<![^\n])|(?<=  )|(?<=\\|)) {0,8}" if label.startswith("^") else "")
                    + _words_re(label) for label in labels)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alts})[ .]{{0,3}}{NUMBER_MARK}?[ ]{{0,16}}{separator}"
                      rf"[ ]{{0,5}}{value}", re.IGNORECASE)


def labelled(text: str, fact: str) -> list[str]:
    """Values after ``Label:`` for the labels of ``fact`` (``report_labels.json``), in
    label-list order of priority."""
    found: list[str] = []
    for label in LABELS[fact]:
        found += [m.group(1).strip() for m in _label_re((label,)).finditer(text)]
    return [value for value in found if value]


@lru_cache(maxsize=16)
def _row_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(_words_re(label) for label in labels)
    return re.compile(rf"(?:^|\|)[ ]{{0,8}}(?:{alts})[ .]{{0,3}}{NUMBER_MARK}?(?:[ ]{{0,3}}\|"
                      rf"[ ]{{0,3}}|[ ]{{1,12}})([^\n|]{{1,120}})", re.IGNORECASE | re.MULTILINE)


def labelled_row(text: str, fact: str) -> list[str]:
    """Values of ``fact``'s labels in a key-value row without a colon: the label starts a line
    or a pipe-table cell and its value follows after spaces or a pipe (``MRN 0012345``,
    ``| Patient ID | 0012345 |``). A label inside a sentence does not start a row."""
    labels = tuple(label for label in LABELS[fact] if not label.startswith("^"))
    return [m.group(1).strip() for m in _row_re(labels).finditer(text)]


def labelled_date(text: str, fact: str, day_first: bool | None) -> str | None:
    """The first date after one of the labels of ``fact``, with a colon (``DOB: …``) or,
    when the date follows at once, without (``DOB 10/02/1974``, ``DOB | 10/02/1974``)."""
    for value in labelled(text, fact):
        if date := parse_date(value, day_first=day_first):
            return date
    for m in _label_re(tuple(LABELS[fact]), value="", separator="[:=#|]?").finditer(text):
        date_match = DATE_RE.match(text, m.end())
        if date_match and (date := parse_date(date_match.group(0), day_first=day_first)):
            return date
    return None


DEFINITION_RE = re.compile(
    r"between|or (?:lower|higher|less|greater|below|above|more)|at or (?:below|above)"
    r"|defin|less than|greater than|more than|standard deviations? (?:above|below)"
    r"|^ {0,4}(?:normal|osteopenia|low bone mass|osteoporosis|severe|established)[ a-z/]{0,30}:",
    re.IGNORECASE)


_CLAUSE_RE = re.compile(r";|\bbut\b|\bhowever\b|\bwhereas\b|, (?=(?:and )?(?:no|not|denies|without|"
                        r"negative|now|currently)\b)| and (?=no\b)|\. ", re.IGNORECASE)


def clauses(paras: list[Paragraph]) -> Iterator[str]:
    """Clauses outside recommendations and definitions, cut at "but", "however", "; " and
    before a negation (", no ...", "and no ..."): what the risk-factor reader reads."""
    for paragraph in paras:
        if paragraph.section == "recommendations":
            continue
        for sentence in sentences(paragraph.text):
            if not DEFINITION_RE.search(sentence):
                yield from (c for c in _CLAUSE_RE.split(sentence) if c and c.strip())


def reported(paras: list[Paragraph]) -> list[str]:
    """The texts of the paragraphs outside recommendations (what a report states, not what it
    advises): the blocks the FRAX reader reads."""
    return [p.text for p in paras if p.section != "recommendations"]
