"""The one clinical-history reader: statements in, the history fields of the report document
out (sex, menopausal status, fracture history per key, therapy), each set only where a
statement states it.

Findings of one field are merged by strength: a statement about the field itself (``no hip
fracture``, ``on alendronate``) outranks a blanket or weaker one (``no other fractures``, ``took
alendronate, stopped 2019``), and a statement under a correction (``ADDENDUM:``, ``Correction
to medication history:``) outranks the body's. Two statements of the same strength that
disagree leave the field null and add the warning ``HISTORY_CONFLICT:<field>`` (CONTRACT: a
fact is set only where the report states it; a contradiction is no statement).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from dexa.contract import FractureHistory, Therapy
from parsers.history import findings as read
from parsers.history.findings import FRACTURE_KEYS, Finding
from parsers.history.statements import Statement, statements
from parsers.kit.text import key
from parsers.kit.vocabulary import load

CONFLICT = "HISTORY_CONFLICT"
_CORRECTION = 2  # a correction's statement outranks the body's of any strength
# a last menstrual period in a year this many years before the scan's was 12 months or more
# before it, whatever the two days (an LMP in the year before may be a month before)
_POSTMENOPAUSAL_YEARS = 2
_SEX_LABELS = tuple(key(label.lstrip("^")).strip() for label in load("report_labels")["sex"]) \
    + ("gender", "sex")


@dataclass
class History:
    sex: str | None = None
    menopausal_status: str | None = None
    fracture_history: FractureHistory = field(default_factory=FractureHistory)
    therapy: Therapy = field(default_factory=Therapy)
    warnings: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)  # field -> the clause that set it


def _merge(found: list[Finding], name: str, history: History) -> Any:
    """The value the strongest findings agree on; None (and a warning) when they disagree."""
    if not found:
        return None
    strongest = max(f.strength for f in found)
    values = [f for f in found if f.strength == strongest]
    distinct = {f.value for f in values}
    if len(distinct) > 1:
        history.warnings.append(f"{CONFLICT}:{name}")
        return None
    history.evidence[name] = values[0].evidence
    return values[0].value


def _merge_therapy(found: list[Finding], history: History) -> Therapy:
    """On therapy when a current drug is named (the first one, as written); a stated
    "untreated" of the same strength contradicts it. A drug stopped or a course given as
    years ("Alendronate 2015-2020") states neither: other drugs may be taken."""
    if not found:
        return Therapy()
    strongest = max(f.strength for f in found)
    found = [f for f in found if f.strength == strongest]
    drugs = [f for f in found if f.value[0] == "on_therapy"]
    untreated = [f for f in found if f.value[0] == "untreated"]
    if drugs and untreated and max(f.strength for f in untreated) >= drugs[0].strength:
        history.warnings.append(f"{CONFLICT}:therapy")
        return Therapy()
    chosen = drugs[0] if drugs else untreated[0]
    history.evidence["therapy"] = chosen.evidence
    status, current, at_prior = chosen.value
    return Therapy(status=status, current=current, on_therapy_at_prior=at_prior)


@lru_cache(maxsize=8192)
def _findings(statement: Statement) -> tuple[Finding, ...]:
    """What one statement states (both are immutable: a statement that comes back, "Sex:
    Female", "Osteoporosis therapy: None", is read once per process)."""
    if not read.may_state(statement):
        return ()
    return (*read.fractures(statement), *read.therapy(statement), *read.menopause(statement),
            *read.sex(statement, _SEX_LABELS))


def read_history(statements: Iterable[Statement], stated: Iterable[Finding] = (),
                 scan_date: str | None = None) -> History:
    """Every history fact the statements state (see the module docstring). ``stated``: facts a
    reader found in coded items (an SR's "Hip fracture = No"), merged with the text's as any
    statement about the field itself, so a coded answer and a sentence that disagree leave
    the field null with a warning. ``scan_date`` (ISO), where the report gives it: an LMP
    or the end of the periods in a year two or more years before it is post."""
    by_field: dict[str, list[Finding]] = {}
    for finding in stated:
        by_field.setdefault(finding.field, []).append(finding)
    corrects = False
    statements = list(statements)
    corrected = _corrected_before(statements)
    for index, statement in enumerate(statements):
        before = statements[index - 1] if index else None
        statement = read.therapy_anaphor(read.fracture_anaphor(statement, before), before)
        # an addendum comes last: what follows its heading corrects the report too
        corrects = corrects or read.corrects(statement)
        for finding in _findings(statement):
            if corrects or index in corrected:
                finding = replace(finding, strength=finding.strength + _CORRECTION)
            by_field.setdefault(finding.field, []).append(finding)
    history = History()
    history.sex = _merge(by_field.get("sex", []), "sex", history)
    scan_year = int(scan_date[:4]) if scan_date else None
    history.menopausal_status = _merge(
        [f for f in by_field.get("menopausal_status", []) if f.since is None
         or scan_year is not None and scan_year - f.since >= _POSTMENOPAUSAL_YEARS],
        "menopausal_status", history)
    _refute_denials(by_field, history)
    history.fracture_history = FractureHistory(**{
        name: _merge(by_field.get(f"fracture_history.{name}", []),
                     f"fracture_history.{name}", history) for name in FRACTURE_KEYS})
    history.therapy = _merge_therapy(by_field.get("therapy", []), history)
    return history


def _corrected_before(statements: list[Statement]) -> set[int]:
    """The statements a closing correction corrects: "The patient stopped alendronate in
    2020 and takes no bone medication. This supersedes the history above." (history.json
    correction_after) corrects the clauses of its line (or its label's value) before it."""
    out: set[int] = set()
    for index, statement in enumerate(statements):
        if index in out or not read.corrects_before(statement):
            continue
        start = index
        while start > 0 and not statements[start].first:
            start -= 1
        out.update(range(start, index))
    return out


def _refute_denials(by_field: dict[str, list[Finding]], history: History) -> None:
    """A denial of every fracture ("No previous fractures") and a fracture of one key the
    report states beside it ("Sustained a wrist fracture in 2018"): the report contradicts
    itself on that key, which is left null with a ``HISTORY_CONFLICT`` warning (the denial,
    a blanket, would otherwise yield to the fracture); the keys the fracture does not touch
    keep the denial. A correction's fracture ("ADDENDUM: T11 compression fracture") or
    denial outranks the other as any correction does."""
    for name in (f"fracture_history.{site}" for site in FRACTURE_KEYS):
        found = by_field.get(name, [])
        denied = [f.strength for f in found if f.absolute]
        stated = [f.strength for f in found if f.value is True]
        if denied and stated and max(denied) <= max(stated) <= max(denied) + 1:
            by_field[name] = []
            history.warnings.append(f"{CONFLICT}:{name}")


def _may_state_line(label: str, line: str) -> bool:
    return read.may_state_line(label, line, _SEX_LABELS)


def read_text_history(text: str, label: str = "", scan_date: str | None = None) -> History:
    """``read_history(statements(text, label), scan_date=scan_date)``, with the lines no
    history reader can read (no word it looks for, no label whose answer it reads) left out
    before they are cut into clauses: the same findings, at a fraction of the cost on a
    printout's tables and headers."""
    return read_history(statements(text, label, keep=_may_state_line), scan_date=scan_date)
