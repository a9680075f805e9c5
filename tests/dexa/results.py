"""Results databases for the output tests, filled through the application's own visit stage
(``dexa.visits``: merge, history from the store, plan) and ``dexa.store``, without files or
Prefect."""

from __future__ import annotations

from sqlalchemy import Engine

from dexa import store
from dexa.contract import ReportDocument, ScanValidation
from dexa.visits import Member, plan_visits
from tests.dexa.outputs.builders import four_visit_reports


def store_visits(engine: Engine, reports: list[ReportDocument], *, by_date: bool = True,
                 rule_set: str = "bhof-2022") -> None:
    """Store ``reports`` as nightly batches would: scans, then their visits planned with the
    history the store holds. ``by_date``: oldest scan date first, one batch per date, so that
    each visit finds its earlier visits in the store; else one batch."""
    by_date_: dict[str | None, list[ReportDocument]] = {}
    for r in reports:
        by_date_.setdefault(r.study.scan_date if by_date else None, []).append(r)
    for day in sorted(by_date_, key=lambda d: d or ""):
        batch = by_date_[day]
        members: dict[str, list[Member]] = {}
        for r in batch:
            key = f"{r.patient.id}/{r.study.scan_date}"
            members.setdefault(key, []).append(Member(r, ScanValidation()))
        planned = plan_visits(engine, members, rule_set=rule_set)
        with engine.begin() as conn:
            store.write_scans(conn, [r.to_dict() for r in batch], run_id="test")
            store.write_visits(conn, [p.record() for p in planned], run_id="test")


def four_visit_store(url: str, patient_id: str = "MRN004") -> None:
    """The four visits of one patient (tests/dexa/outputs/builders.py) stored without their
    printed priors: the trend of each visit comes from the patient's earlier visits in the
    store, as for scans that print no trend table."""
    engine = store.connect(url)
    store_visits(engine, [r.model_copy(update={"priors": []})
                          for r in four_visit_reports(patient_id)])
    engine.dispose()
