"""Scale-out: the batches of a segment run on a Dask cluster (prefect-dask's task runner).

Each Dask worker process reads, validates, plans and writes whole batches itself, with its own
database engine and its own Great Expectations context (imported once per worker process), so
the results store must be reachable from every worker (PostgreSQL for more than one machine)
and INPUT_DIR must be mounted at the same path on every worker. Differences from the
single-machine path, by design: there is no per-file time limit (Dask runs tasks in threads,
where SIGALRM cannot interrupt), and two identical files in batches that run at the same time
are both ledgered ``processed`` (their scan, plan and measurements are still stored once).

Stopping (SIGINT/SIGTERM, ``dexa.interrupts``): a batch goes to the cluster only when one of its
worker threads is free, so after a stop no batch starts; the batches already running on the
cluster cannot be cancelled there (Dask cannot stop a running task, and a cancelled future's task
would still write, uncounted), so the flow waits for them: each writes in one transaction and is
counted in the run's summary. The worker processes of a local cluster (``--dask-workers``) are
in dexa's process group: they ignore SIGINT (a terminal's Ctrl-C used to end them, and the run
then waited for their batches for ever). Where a cluster's workers die all the same (a SIGTERM to
the whole group, a remote cluster's hosts going down) after a stop, their batches roll back
whole, or were written before the worker ended and are then missing from the summary only (the
ledger holds them); the flow stops waiting once the cluster has no worker left.
"""

from __future__ import annotations

import signal
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

from distributed import WorkerPlugin
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect_dask import DaskTaskRunner
from sqlalchemy import Engine

from dexa import interrupts, store
from dexa.batch import BatchSummary, process_batch
from dexa.discover import InputFile, split_batches
from dexa.workers import ParseJob
from flows.segments import take_segment


@lru_cache(maxsize=4)
def _engine(db_url: str) -> Engine:
    """One engine per worker process and database."""
    return store.connect(db_url)


@task(name="ingest-batch-on-dask", cache_policy=NO_CACHE)
def ingest_batch_remote(db_url: str, files: list[InputFile], *, input_root: str, run_id: str,
                        run_date: date, rule_set: str, since: date | None,
                        until: date | None) -> BatchSummary:
    job = ParseJob(None, [files], [])  # parsed in this worker process
    return process_batch(_engine(db_url), job, input_root=input_root, run_id=run_id,
                         run_date=run_date, rule_set=rule_set, since=since, until=until)


def task_runner(address: str) -> DaskTaskRunner:
    return DaskTaskRunner(address=address)


class IgnoreSigint(WorkerPlugin):
    """Keeps a terminal's Ctrl-C off a local cluster's worker processes: they are in dexa's
    process group, and a Ctrl-C used to end them under the run, their batches rolled back.
    dexa's own handler decides (the batches running finish and are counted); the workers end
    with the cluster. Set up in the worker process's main thread (its event loop)."""

    name = "dexa-ignore-sigint"

    def setup(self, worker: object) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    """A local Dask cluster of single-threaded worker processes that ignore SIGINT
    (``IgnoreSigint``); yields its address."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        with Client(cluster) as client:
            client.register_plugin(IgnoreSigint())
        yield cluster.scheduler_address


def _cluster_threads() -> int:
    """The worker threads of the flow's Dask cluster now."""
    return sum(FlowRunContext.get().task_runner.client.nthreads().values())


@flow(name="dexa-ingest-segment-dask", log_prints=False)
def ingest_segment_dask(segment_key: str, part: int, parts: int, *, input_root: str,
                        run_id: str, rule_set: str, batch_size: int, since: date | None,
                        until: date | None) -> BatchSummary:
    """Run the segment's batches on the flow's Dask task runner, as many at a time as the
    cluster has worker threads, and sum the results. After a stop request no batch is
    submitted; those running are waited for (module docstring)."""
    interrupts.reinstall()  # Prefect's engine put its own SIGTERM handler in place
    segment = take_segment(segment_key)
    db_url = store.resolve_db_url(segment.db_url)
    waiting = deque(split_batches(segment.files, batch_size))
    running: list = []  # the PrefectDaskFutures of the batches on the cluster
    finished = threading.Event()  # set when one of them ends
    totals = BatchSummary()
    while True:
        if not interrupts.stop_requested():
            # at least one: a cluster still starting its workers gets a batch to wait for
            slots = max(1, _cluster_threads()) - len(running) if waiting else 0
            for _ in range(max(0, slots)):
                future = ingest_batch_remote.submit(
                    db_url, waiting.popleft(), input_root=input_root, run_id=run_id,
                    run_date=date.today(), rule_set=rule_set, since=since, until=until)
                future.wrapped_future.add_done_callback(lambda _: finished.set())
                running.append(future)
                if not waiting:
                    break
        if not running:
            return totals
        while not finished.wait(timeout=1.0):  # a signal's handler runs meanwhile
            if interrupts.stop_requested() and not _cluster_threads():
                return totals  # the workers died with their batches (module docstring)
        finished.clear()
        for done in [f for f in running if f.wrapped_future.done()]:
            running.remove(done)
            status = done.wrapped_future.status
            if status not in ("finished", "error"):  # lost or cancelled: its worker died
                if interrupts.stop_requested():
                    continue  # rolled back whole; the next run takes its files up
                raise RuntimeError(f"a batch was {status} on the Dask cluster (its worker "
                                   "died); run the same command again to take it up")
            totals.add(done.result())
            if segment.progress:
                segment.progress(segment.done_before + totals.files, segment.files_total,
                                 segment.pages_before + totals.ocr_pages)
