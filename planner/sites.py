"""§3.2: valid diagnostic sites, the spine composite used, `lowest`, and the SITE flags.

Vertebral T-scores are never averaged (SITE-3a): the composite is always a reported
`lumbar_spine` row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from dexa.contract import Measurement, ReportDocument
from planner.inputs import dec
from planner.ruleset import RuleSet, load_rule_set

Kind = Literal["T", "Z"]
HIP_REGIONS = ("femoral_neck", "total_hip")
# ties of `lowest`: femoral neck, total hip, lumbar spine, radius 33 %, then left, right, null
REGION_RANK = {region: rank for rank, region in enumerate(
    ("femoral_neck", "total_hip", "lumbar_spine", "radius_33", "total_body"))}
SIDE_RANK = {side: rank for rank, side in enumerate(("left", "right", None, "mean"))}
_PART = re.compile(r"^L(\d)(?:\s*[-\u2013\u2014]\s*L?(\d))?$", re.IGNORECASE)


@lru_cache(maxsize=256)
def parse_levels(text: str | None) -> frozenset[int] | None:
    """'L1-L4' -> {1,2,3,4}; 'L1,L3' -> {1,3}; 'L3' -> {3}; None or unreadable -> None."""
    if not text:
        return None
    levels: set[int] = set()
    for part in re.split(r"[,;/+&]|\band\b", text.strip()):
        match = _PART.match(part.strip())
        if not match:
            return None
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low:
            return None
        levels.update(range(low, high + 1))
    return frozenset(levels)


ALL_LUMBAR: frozenset[int] = frozenset(parse_levels("L1-L4") or ())  # SITE-1: L1-L4


def spine_levels_qualify(text: str | None) -> bool:
    """At least two vertebrae, all within L1-L4 (SITE-4); unstated levels are accepted."""
    if text is None:
        return True
    levels = parse_levels(text)
    return levels is not None and len(levels) >= 2 and levels <= ALL_LUMBAR


def excluded_levels(report: ReportDocument) -> frozenset[int]:
    found: set[int] = set()
    for item in report.study.excluded_vertebrae or []:
        found |= parse_levels(item) or set()
    return frozenset(found)


def spine_composite(report: ReportDocument) -> Measurement | None:
    """The `lumbar_spine` row used for diagnosis, `lowest`, SITE-3a and trend (§3.2)."""
    rows = [m for m in report.measurements
            if m.region == "lumbar_spine" and spine_levels_qualify(m.levels)]
    excluded = excluded_levels(report)
    if excluded:
        target = ALL_LUMBAR - excluded
        for m in rows:
            if parse_levels(m.levels) == target:
                return m
        for m in rows:
            levels = parse_levels(m.levels)
            if levels is not None and not levels & excluded:
                return m
        return None
    for m in rows:
        if parse_levels(m.levels) == ALL_LUMBAR:
            return m
    return rows[0] if rows else None


def diagnostic_rows(report: ReportDocument) -> list[tuple[int, Measurement]]:
    """Rows that may serve diagnosis: first FN/TH row per side (never `mean`), the spine
    composite, first `radius_33` row per side. Index = position in `measurements`."""
    composite = spine_composite(report)
    seen: set[tuple[str, str | None]] = set()
    rows: list[tuple[int, Measurement]] = []
    for i, m in enumerate(report.measurements):
        if m.region in (*HIP_REGIONS, "radius_33"):
            if m.side == "mean" or (m.region, m.side) in seen:
                continue
            seen.add((m.region, m.side))
            rows.append((i, m))
        elif m is composite:
            rows.append((i, m))
    return rows


@dataclass(frozen=True)
class Site:
    index: int
    measurement: Measurement
    score: Decimal

    @property
    def region(self) -> str:
        return self.measurement.region

    @property
    def side(self) -> str | None:
        return self.measurement.side

    def label(self) -> str:
        side = f"{self.side} " if self.side else ""
        levels = f" {self.measurement.levels}" if self.measurement.levels else ""
        return f"{side}{self.region.replace('_', ' ')}{levels}"


def _score(m: Measurement, kind: Kind) -> float | None:
    return m.t_score if kind == "T" else m.z_score


def valid_sites(report: ReportDocument, kind: Kind) -> list[Site]:
    """Valid diagnostic sites: diagnostic rows with a non-null score of the kind."""
    return [Site(i, m, dec(s)) for i, m in diagnostic_rows(report)
            if (s := _score(m, kind)) is not None]


def _rank(site: Site) -> tuple[Decimal, int, int, int]:
    return (site.score, REGION_RANK.get(site.region, 9), SIDE_RANK.get(site.side, 9), site.index)


def lowest_site(sites: list[Site]) -> Site | None:
    """Lowest score; ties: femoral neck, total hip, lumbar spine, radius 33 %, then left, right."""
    return min(sites, key=_rank) if sites else None


def pediatric_sites(report: ReportDocument) -> list[Site]:
    return [Site(i, m, dec(m.z_score)) for i, m in enumerate(report.measurements)
            if m.region in ("lumbar_spine", "total_body") and m.z_score is not None]


def of_regions(sites: list[Site], *regions: str) -> list[Site]:
    return [s for s in sites if s.region in regions]


def exclusion_candidate(report: ReportDocument, rules: RuleSet | None = None
                        ) -> tuple[str, str] | None:
    """SITE-3a: two adjacent levels inside the composite whose `vertebra` T-scores differ by
    more than SITE-3a's ``adjacent_t_difference_above`` (1.0; exact decimal difference)."""
    limit = (rules or load_rule_set()).param("SITE-3a", "adjacent_t_difference_above")
    composite = spine_composite(report)
    if composite is None:
        return None
    inside = parse_levels(composite.levels) if composite.levels else ALL_LUMBAR
    t_by_level: dict[int, Decimal] = {}
    for m in report.measurements:
        levels = parse_levels(m.levels) if m.region == "vertebra" else None
        if levels and len(levels) == 1 and m.t_score is not None:
            t_by_level.setdefault(next(iter(levels)), dec(m.t_score))
    for level in sorted(inside or ()):
        upper = level + 1
        if upper in (inside or ()) and level in t_by_level and upper in t_by_level \
                and abs(t_by_level[level] - t_by_level[upper]) > limit:
            return f"L{level}", f"L{upper}"
    return None


