"""Monotonicity where the guidelines are monotone (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import RULE_SETS, make_plan
from tests.conftest import assert_valid_plan
from tests.planner.builders import hip_and_spine, report

SEVERITY = ["normal", "low_bone_mass", "osteoporosis", "severe_osteoporosis"]
scores = st.decimals(min_value=Decimal("-4.5"), max_value=Decimal("2.5"), places=2).map(float)
drops = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3"), places=2)
frax_pct = st.one_of(st.none(), st.decimals(min_value=Decimal("0.1"), max_value=Decimal("60"),
                                            places=1).map(float))
patients = st.sampled_from([
    {"sex": "F", "status": "post", "age": 70}, {"sex": "F", "status": "post", "age": 55},
    {"sex": "M", "status": None, "age": 62}, {"sex": "F", "status": None, "age": 66},
])
fractures = st.sampled_from([(False, False, False), (False, False, True), (None, None, None)])
therapies = st.sampled_from(["untreated", None])


rule_sets = st.sampled_from(RULE_SETS)


def _plan(fn: float, th: float, ls: float, patient: dict, frax: tuple, fx: tuple, therapy,
          rule_set: str = "bhof-2022"):
    doc = report(measurements=hip_and_spine(fn=fn, th=th, ls=ls), frax=frax, fx=fx,
                 therapy=therapy, **patient)
    plan = make_plan(doc, rule_set=rule_set)
    assert_valid_plan(plan.to_dict())
    return plan


@settings(max_examples=150, deadline=None)
@given(scores, scores, scores, st.integers(0, 2), drops, patients, frax_pct, frax_pct,
       fractures, therapies, rule_sets)
def test_lower_t_never_milder_category_or_longer_interval(
        fn, th, ls, which, drop, patient, mof, hip, fx, therapy, rule_set) -> None:
    values = [fn, th, ls]
    lowered = list(values)
    lowered[which] = float(Decimal(repr(values[which])) - drop)
    before = _plan(*values, patient, (mof, hip), fx, therapy, rule_set)
    after = _plan(*lowered, patient, (mof, hip), fx, therapy, rule_set)
    assert SEVERITY.index(after.classification) >= SEVERITY.index(before.classification)
    assert after.repeat_dxa_months is not None and before.repeat_dxa_months is not None
    assert after.repeat_dxa_months <= before.repeat_dxa_months


@settings(max_examples=150, deadline=None)
@given(scores, scores, scores, patients, frax_pct, frax_pct, st.decimals(
    min_value=Decimal("0"), max_value=Decimal("30"), places=1), st.booleans(), fractures,
    rule_sets)
def test_higher_frax_never_turns_yes_into_no(fn, th, ls, patient, mof, hip, rise, which, fx,
                                             rule_set) -> None:
    raised_mof = mof if which or mof is None else float(Decimal(repr(mof)) + rise)
    raised_hip = hip if not which or hip is None else float(Decimal(repr(hip)) + rise)
    before = _plan(fn, th, ls, patient, (mof, hip), fx, "untreated", rule_set)
    after = _plan(fn, th, ls, patient, (raised_mof, raised_hip), fx, "untreated", rule_set)
    if before.pharmacotherapy == "yes":
        assert after.pharmacotherapy == "yes"
    if before.pharmacotherapy == "needs-frax":
        assert after.pharmacotherapy in ("yes", "needs-frax")
