"""What every treatment regime does on the one engine, and what the alternative regimes share.

A regime decides classification (the densitometric CLS rows by default), `pharmacotherapy`,
the notes and flags that accompany it (TX-B7..TX-B12 by default), extra recommendation codes
and the non-drug and imaging items (NP, VFA-1 by default). Each regime module subclasses
``Regime`` and reads its numbers from its rule set (``Regime.rules``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.inputs import hip_or_vertebral_fracture
from planner.items import Code, np_codes, vfa_codes
from planner.population import Population
from planner.ruleset import RuleSet, load_rule_set
from planner.sites import Site, lowest_site, valid_sites
from planner.therapy import TherapyNotes, therapy_notes

Classifier = Callable[[ReportDocument, Population, str | None, RuleSet],
                      tuple[Decision, Site | None]]


@dataclass(frozen=True)
class Regime:
    name: str  # the rule set: bhof-2022, aace-2020, nogg-2022, acp-2023

    @property
    def rules(self) -> RuleSet:
        return load_rule_set(self.name)

    def classify(self, report: ReportDocument, population: Population, failed: str | None,
                 base: Classifier) -> tuple[Decision, Site | None]:
        return base(report, population, failed, self.rules)

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        raise NotImplementedError(f"{self.name} decides no pharmacotherapy")

    def notes(self, report: ReportDocument, population: Population, classification: Decision,
              decision: Decision) -> TherapyNotes:
        return therapy_notes(report, decision, self.rules)

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        return []

    def items(self, report: ReportDocument, population: Population, lowest: Site | None
              ) -> list[Code]:
        """Non-drug items (§3.7) and vertebral imaging (§3.11)."""
        return [*np_codes(report, population, self.rules),
                *vfa_codes(report, population, lowest, self.rules)]


# --- shared by the alternative regimes (§3.5) --------------------------------------------------

OSTEOPOROTIC = ("osteoporosis", "severe_osteoporosis")


def fractures(report: ReportDocument) -> list[str]:
    """The fragility fractures the report states, in words."""
    fx = report.fracture_history
    return [w for w, v in (("hip", fx.hip), ("vertebral", fx.vertebral),
                           ("non-hip non-vertebral", fx.other_fragility)) if v is True]


def out_of_scope(population: Population, scope: str) -> Decision:
    return Decision("not-applicable", population.rule, f"outside the regime's scope ({scope}): "
                    f"{population.reason}")


def osteoporosis_criteria(report: ReportDocument, classification: Decision) -> list[str]:
    """Why the patient has (primary) osteoporosis: densitometric, clinical (CLS-5), CLS-7."""
    found = []
    if classification.value in OSTEOPOROTIC:
        found.append(f"{classification.rule}: {classification.reason}")
    if hip_or_vertebral_fracture(report):
        found.append("CLS-5: hip or vertebral fragility fracture")
    return found


def lowest_t(report: ReportDocument) -> Site | None:
    return lowest_site(valid_sites(report, "T"))
