"""One batch of input files through every layer, and the run's bookkeeping.

``select_new_files`` decides what a run must look at (the ledger is the memory between runs);
``process_batch`` reads, de-duplicates, range-filters, validates, plans and writes one batch in
one transaction, so a batch is either wholly stored or not at all (a crashed run is resumed by
running again). Prefect tasks call these functions and nothing else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from dexa import history, store
from dexa.pipeline import InputFile, ParsedFile, ParseJob, validate_and_plan
from expectations.metrics import RunMetrics


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


def select_new_files(engine: Engine, input_root: str,
                     files: Sequence[InputFile]) -> list[InputFile]:
    """Files the ledger has not seen at this path with this size and mtime (content unchanged
    is assumed then, saving a re-hash of the archive every night). A file only ``skipped``
    before (outside a backfill range) is looked at again."""
    known = store.known_files(engine, input_root)
    fresh = []
    for f in files:
        seen = known.get(f.rel_path)
        if seen is None or seen[2] == "skipped" or (seen[0], seen[1]) != (f.size, f.mtime_ns):
            fresh.append(f)
    return fresh


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

    def record(p: ParsedFile, outcome: str, reason: str | None) -> None:
        scan_date = p.report.study.scan_date if p.report else None
        ledger.append(store.LedgerEntry(p.file.rel_path, p.sha256, p.file.size,
                                        p.file.mtime_ns, outcome, reason, scan_date))
        summary.outcomes[outcome] += 1
        if reason:
            summary.reasons[reason] += 1

    for p in parsed:
        if p.sha256 in already or p.sha256 in seen_now:
            record(p, "duplicate", None)
            continue
        if not p.ok:
            seen_now.add(p.sha256)
            record(p, "quarantined", p.error_code)
            quarantine.append(dict(source_sha256=p.sha256, path=p.file.rel_path,
                                   reason_code=p.error_code, field=None,
                                   detail=p.error_message))
            continue
        assert p.report is not None
        if not _in_range(p.report.study.scan_date, since, until):
            record(p, "skipped", "out_of_range")
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
        plan = result.plan if result.outcome == "processed" else None
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
