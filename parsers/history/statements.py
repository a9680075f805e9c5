"""Text to statements: what the history readers read.

A :class:`Statement` is one clause of a report, keyed (``parsers.kit.text.key``), with the
label it stands under (``Fracture history: no prior fractures`` -> label ``fracture history``)
and, where the value is a bare answer (``Vertebral fracture: no``), that answer. Sentences,
semicolons, line ends and checkbox marks end a statement, so they end every ConText scope
(``parsers.history.context``). An unticked checkbox item (``[ ] prior hip fracture``, a
risk-factor legend) states nothing and is dropped, unless it answers its own label with a
no (``[ ] Previous fracture  details: none``). A question answered on its line (``Have you
ever broken a bone? No``) is its answer's label; a question alone states nothing. The ``#`` of
a fracture next to a site (``R #NOF 2021``, ``wrist #``) is read as the word fracture. A
table row with a status cell (``Risedronate 35 mg | 2012 | 2017 | Discontinued``) gives each
of its statements that status (``Statement.row``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from parsers.history.context import find_modifiers
from parsers.kit.phrases import phrase_matcher
from parsers.kit.text import fold, key
from parsers.kit.vocabulary import load

MAX_CHARS = 200_000
# the categories of a label under which nothing is the patient's own ("Family history:",
# "Recommendations:", "FRAX risk factors:")
BLOCKING_LABEL = frozenset({"family", "hypothetical", "risk"})
MAX_CLAUSE = 400  # characters of one statement: a clause is a few dozen words
# a label may end with the age it is asked from: "Fracture after 50: N", "Fall since age 65: no"
_LABEL_RE = re.compile(r"^[ \-*>#\d.)]{0,6}([A-Za-z][A-Za-z /()&'-]{0,64}?"
                       r"(?: (?:after|over|since|from|above|aged?)(?: age)? \d{2}\+?)?)"
                       r"\s{0,3}[:=]\s{0,5}(.*)$")
# a new sentence starts with a capital, a digit, or one of the lower-case abbreviations that
# open a history sentence ("Never treated. s/p hip fracture": history.json sentence_openers)
_OPENERS = "|".join(re.escape(opener) for opener in sorted(
    load("history")["sentence_openers"], key=len, reverse=True))
# "; last injection March 2021" goes on with the drug clause before it (its date is the
# course's), so it does not end a statement; " - " before a capital ends one, but not before a
# bare answer ("Previous fracture - No": the label's answer)
_SENTENCE_RE = re.compile(r"(?<=[A-Za-z0-9%)\]])[.!?]+"
                          rf"(?=\s+(?:[A-Z0-9(\[\"']|\?+[A-Za-z]|(?:{_OPENERS})(?![A-Za-z]))|\s*$)"
                          r"|;(?!\s{0,3}last (?:dose|injection|infusion)\b)"
                          r"|\s-\s(?=[A-Z])(?!(?:Yes|No|Nil|None|Unknown|N/?A|Y|N)(?:\s*[,.;)]|\s*$))"
                          r"|\u2022|\|")
_CELLS_RE = re.compile(r"\s{2,}(?=[A-Z][A-Za-z /()]{0,30}:)")  # "Age: 63   Sex: F"
_CHECKBOX_RE = re.compile(r"(\[\s?\]|\[[xX\u2713\u2714]\]|[\u2610\u2611\u2612])")
# a label that ends a line's text before its first checkbox mark (the label of the items
# after it), from its first capital: "Age: 73 Sex: [X] F", "Weight: 70 kg Gender: [ ] F"
_ITEMS_LABEL_RE = re.compile(r"(?:^|\s)([A-Z][A-Za-z /()'-]{0,30}?)\s{0,3}:\s{0,3}$")
_TICKED = ("[x]", "[X]", "\u2611", "\u2612", "[\u2713]", "[\u2714]")
_DIGIT_RE = re.compile(r"\d")
_AGE_ASKED_RE = re.compile(r" (?:after|over|since|from|above|aged?)(?: age)? \d{2}\+?$")


def _has_digit(label: str) -> bool:
    """Whether a label holds a number other than the age it is asked from ("67. Sex" does,
    "Fracture after 50" does not)."""
    return _DIGIT_RE.search(_AGE_ASKED_RE.sub("", label)) is not None
# a question (its first word one of history.json question_openers) and what follows it: "Q1.
# Have you ever broken a bone as an adult? No"
_QUESTION_RE = re.compile(
    r"^(?:Q\d{1,3}[.):]?\s+|\d{1,3}[.)]\s+)?([A-Za-z][^?:]{2,150})\?+\s*(.*)$")
# the clauses of a piece, a question's clause with its question mark kept ("History of
# fragility fracture?"), every other sentence end dropped; a comma before a list's item that
# is a label and its bare answer ends a clause too ("Age 67, Previous fracture: no, Smoking - no")
_QUESTION_SPLIT_RE = re.compile(rf"(?<=[A-Za-z0-9)\]]\?)\s+|(?!\?){_SENTENCE_RE.pattern}"
                                r"|,\s+(?=[A-Za-z][A-Za-z /()'&]{1,40}?(?:\s?:\s*|\s[-\u2013]\s)"
                                r"(?i:yes|no|nil|none|unknown|n/?a|y|n)\b)")
# a question mark before a word queries it ("? old rib fractures", "fall, ?hip fracture"): the
# word query, which history.json's context reads as uncertain
_QUERY_MARK_RE = re.compile(r"(?<![\w?])\?+ ?(?=[A-Za-z])")
_MORE_CLAUSES_RE = re.compile(f"{_SENTENCE_RE.pattern}|{_CHECKBOX_RE.pattern}")
# a character every match of _MORE_CLAUSES_RE starts with or holds (a fast first test)
_CLAUSE_MARK_RE = re.compile("[.!?;|\\[\u2022\u2610\u2611\u2612-]")


@cache
def _fracture_mark_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The ``#`` of a fracture before or after a site (history.json fracture_sites): "#NOF",
    "# L1", "R wrist #", a side between ("# L) NOF"). Not a heading's "# Hip" at a line's
    start, nor a number ("#1", "hip # 2") or "# of scans"."""
    sites = sorted({p for items in load("history")["fracture_sites"].values() for p in items},
                   key=len, reverse=True)
    names = "|".join(re.escape(site).replace(r"\*", r"\w*").replace(r"\ ", r"[\s-]+")
                     for site in sites)
    side = r"(?:(?:l|r|lt|rt|left|right)\)?\s+|\((?:l|r)\)\s+)?"  # "# L) NOF", "# left wrist"
    before = re.compile(rf"(?:(?<![\w#])#|(?<=[^\s#]\s)#\s)(?={side}(?:{names})\b)",
                        re.IGNORECASE)
    after = re.compile(rf"\b({names})\s?#(?![#\w])(?!\s?\d{{1,3}}\b)", re.IGNORECASE)
    return before, after


