"""Round trips: a case rendered by a vendor PDF writer and read back equals what the layout
prints (``tests.synth.pdf.printed``): whole measurement lists, priors, LSC, patient and study."""

from __future__ import annotations

import pytest

import parsers
from dexa.contract import (
    Frax,
    Lsc,
    Measurement,
    NoMeasurements,
    Patient,
    Prior,
    ReportDocument,
    Source,
    Study,
)
from tests.conftest import assert_valid_report
from tests.synth import cases
from tests.synth import pdf as synth


def _compare(report: ReportDocument, data: bytes, layout: str, **options: object) -> None:
    expected = synth.printed(report, layout, **options).to_dict()
    if not expected["measurements"]:  # the layout prints no value of this case
        with pytest.raises(NoMeasurements):
            parsers.parse_bytes(data, "x.pdf")
        return
    doc = parsers.parse_bytes(data, "x.pdf")
    assert_valid_report(doc.to_dict())
    got = doc.to_dict()
    assert synth.FAKE_NAME.split(",")[0] not in doc.to_json()
    # an all-ambiguous set of numeric dates (04/09/2024, 10/02/1959) is read month first and
    # flagged; that flag is pinned in test_pdf_dates.py
    got["warnings"] = [w for w in got["warnings"] if w != "DATE_ORDER_ASSUMED"]
    for part in ("measurements", "lsc", "patient", "study", "frax", "warnings"):
        assert got[part] == expected[part], part
    order = lambda p: (p["scan_date"], p["region"], p["side"] or "", p["levels"] or "")  # noqa: E731
    assert sorted(got["priors"], key=order) == sorted(expected["priors"], key=order)
    for key in ("vendor", "device", "software", "kind"):
        assert got["source"][key] == expected["source"][key], key


def dual_hip_spine_case() -> ReportDocument:
    """Every lumbar row kind (vertebrae, contiguous and non-contiguous composites) and a dual
    hip with left, right and mean rows; all columns filled."""
    m = Measurement
    spine = [m(region="vertebra", levels=lv, bmd_g_cm2=b, t_score=t, z_score=z, bmc_g=bmc,
               area_cm2=area, young_adult_pct=ya, age_matched_pct=am)
             for lv, b, t, z, bmc, area, ya, am in (
                 ("L1", 0.873, -1.6, -1.0, 11.58, 13.26, 82, 88),
                 ("L2", 0.943, -1.4, -0.7, 12.94, 13.72, 84, 92),
                 ("L3", 0.941, -1.9, -1.2, 13.93, 14.81, 80, 86),
                 ("L4", 0.959, -1.7, -0.8, 13.40, 13.97, 81, 90))]
    spine += [m(region="lumbar_spine", levels=lv, bmd_g_cm2=b, t_score=t, z_score=z, bmc_g=bmc,
                area_cm2=area, young_adult_pct=ya, age_matched_pct=am)
              for lv, b, t, z, bmc, area, ya, am in (
                  ("L1,L3", 0.909, -1.7, -0.8, 25.51, 28.07, 81, 89),
                  ("L1-L2,L4", 0.926, -1.6, -0.9, 37.92, 40.96, 82, 90),
                  ("L2-L4", 0.948, -1.7, -1.1, 40.28, 42.50, 81, 88),
                  ("L1-L4", 0.930, -1.8, -1.0, 51.85, 55.77, 81, 89))]
    hips = [m(region=r, side=s, bmd_g_cm2=b, t_score=t, z_score=z, bmc_g=bmc, area_cm2=area,
              young_adult_pct=ya, age_matched_pct=am)
            for r, s, b, t, z, bmc, area, ya, am in (
                ("femoral_neck", "left", 0.804, -1.6, -0.2, 3.90, 4.86, 79, 97),
                ("femoral_neck", "right", 0.868, -1.1, 0.4, 3.73, 4.30, 85, 105),
                ("femoral_neck", "mean", 0.836, -1.3, 0.1, 3.82, 4.58, 82, 101),
                ("trochanter", "left", 0.580, -2.4, -0.2, 5.66, 9.76, 68, 97),
                ("trochanter", "right", 0.655, -1.7, 0.4, 8.55, 13.05, 77, 105),
                ("total_hip", "left", 0.835, -1.2, -0.8, 31.54, 37.75, 86, 92),
                ("total_hip", "right", 0.840, -1.2, -0.7, 27.91, 33.23, 87, 93),
                ("total_hip", "mean", 0.838, -1.2, -0.7, 29.72, 35.49, 86, 92))]
    return ReportDocument(
        source=Source(path="", sha256="0" * 64, kind="pdf", vendor="GE Healthcare",
                      device="Lunar Prodigy DF+500475", software="enCORE 16"),
        patient=Patient(id="SYN0101", sex="F", birth_date="1959-10-02", age_years=64.5,
                        height_cm=158.5, weight_kg=58.2, ethnicity="White"),
        study=Study(scan_date="2024-04-09", reference_database="USA (Combined NHANES/Lunar)",
                    printed_category="Osteopenia"),
        measurements=spine + hips,
        frax=Frax(major_osteoporotic_pct=14.0, hip_pct=2.8, with_bmd=True, country="US"),
        priors=[Prior(scan_date="2022-03-30", region="lumbar_spine", levels="L1-L4",
                      bmd_g_cm2=0.951),
                Prior(scan_date="2020-02-11", region="lumbar_spine", levels="L1-L4",
                      bmd_g_cm2=0.972),
                Prior(scan_date="2022-03-30", region="total_hip", side="mean", bmd_g_cm2=0.849)],
        lsc=[Lsc(region="lumbar_spine", levels="L1-L4", g_cm2=0.028),
             Lsc(region="total_hip", side="mean", g_cm2=0.017)],
    )


