"""Report documents -> the frames GX validates, with the cross-field check columns (pure pandas).

Frames carry a row key (``scan``: position in the batch, ``item``: position in the report's
list) and measured values only: never a patient id, name or birth date (the birth-date checks
enter GX as booleans computed here), so none can reach GX results or Data Docs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from dexa.contract import Measurement, ReportDocument

from . import reference as ref
from .suites import DXA_ERA_START, LEVELS_PATTERN, MEASURED, SCAN_NUMBERS

HIP_SPINE = ("lumbar_spine", "femoral_neck", "total_hip")
DIAGNOSTIC = ("lumbar_spine", "femoral_neck", "total_hip", "radius_33")
NO_SIDE = ("lumbar_spine", "vertebra", "total_body")
_NUMBER_TYPES = (float, int)  # exact types: a bool is not a number here


def is_number(v: Any) -> bool:
    return type(v) in _NUMBER_TYPES and v == v  # v == v: not NaN


def parse_date(text: Any) -> date | None:
    """A ``YYYY-MM-DD`` date (the CONTRACT form only), else None."""
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def age_at(birth: date | None, scan: date | None) -> float | None:
    return (scan - birth).days / 365.25 if birth and scan else None


def level_set(levels: str | None) -> set[str] | None:
    """'L1-L4' -> {L1..L4}; 'L1,L3-L4' -> {L1, L3, L4}; None when not parseable."""
    if not levels:
        return None
    out: set[str] = set()
    for part in levels.split(","):
        m = re.fullmatch(r"L([1-5])(?:-L([1-5]))?", part.strip())
        if not m:
            return None
        lo, hi = int(m[1]), int(m[2] or m[1])
        out |= {f"L{i}" for i in range(lo, hi + 1)}
    return out


def _frame(rows: list[dict[str, Any]], numeric: Sequence[str]) -> pd.DataFrame:
    """Numeric columns become float64 (a non-number becomes NaN) beside a ``<column>_is_number``
    check column, so that range expectations never meet a string."""
    frame = pd.DataFrame(rows)
    for column in numeric:
        if column in frame:
            values = [r.get(column) for r in rows]
            checks = [None if v is None else is_number(v) for v in values]
            frame[f"{column}_is_number"] = pd.Series(checks, dtype="object")
            frame[column] = pd.Series([float(v) if ok else math.nan
                                       for v, ok in zip(values, checks, strict=True)],
                                      dtype="float64")
    return frame


# --- measurement rows ------------------------------------------------------------------------

def _within(value: Any, bounds: list[Any], tolerance: float) -> bool | None:
    bounds = [b for b in bounds if is_number(b)]
    if not is_number(value) or not bounds:
        return None
    return min(bounds) - tolerance <= value <= max(bounds) + tolerance


def _mean_between_sides(rows: list[Measurement], attr: str, tolerance: float) -> list[Any]:
    """Per row: for a bilateral mean row, whether its value lies between the sides'."""
    out: list[Any] = [None] * len(rows)
    for i, m in enumerate(rows):
        if m.side == "mean":
            sides = [getattr(o, attr) for o in rows
                     if o.region == m.region and o.side in ("left", "right")]
            sides = [v for v in sides if is_number(v)]
            out[i] = _within(getattr(m, attr), sides, tolerance) if len(sides) >= 2 else None
    return out


def _composite_within_vertebrae(rows: list[Measurement]) -> list[Any]:
    vertebrae = {m.levels: m.bmd_g_cm2 for m in rows if m.region == "vertebra"}
    out: list[Any] = [None] * len(rows)
    for i, m in enumerate(rows):
        levels = level_set(m.levels) if m.region == "lumbar_spine" else None
        if levels and len(levels) > 1 and levels <= vertebrae.keys():
            out[i] = _within(m.bmd_g_cm2, [vertebrae[v] for v in levels], ref.SIDE_BMD_TOLERANCE)
    return out


def _levels_match_region(m: Measurement) -> bool | None:
    """Well-formed levels (``levels_pattern`` judges the form) against the row's region."""
    if not isinstance(m.levels, str) or not re.fullmatch(LEVELS_PATTERN, m.levels):
        return None
    composite = "-" in m.levels or "," in m.levels
    if m.region == "vertebra":
        return not composite
    if m.region == "lumbar_spine":
        return composite
    return False


def _pct_check(score: Any, pct: Any, band: tuple[float, float]) -> bool | None:
    if not (is_number(score) and is_number(pct)):
        return None
    return ref.score_agrees_with_pct(score, pct, band)


def _measurement_row(m: Measurement, scales: tuple[str, ...], male: bool,
                     older_woman: bool) -> dict[str, Any]:
    bmd, t, z = m.bmd_g_cm2, m.t_score, m.z_score
    lo_hi = ref.BMD_RANGE.get(m.region)
    return {
        "region": m.region, "side": m.side, "levels": m.levels,
        **{k: getattr(m, k) for k in MEASURED},
        "scale": "/".join(scales),
        "expected_t": ref.expected_t_range(m.region, bmd, scales) if is_number(bmd) else None,
        "side_allowed_for_region": None if m.side is None else m.region not in NO_SIDE,
        "levels_match_region": _levels_match_region(m),
        "measurement_has_value": any(v is not None for v in (bmd, t, z)),
        "bmd_plausible_for_region": _within(bmd, list(lo_hi), 0.0) if lo_hi else None,
        "t_score_agrees_with_bmd": (
            ref.t_agrees_with_bmd(m.region, bmd, t, scales, male)
            if is_number(bmd) and is_number(t) and m.region in HIP_SPINE else None),
        "t_score_agrees_with_young_adult_pct": _pct_check(
            t, m.young_adult_pct, ref.ratio_band(m.region, scales)),
        "z_score_agrees_with_age_matched_pct": _pct_check(
            z, m.age_matched_pct, ref.GENERIC_Z_RATIO),
        "t_score_not_above_z_score_in_older_women": (
            t <= z + ref.OLDER_WOMEN_T_Z_TOLERANCE
            if older_woman and m.region in HIP_SPINE and is_number(t) and is_number(z)
            else None),
    }


