"""The rule tables are data: ids, statuses, sources and templates are consistent."""

from __future__ import annotations

import re

import pytest

from planner import KNOWN_FLAGS, RULE_SETS, UnknownRuleSet, load_rule_set, make_plan
from planner.engine import flag_table
from tests.planner.builders import plan as checked
from tests.synth.cases import motivating_case

ID = re.compile(r"^[A-Z]+(-[A-Z]+)?-?[0-9]+[a-z]?$")


@pytest.mark.parametrize("name", RULE_SETS)
def test_rows_are_well_formed(name: str) -> None:
    rules = load_rule_set(name)
    ids = [r.id for r in rules.rules]
    assert len(ids) == len(set(ids))
    for r in rules.rules:
        assert ID.match(r.id), r.id
        assert set(re.findall(r"[A-Z]", r.status)) <= set("QCSUP"), r.id
        assert ("U" in r.status) == ("(unconfirmed)" in r.source), r.id
        if r.status == "P":
            assert r.source == "pipeline policy", r.id
        assert r.text is None or r.text.strip(), r.id


def test_bhof_leaves_out_the_rows_it_does_not_evaluate() -> None:
    ids = load_rule_set("bhof-2022").ids
    assert not ids & {"CLS-6", "CLS-7", "CLS-8", "NP-3a", "VFA-2"}
    assert not any(i.startswith(("AACE", "NOGG", "ACP", "ES-", "US-")) for i in ids)


def test_flag_vocabulary_is_the_spec_table() -> None:
    assert len(KNOWN_FLAGS) == 24
    rules = load_rule_set("bhof-2022").ids
    for flag in flag_table().values():
        assert re.match(r"^[A-Z0-9_]+$", flag["name"]) and flag["rule"] in rules


def test_unknown_rule_set_is_refused() -> None:
    with pytest.raises(UnknownRuleSet):
        make_plan(motivating_case(), rule_set="nof-2014")


def test_recommendation_source_comes_from_the_row() -> None:
    plan = checked(motivating_case(with_frax=False))
    by_code = {r.code: r.source for r in plan.recommendations}
    assert by_code["TX-B5"] == "pipeline policy; NOF 2014 (FRAX inputs)"
    assert by_code["NP-7"] == "ESCEO 2014"
