"""Longitudinal history: priors for a visit whose scans carry no trend table of their own.

The patient's earlier visits already in the results store (or among the visits being planned)
become ``priors`` with the scanner that made them as ``device``, so the planner's serial rules
(same device, else ``not-comparable``) apply to them exactly as to a printed trend table. An
earlier visit of several scans counts once, merged as its plan was (``planner.visits``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine

from dexa.contract import Prior, ReportDocument
from planner.visits import merge_visit


def _scanner(report: dict) -> str | None:
    source = report["source"]
    return source.get("device") or source.get("vendor")


def priors_from_history(report: ReportDocument, earlier: Iterable[dict]) -> list[Prior]:
    """Prior rows from earlier visits (one report document, as a dict, per visit) of the same
    patient, newest first."""
    scan_date = report.study.scan_date
    if scan_date is None:
        return []
    priors: list[Prior] = []
    candidates = sorted((r for r in earlier
                         if r["study"]["scan_date"] and r["study"]["scan_date"] < scan_date
                         and r["source"]["sha256"] != report.source.sha256),
                        key=lambda r: r["study"]["scan_date"], reverse=True)
    for old in candidates:
        for m in old["measurements"]:
            if m["bmd_g_cm2"] is None or m["region"] == "vertebra":
                continue
            priors.append(Prior(scan_date=old["study"]["scan_date"], region=m["region"],
                                side=m["side"], levels=m["levels"], bmd_g_cm2=m["bmd_g_cm2"],
                                device=_scanner(old)))
    return priors


def earlier_visits(stored: Iterable[dict], planned: Iterable[ReportDocument]) -> list[dict]:
    """One report per visit date of a patient: the visits being planned (merged reports) and,
    for the other dates, the stored scans of that date merged."""
    by_date: dict[str | None, list[dict]] = defaultdict(list)
    for report in stored:
        by_date[report["study"]["scan_date"]].append(report)
    visits = {r.study.scan_date: r.to_dict() for r in planned}
    for day, reports in by_date.items():
        if day in visits:
            continue
        visits[day] = reports[0] if len(reports) == 1 else merge_visit(
            [ReportDocument.model_validate(r) for r in reports]).report.to_dict()
    return list(visits.values())


def with_history(reports: Sequence[ReportDocument],
                 stored: dict[str, list[dict]]) -> list[ReportDocument]:
    """Each visit's report, with priors from the patient's earlier visits where it has none
    of its own.

    ``reports`` are one (merged) report per visit; ``stored`` maps patient id -> the stored
    reports of that patient's visits. Visits of the same patient within ``reports`` serve each
    other too.
    """
    by_patient: dict[str, list[ReportDocument]] = defaultdict(list)
    for r in reports:
        if r.patient.id:
            by_patient[r.patient.id].append(r)
    visits: dict[str, list[dict]] = {}  # patient id -> one report per visit, made once
    result = []
    for report in reports:
        pid = report.patient.id
        if report.priors or not pid or (len(by_patient[pid]) == 1 and pid not in stored):
            result.append(report)
            continue
        if pid not in visits:
            visits[pid] = earlier_visits(stored.get(pid, []), by_patient[pid])
        priors = priors_from_history(report, visits[pid])
        result.append(report.model_copy(update={"priors": priors}) if priors else report)
    return result


def with_stored_history(engine: Engine, reports: Sequence[ReportDocument]
                        ) -> list[ReportDocument]:
    """``with_history`` with the patients' earlier visits looked up in the results store (one
    indexed query per 500 patients) for the visits that carry no priors of their own."""
    from dexa import store

    ids = [r.patient.id for r in reports if r.patient.id and not r.priors]
    if not ids:
        return list(reports)
    with engine.connect() as conn:
        stored = store.reports_of_patients(conn, ids)
    return with_history(reports, stored)
