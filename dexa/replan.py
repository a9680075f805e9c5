"""Visit plans recomputed from stored report documents, without re-reading any file.

``replan_all`` serves ``dexa replan`` (a new or changed rule set); ``refresh_visits`` runs at
the end of every ingest run and re-plans the visits that ``store.stale_visits`` names: a scan
joined them after their plan was made, or the patient's history grew behind them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from dexa import store
from dexa.batch import validate_scans
from dexa.visits import Member, PlannedVisit, plan_visits, stored_members


def _replan(engine: Engine, keys: Sequence[str], *, rule_set: str, run_id: str,
            keep_printed_trends: bool = False) -> int:
    """Validate, merge and plan the stored visits ``keys`` and write their plans. With
    ``keep_printed_trends`` a visit whose reports carry their own trend keeps its plan (its
    plan does not depend on the store's history)."""
    from dexa.policy import plan_options

    stored = stored_members(engine, keys)
    reports = [r for group in stored.values() for r in group]
    checks = iter(validate_scans(reports, run_date=date.today()))
    members = {key: [Member(r, next(checks)) for r in group] for key, group in stored.items()}
    planned: list[PlannedVisit] = plan_visits(engine, members, rule_set=rule_set,
                                              **plan_options())
    if keep_printed_trends:
        planned = [p for p in planned if not p.visit.report.priors]
    with engine.begin() as conn:
        store.write_visits(conn, [p.record() for p in planned], run_id=run_id)
    return len(planned)


def replan_all(db_url: str | None, *, rule_set: str, batch_size: int = 1000) -> int:
    """Plan every stored visit under ``rule_set``; rows of other rule sets are kept. Returns
    the number of plans written."""
    engine = store.connect(db_url)
    run_id = f"replan-{rule_set}-{store.now().strftime('%Y%m%dT%H%M%S')}"
    written = sum(_replan(engine, keys, rule_set=rule_set, run_id=run_id)
                  for keys in store.visit_keys(engine, batch_size))
    engine.dispose()
    return written


def refresh_visits(engine: Engine, *, rule_set: str, run_id: str, batch_size: int = 1000) -> int:
    """Re-plan the stale visits (``store.stale_visits``). A visit stale only through history
    whose scans print their own trend keeps its plan: history does not change it."""
    with engine.connect() as conn:
        stale = store.stale_visits(conn, rule_set)
    written = 0
    for grown in (True, False):
        keys = [key for key, has_grown in stale if has_grown is grown]
        for start in range(0, len(keys), batch_size):
            written += _replan(engine, keys[start:start + batch_size], rule_set=rule_set,
                               run_id=run_id, keep_printed_trends=not grown)
    return written
