"""Synthetic visits for the output tests, built with the document models and planned with the
real planner. All values are invented; no real patient's data is here. The documents have no
name field: ``NAME_TOKENS`` is a made-up name written into every free-text field that is not
meant for output (file path, accession, reference database...), so a test can prove that none
of it reaches a Bundle or a page."""

from __future__ import annotations

import hashlib
import random
from datetime import date

from dexa.contract import (
    FractureHistory,
    Frax,
    Lsc,
    Measurement,
    Patient,
    Prior,
    ReportDocument,
    Source,
    Study,
    Therapy,
)
from dexa.outputs.visit import VisitView
from planner import make_plan

NAME_TOKENS = ("Zyxwandotte", "Quillibeth")  # a synthetic patient name, never output
NAME = f"{NAME_TOKENS[0]}^{NAME_TOKENS[1]}"
DEVICE = "Lunar iDXA ME+200123"


def sha(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def visit_key(report: ReportDocument) -> str:
    """A stand-in for the results tables' visit key (issue 16): patient id and scan date."""
    return f"{report.patient.id}|{report.study.scan_date}"


def _source(tag: str, kind: str = "dicom-sr") -> Source:
    return Source(path=f"exports/{NAME}/{tag}.dcm", sha256=sha(tag, kind), kind=kind,
                  vendor="GE Healthcare", software="enCORE 17", device=DEVICE)


def _study(scan_date: str, tag: str) -> Study:
    return Study(scan_date=scan_date, accession=f"ACC-{NAME}", study_uid=f"1.2.3.{tag}",
                 reference_database=f"USA (Combined NHANES/Lunar) {NAME}",
                 printed_category=f"Osteopenia ({NAME})")


def motivating_report(*, with_frax: bool = True, patient_id: str | None = "MRN001",
                      scan_date: str = "2024-03-14") -> ReportDocument:
    """The motivating case of clinical-rules.md with the CONTRACT.md example values: untreated
    postmenopausal woman; left femoral neck T -2.0 (BMD 0.618), left total hip T -1.1,
    L1-L4 T +0.1; prior scan 2021-05-02; FRAX 9.0 % / 1.6 % with BMD."""
    return ReportDocument(
        source=_source(f"motivating-{patient_id}-{scan_date}"),
        patient=Patient(id=patient_id, sex="F", birth_date="1956-02-01", age_years=68.1,
                        menopausal_status="post", height_cm=160.0, weight_kg=61.0,
                        ethnicity=NAME),
        study=_study(scan_date, "1"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.058, t_score=0.1,
                        z_score=1.4),
            Measurement(region="total_hip", side="left", bmd_g_cm2=0.808, t_score=-1.1,
                        z_score=0.2),
            Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.618, t_score=-2.0,
                        z_score=-0.6),
        ],
        frax=Frax(major_osteoporotic_pct=9.0, hip_pct=1.6, with_bmd=True, country="US")
        if with_frax else None,
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated", current=f"none ({NAME})"),
        priors=[
            Prior(scan_date="2021-05-02", region="lumbar_spine", levels="L1-L4",
                  bmd_g_cm2=1.021),
            Prior(scan_date="2021-05-02", region="total_hip", side="left", bmd_g_cm2=0.779),
            Prior(scan_date="2021-05-02", region="femoral_neck", side="left", bmd_g_cm2=0.612),
        ],
        lsc=[Lsc(region="lumbar_spine", levels="L1-L4", g_cm2=0.028)],
        warnings=[f"seen {NAME}"],
    )


def view(report: ReportDocument, *more: ReportDocument, key: str | None = None,
         earlier: tuple[VisitView, ...] = ()) -> VisitView:
    """A visit of ``report`` (the primary scan) and ``more`` scans, planned from the primary
    (the union of scans is the store's job, issue 16)."""
    return VisitView(key=key or visit_key(report), plan=make_plan(report),
                     reports=(report, *more), earlier=earlier)


