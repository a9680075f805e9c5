"""§3.3 classification (CLS-1..5, 9, 10; SITE-7; MISS-5) and the plan's `lowest`."""

from __future__ import annotations

from decimal import Decimal

from dexa.contract import ReportDocument
from planner.decision import Decision
from planner.inputs import any_fragility_fracture, hip_or_vertebral_fracture
from planner.population import Population
from planner.ruleset import RuleSet
from planner.sites import Site, lowest_site, pediatric_sites, valid_sites


def t_category(t: Decimal, fracture: bool, rules: RuleSet) -> tuple[str, str]:
    """WHO categories for the lowest valid T: first match CLS-4, CLS-3, CLS-2, CLS-1."""
    if fracture and t <= rules.param("CLS-4", "t_max"):
        return "severe_osteoporosis", "CLS-4"
    if t <= rules.param("CLS-3", "t_max"):
        return "osteoporosis", "CLS-3"
    if t < rules.param("CLS-2", "t_below"):
        return "low_bone_mass", "CLS-2"
    return "normal", "CLS-1"


def z_category(z: Decimal, rules: RuleSet) -> tuple[str, str]:
    """CLS-9 at or below its Z-score, else CLS-10."""
    if z <= rules.param("CLS-9", "z_max"):
        return "below_expected_range_for_age", "CLS-9"
    return "within_expected_range_for_age", "CLS-10"


def _site_inputs(site: Site | None) -> dict[str, object]:
    if site is None:
        return {"lowest": None}
    return {"lowest": {"region": site.region, "side": site.side, "score": float(site.score)}}


def classify(report: ReportDocument, population: Population, failed_score: str | None,
             rules: RuleSet) -> tuple[Decision, Site | None]:
    """Classification and the site behind `lowest` (None when there is no `lowest`).

    ``failed_score`` names a diagnostic score that failed validation: the scan is then not
    classified as if complete (SITE-7 with `INSUFFICIENT_VALID_SITES`)."""
    if population.undecidable:
        return Decision("indeterminate", population.rule, population.reason), None
    if population.pediatric:
        site = lowest_site(pediatric_sites(report))
        return Decision("pediatric", "POP-5", population.reason, _site_inputs(site)), site
    kind = "T" if population.t_population else "Z"
    sites = valid_sites(report, kind)
    clinical = hip_or_vertebral_fracture(report)
    cls5 = ("CLINICAL_OSTEOPOROSIS",) if kind == "T" and clinical else ()
    insufficient = ("INSUFFICIENT_VALID_SITES",)
    if failed_score:
        return Decision("indeterminate", "SITE-7",
                        f"{failed_score} failed validation; the scan is not classified as if "
                        "complete", {"failed": failed_score}, insufficient + cls5,
                        ("CLS-5",) if cls5 else ()), None
    if kind == "Z" and not sites and valid_sites(report, "T"):
        return Decision("indeterminate", "MISS-5", "valid sites carry T-scores but no Z-score",
                        flags=("Z_SCORE_MISSING",)), None
    site = lowest_site(sites)
    if site is None:
        return Decision("indeterminate", "SITE-7", f"no valid diagnostic site with a {kind}-score",
                        flags=insufficient + cls5, fired=("CLS-5",) if cls5 else ()), None
    inputs = _site_inputs(site)
    if kind == "Z":
        value, rule = z_category(site.score, rules)
        return Decision(value, rule, f"lowest valid Z-score {site.score} ({site.label()})",
                        inputs), site
    value, rule = t_category(site.score, any_fragility_fracture(report), rules)
    reason = f"lowest valid T-score {site.score} ({site.label()})"
    if rule == "CLS-4":
        reason += " with a fragility fracture"
    if cls5 and value != "severe_osteoporosis":
        return Decision(value, rule, reason + "; hip or vertebral fragility fracture: clinical "
                        "osteoporosis", inputs, cls5, ("CLS-5",)), site
    return Decision(value, rule, reason, inputs), site
