"""The rule tables as data: one JSON file per rule set under ``planner/rules/``.

A row carries the rule id of clinical-rules.md, its evidence status (Q/C/S/U/P), its source
citation (``(unconfirmed)`` where the status has U, ``pipeline policy`` where it is only P) and,
for rows that emit a recommendation, the text template. A rule set may extend another one
(``extends``), drop rows of it (``omit``) and add its own rows (``rows``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dexa.contract import Recommendation

RULES_DIR = Path(__file__).parent / "rules"
RULE_SETS: tuple[str, ...] = ("bhof-2022", "aace-2020", "nogg-2022", "acp-2023")
DEFAULT_RULE_SET = "bhof-2022"


class UnknownRuleSet(ValueError):
    """Raised for a ``rule_set`` name that has no rule file."""


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    source: str
    text: str | None = None
    reference: bool = False  # background row: cited, never decides or emits


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    version: str
    rules: tuple[Rule, ...]
    # indexes by id: rules are looked up thousands of times per batch
    _by_id: dict[str, Rule] = field(init=False, repr=False, compare=False)
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # frozen: the indexes are set the way dataclasses do
        object.__setattr__(self, "_by_id", {row.id: row for row in self.rules})
        object.__setattr__(self, "_position", {row.id: i for i, row in enumerate(self.rules)})

    def rule(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise KeyError(f"{rule_id} is not in rule set {self.name}") from None

    def has(self, rule_id: str) -> bool:
        return rule_id in self._by_id

    def order(self, rule_id: str) -> int:
        return self._position[rule_id]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def recommend(self, rule_id: str, **fields: Any) -> Recommendation:
        row = self.rule(rule_id)
        if row.text is None:
            raise ValueError(f"{rule_id} emits no recommendation")
        return Recommendation(code=row.id, text=row.text.format(**fields), source=row.source)


def _read(name: str) -> dict[str, Any]:
    path = RULES_DIR / f"{name}.json"
    if name not in RULE_SETS or not path.is_file():
        raise UnknownRuleSet(f"unknown rule set {name!r}; known: {', '.join(RULE_SETS)}")
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(name: str) -> list[dict[str, Any]]:
    data = _read(name)
    rows: list[dict[str, Any]] = []
    if "extends" in data:
        omit = set(data.get("omit", []))
        rows = [row for row in _rows(data["extends"]) if row["id"] not in omit]
    by_id = {row["id"]: i for i, row in enumerate(rows)}
    for row in data["rows"]:
        if row["id"] in by_id:  # a row redefined by the extending set keeps its position
            rows[by_id[row["id"]]] = row
        elif "after" in row:
            rows.insert([r["id"] for r in rows].index(row["after"]) + 1, row)
            by_id = {r["id"]: i for i, r in enumerate(rows)}
        else:
            rows.append(row)
    return rows


@cache
def load_rule_set(name: str = DEFAULT_RULE_SET) -> RuleSet:
    data = _read(name)
    rules = tuple(
        Rule(id=r["id"], status=r["status"], source=r["source"], text=r.get("text"),
             reference=r.get("reference", False))
        for r in _rows(name)
    )
    return RuleSet(name=name, title=data["title"], version=data["version"], rules=rules)
