"""The reading errors that motivated the gate, real vendor sample values, and the plumbing
(order, empty input, no identifiers, lazy import, silence, Data Docs)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dexa.contract import Measurement, ReportDocument, Source
from expectations import build_data_docs, validate_batch
from expectations.frames import build_frames
from tests.synth.cases import ALL_CASES, motivating_case

from .cases import RUN_DATE, changed, changes

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN_VENDOR = {"source__vendor": None, "source__device": None, "source__software": None}


BUILDERS: dict[str, Callable[[], list[ReportDocument]]] = {}


def scenario(build: Callable[[], list[ReportDocument]]) -> Callable[[], list[ReportDocument]]:
    """Register reports for the module's one shared batch (one GX run for all scenarios)."""
    BUILDERS[build.__name__] = build
    return build


@pytest.fixture(scope="module")
def got() -> dict[str, list[list[tuple]]]:
    """Scenario name -> per report, its (expectation, field, value) failures."""
    names, batch = [], []
    for name, build in BUILDERS.items():
        reports = build()
        names += [name] * len(reports)
        batch += reports
    out: dict[str, list[list[tuple]]] = {name: [] for name in BUILDERS}
    for name, v in zip(names, validate_batch(batch, run_date=RUN_DATE), strict=True):
        out[name].append([(f.expectation, f.field, f.value) for f in v.failures])
    return out


@scenario
def z_in_t():
    report = changed(motivating_case(), "measurements/1/t_score", -0.6)  # Z of FN put in T
    return [report, changes(report, **UNKNOWN_VENDOR)]


def test_z_score_read_as_t_score_for_older_woman_is_caught(got):
    # vendor unknown: on the Hologic scale 0.760 is T -0.82, so -0.6 is plausible (CONTRACT:
    # flag only what every reference rejects)
    assert got["z_in_t"] == [[("t_score_agrees_with_bmd", "measurements/1/t_score", -0.6)], []]


@scenario
def t_z_swapped():
    return [changes(motivating_case(), measurements__1__bmd_g_cm2=None,
                    measurements__1__t_score=-0.6, measurements__1__z_score=-2.0)]


def test_t_and_z_swapped_for_older_woman_is_caught_without_bmd(got):
    assert got["t_z_swapped"] == [
        [("t_score_not_above_z_score_in_older_women", "measurements/1/t_score", -0.6)]]


@scenario
def day_first_date():
    # printed 12/03/2025 (12 March), read month-first as 3 December 2025; run on 1 June 2025
    truth = changes(motivating_case(), study__scan_date="2025-03-12", patient__age_years=69.1,
                    priors=[])
    return [truth, changed(truth, "study/scan_date", "2025-12-03")]


def test_day_first_date_read_month_first_lands_in_the_future(got):
    assert got["day_first_date"] == [
        [], [("scan_date_not_in_future", "study/scan_date", "2025-12-03")]]


@scenario
def scan_on_run_date():
    return [changes(motivating_case(), study__scan_date=RUN_DATE.isoformat(),
                    patient__age_years=None)]


def test_scan_on_the_run_date_is_not_in_the_future(got):
    assert got["scan_on_run_date"] == [[]]


@scenario
def spine_as_hip():
    report = changes(motivating_case(), measurements__0__region="femoral_neck",
                     measurements__0__side="left", measurements__0__levels=None)
    return [report, changes(report, **UNKNOWN_VENDOR)]


def test_spine_row_taken_for_a_hip_is_caught_whatever_the_vendor(got):
    expected = [("t_score_agrees_with_bmd", "measurements/0/t_score", 0.1)]
    assert got["spine_as_hip"] == [expected, expected]


@scenario
def local_reference():
    report = changed(motivating_case(), "measurements/1/t_score", -0.6)
    return [changed(report, "study/reference_database", "Japan (JSBMR)"),
            changed(report, "study/reference_database", "T-score vs. White Female. "
                    "Source:2012 BMDCS/NHANES White Female.")]


def test_t_against_a_local_reference_database_is_not_judged(got):
    assert got["local_reference"] == [
        [], [("t_score_agrees_with_bmd", "measurements/1/t_score", -0.6)]]


@scenario
def hologic_scale_values():
    hologic_scale = Measurement(region="femoral_neck", side="left", bmd_g_cm2=0.700,
                                t_score=-1.3)  # (0.700 - 0.858) / 0.120
    report = changes(motivating_case(), measurements=[hologic_scale], priors=[])
    return [changes(report, **UNKNOWN_VENDOR), changed(report, "source/vendor", "Hologic"),
            report]  # the last one still says GE Lunar


def test_unknown_vendor_flags_only_what_no_reference_explains(got):
    assert got["hologic_scale_values"] == [
        [], [], [("t_score_agrees_with_bmd", "measurements/0/t_score", -1.3)]]


