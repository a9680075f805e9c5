"""The clinician's page: one self-contained HTML file (Jinja2 templates, inline CSS, inline SVG).

``plan_page`` shows one visit: the decision and its reasons with rule ids and sources, the
recommendations, measurements, trend, flags in words and the validation state.
``patient_page`` shows every visit of a patient, newest first, with a BMD-over-time chart per
site (points, the LSC band around the last prior, gains and losses marked), the classification
history and the next DXA date.

Nothing on the page loads anything: no script, no external style, font or image, and a
Content-Security-Policy of ``default-src 'none'`` so that a browser would refuse if anything
tried. The patient's name is never shown (the documents have no name); the patient id appears
once, in the page header, and can be masked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dexa.outputs.chart import STATUS_STYLE, Band, Point, SiteSeries, site_chart_svg
from dexa.outputs.visit import SiteKey, TrendEntry, VisitView
from dexa.outputs.wording import (
    classification_words,
    interval_words,
    rule_source,
    score,
    site_words,
    therapy_words,
    trend_name,
    words,
)

__all__ = ["CHARTED_REGIONS", "patient_page", "plan_page"]

# The monitoring sites of ISCD serial comparison (SER-8 and the §3.9 notes), in page order.
CHARTED_REGIONS = ("lumbar_spine", "femoral_neck", "total_hip", "radius_33")
_SIDE_ORDER = {None: 0, "left": 1, "right": 2, "mean": 3}


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("dexa.outputs", "templates"),
                       autoescape=select_autoescape(("html", "j2")),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def plan_page(view: VisitView, *, mask_patient_id: bool = False) -> str:
    """One visit's plan as a self-contained HTML page."""
    history = [_history_row(v) for v in sorted(view.earlier, key=_date, reverse=True)]
    return _environment().get_template("plan.html.j2").render(
        v=_visit(view), history=history, disclaimer=words()["disclaimer"],
        patient_id=_patient_id(view.patient_id, mask_patient_id))


def plans_page(views: Sequence[VisitView | str]) -> str:
    """Several plans in one self-contained page (``dexa plan FILE… --format html``), in input
    order; a string in ``views`` stands for a file that was rejected and says why."""
    items = [{"rejected": v} if isinstance(v, str) else {"v": _visit(v), "rejected": None}
             for v in views]
    return _environment().get_template("plans.html.j2").render(
        items=items, disclaimer=words()["disclaimer"])


def patient_page(visits: Sequence[VisitView], *, mask_patient_id: bool = False) -> str:
    """Every visit of one patient, newest first, with a BMD-over-time chart per site.

    Raises:
        ValueError: no visit, or visits of more than one patient.
    """
    if not visits:
        raise ValueError("a patient page needs at least one visit")
    patients = {v.patient_id for v in visits}
    if len(patients) != 1:
        raise ValueError("the visits belong to more than one patient")
    newest = sorted(visits, key=_date, reverse=True)
    oldest = newest[::-1]
    latest = newest[0]
    next_dxa = latest.next_dxa
    interval = latest.explanation("repeat_dxa_months")
    return _environment().get_template("patient.html.j2").render(
        visits=[_visit(v) for v in newest], latest=_visit(latest),
        sites=_site_charts(oldest), history=[_history_row(v) for v in newest],
        first_date=_iso(oldest[0].scan_date), last_date=_iso(latest.scan_date),
        next_dxa=_iso(next_dxa) if next_dxa else None,
        next_dxa_rule=interval[0] if interval and next_dxa else None,
        disclaimer=words()["disclaimer"],
        patient_id=_patient_id(latest.patient_id, mask_patient_id))


# --- one visit ----------------------------------------------------------------------------

def _visit(v: VisitView) -> dict[str, Any]:
    plan = v.plan
    return {
        "scan_date": _iso(v.scan_date), "rule_set": plan.rule_set,
        "rows": _decision_rows(v),
        "recommendations": [r.model_dump() for r in plan.recommendations],
        "measurements": [{"site": site_words(m.region, m.side, m.levels),
                          "bmd": _bmd(m.bmd_g_cm2), "t": score(m.t_score),
                          "z": score(m.z_score)} for m, _ in v.measurements()],
        "frax": _frax_words(v),
        "trend": [_trend_row(v, t) for t in plan.trend],
        "flags": _flags(plan.flags),
        "validation": ("Every value passed validation." if plan.validation.passed else
                       "Validation failed: " + ", ".join(plan.validation.failed_expectations)
                       + ". Those values were not used for the plan."),
        "notices": _notices(v),
        "sources": [f"{r.source.kind} {r.source.sha256[:12]}"
                    + (f" ({r.source.device})" if r.source.device else "") for r in v.reports],
    }


