"""Batches on a local Dask cluster (prefect-dask) give the same tables as the local path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.test_backfill import _tables
from tests.inputs import write_export_folder


@pytest.mark.usefixtures("prefect_harness")
def test_local_dask_cluster_matches_the_single_machine_run(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "exports"
    write_export_folder(root)
    (root / "2024/03/14/copy-of-motivating.dcm").unlink()  # no same-content pair across batches
    local, dask = (f"sqlite:///{tmp_path / n}" for n in ("local.sqlite", "dask.sqlite"))
    ingest_flow(str(root), local, workers=1, batch_size=2)
    summary = ingest_flow(str(root), dask, batch_size=2, dask_workers=2)
    assert summary.totals.plans_written == 3 and summary.totals.files == 6
    assert _tables(dask) == _tables(local)


@pytest.mark.usefixtures("prefect_harness")
def test_on_dask_no_batch_starts_after_a_stop_and_the_running_ones_are_counted(
        tmp_path: Path) -> None:
    """A batch goes to the cluster only when a worker thread is free: after the stop only the
    batches already running (at most one per thread) finish, each whole and in the summary.
    Before, every batch of the segment was submitted at once and all of them ran."""
    import signal

    from dexa import interrupts, store
    from flows.ingest import ingest_flow, interrupted_run, set_progress_callback
    from tests.flows.test_interrupts import _folder

    root, url = _folder(tmp_path / "in", 12), f"sqlite:///{tmp_path / 'dexa.sqlite'}"
    seen: list[int] = []

    def stop_after_first_batch(done: int, _total: int, _pages: int) -> None:
        seen.append(done)
        if done:
            interrupts.request_stop(signal.SIGINT)

    set_progress_callback(stop_after_first_batch)
    try:
        state = ingest_flow(str(root), url, batch_size=2, dask_workers=2, return_state=True)
    finally:
        set_progress_callback(None)
        interrupts.reset()
    assert state.is_cancelled() and "stopped by SIGINT" in state.message
    engine = store.connect(url)
    written = store.count_rows(engine, store.ingest_ledger)
    engine.dispose()
    assert written in (2, 4), "one batch per worker thread at the most, none after the stop"
    assert interrupted_run().totals.files == written, "the batches that ran are counted"
    assert seen[-1] == written, "progress is shown for batches run on Dask too"