# the # of a fracture named without a site: "Prev # : nil", "h/o # 2019", "no previous #s"
_HISTORY_MARK_RE = re.compile(r"\b(prev|previous|prior|old|any|no|known|h/o)\s?#(s?)(?![\w#])",
                              re.IGNORECASE)


def _fracture_marks(text: str) -> str:
    """``text`` with the ``#`` of a fracture written as the word ("R #NOF 2021" -> "R
    fracture NOF 2021"), which the fracture reader and the first test of a line look for."""
    if "#" not in text:
        return text
    before, after = _fracture_mark_re()
    text = _HISTORY_MARK_RE.sub(r"\1 fracture\2", text)

    def word(mark: re.Match[str]) -> str:  # a sentence's first word keeps its capital
        opens = re.search(r"(?:^|[.!?]\s+)$", text[:mark.start()]) is not None
        return "Fracture " if opens else "fracture "
    return after.sub(r"\1 fracture", before.sub(word, text))


# a sentence a printout wrapped: a long line that ends inside a sentence (a letter or a comma)
# and a next line that goes on with a lower-case word ("... No history of low-trauma" /
# "fracture. Discussed Prolia.") or a year or span of years ("... Alendronate" / "2012-2021,
# currently on a drug holiday.")
_WRAPPED_MIN_CHARS = 50
_ENDS_INSIDE_RE = re.compile(r"[A-Za-z,]$")
_GOES_ON_RE = re.compile(r"^(?:[a-z]|(?:19|20)\d\d(?:[-\u2013](?:19|20)?\d\d)?[ ,])")


