"""run_metrics over real validations: counts, distributions, shares, sources; JSON-ready."""

from __future__ import annotations

import json

from expectations import validate_batch
from expectations.metrics import percentile, run_metrics, summary
from tests.synth.cases import ALL_CASES, motivating_case

from .cases import RUN_DATE, changed


def test_summary_and_percentiles():
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([0.0, 10.0], 0.95) == 9.5
    s = summary([-2.0, -1.0, 0.0, 1.0, 2.0])
    assert s == {"n": 5, "mean": 0.0, "sd": 1.581, "p5": -1.8, "p50": 0.0, "p95": 1.8}
    assert summary([])["mean"] is None and summary([1.0])["sd"] is None


def test_run_metrics():
    reports = [make() for make in ALL_CASES.values()]
    reports.append(changed(motivating_case(with_frax=False, with_prior=False),
                           "measurements/1/t_score", -0.6))  # fails t_score_agrees_with_bmd
    validations = validate_batch(reports, run_date=RUN_DATE)
    outcomes = [{"outcome": "processed", "reason_code": None}] * 6 + [
        {"outcome": "quarantined", "reason_code": "corrupt"},
        {"outcome": "quarantined", "reason_code": "encrypted"},
        {"outcome": "duplicate", "reason_code": None},
        {"outcome": "skipped", "reason_code": "out_of_range"},
    ]
    m = run_metrics(outcomes, reports, validations)
    json.dumps(m)  # JSON-serialisable as is
    assert m["files"] == {
        "total": 10,
        "by_outcome": {"duplicate": 1, "processed": 6, "quarantined": 2, "skipped": 1},
        "by_outcome_reason": {"duplicate": {"none": 1}, "processed": {"none": 6},
                              "quarantined": {"corrupt": 1, "encrypted": 1},
                              "skipped": {"out_of_range": 1}},
        "considered": 8, "rejected": 2, "reject_rate": 0.25,
    }
    assert m["scans"] == 6 and m["scans_with_failures"] == 1
    assert m["expectation_failures"] == {"t_score_agrees_with_bmd": 1}
    assert m["share_without_frax"] == round(4 / 6, 4)  # man, premenopausal, no-frax, last
    assert m["share_without_priors"] == round(5 / 6, 4)
    assert sum(m["sources"].values()) == 6
    assert m["sources"]["GE Healthcare / Lunar iDXA ME+200123"] >= 2  # the two motivating
    fn_left = m["sites"]["femoral_neck/left"]
    # four left femoral necks; the failed T (-0.6) is left out of the T distribution
    assert fn_left["count"] == 4 and fn_left["bmd_g_cm2"]["n"] == 4
    assert fn_left["t_score"]["n"] == 3 and fn_left["t_score"]["p50"] == -1.0
    assert set(m["sites"]) == {"femoral_neck/left", "femoral_neck/right", "lumbar_spine/-",
                               "total_hip/left", "total_hip/right"}


def test_empty_run():
    m = run_metrics([], [], [])
    assert m["files"]["reject_rate"] == 0.0 and m["sites"] == {} and m["share_without_frax"] == 0.0


def test_batch_by_batch_equals_whole_run():
    import random

    from dexa.contract import FailedValue, ScanValidation
    from expectations.benchmark import synthetic_report
    from expectations.metrics import RunMetrics

    rng = random.Random(3)
    reports = [synthetic_report(rng, i) for i in range(60)]
    validations = [ScanValidation([FailedValue("t_score_agrees_with_bmd", "measurements/1/t_score",
                                               r.measurements[1].t_score, "")] if i % 7 else [])
                   for i, r in enumerate(reports)]
    outcomes = [{"outcome": "processed", "reason_code": None}] * 60 + [
        {"outcome": "quarantined", "reason_code": "corrupt"}] * 3
    whole = run_metrics(outcomes, reports, validations)
    acc = RunMetrics()
    for start in range(0, 60, 20):
        batch = slice(start, start + 20)
        acc.add(outcomes[batch], reports[batch], validations[batch])
    acc.add(outcomes[60:], [], [])  # rejected files have no report
    assert acc.to_dict() == whole
    assert whole["files"]["reject_rate"] == round(3 / 63, 4)


def test_visits_are_counted_apart_from_scans():
    from expectations.metrics import RunMetrics

    # an SR and its PDF in one batch; a split visit completed by a late object; a conflict
    first = RunMetrics().add_visits([(2, False, False), (1, False, False)])
    second = RunMetrics().add_visits([(2, True, True)])
    m = first.merge(second).to_dict()
    json.dumps(m)
    assert m["visits"] == {"planned": 3, "new": 2, "joined": 1, "multi_scan": 2,
                           "with_source_conflict": 1}
    assert run_metrics([], [], [])["visits"] == {
        "planned": 0, "new": 0, "joined": 0, "multi_scan": 0, "with_source_conflict": 0}
