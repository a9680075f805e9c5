"""Synthetic report cases, written as the report documents a reader should produce.

Every writer in ``tests.synth`` renders one of these into a file format (an SR, a vendor PDF
layout, a dictated text); the golden tests parse that file and compare with the case. All
values are invented; no real patient's data is here.
"""

from __future__ import annotations

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

PLACEHOLDER_SHA = "0" * 64


def _source(vendor: str = "GE Healthcare", device: str = "Lunar iDXA ME+200123",
            software: str = "enCORE 17") -> Source:
    return Source(path="", sha256=PLACEHOLDER_SHA, kind="dicom-sr", vendor=vendor,
                  software=software, device=device)


def motivating_case(*, with_frax: bool = True, with_prior: bool = True) -> ReportDocument:
    """Postmenopausal woman: left femoral neck T -2.0, left total hip T -1.1, L1-L4 T +0.1,
    improved since 2021 except the femoral neck; FRAX below both BHOF thresholds."""
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0001", sex="F", birth_date="1956-02-01", age_years=68.1,
                        menopausal_status="post", height_cm=160.0, weight_kg=61.0,
                        ethnicity="White"),
        study=Study(scan_date="2024-03-14", accession="ACC0001",
                    study_uid="1.2.826.0.1.3680043.8.498.1001",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            Measurement(region="lumbar_spine", side=None, levels="L1-L4", bmd_g_cm2=1.187,
                        t_score=0.1, z_score=1.4),
            Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.760, t_score=-2.0,
                        z_score=-0.6),
            Measurement(region="total_hip", side="left", bmd_g_cm2=0.870, t_score=-1.1,
                        z_score=0.2),
        ],
        frax=Frax(major_osteoporotic_pct=9.0, hip_pct=1.6, with_bmd=True, country="US")
        if with_frax else None,
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated", current=None),
        priors=[
            Prior(scan_date="2021-05-02", region="lumbar_spine", side=None, levels="L1-L4",
                  bmd_g_cm2=1.150),
            Prior(scan_date="2021-05-02", region="femoral_neck", side="left", bmd_g_cm2=0.754),
            Prior(scan_date="2021-05-02", region="total_hip", side="left", bmd_g_cm2=0.822),
        ] if with_prior else [],
        lsc=[Lsc(region="lumbar_spine", side=None, levels="L1-L4", g_cm2=0.028)],
    )


def osteoporosis_case() -> ReportDocument:
    """Postmenopausal woman, 74, spine T -2.8, vertebral fracture; on alendronate. Hologic
    scale (femur T-scores against NHANES III 0.858/0.120 and 0.942/0.122)."""
    return ReportDocument(
        source=_source(vendor="Hologic", device="Horizon A (S/N 301234M)",
                       software="APEX 13.6.0.5"),
        patient=Patient(id="SYN0002", sex="F", birth_date="1950-07-19", age_years=74.3,
                        menopausal_status="post", height_cm=154.0, weight_kg=52.0),
        study=Study(scan_date="2024-11-05", accession="ACC0002",
                    reference_database="NHANES III / Hologic"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=0.739, t_score=-2.8,
                        z_score=-1.0),
            Measurement(region="femoral_neck", side="right", bmd_g_cm2=0.570, t_score=-2.4,
                        z_score=-0.7),
            Measurement(region="total_hip", side="right", bmd_g_cm2=0.698, t_score=-2.0,
                        z_score=-0.5),
        ],
        frax=Frax(major_osteoporotic_pct=24.0, hip_pct=5.1, with_bmd=True, country="US"),
        fracture_history=FractureHistory(hip=False, vertebral=True, other_fragility=None),
        therapy=Therapy(status="on_therapy", current="alendronate"),
    )


def normal_man_case() -> ReportDocument:
    """Man, 62, all sites normal; no FRAX needed."""
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0003", sex="M", birth_date="1962-01-10", age_years=62.6,
                        height_cm=178.0, weight_kg=82.0),
        study=Study(scan_date="2024-08-20", accession="ACC0003",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.262, t_score=0.6,
                        z_score=0.5),
            Measurement(region="femoral_neck", side="left", bmd_g_cm2=1.021, t_score=-0.2,
                        z_score=0.4),
            Measurement(region="total_hip", side="left", bmd_g_cm2=1.050, t_score=0.3,
                        z_score=0.6),
        ],
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated"),
    )