def _unwrapped(lines: list[str]) -> list[str]:
    """``lines`` with each wrapped sentence joined again (its clauses, and the scopes of its
    negations, are cut where it ends, not where the line did)."""
    out: list[str] = []
    for line in lines:
        if out and _GOES_ON_RE.match(line) and len(out[-1].strip()) >= _WRAPPED_MIN_CHARS \
                and _ENDS_INSIDE_RE.search(out[-1].rstrip()):
            out[-1] = f"{out[-1].rstrip()} {line}"
        else:
            out.append(line)
    return out


@cache
def _question_openers() -> frozenset[str]:
    return frozenset(load("history")["question_openers"])


def _question(line: str) -> tuple[str, str] | None:
    """A question and the rest of its line ("Have you ever broken a bone as an adult? No"),
    where the line opens with one; else None."""
    match = _QUESTION_RE.match(line) if "?" in line else None
    if match is None or match.group(1).split()[0].lower() not in _question_openers():
        return None
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class Statement:
    keyed: str  # the clause in matching form (" no prior fractures ")
    label: str = ""  # the label it stands under, keyed (" fracture history "), else ""
    answer: str | None = None  # yes, no or unknown: the value is a bare answer to the label
    text: str = ""  # the clause as written (folded), for evidence and drugs as written
    first: bool = True  # the first clause after its label (or of its line)
    # the status cell of the table row the clause is a cell of ("Alendronate 70 mg weekly |
    # 2014 | 2019 | Stopped"): "stopped", "current", "unknown" (history.json row_status),
    # else ""
    row: str = ""

    @property
    def whole(self) -> str:
        """Label and value as one key text."""
        return f"{self.label.rstrip()}{self.keyed}" if self.label else self.keyed


@cache
def _answers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, phrase_matcher(phrases))
                 for name, phrases in load("history")["answers"].items())


@cache
def _section_headers() -> frozenset[str]:
    return frozenset(key(p).strip() for items in load("sections")["sections"].values()
                     for p in items)


def answer_of(keyed: str) -> str | None:
    """``yes``, ``no`` or ``unknown`` when the whole of a value is a bare answer ("No",
    "none", "not recorded", "Y"), else None."""
    for name, pattern in _answers():
        if pattern.fullmatch(keyed.strip()):
            return name
    return None


def _pieces(value: str) -> list[tuple[str, bool]]:
    """A line cut at checkbox marks: (piece, ticked); text before any mark counts as ticked.
    Where the line ends in a mark after an item ("Sex: M [ ]  F [x]"), each mark follows its
    item and ticks the text before it."""
    parts = _CHECKBOX_RE.split(value)
    if len(parts) > 1 and parts[0].strip() and not parts[-1].strip():
        return [(piece, mark.replace(" ", "") in _TICKED)
                for piece, mark in zip(parts[0::2], parts[1::2], strict=False)]
    out = [(parts[0], True)]
    for mark, piece in zip(parts[1::2], parts[2::2], strict=True):
        out.append((piece, mark.replace(" ", "") in _TICKED))
    return out


def statements(text: str, label: str = "",
               keep: Callable[[str, str], bool] | None = None) -> list[Statement]:
    """The statements of a text (a report, a section, an SR item's value). ``label``: the
    name the whole text stands under (an SR item's concept name). A label alone on its line
    (``FAMILY HISTORY:``, ``RECOMMENDATIONS``) is the label of the lines under it, up to the
    next blank line or label.

    ``keep(label, line)``, the label keyed and the line (or a cell of it) as written
    (folded), leaves out the statements of the line when false: a reader's fast first test,
    so that the lines it cannot read (table rows, names, dates) are never cut into clauses.
    It is asked only where the line holds what its statements hold: a line without a label
    (its clauses' words are the line's, in order), or one clause under a label (the clause is
    the line). Labels are followed as they are without it."""
    out: list[Statement] = []
    outer = key(label) if label else ""
    section = outer
    lines = _answer_columns(
        _unwrapped(_fracture_marks(fold(text[:MAX_CHARS])).replace("\r", "\n").split("\n")))
    cells = (cell for whole in lines for cell in (
        _CELLS_RE.split(whole.strip()) if ":" in whole else (whole,)))  # cells end in a colon
    for cell in cells:
        read = _remembered_cell if len(cell) <= _REMEMBERED_CHARS else _cell
        section, found = read(cell, section, outer, keep)
        out += found
    return out


