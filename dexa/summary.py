"""The one-screen summary printed at the end of ``dexa run`` / ``dexa backfill``."""

from __future__ import annotations

from typing import Any

from dexa.contract import Outcome

OUTCOME_ORDER = tuple(Outcome)  # processed, quarantined, duplicate, skipped


def _time_line(summary: Any, wall_seconds: float | None, server_seconds: float) -> str:
    """The whole command's time (what the operator waited), with the flow's share and the
    temporary Prefect server's start, which the flow's own clock does not see."""
    totals = summary.totals
    wall = wall_seconds if wall_seconds is not None else summary.seconds
    rate = totals.files / summary.seconds if summary.seconds > 0 else 0.0
    parts = [f"flow {summary.seconds:.1f} s ({rate:,.0f} files/s; validation "
             f"{totals.seconds['validation']:.1f} s)"]
    if server_seconds:
        parts.append(f"Prefect temporary server start {server_seconds:.1f} s")
    return f"  time           {wall:.1f} s in all: " + ", ".join(parts)


def render_run_summary(summary: Any, db_display_url: str, *, wall_seconds: float | None = None,
                       server_seconds: float = 0.0) -> str:
    totals = summary.totals
    lines = [
        f"dexa run {summary.run_id}",
        f"  input folder   {summary.input_root}",
        f"  files found    {summary.files_seen} ({totals.files} new, "
        f"{summary.files_seen - totals.files} already in the ledger)",
    ]
    for outcome in OUTCOME_ORDER:
        if totals.outcomes.get(outcome):
            lines.append(f"  {outcome:<14} {totals.outcomes[outcome]}")
    if totals.reasons:
        reasons = ", ".join(f"{k} {v}" for k, v in totals.reasons.most_common())
        lines.append(f"  reasons        {reasons}")
    if totals.failed_expectations:
        failed = ", ".join(f"{k} {v}" for k, v in totals.failed_expectations.most_common(5))
        lines.append(f"  values failing validation  {failed}")
    visits = totals.metrics.visits
    lines.append(f"  visits planned {totals.plans_written} ({visits['new']} new, "
                 f"{visits['joined']} joined by a scan; {visits['multi_scan']} of several "
                 f"scans, {visits['with_source_conflict']} with a source conflict)")
    if summary.replanned:
        lines.append(f"  re-planned     {summary.replanned} earlier visits (a scan joined, or "
                     "new history)")
    if totals.classifications:
        lines.append("  categories     " + ", ".join(
            f"{k} {v}" for k, v in totals.classifications.most_common()))
    if totals.pharmacotherapy:
        lines.append("  drug therapy   " + ", ".join(
            f"{k} {v}" for k, v in totals.pharmacotherapy.most_common()))
    lines += [
        f"  results        {db_display_url}",
        "                 tables plan_recommendations, visit_sources, site_measurements,"
        " quarantine, ingest_ledger, dq_runs",
        _time_line(summary, wall_seconds, server_seconds),
    ]
    return "\n".join(lines)


def render_interrupted(summary: Any, db_display_url: str, *, wall_seconds: float) -> str:
    """The line (two) of a run stopped by a signal: what was kept and how to resume."""
    from signal import Signals

    name = Signals(summary.interrupted_by).name
    totals = summary.totals
    return (f"dexa: run {summary.run_id} stopped by {name} after {wall_seconds:.1f} s: "
            f"{totals.files} of {summary.files_new} new files written in whole batches to "
            f"{db_display_url} (dq_runs status interrupted).\n"
            "dexa: to resume, run the same command again: the files already written are not "
            "read again.")
