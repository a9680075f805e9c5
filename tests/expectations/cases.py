"""Reports for the expectation tests: a rich, internally consistent GE Lunar report that
exercises every cross-field check, and helpers to change one value of a copy."""

from __future__ import annotations

from datetime import date
from typing import Any

from dexa.contract import Measurement, Prior, ReportDocument, Study
from tests.synth.cases import motivating_case

RUN_DATE = date(2025, 6, 1)


def rich_case() -> ReportDocument:
    """Motivating patient with vertebrae, both hips and their means, YA%/AM%, a trochanter and
    a radius row, a printed category and priors: every check applies and passes."""
    r = motivating_case()
    r.study = Study(scan_date="2024-03-14", reference_database="USA (Combined NHANES/Lunar)",
                    printed_category="Osteopenia")
    m = Measurement
    r.measurements = [
        m(region="vertebra", levels="L1", bmd_g_cm2=1.080, t_score=-0.8, z_score=0.4),   # 0
        m(region="vertebra", levels="L2", bmd_g_cm2=1.150, t_score=-0.3, z_score=0.9),   # 1
        m(region="vertebra", levels="L3", bmd_g_cm2=1.220, t_score=0.3, z_score=1.6),    # 2
        m(region="vertebra", levels="L4", bmd_g_cm2=1.250, t_score=0.6, z_score=1.9),    # 3
        m(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.187, t_score=0.1,          # 4
          z_score=1.4, young_adult_pct=101, age_matched_pct=115),
        m(region="femoral_neck", side="left", bmd_g_cm2=0.760, t_score=-2.0,            # 5
          z_score=-0.6, young_adult_pct=73, age_matched_pct=93),
        m(region="femoral_neck", side="right", bmd_g_cm2=0.800, t_score=-1.7),          # 6
        m(region="femoral_neck", side="mean", bmd_g_cm2=0.780, t_score=-1.9),           # 7
        m(region="total_hip", side="left", bmd_g_cm2=0.870, t_score=-1.1, z_score=0.2),  # 8
        m(region="total_hip", side="right", bmd_g_cm2=0.890, t_score=-0.9),             # 9
        m(region="total_hip", side="mean", bmd_g_cm2=0.880, t_score=-1.0),              # 10
        m(region="trochanter", side="left", bmd_g_cm2=0.650, bmc_g=5.66, area_cm2=9.76), # 11
        m(region="radius_33", side="left", bmd_g_cm2=0.700, t_score=-1.2),              # 12
    ]
    r.priors.append(Prior(scan_date="2019-04-01", region="radius_33", side="left",
                          bmd_g_cm2=0.710))
    return r


def changed(report: ReportDocument, path: str, value: Any) -> ReportDocument:
    """A deep copy of ``report`` with the value at a '/'-path replaced, unvalidated (so that
    values the model would refuse can be tested too)."""
    copy = report.model_copy(deep=True)
    *parents, last = path.split("/")
    node: Any = copy
    for part in parents:
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    setattr(node, last, value)  # the model does not validate assignment
    return copy


def changes(report: ReportDocument, **paths: Any) -> ReportDocument:
    """Several ``changed`` at once; keyword names use '__' for '/'."""
    for key, value in paths.items():
        report = changed(report, key.replace("__", "/"), value)
    return report
