"""A fixed corpus of constructed reports; together they reach every rule and flag of the
bhof-2022 rule set (test_coverage.py). Each case names what it is built to reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dexa.contract import Lsc, ReportDocument
from planner.visits import merge_visit
from tests.planner.builders import hip_and_spine, m, prior, report
from tests.synth import cases

FN_LOSS = [m("femoral_neck", -1.6, side="left", bmd=0.570), m("total_hip", -1.0, side="left")]


@dataclass(frozen=True)
class Case:
    name: str
    doc: ReportDocument
    reaches: frozenset[str]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _case(name: str, doc: ReportDocument, *reaches: str, **kwargs: Any) -> Case:
    return Case(name, doc, frozenset(reaches), kwargs)


def _visit_case(name: str, scans: list[ReportDocument], *reaches: str) -> Case:
    """A visit of several scans (VIS-1, VIS-2): planned from their merged report."""
    visit = merge_visit(scans)
    return _case(name, visit.report, *reaches, validation=visit.validation, visit=visit)


def _other_object(doc: ReportDocument, kind: str, sha_char: str) -> ReportDocument:
    doc.source.kind, doc.source.sha256 = kind, sha_char * 64  # type: ignore[assignment]
    return doc


CORPUS: list[Case] = [
    _case("motivating", cases.motivating_case(), "POP-1", "SITE-1", "SITE-2", "CLS-2", "TX-B4",
          "TX-B7", "NP-1", "NP-3", "NP-4", "NP-5", "NP-6", "NP-7", "NP-8", "MON-3", "MON-3d",
          "MON-3e", "SER-1", "SER-3", "SER-4", "SER-5", "SER-6", "SER-8", "MISS-7",
          "LSC_FALLBACK"),
    _case("frax-above-threshold", report(frax=(21.0, 2.0)), "TX-B3"),
    _case("motivating-no-frax", cases.motivating_case(with_frax=False), "TX-B5", "MISS-2"),
    _case("vertebral-fracture-on-therapy", cases.osteoporosis_case(), "CLS-4", "TX-B1", "MON-1",
          "SEC-1", "SEC-2", "SEC-3", "TX-B11", "FRAX_ON_TREATMENT"),
    _case("premenopausal-low-z", cases.premenopausal_z_case(), "POP-4", "CLS-9", "TX-B0",
          "NP-9", "MON-7"),
    _case("man-45-z-within", report(age=45, sex="M", status=None, measurements=[
        m("lumbar_spine", -0.5, z=-0.4, levels="L1-L4"), m("femoral_neck", -0.8, z=-0.5,
                                                          side="left")]), "CLS-10"),
    _case("pediatric", report(age=15, measurements=[m("lumbar_spine", None, z=-2.3,
                                                     levels="L1-L4")]), "POP-5"),
    _case("age-and-sex-unknown", report(age=None, sex=None), "MISS-4", "AGE_UNKNOWN",
          "SEX_UNKNOWN"),
    _case("woman-52-status-unknown", report(age=52, status=None), "POP-6", "MISS-1",
          "MENOPAUSAL_STATUS_UNKNOWN"),
    _case("woman-35-status-unknown", report(age=35, status=None), "MENOPAUSAL_STATUS_ASSUMED"),
    _case("woman-in-transition", report(age=49, status="peri"), "POP-2", "NP-2a"),
    _case("normal-man", cases.normal_man_case(), "POP-3", "CLS-1", "TX-B6", "NP-2", "MON-4",
          "GOURLAY_EXTRAPOLATED"),
    _case("fn-osteoporosis", report(measurements=hip_and_spine(fn=-2.6)), "CLS-3", "TX-B2"),
    _case("radius-only", report(measurements=[*hip_and_spine(fn=-1.5),
                                              m("radius_33", -2.7, side="left")]),
          "TX-B8", "RADIUS_ONLY_OSTEOPOROSIS"),
    _case("wrist-fracture-history-unknown", report(fx=(None, False, True)), "TX-B9",
          "TX-B10", "MISS-3", "NONVERTEBRAL_FRAGILITY_FRACTURE", "FRACTURE_HISTORY_UNKNOWN"),
    _case("tbs", report(risk={"tbs": 1.21}), "TX-B12"),
    _case("frax-provenance", report(country=None, with_bmd=False), "MISS-9",
          "FRAX_WITHOUT_BMD", "FRAX_PROVENANCE_UNKNOWN"),
    _case("z-missing", report(age=35, status="pre"), "MISS-5", "Z_SCORE_MISSING"),
    _case("no-valid-site-hip-fracture", report(fx=(True, False, False), measurements=[
        m("trochanter", -2.0, side="left")]), "SITE-7", "SITE-6", "CLS-5",
          "INSUFFICIENT_VALID_SITES", "CONSIDER_33PCT_RADIUS", "CLINICAL_OSTEOPOROSIS"),
    _case("vertebrae-differ", report(measurements=[
        *hip_and_spine(), m("vertebra", -0.5, levels="L2"), m("vertebra", 0.9, levels="L3")]),
          "SITE-3", "SITE-3a", "VERTEBRAL_EXCLUSION_CANDIDATE"),
    _case("per-vertebra-only", report(measurements=[
        *hip_and_spine()[1:], m("vertebra", -0.5, levels="L2"), m("vertebra", -0.4,
                                                               levels="L3")]),
          "SPINE_REANALYSIS_REQUIRED", "CONSIDER_33PCT_RADIUS"),
    _case("single-vertebra-and-mean-hip", report(measurements=[
        *hip_and_spine(), m("lumbar_spine", -3.0, levels="L3"),
        m("total_hip", -2.9, side="mean", bmd=0.8)],
        priors=[prior("total_hip", 0.81, side="mean")]), "SITE-4", "SITE-5", "SER-8"),
    _case("spine-levels-unknown", report(measurements=[
        m("lumbar_spine", -1.2, bmd=1.0), m("femoral_neck", -1.1, side="left")],
        priors=[prior("lumbar_spine", 1.0)]), "MISS-10", "SPINE_LEVELS_UNKNOWN"),
    _case("other-scanner", report(measurements=FN_LOSS, priors=[
        prior("femoral_neck", 0.7, side="left", device="Hologic Horizon A")]), "MISS-6",
          "SER-2"),
    _case("spine-other-levels", report(measurements=[
        m("lumbar_spine", -1.2, levels="L1-L4", bmd=1.0), m("femoral_neck", -1.1, side="left")],
        priors=[prior("lumbar_spine", 1.0, levels="L2-L4")]), "SER-2"),
    _case("no-lsc", report(measurements=[
        m("lumbar_spine", -1.2, levels="L2-L4", bmd=1.0), m("femoral_neck", -1.1, side="left"),
        m("radius_33", -1.0, side="left", bmd=0.7)], priors=[
        prior("lumbar_spine", 1.0, levels="L2-L4"), prior("radius_33", 0.7, side="left")]),
          "SER-7", "MISS-7", "LSC_UNAVAILABLE"),
    _case("loss-untreated", report(measurements=FN_LOSS, priors=[
        prior("femoral_neck", 0.7, side="left")]), "MON-6", "SER-9", "SEC-1"),
    _case("rapid-loss-condition", report(risk={"rapid_bone_loss_conditions": [
        "aromatase inhibitor"]}), "MON-5"),
    _case("stable-on-therapy", report(therapy="on_therapy", on_therapy_at_prior=True,
                                      measurements=hip_and_spine(fn=-2.0), priors=[
        prior("femoral_neck", 0.69, side="left")], lsc=[
        Lsc(region="femoral_neck", side="left", g_cm2=0.03)]), "MON-2", "SER-9"),
    _case("therapy-unknown", report(therapy=None), "MISS-8", "THERAPY_STATUS_UNKNOWN", "MON-1",
          "MON-3b"),
    _case("spine-lower-than-hip", report(measurements=hip_and_spine(fn=-1.2, th=-1.1, ls=-2.2)),
          "MON-8", "SPINE_LOWER_THAN_HIP"),
    _case("normal-woman-70", report(measurements=hip_and_spine(fn=-0.5, th=0.0)), "MON-3a"),
    _case("moderate-woman-70", report(measurements=hip_and_spine(fn=-1.7)), "MON-3c"),
    _case("vfa", report(age=72, measurements=hip_and_spine(fn=-1.7),
                        risk={"height_loss_cm": 4.5}), "VFA-1"),
    _case("male-reference", report(sex="M", reference="NHANES III Male"), "POP-7",
          "MALE_REFERENCE_USED"),
    _visit_case("split-visit", [
        _other_object(report(measurements=[m("lumbar_spine", -1.4, levels="L1-L4")]),
                      "dicom-sr", "1"),
        _other_object(report(measurements=[m("femoral_neck", -1.2, side="left")]),
                      "dicom-sr", "2")], "VIS-1"),
    _visit_case("conflicting-objects", [
        _other_object(report(fx=(False, False, None)), "dicom-sr", "1"),
        _other_object(report(fx=(True, False, None)), "pdf", "2")],
        "VIS-1", "VIS-2", "SOURCE_CONFLICT"),
]
