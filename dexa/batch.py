"""Stage 3 of a run, batch: one parsed batch validated, joined to its visits, planned, its
outcomes decided and written to the store in one transaction.

``validate_scans`` validates reports once per batch (GX) and ``outcome_of`` decides whether a
scan whose values failed validation is still ``processed`` or ``quarantined``;
``validate_and_plan`` plans each file on its own (``dexa plan``, without Prefect or a store).
``process_batch`` decides every file's ledger ``Outcome`` (duplicate, rejected, outside the
backfill range, then what validation left), plans the visits its scans belong to with the
scans already stored for them (``dexa.visits``), and writes scans, visits, quarantine and ledger
together, so a batch is either wholly stored or not at all (a crashed run is resumed by running
again). Prefect tasks call these functions and nothing else.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine

from dexa import interrupts, store
from dexa.contract import (
    Outcome,
    PlanDocument,
    ReportDocument,
    ScanValidation,
    without_failed_values,
)
from dexa.visits import Member, PlannedVisit, plan_visits, stored_members
from dexa.workers import ParsedFile, ParseJob
from expectations.metrics import RunMetrics
from planner.visits import visit_key

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


def validate_scans(reports: Sequence[ReportDocument], *, run_date: date,
                   seconds: Counter[str] | None = None) -> list[ScanValidation]:
    """Every report validated in one GX run."""
    from expectations import validate_batch

    started = time.perf_counter()
    validations = validate_batch(reports, run_date=run_date) if reports else []
    if seconds is not None:  # where a run's time goes, for its summary and dq_runs
        seconds["validation"] += time.perf_counter() - started
    return validations


def outcome_of(report: ReportDocument, validation: ScanValidation) -> tuple[Outcome, str | None]:
    """``processed``, or ``quarantined`` with the reason where every measured value failed
    validation (nothing safe to plan: the scan joins no visit)."""
    if _has_any_value(without_failed_values(report, validation)):
        return Outcome.PROCESSED, None
    reason = validation.failed_expectations[0] if validation.failures else "no_measurements"
    return Outcome.QUARANTINED, reason


def _failure_rows(item: ParsedFile, validation: ScanValidation) -> list[dict]:
    return [dict(source_sha256=item.sha256, path=item.file.rel_path, reason_code=f.expectation,
                 field=f.field, detail=f"{f.field}={f.value!r}: {f.detail}")
            for f in validation.failures]


def validate_and_plan(parsed: Sequence[ParsedFile], *, run_date: date, rule_set: str,
                      plan_fn: Callable[..., PlanDocument] | None = None,
                      seconds: Counter[str] | None = None,
                      **plan_options: object) -> list[ScanResult]:
    """Validate a batch of parsed reports once (GX), then plan each scan as its own one-scan
    visit (or keep its ``draft_plan`` where validation passed; only without a custom
    ``plan_fn``): ``dexa plan`` never forms visits across its files (CONTRACT.md).

    Every scan gets a plan (its ``validation`` names what failed). A scan whose every measured
    value failed validation has outcome ``quarantined``; its failed values become quarantine
    rows either way.
    """
    from dexa.policy import plan_options as plan_options_from_policy
    from planner import make_plan

    custom_plan_fn, plan_fn = plan_fn, plan_fn or make_plan
    if not plan_options:
        plan_options = plan_options_from_policy()
    items = [p for p in parsed if p.report is not None]
    validations = validate_scans([p.report for p in items], run_date=run_date,  # type: ignore[misc]
                                 seconds=seconds)
    results: list[ScanResult] = []
    for item, validation in zip(items, validations, strict=True):
        assert item.report is not None
        draft = item.draft_plan if custom_plan_fn is None and validation.passed else None
        if draft is not None and draft["rule_set"] == rule_set:
            plan = draft
        else:
            plan = plan_fn(item.report, validation=validation, rule_set=rule_set,
                           **plan_options).to_dict()
        outcome, reason = outcome_of(item.report, validation)
        results.append(ScanResult(item, validation, plan, outcome, reason,
                                  _failure_rows(item, validation)))
    return results


VISIT_ROWS = 1000  # visits listed one by one in a run's artifact; the counts cover them all


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
        self.metrics = RunMetrics()
        self.seconds: Counter = Counter()  # seconds by step; "validation" (GX) is timed
        self.visit_rows: list[dict[str, Any]] = []  # the first VISIT_ROWS visits planned
        self.ocr_pages = 0  # page images the batch's files held for OCR (progress display)

    @property
    def plans_written(self) -> int:
        """Visit plans written (a visit re-planned as a scan joins it counts again)."""
        return self.metrics.visits["planned"]

    def add(self, other: BatchSummary) -> None:
        for name in ("outcomes", "reasons", "classifications", "pharmacotherapy", "seconds"):
            getattr(self, name).update(getattr(other, name))
        self.metrics.merge(other.metrics)
        self.ocr_pages += other.ocr_pages
        self.visit_rows += other.visit_rows[:VISIT_ROWS - len(self.visit_rows)]

    def add_visits(self, planned: Sequence[PlannedVisit]) -> None:
        for v in planned:
            self.classifications[v.plan["classification"]] += 1
            self.pharmacotherapy[v.plan["pharmacotherapy"]] += 1
            if len(self.visit_rows) < VISIT_ROWS:
                self.visit_rows.append(v.summary_row())
        self.metrics.add_visits([(len(v.visit.sources), bool(v.visit.conflicts), v.joined)
                                 for v in planned])

    def count_rejected(self, reason: str, files: int) -> None:
        """Files quarantined before they were read (discovery's ``unreadable`` entries)."""
        if files:
            self.outcomes[Outcome.QUARANTINED] += files
            self.reasons[reason] += files
            self.metrics.add([{"outcome": Outcome.QUARANTINED, "reason_code": reason}] * files,
                             [], [])

    @property
    def files(self) -> int:
        return sum(self.outcomes.values())

    @property
    def failed_expectations(self) -> Counter:
        return self.metrics.failures


SCAN_DATE_UNKNOWN = "scan_date_unknown"  # a processed scan whose scan date was not read


def _in_range(scan_date: str | None, since: date | None, until: date | None) -> bool:
    """Within the backfill's range; a scan without a date is taken, never skipped: a skip
    would hide it for good (the next run skips it again), a plan flags it."""
    if (since is None and until is None) or scan_date is None:
        return True
    day = date.fromisoformat(scan_date)
    return (since is None or day >= since) and (until is None or day <= until)


def process_batch(engine: Engine, job: ParseJob, *,
                  input_root: str, run_id: str, run_date: date, rule_set: str,
                  since: date | None = None, until: date | None = None) -> BatchSummary:
    parsed = job.result()
    summary = BatchSummary()
    summary.ocr_pages = sum(p.ocr_pages for p in parsed)
    ledger: list[store.LedgerEntry] = []
    quarantine: list[dict] = []
    already = store.ledgered_sha256s(engine, [p.sha256 for p in parsed])
    seen_now: set[str] = set()
    to_plan: list[ParsedFile] = []

    def record(p: ParsedFile, outcome: Outcome, reason: str | None) -> None:
        scan_date = p.report.study.scan_date if p.report else None
        if outcome == Outcome.PROCESSED and scan_date is None:
            reason = SCAN_DATE_UNKNOWN  # shown by the summary and in dq_runs' reasons
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

    summary.add_visits(_plan_and_write(engine, to_plan, quarantine, record, ledger,
                                       input_root=input_root, run_id=run_id,
                                       run_date=run_date, rule_set=rule_set,
                                       summary=summary))
    return summary


def _plan_and_write(engine: Engine, to_plan: list[ParsedFile], quarantine: list[dict],
                    record: Callable[[ParsedFile, Outcome, str | None], None],
                    ledger: list[store.LedgerEntry], *, input_root: str, run_id: str,
                    run_date: date, rule_set: str, summary: BatchSummary) -> list[PlannedVisit]:
    """Validate the batch's scans with the stored scans of their visits (one GX run), plan
    every visit they belong to, and write the batch in one transaction."""
    from dexa.policy import plan_options

    reports = [p.report for p in to_plan]
    stored = stored_members(engine, {visit_key(r) for r in reports if r is not None})
    earlier = [r for group in stored.values() for r in group]
    validations = validate_scans([*reports, *earlier], run_date=run_date,  # type: ignore[list-item]
                                 seconds=summary.seconds)
    members: dict[str, list[Member]] = {}
    for report, validation in zip(earlier, validations[len(reports):], strict=True):
        members.setdefault(visit_key(report), []).append(Member(report, validation))
    checks = validations[:len(reports)]
    for item, validation in zip(to_plan, checks, strict=True):
        assert item.report is not None
        quarantine.extend(_failure_rows(item, validation))
        outcome, reason = outcome_of(item.report, validation)
        record(item, outcome, reason)
        if outcome == Outcome.PROCESSED:
            members.setdefault(visit_key(item.report), []).append(
                Member(item.report, validation, item.draft_plan))
    planned = plan_visits(engine, members, rule_set=rule_set, stored_keys=stored,
                          **plan_options())
    interrupts.check()  # the last point where stopping drops the batch whole, unwritten
    with engine.begin() as conn:
        created = store.now()
        store.write_scans(conn, [r.to_dict() for r in reports if r is not None], run_id=run_id,
                          created=created)
        store.write_visits(conn, [v.record() for v in planned], run_id=run_id, created=created)
        store.write_quarantine(conn, quarantine, run_id=run_id)
        store.write_ledger(conn, store.ledger_rows(input_root, run_id, ledger))
    summary.metrics.add([{"outcome": e.outcome, "reason_code": e.reason_code} for e in ledger],
                        reports, checks)  # type: ignore[arg-type]
    return planned