# a table of questions answered in columns: "RISK FACTORS   Y/N   Details", "Factor  Yes  No"
_ANSWER_HEADER_RE = re.compile(
    r"^\s*[A-Za-z][A-Za-z /()-]{0,40}?\s+(?P<cols>y\s*/\s*n|yes\s*/\s*no|yes\s+no|no\s+yes|y\s+n)"
    r"(?:\s+(?:details?|comments?|notes?|specify))?\s*$", re.IGNORECASE)
_ANSWER_ROW_RE = re.compile(r"^\s*(?P<item>[A-Za-z][^:\[\u2610-\u2612]*?)\s+(?P<answer>y|n|yes|no)"
                            r"(?:\s+(?P<details>\S.*))?$", re.IGNORECASE)
_TWO_BOXES_RE = re.compile(r"^\s*(?P<item>[A-Za-z][^:\[\u2610-\u2612]*?)\s*(?P<first>\[\s?\]|"
                           r"\[[xX\u2713\u2714]\]|[\u2610-\u2612])\s*(?P<second>\[\s?\]|"
                           r"\[[xX\u2713\u2714]\]|[\u2610-\u2612])\s*$")


def _answer_columns(lines: list[str]) -> list[str]:
    """Rows of a table whose columns are the answers (``Vertebral fracture   N``, ``Previous
    fracture  [ ]  [X]`` under ``Yes  No``) written as each item's label and answer
    (``Vertebral fracture: N``, ``Previous fracture: [ ] Yes [X] No``), up to the first line
    that is no such row; the header itself states nothing."""
    out: list[str] = []
    columns: list[str] | None = None
    for line in lines:
        if (header := _ANSWER_HEADER_RE.match(line)) is not None:
            names = re.split(r"\s*/\s*|\s+", header.group("cols").strip())
            columns = names if "/" not in header.group("cols") else []
            out.append("")
            continue
        if columns is not None and (boxes := _TWO_BOXES_RE.match(line)) and len(columns) == 2:
            out.append(f"{boxes.group('item').strip()}: {boxes.group('first')} {columns[0]} "
                       f"{boxes.group('second')} {columns[1]}")
            continue
        if columns == [] and (row := _ANSWER_ROW_RE.match(line)):
            details = row.group("details")
            out.append(f"{row.group('item').strip()}: {row.group('answer')}"
                       + (f", {details}" if details else ""))
            continue
        columns = None
        out.append(line)
    return out


Keep = Callable[[str, str], bool] | None
# a label whose value is a dash is a label with no value (a FRAX box not filled in: "Hip
# Fracture  -"), never a statement of the label's words
_EMPTY_VALUE_RE = re.compile(r"^([A-Za-z][^:=]{0,60}?)\s+-{1,3}$")
_REMEMBERED_CHARS = 200  # cells up to this long are remembered (headers, legends, footers)


# a form's item with its answers' boxes after it, each answer before its box: "Hip fracture
# ....... Yes [ ]  No [x]"
_BOX = r"(?:\[\s?\]|\[[xX\u2713\u2714]\]|[\u2610\u2611\u2612])"
_ANSWERS_AFTER_RE = re.compile(
    rf"^([A-Za-z][^\[\u2610\u2611\u2612:]{{2,120}}?)[\s._:-]*\s((?:(?:yes|no|y|n|unknown|not sure)"
    rf"\s*{_BOX}\s*){{2,4}})$", re.IGNORECASE)
