"""``dexa replan``: recompute plans from stored report documents, without re-reading files."""

from __future__ import annotations

from datetime import date

from dexa import history, store
from dexa.documents import ReportDocument
from dexa.pipeline import InputFile, ParsedFile, validate_and_plan


def replan_all(db_url: str | None, *, rule_set: str, batch_size: int = 1000) -> int:
    """Plan every stored scan under ``rule_set``; rows of other rule sets are kept.

    Scans are taken in scan-date order, so each patient's history is complete when it is
    needed. Returns the number of plans written.
    """
    engine = store.connect(db_url)
    run_id = f"replan-{rule_set}-{store.now().strftime('%Y%m%dT%H%M%S')}"
    written = 0
    for documents in store.stored_reports(engine, batch_size):
        reports = [ReportDocument.model_validate(d) for d in documents]
        ids = [r.patient.id for r in reports if r.patient.id and not r.priors]
        with engine.connect() as conn:
            stored = store.reports_of_patients(conn, ids) if ids else {}
        parsed = [ParsedFile(InputFile("", r.source.path, 0, 0), r.source.sha256, report=r)
                  for r in history.with_history(reports, stored)]
        results = validate_and_plan(parsed, run_date=date.today(), rule_set=rule_set)
        plans = [r.plan.to_dict() for r in results if r.outcome == "processed"]
        with engine.begin() as conn:
            store.replace_plans(conn, plans, run_id=run_id)
        written += len(plans)
    engine.dispose()
    return written
