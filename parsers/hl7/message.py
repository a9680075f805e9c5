"""An HL7 v2 message (``MSH|^~\\&|…``, segments on their own lines) as report text and coded
values.

The separators are the message's own (MSH-1 and MSH-2). A text result (OBX value type TX, FT
or ST) is report text: each repetition of OBX-5 a line, its escapes undone (``\\.br\\`` a
line break, ``\\F\\ \\S\\ \\T\\ \\R\\ \\E\\`` the separators written out, ``\\Xhh\\`` the
bytes; highlighting and other formatting dropped); an ST value of a few words answers the
question its OBX-3 names and is written after it (``On treatment: No``). A note (NTE-3) is
report text too. A numeric result (NM, or SN with a plain number) with a DXA LOINC code in
OBX-3 is a coded value, its unit in OBX-6; any other result is a labelled line
(``<OBX-3 text>: <value> <unit>``). A result whose status (OBX-11) says it is wrong, deleted
or could not be obtained is neither. The other segments (MSH, PID, OBR, ...) stay in the
text as they are: the free-text reader reads the birth date and sex of PID and the date of
OBR there (``parsers.prose.facts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from parsers.loinc import LOINC, CodedValue

_HEADER = re.compile(r"^[ \t\r\n\ufeff]*(?:MSH|FHS|BHS)([^A-Za-z0-9\s])")
_TEXT_TYPES = frozenset({"TX", "FT", "ST"})
_NUMBER_TYPES = frozenset({"NM", "SN"})
_CODED_TYPES = frozenset({"CE", "CWE", "CNE", "CF"})
_EMBEDDED = frozenset({"ED", "RP"})
_ANSWER_WORDS = 3
_NOT_A_RESULT = frozenset({"W", "D", "X"})  # OBX-11: wrong, deleted, cannot be obtained
_LOINC_SYSTEMS = frozenset({"LN", "LOINC"})
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")


def is_message(head: str) -> bool:
    """Whether a text starts as an HL7 v2 message (or a file or batch of them)."""
    return _HEADER.match(head) is not None


@dataclass(frozen=True)
class Separators:
    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape: str = "\\"
    subcomponent: str = "&"


def _separators(header: str) -> Separators:
    """The separators an MSH (or FHS, BHS) segment declares."""
    field = header[3]
    encoding = header[4:].split(field, 1)[0]
    defaults = Separators(field=field)
    chars = [encoding[i] if i < len(encoding) else default for i, default in enumerate(
        (defaults.component, defaults.repetition, defaults.escape, defaults.subcomponent))]
    return Separators(field, *chars)


def _hex(text: str) -> str:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return ""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def unescape(text: str, separators: Separators) -> str:
    """The text an HL7 value stands for (see the module's docstring)."""
    escape = separators.escape
    if escape not in text:
        return text
    named = {"F": separators.field, "S": separators.component, "T": separators.subcomponent,
             "R": separators.repetition, "E": escape, "H": "", "N": ""}

    def undone(match: re.Match[str]) -> str:
        sequence = match.group(1)
        if sequence in named:
            return named[sequence]
        if sequence.startswith(("X", "x")):
            return _hex(sequence[1:])
        if sequence.startswith((".br", ".sp")):
            return "\n"
        if sequence.startswith(".") or sequence.startswith(("C", "M", "Z")):
            return ""  # formatting (.in, .ti, .ce, .fi, .nf, .sk), character sets, local
        return match.group(0)

    mark = re.escape(escape)
    pattern = re.compile(f"{mark}([^{mark}\r\n]{{1,32}}){mark}")
    return pattern.sub(undone, text)


@dataclass
class Message:
    separators: Separators
    segments: list[list[str]]  # each segment's fields, [0] its name
    lines: list[str]  # each segment as written

    def field(self, segment: list[str], number: int) -> str:
        """Field ``number`` of a segment (OBX-5 is ``field(obx, 5)``), '' where absent."""
        return segment[number] if len(segment) > number else ""

    def components(self, value: str) -> list[str]:
        return value.split(self.separators.component)


def parse(text: str) -> Message | None:
    """The segments of a message, None when the text does not start as one."""
    header = _HEADER.match(text)
    if header is None:
        return None
    text = text[header.start(1) - 3:]
    separators = _separators(text)
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    segments = [line.split(separators.field) for line in lines]
    return Message(separators, segments, lines)


def _is_result(message: Message, segment: list[str]) -> bool:
    return (segment[0] == "OBX"
            and message.field(segment, 11).strip().upper() not in _NOT_A_RESULT)


def _value_lines(message: Message, value: str) -> Iterator[str]:
    for repetition in value.split(message.separators.repetition):
        yield from unescape(repetition, message.separators).split("\n")


def _first(message: Message, value: str, *, text_first: bool) -> str:
    """A coded element's text (its second component) or code (its first), unescaped."""
    parts = message.components(value) + [""]
    chosen = (parts[1] or parts[0]) if text_first else (parts[0] or parts[1])
    return unescape(chosen, message.separators).strip()


def _result_line(message: Message, segment: list[str]) -> str | None:
    """Another result as a labelled line: ``<OBX-3 text>: <OBX-5> <OBX-6>`` (``Age: 67 a``,
    ``Vitamin D: 62 ng/mL``); a coded answer by its text, a unit written as a UCUM annotation
    (``{T-score}``) left out. Embedded data (ED, RP) is no line, nor a numeric result whose
    LOINC code the DXA table knows (it is read as a coded value, by its code)."""
    value_type = message.field(segment, 2).strip().upper()
    label = _first(message, message.field(segment, 3), text_first=True)
    raw = message.field(segment, 5)
    if value_type in _EMBEDDED or not label or not raw.strip() or (
            value_type in _NUMBER_TYPES and _loinc(message, message.field(segment, 3)) in LOINC):
        return None  # a DXA result the code places: a coded value, not words
    if value_type in _CODED_TYPES:
        value = _first(message, raw, text_first=True)
    else:  # a number, a structured number ("<^0.5"), a date: its components run together
        value = unescape("".join(message.components(raw)), message.separators).lstrip("=")
    unit = _first(message, message.field(segment, 6), text_first=False)
    unit = "" if unit.startswith("{") else unit
    return f"{label}: {value} {unit}".rstrip()


def _is_answer(message: Message, segment: list[str], lines: list[str]) -> bool:
    """Whether a text result is a short answer to the question its OBX-3 names (an ST value
    of a few words: ``FRAX calculated with BMD`` ``N``), not a line of the report."""
    return (message.field(segment, 2).strip().upper() == "ST" and len(lines) == 1
            and 0 < len(lines[0].split()) <= _ANSWER_WORDS
            and bool(_first(message, message.field(segment, 3), text_first=True)))


def report_text(message: Message) -> str:
    """The message as a text report: text results and notes as their lines, other results as
    labelled lines, every other segment as written."""
    out: list[str] = []
    for segment, line in zip(message.segments, message.lines, strict=True):
        name = segment[0].strip()
        if name == "OBX":
            if not _is_result(message, segment):
                continue
            lines = list(_value_lines(message, message.field(segment, 5))) \
                if message.field(segment, 2).strip().upper() in _TEXT_TYPES else []
            if _is_answer(message, segment, lines):
                out.append(f"{_first(message, message.field(segment, 3), text_first=True)}: "
                           f"{lines[0].strip()}")
            elif lines:
                out.extend(lines)
            elif (result := _result_line(message, segment)) is not None:
                out.append(result)
        elif name == "NTE":
            out.extend(_value_lines(message, message.field(segment, 3)))
        else:  # another segment, or a line of a value broken over lines
            out.append(line)
    return "\n".join(out)


def _number(message: Message, value_type: str, value: str) -> float | None:
    if value_type == "SN":  # structured numeric: comparator ^ number [^ separator ^ number]
        parts = message.components(value) + ["", "", ""]
        if parts[0].strip() not in ("", "=") or parts[2].strip():
            return None
        value = parts[1]
    value = value.strip()
    return float(value) if _NUMBER.fullmatch(value) else None


def _loinc(message: Message, identifier: str) -> str | None:
    """The LOINC code of a coded element (CE/CWE): its identifier, or its alternate one."""
    parts = message.components(identifier) + [""] * 6
    for code, system in ((parts[0], parts[2]), (parts[3], parts[5])):
        if code.strip() and system.strip().upper() in _LOINC_SYSTEMS:
            return code.strip()
    return None


def coded_values(message: Message) -> Iterator[CodedValue]:
    """The numeric results coded in LOINC, with their units (OBX-6's identifier, then its
    text)."""
    for segment in message.segments:
        value_type = message.field(segment, 2).strip().upper() if segment[0] == "OBX" else ""
        if value_type not in _NUMBER_TYPES or not _is_result(message, segment):
            continue
        code = _loinc(message, message.field(segment, 3))
        value = _number(message, value_type, message.field(segment, 5))
        if code is None or value is None:
            continue
        unit = message.components(message.field(segment, 6)) + [""]
        # the code's text ("DXA Radius 33% right BMD") adds what the code leaves unsaid: the
        # side, the spine levels, which forearm region (``parsers.loinc.loinc_site``)
        text = (message.components(message.field(segment, 3)) + ["", ""])[1]
        yield CodedValue(code=code, value=value,
                         units=tuple(unescape(u, message.separators) for u in unit[:2]),
                         labels=(unescape(text, message.separators),) if text.strip() else ())
