"""BHOF 2022 (US), the default regime: the §3.4 therapy rule (``planner.therapy``) with the
densitometric classification, notes and items of the base regime."""

from __future__ import annotations

from dexa.contract import ReportDocument
from planner.decision import Decision
from planner.population import Population
from planner.regimes.base import Regime
from planner.therapy import bhof_pharmacotherapy


class Bhof(Regime):
    """BHOF 2022: TX-B0..TX-B6 decide `pharmacotherapy` (postmenopausal women, men >= 50)."""

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        return bhof_pharmacotherapy(report, population, classification, self.rules)


BHOF = Bhof("bhof-2022")