def premenopausal_z_case() -> ReportDocument:
    """Premenopausal woman, 38: read by Z-score; spine Z -2.1 (below the expected range)."""
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0004", sex="F", birth_date="1986-04-30", age_years=38.4,
                        menopausal_status="pre", height_cm=167.0, weight_kg=55.0),
        study=Study(scan_date="2024-09-30", accession="ACC0004",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=0.951, t_score=-2.0,
                        z_score=-2.1),
            Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.902, t_score=-1.0,
                        z_score=-1.1),
            Measurement(region="total_hip", side="left", bmd_g_cm2=0.935, t_score=-0.5,
                        z_score=-0.6),
        ],
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated"),
    )


def no_frax_low_bone_mass_case() -> ReportDocument:
    """Man, 71, low bone mass at the right total hip, FRAX not reported -> needs-frax."""
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0005", sex="M", birth_date="1953-05-05", age_years=71.2,
                        height_cm=172.0, weight_kg=70.0),
        study=Study(scan_date="2024-07-22", accession="ACC0005",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L2-L4", bmd_g_cm2=1.101, t_score=-0.7,
                        z_score=-0.4),
            Measurement(region="femoral_neck", side="right", bmd_g_cm2=0.842, t_score=-1.4,
                        z_score=-0.2),
            Measurement(region="total_hip", side="right", bmd_g_cm2=0.848, t_score=-1.3,
                        z_score=-0.3),
        ],
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=None),
        therapy=Therapy(status="untreated"),
    )


ALL_CASES = {
    "motivating": motivating_case,
    "osteoporosis": osteoporosis_case,
    "normal_man": normal_man_case,
    "premenopausal_z": premenopausal_z_case,
    "no_frax": no_frax_low_bone_mass_case,
}


# --- visits: the objects a site sends for one study (issue 16) ---------------------------------

def split_visit_case(part: str) -> ReportDocument:
    """One visit sent as two SRs (``part`` "spine" or "hip"): woman, 66, spine T -2.7
    (osteoporosis) in one object, hip T -1.4 at worst (low bone mass) in the other; FRAX only
    with the hip. Planned from both, the visit is osteoporosis; the hip alone would not be."""
    spine = [Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=0.851, t_score=-2.7,
                         z_score=-1.7)]
    hip = [Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.832, t_score=-1.4,
                       z_score=-0.4),
           Measurement(region="total_hip", side="left", bmd_g_cm2=0.882, t_score=-1.0,
                       z_score=0.0)]
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0006", sex="F", birth_date="1958-06-12", age_years=66.3,
                        menopausal_status="post", height_cm=158.0, weight_kg=57.0),
        study=Study(scan_date="2024-10-08", accession="ACC0006",
                    study_uid="1.2.826.0.1.3680043.8.498.1006",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=spine if part == "spine" else hip,
        frax=Frax(major_osteoporotic_pct=14.0, hip_pct=2.1, with_bmd=True, country="US")
        if part == "hip" else None,
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated"),
    )


def conflicting_visit_case(printout: bool) -> ReportDocument:
    """One visit sent as an SR and a PDF printout that disagree at the left femoral neck (the
    printout from a re-analysis: T -2.6 against the SR's -2.0). The SR is the primary: its
    values are used and the visit is flagged SOURCE_CONFLICT."""
    neck = (Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.688, t_score=-2.6,
                        z_score=-1.2) if printout else
            Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.760, t_score=-2.0,
                        z_score=-0.6))
    return ReportDocument(
        source=_source(),
        patient=Patient(id="SYN0007", sex="F", birth_date="1951-09-03", age_years=73.2,
                        menopausal_status="post", height_cm=161.0, weight_kg=60.0),
        study=Study(scan_date="2024-11-20", accession="ACC0007",
                    study_uid="1.2.826.0.1.3680043.8.498.1007",
                    reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.091, t_score=-0.7,
                        z_score=0.6),
            neck,
            Measurement(region="total_hip", side="left", bmd_g_cm2=0.846, t_score=-1.3,
                        z_score=0.0),
        ],
        frax=Frax(major_osteoporotic_pct=12.0, hip_pct=2.4, with_bmd=True, country="US"),
        fracture_history=FractureHistory(hip=False, vertebral=False, other_fragility=False),
        therapy=Therapy(status="untreated"),
    )
