"""Visits (clinical-rules.md §3.13): the primary scan, VIS-1's union, VIS-2's print rounding and
conflicts, failed values, and the plan made from a merged visit."""

from __future__ import annotations

import itertools

import pytest

from dexa.contract import FailedValue, Frax, Measurement, ReportDocument, ScanValidation
from planner import make_plan
from planner.visits import (
    agree,
    decimals_of,
    merge_visit,
    primary_first,
    visit_key,
)
from tests.conftest import assert_valid_plan
from tests.planner.builders import m, report
from tests.synth.cases import motivating_case


def scan(kind: str, sha_char: str, *, created: str | None = None,
         measurements: list[Measurement] | None = None, **kwargs) -> ReportDocument:
    doc = report(measurements=measurements, **kwargs)
    doc.source.kind = kind  # type: ignore[assignment]
    doc.source.sha256 = sha_char * 64
    doc.source.created = created
    return doc


def printed(doc: ReportDocument, rows: list[dict[str, str]]) -> ReportDocument:
    """``doc`` with measurements read from printed text, as a reader that keeps the printed
    precision makes them: ``{"region": "femoral_neck", "side": "left", "t_score": "-2.0"}``."""
    doc.measurements, doc.decimals = [], {}
    for i, row in enumerate(rows):
        values = {k: v for k, v in row.items() if k in ("region", "side", "levels")}
        numbers = {k: v for k, v in row.items() if k not in values}
        doc.measurements.append(Measurement(**values, **{k: float(v) for k, v in numbers.items()}))
        doc.decimals |= {f"measurements/{i}/{k}": len(v.partition(".")[2])
                         for k, v in numbers.items()}
    return doc


# --- the key and the primary scan -----------------------------------------------------------

def test_visit_key_is_patient_and_date_else_the_scans_own_sha256() -> None:
    doc = scan("dicom-sr", "a")
    assert visit_key(doc) == "SYN/2024-03-14"
    doc.study.scan_date = None
    assert visit_key(doc) == "a" * 64
    doc.study.scan_date, doc.patient.id = "2024-03-14", None
    assert visit_key(doc) == "a" * 64


def test_primary_is_chosen_by_kind_then_latest_creation_then_sha256_never_by_order() -> None:
    sr_old = scan("dicom-sr", "1", created="2024-03-14T10:16:00")
    sr_amended = scan("dicom-sr", "9", created="2024-03-15T08:00:00")
    sr_undated = scan("dicom-sr", "0")
    pdf = scan("pdf", "0")
    wrapped = scan("dicom-pdf", "5", created="2030-01-01T00:00:00")
    text_a, text_b = scan("text", "3"), scan("text", "2")
    scans = [sr_old, sr_amended, sr_undated, pdf, wrapped, text_a, text_b]
    want = [sr_amended, sr_old, sr_undated, wrapped, pdf, text_b, text_a]
    for order in itertools.permutations(scans):  # all 5,040 orders
        assert primary_first(order) == want


def test_the_primary_of_a_merged_visit_is_the_same_in_every_order() -> None:
    scans = [scan("pdf", "b"), scan("dicom-sr", "c"), scan("text", "a")]
    for order in itertools.permutations(scans):
        visit = merge_visit(list(order))
        assert visit.report.source.sha256 == "c" * 64
        assert visit.ref.sources == ["c" * 64, "b" * 64, "a" * 64]
        assert visit.key == "SYN/2024-03-14"


def test_reports_of_different_visits_are_refused() -> None:
    other = scan("pdf", "b")
    other.study.scan_date = "2024-03-15"
    with pytest.raises(ValueError):
        merge_visit([scan("dicom-sr", "a"), other])
    with pytest.raises(ValueError):
        merge_visit([])


# --- print rounding (VIS-2's own examples) ---------------------------------------------------

@pytest.mark.parametrize(("a", "b", "same"), [
    ("0.62", "0.618", True), ("0.620", "0.618", False), ("-2.0", "-1.96", True),
    ("-2.0", "-2.04", True), ("-2.0", "-2.06", False), ("0.618", "0.618", True),
    ("0.62", "0.63", False), ("-2.5", "-2.45", True), ("9", "9.4", True), ("9.0", "9.6", False),
])
def test_print_rounding(a: str, b: str, same: bool) -> None:
    places = [len(x.partition(".")[2]) for x in (a, b)]
    assert agree(float(a), places[0], float(b), places[1]) is same
    assert agree(float(b), places[1], float(a), places[0]) is same


def test_shortest_form_decimals_and_its_limit() -> None:
    assert [decimals_of(x) for x in (0.62, 0.618, -2.0, 68.0, 1e-05)] == [2, 3, 1, 1, 5]
    # without a reader's hint "0.620" is 0.62: two decimals, so it agrees with 0.618
    assert agree(0.620, decimals_of(0.620), 0.618, decimals_of(0.618))


