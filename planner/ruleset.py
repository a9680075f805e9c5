"""The rule tables as data: one JSON file per rule set under ``planner/rules/``.

A row carries the rule id of clinical-rules.md, its evidence status (Q/C/S/U/P), its source
citation (``(unconfirmed)`` where the status has U, ``pipeline policy`` where it is only P),
for rows that emit a recommendation the text template, and for rows that decide with numbers
those numbers (``params``: thresholds, ages, intervals), which the code reads through the rule
set (``RuleSet.param``) and never writes as literals. A rule set may extend another one
(``extends``), drop rows of it (``omit``) and add its own rows (``rows``).

The loader checks every row as medspaCy's ``ConTextRule.from_dict`` does: a key it does not
know, a row without its id, status or source, and a ``params`` that does not give exactly the
numbers the code reads for that rule (``RULE_PARAMS``) are refused with ``InvalidRuleSet``,
naming the file, the rule and the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dexa.contract import Recommendation

RULES_DIR = Path(__file__).parent / "rules"
RULE_SETS: tuple[str, ...] = ("bhof-2022", "aace-2020", "nogg-2022", "acp-2023")
DEFAULT_RULE_SET = "bhof-2022"

FILE_KEYS = frozenset({"name", "title", "version", "spec", "extends", "omit", "rows"})
ROW_KEYS = frozenset({"id", "status", "source", "text", "reference", "after", "params"})
REQUIRED_ROW_KEYS = ("id", "status", "source")

# The numbers the code reads from each rule's row (names as in the rule files). A row of one
# of these rules must give exactly these params; a row of any other rule gives none.
_PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "POP-3": ("men_min_age",),
    "POP-5": ("below_age", "z_max"),
    "POP-6": ("women_min_age", "women_max_age"),
    "SITE-3a": ("adjacent_t_difference_above",),
    "CLS-2": ("t_below",),
    "CLS-3": ("t_max",),
    "CLS-4": ("t_max",),
    "CLS-7": ("frax_hip_pct", "frax_mof_pct"),
    "CLS-9": ("z_max",),
    "TX-B2": ("t_max",),
    "TX-B3": ("frax_hip_pct", "frax_mof_pct"),
    "TX-B6": ("t_min",),
    "TX-B8": ("t_max",),
    "AACE-2": ("t_below", "frax_mof_pct_above", "frax_hip_pct_above"),
    "NOGG-5": ("t_max", "frax_threshold_multiple", "recent_vertebral_fracture_years"),
    "NOGG-7": ("mof_fraction_per_t",),
    "ACP-4": ("women_above_age",),
    "NP-1": ("women_min_age", "men_min_age"),
    "NP-2": ("men_min_age", "men_max_age"),
    "NP-2a": ("women_max_age", "men_below_age"),
    "NP-3": ("min_age",),
    "NP-6": ("alcohol_units_max",),
    "MON-1": ("months",),
    "MON-2": ("months",),
    "MON-3": ("women_min_age",),
    "MON-3a": ("t_min", "months"),
    "MON-3b": ("t_above", "months"),
    "MON-3c": ("t_above", "months"),
    "MON-3d": ("months",),
    "MON-4": ("cap_months",),
    "MON-5": ("months",),
    "MON-6": ("months",),
    "SER-6": ("lsc_pct",),
    "SEC-1": ("z_max",),
    "VFA-1": ("t_below", "women_min_age", "men_min_age", "height_loss_cm_above"),
    "VFA-2": ("height_loss_cm_min", "t_max"),
}
RULE_PARAMS: Mapping[str, frozenset[str]] = MappingProxyType(
    {rule: frozenset(names) for rule, names in _PARAM_NAMES.items()})


class UnknownRuleSet(ValueError):
    """Raised for a ``rule_set`` name that has no rule file."""


class InvalidRuleSet(ValueError):
    """Raised for a rule file that does not have the documented shape (an unknown key, a row
    without its id, status or source, params that are not the ones the code reads)."""


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    source: str
    text: str | None = None
    reference: bool = False  # background row: cited, never decides or emits
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    version: str
    rules: tuple[Rule, ...]
    # the numbers of every rule of the set and of the rows it omits from the set it extends
    # (a regime's code may test the base rule's condition, e.g. NOGG's NP-3a after NP-1..3)
    numbers: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False)
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

    def params(self, rule_id: str) -> Mapping[str, Any]:
        """The numbers of a rule (``{"frax_hip_pct": Decimal("3.0"), ...}`` for TX-B3): decimal
        numbers as ``Decimal`` exactly as written, whole numbers as ``int``."""
        try:
            return self.numbers[rule_id]
        except KeyError:
            raise KeyError(f"{rule_id} has no params in rule set {self.name}") from None

    def param(self, rule_id: str, name: str) -> Any:
        """One number of a rule, e.g. ``param("CLS-3", "t_max")`` -> ``Decimal("-2.5")``."""
        return self.params(rule_id)[name]

    def recommend(self, rule_id: str, **fields: Any) -> Recommendation:
        row = self.rule(rule_id)
        if row.text is None:
            raise ValueError(f"{rule_id} emits no recommendation")
        return Recommendation(code=row.id, text=row.text.format(**fields), source=row.source)


def _read(name: str) -> dict[str, Any]:
    path = RULES_DIR / f"{name}.json"
    if name not in RULE_SETS or not path.is_file():
        raise UnknownRuleSet(f"unknown rule set {name!r}; known: {', '.join(RULE_SETS)}")
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    if unknown := sorted(set(data) - FILE_KEYS):
        raise InvalidRuleSet(f"rules/{name}.json: unknown key {unknown[0]!r}")
    for row in data.get("rows", []):
        check_row(row, f"rules/{name}.json")
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def check_row(row: Mapping[str, Any], where: str = "rule row") -> None:
    """Refuse a row that does not have the documented shape (``InvalidRuleSet``)."""
    rule = row.get("id", "?")
    if unknown := sorted(set(row) - ROW_KEYS):
        raise InvalidRuleSet(f"{where}: {rule}: unknown key {unknown[0]!r}")
    if missing := [key for key in REQUIRED_ROW_KEYS if key not in row]:
        raise InvalidRuleSet(f"{where}: {rule}: missing key {missing[0]!r}")
    params = row.get("params")
    expected = RULE_PARAMS.get(rule)
    if params is None:
        if expected:
            raise InvalidRuleSet(f"{where}: {rule}: missing params {sorted(expected)}")
        return
    if expected is None:
        raise InvalidRuleSet(f"{where}: {rule}: params given, but no code reads numbers of "
                             f"{rule}")
    if not isinstance(params, Mapping):
        raise InvalidRuleSet(f"{where}: {rule}: params must be an object")
    if unknown := sorted(set(params) - expected):
        raise InvalidRuleSet(f"{where}: {rule}: unknown param {unknown[0]!r} "
                             f"(known: {', '.join(sorted(expected))})")
    if missing := sorted(expected - set(params)):
        raise InvalidRuleSet(f"{where}: {rule}: missing param {missing[0]!r}")
    for key, value in params.items():
        numbers = value.values() if isinstance(value, Mapping) else [value]
        if not numbers or not all(_is_number(v) for v in numbers):
            raise InvalidRuleSet(f"{where}: {rule}: param {key!r} is not a number "
                                 "(or an object of numbers)")


def _frozen(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({key: MappingProxyType(dict(value)) if isinstance(value, Mapping)
                             else value for key, value in params.items()})


def _rows(name: str) -> tuple[list[dict[str, Any]], dict[str, Mapping[str, Any]]]:
    """The rows of a rule set in order, and the numbers of every rule it can read."""
    data = _read(name)
    rows: list[dict[str, Any]] = []
    numbers: dict[str, Mapping[str, Any]] = {}
    if "extends" in data:
        base, numbers = _rows(data["extends"])
        omit = set(data.get("omit", []))
        rows = [row for row in base if row["id"] not in omit]
    by_id = {row["id"]: i for i, row in enumerate(rows)}
    for row in data["rows"]:
        if "params" in row:
            numbers[row["id"]] = _frozen(row["params"])
        if row["id"] in by_id:  # a row redefined by the extending set keeps its position
            rows[by_id[row["id"]]] = row
        elif "after" in row:
            rows.insert([r["id"] for r in rows].index(row["after"]) + 1, row)
            by_id = {r["id"]: i for i, r in enumerate(rows)}
        else:
            rows.append(row)
    return rows, numbers


@cache
def load_rule_set(name: str = DEFAULT_RULE_SET) -> RuleSet:
    """The rule set of ``rules/<name>.json`` (with the rows it extends), checked.

    Raises:
        UnknownRuleSet: no rule file of that name.
        InvalidRuleSet: a rule file does not have the documented shape.
    """
    data = _read(name)
    rows, numbers = _rows(name)
    rules = tuple(
        Rule(id=r["id"], status=r["status"], source=r["source"], text=r.get("text"),
             reference=r.get("reference", False), params=numbers.get(r["id"], _frozen({})))
        for r in rows
    )
    return RuleSet(name=name, title=data["title"], version=data["version"], rules=rules,
                   numbers=MappingProxyType(numbers))
