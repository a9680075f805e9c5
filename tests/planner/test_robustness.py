"""Any report document gives a schema-valid plan with the contract's invariants (hypothesis)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from dexa.contract import (
    FractureHistory,
    Frax,
    Lsc,
    Measurement,
    Patient,
    Prior,
    Region,
    ReportDocument,
    RiskFactors,
    Source,
    Study,
    Therapy,
)
from planner import KNOWN_FLAGS, RULE_SETS, load_lsc_profiles, load_rule_set
from tests.planner.builders import SHA, run

PROFILES = load_lsc_profiles(Path(__file__).parents[2] / "planner" / "lsc_profiles.example.json")

maybe = st.one_of(st.none(), st.booleans())
score = st.one_of(st.none(), st.sampled_from([-4.0, -3.5, -2.5, -2.49, -2.0, -1.5, -1.0,
                                               -0.5, 0.0, 1.2]))
bmd = st.one_of(st.none(), st.sampled_from([0.55, 0.612, 0.7, 0.85, 1.0, 1.15]))
levels = st.sampled_from([None, "L1-L4", "L2-L4", "L1,L3", "L3", "L1-L2", "T12-L4"])
side = st.sampled_from(["left", "right", "mean", None])
region = st.sampled_from(list(get_args(Region)))
date = st.sampled_from([None, "2019-05-01", "2022-02-28", "2024-03-14", "2025-01-01", "bad"])
device = st.sampled_from([None, "Lunar iDXA ME+1234", "Hologic Horizon A", "GE Lunar iDXA"])

measurements = st.lists(st.builds(Measurement, region=region, side=side, levels=levels,
                                  bmd_g_cm2=bmd, t_score=score, z_score=score), max_size=7)
priors = st.lists(st.builds(Prior, scan_date=date, region=region, side=side, levels=levels,
                            bmd_g_cm2=bmd, device=device, cross_calibrated=maybe), max_size=4)
lscs = st.lists(st.builds(Lsc, region=region, side=side, levels=levels,
                          g_cm2=st.sampled_from([0.02, 0.028, 0.05])), max_size=2)
pct = st.one_of(st.none(), st.sampled_from([1.0, 2.99, 3.0, 4.6, 19.99, 20.0, 31.0]))
reports = st.builds(
    ReportDocument,
    source=st.builds(Source, path=st.just("x"), sha256=st.just(SHA), kind=st.just("text"),
                     device=device),
    patient=st.builds(Patient, sex=st.sampled_from(["F", "M", None]),
                      birth_date=st.sampled_from([None, "1950-03-14", "2010-01-01", "nonsense"]),
                      age_years=st.one_of(st.none(), st.floats(0, 100)),
                      menopausal_status=st.sampled_from(["pre", "peri", "post", None])),
    study=st.builds(Study, scan_date=date, reference_database=st.sampled_from(
        [None, "NHANES III male", "White female"]), excluded_vertebrae=st.sampled_from(
        [None, [], ["L4"], ["L2", "L3"]])),
    measurements=measurements,
    frax=st.one_of(st.none(), st.builds(Frax, major_osteoporotic_pct=pct, hip_pct=pct,
                                        with_bmd=maybe, country=st.sampled_from([None, "US",
                                                                                  "UK"]))),
    fracture_history=st.builds(FractureHistory, hip=maybe, vertebral=maybe,
                               other_fragility=maybe),
    therapy=st.builds(Therapy, status=st.sampled_from(["untreated", "on_therapy", None]),
                      on_therapy_at_prior=maybe),
    risk_factors=st.builds(RiskFactors, smoker=maybe, tbs=st.sampled_from([None, 1.2]),
                           height_loss_cm=st.sampled_from([None, 4.0, 5.0]),
                           rapid_bone_loss_conditions=st.sampled_from([None, ["transplant"]])),
    priors=priors, lsc=lscs)


@settings(max_examples=120, deadline=None)
@given(reports, st.sampled_from(RULE_SETS), st.booleans())
def test_any_report_gives_a_consistent_plan(doc: ReportDocument, rule_set: str,
                                            with_profiles: bool) -> None:
    options = {"lsc_profiles": PROFILES, "facility": "Example Clinic"} if with_profiles else {}
    plan = run(doc, rule_set=rule_set, **options).plan
    ids = load_rule_set(rule_set).ids
    assert plan.flags == sorted(set(plan.flags)) and set(plan.flags) <= KNOWN_FLAGS
    codes = [r.code for r in plan.recommendations]
    assert len(codes) == len(set(codes)) and set(codes) <= ids
    if plan.score_type == "indeterminate":
        assert plan.classification == "indeterminate" and plan.pharmacotherapy == "indeterminate"
    if plan.score_type == "Z" or plan.classification == "indeterminate":
        assert plan.repeat_dxa_months is None
    else:
        assert plan.repeat_dxa_months in (12, 24, 60, 180)
    if plan.classification == "indeterminate":
        assert plan.lowest is None
    for entry in plan.trend:
        comparable = entry.status != "not-comparable"
        assert (entry.change_g_cm2 is not None) is comparable
        assert (entry.lsc_g_cm2 is not None) is comparable
        assert (entry.lsc_source is not None) is comparable
