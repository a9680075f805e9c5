"""One visit as the outputs see it: its key, its plan, the report documents of its scans.

This is the only module of ``dexa.outputs`` that imports the document models, so that their
move (``dexa.documents`` -> ``dexa.contract``) touches one line here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from dexa.contract import Frax, Measurement, PlanDocument, Prior, ReportDocument, TrendEntry

__all__ = [
    "Frax",
    "Measurement",
    "PlanDocument",
    "Prior",
    "ReportDocument",
    "SiteKey",
    "TrendEntry",
    "VisitView",
    "add_months",
]

SiteKey = tuple[str, str | None, str | None]  # region, side, levels
# The recommendation that carries a plan value's deciding rule (clinical-rules.md §5, item 4).
_EMITTED_BY = {"pharmacotherapy": re.compile(r"TX-B[0-6]$|POP-[56]$|MISS-4$"),
               "repeat_dxa_months": re.compile(r"MON-(?!3e)")}


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, the day clamped to the month's end (29 Feb + 12 -> 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class VisitView:
    """A visit (CONTRACT.md: the scans of one patient on one scan date) ready for output.

    ``key`` is the visit key of the results tables (issue 16); every resource id of the FHIR
    Bundle derives from it, so it must be the same key on every export. ``reports`` are the
    report documents of the visit's scans, primary first (its values win, VIS-2). ``earlier``
    are the patient's earlier visits, used for the BMD-over-time view; they may be empty.
    """

    key: str
    plan: PlanDocument
    reports: tuple[ReportDocument, ...]
    earlier: tuple[VisitView, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a visit needs its key")
        if not self.reports:
            raise ValueError("a visit needs the report document of at least one scan")
        object.__setattr__(self, "reports", tuple(self.reports))
        object.__setattr__(self, "earlier", tuple(self.earlier))

    @property
    def primary(self) -> ReportDocument:
        return self.reports[0]

    @property
    def patient_id(self) -> str | None:
        return self.plan.scan.patient_id or next(
            (r.patient.id for r in self.reports if r.patient.id), None)

    @property
    def scan_date(self) -> date | None:
        text = self.plan.scan.scan_date or next(
            (r.study.scan_date for r in self.reports if r.study.scan_date), None)
        return date.fromisoformat(text) if text else None

    @property
    def sources(self) -> list[str]:
        return [r.source.sha256 for r in self.reports]

    @property
    def next_dxa(self) -> date | None:
        """The scan date plus the plan's repeat interval; None without either."""
        when, months = self.scan_date, self.plan.repeat_dxa_months
        return None if when is None or months is None else add_months(when, months)

    def measurements(self) -> list[tuple[Measurement, int]]:
        """The visit's measurement rows with their repeat index: every row of the primary scan,
        then the rows of later scans whose (region, side, levels) the earlier scans did not give
        (VIS-1; where two scans give one row the primary's value is the visit's, VIS-2). The
        index counts repeats of one (region, side, levels) within a scan (a second analysis)."""
        out: list[tuple[Measurement, int]] = []
        taken: set[SiteKey] = set()
        for report in self.reports:
            seen: dict[SiteKey, int] = {}
            for m in report.measurements:
                key = (m.region, m.side, m.levels)
                if key in taken:
                    continue
                out.append((m, seen.get(key, 0)))
                seen[key] = seen.get(key, 0) + 1
            taken |= set(seen)
        return out

    def bmd_at(self, region: str, side: str | None, levels: str | None) -> float | None:
        for m, repeat in self.measurements():
            if repeat == 0 and (m.region, m.side, m.levels) == (region, side, levels):
                return m.bmd_g_cm2
        return None

    def frax(self) -> Frax | None:
        return next((r.frax for r in self.reports if r.frax is not None and (
            r.frax.major_osteoporotic_pct is not None or r.frax.hip_pct is not None)), None)

    def priors(self) -> list[Prior]:
        return [p for r in self.reports for p in r.priors]

    def prior_bmd(self, t: TrendEntry) -> float | None:
        """The BMD of a trend entry's prior as the visit's reports give it: the prior of the
        same region, side and levels on the entry's date, else of any levels (the entry is then
        not comparable)."""
        found = [p for p in self.priors() if p.bmd_g_cm2 is not None
                 and (p.scan_date, p.region, p.side) == (t.prior_date, t.region, t.side)]
        exact = [p for p in found if p.levels == t.levels]
        return (exact or found)[0].bmd_g_cm2 if found else None

    def explanation(self, decision: str) -> tuple[str, str] | None:
        """(rule, reason) of one plan value from the plan's explanation; for a plan without
        one, the rule that emitted the value's recommendation (reason empty), else None."""
        for e in self.plan.explanation:
            if e.decision == decision:
                return e.rule, e.reason
        emitted = _EMITTED_BY.get(decision)
        if emitted is not None:
            for r in self.plan.recommendations:
                if emitted.match(r.code):
                    return r.code, ""
        return None