def _decision_rows(v: VisitView) -> list[dict[str, Any]]:
    plan = v.plan
    sources = {r.code: r.source for r in plan.recommendations}

    def cited(rule: str | None) -> str | None:
        return None if rule is None else sources.get(rule) or rule_source(plan.rule_set, rule)

    def row(label: str, text: str | None = None, why: tuple[str, str] | None = None,
            detail: str | None = None, entries: list | None = None,
            source: str | None = None) -> dict[str, Any]:
        rule = why[0] if why else None
        return {"label": label, "text": text, "rule": rule, "detail": detail,
                "entries": entries or [], "source": source or cited(rule)}

    rows = []
    category = v.explanation("classification")
    rows.append(row("Category", classification_words(v), category,
                    detail=category[1] if category and plan.lowest is None else None))
    therapy = v.explanation("pharmacotherapy")
    rows.append(row("Drug treatment", therapy_words(v), therapy,
                    detail=therapy[1] if therapy else None))
    items = [{"text": words()["plan_item"][r.code], "rule": r.code}
             for r in plan.recommendations if r.code in words()["plan_item"]]
    if items:
        rows.append(row("Non-drug measures", entries=items, source="; ".join(
            dict.fromkeys(s for i in items for s in sources[i["rule"]].split("; ")))))
    interval = v.explanation("repeat_dxa_months")
    due = v.next_dxa
    text = "Repeat DXA " + interval_words(plan.repeat_dxa_months)
    if due:
        text += f", around {due.isoformat()}"
    rows.append(row("Repeat DXA", text, interval))
    if plan.trend:
        since = sorted({t.prior_date for t in plan.trend if t.prior_date})
        parts = [f"{site_words(t.region, t.side, t.levels)}: "
                 f"{words()['trend_status'][t.status]}" for t in plan.trend]
        rules = sorted({why[0] for t in plan.trend
                        if (why := v.explanation(f"trend {trend_name(t)}"))})
        cites = [c for r in rules if (c := cited(r))]
        rows.append(row("Trend", "; ".join(parts),
                        (", ".join(rules), "") if rules else None,
                        detail=f"Against the scan of {', '.join(since)}" if since else None,
                        source="; ".join(dict.fromkeys(
                            s for c in cites for s in c.split("; "))) or None))
    return rows


def _trend_row(v: VisitView, t: TrendEntry) -> dict[str, Any]:
    why = v.explanation(f"trend {trend_name(t)}")
    prior = v.prior_bmd(t)
    return {"site": site_words(t.region, t.side, t.levels), "prior_date": t.prior_date or "-",
            "prior": _bmd(prior), "now": _bmd(v.bmd_at(t.region, t.side, t.levels)),
            "change": "-" if t.change_g_cm2 is None else f"{t.change_g_cm2:+.3f}",
            "lsc": _bmd(t.lsc_g_cm2), "lsc_source": t.lsc_source, "status": t.status,
            "status_words": words()["trend_status"][t.status],
            "rule": why[0] if why else None,
            "reason": why[1] if why and t.status == "not-comparable" else None}


def _flags(names: list[str]) -> list[dict[str, str | None]]:
    from planner.engine import flag_table

    table = flag_table()
    return [{"name": n, "rule": table.get(n, {}).get("rule"),
             "words": table.get(n, {}).get("words", "")} for n in names]


def _notices(v: VisitView) -> list[str]:
    out = []
    if not v.plan.validation.passed:
        out.append("Some values failed validation and were not used: the plan may be "
                   "indeterminate. See Validation below.")
    if v.plan.classification == "indeterminate":
        out.append("No category could be given from this scan: see the flags and the "
                   "recommendations for what is missing.")
    return out


def _frax_words(v: VisitView) -> str | None:
    frax = v.frax()
    if frax is None:
        return None
    parts = []
    if frax.major_osteoporotic_pct is not None:
        parts.append(f"major osteoporotic fracture {frax.major_osteoporotic_pct:.1f} %")
    if frax.hip_pct is not None:
        parts.append(f"hip fracture {frax.hip_pct:.1f} %")
    basis = {True: "with BMD", False: "without BMD", None: "BMD inclusion not stated"}
    return ", ".join(parts) + f" ({basis[frax.with_bmd]}"  + (
        f", {frax.country} model)" if frax.country else ")")


def _history_row(v: VisitView) -> dict[str, Any]:
    plan = v.plan
    category, therapy = v.explanation("classification"), v.explanation("pharmacotherapy")
    interval = v.explanation("repeat_dxa_months")
    due = v.next_dxa
    return {"scan_date": _iso(v.scan_date), "category": classification_words(v),
            "category_rule": category[0] if category else None,
            "therapy": therapy_words(v), "therapy_rule": therapy[0] if therapy else None,
            "repeat": interval_words(plan.repeat_dxa_months).removeprefix("in "),
            "repeat_rule": interval[0] if interval else None,
            "next_dxa": due.isoformat() if due else "-"}


