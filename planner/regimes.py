"""Treatment regimes on one engine: which functions decide classification, `pharmacotherapy`
and the regime's notes. `bhof-2022` is the default; the alternatives are in ``alternatives``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.items import Code, np_codes, vfa_codes
from planner.population import Population
from planner.sites import Site
from planner.therapy import TherapyNotes, bhof_pharmacotherapy, therapy_notes

Classifier = Callable[[ReportDocument, Population, str | None], tuple[Decision, Site | None]]


@dataclass(frozen=True)
class Regime:
    name: str

    def classify(self, report: ReportDocument, population: Population, failed: str | None,
                 base: Classifier) -> tuple[Decision, Site | None]:
        return base(report, population, failed)

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        return bhof_pharmacotherapy(report, population, classification)

    def notes(self, report: ReportDocument, population: Population, classification: Decision,
              decision: Decision) -> TherapyNotes:
        return therapy_notes(report, decision)

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        return []

    def items(self, report: ReportDocument, population: Population, lowest: Site | None
              ) -> list[Code]:
        """Non-drug items (§3.7) and vertebral imaging (§3.11)."""
        return [*np_codes(report, population), *vfa_codes(report, population, lowest)]


BHOF = Regime("bhof-2022")


def regime_for(rule_set: str) -> Regime:
    from planner.alternatives import ALTERNATIVES

    return ALTERNATIVES.get(rule_set, BHOF)
