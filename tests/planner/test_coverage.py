"""Every rule id and flag the engine knows (from the rule data) is reached by the corpus."""

from __future__ import annotations

import pytest

from planner import KNOWN_FLAGS, KNOWN_RULE_IDS, load_rule_set
from tests.planner.builders import run
from tests.planner.corpus import CORPUS

REFERENCE_ONLY = {r.id for r in load_rule_set("bhof-2022").rules if r.reference}


def _reached(case: object) -> set[str]:
    result = run(case.doc, **case.kwargs)  # type: ignore[attr-defined]
    return set(result.fired) | set(result.plan.flags)


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_case_reaches_what_it_was_built_for(case: object) -> None:
    assert case.reaches <= _reached(case)  # type: ignore[attr-defined]


def test_every_rule_and_flag_is_reached() -> None:
    reached: set[str] = set()
    for case in CORPUS:
        reached |= _reached(case)
    assert sorted(REFERENCE_ONLY) == ["SER-4a"]
    assert sorted(KNOWN_RULE_IDS - REFERENCE_ONLY - reached) == []
    assert sorted(KNOWN_FLAGS - reached) == []


def test_fired_rules_and_flags_are_known() -> None:
    for case in CORPUS:
        result = run(case.doc, **case.kwargs)
        assert result.fired <= KNOWN_RULE_IDS
        assert set(result.plan.flags) <= KNOWN_FLAGS
        assert result.plan.flags == sorted(set(result.plan.flags))
        codes = [r.code for r in result.plan.recommendations]
        assert len(codes) == len(set(codes))