_ANSWER_BOX_RE = re.compile(rf"([A-Za-z][A-Za-z ]*?)\s*({_BOX})")
# a form's item ended by a colon with its answers' boxes after it, a label that may be long and
# hold a number: "Other fracture after age 50 from a fall from standing height: [ ] Yes [X] No"
_ITEM_BOXES_RE = re.compile(rf"^([A-Za-z][^:\[\u2610\u2611\u2612]{{2,120}}?):\s*({_BOX}.*)$")
# the same without the colon, where the first box opens an answer: "Prior fracture   [x] No
# [ ] Yes", "Menopause  [ ] Pre [x] Post" (not "Hip fracture [x]  Wrist fracture [ ]", each box
# after its item)
_ITEM_ANSWER_BOXES_RE = re.compile(
    rf"^([A-Za-z][^:\[\u2610\u2611\u2612]{{2,120}}?)\s+({_BOX}\s*(?:yes|no|y|n|none|nil|unknown"
    rf"|not sure|pre|peri|post|never|current|past|former)\b.*)$", re.IGNORECASE)


@cache
def _identity_labels() -> frozenset[str]:
    """Labels whose value is a name, an address or an identifier (history.json
    not_history_labels), keyed."""
    return frozenset(key(p).strip() for p in load("history")["not_history_labels"])


# a table row (a medication list's) whose last cell, after a date, gives its status as not
# known: the row states nothing
_UNKNOWN_ROW_RE = re.compile(r"\d{4}(?:-\d\d){0,2}(?:\s+-)?\s+(?:unknown|not known|status unknown)"
                             r"\s*$", re.IGNORECASE)
# a form's follow-up after an answer: "[ ] No  If yes, which: raloxifene 60 mg"
_FOLLOW_UP_RE = re.compile(r"^(\s*(?:yes|no|y|n))\b[\s.,;]+((?:if|details|which|specify)\b.*:.*)$",
                           re.IGNORECASE)


