"""The motivating case of clinical-rules.md, with and without FRAX and its 2021 prior."""

from __future__ import annotations

import pytest

from planner import make_plan, render_markdown
from tests.conftest import assert_valid_plan
from tests.planner.builders import codes, text
from tests.planner.builders import plan as checked
from tests.synth.cases import motivating_case

NP = ["NP-1", "NP-3", "NP-4", "NP-5", "NP-6", "NP-7", "NP-8"]
TRIGGERS = ("BMD loss >= LSC", "new fragility fracture", "any T-score <= -2.5",
            "FRAX hip >= 3 %", "major osteoporotic >= 20 %")
TREND = [
    ("lumbar_spine", None, "L1-L4", 0.037, 0.028, "gain", "report"),
    ("femoral_neck", "left", None, 0.006, 0.052, "stable", "fallback-SER-6"),
    ("total_hip", "left", None, 0.048, 0.041, "gain", "fallback-SER-6"),
]


@pytest.mark.parametrize("with_frax", [True, False])
@pytest.mark.parametrize("with_prior", [True, False])
def test_motivating_case_full_plan(with_frax: bool, with_prior: bool) -> None:
    plan = make_plan(motivating_case(with_frax=with_frax, with_prior=with_prior))
    assert_valid_plan(plan.to_dict())
    assert plan.rule_set == "bhof-2022"
    assert plan.score_type == "T"
    assert plan.classification == "low_bone_mass"
    assert plan.lowest is not None
    assert (plan.lowest.region, plan.lowest.side, plan.lowest.score) == (
        "femoral_neck", "left", -2.0)
    assert plan.pharmacotherapy == ("no" if with_frax else "needs-frax")
    assert plan.repeat_dxa_months == 12
    decision = ["TX-B4", "TX-B7"] if with_frax else ["TX-B5"]
    assert codes(plan) == [*decision, *NP, "MON-3d"]
    assert plan.flags == (["LSC_FALLBACK"] if with_prior else [])
    trend = [(t.region, t.side, t.levels, t.change_g_cm2, t.lsc_g_cm2, t.status, t.lsc_source)
             for t in plan.trend]
    assert trend == (TREND if with_prior else [])
    assert all(t.prior_date == "2021-05-02" for t in plan.trend)
    assert plan.validation.passed and plan.validation.failed_expectations == []
    assert plan.lsc_profile is None


@pytest.mark.parametrize("with_frax", [True, False])
def test_re_evaluation_triggers_are_in_the_decision_text(with_frax: bool) -> None:
    plan = checked(motivating_case(with_frax=with_frax))
    decision = text(plan, "TX-B4" if with_frax else "TX-B5")
    for trigger in TRIGGERS:
        assert trigger in decision
    if not with_frax:
        assert "do not estimate" in decision and "femoral-neck BMD" in decision


def test_interval_text_carries_the_gourlay_caveat() -> None:
    interval = text(checked(motivating_case()), "MON-3d")
    assert "advanced osteopenia" in interval and "-2.0" in interval
    assert "-1.96" in interval and "-2.04" in interval and "every 2 years" in interval


def test_sources_and_explanations() -> None:
    plan = checked(motivating_case())
    source = {r.code: r.source for r in plan.recommendations}
    assert source["NP-1"] == "BHOF 2022" and source["MON-3d"] == "Gourlay 2012"
    decided = {e.decision: e.rule for e in plan.explanation}
    assert decided["score_type"] == "POP-1"
    assert decided["classification"] == "CLS-2"
    assert decided["lowest"] == "SITE-2"
    assert decided["pharmacotherapy"] == "TX-B4"
    assert decided["repeat_dxa_months"] == "MON-3d"
    assert [decided[f"trend {s}"] for s in ("lumbar_spine", "left femoral_neck",
                                            "left total_hip")] == ["SER-5"] * 3


def test_markdown_reads_in_thirty_seconds() -> None:
    md = render_markdown(checked(motivating_case()))
    assert "low bone mass" in md and "-2.0 at the left femoral neck" in md
    assert "**Drug treatment:** no" in md and "TX-B4" in md
    assert "12 months" in md
    assert "| left femoral neck | 2021-05-02 | +0.006 | 0.052 (fallback-SER-6) | stable |" in md
    assert "**NP-1**" in md and "[BHOF 2022]" in md
    assert "`LSC_FALLBACK` (SER-6)" in md
    assert "not a diagnosis" in md
