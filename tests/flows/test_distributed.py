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
