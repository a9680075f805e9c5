"""The nightly and backfill Prefect flows: discover -> ledger -> per batch: parse, validate,
plan the batch's visits, write -> refresh stale visit plans -> run metrics.

One task run per *batch* of files, never per file: a task run costs ~20 ms of CPU with the local
server, and Prefect's memory grows with the task calls of a flow run, so the files of a run are
split into segments of at most ``files_per_run`` files, each its own (sub)flow run (handed over
through ``flows.segments``). Tasks are thin: they call the stages ``dexa.discover`` (what is
new), ``dexa.batch`` (validate, plan, outcomes, write; parsed by ``dexa.workers``) and
``dexa.replan``. Patient identifiers never reach Prefect:
parameters, logs and artifacts carry counts, outcomes and codes only (file lists stay in this
process).

Resumable: each batch is written in one transaction (results, quarantine, ledger), so a run
killed at any point leaves whole batches, and the next run takes up the files the ledger does
not hold yet. Stoppable: on SIGINT/SIGTERM (``dexa.interrupts``) the batch being written is
committed, the one being parsed dropped, no other started; the run's ``dq_runs`` row is
finished with status ``interrupted`` and its metrics, and the flow run ends Cancelled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Cancelled
from sqlalchemy import Engine

import expectations
from dexa import interrupts, replan, store
from dexa.batch import BatchSummary, process_batch
from dexa.discover import (
    UNREADABLE,
    InputFile,
    discover,
    select_new_files,
    split_batches,
    unreadable_key,
)
from dexa.policy import plan_options
from dexa.workers import DraftPlanning, ParseJob, ParsePool, start_fork_server
from flows.segments import Segment, hand_over, take_segment

DEFAULT_BATCH_SIZE = 5000  # as dexa.cli.BATCH_SIZE: GX costs ~1 s a batch whatever its size
DEFAULT_FILES_PER_RUN = 50_000

ProgressCallback = Callable[[int, int, int], None]  # (files done, files to do, pages by OCR)
_progress: ProgressCallback | None = None


def set_progress_callback(callback: ProgressCallback | None) -> None:
    """The CLI's progress display; called after each batch (also of batches run on Dask)."""
    global _progress
    _progress = callback


@dataclass
class RunSummary:
    run_id: str
    input_root: str
    files_seen: int
    totals: BatchSummary
    seconds: float
    replanned: int = 0
    files_new: int = 0
    interrupted_by: int | None = None  # the signal that stopped the run


_interrupted: list[RunSummary] = []


def interrupted_run() -> RunSummary:
    """What the run that just ended Cancelled had done (its flow returns only its state)."""
    return _interrupted[-1]


@task(name="find-new-files", cache_policy=NO_CACHE)
def find_new_files(engine: Engine, input_root: str, run_id: str
                   ) -> tuple[int, list[InputFile], BatchSummary]:
    """(entries under the root, the files new to the ledger, what could not be read: ledgered
    ``unreadable`` now, looked at again next run). The results database's own files are not
    inputs."""
    found = discover(Path(input_root), exclude=store.database_files(engine))
    store.write_unreadable(engine, input_root, run_id, [
        (u.rel_path, unreadable_key(u.rel_path), u.detail) for u in found.unreadable])
    unreadable = BatchSummary()
    unreadable.count_rejected(UNREADABLE, len(found.unreadable))
    return (len(found.files) + len(found.unreadable),
            select_new_files(engine, input_root, found.files), unreadable)


@task(name="ingest-batch", cache_policy=NO_CACHE)
def ingest_batch(engine: Engine, job: ParseJob, *, input_root: str, run_id: str,
                 run_date: date, rule_set: str, since: date | None,
                 until: date | None) -> BatchSummary | None:
    """The batch processed and written; None where a stop was asked before its write began
    (nothing of it is written: the next run takes it up)."""
    try:
        return process_batch(engine, job, input_root=input_root, run_id=run_id,
                             run_date=run_date, rule_set=rule_set, since=since, until=until)
    except interrupts.Interrupted:
        return None


@task(name="refresh-stale-visits", cache_policy=NO_CACHE)
def refresh_stale_visits(engine: Engine, rule_set: str, run_id: str) -> int:
    return replan.refresh_visits(engine, rule_set=rule_set, run_id=run_id)


