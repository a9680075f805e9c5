"""dexa planner: a parsed DXA report -> guideline-based management-plan suggestions for a
clinician (decision support, never a diagnosis). Rules are data (``planner/rules/*.json``);
the functions that apply them are small and pure. Specification: shared/clinical-rules.md."""

from __future__ import annotations

from planner.engine import evaluate, flag_table, make_plan
from planner.profiles import InvalidLscProfiles, LscProfile, LscProfiles, load_lsc_profiles
from planner.render import render_markdown
from planner.ruleset import DEFAULT_RULE_SET, RULE_SETS, UnknownRuleSet, load_rule_set

KNOWN_RULE_IDS: frozenset[str] = load_rule_set(DEFAULT_RULE_SET).ids
KNOWN_FLAGS: frozenset[str] = frozenset(flag_table())

__all__ = [
    "DEFAULT_RULE_SET",
    "KNOWN_FLAGS",
    "KNOWN_RULE_IDS",
    "RULE_SETS",
    "InvalidLscProfiles",
    "LscProfile",
    "LscProfiles",
    "UnknownRuleSet",
    "evaluate",
    "load_lsc_profiles",
    "load_rule_set",
    "make_plan",
    "render_markdown",
]
