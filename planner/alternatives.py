"""Alternative regimes on the same engine (§3.5): AACE/ACE 2020, NOGG 2022, ACP 2023.

Densitometry (POP, SITE, CLS-1..5, 9, 10), monitoring (MON, SER), work-up (SEC) and the missing-
data rows are shared with bhof-2022; each regime replaces the BHOF therapy rows (TX-B0..TX-B9)
by its own. No threshold the rules file does not give is used: NOGG's age-dependent thresholds
are a web look-up, so a NOGG plan says `needs-frax` and asks for the look-up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.classify import OSTEOPOROSIS_T
from planner.decision import Decision
from planner.facts import frax_facts, hip_or_vertebral_fracture
from planner.items import Code, np_codes
from planner.population import Population
from planner.regimes import Classifier, Regime
from planner.sites import Site, lowest_site, of_regions, valid_sites
from planner.therapy import low_bone_mass_decision

OSTEOPOROTIC = ("osteoporosis", "severe_osteoporosis")


def _fractures(report: ReportDocument) -> list[str]:
    fx = report.fracture_history
    return [w for w, v in (("hip", fx.hip), ("vertebral", fx.vertebral),
                           ("non-hip non-vertebral", fx.other_fragility)) if v is True]


def _out_of_scope(population: Population, scope: str) -> Decision:
    return Decision("not-applicable", population.rule, f"outside the regime's scope ({scope}): "
                    f"{population.reason}")


def _osteoporosis_criteria(report: ReportDocument, classification: Decision) -> list[str]:
    """Why the patient has (primary) osteoporosis: densitometric, clinical (CLS-5), CLS-7."""
    found = []
    if classification.value in OSTEOPOROTIC:
        found.append(f"{classification.rule}: {classification.reason}")
    if hip_or_vertebral_fracture(report):
        found.append("CLS-5: hip or vertebral fragility fracture")
    return found


def _lowest_t(report: ReportDocument) -> Site | None:
    return lowest_site(valid_sites(report, "T"))


class Aace(Regime):
    """AACE/ACE 2020: postmenopausal women; AACE-1..4 with CLS-6/7/8 where evaluable."""

    def classify(self, report: ReportDocument, population: Population, failed: str | None,
                 base: Classifier) -> tuple[Decision, Site | None]:
        decision, site = base(report, population, failed)
        if decision.value == "low_bone_mass" and population.postmenopausal:
            frax = frax_facts(report)
            if _us_thresholds_apply(report) and frax.meets_threshold:
                return Decision("osteoporosis", "CLS-7", f"{decision.reason}; {frax.describe()} "
                                "at or above the US thresholds", decision.inputs,
                                decision.flags, (*decision.fired, decision.rule)), site
        return decision, site

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if not population.postmenopausal:
            return _out_of_scope(population, "AACE 2020 covers postmenopausal women")
        criteria = _osteoporosis_criteria(report, classification)
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
            value, _ = low_bone_mass_decision(frax)
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
            indicators = very_high_risk_indicators(report)
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


def very_high_risk_indicators(report: ReportDocument) -> list[str]:
    """AACE-2 indicators the report document can show (strict '>' / '<', U)."""
    found = []
    lowest = _lowest_t(report)
    if lowest is not None and lowest.score < Decimal("-3.0"):
        found.append(f"T-score {lowest.score} < -3.0")
    frax = frax_facts(report)
    if frax.mof is not None and frax.mof > Decimal("30"):
        found.append(f"FRAX major osteoporotic {frax.mof} % > 30 %")
    if frax.hip is not None and frax.hip > Decimal("4.5"):
        found.append(f"FRAX hip {frax.hip} % > 4.5 %")
    if len(_fractures(report)) >= 2:
        found.append("multiple fractures")
    return found


class Nogg(Regime):
    """NOGG 2022 (UK): FRAX categories need the web look-up of age-dependent thresholds."""

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if not population.t_population or population.rule == "POP-2":
            return _out_of_scope(population, "postmenopausal women and men aged 50 and older")
        if fractures := _fractures(report):
            return Decision("yes", "NOGG-6", f"prior fragility fracture ({', '.join(fractures)})",
                            {"fracture": ", ".join(fractures)})
        if classification.value == "indeterminate":
            return Decision("indeterminate", classification.rule, classification.reason)
        lowest = _lowest_t(report)
        if lowest is not None and lowest.score <= Decimal("-3.5"):
            return Decision("yes", "NOGG-5", f"T-score {lowest.score} <= -3.5 (very high risk "
                            "indicator, unconfirmed)", {"condition": f"Very high risk: T-score "
                                                        f"{lowest.score} <= -3.5"})
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
            codes += [("NOGG-2", {}), ("NOGG-3", {}), ("NOGG-4", {}), ("NOGG-5", {
                "condition": "If very high risk (FRAX >= 1.6 x the intervention threshold, "
                             "or an indicator such as a recent vertebral fracture within 2 "
                             "years, two or more vertebral fractures, T-score <= -3.5, "
                             "high-dose glucocorticoids)"})]
        if population.t_population and (adjusted := nogg7(report)):
            codes.append(("NOGG-7", adjusted))
        return codes

    def items(self, report: ReportDocument, population: Population, lowest: Site | None
              ) -> list[Code]:
        codes = np_codes(report, population)
        uk = [("NP-3a", {})] if {"NP-1", "NP-2", "NP-2a", "NP-3"} & {c for c, _ in codes} else []
        return [*codes, *uk, *vfa2_codes(report, population, lowest)]


def nogg7(report: ReportDocument) -> dict[str, str] | None:
    """NOGG-7: MOF + (FN T - LS T) x 10 % of MOF when the spine T is lower than the neck T."""
    sites = valid_sites(report, "T")
    spine = lowest_site(of_regions(sites, "lumbar_spine"))
    neck = lowest_site(of_regions(sites, "femoral_neck"))
    mof = frax_facts(report).mof
    if spine is None or neck is None or mof is None or spine.score >= neck.score:
        return None
    adjusted = mof + (neck.score - spine.score) * Decimal("0.1") * mof
    return {"ls": str(spine.score), "fn": str(neck.score), "mof": str(mof),
            "adjusted": format(adjusted.normalize(), "f")}


def vfa2_codes(report: ReportDocument, population: Population, lowest: Site | None
               ) -> list[Code]:
    """VFA-2 criteria the report document can show: height loss >= 4 cm, T <= -2.5."""
    if not population.t_population or report.fracture_history.vertebral is True:
        return []
    criteria = []
    height = report.risk_factors.height_loss_cm
    if height is not None and Decimal(repr(height)) >= 4:
        criteria.append(f"height loss {height} cm")
    if lowest is not None and lowest.score <= OSTEOPOROSIS_T:
        criteria.append(f"T-score {lowest.score}")
    return [("VFA-2", {"criteria": ", ".join(criteria)})] if criteria else []


class Acp(Regime):
    """ACP 2023: bisphosphonates first for primary osteoporosis; individual decision for
    women over 65 with low bone mass; no FRAX threshold."""

    def pharmacotherapy(self, report: ReportDocument, population: Population,
                        classification: Decision) -> Decision:
        if population.undecidable:
            return Decision("indeterminate", population.rule, population.reason)
        if population.rule not in ("POP-1", "POP-3"):
            return _out_of_scope(population, "postmenopausal women and men")
        criteria = _osteoporosis_criteria(report, classification)
        rule = "ACP-1" if population.postmenopausal else "ACP-2"
        if criteria:
            return Decision("yes", rule, "; ".join(criteria), {"criteria": "; ".join(criteria)})
        if classification.value == "indeterminate":
            return Decision("indeterminate", classification.rule, classification.reason)
        if classification.value == "low_bone_mass":
            if population.postmenopausal and population.age is not None and population.age > 65:
                return Decision("indeterminate", "ACP-4", f"low bone mass, woman aged "
                                f"{population.age} (> 65): individualized decision")
            return Decision("not-applicable", classification.rule, "low bone mass not "
                            "addressed by ACP 2023 for men or women aged 65 or younger")
        return Decision("not-applicable", classification.rule, "ACP 2023 addresses treatment "
                        "of osteoporosis or low bone mass only")

    def extra_codes(self, report: ReportDocument, population: Population,
                    classification: Decision, decision: Decision, trend: list[TrendEntry]
                    ) -> list[tuple[str, dict[str, Any]]]:
        return [("ACP-3", {})] if decision.rule == "ACP-1" else []


ALTERNATIVES: dict[str, Regime] = {
    "aace-2020": Aace("aace-2020"), "nogg-2022": Nogg("nogg-2022"), "acp-2023": Acp("acp-2023")}