@scenario
def vendor_samples():
    """Rows as printed in the public GE and Hologic sample reports (dxa-formats.md §2)."""
    m = Measurement
    ge_prodigy = [
        m(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.022, young_adult_pct=87,
          t_score=-1.3, age_matched_pct=115, z_score=1.1, bmc_g=40.36, area_cm2=39.47),
        m(region="femoral_neck", side="left", bmd_g_cm2=0.741, young_adult_pct=71, t_score=-2.1),
        m(region="total_hip", side="left", bmd_g_cm2=0.777, young_adult_pct=77, t_score=-1.8),
        m(region="trochanter", side="left", bmd_g_cm2=0.580, young_adult_pct=68, t_score=-2.4,
          age_matched_pct=97, z_score=-0.2, bmc_g=5.66, area_cm2=9.76),
        m(region="radius_33", side="right", bmd_g_cm2=0.892),
    ]
    ge_idxa = [
        m(region="vertebra", levels="L1", bmd_g_cm2=1.127, t_score=-0.1, z_score=0.9),
        m(region="vertebra", levels="L2", bmd_g_cm2=1.162, t_score=-0.4, z_score=0.6),
        m(region="vertebra", levels="L3", bmd_g_cm2=1.358, t_score=1.1, z_score=2.2),
        m(region="vertebra", levels="L4", bmd_g_cm2=1.433, t_score=1.7, z_score=2.7),
        m(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.285, t_score=0.7, z_score=1.8),
    ]
    hologic = [
        m(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=0.930, z_score=-1.0, bmc_g=51.85,
          area_cm2=55.77),
        m(region="femoral_neck", side="left", bmd_g_cm2=0.804, z_score=-0.2),
        m(region="femoral_neck", side="right", bmd_g_cm2=0.868, z_score=0.4),
        m(region="femoral_neck", side="mean", bmd_g_cm2=0.836, z_score=0.1),
        m(region="total_hip", side="left", bmd_g_cm2=0.835, z_score=-0.8),
        m(region="total_hip", side="right", bmd_g_cm2=0.840, z_score=-0.7),
        m(region="total_hip", side="mean", bmd_g_cm2=0.838, z_score=-0.7),
    ]
    base = changes(motivating_case(), priors=[], patient__age_years=None)
    return [
        changed(base, "measurements", ge_prodigy),
        changed(base, "measurements", ge_idxa),
        changes(base, measurements=hologic, source=Source(
            path="", sha256="1" * 64, kind="pdf", vendor="Hologic", device="Horizon A")),
    ]


def test_vendor_sample_values_pass(got):
    assert got["vendor_samples"] == [[], [], []]


@scenario
def man_male_reference():
    # older software: male NHANES reference puts T lower than the female-reference value
    return [changes(ALL_CASES["normal_man"](), measurements__1__bmd_g_cm2=1.060,
                    measurements__1__t_score=-0.4)]  # female-reference T would be +0.16


def test_men_scored_against_a_male_reference_are_tolerated(got):
    assert got["man_male_reference"] == [[]]


CATEGORIES = {"Osteopenia": True, "Low Bone Mass": True, "normal": False, "Osteoporosis": False,
              "Within expected range for age": True}  # an unknown wording is not judged


@scenario
def printed_categories():
    report = motivating_case()  # lowest T -2.0
    return [changed(report, "study/printed_category", c) for c in CATEGORIES]


def test_printed_category_wordings(got):
    passed = [g == [] for g in got["printed_categories"]]
    assert dict(zip(CATEGORIES, passed, strict=True)) == CATEGORIES


@scenario
def order():
    good = [make() for make in ALL_CASES.values()]
    bad = changed(motivating_case(), "study/scan_date", "2030-01-01")
    return [*good, bad, *good]


def test_results_keep_batch_order_and_scan_mapping(got):
    assert [g == [] for g in got["order"]] == [True] * 5 + [False] + [True] * 5
    assert sorted({e for e, _, _ in got["order"][5]}) == ["age_agrees_with_dates",
                                                           "scan_date_not_in_future"]


@scenario
def bare():
    return [changes(motivating_case(), measurements=[], priors=[])]


def test_empty_batch_and_report_without_measurements_or_priors(got):
    assert validate_batch([], run_date=RUN_DATE) == []
    assert got["bare"] == [[]]


def test_frames_carry_no_patient_identifiers():
    report = changes(motivating_case(), patient__id="MRN-SECRET-42",
                     study__accession="ACC-SECRET", study__study_uid="1.2.3.999")
    frames = build_frames([report], RUN_DATE)
    for frame in frames.values():
        text = frame.to_csv()
        assert "SECRET" not in text and "1.2.3.999" not in text
        assert report.patient.birth_date not in text
        assert not any(c.rsplit("/", 1)[-1] == "id" for c in frame.columns)


def test_data_docs_for_the_last_validation_silently_without_identifiers(tmp_path, capfd):
    report = changes(motivating_case(), patient__id="MRN-SECRET-42",
                     measurements__1__t_score=-0.6)
    validate_batch([report], run_date=RUN_DATE)  # earlier tests validated other batches
    index = build_data_docs(tmp_path / "docs")
    assert capfd.readouterr() == ("", "")  # no progress bar, log line or warning
    assert os.environ["GX_ANALYTICS_ENABLED"] == "False"
    assert index == tmp_path / "docs" / "index.html" and index.exists()
    pages = sorted(p.name for p in (tmp_path / "docs" / "validations").rglob("*.html"))
    assert pages == ["dexa-measurements.html", "dexa-priors.html", "dexa-scans.html"]
    html = "".join(p.read_text() for p in (tmp_path / "docs").rglob("*.html"))
    assert "MRN-SECRET-42" not in html and report.patient.birth_date not in html
    assert "T-score matches BMD" in html  # each expectation shows its description
    assert "t_score_agrees_with_bmd" in html  # the failing check, by name


def test_import_is_lazy():
    """``import expectations`` (as ``dexa parse`` may) loads neither GX nor pandas."""
    code = ("import sys, expectations\n"
            "assert 'great_expectations' not in sys.modules and 'pandas' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
