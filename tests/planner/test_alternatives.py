"""Alternative regimes on the same engine: aace-2020, nogg-2022, acp-2023 (§3.5)."""

from __future__ import annotations

import pytest

from planner import load_rule_set, make_plan
from planner.regimes.nogg_2022 import nogg7
from tests.conftest import assert_valid_plan
from tests.planner.builders import codes, hip_and_spine, m, plan, report, run, text
from tests.synth.cases import motivating_case, osteoporosis_case

BHOF = load_rule_set("bhof-2022").ids


def test_bhof_stays_the_default() -> None:
    default = make_plan(motivating_case())
    assert_valid_plan(default.to_dict())
    assert default.rule_set == "bhof-2022"


# --- AACE 2020 -------------------------------------------------------------------------------

@pytest.mark.parametrize(("mof", "hip", "very_high"), [
    (30.0, 4.5, False), (30.1, 1.0, True), (10.0, 4.6, True), (29.9, 4.4, False)])
def test_aace_very_high_frax_is_strict(mof: float, hip: float, very_high: bool) -> None:
    p = plan(report(frax=(mof, hip), measurements=hip_and_spine(fn=-2.6)), rule_set="aace-2020")
    assert p.pharmacotherapy == "yes"
    assert ("AACE-2" if very_high else "AACE-3") in codes(p)
    assert "(unconfirmed)" in next(r.source for r in p.recommendations
                                   if r.code in ("AACE-2", "AACE-3"))


@pytest.mark.parametrize(("t", "very_high"), [(-3.0, False), (-3.1, True)])
def test_aace_very_low_t_is_strict(t: float, very_high: bool) -> None:
    p = plan(report(measurements=hip_and_spine(fn=t)), rule_set="aace-2020")
    assert ("AACE-2" in codes(p)) is very_high


def test_aace_cls7_frax_above_us_threshold_is_osteoporosis() -> None:
    p = plan(report(frax=(21.0, 1.0)), rule_set="aace-2020")
    assert (p.classification, p.pharmacotherapy) == ("osteoporosis", "yes")
    assert "CLS-7" in text(p, "AACE-1")
    assert plan(report(frax=(21.0, 1.0))).classification == "low_bone_mass"  # bhof


@pytest.mark.parametrize(("frax", "value"), [((9.0, 1.6), "no"), (None, "needs-frax")])
def test_aace_low_bone_mass_without_high_frax(frax, value) -> None:
    p = plan(report(frax=frax), rule_set="aace-2020")
    assert p.pharmacotherapy == value and codes(p)[0] == "CLS-7"


def test_aace_cls7_needs_the_threshold_of_the_frax_model() -> None:
    p = plan(report(frax=(25.0, 1.0), country="UK"), rule_set="aace-2020")
    assert (p.classification, p.pharmacotherapy) == ("low_bone_mass", "needs-frax")
    assert "UK model" in text(p, "CLS-7")
    unstated = plan(report(frax=(25.0, 1.0), country=None), rule_set="aace-2020")
    assert unstated.pharmacotherapy == "yes" and "FRAX_PROVENANCE_UNKNOWN" in unstated.flags


def test_aace_radius_only_and_clinical_osteoporosis_are_treated() -> None:
    radius = report(measurements=[*hip_and_spine(fn=-1.5), m("radius_33", -2.7, side="left")])
    p = plan(radius, rule_set="aace-2020")
    assert p.pharmacotherapy == "yes" and "RADIUS_ONLY_OSTEOPOROSIS" not in p.flags
    clinical = plan(report(fx=(False, True, False)), rule_set="aace-2020")
    assert clinical.pharmacotherapy == "yes" and "CLS-5" in text(clinical, "AACE-1")


def test_aace_conditional_cls6_and_cls8() -> None:
    p = plan(motivating_case(), rule_set="aace-2020")
    assert codes(p)[:3] == ["CLS-7", "CLS-8", "AACE-4"] and p.pharmacotherapy == "no"
    wrist = plan(report(fx=(False, False, True)), rule_set="aace-2020")
    assert "CLS-6" in codes(wrist) and "NONVERTEBRAL_FRAGILITY_FRACTURE" not in wrist.flags


def test_aace_covers_postmenopausal_women_only() -> None:
    p = plan(report(sex="M", age=70), rule_set="aace-2020")
    assert p.pharmacotherapy == "not-applicable"
    assert not {c for c in codes(p) if c.startswith(("AACE", "CLS", "TX"))}


