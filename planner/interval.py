"""§3.8 repeat-DXA interval: MON-1..MON-8 and MISS-8, in the order of §5 item 3."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dexa.contract import ReportDocument, TrendEntry
from planner.decision import Decision
from planner.population import Population
from planner.ruleset import RuleSet
from planner.sites import HIP_REGIONS, lowest_site, of_regions, valid_sites

# (code, label) of the Gourlay bins, mildest first; their bounds and months are in their rows:
# T >= -1.00 (MON-3a t_min), -1.50 < T < -1.00 (MON-3b t_above), -2.00 < T <= -1.50 (MON-3c
# t_above), T <= -2.00 (MON-3d)
GOURLAY_BINS = (("MON-3a", "normal"), ("MON-3b", "mild osteopenia"),
                ("MON-3c", "moderate osteopenia"), ("MON-3d", "advanced osteopenia"))
CAVEAT = ("Caveat: Gourlay binned hip T-scores to two decimals in untreated women aged 67 or "
          "older; a T-score printed to one decimal can hide the bin (-2.0 may be -1.96, "
          "moderate, about 5 years, or -2.04, advanced, about 1 year), and many practices "
          "(BHOF/Medicare) repeat DXA about every 2 years.")


def gourlay_index(t: Decimal, rules: RuleSet) -> int:
    """Half-open bins of §4, any number of decimals; <= -2.50 takes MON-3d's interval."""
    if t >= rules.param("MON-3a", "t_min"):
        return 0
    if t > rules.param("MON-3b", "t_above"):
        return 1
    if t > rules.param("MON-3c", "t_above"):
        return 2
    return len(GOURLAY_BINS) - 1  # MON-3d


@dataclass(frozen=True)
class Branch:
    code: str
    months: int
    fields: dict[str, Any]
    flags: tuple[str, ...]
    fired: tuple[str, ...]
    reason: str
    inputs: dict[str, Any]


def _years(months: int) -> str:
    return "1 year" if months == 12 else f"{months // 12} years"


def gourlay_branch(report: ReportDocument, population: Population, rules: RuleSet,
                   branch: str = "") -> Branch:
    """MON-3 (untreated postmenopausal woman >= 65) or MON-4 (other untreated T-population),
    binned on the lowest valid FN/TH T-score; MON-8 may add its flag."""
    sites = valid_sites(report, "T")
    hip = lowest_site(of_regions(sites, *HIP_REGIONS))
    source = hip or lowest_site(sites)
    assert source is not None  # only reached with a decided T classification
    flags: list[str] = [] if hip else ["GOURLAY_EXTRAPOLATED"]
    fired = ["MON-3e"]
    index = gourlay_index(source.score, rules)
    code, label = GOURLAY_BINS[index]
    months = rules.param(code, "months")
    where = "hip" if hip else "non-hip (no valid hip T-score)"
    bin_text = (f"Gourlay bin {label} (lowest {where} T-score {source.score}, "
                f"{source.label()}); the Gourlay interval is the estimated time for 10 % of "
                f"women to make the transition to osteoporosis (MON-3e). {CAVEAT}")
    mon3 = (population.postmenopausal and population.age is not None
            and population.age >= rules.param("MON-3", "women_min_age"))
    cap = rules.param("MON-4", "cap_months")
    if mon3:
        fired.append("MON-3")
    else:
        code, months = "MON-4", min(months, cap)
        flags.append("GOURLAY_EXTRAPOLATED")
    spine = lowest_site(of_regions(sites, "lumbar_spine"))
    if hip and spine and gourlay_index(spine.score, rules) > index:
        flags.append("SPINE_LOWER_THAN_HIP")
        fired.append("MON-8")
        bin_text += (f" The lumbar spine T-score {spine.score} falls in a more severe bin; "
                     "the hip bin is kept (Gourlay did not use the spine).")
    interval = f"{_years(cap)} or less" if code == "MON-4" and months == cap else _years(months)
    fields = {"bin_text": bin_text, "branch": branch, "interval": interval}
    return Branch(code, months, fields, tuple(dict.fromkeys(flags)), tuple(fired),
                  f"{'MON-3' if mon3 else 'MON-4'}: Gourlay {label} ({source.score}) -> "
                  f"{months} months", {"bin_input": float(source.score),
                                       "bin_site": source.label(), "bin": label,
                                       "age": population.age})


@dataclass(frozen=True)
class Interval:
    decision: Decision
    codes: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


def _rapid_loss_conditions(report: ReportDocument) -> list[str]:
    return list(report.risk_factors.rapid_bone_loss_conditions or [])


def repeat_interval(report: ReportDocument, population: Population, classification: Decision,
                    pharmacotherapy: Decision, trend: list[TrendEntry], rules: RuleSet
                    ) -> Interval:
    """First match of §5 item 3 (months from the rows MON-1..MON-6)."""
    def months(rule: str) -> int:
        return rules.param(rule, "months")

    if population.score_type == "Z":
        return Interval(Decision(None, "MON-7", "Z-score population: no guideline interval"),
                        (("MON-7", {}),))
    if classification.value == "indeterminate":
        return Interval(Decision(None, classification.rule, "classification indeterminate"))
    losses = [e for e in trend if e.status == "loss"]
    if losses:
        sites = ", ".join(f"{e.side + ' ' if e.side else ''}{e.region}" for e in losses)
        return Interval(Decision(months("MON-6"), "MON-6", f"significant loss at {sites}"),
                        (("MON-6", {"sites": sites}),))
    if conditions := _rapid_loss_conditions(report):
        text = ", ".join(conditions)
        return Interval(Decision(months("MON-5"), "MON-5", f"rapid bone loss condition: {text}"),
                        (("MON-5", {"conditions": text}),))
    status = report.therapy.status
    comparable = [e for e in trend if e.status != "not-comparable"]
    if (status == "on_therapy" and report.therapy.on_therapy_at_prior is True and comparable
            and all(e.status in ("gain", "stable") for e in comparable)):
        return Interval(Decision(months("MON-2"), "MON-2", "stable therapy since the prior scan "
                                 "with no significant loss"), (("MON-2", {}),))
    if status == "on_therapy" or pharmacotherapy.value == "yes":
        why = "on therapy" if status == "on_therapy" else "therapy to be started"
        return Interval(Decision(months("MON-1"), "MON-1", why,
                                 {"therapy_status": status,
                                  "pharmacotherapy": pharmacotherapy.value}),
                        (("MON-1", {"branch": ""}),))
    if status is None:
        branch = gourlay_branch(report, population, rules, " if untreated")
        on_therapy = months("MON-1")  # the shorter branch, whatever the Gourlay bin
        return Interval(
            Decision(on_therapy, "MISS-8", f"therapy status unknown: on therapy -> MON-1 "
                     f"({on_therapy} months); untreated -> {branch.reason}; the shorter branch "
                     "is kept",
                     branch.inputs, branch.flags, (*branch.fired, branch.code)),
            (("MON-1", {"branch": " if on therapy"}), (branch.code, branch.fields)))
    branch = gourlay_branch(report, population, rules)
    rule = branch.code
    return Interval(Decision(branch.months, rule, branch.reason, branch.inputs, branch.flags,
                             branch.fired), ((branch.code, branch.fields),))