def _follow_ups(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Checkbox pieces with a form's follow-up after an answer ("[X] Yes [ ] No If yes,
    which: raloxifene") as a piece of its own, which is the form's next item (read whether
    or not the answer before it is ticked)."""
    out: list[tuple[str, bool]] = []
    for piece, ticked in pieces:
        follow_up = _FOLLOW_UP_RE.match(piece)
        if follow_up is None:
            out.append((piece, ticked))
        else:
            out += [(follow_up.group(1), ticked), (follow_up.group(2), True)]
    return out
# a title and an initial that end a clause ("Dr T", "Mrs J. K"): the clause after them, a
# word or two, is the rest of the name ("Break", "Hip, Orthopaedics")
_TITLED_INITIAL_RE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Doctor)\.?"
                                r"(?:\s+[A-Z]\.?){1,3}\s*$")
_SURNAME_WORDS = 2
_INITIAL_END_RE = re.compile(r"(?:^|[\s.])[A-Z]\s*$")
_HEADING_WORD_RE = re.compile(r"^([A-Z]{4,}(?: [A-Z]{2,}){0,2}) ([A-Z][a-z].*)$")


# a label and its bare answer parted by a dash: "Fracture history - nil", also as the value of
# a section's label: "History: Previous fracture - no"
_DASH_ANSWER_RE = re.compile(r"^((?:[A-Za-z][A-Za-z /()'&]{0,40}:\s*)?)"
                             r"([A-Za-z][A-Za-z /()'&]{1,60}?)\s+[-\u2013]\s+(\S[^:]*?)\.?$")


def _dash_answer(line: str) -> str:
    """"Fracture history - nil" as "Fracture history: nil" where what follows the dash is a
    bare answer (history.json answers); any other line as it is ("Hip fracture - 2019")."""
    found = _DASH_ANSWER_RE.match(line) if " - " in line or "\u2013" in line else None
    if found is None or answer_of(key(found.group(3))) is None:
        return line
    return f"{found.group(1)}{found.group(2)}: {found.group(3)}"


def _answers_first(line: str) -> str:
    """A form's row with each answer before its box ("Hip fracture .... Yes [ ]  No [x]") as
    the item's label with its boxes before their answers ("Hip fracture: [ ] Yes [x] No"),
    which the label and checkbox reading take; any other line as it is."""
    found = _ANSWERS_AFTER_RE.match(line) if "[" in line or not line.isascii() else None
    if found is None:
        return line
    boxes = " ".join(f"{mark} {answer}" for answer, mark in
                     _ANSWER_BOX_RE.findall(found.group(2)))
    return f"{found.group(1).rstrip(' .')}: {boxes}"


def _cell(cell: str, section: str, outer: str, keep: Keep) -> tuple[str, tuple[Statement, ...]]:
    """The statements of one cell of a line under ``section``, and the section after it."""
    line = _answers_first(_dash_answer(_EMPTY_VALUE_RE.sub(r"\1: -", cell.strip())))
    if not line:
        return outer, ()
    if _UNKNOWN_ROW_RE.search(line):
        return section, ()  # "Risedronate 35 mg tablet  2013-06-01  -  Unknown": not known
    own = section
    enclosing = ""  # where a blocking label nested in another covers its first clause only
    around: str | None = None  # the section of an identity label's line: its later sentences'
    match = _LABEL_RE.match(line) if ":" in line or "=" in line else None
    if match and not _has_digit(match.group(1)):
        own, line = key(match.group(1)), match.group(2)
        heading = _HEADING_WORD_RE.match(match.group(1))
        if heading and key(heading.group(1)).strip() in _section_headers():
            # "INDICATIONS Mother: hip fracture at 81. Started teriparatide.": a heading in
            # capitals run into the label of its first item is the section the label is in
            section, own = key(heading.group(1)), key(heading.group(2))
        if section and line.strip() and _blocking(own):
            enclosing = section
        around = section if own.strip() in _identity_labels() else None
        section = own if not line.strip() else outer
    elif (item := _ITEM_BOXES_RE.match(line) or _ITEM_ANSWER_BOXES_RE.match(line)) is not None:
        own, line = key(item.group(1)), item.group(2)  # a form's item, its boxes after it
    elif line.isupper() and key(line).strip() in _section_headers():
        return key(line), ()
    elif question := _question(line):
        if not question[1].strip():
            return section, ()  # a question alone states nothing
        own, line = key(question[0]), question[1]
    if keep is not None and len(line) <= MAX_CLAUSE and not keep(own, line) \
            and not (own and _CLAUSE_MARK_RE.search(line)
                     and _MORE_CLAUSES_RE.search(line.rstrip(".!?"))):
        return section, ()
    out: list[Statement] = []
    row = _row_status(line)
    pieces = _follow_ups(_pieces(line))
    # the items' label ends the text before the first mark: "Age: 73 Sex: [X] F [ ] M"
    items = _ITEMS_LABEL_RE.search(pieces[0][0]) if len(pieces) > 1 else None
    items_label = key(items.group(1)) if items else own
    for index, (piece, ticked) in enumerate(pieces):
        piece_label, piece = _piece_label(piece, items_label) if index else (own, piece)
        bullet = len(pieces) == 2 and not pieces[0][0].strip() and piece_label != items_label \
            and not _FOLLOW_UP_LABEL_RE.search(pieces[1][0].split(":")[0].strip())
        if not ticked and not bullet and (
                piece_label == items_label or answer_of(key(piece)) != "no"):
            # an unticked item, unless its label's answer is no, or the line's one box is a
            # checklist's bullet before a label and its written value ("[ ] Osteoporosis
            # medication: None since 2019")
            continue
        first = True
        before = ""
        asked = ""  # a question inside the line ("History of fracture? No"): its answer's label
        for clause in (part[i:i + MAX_CLAUSE] for part in _QUESTION_SPLIT_RE.split(piece)
                       for i in range(0, len(part), MAX_CLAUSE)):
            if clause.endswith("?"):
                asked = clause.rstrip("?")  # a question alone states nothing
                continue
            clause_label = enclosing if enclosing and out else piece_label
            if asked and answer_of(key(clause)) is not None:
                clause_label = key(asked)
            asked = ""
            if _TITLED_INITIAL_RE.search(before) and len(clause.split()) <= _SURNAME_WORDS:
                before = clause
                continue  # "Referring Physician: Dr T. Break": the rest of a name
            if around is not None and out and piece_label == own \
                    and not _INITIAL_END_RE.search(before):
                # a sentence after an identity label's value ("Address on file: 1 Mill Lane.
                # No hip fracture.") is the section's, not the name's; a clause after an
                # initial goes on with the name ("Referred by: Dr P. Hip, Orthopaedics")
                clause_label = around
            before = clause
            clause = _dash_answer(clause.strip())  # "History: Previous fracture - no. Parent ..."
            inner = _LABEL_RE.match(clause.strip()) if ":" in clause else None
            # a label inside a later clause ("67. Sex: F"), or one with a bare answer nested in
            # the line's label ("Clinical notes: Fractures: nil."); one under a relative's or a
            # hypothetical label stays theirs ("Family history: prior fracture - yes")
            if inner and not _has_digit(inner.group(1)) and inner.group(2).strip() \
                    and (not first or answer_of(key(inner.group(2))) is not None) \
                    and not _not_the_patients(clause_label):
                clause_label, clause = key(inner.group(1)), inner.group(2)
            keyed = key(_QUERY_MARK_RE.sub(" query ", clause.replace("%", " percent ")))
            if keyed.strip():
                out.append(Statement(keyed, clause_label,
                                     answer_of(keyed) if clause_label else None,
                                     clause.strip(), first, row))
                first = False
    return section, tuple(out)


# the cells of a table row: parted by bars, tabs or a run of spaces
_ROW_CELLS_RE = re.compile(r"\s*\|\s*|\t\s*|\s{2,}")


@cache
def _row_statuses() -> dict[str, str]:
    return {key(p).strip(): status for status, items in load("history")["row_status"].items()
            for p in items}


def _row_status(line: str) -> str:
    """The status of a table row with a status cell (a medication list's "Stopped", "Active":
    history.json ``row_status``), else "". A cell is a status only in a row of two or more
    cells, and the row must have one status: "Stopped | Active" is none."""
    if "|" not in line and "\t" not in line and "  " not in line:
        return ""
    cells = [cell for cell in _ROW_CELLS_RE.split(line.strip()) if cell]
    if len(cells) < 2:
        return ""
    found = {_row_statuses().get(key(cell).strip()) for cell in cells} - {None}
    return found.pop() if len(found) == 1 else ""


@cache
def _blocking(label: str) -> bool:
    """A label under which nothing is the patient's own (family, plans, risk: "FHx:"). Nested
    in another label ("Indication: FHx: mother hip fx. On alendronate.", an SR item whose
    value opens with one) it covers its own clause, as one inside a sentence does: the
    clauses after it stand under the enclosing label."""
    return bool({m.rule.category for m in find_modifiers(label)} & BLOCKING_LABEL)


def _not_the_patients(label: str) -> bool:
    """A label under which nothing is the patient's: a relative's or a hypothetical one
    ("Family history:", "If fracture:"); a risk-factor list's answers are the patient's."""
    return bool(label.strip()) and bool(
        {m.rule.category for m in find_modifiers(label)} & {"family", "hypothetical"})


# a form item's follow-up field after its name: "Previous fracture   details:", "If yes, which:"
_FOLLOW_UP_LABEL_RE = re.compile(r"\s{2,}|\b(?:details?|specify|which|if yes|comments?)\b",
                                 re.IGNORECASE)


def _piece_label(piece: str, own: str) -> tuple[str, str]:
    """The label of a checkbox item and its value ("[ ] Previous fracture  details: none"),
    else ``own`` and the item as it is."""
    inner = _LABEL_RE.match(piece.strip()) if ":" in piece else None
    if inner and not _has_digit(inner.group(1)) and inner.group(2).strip():
        return key(inner.group(1)), inner.group(2)
    return own, piece


# a cell read again under the same section by the same first test reads the same (statements
# are immutable): a template's headers, legends and footers come back in every report
_remembered_cell = lru_cache(maxsize=8192)(_cell)
