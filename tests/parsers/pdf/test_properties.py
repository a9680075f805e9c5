"""Properties: mangled PDFs only ever give a report document or a typed rejection; random
reports survive a round trip through the Hologic and GE writers."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from dexa.contract import Measurement, Patient, ReportDocument, ReportRejected, Source, Study
from tests.conftest import assert_valid_report
from tests.synth import cases
from tests.synth import pdf as synth

FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIP = settings(max_examples=25, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow])


@cache
def _seed(index: int) -> bytes:
    report = cases.motivating_case()
    return (synth.hologic_pdf(report), synth.ge_pdf(report, ancillary=True),
            synth.norland_pdf(report), synth.prodigy_narrative_pdf(report, unicode=False))[index]


def _parse_is_safe(data: bytes) -> None:
    try:
        doc = parsers.parse_bytes(data, "fuzz.pdf")
    except ReportRejected:
        return
    assert_valid_report(doc.to_dict())


@FUZZ
@given(index=st.integers(0, 3), cut=st.floats(0.0, 1.0))
def test_truncated_pdfs(index: int, cut: float) -> None:
    data = _seed(index)
    _parse_is_safe(data[: max(1, int(len(data) * cut))])


@FUZZ
@given(index=st.integers(0, 3),
       flips=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=12))
def test_byte_flipped_pdfs(index: int, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_seed(index))
    for where, value in flips:
        data[int(where * len(data))] = value
    _parse_is_safe(bytes(data))


@FUZZ
@given(index=st.integers(0, 3), start=st.floats(0.0, 1.0), length=st.integers(1, 400))
def test_pdfs_with_a_hole(index: int, start: float, length: int) -> None:
    data = _seed(index)
    at = int(start * len(data))
    _parse_is_safe(data[:at] + data[at + length:])


_SCORE = st.one_of(st.none(), st.integers(-50, 30).map(lambda v: v / 10))
_BMD = st.integers(300, 1600).map(lambda v: v / 1000)
_SPINE = ["L1", "L2", "L3", "L4", "L1-L2", "L1,L3", "L2-L4", "L1-L4"]
_HIP = ["femoral_neck", "trochanter", "total_hip"]


@st.composite
def reports(draw: st.DrawFn) -> ReportDocument:
    measurements = []
    for levels in draw(st.lists(st.sampled_from(_SPINE), unique=True, max_size=4)):
        region = "vertebra" if len(levels) == 2 else "lumbar_spine"
        measurements.append(Measurement(region=region, levels=levels, bmd_g_cm2=draw(_BMD),
                                        t_score=draw(_SCORE), z_score=draw(_SCORE)))
    sides = draw(st.sampled_from([["left"], ["right"], ["left", "right", "mean"], ["mean"]]))
    for region in draw(st.lists(st.sampled_from(_HIP), unique=True, max_size=3)):
        for side in sides:
            measurements.append(Measurement(region=region, side=side, bmd_g_cm2=draw(_BMD),
                                            t_score=draw(_SCORE), z_score=draw(_SCORE)))
    if not measurements:
        measurements.append(Measurement(region="lumbar_spine", levels="L1-L4",
                                        bmd_g_cm2=draw(_BMD), t_score=draw(_SCORE)))
    return ReportDocument(
        source=Source(path="", sha256="0" * 64, kind="pdf"),
        patient=Patient(id=draw(st.from_regex(r"[A-Z]{2,4}[0-9]{3,8}", fullmatch=True)),
                        sex=draw(st.sampled_from(["F", "M", None])), birth_date="1950-06-15",
                        age_years=73.8),
        study=Study(scan_date="2024-04-13", reference_database="USA (Combined NHANES/Lunar)"),
        measurements=measurements,
    )


def _round_trip(report: ReportDocument, data: bytes, layout: str) -> None:
    doc = parsers.parse_bytes(data, "x.pdf")
    assert_valid_report(doc.to_dict())
    expected = synth.printed(report, layout)
    assert doc.to_dict()["measurements"] == expected.to_dict()["measurements"]
    assert doc.patient == expected.patient


@ROUND_TRIP
@given(report=reports())
def test_random_reports_round_trip_hologic(report: ReportDocument) -> None:
    _round_trip(report, synth.hologic_pdf(report), "hologic")


@ROUND_TRIP
@given(report=reports())
def test_random_reports_round_trip_ge(report: ReportDocument) -> None:
    _round_trip(report, synth.ge_pdf(report), "ge")