def forearm_case(*, side: str = "right") -> ReportDocument:
    """A forearm scan: radius 1/3, mid, UD, total and radius+ulna total; 1/3 without
    reference data (no T or Z)."""
    m = Measurement
    return ReportDocument(
        source=Source(path="", sha256="0" * 64, kind="pdf", device="Lunar iDXA ME+212290"),
        patient=Patient(id="SYN0102", sex="M", birth_date="1949-12-24", age_years=74.8,
                        height_cm=181.0, weight_kg=90.5),
        study=Study(scan_date="2024-10-17", reference_database="USA (Combined NHANES/Lunar)"),
        measurements=[
            m(region="radius_33", side=side, bmd_g_cm2=0.892),
            m(region="radius_mid", side=side, bmd_g_cm2=0.771, t_score=-1.2, z_score=0.3),
            m(region="radius_ultradistal", side=side, bmd_g_cm2=0.455, t_score=-2.6,
              z_score=-1.3),
            m(region="radius_total", side=side, bmd_g_cm2=0.690, t_score=-1.9, z_score=-0.4),
        ],
    )


ALL = {**{name: make() for name, make in cases.ALL_CASES.items()},
       "dual_hip_spine": dual_hip_spine_case(), "forearm": forearm_case()}


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("options", [{}, {"pr_am_columns": True}, {"empty_t_column": True},
                                     {"date_style": "us", "imperial": True, "cover_page": True},
                                     {"split_after": 3, "unicode_minus": True},
                                     {"trend": False, "date_style": "iso"}])
def test_hologic_round_trip(name: str, options: dict) -> None:
    report = ALL[name]
    _compare(report, synth.hologic_pdf(report, **options), "hologic", **options)


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("options", [{}, {"ancillary": True},
                                     {"ancillary": True, "v12_header": True},
                                     {"trend": False, "date_style": "abbrev"},
                                     {"date_style": "long", "imperial": True}])
def test_ge_round_trip(name: str, options: dict) -> None:
    report = ALL[name]
    _compare(report, synth.ge_pdf(report, **options), "ge", **options)


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("options", [{}, {"table": False}, {"date_style": "iso"},
                                     {"column_pitch": 34.0}])
def test_norland_round_trip(name: str, options: dict) -> None:
    report = ALL[name]
    _compare(report, synth.norland_pdf(report, **options), "norland", **options)


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("options", [{}, {"date_style": "us"}, {"unicode": False}])
def test_prodigy_narrative_round_trip(name: str, options: dict) -> None:
    report = ALL[name]
    _compare(report, synth.prodigy_narrative_pdf(report, **options), "prodigy", **options)
