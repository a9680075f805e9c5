"""NOGG 2022 (UK), an alternative regime on the same engine (§3.5): NOGG-1..7, NP-3a and
VFA-2. NOGG's age-dependent FRAX thresholds are a web look-up that the rules file does not
reproduce, so a NOGG plan says `needs-frax` and asks for the look-up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.inputs import frax_facts
from planner.items import Code, np_codes
from planner.population import Population
from planner.regimes.base import Regime, fractures, lowest_t, out_of_scope
from planner.ruleset import RuleSet, load_rule_set
from planner.sites import Site, lowest_site, of_regions, valid_sites


class Nogg(Regime):
    """NOGG 2022 (UK): FRAX categories need the web look-up of age-dependent thresholds."""

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if not population.t_population or population.rule == "POP-2":
            men_min = self.rules.param("POP-3", "men_min_age")
            return out_of_scope(population,
                                f"postmenopausal women and men aged {men_min} and older")
        if stated := fractures(report):
            return Decision("yes", "NOGG-6", f"prior fragility fracture ({', '.join(stated)})",
                            {"fracture": ", ".join(stated)})
        if classification.value == "indeterminate":
            return Decision("indeterminate", classification.rule, classification.reason)
        lowest = lowest_t(report)
        t_max = self.rules.param("NOGG-5", "t_max")
        if lowest is not None and lowest.score <= t_max:
            return Decision("yes", "NOGG-5", f"T-score {lowest.score} <= {t_max} (very high "
                            "risk indicator, unconfirmed)", {"condition": f"Very high risk: "
                                                             f"T-score {lowest.score} <= {t_max}"})
        frax = frax_facts(report)
        model = report.frax.country if report.frax and report.frax.country else "not stated"
        words = f"{frax.describe()}; FRAX model {model}" if frax.available else frax.describe()
        return Decision("needs-frax", "NOGG-1", f"NOGG thresholds are a web look-up; {words}",
                        {"frax": words})

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        codes: list[tuple[str, dict[str, Any]]] = []
        if decision.rule == "NOGG-1":
            nogg5 = self.rules.params("NOGG-5")
            codes += [("NOGG-2", {}), ("NOGG-3", {}), ("NOGG-4", {}), ("NOGG-5", {
                "condition": f"If very high risk (FRAX >= {nogg5['frax_threshold_multiple']} x "
                             "the intervention threshold, or an indicator such as a recent "
                             "vertebral fracture within "
                             f"{nogg5['recent_vertebral_fracture_years']} years, two or more "
                             f"vertebral fractures, T-score <= {nogg5['t_max']}, high-dose "
                             "glucocorticoids)"})]
        if population.t_population and (adjusted := nogg7(report, self.rules)):
            codes.append(("NOGG-7", adjusted))
        return codes

    def items(self, report: ReportDocument, population: Population, lowest: Site | None
              ) -> list[Code]:
        codes = np_codes(report, population, self.rules)
        uk = [("NP-3a", {})] if {"NP-1", "NP-2", "NP-2a", "NP-3"} & {c for c, _ in codes} else []
        return [*codes, *uk, *vfa2_codes(report, population, lowest, self.rules)]


def nogg7(report: ReportDocument, rules: RuleSet | None = None) -> dict[str, str] | None:
    """NOGG-7: MOF + (FN T - LS T) x 10 % of MOF when the spine T is lower than the neck T (the
    share per T-score unit is NOGG-7's ``mof_fraction_per_t``; ``rules`` default: nogg-2022)."""
    share = (rules or load_rule_set("nogg-2022")).param("NOGG-7", "mof_fraction_per_t")
    sites = valid_sites(report, "T")
    spine = lowest_site(of_regions(sites, "lumbar_spine"))
    neck = lowest_site(of_regions(sites, "femoral_neck"))
    mof = frax_facts(report).mof
    if spine is None or neck is None or mof is None or spine.score >= neck.score:
        return None
    adjusted = mof + (neck.score - spine.score) * share * mof
    return {"ls": str(spine.score), "fn": str(neck.score), "mof": str(mof),
            "adjusted": format(adjusted.normalize(), "f")}


def vfa2_codes(report: ReportDocument, population: Population, lowest: Site | None,
               rules: RuleSet) -> list[Code]:
    """VFA-2 criteria the report document can show: height loss >= 4 cm, T <= -2.5."""
    if not population.t_population or report.fracture_history.vertebral is True:
        return []
    limits = rules.params("VFA-2")
    criteria = []
    height = report.risk_factors.height_loss_cm
    if height is not None and Decimal(repr(height)) >= limits["height_loss_cm_min"]:
        criteria.append(f"height loss {height} cm")
    if lowest is not None and lowest.score <= limits["t_max"]:
        criteria.append(f"T-score {lowest.score}")
    return [("VFA-2", {"criteria": ", ".join(criteria)})] if criteria else []


NOGG = Nogg("nogg-2022")