# --- charts ---------------------------------------------------------------------------------

def _site_charts(oldest: list[VisitView]) -> list[dict[str, Any]]:
    keys: set[SiteKey] = set()
    for v in oldest:
        keys |= {(m.region, m.side, m.levels) for m, repeat in v.measurements()
                 if repeat == 0 and m.region in CHARTED_REGIONS and m.bmd_g_cm2 is not None}
    ordered = sorted(keys, key=lambda k: (CHARTED_REGIONS.index(k[0]), _SIDE_ORDER[k[1]],
                                          k[2] or ""))
    return [_site_chart(oldest, key, n) for n, key in enumerate(ordered)]


def _site_chart(oldest: list[VisitView], key: SiteKey, n: int) -> dict[str, Any]:
    region, side, levels = key
    name = site_words(region, side, levels)
    title = name[:1].upper() + name[1:]
    points, rows = [], []
    for v in oldest:
        bmd = v.bmd_at(*key)
        if bmd is None or v.scan_date is None:
            continue
        entry = _trend_entry(v, key)
        status = entry.status if entry else None
        points.append(Point(v.scan_date, bmd, status))
        rows.append({"date": v.scan_date.isoformat(), "bmd": _bmd(bmd),
                     "status": status or "baseline",
                     "words": _point_words(entry)})
    band, note = _band(oldest, key, points)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    chart_id = f"chart-{n}-{slug}"
    series = SiteSeries(slug=slug, title=title, points=tuple(points), band=band,
                        band_note=note)
    desc = (f"BMD at the {name} on {len(points)} visit{'s' if len(points) != 1 else ''}: "
            + "; ".join(f"{p.day.isoformat()} {p.bmd:.3f} g/cm\u00b2 "
                        f"({STATUS_STYLE.get(p.status, STATUS_STYLE[None])[2]})"
                        for p in points) + f". {note}")
    rows.reverse()  # newest first, as the rest of the page
    return {"id": chart_id, "title": title, "svg": site_chart_svg(series, chart_id, desc),
            "caption": note, "rows": rows, "points": len(points)}


def _band(oldest: list[VisitView], key: SiteKey,
          points: list[Point]) -> tuple[Band | None, str]:
    latest = next((v for v in reversed(oldest) if v.bmd_at(*key) is not None), None)
    entry = _trend_entry(latest, key) if latest else None
    if latest is None or latest.scan_date is None or entry is None or not entry.prior_date:
        return None, "No LSC band: the latest scan has no prior at this site to compare with."
    if entry.lsc_g_cm2 is None or entry.status == "not-comparable":
        return None, (f"No LSC band: the latest scan is not comparable with the prior of "
                      f"{entry.prior_date}.")
    prior_day = date.fromisoformat(entry.prior_date)
    center = next((p.bmd for p in points if p.day == prior_day), None)
    from_visit = center is not None
    if center is None:
        center = latest.prior_bmd(entry)
    if center is None:
        return None, "No LSC band: the prior's BMD is not known."
    band = Band(center=center, lsc=entry.lsc_g_cm2, start=prior_day, end=latest.scan_date,
                prior_is_visit=from_visit)
    source = f", {entry.lsc_source}" if entry.lsc_source else ""
    return band, (f"LSC band: {center:.3f} \u00b1 {entry.lsc_g_cm2:.3f} g/cm\u00b2 around the "
                  f"prior of {entry.prior_date}{source}; latest change "
                  f"{entry.change_g_cm2:+.3f} g/cm\u00b2: {words()['trend_status'][entry.status]}.")


def _trend_entry(v: VisitView, key: SiteKey) -> TrendEntry | None:
    return next((t for t in v.plan.trend if (t.region, t.side, t.levels) == key), None)


def _point_words(entry: TrendEntry | None) -> str:
    if entry is None:
        return "no prior to compare"
    status = words()["trend_status"][entry.status]
    if entry.change_g_cm2 is None:
        return f"{status} (prior {entry.prior_date})"
    return (f"{status}: {entry.change_g_cm2:+.3f} g/cm\u00b2 since {entry.prior_date}, "
            f"LSC {entry.lsc_g_cm2:.3f}")


# --- small words ----------------------------------------------------------------------------

def _date(v: VisitView) -> date:
    return v.scan_date or date.min


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "undated"


def _bmd(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _patient_id(pid: str | None, mask: bool) -> str | None:
    if pid is None or not mask:
        return pid
    return "\u2022" * max(len(pid) - 3, 3) + pid[-3:] if len(pid) > 4 else "\u2022" * 4
