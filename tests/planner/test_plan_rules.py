"""One-line pins of single rules: population, therapy notes, interval branches, items."""

from __future__ import annotations

import pytest

from planner.population import select_population
from tests.planner.builders import codes, hip_and_spine, m, plan, report, text


@pytest.mark.parametrize(("age", "sex", "status", "rule", "score_type"), [
    (None, "F", "post", "MISS-4", "indeterminate"), (15, None, None, "POP-5", "Z"),
    (30, None, None, "MISS-4", "indeterminate"), (55, "F", None, "POP-6", "indeterminate"),
    (45, "F", "post", "POP-1", "T"), (45, "F", "peri", "POP-2", "T"),
    (65, "F", "pre", "POP-4", "Z"), (55, "M", "pre", "POP-3", "T"),
])
def test_population_order(age, sex, status, rule, score_type) -> None:
    pop = select_population(age, sex, status)
    assert (pop.rule, pop.score_type) == (rule, score_type)


def test_pediatric_plan() -> None:
    p = plan(report(age=12.4, sex=None, measurements=[
        m("lumbar_spine", None, z=-2.3, levels="L1-L4"), m("total_body", None, z=-1.0),
        m("femoral_neck", None, z=-3.0, side="left")]))
    assert (p.score_type, p.classification, p.pharmacotherapy) == ("Z", "pediatric",
                                                                   "not-applicable")
    assert p.lowest.region == "lumbar_spine" and p.lowest.score == -2.3
    assert codes(p) == ["POP-5", "TX-B0", "MON-7"] and p.repeat_dxa_months is None
    assert "lowest Z-score -2.3 (lumbar spine L1-L4), at or below -2.0" in text(p, "POP-5")


def test_pop6_gives_both_readings_and_no_drug_suggestion() -> None:
    doc = report(age=52, status=None, measurements=[
        m("lumbar_spine", -2.6, z=-1.5, levels="L1-L4"), m("femoral_neck", -1.2, z=-0.4,
                                                          side="left")])
    p = plan(doc)
    assert (p.classification, p.pharmacotherapy, p.repeat_dxa_months) == (
        "indeterminate", "indeterminate", None)
    reading = text(p, "POP-6")
    assert "osteoporosis (lowest T -2.6" in reading and "within expected range" in reading
    assert not [c for c in codes(p) if c.startswith(("TX-", "MON-"))]


def test_missing_age_and_sex() -> None:
    p = plan(report(age=None, sex=None))
    assert p.flags == ["AGE_UNKNOWN", "SEX_UNKNOWN"]
    assert "age and sex" in text(p, "MISS-4") and p.lowest is None
    assert "NP-1" not in codes(p) and "NP-4" in codes(p)


def test_z_population_with_only_t_scores() -> None:
    p = plan(report(age=30, status="pre"))
    assert (p.classification, p.lowest, p.repeat_dxa_months) == ("indeterminate", None, None)
    assert codes(p)[:2] == ["TX-B0", "MISS-5"] and "MON-7" in codes(p)


@pytest.mark.parametrize(("fx", "classification", "flag"), [
    ((False, True, False), "low_bone_mass", True), ((True, None, None), "low_bone_mass", True),
    ((False, False, True), "low_bone_mass", False)])
def test_cls5_clinical_osteoporosis(fx, classification, flag) -> None:
    p = plan(report(fx=fx))
    assert p.classification == classification
    assert ("CLINICAL_OSTEOPOROSIS" in p.flags) is flag


def test_cls4_needs_t_at_or_below_minus_2_5_and_a_fracture() -> None:
    p = plan(report(fx=(False, False, True), measurements=hip_and_spine(fn=-2.5)))
    assert p.classification == "severe_osteoporosis" and "CLINICAL_OSTEOPOROSIS" not in p.flags
    assert p.pharmacotherapy == "yes" and codes(p)[0] == "TX-B2"
    p = plan(report(fx=(False, True, False), measurements=hip_and_spine(fn=-2.5)))
    assert p.classification == "severe_osteoporosis" and "CLINICAL_OSTEOPOROSIS" not in p.flags
    assert codes(p)[0] == "TX-B1"


