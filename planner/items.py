"""Plan items that accompany the decision: NP-1..9 (§3.7), SEC-1..3 (§3.10), VFA-1 (§3.11),
SER-9 (§3.9)."""

from __future__ import annotations

from decimal import Decimal

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.population import Population
from planner.ruleset import RuleSet
from planner.sites import Site, valid_sites

Code = tuple[str, dict[str, str]]


def np_codes(report: ReportDocument, population: Population, rules: RuleSet) -> list[Code]:
    """NP rows whose condition holds; none in a pediatric plan; NP-9 replaces NP-1, NP-2a and
    NP-3 in a Z-population plan; a row needing an unknown age or sex is not emitted."""
    if population.pediatric:
        return []
    age, sex = population.age, population.sex
    np1, np2, np2a = rules.params("NP-1"), rules.params("NP-2"), rules.params("NP-2a")
    codes: list[str] = []
    if not population.z_adult:
        if age is not None and sex is not None:
            if ((sex == "F" and age >= np1["women_min_age"])
                    or (sex == "M" and age >= np1["men_min_age"])):
                codes.append("NP-1")
            if sex == "M" and np2["men_min_age"] <= age <= np2["men_max_age"]:
                codes.append("NP-2")
            if ((sex == "F" and age <= np2a["women_max_age"])
                    or (sex == "M" and age < np2a["men_below_age"])):
                codes.append("NP-2a")
        if age is not None and age >= rules.param("NP-3", "min_age"):
            codes.append("NP-3")
    codes += ["NP-4", "NP-5"]
    rf = report.risk_factors
    alcohol_max = rules.param("NP-6", "alcohol_units_max")
    if not (rf.smoker is False and rf.alcohol_units_per_day is not None
            and Decimal(repr(rf.alcohol_units_per_day)) <= alcohol_max):
        codes.append("NP-6")
    codes += ["NP-7", "NP-8"]
    if population.z_adult:
        codes.append("NP-9")
    return [(c, {}) for c in codes]


def sec_triggers(report: ReportDocument, classification: Decision, flags: set[str],
                 trend: list[TrendEntry], rules: RuleSet) -> list[str]:
    """SEC-1 triggers (SEC notes)."""
    found = []
    z_max = rules.param("SEC-1", "z_max")
    low_z = [s for s in valid_sites(report, "Z") if s.score <= z_max]
    if low_z:
        found.append(f"Z-score {low_z[0].score} at the {low_z[0].label()}")
    if classification.value in ("osteoporosis", "severe_osteoporosis"):
        found.append(f"classification {classification.value.replace('_', ' ')}")
    elif "CLINICAL_OSTEOPOROSIS" in flags:
        found.append("clinical osteoporosis")
    fx = report.fracture_history
    if True in (fx.hip, fx.vertebral, fx.other_fragility):
        found.append("fragility fracture")
    if any(e.status == "loss" for e in trend):
        found.append("significant BMD loss")
    return found


def sec_codes(report: ReportDocument, population: Population, classification: Decision,
              flags: set[str], trend: list[TrendEntry], rules: RuleSet) -> list[Code]:
    if population.pediatric:
        return []
    triggers = sec_triggers(report, classification, flags, trend, rules)
    if not triggers:
        return []
    return [("SEC-1", {"trigger": "; ".join(triggers)}), ("SEC-2", {}), ("SEC-3", {})]


def vfa_codes(report: ReportDocument, population: Population, lowest: Site | None,
              rules: RuleSet) -> list[Code]:
    """VFA-1: T-population, lowest valid T < -1.0 and an age / height / history criterion."""
    vfa1 = rules.params("VFA-1")
    if not population.t_population or lowest is None or lowest.score >= vfa1["t_below"]:
        return []
    if report.fracture_history.vertebral is True:
        return []
    age, sex, rf = population.age, population.sex, report.risk_factors
    criteria = []
    if age is not None and ((sex == "F" and age >= vfa1["women_min_age"])
                            or (sex == "M" and age >= vfa1["men_min_age"])):
        criteria.append(f"age {age}")
    if (rf.height_loss_cm is not None
            and Decimal(repr(rf.height_loss_cm)) > vfa1["height_loss_cm_above"]):
        criteria.append(f"height loss {rf.height_loss_cm} cm")
    if rf.self_reported_vertebral_fracture is True:
        criteria.append("self-reported undocumented vertebral fracture")
    if not criteria:
        return []
    return [("VFA-1", {"score": str(lowest.score), "criteria": ", ".join(criteria)})]


PREFERRED_SITE = ("Preferred monitoring site: mean bilateral total hip when both hips are "
                  "scanned, otherwise total hip (greater precision than the femoral neck; "
                  "SER-8).")


def ser9_codes(report: ReportDocument, trend: list[TrendEntry]) -> list[Code]:
    def names(entries: list[TrendEntry]) -> str:
        return ", ".join(f"{e.side + ' ' if e.side else ''}{e.region}" for e in entries)
    losses = [e for e in trend if e.status == "loss"]
    on_therapy = report.therapy.status == "on_therapy"
    if losses and on_therapy:
        detail = (f"Significant BMD loss on therapy ({names(losses)}): check adherence and "
                  "administration, calcium and vitamin D, secondary causes, artifacts (new "
                  "degenerative change, fracture in the region); consider changing therapy.")
    elif losses:
        detail = (f"Significant BMD loss without therapy ({names(losses)}): re-evaluate "
                  "(secondary causes, FRAX, therapy).")
    elif on_therapy and (kept := [e for e in trend if e.status in ("gain", "stable")]):
        detail = f"BMD gain or stable on therapy ({names(kept)}): consistent with response."
    else:
        return []
    return [("SER-9", {"detail": f"{detail} {PREFERRED_SITE}"})]