@dataclass(frozen=True)
class SiteFindings:
    flags: tuple[str, ...]
    rules: tuple[str, ...]  # SITE rows that fired
    notes: tuple[str, ...]


def site_findings(report: ReportDocument, kind: Kind, rules: RuleSet) -> SiteFindings:
    """SITE-3a, SITE-4, SITE-5, SITE-6, MISS-10 (composite levels) for a T- or Z-population."""
    flags: list[str] = []
    fired: list[str] = ["SITE-1", "SITE-2"]
    notes: list[str] = []
    sites = valid_sites(report, kind)
    composite = spine_composite(report)
    pair = exclusion_candidate(report, rules)
    if pair:
        limit = rules.param("SITE-3a", "adjacent_t_difference_above")
        flags.append("VERTEBRAL_EXCLUSION_CANDIDATE")
        fired += ["SITE-3", "SITE-3a"]
        notes.append(f"{pair[0]} and {pair[1]} differ by more than {limit} T; composite kept")
    has_vertebra = any(m.region == "vertebra" for m in report.measurements)
    if has_vertebra and not of_regions(sites, "lumbar_spine"):
        flags.append("SPINE_REANALYSIS_REQUIRED")
        fired.append("SITE-3a")
        notes.append("only per-vertebra values: vertebral T-scores are never averaged")
    single = [m for m in report.measurements if m.region == "lumbar_spine" and m.levels
              and (lv := parse_levels(m.levels)) is not None and len(lv) == 1]
    if single:
        fired.append("SITE-4")
        notes.append("a single-vertebra spine value is not used for diagnosis")
    if any(m.side == "mean" and m.region in HIP_REGIONS for m in report.measurements):
        fired.append("SITE-5")
        notes.append("bilateral mean hip row used for monitoring only")
    no_spine = not of_regions(sites, "lumbar_spine")
    no_hip = not of_regions(sites, *HIP_REGIONS)
    if (no_spine or no_hip) and not of_regions(sites, "radius_33"):
        flags.append("CONSIDER_33PCT_RADIUS")
        fired.append("SITE-6")
    if composite is not None and composite.levels is None:
        flags.append("SPINE_LEVELS_UNKNOWN")
        fired.append("MISS-10")
    return SiteFindings(tuple(flags), tuple(dict.fromkeys(fired)), tuple(notes))
