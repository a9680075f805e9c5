"""Drift alerts over simulated run histories (metrics dicts built in code)."""

from __future__ import annotations

import json
import random

from expectations.drift import alert_rows, compare, render_markdown

GE = "GE Healthcare / Lunar iDXA ME+200123"
HOLOGIC = "Hologic / Horizon A"


def run(*, reject_rate=0.02, files=200, failures=None, reasons=None, fn_mean=-1.2,
        fn_p50=None, fn_n=120, sources=None, seed=0):
    """One run's metrics, shaped like ``run_metrics`` output, with a little noise."""
    rng = random.Random(seed)
    rate = max(0.0, reject_rate + rng.uniform(-0.005, 0.005))
    mean = fn_mean + rng.uniform(-0.05, 0.05)
    quarantined = reasons if reasons is not None else {"corrupt": round(rate * files)}
    return {
        "metrics_version": 1,
        "files": {"total": files, "considered": files, "rejected": round(rate * files),
                  "reject_rate": round(rate, 4),
                  "by_outcome_reason": {"quarantined": quarantined}},
        "expectation_failures": failures if failures is not None
        else {"t_score_agrees_with_bmd": 1},
        "sites": {"femoral_neck/left": {"count": fn_n, "t_score": {
            "n": fn_n, "mean": round(mean, 3), "sd": 1.0, "p5": mean - 1.6,
            "p50": round(fn_p50 if fn_p50 is not None else mean, 3), "p95": mean + 1.6}}},
        "sources": sources if sources is not None else {GE: 150, HOLOGIC: 50},
    }


HISTORY = [run(seed=i) for i in range(14)]


def kinds(report):
    return [(a.kind, a.subject) for a in report.alerts]


def test_stable_history_raises_nothing():
    for seed in range(100, 110):
        report = compare(run(seed=seed), HISTORY)
        assert report.healthy and not report.too_little_history, report.alerts
    assert "Healthy" in render_markdown(report) and alert_rows(report) == []


def test_reject_jump():
    report = compare(run(reject_rate=0.15, seed=99), HISTORY)
    assert kinds(report) == [("reject_jump", "reject_rate")]
    alert = report.alerts[0]
    assert alert.value > alert.threshold >= 0.065  # the floor: mean + 5 points


def test_reject_rate_wobble_under_the_floor_is_not_a_jump():
    flat = [run(seed=1) for _ in range(5)]  # identical runs: the baseline sd is 0
    rate = flat[0]["files"]["reject_rate"]
    latest = run(seed=1)
    latest["files"] |= {"reject_rate": rate + 0.04, "rejected": 12}
    assert compare(latest, flat).healthy  # below mean + 5 points
    latest["files"]["reject_rate"] = rate + 0.06
    assert [a.kind for a in compare(latest, flat).alerts] == ["reject_jump"]


def test_new_failure_type_from_expectations_and_rejection_reasons():
    latest = run(failures={"t_score_agrees_with_bmd": 2, "scan_date_not_in_future": 7},
                 reasons={"corrupt": 4, "encrypted": 1}, seed=50)
    assert kinds(compare(latest, HISTORY)) == [("new_failure_type", "encrypted"),
                                               ("new_failure_type", "scan_date_not_in_future")]


def test_site_t_score_shift():
    report = compare(run(fn_mean=-0.4, seed=51), HISTORY)  # e.g. Z read as T
    assert kinds(report) == [("site_shift", "femoral_neck/left")]
    assert report.alerts[0].value > 0.7


def test_site_median_shift_alone():
    report = compare(run(fn_p50=-1.9, seed=52), HISTORY)
    assert kinds(report) == [("site_shift", "femoral_neck/left")]


def test_site_shift_needs_enough_values():
    assert compare(run(fn_mean=-0.4, fn_n=10, seed=53), HISTORY).healthy


def test_source_gone_silent_for_three_nights():
    quiet = {GE: 200}
    history = HISTORY[:-2] + [run(sources=quiet, seed=60), run(sources=quiet, seed=61)]
    report = compare(run(sources=quiet, seed=62), history)
    assert kinds(report) == [("source_silent", HOLOGIC)]
    assert report.alerts[0].value == 3
    # two quiet nights are not yet an alert
    assert compare(run(sources=quiet, seed=62), HISTORY[:-1] + [run(sources=quiet)]).healthy


def test_too_little_history():
    report = compare(run(reject_rate=0.5, seed=70), HISTORY[:2])
    assert report.too_little_history and report.healthy and report.baseline_runs == 2
    assert "Too little history" in render_markdown(report)
    assert not compare(run(seed=70), HISTORY[:3]).too_little_history


def test_window_keeps_the_last_runs():
    old_spike = [run(failures={"levels_pattern": 3}, seed=80)] + HISTORY
    latest = run(failures={"levels_pattern": 1}, seed=81)
    assert kinds(compare(latest, old_spike)) == [("new_failure_type", "levels_pattern")]
    assert compare(latest, old_spike, window=15).healthy


def test_artifacts():
    latest = run(reject_rate=0.2, fn_mean=-0.3, failures={"frax_hip_plausible": 1},
                 sources={GE: 10}, seed=90)
    history = HISTORY[:-2] + [run(sources={GE: 10}, seed=91), run(sources={GE: 10}, seed=92)]
    report = compare(latest, history)
    assert {a.kind for a in report.alerts} == {"reject_jump", "new_failure_type", "site_shift",
                                               "source_silent"}
    rows = alert_rows(report)
    assert set(rows[0]) == {"kind", "subject", "message", "value", "threshold"}
    json.dumps(report.to_dict())
    markdown = render_markdown(report)
    assert "4 alert(s)" in markdown and "| source_silent | Hologic / Horizon A |" in markdown



def test_run_metrics_feed_compare():
    """The real metrics shape goes through compare: runs drawn alike are healthy; a run whose
    left femoral-neck T-scores all moved by +1.4 (Z read as T) raises a site shift."""
    from dexa.contract import ScanValidation
    from expectations.benchmark import synthetic_report
    from expectations.metrics import run_metrics

    def metrics(seed, shift=0.0):
        rng = random.Random(seed)
        reports = [synthetic_report(rng, i) for i in range(300)]
        for r in reports:
            for m in r.measurements:
                if m.region == "femoral_neck" and m.side == "left":
                    m.t_score = round(m.t_score + shift, 1)
        outcomes = [{"outcome": "processed", "reason_code": None}] * len(reports)
        return run_metrics(outcomes, reports, [ScanValidation() for _ in reports])

    history = [metrics(seed) for seed in range(5)]
    assert compare(metrics(10), history).healthy
    report = compare(metrics(11, shift=1.4), history)
    assert kinds(report) == [("site_shift", "femoral_neck/left")]
