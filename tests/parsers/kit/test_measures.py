"""parsers.kit.measures: what a measured value can be, and the one check every reader's report
passes (no BMD of zero or below)."""

from __future__ import annotations

import pytest

import parsers
import parsers.prose
from dexa.contract import Measurement, ReportDocument, Source
from parsers.kit.measures import VALUE_DROPPED, bmc_agrees, checked_report, plausible


def _report(*rows: Measurement, decimals: dict[str, int] | None = None) -> ReportDocument:
    return ReportDocument(source=Source(path="r.txt", sha256="0", kind="text"),
                          measurements=list(rows), decimals=decimals)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("bmd_g_cm2", 0.522, True), ("bmd_g_cm2", -3.1, False), ("bmd_g_cm2", 0.0, False),
    ("bmd_g_cm2", 33.53, False),  # an area under the BMD header
    ("t_score", -3.1, True), ("t_score", 33.5, False),
    ("young_adult_pct", 87.0, True), ("young_adult_pct", -1.2, False),
    ("age", 66.0, True),  # a field without a range
])
def test_plausible(name: str, value: float, expected: bool) -> None:
    assert plausible(name, value) is expected


def test_bmd_times_area_is_the_bmc_within_print_rounding() -> None:
    assert bmc_agrees(0.522, 4.38, 2.29) is True  # 2.286 printed 2.29
    assert bmc_agrees(0.641, 2.90, 1.86) is True
    assert bmc_agrees(2.29, 4.38, 0.522) is False  # BMC and BMD swapped
    assert bmc_agrees(0.522, None, 2.29) is None


def test_a_bmd_that_is_not_positive_is_dropped_with_a_warning() -> None:
    neck = Measurement(region="femoral_neck", side="left", bmd_g_cm2=-3.1, area_cm2=4.38)
    hip = Measurement(region="total_hip", side="left", bmd_g_cm2=0.982, t_score=-1.5)
    report = checked_report(_report(neck, hip, decimals={
        "measurements/0/bmd_g_cm2": 1, "measurements/0/area_cm2": 2,
        "measurements/1/bmd_g_cm2": 3}))
    assert [(m.region, m.bmd_g_cm2, m.area_cm2) for m in report.measurements] == [
        ("femoral_neck", None, 4.38), ("total_hip", 0.982, None)]
    assert report.warnings == [f"{VALUE_DROPPED}: femoral_neck left bmd_g_cm2 -3.1 (not positive)"]
    assert report.decimals == {"measurements/0/area_cm2": 2, "measurements/1/bmd_g_cm2": 3}


def test_a_row_left_without_any_value_is_dropped_and_the_rows_after_it_move_up() -> None:
    report = checked_report(_report(
        Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.0),
        Measurement(region="total_hip", side="left", bmd_g_cm2=0.982),
        decimals={"measurements/0/bmd_g_cm2": 3, "measurements/1/bmd_g_cm2": 3}))
    assert [(m.region, m.bmd_g_cm2) for m in report.measurements] == [("total_hip", 0.982)]
    assert report.decimals == {"measurements/0/bmd_g_cm2": 3}


def test_a_report_of_plausible_values_is_left_as_it_is() -> None:
    """The look-alike: negative T- and Z-scores are scores, not BMDs; nothing changes."""
    original = _report(Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.522,
                                   t_score=-3.1, z_score=-1.0))
    assert checked_report(original) is original


def test_every_reader_passes_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_bytes, the one entry point, checks whatever the reader made (here a reader that
    read a T-score as a BMD)."""
    def reader(data: bytes, *, path: str, sha256: str) -> ReportDocument:
        return _report(Measurement(region="radius_33", side="right", bmd_g_cm2=-1.2,
                                   bmc_g=0.64, area_cm2=2.9))
    monkeypatch.setattr(parsers.prose, "read_text", reader)
    report = parsers.parse_bytes(b"DXA report", "r.txt")
    assert report.measurements[0].bmd_g_cm2 is None
    assert report.warnings[-1].startswith(VALUE_DROPPED)
