"""The two public documents of CONTRACT.md as typed models.

`ReportDocument` is what a reader makes of one input file; `PlanDocument` is what the planner
makes of a report. Both serialise (``to_json``) to exactly the shape that
``shared/schemas/report.schema.json`` and ``plan.schema.json`` require: every required key is
present, a value the report does not give is ``null``, dates are ISO strings.

Optional fields beyond the contract (allowed by ``additionalProperties``) are declared here too,
so that every reader and rule sees one definition.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

SourceKind = Literal["dicom-sr", "dicom-pdf", "pdf", "text", "image-ocr"]
Region = Literal[
    "lumbar_spine",
    "vertebra",
    "femoral_neck",
    "total_hip",
    "trochanter",
    "intertrochanter",
    "wards",
    "femoral_shaft",
    "radius_33",
    "radius_mid",
    "radius_ultradistal",
    "radius_total",
    "ulna_33",
    "ulna_ultradistal",
    "forearm_total",
    "total_body",
]
Side = Literal["left", "right", "mean"] | None
Sex = Literal["F", "M"] | None
MenopausalStatus = Literal["pre", "peri", "post"] | None
TherapyStatus = Literal["untreated", "on_therapy"] | None
IsoDate = str | None  # "YYYY-MM-DD"; readers normalise every date they find to this form


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Source(_Model):
    path: str
    sha256: str
    kind: SourceKind
    vendor: str | None = None
    software: str | None = None
    device: str | None = None
    created: str | None = Field(
        default=None,
        description="When the object says it was made, ISO date-time (DICOM ContentDate and "
                    "ContentTime, else InstanceCreationDate and Time); among scans of one kind "
                    "in a visit the latest is the primary (a re-export supersedes).",
    )


class Patient(_Model):
    """Patient facts. There is deliberately no name field: a name is never output."""

    id: str | None = None
    sex: Sex = None
    birth_date: IsoDate = None
    age_years: float | None = None
    menopausal_status: MenopausalStatus = None
    height_cm: float | None = None
    weight_kg: float | None = None
    ethnicity: str | None = None


class Study(_Model):
    scan_date: IsoDate = None
    accession: str | None = None
    study_uid: str | None = None
    reference_database: str | None = None
    excluded_vertebrae: list[str] | None = None
    printed_category: str | None = Field(
        default=None,
        description="The WHO category the report itself prints (e.g. 'Osteopenia'), as written.",
    )


class Measurement(_Model):
    region: Region
    side: Side = None
    levels: str | None = None
    bmd_g_cm2: float | None = None
    t_score: float | None = None
    z_score: float | None = None
    young_adult_pct: float | None = None
    age_matched_pct: float | None = None
    bmc_g: float | None = None
    area_cm2: float | None = None


class Frax(_Model):
    major_osteoporotic_pct: float | None = None
    hip_pct: float | None = None
    with_bmd: bool | None = None
    country: str | None = Field(
        default=None, description="FRAX model as stated, e.g. 'US'; null when not stated."
    )
    tbs_adjusted: bool | None = None


class FractureHistory(_Model):
    hip: bool | None = None
    vertebral: bool | None = None
    other_fragility: bool | None = None


class Therapy(_Model):
    status: TherapyStatus = None
    current: str | None = None
    on_therapy_at_prior: bool | None = Field(
        default=None,
        description="True when the report states the current drug was taken at the prior scan.",
    )


class RiskFactors(_Model):
    """Clinical inputs some rules read; each is null unless the report states it."""

    smoker: bool | None = None
    alcohol_units_per_day: float | None = None
    glucocorticoids: bool | None = None
    rapid_bone_loss_conditions: list[str] | None = None
    height_loss_cm: float | None = None
    self_reported_vertebral_fracture: bool | None = None
    tbs: float | None = None


class Prior(_Model):
    scan_date: IsoDate
    region: Region
    side: Side = None
    levels: str | None = None
    bmd_g_cm2: float | None = None
    device: str | None = None
    cross_calibrated: bool | None = None


class Lsc(_Model):
    region: Region
    side: Side = None
    levels: str | None = None
    g_cm2: float


class ReportDocument(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    source: Source
    patient: Patient = Field(default_factory=Patient)
    study: Study = Field(default_factory=Study)
    measurements: list[Measurement] = Field(default_factory=list)
    frax: Frax | None = None
    fracture_history: FractureHistory = Field(default_factory=FractureHistory)
    therapy: Therapy = Field(default_factory=Therapy)
    risk_factors: RiskFactors = Field(default_factory=RiskFactors)
    priors: list[Prior] = Field(default_factory=list)
    lsc: list[Lsc] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    decimals: dict[str, int] | None = Field(
        default=None,
        description="How many decimals a value was printed with, by its field path "
                    "('measurements/2/t_score': 1, 'frax/hip_pct': 1), where the reader saw "
                    "the printed text: a number cannot keep it (0.620 == 0.62), and two scans "
                    "of a visit are compared at their printed precision (VIS-2).",
    )

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# --- plan document ----------------------------------------------------------------------------

ScoreType = Literal["T", "Z", "indeterminate"]
Classification = Literal[
    "normal",
    "low_bone_mass",
    "osteoporosis",
    "severe_osteoporosis",
    "below_expected_range_for_age",
    "within_expected_range_for_age",
    "pediatric",
    "indeterminate",
]
Pharmacotherapy = Literal["yes", "no", "needs-frax", "not-applicable", "indeterminate"]
TrendStatus = Literal["gain", "loss", "stable", "not-comparable"]


class ScanRef(_Model):
    sha256: str
    patient_id: str | None
    scan_date: IsoDate


class VisitRef(_Model):
    """The visit a plan is made for (CONTRACT.md, Tables): its key and its scans, primary
    first (the primary is ``scan.sha256``)."""

    key: str
    sources: list[str]


class Lowest(_Model):
    region: str
    side: Side
    score: float


class TrendEntry(_Model):
    region: str
    side: Side
    levels: str | None = None
    prior_date: IsoDate
    change_g_cm2: float | None
    lsc_g_cm2: float | None
    status: TrendStatus
    lsc_source: str | None = None


class Recommendation(_Model):
    code: str
    text: str
    source: str


class Explanation(_Model):
    """Why one value of the plan is what it is: the deciding rule and the inputs it read."""

    decision: str
    rule: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    reason: str


class Validation(_Model):
    passed: bool = True
    failed_expectations: list[str] = Field(default_factory=list)


class PlanDocument(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    rule_set: str
    scan: ScanRef
    score_type: ScoreType
    classification: Classification
    lowest: Lowest | None
    pharmacotherapy: Pharmacotherapy
    repeat_dxa_months: int | None
    trend: list[TrendEntry] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    validation: Validation = Field(default_factory=Validation)
    lsc_profile: str | None = None
    explanation: list[Explanation] = Field(default_factory=list)
    visit: VisitRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
