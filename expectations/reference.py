"""Reference data and tolerances behind the cross-field expectations (pure; no GX here).

Sources are in ``shared/dxa-formats.md`` §4; each constant says how sure it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

# Young-adult reference mean and SD (g/cm²) per scanner scale and site.
#   hologic: NHANES III white women 20-29, femoral neck and total hip (§4.2, confirmed);
#            spine derived from the GE value through Genant's Hol = 0.906·Lun − 0.025 (§4.4).
#   lunar:   NHANES III pushed through the Lu equations (§4.3, derived; agrees with the GE
#            sample reports to 0.006 g/cm²); spine from the GE YA% columns (§4.3, derived).
#   norland: NHANES III through the Lu equations (FN, TH); spine ≈ Hologic / 1.006 (§4.4).
REFERENCES: dict[str, dict[str, tuple[float, float]]] = {
    "hologic": {
        "femoral_neck": (0.858, 0.120),
        "total_hip": (0.942, 0.122),
        "lumbar_spine": (1.044, 0.109),
    },
    "lunar": {
        "femoral_neck": (1.038, 0.139),
        "total_hip": (1.008, 0.126),
        "lumbar_spine": (1.180, 0.120),
    },
    "norland": {
        "femoral_neck": (0.960, 0.132),
        "total_hip": (0.919, 0.122),
        "lumbar_spine": (1.038, 0.108),
    },
}

# Allowed |printed T − expected T|. Printed T and BMD are rounded (±0.05 T); Hologic uses
# LMS curves, not one mean/SD; spine references differ by scanner model (iDXA v17 L1-L4 1.285
# prints T 0.7 where 1.18/0.12 gives 0.9) and by level combination. Older software scores men
# against a male reference, which moves T by up to ~0.7 at normal BMD: men get extra room.
T_TOLERANCE = {"femoral_neck": 0.5, "total_hip": 0.5, "lumbar_spine": 0.6}
T_TOLERANCE_MALE_EXTRA = 0.3

# Printed WHO category (lower case) -> allowed lowest T; vendors classify the unrounded T.
CATEGORY_WORDS = {
    "normal": (-1.0, math.inf),
    "osteopenia": (-2.5, -1.0),
    "low bone mass": (-2.5, -1.0),
    "low bone density": (-2.5, -1.0),
    "osteoporosis": (-math.inf, -2.5),
    "severe osteoporosis": (-math.inf, -2.5),
    "established osteoporosis": (-math.inf, -2.5),
}
CATEGORY_TOLERANCE = 0.05
SIDE_BMD_TOLERANCE = 0.002  # a bilateral mean / spine composite vs its parts (g/cm²)
SIDE_T_TOLERANCE = 0.1  # a bilateral mean T vs the sides' T
OLDER_WOMEN_T_Z_TOLERANCE = 0.5  # T ≤ Z + this after 50 (GE weight-adjusts Z)

# Vendor words (lower case) found in source.vendor / device / software, per scale.
VENDOR_WORDS = {
    "lunar": ("lunar", "ge healthcare", "ge medical", "encore", "prodigy", "idxa", "dpx"),
    "hologic": ("hologic", "apex", "horizon", "discovery", "qdr", "delphi"),
    "norland": ("norland", "illuminatus"),
}

# Plausible BMD (g/cm²) per region, adults and children alike: far outside any real scan
# (a few SD beyond published ranges), so that only unit slips (mg/cm²), BMC or area read as
# BMD, or a T-score in the BMD column fail.
BMD_RANGE: dict[str, tuple[float, float]] = {
    "lumbar_spine": (0.30, 2.20),
    "vertebra": (0.25, 2.40),
    "femoral_neck": (0.20, 1.80),
    "total_hip": (0.20, 1.90),
    "trochanter": (0.15, 1.60),
    "intertrochanter": (0.20, 2.20),
    "wards": (0.10, 1.70),
    "femoral_shaft": (0.30, 2.60),
    "radius_33": (0.20, 1.30),
    "radius_mid": (0.15, 1.20),
    "radius_ultradistal": (0.10, 1.00),
    "radius_total": (0.15, 1.10),
    "ulna_33": (0.15, 1.30),
    "ulna_ultradistal": (0.10, 1.00),
    "forearm_total": (0.15, 1.10),
    "total_body": (0.40, 1.80),
}

# YA% (or PR%) against T: T = (YA − 100)/100 · mean/SD. mean/SD per site is 7.2-9.8 across
# the scales above; other regions get a wide band. AM% against Z uses the age-matched mean/SD,
# lower in older people. Printed % is an integer (±0.5 % ⇒ ±0.05 T).
RATIO_MARGIN = 0.15
GENERIC_T_RATIO = (4.0, 14.0)
GENERIC_Z_RATIO = (3.0, 14.0)
PCT_TOLERANCE = 0.25


# A stated reference database naming none of these is a local one (e.g. "Japan (JSBMR)",
# "Asia AP Spine"): its young-adult means are unknown here, so T against BMD is not judged.
US_REFERENCE_WORDS = ("usa", "nhanes", "u.s.", "united states", "white", "caucasian")


def judged_reference(reference_database: str | None) -> bool:
    """True when T-scores are against the US/NHANES references above (or nothing is stated)."""
    text = (reference_database or "").lower()
    return not text or any(word in text for word in US_REFERENCE_WORDS)


def scales_for(source_texts: Iterable[str | None]) -> tuple[str, ...]:
    """The scanner scales a scan may be on: its vendor's, or all of them when unknown."""
    text = " ".join(t for t in source_texts if t).lower()
    found = tuple(scale for scale, words in VENDOR_WORDS.items() if any(w in text for w in words))
    return found if len(found) == 1 else tuple(REFERENCES)