@task(name="record-run-metrics", cache_policy=NO_CACHE)
def record_run_metrics(engine: Engine, run_id: str, totals: BatchSummary, files_seen: int,
                       interrupted_by: int | None = None) -> None:
    from dexa.monitoring import run_metrics

    metrics = run_metrics(totals)
    metrics["files_under_root"] = files_seen  # 0 where a source fell silent (dexa dq)
    if interrupted_by:
        metrics["interrupted_by"] = interrupts.Interrupted(interrupted_by).signal_name
    store.finish_run(engine, run_id, metrics,
                     status="interrupted" if interrupted_by else "completed")


@flow(name="dexa-ingest-segment", log_prints=False)
def ingest_segment(segment_key: str, part: int, parts: int, *, input_root: str, run_id: str,
                   rule_set: str, batch_size: int, since: date | None,
                   until: date | None) -> BatchSummary:
    """One segment (part ``part`` of ``parts``) of a run's new files, batch by batch."""
    interrupts.reinstall()  # Prefect's engine put its own SIGTERM handler in place
    segment = take_segment(segment_key)
    totals = BatchSummary()
    files = segment.files
    batches = split_batches(files, batch_size)
    # the workers parse batch k+1 while this process validates, plans and writes batch k
    drafting = DraftPlanning(rule_set, plan_options())  # plans drafted by the parse workers
    job = segment.pool.submit(batches[0], drafting) if batches else None
    for k in range(len(batches)):
        if interrupts.stop_requested():
            break
        upcoming = segment.pool.submit(batches[k + 1], drafting) if k + 1 < len(batches) else None
        done = ingest_batch(segment.engine, job, input_root=input_root, run_id=run_id,
                            run_date=date.today(), rule_set=rule_set, since=since, until=until)
        if done is None:
            break
        totals.add(done)
        job = upcoming
        if segment.progress:
            segment.progress(segment.done_before + totals.files, segment.files_total,
                             segment.pages_before + totals.ocr_pages)
    return totals


_warm_up_started = threading.Event()


def start_warm_up() -> None:
    """Start GX's import and suites (3-5 s of CPU) and the parse workers' fork server in a
    background thread, once per process. The flow calls it first thing; the CLI calls it
    before the flow, so that the work overlaps the temporary Prefect server's start (8-15 s)."""
    if _warm_up_started.is_set():
        return
    _warm_up_started.set()

    def warm_up() -> None:
        start_fork_server()
        expectations.warm_up()

    threading.Thread(target=warm_up, name="dexa-warm-up", daemon=True).start()


def _publish_summary(totals: BatchSummary, files_seen: int, replanned: int) -> None:
    """The run in the Prefect UI: a markdown summary, files by outcome, and the visits it
    planned (named by their primary scan's hash; no patient identifier or date anywhere)."""
    rows = [{"outcome": k, "files": v} for k, v in sorted(totals.outcomes.items())]
    rows += [{"outcome": f"reason:{k}", "files": v} for k, v in sorted(totals.reasons.items())]
    create_table_artifact(key="dexa-run-outcomes", table=rows,
                          description="Files by outcome and reason code (no patient data)")
    planned = totals.plans_written
    listed = len(totals.visit_rows)
    create_table_artifact(
        key="dexa-run-visits", table=totals.visit_rows,
        description=f"Visit plans written by the run ({listed} of {planned} listed), each by its "
                    "primary scan's sha256 (no patient data)")
    create_markdown_artifact(key="dexa-run-summary",
                             markdown=run_summary_markdown(totals, files_seen, replanned))


