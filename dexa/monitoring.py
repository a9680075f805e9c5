"""Data-quality monitoring glue: run metrics into ``dq_runs``; ``dexa dq`` over past runs."""

from __future__ import annotations

from typing import Any


def run_metrics(totals: Any) -> dict:
    """Metrics of one run, JSON-serialisable, without patient identifiers."""
    return {
        "files_by_outcome": dict(totals.outcomes),
        "files_by_reason": dict(totals.reasons),
        "failed_expectations": dict(totals.failed_expectations),
        "plans_written": totals.plans_written,
    }


def check_data_quality(db_url: str | None, *, data_docs: Any = None) -> bool:
    raise NotImplementedError("dexa dq lands with the data-quality work (issue 6)")
