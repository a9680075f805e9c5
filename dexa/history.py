"""Longitudinal history: priors for a report that carries no trend table of its own.

Earlier scans of the same patient already in the results store (or earlier in the same batch)
become ``priors`` with the scanner that made them as ``device``, so the planner's serial rules
(same device, else ``not-comparable``) apply to them exactly as to a printed trend table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine

from dexa.contract import Prior, ReportDocument


def _scanner(report: dict) -> str | None:
    source = report["source"]
    return source.get("device") or source.get("vendor")


def priors_from_history(report: ReportDocument, earlier: Iterable[dict]) -> list[Prior]:
    """Prior rows from earlier report documents (dicts) of the same patient, newest first."""
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


def with_history(reports: Sequence[ReportDocument],
                 stored: dict[str, list[dict]]) -> list[ReportDocument]:
    """Each report, with priors from history where it has none of its own.

    ``stored`` maps patient id -> earlier report documents from the store; reports of the same
    patient within ``reports`` serve each other too.
    """
    counts = Counter(r.patient.id for r in reports if r.patient.id)
    by_patient: dict[str, list[dict]] = {}
    for r in reports:  # only patients with more than one scan in the batch serve each other
        if r.patient.id and counts[r.patient.id] > 1:
            by_patient.setdefault(r.patient.id, []).append(r.to_dict())
    result = []
    for report in reports:
        pid = report.patient.id
        if report.priors or not pid:
            result.append(report)
            continue
        earlier = [*stored.get(pid, []), *by_patient.get(pid, [])]
        priors = priors_from_history(report, earlier)
        result.append(report.model_copy(update={"priors": priors}) if priors else report)
    return result


def with_stored_history(engine: Engine, reports: Sequence[ReportDocument]
                        ) -> list[ReportDocument]:
    """``with_history`` with the earlier scans looked up in the results store (one indexed
    query per 500 patients) for the reports that carry no priors of their own."""
    from dexa import store

    ids = [r.patient.id for r in reports if r.patient.id and not r.priors]
    if not ids:
        return list(reports)
    with engine.connect() as conn:
        stored = store.reports_of_patients(conn, ids)
    return with_history(reports, stored)