def measurement_rows(scan: int, report: ReportDocument) -> list[dict[str, Any]]:
    src = report.source
    scales = (ref.scales_for((src.vendor, src.device, src.software))
              if ref.judged_reference(report.study.reference_database) else ())
    age = _age(report)
    male = report.patient.sex == "M"
    older_woman = report.patient.sex == "F" and age is not None and age >= 50
    ms = report.measurements
    rows = [{"scan": scan, "item": i, **_measurement_row(m, scales, male, older_woman)}
            for i, m in enumerate(ms)]
    across_rows = {  # checks that compare a row with other rows of the same report
        "mean_bmd_between_sides": _mean_between_sides(ms, "bmd_g_cm2", ref.SIDE_BMD_TOLERANCE),
        "mean_t_score_between_sides": _mean_between_sides(ms, "t_score", ref.SIDE_T_TOLERANCE),
        "spine_composite_within_vertebrae": _composite_within_vertebrae(ms),
    }
    for name, values in across_rows.items():
        for row, value in zip(rows, values, strict=True):
            row[name] = value
    return rows


# --- scan rows -------------------------------------------------------------------------------

def _age(report: ReportDocument) -> float | None:
    p = report.patient
    computed = age_at(parse_date(p.birth_date), parse_date(report.study.scan_date))
    return computed if computed is not None else (p.age_years if is_number(p.age_years) else None)


def lowest_t(report: ReportDocument) -> float | None:
    ts = [m.t_score for m in report.measurements
          if m.region in DIAGNOSTIC and is_number(m.t_score)]
    return min(ts) if ts else None


def _category_agrees(category: str | None, lowest: float | None) -> bool | None:
    interval = ref.CATEGORY_WORDS.get((category or "").strip().lower())
    if interval is None or lowest is None:
        return None
    lo, hi = interval
    return lo - ref.CATEGORY_TOLERANCE <= lowest <= hi + ref.CATEGORY_TOLERANCE


def scan_row(scan: int, report: ReportDocument, run_date: date) -> dict[str, Any]:
    p, study, frax = report.patient, report.study, report.frax
    scan_day, birth = parse_date(study.scan_date), parse_date(p.birth_date)
    computed_age = age_at(birth, scan_day)
    major, hip = (frax.major_osteoporotic_pct, frax.hip_pct) if frax else (None, None)
    lowest = lowest_t(report)
    return {
        "scan": scan,
        "source/kind": report.source.kind,
        "patient/sex": p.sex,
        "birth_date_format": None if p.birth_date is None else birth is not None,
        "scan_date_format": None if study.scan_date is None else scan_day is not None,
        "patient/age_years": p.age_years,
        "patient/menopausal_status": p.menopausal_status,
        "patient/height_cm": p.height_cm,
        "patient/weight_kg": p.weight_kg,
        "study/scan_date": study.scan_date,
        "study/printed_category": study.printed_category,
        "frax/major_osteoporotic_pct": major,
        "frax/hip_pct": hip,
        "therapy/status": report.therapy.status,
        "lowest_t": lowest,
        "scan_date_not_in_future": scan_day <= run_date if scan_day else None,
        "scan_date_in_dxa_era": scan_day >= date.fromisoformat(DXA_ERA_START)
        if scan_day else None,
        "scan_after_birth": scan_day > birth if scan_day and birth else None,
        "birth_within_120_years_of_scan": computed_age <= 120 if computed_age is not None
        else None,
        "age_agrees_with_dates": abs(computed_age - p.age_years) <= 1.0
        if computed_age is not None and is_number(p.age_years) else None,
        "frax_hip_not_above_major": hip <= major if is_number(hip) and is_number(major)
        else None,
        "printed_category_agrees_with_lowest_t": _category_agrees(study.printed_category, lowest),
    }


def prior_rows(scan: int, report: ReportDocument) -> list[dict[str, Any]]:
    scan_day = parse_date(report.study.scan_date)
    rows = []
    for i, prior in enumerate(report.priors):
        day = parse_date(prior.scan_date)
        lo_hi = ref.BMD_RANGE.get(prior.region)
        rows.append({
            "scan": scan, "item": i, "scan_date": prior.scan_date, "region": prior.region,
            "prior_date_format": None if prior.scan_date is None else day is not None,
            "side": prior.side, "levels": prior.levels, "bmd_g_cm2": prior.bmd_g_cm2,
            "bmd_plausible_for_region": _within(prior.bmd_g_cm2, list(lo_hi), 0.0)
            if lo_hi else None,
            "prior_before_scan": day < scan_day if day and scan_day else None,
        })
    return rows


def build_frames(reports: Sequence[ReportDocument], run_date: date) -> dict[str, pd.DataFrame]:
    measurements = [row for i, r in enumerate(reports) for row in measurement_rows(i, r)]
    priors = [row for i, r in enumerate(reports) for row in prior_rows(i, r)]
    scans = [scan_row(i, r, run_date) for i, r in enumerate(reports)]
    return {
        "measurements": _frame(measurements, MEASURED),
        "scans": _frame(scans, [*SCAN_NUMBERS, "lowest_t"]),
        "priors": _frame(priors, ["bmd_g_cm2"]),
    }
