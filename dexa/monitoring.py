"""Data-quality monitoring over runs: what ``dq_runs`` stores and what ``dexa dq`` checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from dexa import store
from expectations.drift import DriftReport, compare
from expectations.metrics import RunMetrics

BASELINE_RUNS = 14


def run_metrics(totals: Any) -> dict:
    """The metrics of one run (``totals`` is the run's summed ``dexa.batch.BatchSummary``)."""
    metrics: RunMetrics = totals.metrics
    return {**metrics.to_dict(), "seconds": {k: round(v, 3) for k, v in totals.seconds.items()}}


def drift_of_latest_run(engine: Engine, window: int = BASELINE_RUNS) -> tuple[str | None,
                                                                              DriftReport]:
    """The latest finished run against its trailing baseline (oldest first)."""
    runs = store.finished_runs(engine, limit=window + 1)
    if not runs:
        return None, compare({}, [])
    latest, earlier = runs[0], list(reversed(runs[1:]))
    return latest["run_id"], compare(latest["metrics"], [r["metrics"] for r in earlier],
                                     window=window)


def latest_run_counts(engine: Engine) -> str | None:
    """One line on the latest finished run: scans read and visits planned, counted apart.
    Runs stored before visits (metrics_version 1) have no visit counts; the line says so."""
    runs = store.finished_runs(engine, limit=1)
    if not runs:
        return None
    metrics = runs[0]["metrics"]
    line = f"Latest run: {metrics.get('scans', 0)} scans read"
    visits = metrics.get("visits")
    if visits is None:
        return line + " (visit counts were not recorded by the release that made it)"
    return (line + f", {visits['planned']} visit plans written ({visits['new']} new visits, "
            f"{visits['joined']} joined by a scan, {visits['multi_scan']} of several scans, "
            f"{visits['with_source_conflict']} with a source conflict)")


def build_data_docs_for_run(engine: Engine, run_id: str, directory: Path) -> Path | None:
    """GX Data Docs of a run's scans: its stored report documents validated again."""
    from dexa.contract import ReportDocument
    from expectations import build_data_docs, validate_batch

    stmt = select(store.scan_reports.c.report_json).where(store.scan_reports.c.run_id == run_id)
    with engine.connect() as conn:
        reports = [ReportDocument.model_validate(r.report_json) for r in conn.execute(stmt)]
    if not reports:
        return None
    validate_batch(reports, run_date=date.today())
    return build_data_docs(directory)
