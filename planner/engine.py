"""Assembling one plan document from the pure rule functions, in the order of §5."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dexa.contract import (
    Explanation,
    Lowest,
    PlanDocument,
    Recommendation,
    ReportDocument,
    ScanRef,
    ScanValidation,
    TrendEntry,
    Validation,
    VisitRef,
    without_failed_values,
)
from planner.classify import classify, t_category, z_category
from planner.decision import Decision
from planner.failures import failed_diagnostic_score
from planner.inputs import male_reference, parse_date
from planner.interval import repeat_interval
from planner.items import sec_codes, ser9_codes
from planner.population import Population, population_of
from planner.profiles import LscProfiles
from planner.regimes import regime_for
from planner.ruleset import DEFAULT_RULE_SET, RuleSet, load_rule_set
from planner.serial import trends
from planner.sites import lowest_site, pediatric_sites, site_findings, valid_sites
from planner.visits import Visit, visit_key

FLAGS_FILE = Path(__file__).parent / "rules" / "flags.json"


@cache
def flag_table() -> dict[str, dict[str, str]]:
    data = json.loads(FLAGS_FILE.read_text(encoding="utf-8"))
    return {f["name"]: f for f in data["flags"]}


@dataclass(frozen=True)
class Evaluation:
    plan: PlanDocument
    fired: frozenset[str]  # every rule that decided a value or emitted something


def _pop6_readings(report: ReportDocument, rules: RuleSet) -> dict[str, str]:
    t, z = lowest_site(valid_sites(report, "T")), lowest_site(valid_sites(report, "Z"))
    t_text = "no valid T-score site" if t is None else (
        f"{t_category(t.score, False, rules)[0].replace('_', ' ')} "
        f"(lowest T {t.score}, {t.label()})")
    z_text = "no valid Z-score site" if z is None else (
        f"{z_category(z.score, rules)[0].replace('_', ' ')} (lowest Z {z.score}, {z.label()})")
    return {"t_reading": t_text, "z_reading": z_text}


def _population_codes(report: ReportDocument, population: Population, rules: RuleSet
                      ) -> list[tuple[str, dict]]:
    if population.rule == "POP-5":
        site = lowest_site(pediatric_sites(report))
        z_max = rules.param("POP-5", "z_max")
        finding = "no spine or total-body Z-score reported" if site is None else (
            f"lowest Z-score {site.score} ({site.label()}), "
            f"{'at or below' if site.score <= z_max else 'above'} {z_max}")
        return [("POP-5", {"finding": finding})]
    if population.rule == "POP-6":
        return [("POP-6", _pop6_readings(report, rules))]
    if population.rule == "MISS-4":
        missing = [w for w, v in (("age", population.age), ("sex", population.sex)) if v is None]
        return [("MISS-4", {"missing": " and ".join(missing)})]
    return []


def _explain(decision: str, d: Decision, **inputs: Any) -> Explanation:
    return Explanation(decision=decision, rule=d.rule, inputs={**d.inputs, **inputs},
                       reason=d.reason)


@dataclass
class _Trace:
    """Flags raised and rules fired while deciding one plan."""

    flags: set[str] = field(default_factory=set)
    fired: set[str] = field(default_factory=set)

    def add(self, d: Decision | None = None, *, flags: Iterable[str] = (),
            fired: Iterable[str] = ()) -> None:
        if d is not None:
            self.flags.update(d.flags)
            self.fired.update((d.rule, *d.fired))
        self.flags.update(flags)
        self.fired.update(fired)


def _visit_explanation(visit: Visit) -> Explanation:
    """VIS-1 / VIS-2: which scans the plan is made from, and where they disagree."""
    conflicts = [{"field": c.field, "used": c.used_value, "other": c.other_value}
                 for c in visit.conflicts]
    reason = f"made from the {len(visit.sources)} scans of the visit"
    if conflicts:
        reason += (f"; {len(conflicts)} value(s) differ between scans beyond print rounding: "
                   "the primary scan's value is used")
    return Explanation(decision="visit", rule="VIS-2" if conflicts else "VIS-1",
                       inputs={"sources": [s.source.kind for s in visit.sources],
                               "conflicts": conflicts}, reason=reason)


def evaluate(report: ReportDocument, *, validation: ScanValidation | None = None,
             rule_set: str = DEFAULT_RULE_SET, lsc_profiles: LscProfiles | None = None,
             facility: str | None = None, visit: Visit | None = None) -> Evaluation:
    """Decide one plan in the order of §5; also return the rules that fired.

    ``visit``: the visit ``report`` was merged for (``planner.visits.merge_visit``; pass its
    ``report`` and ``validation`` as the first two arguments). The plan then names the visit's
    key and scans and flags its conflicts (VIS-2); without it the plan is for ``report``'s
    one-scan visit.
    """
    rules, regime = load_rule_set(rule_set), regime_for(rule_set)
    given, report = report, without_failed_values(report, validation)
    trace = _Trace()
    if visit is not None and len(visit.sources) > 1:
        trace.add(flags=("SOURCE_CONFLICT",) if visit.conflicts else (),
                  fired=("VIS-1", *(("VIS-2",) if visit.conflicts else ())))
    population = population_of(report, rules)
    trace.add(flags=population.flags, fired=(population.rule, *(
        ("MISS-1",) if population.rule == "POP-6" else ())))
    if male_reference(report):
        trace.add(flags=("MALE_REFERENCE_USED",), fired=("POP-7",))
    if population.adult:
        sites = site_findings(report, "T" if population.t_population else "Z", rules)
        trace.add(flags=sites.flags, fired=sites.rules)
    failed = failed_diagnostic_score(given, validation, population)
    classification, lowest = regime.classify(report, population, failed, classify)
    trace.add(classification)

    profile = lsc_profiles.select(facility, report.source.device, report.source.vendor,
                                  parse_date(report.study.scan_date)) if lsc_profiles else None
    found = trends(report, profile, rules)
    entries = [t.entry for t in found]
    for t in found:
        trace.add(flags=t.flags, fired=(t.rule, *t.fired))

    pharmacotherapy = regime.pharmacotherapy(report, population, classification)
    notes = regime.notes(report, population, classification, pharmacotherapy)
    trace.add(pharmacotherapy, flags=notes.flags, fired=notes.fired)

    interval = repeat_interval(report, population, classification, pharmacotherapy, entries,
                               rules)
    trace.add(interval.decision)
    if report.therapy.status is None and interval.decision.value is not None:
        trace.add(flags=("THERAPY_STATUS_UNKNOWN",), fired=("MISS-8",))

    codes = [*_population_codes(report, population, rules)]
    if rules.has(pharmacotherapy.rule) and rules.rule(pharmacotherapy.rule).text:
        codes.append((pharmacotherapy.rule, pharmacotherapy.inputs))
    codes += notes.codes
    if classification.rule == "MISS-5":
        codes.append(("MISS-5", {}))
    if other := [t.entry for t in found if t.other_device]:
        codes.append(("MISS-6", {"sites": ", ".join(_site_name(e) for e in other)}))
    codes += regime.items(report, population, lowest if population.t_population else None)
    codes += interval.codes
    codes += ser9_codes(report, entries)
    codes += sec_codes(report, population, classification, trace.flags, entries, rules)
    codes += regime.extra_codes(report, population, classification, pharmacotherapy, entries)
    recommendations = _recommend(rules, codes)
    # a rule set may leave rows out (e.g. TX-B8 outside BHOF): their flags go with them
    flags = sorted(f for f in trace.flags if rules.has(flag_table()[f]["rule"]))
    trace.add(fired=[r.code for r in recommendations])
    trace.add(fired=[flag_table()[f]["rule"] for f in flags])

    explanation = [
        Explanation(decision="score_type", rule=population.rule,
                    inputs={"age": population.age, "sex": population.sex,
                            "menopausal_status": report.patient.menopausal_status},
                    reason=population.reason),
        _explain("classification", classification),
        Explanation(decision="lowest", rule="POP-5" if population.pediatric else "SITE-2",
                    inputs={"candidates": _candidates(report, population)},
                    reason="no lowest score" if lowest is None else
                    f"lowest {population.score_type}-score {lowest.score} at the "
                    f"{lowest.label()}"),
        _explain("pharmacotherapy", pharmacotherapy),
        _explain("repeat_dxa_months", interval.decision),
        *[Explanation(decision=f"trend {_site_name(t.entry)}", rule=t.rule,
                      inputs={"prior_date": t.entry.prior_date,
                              "lsc_source": t.entry.lsc_source, "lsc_g_cm2": t.entry.lsc_g_cm2,
                              "change_g_cm2": t.entry.change_g_cm2}, reason=t.reason)
          for t in found],
    ]
    if visit is not None and len(visit.sources) > 1:
        explanation.append(_visit_explanation(visit))
    if failed:
        explanation.append(Explanation(
            decision="validation", rule="SITE-7", inputs={"failed": failed},
            reason=f"diagnostic score {failed} failed validation and was treated as null; "
                   "the scan is not planned as if complete"))
    plan = PlanDocument(
        rule_set=rule_set,
        scan=ScanRef(sha256=report.source.sha256, patient_id=report.patient.id,
                     scan_date=_iso(report.study.scan_date)),
        score_type=population.score_type,
        classification=classification.value,
        lowest=None if lowest is None else Lowest(region=lowest.region, side=lowest.side,
                                                  score=float(lowest.score)),
        pharmacotherapy=pharmacotherapy.value,
        repeat_dxa_months=interval.decision.value,
        trend=entries,
        recommendations=recommendations,
        flags=flags,
        validation=Validation(passed=validation.passed if validation else True,
                              failed_expectations=validation.failed_expectations
                              if validation else []),
        lsc_profile=profile.name if profile else None,
        explanation=explanation,
        visit=visit.ref if visit is not None else VisitRef(key=visit_key(given),
                                                           sources=[given.source.sha256]),
    )
    return Evaluation(plan, frozenset(trace.fired & rules.ids))


def _recommend(rules: RuleSet, codes: list[tuple[str, dict[str, Any]]]) -> list[Recommendation]:
    """Each code at most once (first fields win), only rows of the rule set, in row order."""
    seen: dict[str, dict[str, Any]] = {}
    for code, fields in codes:
        if rules.has(code):
            seen.setdefault(code, fields)
    ordered = sorted(seen.items(), key=lambda item: rules.order(item[0]))
    return [rules.recommend(code, **fields) for code, fields in ordered]


def _iso(text: str | None) -> str | None:
    """A date the plan may carry: valid ISO or null."""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else None


def _site_name(e: TrendEntry) -> str:
    return f"{e.side + ' ' if e.side else ''}{e.region}"


def _candidates(report: ReportDocument, population: Population) -> list[dict[str, Any]]:
    if not population.adult:
        return []
    kind = "T" if population.t_population else "Z"
    return [{"region": s.region, "side": s.side, "levels": s.measurement.levels,
             "score": float(s.score)} for s in valid_sites(report, kind)]


def make_plan(report: ReportDocument, *, validation: ScanValidation | None = None,
              rule_set: str = DEFAULT_RULE_SET, lsc_profiles: LscProfiles | None = None,
              facility: str | None = None, visit: Visit | None = None) -> PlanDocument:
    """The plan document for one report, or for a visit's merged report with ``visit``
    (decision support for a clinician, not a diagnosis).

    Raises:
        UnknownRuleSet: ``rule_set`` names no rule file.
    """
    return evaluate(report, validation=validation, rule_set=rule_set,
                    lsc_profiles=lsc_profiles, facility=facility, visit=visit).plan
