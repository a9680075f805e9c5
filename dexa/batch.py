"""Stage 3 of a run, batch: one parsed batch validated, planned, its outcomes decided and
written to the store in one transaction.

``validate_and_plan`` validates a batch once (GX) and plans each scan, deciding whether a scan
whose values failed validation is still ``processed`` or ``quarantined``; ``dexa plan`` calls
it without Prefect or a store. ``process_batch`` decides every file's ledger ``Outcome``
(duplicate, rejected, outside the backfill range, then what validation left) and writes
results, quarantine and ledger together, so a batch is either wholly stored or not at all (a
crashed run is resumed by running again). Prefect tasks call these functions and nothing else.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine

from dexa import history, store
from dexa.contract import (
    Outcome,
    PlanDocument,
    ReportDocument,
    ScanValidation,
    without_failed_values,
)
from dexa.workers import ParsedFile, ParseJob
from expectations.metrics import RunMetrics

__all__ = ["BatchSummary", "Outcome", "ScanResult", "process_batch", "validate_and_plan"]


@dataclass
class ScanResult:
    parsed: ParsedFile
    validation: ScanValidation
    plan: dict[str, Any]  # the plan document, JSON-ready (PlanDocument.to_dict())
    outcome: Outcome  # PROCESSED or QUARANTINED
    reason_code: str | None = None
    quarantine_rows: list[dict] = field(default_factory=list)


def _has_any_value(report: ReportDocument) -> bool:
    return any(m.bmd_g_cm2 is not None or m.t_score is not None or m.z_score is not None
               for m in report.measurements)


def validate_and_plan(parsed: Sequence[ParsedFile], *, run_date: date, rule_set: str,
                      plan_fn: Callable[..., PlanDocument] | None = None,
                      seconds: Counter[str] | None = None,
                      **plan_options: object) -> list[ScanResult]:
    """Validate a batch of parsed reports once (GX), then plan each scan (or keep its
    ``draft_plan`` where validation passed; only without a custom ``plan_fn``).

    Every scan gets a plan (its ``validation`` names what failed). A scan whose every measured
    value failed validation has outcome ``quarantined`` (nothing safe to plan: the flow stores
    no plan row for it); its failed values become quarantine rows either way.
    """
    from dexa.policy import plan_options as plan_options_from_policy
    from expectations import validate_batch
    from planner import make_plan

    custom_plan_fn, plan_fn = plan_fn, plan_fn or make_plan
    if not plan_options:
        plan_options = plan_options_from_policy()
    reports = [p.report for p in parsed if p.report is not None]
    started = time.perf_counter()
    validations = validate_batch(reports, run_date=run_date) if reports else []
    if seconds is not None:  # where a run's time goes, for its summary and dq_runs
        seconds["validation"] += time.perf_counter() - started
    results: list[ScanResult] = []
    for item, validation in zip([p for p in parsed if p.ok], validations, strict=True):
        assert item.report is not None
        rows = [dict(source_sha256=item.sha256, path=item.file.rel_path,
                     reason_code=f.expectation, field=f.field,
                     detail=f"{f.field}={f.value!r}: {f.detail}") for f in validation.failures]
        draft = item.draft_plan if custom_plan_fn is None and validation.passed else None
        if draft is not None and draft["rule_set"] == rule_set:
            plan = draft
        else:
            plan = plan_fn(item.report, validation=validation, rule_set=rule_set,
                           **plan_options).to_dict()
        if _has_any_value(without_failed_values(item.report, validation)):
            results.append(ScanResult(item, validation, plan, Outcome.PROCESSED, None, rows))
        else:
            reason = validation.failed_expectations[0] if validation.failures else "no_measurements"
            results.append(ScanResult(item, validation, plan, Outcome.QUARANTINED, reason, rows))
    return results


class BatchSummary:
    """What a batch (or, summed, a run) did: for the screen, the artifacts and ``dq_runs``.

    A plain class on purpose: Prefect walks dataclasses returned by a task in search of futures,
    which over a run's thousands of metric values cost ~0.25 ms a file.
    """

    def __init__(self) -> None:
        self.outcomes: Counter = Counter()
        self.reasons: Counter = Counter()
        self.classifications: Counter = Counter()
        self.pharmacotherapy: Counter = Counter()
        self.plans_written = 0
        self.metrics = RunMetrics()
        self.seconds: Counter = Counter()  # seconds by step; "validation" (GX) is timed

    def add(self, other: BatchSummary) -> None:
        for name in ("outcomes", "reasons", "classifications", "pharmacotherapy", "seconds"):
            getattr(self, name).update(getattr(other, name))
        self.plans_written += other.plans_written
        self.metrics.merge(other.metrics)

    @property
    def files(self) -> int:
        return sum(self.outcomes.values())

    @property
    def failed_expectations(self) -> Counter:
        return self.metrics.failures


def _in_range(scan_date: str | None, since: date | None, until: date | None) -> bool:
    if since is None and until is None:
        return True
    if scan_date is None:
        return False
    day = date.fromisoformat(scan_date)
    return (since is None or day >= since) and (until is None or day <= until)


def process_batch(engine: Engine, job: ParseJob, *,
                  input_root: str, run_id: str, run_date: date, rule_set: str,
                  since: date | None = None, until: date | None = None) -> BatchSummary:
    parsed = job.result()
    summary = BatchSummary()
    ledger: list[store.LedgerEntry] = []
    quarantine: list[dict] = []
    already = store.ledgered_sha256s(engine, [p.sha256 for p in parsed])
    seen_now: set[str] = set()
    to_plan: list[ParsedFile] = []

    def record(p: ParsedFile, outcome: Outcome, reason: str | None) -> None:
        scan_date = p.report.study.scan_date if p.report else None
        ledger.append(store.LedgerEntry(p.file.rel_path, p.sha256, p.file.size,
                                        p.file.mtime_ns, outcome, reason, scan_date))
        summary.outcomes[outcome] += 1
        if reason:
            summary.reasons[reason] += 1

    for p in parsed:
        if p.sha256 in already or p.sha256 in seen_now:
            record(p, Outcome.DUPLICATE, None)
            continue
        if not p.ok:
            seen_now.add(p.sha256)
            record(p, Outcome.QUARANTINED, p.error_code)
            quarantine.append(dict(source_sha256=p.sha256, path=p.file.rel_path,
                                   reason_code=p.error_code, field=None,
                                   detail=p.error_message))
            continue
        assert p.report is not None
        if not _in_range(p.report.study.scan_date, since, until):
            record(p, Outcome.SKIPPED, "out_of_range")
            continue
        seen_now.add(p.sha256)
        to_plan.append(p)

    as_read = {p.sha256: p.report for p in to_plan}  # stored as the file said, without history
    results = validate_and_plan(_with_history(engine, to_plan), run_date=run_date,
                                rule_set=rule_set, seconds=summary.seconds)
    scans: list[tuple[dict, dict | None]] = []
    for result in results:
        report = as_read[result.parsed.sha256]
        assert report is not None
        quarantine.extend(result.quarantine_rows)
        plan = result.plan if result.outcome == Outcome.PROCESSED else None
        scans.append((report.to_dict(), plan))
        record(result.parsed, result.outcome, result.reason_code)
        if plan:
            summary.plans_written += 1
            summary.classifications[plan["classification"]] += 1
            summary.pharmacotherapy[plan["pharmacotherapy"]] += 1
    with engine.begin() as conn:
        store.write_scans(conn, scans, run_id=run_id, created=store.now())
        store.write_quarantine(conn, quarantine, run_id=run_id)
        store.write_ledger(conn, store.ledger_rows(input_root, run_id, ledger))
    summary.metrics.add([{"outcome": e.outcome, "reason_code": e.reason_code} for e in ledger],
                        [r.parsed.report for r in results if r.parsed.report is not None],
                        [r.validation for r in results])
    return summary


def _with_history(engine: Engine, parsed: list[ParsedFile]) -> list[ParsedFile]:
    """Every parsed file (all read successfully) with priors from the patient's history; a
    worker's draft plan, made without that history, is dropped where history was added."""
    augmented = history.with_stored_history(engine, [p.report for p in parsed if p.report])
    return [p if report is p.report else replace(p, report=report, draft_plan=None)
            for p, report in zip(parsed, augmented, strict=True)]