def test_agreeing_values_keep_the_more_precise_one_conflicts_keep_the_primary() -> None:
    sr = printed(scan("dicom-sr", "a"), [
        {"region": "femoral_neck", "side": "left", "bmd_g_cm2": "0.618", "t_score": "-1.96"},
        {"region": "total_hip", "side": "left", "bmd_g_cm2": "0.618", "t_score": "-1.0"}])
    pdf = printed(scan("pdf", "b"), [
        {"region": "total_hip", "side": "left", "bmd_g_cm2": "0.620", "t_score": "-1.00"},
        {"region": "femoral_neck", "side": "left", "bmd_g_cm2": "0.62", "t_score": "-2.0"}])
    visit = merge_visit([pdf, sr])
    neck, hip = visit.report.measurements
    assert (neck.bmd_g_cm2, neck.t_score) == (0.618, -1.96)
    assert (hip.bmd_g_cm2, hip.t_score) == (0.618, -1.0)  # BMD: the primary's value
    assert visit.report.decimals == {
        "measurements/0/bmd_g_cm2": 3, "measurements/0/t_score": 2,
        "measurements/1/bmd_g_cm2": 3, "measurements/1/t_score": 2}
    [conflict] = visit.conflicts
    assert conflict.field == "measurements/total_hip/left/bmd_g_cm2"
    assert (conflict.used, conflict.used_value) == ("a" * 64, 0.618)
    assert (conflict.other, conflict.other_value) == ("b" * 64, 0.62)
    assert "a" * 64 in conflict.detail() and "b" * 64 in conflict.detail()


def test_without_hints_a_more_precise_scan_still_wins_where_values_agree() -> None:
    sr = scan("dicom-sr", "a", measurements=[m("femoral_neck", -1.96, side="left")])
    pdf = scan("pdf", "b", measurements=[m("femoral_neck", -2.0, side="left")])
    for order in ([sr, pdf], [pdf, sr]):
        visit = merge_visit(order)
        assert visit.report.measurements[0].t_score == -1.96 and not visit.conflicts


# --- VIS-1: the union -----------------------------------------------------------------------

def test_a_split_visit_has_every_site_of_both_objects() -> None:
    spine = scan("dicom-sr", "a", measurements=[m("lumbar_spine", -2.7, levels="L1-L4", bmd=0.8)],
                 frax=None)
    hip = scan("dicom-sr", "b", measurements=[m("femoral_neck", -1.2, side="left", bmd=0.7),
                                              m("total_hip", -0.9, side="left", bmd=0.85)])
    visit = merge_visit([hip, spine])
    assert [(x.region, x.t_score) for x in visit.report.measurements] == [
        ("lumbar_spine", -2.7), ("femoral_neck", -1.2), ("total_hip", -0.9)]
    assert visit.report.frax is not None and visit.report.frax.major_osteoporotic_pct == 5.0
    assert not visit.conflicts
    plan = make_plan(visit.report, validation=visit.validation, visit=visit)
    assert plan.classification == "osteoporosis"
    assert (plan.lowest.region, plan.lowest.score) == ("lumbar_spine", -2.7)
    hip_only = make_plan(hip)
    assert hip_only.classification == "low_bone_mass"


def test_a_fact_stated_by_one_scan_and_not_the_other_is_stated() -> None:
    sr = scan("dicom-sr", "a", fx=(None, None, None), therapy=None, status=None)
    text = scan("text", "b", fx=(True, None, False), therapy="untreated", status="post")
    visit = merge_visit([text, sr])
    history = visit.report.fracture_history
    assert (history.hip, history.vertebral, history.other_fragility) == (True, None, False)
    assert visit.report.therapy.status == "untreated"
    assert visit.report.patient.menopausal_status == "post"
    assert not visit.conflicts


def test_spine_levels_stated_by_one_scan_name_the_row_of_both() -> None:
    sr = scan("dicom-sr", "a", measurements=[m("lumbar_spine", -1.1, bmd=1.0)])
    pdf = scan("pdf", "b", measurements=[m("lumbar_spine", -1.1, bmd=1.0, levels="L1-L4")])
    visit = merge_visit([pdf, sr])
    [row] = visit.report.measurements
    assert row.levels == "L1-L4"


def test_priors_lsc_and_warnings_are_unions() -> None:
    case = motivating_case()
    sr = case.model_copy(deep=True)
    sr.source.sha256, sr.warnings = "a" * 64, ["T_Z_COLUMN_EMPTY"]
    pdf = motivating_case(with_prior=False)
    pdf.source.kind, pdf.source.sha256 = "pdf", "b" * 64
    pdf.lsc, pdf.warnings = [], ["DATE_ORDER_ASSUMED"]
    visit = merge_visit([pdf, sr])
    assert visit.report.priors == case.priors
    assert visit.report.lsc == case.lsc
    assert visit.report.warnings == ["T_Z_COLUMN_EMPTY", "DATE_ORDER_ASSUMED"]


# --- VIS-2: history facts and FRAX ---------------------------------------------------------

