"""AACE/ACE 2020 (postmenopausal women), an alternative regime on the same engine (§3.5):
AACE-1..4, with the AACE diagnostic criteria CLS-6, CLS-7 and CLS-8 where the report document
can show them. CLS-7 reads FRAX against the US thresholds (its row's params, those of TX-B3);
FRAX from another stated country model has no threshold in the rules file.
"""

from __future__ import annotations

from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.inputs import frax_facts
from planner.population import Population
from planner.regimes.base import (
    Classifier,
    Regime,
    fractures,
    lowest_t,
    osteoporosis_criteria,
    out_of_scope,
)
from planner.ruleset import RuleSet
from planner.sites import Site
from planner.therapy import low_bone_mass_decision


class Aace(Regime):
    """AACE/ACE 2020: postmenopausal women; AACE-1..4 with CLS-6/7/8 where evaluable."""

    def classify(self, report: ReportDocument, population: Population, failed: str | None,
                 base: Classifier) -> tuple[Decision, Site | None]:
        decision, site = base(report, population, failed, self.rules)
        if decision.value == "low_bone_mass" and population.postmenopausal:
            frax = frax_facts(report)
            if _us_thresholds_apply(report) and frax.meets_threshold(self.rules.params("CLS-7")):
                return Decision("osteoporosis", "CLS-7", f"{decision.reason}; {frax.describe()} "
                                "at or above the US thresholds", decision.inputs,
                                decision.flags, (*decision.fired, decision.rule)), site
        return decision, site

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if not population.postmenopausal:
            return out_of_scope(population, "AACE 2020 covers postmenopausal women")
        criteria = osteoporosis_criteria(report, classification)
        if classification.rule == "CLS-7":
            criteria = [f"CLS-7: {classification.reason}"]
        if criteria:
            return Decision("yes", "AACE-1", "; ".join(criteria),
                            {"criteria": "; ".join(criteria),
                             "frax_used": classification.rule == "CLS-7"})
        if classification.value == "indeterminate":
            return Decision("indeterminate", classification.rule, classification.reason)
        if classification.value == "low_bone_mass":
            frax = frax_facts(report)
            value, _ = low_bone_mass_decision(frax, self.rules.params("CLS-7"))
            outcome = ("FRAX below both: not osteoporosis under AACE; no pharmacologic therapy "
                       "by AACE criteria now." if value == "no" else
                       "FRAX not available (or incomplete): calculate the US-adapted FRAX with "
                       "femoral-neck BMD; do not estimate it.")
            if not _us_thresholds_apply(report):
                model = report.frax.country if report.frax else None
                value, outcome = "needs-frax", (
                    f"FRAX is from the {model} model, whose country-specific threshold the "
                    "rules file does not give: compare it with that country's threshold or "
                    "calculate the US-adapted FRAX.")
            return Decision(value, "CLS-7", f"low bone mass; {frax.describe()}",
                            {"outcome": outcome, "frax_used": value == "no"})
        return Decision("no", classification.rule, classification.reason)

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        if not population.postmenopausal:
            return []
        codes: list[tuple[str, dict[str, Any]]] = [("AACE-4", {})]
        if decision.rule == "AACE-1":
            indicators = very_high_risk_indicators(report, self.rules)
            codes.append(("AACE-2", {"indicators": "; ".join(indicators)}) if indicators
                         else ("AACE-3", {}))
        elif classification.value == "low_bone_mass":
            if report.fracture_history.other_fragility is True:
                codes.append(("CLS-6", {}))
            if report.priors:
                codes.append(("CLS-8", {}))
        elif classification.value == "normal" and report.priors:
            codes.append(("CLS-8", {}))
        return codes


def _us_thresholds_apply(report: ReportDocument) -> bool:
    """CLS-7 with the US thresholds: a US FRAX, or a FRAX whose model is not stated (used with
    FRAX_PROVENANCE_UNKNOWN, MISS-9); another stated model has no threshold in the rules."""
    return report.frax is None or not report.frax.country or frax_facts(report).us_model


def very_high_risk_indicators(report: ReportDocument, rules: RuleSet) -> list[str]:
    """AACE-2 indicators the report document can show (strict '>' / '<', U)."""
    limits = rules.params("AACE-2")
    found = []
    lowest = lowest_t(report)
    if lowest is not None and lowest.score < limits["t_below"]:
        found.append(f"T-score {lowest.score} < {limits['t_below']}")
    frax = frax_facts(report)
    if frax.mof is not None and frax.mof > limits["frax_mof_pct_above"]:
        found.append(f"FRAX major osteoporotic {frax.mof} % > {limits['frax_mof_pct_above']} %")
    if frax.hip is not None and frax.hip > limits["frax_hip_pct_above"]:
        found.append(f"FRAX hip {frax.hip} % > {limits['frax_hip_pct_above']} %")
    if len(fractures(report)) >= 2:
        found.append("multiple fractures")
    return found


AACE = Aace("aace-2020")