def run_summary_markdown(totals: BatchSummary, files_seen: int, replanned: int) -> str:
    visits = totals.metrics.visits
    lines = [f"# dexa run: {files_seen} files under the input folder", "",
             "## Files", ""]
    lines += [f"* {k}: {v}" for k, v in sorted(totals.outcomes.items())]
    lines += [f"* rejected or quarantined as `{k}`: {v}" for k, v in sorted(totals.reasons.items())]
    lines += ["", "## Visits", "",
              f"* scans read: {totals.metrics.scans}",
              f"* visit plans written: {totals.plans_written} ({visits['new']} new visits, "
              f"{visits['joined']} joined by a later scan)",
              f"* of several scans: {visits['multi_scan']}; with a source conflict: "
              f"{visits['with_source_conflict']}",
              f"* re-planned at the end of the run (stale): {replanned}", "",
              "| classification | visits |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(totals.classifications.items())]
    lines += ["", "| drug treatment | visits |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(totals.pharmacotherapy.items())]
    return "\n".join(lines) + "\n"


def _segment_flow(dask_address: str | None):
    """The flow that runs one segment: batches in this process, or on a Dask cluster."""
    if not dask_address:
        return ingest_segment
    from flows.distributed import ingest_segment_dask, task_runner

    return ingest_segment_dask.with_options(task_runner=task_runner(dask_address))


@flow(name="dexa-ingest", log_prints=False)
def ingest_flow(input_dir: str, db_url: str | None = None, rule_set: str = "bhof-2022",
                batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None,
                since: date | None = None, until: date | None = None,
                kind: str = "nightly", files_per_run: int = DEFAULT_FILES_PER_RUN,
                dask_address: str | None = None, dask_workers: int | None = None,
                reread: str | None = None) -> RunSummary:
    """Ingest every file under ``input_dir`` that the ledger has not seen (``since``/``until``
    restrict by scan date: a backfill). ``dask_address`` runs the batches on that Dask
    scheduler, ``dask_workers`` on a local Dask cluster of that many processes. ``reread``
    (``older`` or ``all``) first makes the files quarantined for a reading reason (by an older
    release, or by any) new again, so that this run reads them (``dexa reread``)."""
    started = time.perf_counter()
    interrupts.reinstall()  # Prefect's engine put its own SIGTERM handler in place
    if not (dask_address or dask_workers):  # overlapped with discovery, at the latest
        start_warm_up()
    logger = get_run_logger()
    run_id = str(flow_run.id) if flow_run.id else f"local-{time.time_ns()}"
    input_root = str(Path(input_dir).resolve())
    engine = store.connect(db_url)
    with store.writer_lock(engine, kind):  # already held where the CLI took it
        store.start_run(engine, run_id, kind=kind, input_root=input_root)
        if reread:
            forgotten = store.forget_for_reread(engine, input_root,
                                                every_version=reread == "all")
            logger.info("%d quarantined files to read again", forgotten)
        files_seen, fresh, unreadable = find_new_files(engine, input_root, run_id)
        logger.info("%d files under the input folder, %d new", files_seen, len(fresh))
        totals = BatchSummary()
        if not interrupts.stop_requested():
            _run_segments(engine, fresh, totals, run_id=run_id, input_root=input_root,
                          db_url=db_url, workers=workers, files_per_run=files_per_run,
                          dask_address=dask_address, dask_workers=dask_workers,
                          rule_set=rule_set, batch_size=batch_size, since=since, until=until)
        totals.add(unreadable)
        stopped = interrupts.stop_requested()
        # also without new plans: a database migrated from before visits may hold stale
        # visits (an interrupted run leaves them to the next run)
        replanned = 0 if stopped else refresh_stale_visits(engine, rule_set, run_id)
        record_run_metrics(engine, run_id, totals, files_seen, stopped)
    _publish_summary(totals, files_seen, replanned)
    engine.dispose()
    summary = RunSummary(run_id, input_root, files_seen, totals, time.perf_counter() - started,
                         replanned, len(fresh), stopped)
    if stopped:
        _interrupted.append(summary)
        return Cancelled(message=f"stopped by {interrupts.Interrupted(stopped).signal_name} "
                         f"after {totals.files} of {len(fresh)} new files")
    return summary


def _run_segments(engine: Engine, fresh: list[InputFile], totals: BatchSummary, *,
                  run_id: str, input_root: str, db_url: str | None, workers: int | None,
                  files_per_run: int,
                  dask_address: str | None, dask_workers: int | None,
                  **segment_options: object) -> None:
    """The run's new files, segment by segment (each its own flow run), summed in ``totals``."""
    if _progress:
        _progress(0, len(fresh), 0)
    segments = [fresh[i:i + files_per_run] for i in range(0, len(fresh), files_per_run)]
    with ExitStack() as stack:
        if dask_workers and not dask_address:
            from flows.distributed import local_cluster

            dask_address = stack.enter_context(local_cluster(dask_workers))
        pool = stack.enter_context(ParsePool(workers))
        run_segment = _segment_flow(dask_address)
        for part, files in enumerate(segments, start=1):
            if interrupts.stop_requested():
                break
            key = f"{run_id}/{part}"
            hand_over(key, Segment(engine, pool, files, totals.files, len(fresh), db_url,
                                   totals.ocr_pages, _progress))
            totals.add(run_segment(key, part, len(segments), input_root=input_root,
                                   run_id=run_id, **segment_options))
            if _progress:
                _progress(totals.files, len(fresh), totals.ocr_pages)
