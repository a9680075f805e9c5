"""A plan as Markdown a clinician reads in 30 seconds."""

from __future__ import annotations

from dexa.contract import PlanDocument, TrendEntry

DISCLAIMER = ("Decision support for a clinician, not a diagnosis: every item is a suggestion "
              "to review against the full clinical picture.")
_WORDS = {"low_bone_mass": "low bone mass (osteopenia)", "needs-frax": "FRAX needed",
          "not-applicable": "not applicable (outside the regime's scope)"}


def _words(value: str) -> str:
    return _WORDS.get(value, value.replace("_", " "))


def _interval(months: int | None) -> str:
    if months is None:
        return "no interval given"
    return f"{months} months (about {months / 12:g} year{'s' if months != 12 else ''})"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:+.3f}"


def _name(t: TrendEntry) -> str:
    return f"{t.side + ' ' if t.side else ''}{t.region}"


def render_markdown(plan: PlanDocument) -> str:
    from planner.engine import flag_table

    lines = [f"# DXA management plan ({plan.rule_set})", "", f"> {DISCLAIMER}", ""]
    scan = plan.scan
    lines.append(f"Patient {scan.patient_id or 'unknown'}, scan {scan.scan_date or 'undated'}.")
    lines.append("")
    lowest = plan.lowest
    where = "" if lowest is None else (
        f" - lowest {plan.score_type}-score {lowest.score} at the "
        f"{(lowest.side + ' ') if lowest.side else ''}{lowest.region.replace('_', ' ')}")
    why = {e.decision: e for e in plan.explanation}
    category = why.get("classification")
    if plan.classification == "indeterminate" and category:
        where = f" - {category.reason} ({category.rule})"
    lines.append(f"**Category:** {_words(plan.classification)}{where}")
    therapy = why.get("pharmacotherapy")
    reason = f" - {therapy.reason} ({therapy.rule})" if therapy else ""
    lines.append(f"**Drug treatment:** {_words(plan.pharmacotherapy)}{reason}")
    interval = why.get("repeat_dxa_months")
    reason = f" - {interval.reason} ({interval.rule})" if interval else ""
    lines.append(f"**Repeat DXA:** {_interval(plan.repeat_dxa_months)}{reason}")
    if plan.trend:
        lines += ["", "| Site | Prior | Change g/cm² | LSC g/cm² | Status |",
                  "|---|---|---|---|---|"]
        for t in plan.trend:
            site = f"{(t.side + ' ') if t.side else ''}{t.region.replace('_', ' ')}"
            site += f" {t.levels}" if t.levels else ""
            lsc = _number(t.lsc_g_cm2).lstrip("+")
            source = f" ({t.lsc_source})" if t.lsc_source else ""
            status = t.status
            if status == "not-comparable" and (note := why.get(f"trend {_name(t)}")):
                status += f" ({note.rule}: {note.reason})"
            lines.append(f"| {site} | {t.prior_date} | {_number(t.change_g_cm2)} | {lsc}{source}"
                         f" | {status} |")
    if plan.recommendations:
        lines += ["", "## Plan items", ""]
        lines += [f"- **{r.code}** {r.text} _[{r.source}]_" for r in plan.recommendations]
    if plan.flags:
        table = flag_table()
        lines += ["", "## Flags", ""]
        lines += [f"- `{f}` ({table[f]['rule']}): {table[f]['words']}" if f in table
                  else f"- `{f}`" for f in plan.flags]
    if not plan.validation.passed:
        failed = ", ".join(plan.validation.failed_expectations)
        lines += ["", f"**Validation failed:** {failed}; failed values were not used."]
    lines += ["", f"_{DISCLAIMER}_", ""]
    return "\n".join(lines)
