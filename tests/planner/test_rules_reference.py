"""docs/rules.md, the repository's own rules reference, is generated from the rule tables and
kept up to date (run scripts/rules_reference.py after changing planner/rules/)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("rules_reference",
                                                  ROOT / "scripts" / "rules_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_rules_reference_is_up_to_date() -> None:
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == _generator().render(), "run scripts/rules_reference.py"


def test_every_rule_id_of_every_rule_set_is_in_the_reference() -> None:
    from planner.ruleset import RULE_SETS, load_rule_set

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for name in RULE_SETS:
        assert f"## {name}:" in text
    for rule in load_rule_set("bhof-2022").rules:
        assert f"| {rule.id} |" in text, rule.id