def test_history_facts_and_frax_conflict_the_same_way() -> None:
    sr = scan("dicom-sr", "a", fx=(False, None, None), frax=(9.0, 1.6), sex="F")
    pdf = scan("pdf", "b", fx=(True, None, None), frax=(9.04, 2.4), sex="F")
    pdf.decimals = {"frax/major_osteoporotic_pct": 2, "frax/hip_pct": 1}
    visit = merge_visit([pdf, sr])
    assert {c.field: (c.used_value, c.other_value) for c in visit.conflicts} == {
        "fracture_history/hip": (False, True), "frax/hip_pct": (1.6, 2.4)}
    assert visit.report.fracture_history.hip is False
    assert visit.report.frax == Frax(major_osteoporotic_pct=9.04, hip_pct=1.6, with_bmd=True,
                                     country="US")
    assert visit.report.decimals == {"frax/major_osteoporotic_pct": 2}


def test_categories_conflict_free_text_does_not_and_ages_agree_within_a_year() -> None:
    sr = scan("dicom-sr", "a", sex="F", therapy="on_therapy", age=68.1)
    pdf = scan("pdf", "b", sex="M", therapy="on_therapy", age=68)
    pdf.therapy.current = "Alendronate 70 mg weekly"
    pdf.study.reference_database = "NHANES III"
    visit = merge_visit([pdf, sr])
    assert [c.field for c in visit.conflicts] == ["patient/sex"]
    assert visit.report.patient.sex == "F" and visit.report.patient.age_years == 68.1
    assert visit.report.therapy.current == "alendronate"
    assert visit.report.study.reference_database == "NHANES III"


def test_the_plan_of_a_conflicting_visit_is_flagged_and_explained() -> None:
    sr = scan("dicom-sr", "a", measurements=[m("femoral_neck", -2.0, side="left", bmd=0.7)])
    pdf = scan("pdf", "b", measurements=[m("femoral_neck", -2.6, side="left", bmd=0.7)])
    visit = merge_visit([pdf, sr])
    plan = make_plan(visit.report, validation=visit.validation, visit=visit).to_dict()
    assert_valid_plan(plan)
    assert "SOURCE_CONFLICT" in plan["flags"]
    assert plan["classification"] == "low_bone_mass"  # the primary SR's -2.0
    assert plan["scan"]["sha256"] == "a" * 64
    assert plan["visit"] == {"key": "SYN/2024-03-14", "sources": ["a" * 64, "b" * 64]}
    [why] = [e for e in plan["explanation"] if e["decision"] == "visit"]
    assert why["rule"] == "VIS-2"
    assert why["inputs"]["conflicts"] == [
        {"field": "measurements/femoral_neck/left/t_score", "used": -2.0, "other": -2.6}]


def test_a_one_scan_plan_carries_its_one_scan_visit() -> None:
    doc = scan("dicom-sr", "a")
    plan = make_plan(doc).to_dict()
    assert plan["visit"] == {"key": "SYN/2024-03-14", "sources": ["a" * 64]}
    assert "SOURCE_CONFLICT" not in plan["flags"]
    assert all(e["decision"] != "visit" for e in plan["explanation"])


# --- failed values ------------------------------------------------------------------------

def _failed(path: str, value: float) -> ScanValidation:
    return ScanValidation([FailedValue("t_score_in_range", path, value, "out of range")])


def test_a_failed_value_gives_way_to_a_passing_one_and_does_not_conflict() -> None:
    sr = scan("dicom-sr", "a", measurements=[m("femoral_neck", -9.9, side="left", bmd=0.7)])
    pdf = scan("pdf", "b", measurements=[m("femoral_neck", -2.0, side="left", bmd=0.7)])
    visit = merge_visit([sr, pdf], [_failed("measurements/0/t_score", -9.9), ScanValidation()])
    assert visit.report.measurements[0].t_score == -2.0
    assert not visit.conflicts
    assert [f.field for f in visit.validation.failures] == [
        f"sources/{'a' * 64}/measurements/0/t_score"]
    plan = make_plan(visit.report, validation=visit.validation, visit=visit)
    assert plan.classification == "low_bone_mass"
    assert plan.validation.failed_expectations == ["t_score_in_range"]


def test_a_value_failed_in_every_scan_is_failed_at_its_merged_place() -> None:
    spine = scan("dicom-sr", "a", measurements=[m("lumbar_spine", -1.0, levels="L1-L4")])
    hip = scan("dicom-sr", "b", measurements=[m("femoral_neck", -9.9, side="left")])
    visit = merge_visit([spine, hip], [ScanValidation(), _failed("measurements/0/t_score", -9.9)])
    assert [f.field for f in visit.validation.failures] == ["measurements/1/t_score"]
    plan = make_plan(visit.report, validation=visit.validation, visit=visit)
    assert plan.classification == "indeterminate"  # SITE-7, as for one scan
    assert "INSUFFICIENT_VALID_SITES" in plan.flags


def test_one_scan_is_its_own_visit_unchanged() -> None:
    doc = motivating_case()
    check = _failed("measurements/1/t_score", -2.0)
    visit = merge_visit([doc], [check])
    assert visit.report is doc and visit.validation is check and not visit.conflicts