def expected_t_scores(region: str, bmd: float, scales: Iterable[str]) -> list[float]:
    """T-scores the BMD would have under each plausible reference (empty: no reference)."""
    out = []
    for scale in scales:
        ref = REFERENCES[scale].get(region)
        if ref:
            out.append((bmd - ref[0]) / ref[1])
    return out


def expected_t_range(region: str, bmd: float, scales: Iterable[str]) -> str | None:
    """The expected T-scores as text for a failure's detail, e.g. '-2.00' or '-2.32..-1.07'."""
    expected = expected_t_scores(region, bmd, scales)
    if not expected:
        return None
    lo, hi = min(expected), max(expected)
    return f"{lo:.2f}" if len(expected) == 1 else f"{lo:.2f}..{hi:.2f}"


def t_agrees_with_bmd(region: str, bmd: float, t: float, scales: tuple[str, ...],
                      male: bool) -> bool | None:
    """False only when T is inconsistent with BMD under every plausible reference."""
    expected = expected_t_scores(region, bmd, scales)
    if not expected:
        return None
    tolerance = T_TOLERANCE[region] + (T_TOLERANCE_MALE_EXTRA if male else 0.0)
    return any(abs(t - e) <= tolerance for e in expected)


def ratio_band(region: str, scales: tuple[str, ...]) -> tuple[float, float]:
    ratios = [REFERENCES[s][region][0] / REFERENCES[s][region][1]
              for s in scales if region in REFERENCES[s]]
    if not ratios:
        return GENERIC_T_RATIO
    return min(ratios) * (1 - RATIO_MARGIN), max(ratios) * (1 + RATIO_MARGIN)


def score_agrees_with_pct(score: float, pct: float, band: tuple[float, float]) -> bool:
    """Score within (pct − 100)/100 · [band] widened by PCT_TOLERANCE."""
    ends = [(pct - 100) / 100 * r for r in band]
    return min(ends) - PCT_TOLERANCE <= score <= max(ends) + PCT_TOLERANCE
