"""Round trips: each SR writer renders a case, the reader must give the case back whole."""

from __future__ import annotations

import pytest

from dexa.contract import Lsc, Measurement, Prior, ReportDocument
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases, sr

CASES = sorted(cases.ALL_CASES)
PATH = "exports/2024/case.dcm"


def _parse(data: bytes) -> ReportDocument:
    doc = parse_bytes(data, PATH)
    assert_valid_report(doc.to_dict())
    assert "Müller" not in doc.to_json() and "Zoë" not in doc.to_json()
    return doc


def _r(value: float) -> float:
    return round(value, 3)


def wide_case() -> ReportDocument:
    """Every region and side the GE and generic layouts can name, with every field."""
    measurements = [Measurement(region="vertebra", levels=f"L{i}", bmd_g_cm2=_r(1 + i / 100),
                                t_score=_r(-1 + i / 10), z_score=_r(i / 10))
                    for i in range(1, 5)]
    measurements.append(Measurement(region="lumbar_spine", levels="L2-L4", bmd_g_cm2=1.1,
                                    t_score=-0.5, z_score=0.1, young_adult_pct=95.0,
                                    age_matched_pct=101.0, bmc_g=40.1, area_cm2=38.2))
    for side in ("left", "right", "mean"):
        for n, region in enumerate(("femoral_neck", "total_hip", "trochanter",
                                    "intertrochanter", "wards", "femoral_shaft")):
            measurements.append(Measurement(region=region, side=side, bmd_g_cm2=_r(0.8 + n / 50),
                                            t_score=_r(-1.2 - n / 10), z_score=0.3))
    for n, region in enumerate(("radius_33", "radius_mid", "radius_ultradistal", "radius_total",
                                "ulna_33", "ulna_ultradistal", "forearm_total")):
        measurements.append(Measurement(region=region, side="right", bmd_g_cm2=_r(0.6 + n / 100),
                                        t_score=_r(-0.9 + n / 10)))
    measurements.append(Measurement(region="total_body", bmd_g_cm2=1.15, t_score=0.2,
                                    z_score=0.5))
    priors = [Prior(scan_date="2019-03-12", region="femoral_neck", side="right", bmd_g_cm2=0.81),
              Prior(scan_date="2021-06-30", region="femoral_neck", side="right",
                    bmd_g_cm2=0.805),
              Prior(scan_date="2021-06-30", region="radius_33", side="right", bmd_g_cm2=0.61)]
    lsc = [Lsc(region="lumbar_spine", levels="L2-L4", g_cm2=0.027),
           Lsc(region="femoral_neck", side="mean", g_cm2=0.033)]
    return cases.normal_man_case().model_copy(
        update={"measurements": measurements, "priors": priors, "lsc": lsc})


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("score_vr", ["TEXT", "NUM", "NUM1"])
def test_ge_enhanced_sr_round_trip(name: str, score_vr: str) -> None:
    case = cases.ALL_CASES[name]()
    data = sr.ge_enhanced_sr(case, score_vr=score_vr)
    assert _parse(data) == sr.as_read(case, data, PATH)


@pytest.mark.parametrize("name", CASES)
def test_ge_milligram_units_and_unicode_minus(name: str) -> None:
    case = cases.ALL_CASES[name]()
    data = sr.ge_enhanced_sr(case, bmd_unit="mg/cm2", unicode_minus=True)
    assert _parse(data) == sr.as_read(case, data, PATH)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("sop", sorted(sr.SR_CLASSES))
def test_generic_sr_round_trip_in_every_sr_class(name: str, sop: str) -> None:
    case = cases.ALL_CASES[name]()
    data = sr.generic_sr(case, sop=sop)
    assert _parse(data) == sr.as_read(case, data, PATH)


@pytest.mark.parametrize("name", CASES)
def test_loinc_coded_sr_round_trip(name: str) -> None:
    case = cases.ALL_CASES[name]()
    data = sr.loinc_sr(case)
    assert _parse(data) == sr.as_read(sr.coded_only(case, loinc=True), data, PATH)


@pytest.mark.parametrize("name", CASES)
def test_snomed_coded_sr_round_trip(name: str) -> None:
    case = cases.ALL_CASES[name]()
    data = sr.snomed_sr(case)
    assert _parse(data) == sr.as_read(sr.coded_only(case, loinc=False), data, PATH)


@pytest.mark.parametrize("writer", [sr.ge_enhanced_sr, sr.generic_sr])
def test_every_region_and_side_round_trips(writer) -> None:
    case = wide_case()
    data = writer(case)
    assert _parse(data) == sr.as_read(case, data, PATH)


def test_snomed_sites_and_laterality_cover_every_region() -> None:
    case = wide_case()
    data = sr.snomed_sr(case)
    assert _parse(data) == sr.as_read(sr.coded_only(case, loinc=False), data, PATH)


def test_loinc_sides_and_forearm() -> None:
    case = wide_case()
    data = sr.loinc_sr(case)
    doc = _parse(data)
    assert [(m.region, m.side) for m in doc.measurements] == [("lumbar_spine", None),
        ("femoral_neck", "left"), ("total_hip", "left"), ("femoral_neck", "right"),
        ("total_hip", "right"), ("forearm_total", "right")]
    assert doc == sr.as_read(sr.coded_only(case, loinc=True), data, PATH)


def test_ge_source_facts_and_current_scan_left_out_of_priors() -> None:
    """The GE trend lists today's scan as well; it is the measurement, not a prior."""
    case = cases.motivating_case()
    doc = _parse(sr.ge_enhanced_sr(case))
    assert doc.source.model_dump() == {
        "path": PATH, "sha256": doc.source.sha256, "kind": "dicom-sr",
        "vendor": "GE Healthcare", "software": "enCORE 17", "device": "Lunar iDXA ME+200123",
        "created": "2024-03-14T10:16:00"}
    assert {p.scan_date for p in doc.priors} == {"2021-05-02"}
    assert doc.patient.age_years == 68.0  # PatientAge "068Y" as stated, not the dates' 68.1
