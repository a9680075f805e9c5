"""Scale-out: the batches of a segment run on a Dask cluster (prefect-dask's task runner).

Each Dask worker process reads, validates, plans and writes whole batches itself, with its own
database engine and its own Great Expectations context (imported once per worker process), so
the results store must be reachable from every worker (PostgreSQL for more than one machine)
and INPUT_DIR must be mounted at the same path on every worker. Differences from the
single-machine path, by design: there is no per-file time limit (Dask runs tasks in threads,
where SIGALRM cannot interrupt), and two identical files in batches that run at the same time
are both ledgered ``processed`` (their scan, plan and measurements are still stored once).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect_dask import DaskTaskRunner
from sqlalchemy import Engine

from dexa import store
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


@contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    """A local Dask cluster of single-threaded worker processes; yields its address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@flow(name="dexa-ingest-segment-dask", log_prints=False)
def ingest_segment_dask(segment_key: str, part: int, parts: int, *, input_root: str,
                        run_id: str, rule_set: str, batch_size: int, since: date | None,
                        until: date | None) -> BatchSummary:
    """Submit every batch of the segment to the flow's Dask task runner and sum the results."""
    segment = take_segment(segment_key)
    db_url = store.resolve_db_url(segment.db_url)
    files = segment.files
    batches = split_batches(files, batch_size)
    futures = [ingest_batch_remote.submit(db_url, batch, input_root=input_root, run_id=run_id,
                                          run_date=date.today(), rule_set=rule_set,
                                          since=since, until=until) for batch in batches]
    totals = BatchSummary()
    for future in futures:
        totals.add(future.result())
    return totals
