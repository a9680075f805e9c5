"""Data-quality monitoring over runs: what ``dq_runs`` stores and what ``dexa dq`` checks.

``dexa dq`` compares *nights*, not runs: the runs that started on one (UTC) date are one
night, so a manual rerun beside the nightly neither counts as a silent night for every source
nor pushes real nights out of the baseline.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from dexa import store
from expectations.drift import Alert, DriftReport, compare
from expectations.metrics import RunMetrics

BASELINE_RUNS = 14  # nights
RUNS_READ = 400  # the newest finished runs read to find the baseline's nights


def run_metrics(totals: Any) -> dict:
    """The metrics of one run (``totals`` is the run's summed ``dexa.batch.BatchSummary``)."""
    metrics: RunMetrics = totals.metrics
    return {**metrics.to_dict(), "seconds": {k: round(v, 3) for k, v in totals.seconds.items()}}


def night_of(run: dict) -> date:
    return run["started_at"].date()


def _night_metrics(runs: list[dict]) -> dict:
    """One night's runs as one run's metrics: counts summed (files by outcome and reason,
    failures, sources, scans); value distributions from the night's largest run (summaries
    do not add up)."""
    if len(runs) == 1:
        return runs[0]["metrics"]
    metrics = [r["metrics"] for r in runs]
    largest = max(metrics, key=lambda m: m.get("files", {}).get("total", 0))
    merged = dict(largest)
    for name in ("sources", "expectation_failures"):
        total: Counter = Counter()
        for m in metrics:
            total.update(m.get(name, {}))
        merged[name] = dict(sorted(total.items()))
    merged["scans"] = sum(m.get("scans", 0) for m in metrics)
    files = [m.get("files", {}) for m in metrics]
    counts = {name: sum(f.get(name, 0) for f in files) for name in ("total", "considered",
                                                                     "rejected")}
    by_outcome: Counter = Counter()
    nested: dict[str, Counter] = {}
    for f in files:
        by_outcome.update(f.get("by_outcome", {}))
        for outcome, reasons in f.get("by_outcome_reason", {}).items():
            nested.setdefault(outcome, Counter()).update(reasons)
    merged["files"] = {**counts, "by_outcome": dict(by_outcome),
                       "by_outcome_reason": {o: dict(r) for o, r in nested.items()},
                       "reject_rate": round(counts["rejected"] / counts["considered"], 4)
                       if counts["considered"] else 0.0}
    merged["files_under_root"] = max(m.get("files_under_root", 0) for m in metrics)
    return merged


def _empty_inputs(latest: list[dict], earlier: list[list[dict]]) -> list[Alert]:
    """An input folder that held files on an earlier night and none on the latest: unmounted,
    or the export stopped (an empty folder looks like a quiet night otherwise)."""
    roots_now = {r["input_root"]: r["metrics"].get("files_under_root") for r in latest}
    had_files = {r["input_root"] for night in earlier for r in night
                 if r["metrics"].get("files_under_root")}
    return [Alert("input_empty", root, f"the input folder {root} held no file this night; "
                  "it held files before (not mounted, or the export stopped?)")
            for root, count in sorted(roots_now.items())
            if count == 0 and root in had_files]


def drift_of_latest_run(engine: Engine, window: int = BASELINE_RUNS) -> tuple[str | None,
                                                                              DriftReport]:
    """The latest night's runs against the trailing nights (oldest first); the id of the
    night's latest run."""
    runs = store.finished_runs(engine, limit=RUNS_READ)
    if not runs:
        return None, compare({}, [])
    nights = [list(group) for _, group in groupby(runs, key=night_of)][:window + 1]
    latest, earlier = nights[0], list(reversed(nights[1:]))
    report = compare(_night_metrics(latest), [_night_metrics(n) for n in earlier],
                     window=window)
    if not report.too_little_history:
        report.alerts += _empty_inputs(latest, earlier)
    return latest[0]["run_id"], report


def latest_run_counts(engine: Engine) -> str | None:
    """One line on the latest finished run: scans read and visits planned, counted apart.
    Runs stored before visits (metrics_version 1) have no visit counts; the line says so."""
    runs = store.finished_runs(engine, limit=1)
    if not runs:
        return None
    metrics = runs[0]["metrics"]
    line = f"Latest run: {metrics.get('scans', 0)} scans read"
    if runs[0]["status"] == "interrupted":
        line = (f"Latest run (interrupted by {metrics.get('interrupted_by', 'a signal')}, whole "
                f"batches kept): {metrics.get('scans', 0)} scans read")
    visits = metrics.get("visits")
    if visits is None:
        return line + " (visit counts were not recorded by the release that made it)"
    line += (f", {visits['planned']} visit plans written ({visits['new']} new visits, "
             f"{visits['joined']} joined by a scan, {visits['multi_scan']} of several scans, "
             f"{visits['with_source_conflict']} with a source conflict)")
    reasons = metrics.get("files", {}).get("by_outcome_reason", {})
    undated = reasons.get("processed", {}).get("scan_date_unknown", 0)
    unreadable = reasons.get("quarantined", {}).get("unreadable", 0)
    if undated:
        line += f"; {undated} planned without a scan date (scan_date_unknown)"
    if unreadable:
        line += f"; {unreadable} entries unreadable (tried again next run)"
    return line


def latest_run_with_scans(engine: Engine) -> str | None:
    """The newest run that stored scans (a night with nothing new stores none)."""
    runs = store.dq_runs
    stmt = (select(runs.c.run_id).where(runs.c.run_id.in_(
                select(store.scan_reports.c.run_id).distinct()))
            .order_by(runs.c.started_at.desc()).limit(1))
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def build_data_docs_for_run(engine: Engine, run_id: str, directory: Path) -> Path | None:
    """GX Data Docs of a run's scans (its stored report documents validated again) in
    ``directory/run-<run id>/``, readable offline; None where the run stored no scan."""
    from dexa.contract import ReportDocument
    from dexa.discover import OUTPUT_MARKER
    from expectations import build_data_docs, validate_batch

    stmt = select(store.scan_reports.c.report_json).where(store.scan_reports.c.run_id == run_id)
    with engine.connect() as conn:
        reports = [ReportDocument.model_validate(r.report_json) for r in conn.execute(stmt)]
    if not reports:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    (directory / OUTPUT_MARKER).write_text("written by dexa dq: never an input of dexa run\n")
    validate_batch(reports, run_date=date.today())
    index = build_data_docs(directory / f"run-{run_id}")
    _offline(index.parent)
    _write_index(index, run_id)
    return index


def _offline(site: Path) -> None:
    """Data Docs pages without their CDN links (a hospital network has no internet: the
    pages waited on them and showed nothing): external scripts and style sheets removed, GX's
    own style sheet (written beside the pages) kept."""
    import re

    external = re.compile(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>|'
                          r'<link[^>]+href="https?://[^"]*"[^>]*>', re.IGNORECASE)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = external.sub("", text)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


def _write_index(index: Path, run_id: str) -> None:
    """A plain index of the run's pages: GX's own index fills its tables with scripts from a
    CDN, so offline it lists nothing."""
    from html import escape

    site = index.parent

    def links(folder: str) -> str:
        pages = sorted(site.glob(f"{folder}/**/*.html"))
        return "\n".join(f'<li><a href="{escape(p.relative_to(site).as_posix())}">'
                         f"{escape(' / '.join(p.relative_to(site / folder).parts))}</a></li>"
                         for p in pages)

    index.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>GX Data Docs of dexa run {escape(run_id)}</title></head><body>\n"
        f"<h1>GX Data Docs of dexa run {escape(run_id)}</h1>\n"
        "<p>The run's stored scans validated again by the data-quality suites.</p>\n"
        f"<h2>Validation results</h2>\n<ul>\n{links('validations')}\n</ul>\n"
        f"<h2>Expectation suites</h2>\n<ul>\n{links('expectations')}\n</ul>\n"
        "</body></html>\n", encoding="utf-8")
