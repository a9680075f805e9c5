"""Synthetic report documents for planner tests, built with the pydantic models."""

from __future__ import annotations

from typing import Any

from dexa.contract import (
    FractureHistory,
    Frax,
    Lsc,
    Measurement,
    Patient,
    PlanDocument,
    Prior,
    ReportDocument,
    RiskFactors,
    Source,
    Study,
    Therapy,
)
from planner import evaluate
from planner.engine import Evaluation
from tests.conftest import assert_valid_plan

SHA = "a" * 64
UNSET: Any = object()


def m(region: str, t: float | None = None, *, side: str | None = None, z: float | None = None,
      bmd: float | None = None, levels: str | None = None) -> Measurement:
    return Measurement(region=region, side=side, levels=levels, t_score=t, z_score=z,
                       bmd_g_cm2=bmd)


def hip_and_spine(fn: float | None = -1.2, th: float | None = -0.8, ls: float | None = 0.1,
                  side: str = "left") -> list[Measurement]:
    return [m("lumbar_spine", ls, levels="L1-L4", bmd=1.1), m("femoral_neck", fn, side=side,
            bmd=0.7), m("total_hip", th, side=side, bmd=0.85)]


def report(*, age: float | None = 70.5, sex: str | None = "F", status: str | None = "post",
           birth_date: str | None = None, scan_date: str | None = "2024-03-14",
           measurements: list[Measurement] | None = None,
           frax: tuple[float | None, float | None] | None = (5.0, 1.0),
           with_bmd: bool | None = True, country: str | None = "US",
           fx: tuple[bool | None, bool | None, bool | None] = (False, False, False),
           therapy: str | None = "untreated", on_therapy_at_prior: bool | None = None,
           priors: list[Prior] | None = None, lsc: list[Lsc] | None = None,
           risk: dict[str, Any] | None = None, device: str | None = "Lunar iDXA ME+200123",
           reference: str | None = None, excluded: list[str] | None = None) -> ReportDocument:
    return ReportDocument(
        source=Source(path="synthetic", sha256=SHA, kind="text", vendor="GE Healthcare",
                      device=device),
        patient=Patient(id="SYN", sex=sex, birth_date=birth_date, age_years=age,
                        menopausal_status=status),
        study=Study(scan_date=scan_date, reference_database=reference,
                    excluded_vertebrae=excluded),
        measurements=hip_and_spine() if measurements is None else measurements,
        frax=None if frax is None else Frax(major_osteoporotic_pct=frax[0], hip_pct=frax[1],
                                            with_bmd=with_bmd, country=country),
        fracture_history=FractureHistory(hip=fx[0], vertebral=fx[1], other_fragility=fx[2]),
        therapy=Therapy(status=therapy, current="alendronate" if therapy == "on_therapy"
                        else None, on_therapy_at_prior=on_therapy_at_prior),
        risk_factors=RiskFactors(**(risk or {})),
        priors=priors or [],
        lsc=lsc or [],
    )


def prior(region: str, bmd: float, *, side: str | None = None, levels: str | None = None,
          date: str = "2022-03-01", device: str | None = None,
          cross_calibrated: bool | None = None) -> Prior:
    return Prior(scan_date=date, region=region, side=side, levels=levels, bmd_g_cm2=bmd,
                 device=device, cross_calibrated=cross_calibrated)


def run(doc: ReportDocument, **kwargs: Any) -> Evaluation:
    """Evaluate and check the plan against the CONTRACT schema."""
    result = evaluate(doc, **kwargs)
    assert_valid_plan(result.plan.to_dict())
    return result


def plan(doc: ReportDocument, **kwargs: Any) -> PlanDocument:
    return run(doc, **kwargs).plan


def codes(p: PlanDocument) -> list[str]:
    return [r.code for r in p.recommendations]


def text(p: PlanDocument, code: str) -> str:
    return next(r.text for r in p.recommendations if r.code == code)
