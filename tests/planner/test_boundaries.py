"""Every row of §4 (boundary conventions) of clinical-rules.md."""

from __future__ import annotations

import pytest

from planner.inputs import age_at_scan
from planner.serial import compare, monitored_rows
from planner.sites import exclusion_candidate
from tests.planner.builders import codes, hip_and_spine, m, plan, prior, report
from tests.synth.cases import motivating_case


def woman(fn: float, th: float = 0.0, ls: float = 0.5, **kw: object) -> object:
    return report(measurements=hip_and_spine(fn=fn, th=th, ls=ls), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("t", "category"), [
    (-1.0, "normal"), (-1.1, "low_bone_mass"), (-1.5, "low_bone_mass"),
    (-2.0, "low_bone_mass"), (-2.4, "low_bone_mass"), (-2.5, "osteoporosis"),
    (-1.00, "normal"), (-1.01, "low_bone_mass"), (-2.49, "low_bone_mass"),
    (-2.50, "osteoporosis"),
])
def test_t_score_categories(t: float, category: str) -> None:
    assert plan(woman(t)).classification == category


@pytest.mark.parametrize(("z", "category", "sec"), [
    (-2.0, "below_expected_range_for_age", True),
    (-1.99, "within_expected_range_for_age", False),
    (-2.00, "below_expected_range_for_age", True),
])
def test_z_score_categories(z: float, category: str, sec: bool) -> None:
    doc = report(age=35, status="pre", measurements=[
        m("lumbar_spine", -1.0, z=0.0, levels="L1-L4"), m("femoral_neck", -1.0, z=z, side="left")])
    p = plan(doc)
    assert p.score_type == "Z" and p.classification == category
    assert ("SEC-1" in codes(p)) is sec


@pytest.mark.parametrize(("mof", "hip", "expected", "rule"), [
    (9.0, 3.0, "yes", "TX-B3"), (20.0, 1.0, "yes", "TX-B3"),
    (19.9, 2.9, "no", "TX-B4"), (19.99, 2.99, "no", "TX-B4"),
    (None, 3.0, "yes", "TX-B3"), (None, 2.9, "needs-frax", "TX-B5"),
])
def test_frax_thresholds(mof: float | None, hip: float | None, expected: str, rule: str) -> None:
    p = plan(woman(-1.5, frax=(mof, hip)))
    assert p.pharmacotherapy == expected
    assert rule in codes(p)


@pytest.mark.parametrize(("t", "code", "months"), [
    (-1.00, "MON-3a", 180), (-1.01, "MON-3b", 180), (-1.49, "MON-3b", 180),
    (-1.50, "MON-3c", 60), (-1.99, "MON-3c", 60), (-2.00, "MON-3d", 12), (-2.49, "MON-3d", 12),
    (-1.0, "MON-3a", 180), (-1.1, "MON-3b", 180), (-1.4, "MON-3b", 180), (-1.5, "MON-3c", 60),
    (-1.9, "MON-3c", 60), (-2.0, "MON-3d", 12), (-2.4, "MON-3d", 12),
])
def test_gourlay_bins(t: float, code: str, months: int) -> None:
    p = plan(woman(t, frax=(5.0, 1.0)))
    assert p.repeat_dxa_months == months
    assert code in codes(p)


def test_bin_input_at_or_below_minus_2_5_takes_mon_3d_interval() -> None:
    p = plan(woman(-2.6, status="peri", age=50))  # menopausal transition: TX-B0, MON-4
    assert p.pharmacotherapy == "not-applicable" and p.classification == "osteoporosis"
    assert p.repeat_dxa_months == 12 and "MON-4" in codes(p)


def _trend(current: float, before: float, lsc: float) -> str:
    from dexa.contract import Lsc
    doc = report(measurements=[m("femoral_neck", -1.2, side="left", bmd=current)],
                 priors=[prior("femoral_neck", before, side="left")],
                 lsc=[Lsc(region="femoral_neck", side="left", g_cm2=lsc)])
    row = monitored_rows(doc)[0]
    return compare(doc, row, doc.priors[0], True, None).entry.status


@pytest.mark.parametrize(("current", "before", "lsc", "status"), [
    (0.590, 0.618, 0.028, "loss"),      # = -LSC, exact decimal arithmetic
    (0.646, 0.618, 0.028, "gain"),      # = +LSC
    (0.591, 0.618, 0.028, "stable"),
    (0.645, 0.618, 0.028, "stable"),
    (0.3, 0.2, 0.1, "gain"),            # 0.3 - 0.2 is not 0.1 in binary floating point
])
def test_delta_bmd_against_lsc(current: float, before: float, lsc: float, status: str) -> None:
    assert _trend(current, before, lsc) == status


