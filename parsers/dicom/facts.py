"""SR items that are not per-site values: FRAX, fracture history, therapy, menopausal status, the
reference database. Their names are data (``parsers/vocabulary/sr_items.json``); each is
recorded only when the report states it, and a value that does not fit its item (a "Hip
fracture" item holding a number) is left for the measurement mapping.

History is read by the shared history reader (``parsers.history``), as in every other format:
a coded answer ("Hip fracture" = Yes/No, 1/0) is handed over as a stated finding; a written
value (a therapy item's "Alendronate 70 mg weekly" or "previously on alendronate, stopped", a
menopausal status "not recorded", a fracture item's "right hip, 2019") and the free-text
history items (``history_text`` names: clinical history, indication, comments ...) are read as
statements under their concept name. FRAX written in those items is read by the shared FRAX
reader when no coded FRAX result is there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dexa.contract import Frax, Lsc, Measurement, Prior
from parsers.dicom.tree import Node
from parsers.dicom.values import number
from parsers.history import Finding, History, Statement, read_frax, read_history, statements
from parsers.history.frax import bmd_answer, speaks_of_bmd_use
from parsers.kit.phrases import first_entry, has_phrase
from parsers.kit.text import fold, key
from parsers.kit.vocabulary import load

CODES = load("sr_codes")
ITEMS = load("sr_items")

_ITEM_KINDS = ("family", "frax_hip", "frax_mof", "frax_country", "frax_with_bmd", "lsc",
               "precision", "reference_database", "menopausal_status", "fracture_hip",
               "fracture_vertebral", "fracture_other", "therapy")


@lru_cache(maxsize=4096)
def item_kind(name: str) -> str | None:
    """Which non-measurement item a concept name names (``HIP_FRAC_RISK`` -> ``frax_hip``)."""
    return first_entry(((kind, ITEMS[kind]) for kind in _ITEM_KINDS), key(name))


@lru_cache(maxsize=1024)
def is_frax_container(name: str) -> bool:
    return has_phrase(ITEMS["frax_containers"], key(name))


def frax_item_kind(name: str) -> str | None:
    """``frax_hip`` / ``frax_mof`` for an item of a FRAX container that names only the fracture
    (``FRAX`` > ``Hip``), else None."""
    kind = item_kind(f"FRAX {name}")
    return kind if kind in ("frax_hip", "frax_mof") else None


@lru_cache(maxsize=4096)
def is_trend(name: str) -> bool:
    return has_phrase(ITEMS["trend"], key(name))


@lru_cache(maxsize=4096)
def is_prior_scan(name: str) -> bool:
    """A container that is one earlier scan (``Prior study``), not the current one."""
    return has_phrase(ITEMS["prior_scan"], key(name))


@lru_cache(maxsize=4096)
def is_prior_value(name: str) -> bool:
    """An item holding an earlier scan's value (``Previous BMD``), not clinical history
    (``Previous fractures``)."""
    keyed = key(name)
    return has_phrase(ITEMS["prior_value"], keyed) and \
        not has_phrase(ITEMS["history_containers"], keyed)


@lru_cache(maxsize=1024)
def is_current_scan(name: str) -> bool:
    """A container of this scan (``Current exam 2024-03-14``), whatever date it carries."""
    return has_phrase(ITEMS["current_scan"], key(name))


@lru_cache(maxsize=4096)
def is_reference_value(name: str) -> bool:
    """A reference population's value (``Young adult mean BMD``), not the patient's."""
    return has_phrase(ITEMS["reference_value"], key(name))


@lru_cache(maxsize=1024)
def is_region_item(name: str) -> bool:
    """An item whose value names its group's site (``Region = Neck``, ``ROI = L1-L4``)."""
    return has_phrase(ITEMS["region_items"], key(name))


@lru_cache(maxsize=1024)
def is_scan_date(name: str) -> bool:
    return has_phrase(ITEMS["scan_date"], key(name))


@lru_cache(maxsize=4096)
def is_derived(name: str) -> bool:
    """A container of values derived from several scans (``CHANGE_VS_BASELINE``)."""
    return has_phrase(ITEMS["derived"], key(name))


@lru_cache(maxsize=1024)
def is_history_text(name: str) -> bool:
    """A free-text item of clinical history (``Clinical History``, ``Indication``,
    ``Comments``), read by the shared history reader."""
    return has_phrase(ITEMS["history_text"], key(name))


@lru_cache(maxsize=1024)
def is_dxa_title(name: str) -> bool:
    return has_phrase(ITEMS["dxa_titles"], key(name))


def _yes_no(node: Node) -> bool | None:
    if node.code.value in CODES["yes_codes"]:
        return True
    if node.code.value in CODES["no_codes"]:
        return False
    if node.value_type == "NUM" and node.number in (0, 1):
        return bool(node.number)
    answer = key(node.text or "")
    if answer.strip() in ITEMS["yes"]:
        return True
    if answer.strip() in ITEMS["no"]:
        return False
    return None


