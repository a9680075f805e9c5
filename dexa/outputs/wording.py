"""The words of the outputs: one vocabulary (``words.json``), one code table (``codes.json``),
and the few functions that apply them to a visit. The FHIR ``conclusion``/``description`` and
the HTML page say the same thing in the same words."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from dexa.outputs.visit import TrendEntry, VisitView

_HERE = Path(__file__).parent


@cache
def words() -> dict[str, Any]:
    return json.loads((_HERE / "words.json").read_text(encoding="utf-8"))


@cache
def codes() -> dict[str, Any]:
    return json.loads((_HERE / "codes.json").read_text(encoding="utf-8"))


def site_words(region: str, side: str | None, levels: str | None = None) -> str:
    """'left femoral neck', 'lumbar spine L1-L4', 'total hip, mean of both'."""
    vocab = words()
    name = vocab["region"].get(region, region.replace("_", " "))
    if side == "mean":
        name = f"{name}, {vocab['side']['mean']}"
    elif side:
        name = f"{vocab['side'].get(side, side)} {name}"
    return f"{name} {levels}" if levels else name


def score(value: float | None, minus: str = "\u2212") -> str:
    """A T- or Z-score with its sign and the report's decimals (−2.0, +0.1, −1.96); ``minus``
    is the typographic minus for pages, ``"-"`` for machine-read text."""
    if value is None:
        return "-"
    text = f"{value:+.2f}" if round(value, 1) != value else f"{value:+.1f}"
    return text.replace("-", minus)


def classification_words(visit: VisitView, minus: str = "\u2212") -> str:
    """'Low bone mass (osteopenia): lowest T-score −2.0 at the left femoral neck'."""
    plan = visit.plan
    text = words()["classification"][plan.classification]
    if plan.lowest is not None:
        text += (f": lowest {plan.score_type}-score {score(plan.lowest.score, minus)} at the "
                 f"{site_words(plan.lowest.region, plan.lowest.side)}")
    return text


def therapy_words(visit: VisitView) -> str:
    """The drug decision in words, by the rule that decided it where the plan says which."""
    vocab = words()
    why = visit.explanation("pharmacotherapy")
    if why and why[0] in vocab["pharmacotherapy_by_rule"]:
        return vocab["pharmacotherapy_by_rule"][why[0]]
    return vocab["pharmacotherapy"][visit.plan.pharmacotherapy]


def interval_words(months: int | None) -> str:
    """'in about a year (12 months)', 'in about 5 years (60 months)'."""
    if months is None:
        return "no interval given"
    if months % 12:
        return f"in about {months} months"
    years = months // 12
    return f"in about {'a year' if years == 1 else f'{years} years'} ({months} months)"


def trend_name(t: TrendEntry) -> str:
    """The key of a trend entry in the plan's explanation ('trend left femoral_neck')."""
    return f"{t.side + ' ' if t.side else ''}{t.region}"


def rule_source(rule_set: str, rule_id: str) -> str | None:
    """The citation of a rule that decided a value without emitting a recommendation
    (CLS-2: 'WHO 1994; ISCD 2005')."""
    from planner import UnknownRuleSet, load_rule_set

    try:
        return load_rule_set(rule_set).rule(rule_id).source
    except (UnknownRuleSet, KeyError):
        return None
