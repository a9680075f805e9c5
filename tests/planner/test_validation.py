"""§2 last bullet: a value that failed validation is treated as null by every rule."""

from __future__ import annotations

from dexa.contract import FailedValue, ScanValidation
from tests.planner.builders import codes, plan
from tests.synth.cases import motivating_case, osteoporosis_case


def failed(*fields: str) -> ScanValidation:
    return ScanValidation([FailedValue("expect_plausible", f, None, "synthetic") for f in fields])


def test_failed_diagnostic_t_score_makes_the_plan_indeterminate() -> None:
    p = plan(motivating_case(), validation=failed("measurements/1/t_score"))
    assert p.score_type == "T"
    assert (p.classification, p.pharmacotherapy) == ("indeterminate", "indeterminate")
    assert p.lowest is None and p.repeat_dxa_months is None
    assert p.flags == ["INSUFFICIENT_VALID_SITES", "LSC_FALLBACK"]
    assert not p.validation.passed
    assert p.validation.failed_expectations == ["expect_plausible"]
    note = next(e for e in p.explanation if e.decision == "validation")
    assert "measurements/1/t_score" in note.reason
    assert all(c.startswith(("NP-", "SEC-")) for c in codes(p))


def test_failed_non_diagnostic_value_is_only_nulled() -> None:
    p = plan(motivating_case(), validation=failed("measurements/1/z_score"))
    assert p.classification == "low_bone_mass" and p.pharmacotherapy == "no"
    assert not p.validation.passed


def test_fracture_still_decides_when_a_score_failed() -> None:
    p = plan(osteoporosis_case(), validation=failed("measurements/0/t_score"))
    assert p.classification == "indeterminate" and p.pharmacotherapy == "yes"
    assert "INSUFFICIENT_VALID_SITES" in p.flags


def test_failed_birth_date_falls_back_to_reported_age() -> None:
    p = plan(motivating_case(), validation=failed("patient/birth_date"))
    assert p.classification == "low_bone_mass"
    assert next(e for e in p.explanation if e.decision == "score_type").inputs["age"] == 68


def test_failed_age_means_age_unknown() -> None:
    p = plan(motivating_case(), validation=failed("patient/birth_date", "patient/age_years"))
    assert p.score_type == "indeterminate" and "AGE_UNKNOWN" in p.flags
    assert "MISS-4" in codes(p)


def test_failed_frax_value_means_needs_frax() -> None:
    p = plan(motivating_case(), validation=failed("frax/hip_pct"))
    assert p.pharmacotherapy == "needs-frax"


def test_failed_prior_and_lsc() -> None:
    p = plan(motivating_case(), validation=failed("priors/0/bmd_g_cm2", "lsc/0/g_cm2"))
    assert [t.region for t in p.trend] == ["femoral_neck", "total_hip"]
    p = plan(motivating_case(), validation=failed("lsc/0/g_cm2"))
    spine = p.trend[0]
    assert (spine.lsc_g_cm2, spine.lsc_source, spine.status) == (0.061, "fallback-SER-6",
                                                                 "stable")


def test_unknown_paths_are_ignored() -> None:
    p = plan(motivating_case(), validation=failed("measurements/9/t_score", "nothing/here"))
    assert p.classification == "low_bone_mass" and not p.validation.passed