# --- NOGG 2022 -------------------------------------------------------------------------------

def test_nogg_does_not_hard_code_thresholds() -> None:
    p = plan(motivating_case(), rule_set="nogg-2022")
    assert p.pharmacotherapy == "needs-frax"
    assert codes(p)[:6] == ["NOGG-1", "NOGG-2", "NOGG-3", "NOGG-4", "NOGG-5", "NP-3a"]
    assert "look up" in text(p, "NOGG-1").lower() and "5 years or less" in text(p, "NOGG-2")
    assert not {"NP-1", "NP-3", "TX-B4"} & set(codes(p))


def test_nogg_fracture_and_very_low_t() -> None:
    assert codes(plan(report(fx=(False, False, True)), rule_set="nogg-2022"))[0] == "NOGG-6"
    p = plan(report(measurements=hip_and_spine(fn=-3.5)), rule_set="nogg-2022")
    assert p.pharmacotherapy == "yes" and "-3.5" in text(p, "NOGG-5")
    assert "VFA-2" in codes(p)


def test_nogg7_worked_example() -> None:
    doc = report(frax=(15.0, 1.0), measurements=hip_and_spine(fn=-1.0, th=-0.5, ls=-3.5))
    assert nogg7(doc) == {"ls": "-3.5", "fn": "-1.0", "mof": "15.0", "adjusted": "18.75"}
    assert "18.75 %" in text(plan(doc, rule_set="nogg-2022"), "NOGG-7")
    assert nogg7(report(measurements=hip_and_spine(fn=-2.0, ls=-1.0))) is None


@pytest.mark.parametrize(("height", "vfa"), [(3.9, False), (4.0, True)])
def test_nogg_vfa2_height_loss(height: float, vfa: bool) -> None:
    p = plan(report(risk={"height_loss_cm": height}), rule_set="nogg-2022")
    assert ("VFA-2" in codes(p)) is vfa and "VFA-1" not in codes(p)


# --- ACP 2023 --------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "value", "code"), [(65, "not-applicable", None),
                                                     (66, "indeterminate", "ACP-4")])
def test_acp4_over_65(age: int, value: str, code: str | None) -> None:
    p = plan(report(age=age + 0.5), rule_set="acp-2023")
    assert p.pharmacotherapy == value
    assert ("ACP-4" in codes(p)) is (code is not None)


def test_acp_osteoporosis_by_sex() -> None:
    woman = plan(osteoporosis_case(), rule_set="acp-2023")
    assert woman.pharmacotherapy == "yes" and codes(woman)[:2] == ["ACP-1", "ACP-3"]
    man = plan(report(sex="M", age=70, measurements=hip_and_spine(fn=-2.7)), rule_set="acp-2023")
    assert man.pharmacotherapy == "yes" and codes(man)[0] == "ACP-2"


# --- every row an alternative adds is reached ------------------------------------------------

ALT_CORPUS = {
    "aace-2020": [motivating_case(), osteoporosis_case(), report(fx=(False, False, True)),
                  report(measurements=hip_and_spine(fn=-2.6))],
    "nogg-2022": [motivating_case(), osteoporosis_case(), report(fx=(False, False, True)),
                  report(measurements=hip_and_spine(fn=-3.6, ls=-3.8), frax=(15.0, 1.0))],
    "acp-2023": [osteoporosis_case(), report(age=70),
                 report(sex="M", age=70, measurements=hip_and_spine(fn=-2.7))],
}


@pytest.mark.parametrize("rule_set", sorted(ALT_CORPUS))
def test_every_added_row_is_reached(rule_set: str) -> None:
    added = {r.id for r in load_rule_set(rule_set).rules if r.id not in BHOF}
    reached: set[str] = set()
    for doc in ALT_CORPUS[rule_set]:
        result = run(doc, rule_set=rule_set)
        assert result.plan.rule_set == rule_set
        reached |= set(result.fired)
    assert sorted(added - reached) == []


def test_alternative_plans_never_carry_bhof_only_codes() -> None:
    for rule_set, docs in ALT_CORPUS.items():
        ids = load_rule_set(rule_set).ids
        for doc in docs:
            assert set(codes(plan(doc, rule_set=rule_set))) <= ids