def test_delta_is_written_exactly() -> None:
    from dexa.contract import Lsc
    doc = report(measurements=[m("femoral_neck", -1.2, side="left", bmd=0.590)],
                 priors=[prior("femoral_neck", 0.618, side="left")],
                 lsc=[Lsc(region="femoral_neck", side="left", g_cm2=0.028)])
    entry = plan(doc).trend[0]
    assert entry.change_g_cm2 == -0.028 and entry.lsc_g_cm2 == 0.028 and entry.status == "loss"


def test_ser6_fallback_is_rounded_and_compared_at_three_decimals() -> None:
    doc = report(measurements=[m("femoral_neck", -1.2, side="left", bmd=0.570)],
                 priors=[prior("femoral_neck", 0.612, side="left")])
    p = plan(doc)
    entry = p.trend[0]
    assert entry.lsc_g_cm2 == 0.042 and entry.change_g_cm2 == -0.042
    assert entry.status == "loss" and entry.lsc_source == "fallback-SER-6"
    assert "LSC_FALLBACK" in p.flags


@pytest.mark.parametrize(("upper", "lower", "candidate"), [
    (-1.0, -2.0, False), (-1.0, -2.1, True), (-1.3, -2.3, False), (-2.3, -1.3, False),
])
def test_adjacent_vertebral_difference(upper: float, lower: float, candidate: bool) -> None:
    doc = report(measurements=[
        *hip_and_spine(), m("vertebra", upper, levels="L1"), m("vertebra", lower, levels="L2")])
    assert (exclusion_candidate(doc) is not None) is candidate
    assert ("VERTEBRAL_EXCLUSION_CANDIDATE" in plan(doc).flags) is candidate


@pytest.mark.parametrize(("age", "score_type", "classification"), [
    (19, "Z", "pediatric"), (20, "T", "low_bone_mass")])
def test_pediatric_age(age: int, score_type: str, classification: str) -> None:
    doc = report(age=age + 0.9, status="post")
    p = plan(doc)
    assert (p.score_type, p.classification) == (score_type, classification)


@pytest.mark.parametrize(("age", "rule", "flag"), [
    (39, "POP-4", "MENOPAUSAL_STATUS_ASSUMED"), (40, "POP-6", "MENOPAUSAL_STATUS_UNKNOWN"),
    (60, "POP-6", "MENOPAUSAL_STATUS_UNKNOWN"), (61, "POP-1", "MENOPAUSAL_STATUS_ASSUMED"),
])
def test_woman_with_unknown_status(age: int, rule: str, flag: str) -> None:
    p = plan(report(age=age + 0.5, status=None))
    assert next(e.rule for e in p.explanation if e.decision == "score_type") == rule
    assert flag in p.flags


@pytest.mark.parametrize(("age", "score_type", "pharmacotherapy"), [
    (49, "Z", "not-applicable"), (50, "T", "no")])
def test_man_at_50(age: int, score_type: str, pharmacotherapy: str) -> None:
    p = plan(report(age=age + 0.2, sex="M", status=None))
    assert (p.score_type, p.pharmacotherapy) == (score_type, pharmacotherapy)


@pytest.mark.parametrize(("sex", "age", "calcium"), [
    ("F", 50, "NP-2a"), ("F", 51, "NP-1"), ("M", 70, "NP-2"), ("M", 71, "NP-1")])
def test_calcium_by_age(sex: str, age: int, calcium: str) -> None:
    got = codes(plan(report(sex=sex, age=age, status="post")))
    assert [c for c in got if c in ("NP-1", "NP-2", "NP-2a")] == [calcium]


@pytest.mark.parametrize(("age", "vitamin_d"), [(49, False), (50, True)])
def test_vitamin_d_by_age(age: int, vitamin_d: bool) -> None:
    assert ("NP-3" in codes(plan(report(age=age, status="post")))) is vitamin_d


@pytest.mark.parametrize(("age", "code", "flagged"), [(64, "MON-4", True), (65, "MON-3b", False)])
def test_interval_by_age(age: int, code: str, flagged: bool) -> None:
    p = plan(report(age=age, status="post", measurements=hip_and_spine(fn=-1.2, th=-0.8)))
    assert code in codes(p)
    assert ("GOURLAY_EXTRAPOLATED" in p.flags) is flagged
    assert p.repeat_dxa_months == (60 if flagged else 180)


@pytest.mark.parametrize(("sex", "age", "vfa"), [
    ("F", 69, False), ("F", 70, True), ("M", 79, False), ("M", 80, True)])
def test_vfa_age_criterion(sex: str, age: int, vfa: bool) -> None:
    assert ("VFA-1" in codes(plan(report(sex=sex, age=age)))) is vfa


@pytest.mark.parametrize(("scan", "age"), [("2021-03-13", 64), ("2021-03-14", 65)])
def test_age_at_a_birthday(scan: str, age: int) -> None:
    doc = report(birth_date="1956-03-14", scan_date=scan, age=99.0)
    assert age_at_scan(doc) == age


def test_motivating_case_is_the_documented_boundary_case() -> None:
    assert plan(motivating_case()).repeat_dxa_months == 12