@dataclass
class Content:
    """What an SR tree states, before header facts are added."""

    measurements: list[Measurement] = field(default_factory=list)
    priors: list[Prior] = field(default_factory=list)
    lsc: list[Lsc] = field(default_factory=list)
    frax: dict[str, Any] = field(default_factory=dict)
    stated: list[Finding] = field(default_factory=list)  # coded history answers
    history_text: list[tuple[str, str]] = field(default_factory=list)  # (concept name, value)
    reference_database: str | None = None
    looks_dxa: bool = False
    warnings: list[str] = field(default_factory=list)

    def warn(self, code: str) -> None:
        if code not in self.warnings:
            self.warnings.append(code)

    def frax_model(self) -> Frax | None:
        """The coded FRAX items, else FRAX written in the history texts."""
        if self.frax:
            return Frax(**self.frax)
        return read_frax(value for _, value in self.history_text) if self.history_text else None

    def history(self, scan_date: str | None) -> History:
        """The history facts of the coded answers and the written items, merged by the shared
        history reader (a contradiction is null plus a warning)."""
        return read_history((s for name, value in self.history_text
                             for s in _item_statements(name, value)), self.stated, scan_date)


@lru_cache(maxsize=4096)
def _item_statements(name: str, value: str) -> tuple[Statement, ...]:
    """The statements of one written item under its concept name (immutable: the same items,
    "Menopausal status: Postmenopausal", come back report after report)."""
    return tuple(statements(value, label=name))



def record_frax_note(content: Content, node: Node) -> bool:
    """A FRAX container's written note on whether BMD was used ("Calculated with femoral neck
    BMD"), where no "BMD used" item said so; False for any other text."""
    if node.value_type != "TEXT" or not node.text or "with_bmd" in content.frax \
            or not speaks_of_bmd_use(node.text):
        return False
    answer = bmd_answer(node.text)
    if answer is None:
        return False
    content.frax["with_bmd"] = answer
    return True


def record_fact(content: Content, kind: str, node: Node) -> bool:
    """Record a FRAX, history, therapy or reference-database item; False when its value does
    not fit (the caller then tries the item as a measurement)."""
    if kind in ("frax_mof", "frax_hip"):
        value = node.number if node.value_type == "NUM" else number(node.text)
        if value is None:
            return False
        content.frax["major_osteoporotic_pct" if kind == "frax_mof" else "hip_pct"] = value
        return True
    if kind == "family":
        return True  # "Parental history of hip fracture = Yes": a relative's, a FRAX input
    if kind in ("fracture_hip", "fracture_vertebral", "fracture_other", "frax_with_bmd"):
        answer = _yes_no(node)
        if answer is None and kind == "frax_with_bmd" and node.value_type in ("TEXT", "CODE"):
            answer = bmd_answer(node.text or "")  # "Yes - femoral neck BMD", "No (... only)"
        if answer is None:
            return _written_history(content, node)
        if kind == "frax_with_bmd":
            content.frax["with_bmd"] = answer
        else:
            site = {"fracture_hip": "hip", "fracture_vertebral": "vertebral",
                    "fracture_other": "other_fragility"}[kind]
            content.stated.append(Finding(f"fracture_history.{site}", answer, node.name))
        return True
    if node.value_type not in ("TEXT", "CODE") or not node.text:
        return False
    written = node.text
    if kind == "frax_country":
        content.frax["country"] = written
    elif kind == "reference_database":
        if content.reference_database not in (None, written):
            content.warn("SEVERAL_REFERENCE_DATABASES")
        content.reference_database = content.reference_database or written
    elif kind in ("menopausal_status", "therapy"):
        content.history_text.append((node.name, written))
    return True


_LEADING_NUMBER = re.compile(r"\s*[-+]?\.?\d")


def _written_history(content: Content, node: Node) -> bool:
    """A fracture item holding words ("right hip, 2019", "not recorded"), not a value that
    starts with a number (a FRAX probability "2.1 %" under a fracture's name is left for the
    FRAX and measurement reading)."""
    if node.value_type not in ("TEXT", "CODE") or not node.text \
            or _LEADING_NUMBER.match(fold(node.text)):
        return False
    content.history_text.append((node.name, node.text))
    return True


@lru_cache(maxsize=1024)
def is_history_container(name: str) -> bool:
    """A container of clinical history (``Risk Factors``, ``Medications``): its written
    items are history under their own names (``Treatment = Zoledronic acid 5 mg``)."""
    return has_phrase(ITEMS["history_containers"], key(name))


def record_history_text(content: Content, node: Node, *, in_history: bool = False) -> bool:
    """A free-text history item (``is_history_text``, or any written item of a history
    container: ``in_history``) for the shared history reader."""
    if node.value_type not in ("TEXT", "CODE") or not (node.text or "").strip() \
            or not (in_history or is_history_text(node.name)):
        return False
    content.history_text.append((node.name, node.text or ""))
    return True

