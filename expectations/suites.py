"""The expectation suites as plain, reviewable definitions (no GX types here).

One suite per frame (see ``frames.py``): ``measurements`` (one row per measurement),
``scans`` (one row per report: the scan-level facts) and ``priors`` (one row per prior scan).
Each ``Check`` becomes one GX expectation. ``column`` is what GX reads; ``field`` is the frame
column holding the value as reported, whose document path names the failure (for a
measurement row ``measurements/<i>/<field>``; scan columns are already document paths). A
``whole_row`` failure names the row itself (``measurements/<i>``): a row without a region or
without any value has no single value to set aside.
Cross-field checks (``kind="true"``) read a boolean column that ``frames.py`` computes under
the same name: True = consistent, False = not, None = not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from dexa.contract import Region

from .reference import BMD_RANGE

Kind = Literal["between", "in_set", "not_null", "regex", "true"]
FRAMES = ("measurements", "scans", "priors")

REGIONS = list(Region.__args__)  # type: ignore[attr-defined]
SIDES = ["left", "right", "mean"]
LEVELS_PATTERN = r"^(?:T1[0-2]|L[1-5])(?:[-,](?:T1[0-2]|L[1-5]))*$"

T_BOUNDS = (-8.0, 8.0)  # real T/Z lie within ±6; beyond ±8 is a lost decimal point or column
PCT_BOUNDS = (20.0, 200.0)  # YA% / AM%: printed 40-160 in practice
AGE_BOUNDS = (0.0, 120.0)
HEIGHT_BOUNDS = (40.0, 250.0)  # cm; children are scanned too
WEIGHT_BOUNDS = (2.0, 350.0)  # kg
DXA_ERA_START = "1987-01-01"  # first commercial DXA scanners


@dataclass(frozen=True)
class Check:
    name: str
    frame: str
    column: str
    kind: Kind
    description: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str = ""  # defaults to ``column``
    detail_columns: tuple[str, ...] = ()
    whole_row: bool = False  # the failure names the row (``measurements/3``), not one value

    @property
    def value_column(self) -> str:
        return self.field or self.column


def _between(name: str, frame: str, column: str, bounds: tuple[float, float], what: str,
             strict_min: bool = False) -> Check:
    return Check(name, frame, column, "between", f"{what} within {bounds[0]:g}..{bounds[1]:g}",
                 {"min_value": bounds[0], "max_value": bounds[1], "strict_min": strict_min})


def _numeric(frame: str, columns: list[str], prefix: str = "") -> list[Check]:
    return [Check(f"{prefix}{c.rsplit('/', 1)[-1]}_is_number", frame, f"{c}_is_number", "true",
                  f"{c} is a number", field=c) for c in columns]


MEASURED = ["bmd_g_cm2", "t_score", "z_score", "young_adult_pct", "age_matched_pct", "bmc_g",
            "area_cm2"]

MEASUREMENT_CHECKS: list[Check] = [
    # structure
    Check("region_not_null", "measurements", "region", "not_null", "every row names its region",
          whole_row=True),
    Check("region_in_vocabulary", "measurements", "region", "in_set",
          "region is one of the CONTRACT regions", {"value_set": REGIONS}, whole_row=True),
    Check("side_in_vocabulary", "measurements", "side", "in_set",
          "side is left, right, mean or null", {"value_set": SIDES}),
    Check("levels_pattern", "measurements", "levels", "regex",
          "levels name vertebrae like L1-L4, L2-L4, L1,L3 or L3", {"regex": LEVELS_PATTERN}),
    Check("side_allowed_for_region", "measurements", "side_allowed_for_region", "true",
          "spine, vertebra and total-body rows carry no side", field="side",
          detail_columns=("region",)),
    Check("levels_match_region", "measurements", "levels_match_region", "true",
          "levels only on spine rows; one level on a vertebra row, a composite on a spine row",
          field="levels", detail_columns=("region",)),
    Check("measurement_has_value", "measurements", "measurement_has_value", "true",
          "a measurement gives at least one of BMD, T, Z", whole_row=True),
    *_numeric("measurements", MEASURED),
    # ranges
    _between("t_score_plausible", "measurements", "t_score", T_BOUNDS, "T-score"),
    _between("z_score_plausible", "measurements", "z_score", T_BOUNDS, "Z-score"),
    _between("young_adult_pct_plausible", "measurements", "young_adult_pct", PCT_BOUNDS, "YA %"),
    _between("age_matched_pct_plausible", "measurements", "age_matched_pct", PCT_BOUNDS, "AM %"),
    _between("bmc_plausible", "measurements", "bmc_g", (0.0, 5000.0), "BMC (g)", True),
    _between("area_plausible", "measurements", "area_cm2", (0.0, 3000.0), "area (cm²)", True),
    Check("bmd_plausible_for_region", "measurements", "bmd_plausible_for_region", "true",
          "BMD within the plausible range of its region: "
          + ", ".join(f"{r} {lo:g}-{hi:g}" for r, (lo, hi) in BMD_RANGE.items()),
          field="bmd_g_cm2", detail_columns=("region",)),
    # cross-field
    Check("t_score_agrees_with_bmd", "measurements", "t_score_agrees_with_bmd", "true",
          "T-score matches BMD under the vendor's young-adult reference (all plausible "
          "references when the vendor is unknown), FN/TH within 0.5, spine within 0.6 "
          "(+0.3 for men)", field="t_score",
          detail_columns=("region", "bmd_g_cm2", "scale", "expected_t")),
    Check("t_score_agrees_with_young_adult_pct", "measurements",
          "t_score_agrees_with_young_adult_pct", "true",
          "T ≈ (YA% − 100)/100 · mean/SD of the site's reference, within 0.25",
          field="t_score", detail_columns=("region", "young_adult_pct")),
    Check("z_score_agrees_with_age_matched_pct", "measurements",
          "z_score_agrees_with_age_matched_pct", "true",
          "Z ≈ (AM% − 100)/100 · mean/SD, mean/SD between 3 and 14, within 0.25",
          field="z_score", detail_columns=("region", "age_matched_pct")),
    Check("t_score_not_above_z_score_in_older_women", "measurements",
          "t_score_not_above_z_score_in_older_women", "true",
          "women aged 50 or more: T ≤ Z + 0.5 at spine and hip (T above Z means swapped columns)",
          field="t_score", detail_columns=("region", "z_score")),
    Check("mean_bmd_between_sides", "measurements", "mean_bmd_between_sides", "true",
          "a bilateral mean BMD lies between the left and right BMD (±0.002)",
          field="bmd_g_cm2", detail_columns=("region",)),
    Check("mean_t_score_between_sides", "measurements", "mean_t_score_between_sides", "true",
          "a bilateral mean T-score lies between the left and right T-scores (±0.1)",
          field="t_score", detail_columns=("region",)),
    Check("spine_composite_within_vertebrae", "measurements",
          "spine_composite_within_vertebrae", "true",
          "a spine composite BMD lies within the BMDs of its vertebrae (±0.002)",
          field="bmd_g_cm2", detail_columns=("levels",)),
]

SCAN_NUMBERS = ["patient/age_years", "patient/height_cm", "patient/weight_kg",
                "frax/major_osteoporotic_pct", "frax/hip_pct"]

SCAN_CHECKS: list[Check] = [
    # structure
    Check("scan_date_not_null", "scans", "study/scan_date", "not_null", "the scan date is given"),
    Check("scan_date_format", "scans", "scan_date_format", "true",
          "scan date is a valid YYYY-MM-DD date", field="study/scan_date"),
    Check("birth_date_format", "scans", "birth_date_format", "true",
          "birth date is a valid YYYY-MM-DD date", field="patient/birth_date"),
    Check("source_kind_in_vocabulary", "scans", "source/kind", "in_set",
          "source kind is one of the CONTRACT kinds",
          {"value_set": ["dicom-sr", "dicom-pdf", "pdf", "text", "image-ocr"]}),
    Check("sex_in_vocabulary", "scans", "patient/sex", "in_set", "sex is F, M or null",
          {"value_set": ["F", "M"]}),
    Check("menopausal_status_in_vocabulary", "scans", "patient/menopausal_status", "in_set",
          "menopausal status is pre, peri, post or null", {"value_set": ["pre", "peri", "post"]}),
    Check("therapy_status_in_vocabulary", "scans", "therapy/status", "in_set",
          "therapy status is untreated, on_therapy or null",
          {"value_set": ["untreated", "on_therapy"]}),
    *_numeric("scans", SCAN_NUMBERS),
    # ranges
    _between("age_plausible", "scans", "patient/age_years", AGE_BOUNDS, "age (years)"),
    _between("height_plausible", "scans", "patient/height_cm", HEIGHT_BOUNDS, "height (cm)"),
    _between("weight_plausible", "scans", "patient/weight_kg", WEIGHT_BOUNDS, "weight (kg)"),
    _between("frax_major_plausible", "scans", "frax/major_osteoporotic_pct", (0.0, 100.0),
             "FRAX major osteoporotic (%)"),
    _between("frax_hip_plausible", "scans", "frax/hip_pct", (0.0, 100.0), "FRAX hip (%)"),
    # dates
    Check("scan_date_not_in_future", "scans", "scan_date_not_in_future", "true",
          "the scan date is not after the date of the run", field="study/scan_date"),
    Check("scan_date_in_dxa_era", "scans", "scan_date_in_dxa_era", "true",
          f"the scan date is on or after {DXA_ERA_START}", field="study/scan_date"),
    Check("scan_after_birth", "scans", "scan_after_birth", "true",
          "the scan date is after the birth date", field="patient/birth_date"),
    Check("birth_within_120_years_of_scan", "scans", "birth_within_120_years_of_scan", "true",
          "the birth date is at most 120 years before the scan", field="patient/birth_date"),
    Check("age_agrees_with_dates", "scans", "age_agrees_with_dates", "true",
          "the stated age is within one year of the age from birth and scan dates",
          field="patient/age_years"),
    # cross-field
    Check("frax_hip_not_above_major", "scans", "frax_hip_not_above_major", "true",
          "FRAX hip probability is not above the major osteoporotic one (hip ⊂ major)",
          field="frax/hip_pct", detail_columns=("frax/major_osteoporotic_pct",)),
    Check("printed_category_agrees_with_lowest_t", "scans",
          "printed_category_agrees_with_lowest_t", "true",
          "the report's printed WHO category matches its lowest spine/hip/radius-33% T "
          "(normal ≥ −1.0 > low bone mass > −2.5 ≥ osteoporosis, ±0.05)",
          field="study/printed_category", detail_columns=("lowest_t",)),
]

PRIOR_CHECKS: list[Check] = [
    Check("prior_date_format", "priors", "prior_date_format", "true",
          "prior scan date is a valid YYYY-MM-DD date", field="scan_date"),
    Check("prior_region_in_vocabulary", "priors", "region", "in_set",
          "prior region is one of the CONTRACT regions", {"value_set": REGIONS}, whole_row=True),
    *_numeric("priors", ["bmd_g_cm2"], prefix="prior_"),
    Check("prior_bmd_plausible_for_region", "priors", "bmd_plausible_for_region", "true",
          "prior BMD within the plausible range of its region", field="bmd_g_cm2",
          detail_columns=("region",)),
    Check("prior_before_scan", "priors", "prior_before_scan", "true",
          "a prior scan is dated before the current scan", field="scan_date"),
]

CHECKS: dict[str, list[Check]] = {
    "measurements": MEASUREMENT_CHECKS,
    "scans": SCAN_CHECKS,
    "priors": PRIOR_CHECKS,
}