# Four visits of one patient, two years apart. Per site: BMD and T-score at each visit.
# Femoral neck: loss, then no significant change, then a gain (fallback LSC 6.9 % of the prior);
# total hip: loss, then stable twice; spine: stable, gain, stable (facility LSC 0.028).
FOUR_DATES = ("2018-03-01", "2020-03-05", "2022-03-03", "2024-03-07")
FOUR_SITES = {
    ("lumbar_spine", None, "L1-L4"): ((1.050, 0.0), (1.060, 0.1), (1.100, 0.4), (1.095, 0.4)),
    ("femoral_neck", "left", None): ((0.660, -1.6), (0.612, -2.0), (0.605, -2.1),
                                     (0.650, -1.7)),
    ("total_hip", "left", None): ((0.850, -1.0), (0.800, -1.4), (0.810, -1.3), (0.812, -1.3)),
}


def four_visit_reports(patient_id: str = "MRN004") -> list[ReportDocument]:
    reports = []
    for i, day in enumerate(FOUR_DATES):
        age = round((date.fromisoformat(day) - date(1950, 6, 1)).days / 365.25, 1)
        measurements = [Measurement(region=r, side=s, levels=lv, bmd_g_cm2=values[i][0],
                                    t_score=values[i][1], z_score=round(values[i][1] + 1.2, 1))
                        for (r, s, lv), values in FOUR_SITES.items()]
        priors = [Prior(scan_date=FOUR_DATES[j], region=r, side=s, levels=lv,
                        bmd_g_cm2=values[j][0])
                  for j in range(i) for (r, s, lv), values in FOUR_SITES.items()]
        reports.append(ReportDocument(
            source=_source(f"four-{patient_id}-{day}"),
            patient=Patient(id=patient_id, sex="F", birth_date="1950-06-01", age_years=age,
                            menopausal_status="post"),
            study=_study(day, str(i)),
            measurements=measurements,
            frax=Frax(major_osteoporotic_pct=11.0 + i, hip_pct=1.8 + 0.3 * i, with_bmd=True,
                      country="US"),
            fracture_history=FractureHistory(hip=False, vertebral=False,
                                             other_fragility=False),
            therapy=Therapy(status="untreated"),
            priors=priors,
            lsc=[Lsc(region="lumbar_spine", levels="L1-L4", g_cm2=0.028)],
        ))
    return reports


def four_visits(patient_id: str = "MRN004") -> list[VisitView]:
    return [view(r) for r in four_visit_reports(patient_id)]


# Generated visits: one patient each, random sites, scores, FRAX and history facts.
REGIONS = [("lumbar_spine", None, "L1-L4"), ("lumbar_spine", None, "L2-L4"),
           ("femoral_neck", "left", None), ("femoral_neck", "right", None),
           ("femoral_neck", "mean", None), ("total_hip", "left", None),
           ("total_hip", "right", None), ("radius_33", "left", None),
           ("forearm_total", "right", None), ("trochanter", "left", None),
           ("vertebra", None, "L2"), ("total_body", None, None)]


def generated_report(rng: random.Random, n: int):
    base = motivating_report(patient_id=f"GEN{n:05d}", with_frax=rng.random() < 0.7,
                             scan_date=f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-"
                                       f"{rng.randint(1, 28):02d}")
    sites = rng.sample(REGIONS, rng.randint(1, 5))
    measurements = [Measurement(
        region=r, side=s, levels=lv,
        bmd_g_cm2=None if rng.random() < 0.1 else round(rng.uniform(0.45, 1.3), 3),
        t_score=None if rng.random() < 0.1 else round(rng.uniform(-4, 2), 1),
        z_score=None if rng.random() < 0.3 else round(rng.uniform(-3, 2), 1))
        for r, s, lv in sites]
    priors = [p.model_copy(update={"region": m.region, "side": m.side, "levels": m.levels,
                                   "bmd_g_cm2": round(rng.uniform(0.45, 1.3), 3)})
              for p, m in zip(base.priors, measurements, strict=False)]
    patient = base.patient.model_copy(update={
        "age_years": float(rng.choice([15, 35, 48, 55, 67, 80])),
        "birth_date": None, "sex": rng.choice(["F", "M", None]),
        "menopausal_status": rng.choice(["pre", "peri", "post", None])})
    therapy = base.therapy.model_copy(update={
        "status": rng.choice(["untreated", "on_therapy", None])})
    return base.model_copy(update={"measurements": measurements, "priors": priors,
                                   "patient": patient, "therapy": therapy})
