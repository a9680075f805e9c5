"""Plans recomputed from stored report documents, without re-reading any file.

``replan_all`` serves ``dexa replan`` (a new or changed rule set); ``refresh_history`` runs at
the end of every ingest run and re-plans the scans whose patient history grew behind them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from dexa import history, store
from dexa.batch import validate_and_plan
from dexa.contract import Outcome, ReportDocument
from dexa.discover import InputFile
from dexa.workers import ParsedFile


def _plans(engine: Engine, documents: Sequence[dict], rule_set: str) -> list[dict]:
    """Validate and plan stored report documents, with priors from each patient's history."""
    reports = [ReportDocument.model_validate(d) for d in documents]
    parsed = [ParsedFile(InputFile("", r.source.path, 0, 0), r.source.sha256, report=r)
              for r in history.with_stored_history(engine, reports)]
    results = validate_and_plan(parsed, run_date=date.today(), rule_set=rule_set)
    return [r.plan for r in results if r.outcome == Outcome.PROCESSED]


def replan_all(db_url: str | None, *, rule_set: str, batch_size: int = 1000) -> int:
    """Plan every stored scan under ``rule_set``; rows of other rule sets are kept. Returns
    the number of plans written."""
    engine = store.connect(db_url)
    run_id = f"replan-{rule_set}-{store.now().strftime('%Y%m%dT%H%M%S')}"
    written = 0
    for documents in store.stored_reports(engine, batch_size):
        plans = _plans(engine, documents, rule_set)
        with engine.begin() as conn:
            store.replace_plans(conn, plans, run_id=run_id)
        written += len(plans)
    engine.dispose()
    return written


def refresh_history(engine: Engine, *, rule_set: str, run_id: str,
                    batch_size: int = 1000) -> int:
    """Re-plan the scans that an earlier scan of the same patient reached the store after
    (history-dependent plans only: a report with its own trend table keeps its plan)."""
    with engine.connect() as conn:
        stale = [d for d in store.reports_with_newer_history(conn, rule_set) if not d["priors"]]
    written = 0
    for start in range(0, len(stale), batch_size):
        plans = _plans(engine, stale[start:start + batch_size], rule_set)
        with engine.begin() as conn:
            store.replace_plans(conn, plans, run_id=run_id)
        written += len(plans)
    return written
