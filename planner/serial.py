"""§3.9 serial comparison: one trend entry per monitored site against the most recent prior
(SER-1..8, MISS-6, MISS-7, MISS-10). BMD only, exact decimal differences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dexa.contract import Measurement, Prior, ReportDocument, TrendEntry
from planner.devices import device_key, same_device
from planner.inputs import dec, parse_date, round3
from planner.profiles import LscProfile
from planner.ruleset import RuleSet, load_rule_set
from planner.sites import ALL_LUMBAR, parse_levels, spine_composite

TREND_REGIONS = ("femoral_neck", "total_hip", "radius_33")


@dataclass(frozen=True)
class Trend:
    entry: TrendEntry
    rule: str  # the rule that decided the status
    reason: str
    flags: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    other_device: bool = False


def _same_levels(region: str, a: str | None, b: str | None) -> bool:
    if region == "lumbar_spine" and a is not None and b is not None:
        return parse_levels(a) == parse_levels(b)
    return a == b


def monitored_rows(report: ReportDocument) -> list[Measurement]:
    """The spine composite used and the first FN/TH/radius-33 row per side (mean included),
    each with a BMD, in report order."""
    composite = spine_composite(report)
    seen: set[tuple[str, str | None]] = set()
    rows = []
    for m in report.measurements:
        if m.bmd_g_cm2 is None:
            continue
        if m.region in TREND_REGIONS and (m.region, m.side) not in seen:
            seen.add((m.region, m.side))
            rows.append(m)
        elif m is composite:
            rows.append(m)
    return rows


def choose_prior(m: Measurement, priors: Iterable[Prior], scan: date | None
                 ) -> tuple[Prior | None, bool]:
    """Most recent prior before the scan date with the same region and side; the same levels
    preferred. Returns (prior, same_levels)."""
    dated = [(d, p) for p in priors
             if p.region == m.region and p.side == m.side and p.bmd_g_cm2 is not None
             and (d := parse_date(p.scan_date)) is not None and (scan is None or d < scan)]
    same = [x for x in dated if _same_levels(m.region, x[1].levels, m.levels)]
    for pool, matched in ((same, True), (dated, False)):
        if pool:
            return max(pool, key=lambda x: x[0])[1], matched
    return None, False


def _matching(rows: Iterable[tuple[str, str | None, str | None, Decimal]], m: Measurement
              ) -> Decimal | None:
    """LSC row of the same region and levels whose side equals the entry's (preferred) or is
    null; a `lumbar_spine` LSC with null levels reads as L1-L4."""
    candidates = []
    for region, side, levels, value in rows:
        if region != m.region or side not in (m.side, None):
            continue
        if region == "lumbar_spine":
            if (parse_levels(levels) if levels else ALL_LUMBAR) != parse_levels(m.levels):
                continue
        elif levels != m.levels:
            continue
        candidates.append((side != m.side, value))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _device_comparable(report: ReportDocument, prior: Prior) -> bool:
    if prior.cross_calibrated is not None:
        return prior.cross_calibrated
    if prior.device is None:
        return True
    current = report.source.device or report.source.vendor
    return current is not None and same_device(device_key(current, report.source.vendor),
                                               device_key(prior.device))


def _entry(m: Measurement, prior: Prior, change: Decimal | None, lsc: Decimal | None,
           status: str, lsc_source: str | None) -> TrendEntry:
    return TrendEntry(region=m.region, side=m.side, levels=m.levels, prior_date=prior.scan_date,
                      change_g_cm2=None if change is None else float(change),
                      lsc_g_cm2=None if lsc is None else float(lsc), status=status,
                      lsc_source=lsc_source)


def compare(report: ReportDocument, m: Measurement, prior: Prior, same_levels: bool,
            profile: LscProfile | None, rules: RuleSet | None = None) -> Trend:
    """Status of one site against its prior (the SER-6 fallback from ``rules``, by default
    bhof-2022)."""
    spine = m.region == "lumbar_spine"
    levels_flag = ("SPINE_LEVELS_UNKNOWN",) if spine and None in (m.levels, prior.levels) else ()
    if levels_flag:
        return Trend(_entry(m, prior, None, None, "not-comparable", None), "MISS-10",
                     "vertebral levels not stated", levels_flag)
    if not same_levels:
        return Trend(_entry(m, prior, None, None, "not-comparable", None), "SER-2",
                     f"prior levels {prior.levels} differ from {m.levels}")
    if not _device_comparable(report, prior):
        return Trend(_entry(m, prior, None, None, "not-comparable", None), "MISS-6",
                     f"prior scanner {prior.device!r} differs from {report.source.device!r} "
                     "without cross-calibration", fired=("SER-2",), other_device=True)
    lsc, source, flags, fired = _lsc(report, m, prior, profile, rules or load_rule_set())
    if lsc is None:
        return Trend(_entry(m, prior, None, None, "not-comparable", None), "MISS-7",
                     "no LSC for this site (no facility value, no SER-6 fallback)",
                     ("LSC_UNAVAILABLE",), fired)
    change = dec(m.bmd_g_cm2) - dec(prior.bmd_g_cm2)  # type: ignore[arg-type]
    status = "loss" if change <= -lsc else "gain" if change >= lsc else "stable"
    reason = (f"BMD {m.bmd_g_cm2} vs {prior.bmd_g_cm2} on {prior.scan_date}: change {change}, "
              f"LSC {lsc} ({source})")
    return Trend(_entry(m, prior, change, lsc, status, source), "SER-5", reason, flags,
                 ("SER-1", "SER-3", *fired))


def _lsc(report: ReportDocument, m: Measurement, prior: Prior, profile: LscProfile | None,
         rules: RuleSet) -> tuple[Decimal | None, str | None, tuple[str, ...], tuple[str, ...]]:
    reported = _matching(((r.region, r.side, r.levels, dec(r.g_cm2)) for r in report.lsc), m)
    if reported is not None:
        return reported, "report", (), ()
    if profile is not None:
        value = _matching(((s.region, s.side, s.levels, s.g_cm2) for s in profile.sites), m)
        if value is not None:
            return value, f"profile:{profile.name}", (), ()
    pct = rules.param("SER-6", "lsc_pct").get(m.region)  # SER-4's LSC % (U)
    if pct is None or (m.region == "lumbar_spine" and parse_levels(m.levels) != ALL_LUMBAR):
        return None, None, (), ("SER-7",) if m.region == "lumbar_spine" else ()
    value = round3(pct / 100 * dec(prior.bmd_g_cm2))  # type: ignore[arg-type]
    return value, "fallback-SER-6", ("LSC_FALLBACK",), ("SER-6", "SER-4", "MISS-7")


def trends(report: ReportDocument, profile: LscProfile | None, rules: RuleSet) -> list[Trend]:
    scan = parse_date(report.study.scan_date)
    found = []
    for m in monitored_rows(report):
        prior, same_levels = choose_prior(m, report.priors, scan)
        if prior is not None:
            trend = compare(report, m, prior, same_levels, profile, rules)
            if m.side == "mean" or m.region == "total_hip":
                trend = Trend(trend.entry, trend.rule, f"{trend.reason}; preferred monitoring "
                              "site (mean bilateral total hip, else total hip)", trend.flags,
                              (*trend.fired, "SER-8"), trend.other_device)
            found.append(trend)
    return found
