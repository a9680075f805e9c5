"""The visit stage: scans joined to their visits, and one plan per visit.

A visit is the scans of one patient on one scan date (CONTRACT.md, Tables; clinical-rules.md
§3.13). ``plan_visits`` takes each touched visit's scans (those of this batch and those already
stored, each with its validation), merges them (``planner.visits.merge_visit``: the union of
their facts, conflicts where two scans disagree), adds the patient's earlier visits as priors
where the visit has no trend of its own, and plans it. A batch, ``dexa replan`` and the
refresh at the end of a run all plan visits through here, so a visit's plan is the same
whichever way and in whatever order its scans arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from dexa import history, store
from dexa.contract import ReportDocument, ScanValidation
from planner.visits import Visit, merge_visit


@dataclass
class Member:
    """One scan of a visit with its validation, and a parse worker's draft plan for a scan of
    this batch (kept only where the scan is its visit's only one and nothing changed it)."""

    report: ReportDocument
    validation: ScanValidation
    draft_plan: dict[str, Any] | None = None


@dataclass
class PlannedVisit:
    visit: Visit
    plan: dict[str, Any]  # the plan document, JSON-ready
    joined: bool  # the visit had scans in the store already: a scan joined it

    def summary_row(self) -> dict[str, Any]:
        """The visit for a Prefect table artifact: no patient identifier, no date of birth or
        scan date; the visit is named by its primary scan's content hash (sha256, 12 digits:
        the ``source_sha256`` of its ``plan_recommendations`` row)."""
        plan = self.plan
        return {"visit": self.visit.sources[0].source.sha256[:12],
                "scans": len(self.visit.sources), "joined": self.joined,
                "classification": plan["classification"],
                "pharmacotherapy": plan["pharmacotherapy"],
                "repeat_dxa_months": plan.get("repeat_dxa_months"),
                "source_conflict": bool(self.visit.conflicts)}

    def record(self) -> store.VisitRecord:
        """The visit as the store keeps it, with a quarantine row per source conflict (on the
        scan whose value was set aside)."""
        paths = {s.source.sha256: s.source.path for s in self.visit.sources}
        conflicts = [dict(source_sha256=c.other, path=paths[c.other], field=c.field,
                          detail=c.detail()) for c in self.visit.conflicts]
        return store.VisitRecord(self.plan, [s.source.kind for s in self.visit.sources],
                                 conflicts)


def stored_members(engine: Engine, keys: Iterable[str]) -> dict[str, list[ReportDocument]]:
    """visit key -> the report documents of the visit's scans already in the store."""
    with engine.connect() as conn:
        stored = store.visit_members(conn, keys)
    return {key: [ReportDocument.model_validate(r) for r in reports]
            for key, reports in stored.items()}


def plan_visits(engine: Engine, members: dict[str, list[Member]], *, rule_set: str,
                stored_keys: Iterable[str] = (), **plan_options: Any) -> list[PlannedVisit]:
    """Merge, add history to, and plan each visit (``members``: visit key -> its scans, any
    order). ``stored_keys`` are the visits that had scans in the store before (for counting);
    ``plan_options`` are ``planner.make_plan``'s site policy."""
    from planner import make_plan

    visits = [merge_visit([m.report for m in group], [m.validation for m in group])
              for group in members.values()]
    reports = history.with_stored_history(engine, [v.report for v in visits])
    joined = set(stored_keys)
    planned = []
    for visit, group, report in zip(visits, members.values(), reports, strict=True):
        plan = _draft(visit, group, report, rule_set) or make_plan(
            report, validation=visit.validation, rule_set=rule_set, visit=visit,
            **plan_options).to_dict()
        planned.append(PlannedVisit(visit, plan, visit.key in joined))
    return planned


def _draft(visit: Visit, group: Sequence[Member], report: ReportDocument,
           rule_set: str) -> dict[str, Any] | None:
    """A worker's draft holds where it was made exactly as the plan would be: the visit is its
    one scan, validation passed and history added nothing."""
    if len(group) != 1 or report is not visit.report:
        return None
    draft, validation = group[0].draft_plan, group[0].validation
    if draft is None or not validation.passed or draft["rule_set"] != rule_set:
        return None
    return draft
