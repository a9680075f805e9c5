"""Property round trips: random synthetic reports (random sites, sides, values, FRAX, fracture
history, therapy, priors, dates) written in every dictated style and read back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexa.contract import (
    FractureHistory,
    Frax,
    Lsc,
    Measurement,
    NoMeasurements,
    Patient,
    Prior,
    ReportDocument,
    Source,
    Study,
    Therapy,
)
from parsers import parse_bytes
from parsers.kit.dates import document_day_first, has_ambiguous_dates
from tests.conftest import assert_valid_report
from tests.synth.text import DATE_FORMATS, STYLES, dictated_text, expected_document

DRUGS = ["alendronate", "Fosamax", "risedronate", "zoledronic acid", "denosumab", "Prolia",
         "teriparatide", "abaloparatide", "romosozumab", "raloxifene", "calcitonin"]
SITES = [("lumbar_spine", None, "L1-L4"), ("lumbar_spine", None, "L2-L4"),
         ("femoral_neck", "left", None), ("femoral_neck", "right", None),
         ("total_hip", "left", None), ("total_hip", "right", None),
         ("radius_33", "left", None), ("radius_33", "right", None)]


def _decimal(low: float, high: float, places: int) -> st.SearchStrategy[float]:
    scale = 10 ** places
    return st.integers(int(low * scale), int(high * scale)).map(lambda n: n / scale)


@st.composite
def reports(draw: st.DrawFn) -> ReportDocument:
    sex = draw(st.sampled_from(["F", "M"]))
    age = float(draw(st.integers(20, 95)))
    meno = draw(st.sampled_from(["pre", "peri", "post", None])) if sex == "F" else None
    scan = draw(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)))
    sites = draw(st.lists(st.sampled_from(SITES), min_size=1, max_size=4,
                          unique_by=lambda s: (s[0], s[1])))
    measurements = [
        Measurement(region=r, side=side, levels=levels, bmd_g_cm2=draw(_decimal(0.3, 1.6, 3)),
                    t_score=draw(st.none() | _decimal(-5, 3, 1)),
                    z_score=draw(st.none() | _decimal(-5, 3, 1)))
        for r, side, levels in sites]
    prior_date = scan - dt.timedelta(days=draw(st.integers(300, 3000)))
    priors = [Prior(scan_date=prior_date.isoformat(), region=m.region, side=m.side,
                    levels=m.levels,
                    bmd_g_cm2=round((m.bmd_g_cm2 or 0) + draw(_decimal(-0.15, 0.15, 3)), 3))
              for m in measurements if draw(st.booleans())]
    frax = draw(st.none() | st.builds(
        Frax, major_osteoporotic_pct=_decimal(1, 60, 1), hip_pct=_decimal(0.1, 30, 1),
        with_bmd=st.sampled_from([True, False, None]), country=st.sampled_from(["US", None])))
    status = draw(st.sampled_from(["untreated", "on_therapy", None]))
    therapy = Therapy(status=status,
                      current=draw(st.sampled_from(DRUGS)) if status == "on_therapy" else None)
    flags = st.sampled_from([True, False, None])
    spine = [m for m in measurements if m.region == "lumbar_spine"]
    return ReportDocument(
        source=Source(path="", sha256="0" * 64, kind="text"),
        patient=Patient(id=f"SYN{draw(st.integers(1, 99999)):05d}", sex=sex, age_years=age,
                        menopausal_status=meno),
        study=Study(scan_date=scan.isoformat(), accession=f"ACC{draw(st.integers(1, 999))}"),
        measurements=measurements, frax=frax,
        fracture_history=FractureHistory(hip=draw(flags), vertebral=draw(flags),
                                         other_fragility=draw(flags)),
        therapy=therapy, priors=priors,
        lsc=[Lsc(region="lumbar_spine", levels=spine[0].levels, g_cm2=0.028)]
        if spine and draw(st.booleans()) else [],
    )


def _swapped(iso: str) -> str:
    year, month, day = map(int, iso.split("-"))
    return dt.date(year, day, month).isoformat()


FIELDS = ("patient", "study", "measurements", "frax", "fracture_history", "therapy", "priors",
          "lsc")


@settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.sampled_from(STYLES), st.sampled_from(DATE_FORMATS), st.booleans())
def test_random_reports_round_trip(report: ReportDocument, style: str, date_format: str,
                                   day_first: bool) -> None:
    text = dictated_text(report, style=style, date_format=date_format, day_first=day_first)
    expected = expected_document(report, style=style).to_dict()
    if not expected["measurements"]:  # e.g. the WUSTL text of a report without scores
        with pytest.raises(NoMeasurements):
            parse_bytes(text.encode("utf-8"), "random.txt")
        return
    doc = parse_bytes(text.encode("utf-8"), "random.txt").to_dict()
    assert_valid_report(doc)
    if day_first and date_format == "numeric" and document_day_first(text) is None and (
            "DATE_ORDER_ASSUMED" in doc["warnings"] or not has_ambiguous_dates(text)):
        # every date has both parts <= 12 and the printed age did not decide: the reader
        # assumes month first, and says so whenever a date could be read either way
        assert ("DATE_ORDER_ASSUMED" in doc["warnings"]) is has_ambiguous_dates(text)
        expected["study"]["scan_date"] = _swapped(expected["study"]["scan_date"])
        for prior in expected["priors"]:
            prior["scan_date"] = _swapped(prior["scan_date"])
    # otherwise the order was decided (a day above 12, or the printed age with the birth
    # date): every date is read as written
    for name in FIELDS:
        assert doc[name] == expected[name], (name, text)
