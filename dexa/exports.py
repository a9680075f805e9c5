"""What leaves dexa for the people who act on it: a FHIR R4 Bundle per visit for the EHR and
the clinician's HTML pages (CONTRACT.md: ``plan --format fhir|html``, ``export fhir``,
``patient``).

``dexa.outputs`` builds a Bundle or a page from a ``VisitView``; this module makes those views,
from a plan just made (``dexa plan``) or from the results tables (a visit's plan under one rule
set and the report documents of its scans, primary first), and writes the export folder.

An exported file is named by its Bundle's id (a UUIDv5 of the visit key: the same visit always
gives the same file, and the name carries no patient identifier). A file whose content is
unchanged is not rewritten, so a receiver that watches the folder sees only what changed.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from dexa import store
from dexa.contract import PlanDocument, ReportDocument
from dexa.outputs import VisitView
from dexa.outputs.fhir import visit_bundle
from dexa.outputs.html import patient_page
from planner.visits import visit_key


def plan_view(plan: dict[str, Any], report: ReportDocument) -> VisitView:
    """One scan planned on its own (``dexa plan``) as a visit: its key is the plan's visit key
    where the planner wrote one, else the key the results tables would give it."""
    document = PlanDocument.model_validate(plan)
    key = document.visit.key if document.visit else visit_key(report)
    return VisitView(key=key, plan=document, reports=(report,))


def stored_view(visit: store.StoredVisit) -> VisitView:
    """A visit of the results tables as the outputs see it."""
    return VisitView(key=visit.key, plan=PlanDocument.model_validate(visit.plan),
                     reports=tuple(ReportDocument.model_validate(r) for r in visit.reports))


def bundle_json(bundle: dict[str, Any]) -> str:
    """A Bundle as the file or line dexa writes: keys in order, so one visit is one text."""
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class ExportSummary:
    written: int = 0  # new or changed Bundle files
    unchanged: int = 0  # files whose content was already the same
    without_scans: int = 0  # plan rows whose scans the store does not hold: no Bundle

    @property
    def visits(self) -> int:
        return self.written + self.unchanged


def export_fhir(engine: Engine, out_dir: Path, *, since: date | None = None,
                until: date | None = None, rule_set: str = "bhof-2022") -> ExportSummary:
    """Write one Bundle file per visit planned under ``rule_set`` whose scan date is within
    ``since``..``until`` (both included) into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary()
    batches = store.visits_between(engine, since.isoformat() if since else None,
                                   until.isoformat() if until else None, rule_set=rule_set)
    for batch in batches:
        for visit in batch:
            if not visit.reports:
                summary.without_scans += 1
                continue
            bundle = visit_bundle(stored_view(visit))
            if _write_if_changed(out_dir / f"{bundle['id']}.json", bundle_json(bundle) + "\n"):
                summary.written += 1
            else:
                summary.unchanged += 1
    return summary


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file and a rename (a reader never sees
    half a Bundle); False where the file already holds it."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def patient_views(engine: Engine, patient_id: str, *,
                  rule_set: str = "bhof-2022") -> list[VisitView]:
    """The patient's visits planned under ``rule_set``, oldest first (empty: unknown)."""
    return [stored_view(v) for v in store.visits_of_patient(engine, patient_id,
                                                             rule_set=rule_set)]


def patient_html(engine: Engine, patient_id: str, *, rule_set: str = "bhof-2022") -> str | None:
    """The patient's page (every visit, a BMD-over-time chart per site, the classification
    history, the next DXA), or None for a patient without a visit under ``rule_set``."""
    views = patient_views(engine, patient_id, rule_set=rule_set)
    return patient_page(views) if views else None
