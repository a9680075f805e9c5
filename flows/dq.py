"""``dexa dq`` as a Prefect flow: the drift check of the latest run, published as a markdown and
a table artifact, and a Prefect event when an alert fires (for automations: mail, pager)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.events import emit_event

from dexa import monitoring, store
from expectations.drift import DriftReport, alert_rows, render_markdown

ALERT_EVENT = "dexa.data-quality.alert"


@dataclass
class DqResult:
    run_id: str | None
    drift: DriftReport
    data_docs: Path | None
    counts: str | None = None  # the latest run's scans and visits, one line
    data_docs_note: str | None = None  # which run the Data Docs are of, or why there are none


@flow(name="dexa-data-quality", log_prints=False)
def dq_flow(db_url: str | None = None, data_docs_dir: str | None = None) -> DqResult:
    engine = store.connect(db_url)
    run_id, drift = monitoring.drift_of_latest_run(engine)
    create_markdown_artifact(key="dexa-data-quality", markdown=render_markdown(drift))
    if drift.alerts:
        create_table_artifact(key="dexa-data-quality-alerts", table=alert_rows(drift))
        emit_event(event=ALERT_EVENT,
                   resource={"prefect.resource.id": f"dexa.run.{run_id}"},
                   payload={"alerts": alert_rows(drift)})
    docs, note = None, None
    if data_docs_dir:
        docs_run = monitoring.latest_run_with_scans(engine)
        if docs_run:
            docs = monitoring.build_data_docs_for_run(engine, docs_run, Path(data_docs_dir))
            note = f"GX Data Docs of run {docs_run}, the latest run that stored scans"
            if docs_run != run_id:
                note += f" (the latest run, {run_id}, stored none: nothing new was read)"
        else:
            note = "No GX Data Docs: no run has stored a scan yet."
    counts = monitoring.latest_run_counts(engine)
    engine.dispose()
    return DqResult(run_id, drift, docs, counts, note)
