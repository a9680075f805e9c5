"""§3.4 BHOF 2022 pharmacologic-therapy rule: TX-B0..TX-B6 decide, TX-B7..TX-B12 add notes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dexa.contract import ReportDocument
from planner.decision import Decision
from planner.inputs import FraxFacts, fracture_history_unknown, frax_facts
from planner.population import Population
from planner.ruleset import RuleSet
from planner.sites import HIP_REGIONS, Site, lowest_site, of_regions, valid_sites

ACTIVE = ("yes", "no", "needs-frax")


def _fracture_words(report: ReportDocument) -> str:
    fx = report.fracture_history
    return " and ".join(w for w, v in (("hip", fx.hip), ("vertebral", fx.vertebral)) if v)


def low_bone_mass_decision(frax: FraxFacts, limits: Mapping[str, Decimal]) -> tuple[str, str]:
    """TX-B3 / TX-B4 / TX-B5 for low bone mass; ``limits``: the FRAX thresholds of TX-B3 (of
    CLS-7 under AACE)."""
    if frax.meets_threshold(limits):
        return "yes", "TX-B3"
    if frax.below_both(limits):
        return "no", "TX-B4"
    return "needs-frax", "TX-B5"


def bhof_pharmacotherapy(report: ReportDocument, population: Population,
                         classification: Decision, rules: RuleSet) -> Decision:
    """`pharmacotherapy` in the order of §5 item 2; first match wins."""
    if population.undecidable:
        return Decision("indeterminate", population.rule, population.reason)
    if population.pediatric or population.z_adult or population.rule == "POP-2":
        return Decision("not-applicable", "TX-B0", f"outside BHOF scope: {population.reason}",
                        {"population": population.reason})
    words = _fracture_words(report)
    if words:
        return Decision("yes", "TX-B1", f"{words} fragility fracture, regardless of BMD",
                        {"fracture": words})
    if classification.value == "indeterminate":
        return Decision("indeterminate", classification.rule, classification.reason)
    sites = valid_sites(report, "T")
    central = lowest_site(of_regions(sites, *HIP_REGIONS, "lumbar_spine"))
    if central is not None and central.score <= rules.param("TX-B2", "t_max"):
        return Decision("yes", "TX-B2", f"T-score {central.score} at the {central.label()}",
                        {"site": central.label(), "score": float(central.score)})
    lowest = lowest_site(sites)
    assert lowest is not None  # classification was decided, so a valid T site exists
    if lowest.score < rules.param("TX-B6", "t_min"):  # low bone mass: not TX-B6's normal BMD
        frax = frax_facts(report)
        value, rule = low_bone_mass_decision(frax, rules.params("TX-B3"))
        return Decision(value, rule, f"low bone mass (lowest T {lowest.score}); "
                        f"{frax.describe()}",
                        {"lowest_t": float(lowest.score), "frax_mof": _f(frax.mof),
                         "frax_hip": _f(frax.hip), "frax": frax.describe(),
                         "frax_used": rule != "TX-B5"})
    return Decision("no", "TX-B6", f"normal BMD (lowest T {lowest.score}), no hip or "
                    "vertebral fracture", {"score": float(lowest.score)})


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class TherapyNotes:
    codes: tuple[tuple[str, dict[str, str]], ...]
    flags: tuple[str, ...]
    fired: tuple[str, ...]


def radius_only(sites: list[Site], rules: RuleSet) -> bool:
    """TX-B8: 33 % radius T <= -2.5 and every valid FN/TH/LS T > -2.5 (TX-B8's ``t_max``)."""
    t_max = rules.param("TX-B8", "t_max")
    radius = of_regions(sites, "radius_33")
    central = of_regions(sites, *HIP_REGIONS, "lumbar_spine")
    return any(s.score <= t_max for s in radius) and all(s.score > t_max for s in central)


def therapy_notes(report: ReportDocument, decision: Decision, rules: RuleSet) -> TherapyNotes:
    """TX-B7..TX-B12 and MISS-9, evaluated only for `yes`, `no` and `needs-frax`."""
    if decision.value not in ACTIVE:
        return TherapyNotes((), (), ())
    codes: list[tuple[str, dict[str, str]]] = []
    flags: list[str] = []
    fired: list[str] = []
    frax = frax_facts(report)
    if decision.value in ("yes", "no"):
        codes.append(("TX-B7", {}))
    if radius_only(valid_sites(report, "T"), rules):
        flags.append("RADIUS_ONLY_OSTEOPOROSIS")
        fired.append("TX-B8")
    if report.fracture_history.other_fragility is True and decision.rule in (
            "TX-B3", "TX-B4", "TX-B5"):
        codes.append(("TX-B9", {}))
        flags.append("NONVERTEBRAL_FRAGILITY_FRACTURE")
    if fracture_history_unknown(report):
        codes.append(("TX-B10", {}))
        flags.append("FRACTURE_HISTORY_UNKNOWN")
        fired.append("MISS-3")
    if frax.available and report.therapy.status == "on_therapy":
        flags.append("FRAX_ON_TREATMENT")
        fired.append("TX-B11")
    if report.risk_factors.tbs is not None:
        codes.append(("TX-B12", {"tbs": str(report.risk_factors.tbs)}))
    if decision.inputs.get("frax_used"):  # MISS-9: FRAX decided (TX-B3, TX-B4; AACE CLS-7)
        if frax.with_bmd is False:
            flags.append("FRAX_WITHOUT_BMD")
            fired.append("MISS-9")
        if not (frax.us_model and frax.with_bmd is not None):
            flags.append("FRAX_PROVENANCE_UNKNOWN")
            fired.append("MISS-9")
    if decision.rule == "TX-B5":
        fired.append("MISS-2")
    return TherapyNotes(tuple(codes), tuple(flags), tuple(dict.fromkeys(fired)))