def test_fracture_unknown_is_conditional() -> None:
    p = plan(report(fx=(None, False, None), frax=None))
    assert p.pharmacotherapy == "needs-frax"
    assert "therapy is indicated (TX-B1)" in text(p, "TX-B10")
    assert "FRACTURE_HISTORY_UNKNOWN" in p.flags


def test_other_fragility_unknown_alone_emits_nothing() -> None:
    p = plan(report(fx=(False, False, None)))
    assert "FRACTURE_HISTORY_UNKNOWN" not in p.flags and "TX-B10" not in codes(p)


def test_frax_flags_only_when_frax_decided() -> None:
    assert "FRAX_PROVENANCE_UNKNOWN" in plan(report(country=None)).flags
    assert "FRAX_PROVENANCE_UNKNOWN" in plan(report(with_bmd=None)).flags
    normal = report(country=None, measurements=hip_and_spine(fn=0.0, th=0.0))
    assert "FRAX_PROVENANCE_UNKNOWN" not in plan(normal).flags


def test_therapy_status_unknown_gives_both_branches() -> None:
    p = plan(report(therapy=None, measurements=hip_and_spine(fn=-1.7)))
    assert p.repeat_dxa_months == 12
    assert [c for c in codes(p) if c.startswith("MON")] == ["MON-1", "MON-3c"]
    assert "if on therapy" in text(p, "MON-1") and "if untreated" in text(p, "MON-3c")
    assert "THERAPY_STATUS_UNKNOWN" in p.flags


def test_man_capped_at_five_years() -> None:
    p = plan(report(sex="M", age=60, measurements=hip_and_spine(fn=-1.2, th=-0.5)))
    assert p.repeat_dxa_months == 60 and "5 years or less" in text(p, "MON-4")
    assert "mild osteopenia" in text(p, "MON-4") and "-1.96" in text(p, "MON-4")


def test_non_hip_bin_is_extrapolated() -> None:
    p = plan(report(measurements=[m("lumbar_spine", -1.7, levels="L1-L4")]))
    assert p.repeat_dxa_months == 60 and "GOURLAY_EXTRAPOLATED" in p.flags
    assert "MON-3c" in codes(p)


def test_yes_plan_takes_mon_1() -> None:
    p = plan(report(frax=(25.0, 2.0), measurements=hip_and_spine(fn=-2.2)))
    assert p.pharmacotherapy == "yes" and p.repeat_dxa_months == 12
    assert [c for c in codes(p) if c.startswith("MON")] == ["MON-1"]


@pytest.mark.parametrize(("risk", "np6"), [
    ({}, True), ({"smoker": False}, True), ({"smoker": False, "alcohol_units_per_day": 2.0},
                                            False),
    ({"smoker": False, "alcohol_units_per_day": 2.5}, True),
    ({"smoker": True, "alcohol_units_per_day": 0.0}, True)])
def test_np6(risk, np6) -> None:
    assert ("NP-6" in codes(plan(report(risk=risk)))) is np6


def test_vfa_not_emitted_with_known_vertebral_fracture() -> None:
    assert "VFA-1" not in codes(plan(report(age=75, fx=(False, True, False))))
    assert "VFA-1" in codes(plan(report(age=60, risk={"self_reported_vertebral_fracture":
                                                      True})))
    assert "VFA-1" not in codes(plan(report(age=75, measurements=hip_and_spine(fn=-1.0))))


def test_sec1_for_a_low_z_in_a_t_population() -> None:
    doc = report(measurements=[m("femoral_neck", -1.2, z=-2.0, side="left")])
    assert "Z-score -2.0" in text(plan(doc), "SEC-1")


def test_tbs_note_does_not_change_the_decision() -> None:
    p = plan(report(risk={"tbs": 1.1}))
    assert p.pharmacotherapy == "no" and "1.1" in text(p, "TX-B12")


def test_male_reference_word_match() -> None:
    assert "MALE_REFERENCE_USED" in plan(report(reference="Hologic male")).flags
    assert "MALE_REFERENCE_USED" not in plan(report(reference="NHANES Female")).flags
