"""ACP 2023, an alternative regime on the same engine (§3.5): ACP-1..4. Bisphosphonates first
for primary osteoporosis; an individual decision for women over 65 with low bone mass; no
FRAX threshold.
"""

from __future__ import annotations

from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.population import Population
from planner.regimes.base import Regime, osteoporosis_criteria, out_of_scope


class Acp(Regime):
    """ACP 2023: bisphosphonates first for primary osteoporosis; individual decision for
    women over 65 with low bone mass; no FRAX threshold."""

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if population.rule not in ("POP-1", "POP-3"):
            return out_of_scope(population, "postmenopausal women and men")
        criteria = osteoporosis_criteria(report, classification)
        rule = "ACP-1" if population.postmenopausal else "ACP-2"
        if criteria:
            return Decision("yes", rule, "; ".join(criteria), {"criteria": "; ".join(criteria)})
        if classification.value == "indeterminate":
            return Decision("indeterminate", classification.rule, classification.reason)
        if classification.value == "low_bone_mass":
            above = self.rules.param("ACP-4", "women_above_age")
            if population.postmenopausal and population.age is not None and population.age > above:
                return Decision("indeterminate", "ACP-4", f"low bone mass, woman aged "
                                f"{population.age} (> {above}): individualized decision")
            return Decision("not-applicable", classification.rule, "low bone mass not "
                            f"addressed by ACP 2023 for men or women aged {above} or younger")
        return Decision("not-applicable", classification.rule, "ACP 2023 addresses treatment "
                        "of osteoporosis or low bone mass only")

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        return [("ACP-3", {})] if decision.rule == "ACP-1" else []


ACP = Acp("acp-2023")
