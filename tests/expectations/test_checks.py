"""Each expectation: a batch that passes and one that fails on exactly the changed value.

All failing variants are validated in one batch beside clean reports, so a failure proves the
row key maps back to the right scan, and a clean report that stays clean proves the good rows
are not flagged.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from dexa.contract import without_failed_values
from expectations import check_names, validate_batch, value_at
from expectations.frames import build_frames
from expectations.suites import CHECKS
from tests.synth.cases import motivating_case

from .cases import RUN_DATE, changed, changes, rich_case

R = rich_case()
M = motivating_case()
FN_L, TH_L, SPINE, FN_MEAN, TROCH, RADIUS = 5, 8, 4, 7, 11, 12
TROCH_ROW, RADIUS_ROW = (R.measurements[i].model_dump() for i in (TROCH, RADIUS))

# name -> (report, [(expectation, path, value), ...]) : the complete expected failure list
FAILING: dict[str, tuple[Any, list[tuple[str, str, Any]]]] = {
    # structure
    "region_not_null": (changed(R, f"measurements/{RADIUS}/region", None),
                        [("region_not_null", f"measurements/{RADIUS}", RADIUS_ROW | {
                            "region": None})]),
    "region_in_vocabulary": (changed(R, f"measurements/{TROCH}/region", "hip"),
                             [("region_in_vocabulary", f"measurements/{TROCH}", TROCH_ROW | {
                                 "region": "hip"})]),
    "side_in_vocabulary": (changed(R, f"measurements/{TROCH}/side", "both"),
                           [("side_in_vocabulary", f"measurements/{TROCH}/side", "both")]),
    "levels_pattern": (changed(R, f"measurements/{SPINE}/levels", "L1-L4x"),
                       [("levels_pattern", f"measurements/{SPINE}/levels", "L1-L4x")]),
    "side_allowed_for_region": (changed(R, f"measurements/{SPINE}/side", "left"),
                                [("side_allowed_for_region", f"measurements/{SPINE}/side",
                                  "left")]),
    "levels_match_region": (changed(R, f"measurements/{FN_L}/levels", "L1-L4"),
                            [("levels_match_region", f"measurements/{FN_L}/levels", "L1-L4")]),
    "measurement_has_value": (
        changes(R, **{f"measurements__{RADIUS}__bmd_g_cm2": None,
                      f"measurements__{RADIUS}__t_score": None}),
        [("measurement_has_value", f"measurements/{RADIUS}",
          RADIUS_ROW | {"bmd_g_cm2": None, "t_score": None})]),
    "t_score_is_number": (changed(R, f"measurements/{TROCH}/t_score", "-1.0"),
                          [("t_score_is_number", f"measurements/{TROCH}/t_score", "-1.0")]),
    "bmd_g_cm2_is_number": (changed(R, f"measurements/{TROCH}/bmd_g_cm2", "0.650"),
                            [("bmd_g_cm2_is_number", f"measurements/{TROCH}/bmd_g_cm2",
                              "0.650")]),
    "age_years_is_number": (changed(R, "patient/age_years", "68"),
                            [("age_years_is_number", "patient/age_years", "68")]),
    "prior_bmd_g_cm2_is_number": (changed(R, "priors/3/bmd_g_cm2", "0.71"),
                                  [("prior_bmd_g_cm2_is_number", "priors/3/bmd_g_cm2",
                                    "0.71")]),
    # ranges
    "t_score_plausible": (changed(R, f"measurements/{TROCH}/t_score", -25.0),
                          [("t_score_plausible", f"measurements/{TROCH}/t_score", -25.0)]),
    "z_score_plausible": (changed(R, f"measurements/{TROCH}/z_score", 12.0),
                          [("z_score_plausible", f"measurements/{TROCH}/z_score", 12.0)]),
    "young_adult_pct_plausible": (
        changed(R, f"measurements/{TROCH}/young_adult_pct", 250.0),
        [("young_adult_pct_plausible", f"measurements/{TROCH}/young_adult_pct", 250.0)]),
    "age_matched_pct_plausible": (
        changed(R, f"measurements/{TROCH}/age_matched_pct", 9.0),
        [("age_matched_pct_plausible", f"measurements/{TROCH}/age_matched_pct", 9.0)]),
    "bmc_plausible": (changed(R, f"measurements/{TROCH}/bmc_g", 0.0),
                      [("bmc_plausible", f"measurements/{TROCH}/bmc_g", 0.0)]),
    "area_plausible": (changed(R, f"measurements/{TROCH}/area_cm2", 5000.0),
                       [("area_plausible", f"measurements/{TROCH}/area_cm2", 5000.0)]),
    "bmd_plausible_for_region": (changed(R, f"measurements/{TROCH}/bmd_g_cm2", 650.0),
                                 [("bmd_plausible_for_region",
                                   f"measurements/{TROCH}/bmd_g_cm2", 650.0)]),
    "age_plausible": (changes(R, patient__age_years=130.0, patient__birth_date=None),
                      [("age_plausible", "patient/age_years", 130.0)]),
    "height_plausible": (changed(R, "patient/height_cm", 1.6),
                         [("height_plausible", "patient/height_cm", 1.6)]),
    "weight_plausible": (changed(R, "patient/weight_kg", 0.5),
                         [("weight_plausible", "patient/weight_kg", 0.5)]),
    "frax_major_plausible": (changed(R, "frax/major_osteoporotic_pct", 190.0),
                             [("frax_major_plausible", "frax/major_osteoporotic_pct", 190.0)]),
    "frax_hip_plausible": (changed(R, "frax/hip_pct", -1.0),
                           [("frax_hip_plausible", "frax/hip_pct", -1.0)]),
    # cross-field, measurements
    "t_score_agrees_with_bmd": (changed(M, "measurements/1/t_score", -0.6),
                                [("t_score_agrees_with_bmd", "measurements/1/t_score", -0.6)]),
    "t_score_agrees_with_young_adult_pct": (
        changed(R, f"measurements/{SPINE}/young_adult_pct", 81.0),
        [("t_score_agrees_with_young_adult_pct", f"measurements/{SPINE}/t_score", 0.1)]),
    "z_score_agrees_with_age_matched_pct": (
        changed(R, f"measurements/{SPINE}/age_matched_pct", 85.0),
        [("z_score_agrees_with_age_matched_pct", f"measurements/{SPINE}/z_score", 1.4)]),
    "t_score_not_above_z_score_in_older_women": (
        changes(M, measurements__2__bmd_g_cm2=None, measurements__2__t_score=0.2,
                measurements__2__z_score=-1.1),
        [("t_score_not_above_z_score_in_older_women", "measurements/2/t_score", 0.2)]),
    "mean_bmd_between_sides": (changed(R, f"measurements/{FN_MEAN}/bmd_g_cm2", 0.805),
                               [("mean_bmd_between_sides", f"measurements/{FN_MEAN}/bmd_g_cm2",
                                 0.805)]),
    "mean_t_score_between_sides": (changed(R, f"measurements/{FN_MEAN}/t_score", -2.2),
                                   [("mean_t_score_between_sides",
                                     f"measurements/{FN_MEAN}/t_score", -2.2)]),
    "spine_composite_within_vertebrae": (
        changed(R, f"measurements/{SPINE}/bmd_g_cm2", 1.26),
        [("spine_composite_within_vertebrae", f"measurements/{SPINE}/bmd_g_cm2", 1.26)]),
    # scan level
    "scan_date_not_null": (changed(R, "study/scan_date", None),
                           [("scan_date_not_null", "study/scan_date", None)]),
    "scan_date_format": (changed(R, "study/scan_date", "2024-3-14"),
                         [("scan_date_format", "study/scan_date", "2024-3-14")]),
    "birth_date_format": (changed(R, "patient/birth_date", "19560201"),
                          [("birth_date_format", "patient/birth_date", "19560201")]),
    "source_kind_in_vocabulary": (changed(R, "source/kind", "fax"),
                                  [("source_kind_in_vocabulary", "source/kind", "fax")]),
    "sex_in_vocabulary": (changed(R, "patient/sex", "X"),
                          [("sex_in_vocabulary", "patient/sex", "X")]),
    "menopausal_status_in_vocabulary": (
        changed(R, "patient/menopausal_status", "post-menopausal"),
        [("menopausal_status_in_vocabulary", "patient/menopausal_status", "post-menopausal")]),
    "therapy_status_in_vocabulary": (changed(R, "therapy/status", "treated"),
                                     [("therapy_status_in_vocabulary", "therapy/status",
                                       "treated")]),
    "scan_date_not_in_future": (changes(R, study__scan_date="2025-06-02",
                                        patient__age_years=None),
                                [("scan_date_not_in_future", "study/scan_date", "2025-06-02")]),
    "scan_date_in_dxa_era": (
        changes(R, study__scan_date="1986-12-31", patient__age_years=None, priors=[]),
        [("scan_date_in_dxa_era", "study/scan_date", "1986-12-31")]),
    "scan_after_birth": (changes(R, patient__birth_date="2024-03-15", patient__age_years=None),
                         [("scan_after_birth", "patient/birth_date", "2024-03-15")]),
    "birth_within_120_years_of_scan": (
        changes(R, patient__birth_date="1904-03-13", patient__age_years=None),
        [("birth_within_120_years_of_scan", "patient/birth_date", "1904-03-13")]),
    "age_agrees_with_dates": (changed(R, "patient/age_years", 58.1),
                              [("age_agrees_with_dates", "patient/age_years", 58.1)]),
    "frax_hip_not_above_major": (changed(R, "frax/hip_pct", 12.0),
                                 [("frax_hip_not_above_major", "frax/hip_pct", 12.0)]),
    "printed_category_agrees_with_lowest_t": (
        changed(R, "study/printed_category", "Normal"),
        [("printed_category_agrees_with_lowest_t", "study/printed_category", "Normal")]),
    # priors
    "prior_date_format": (changed(R, "priors/0/scan_date", "2021-02-29"),
                          [("prior_date_format", "priors/0/scan_date", "2021-02-29")]),
    "prior_region_in_vocabulary": (
        changed(R, "priors/1/region", "hip"),
        [("prior_region_in_vocabulary", "priors/1", R.priors[1].model_dump() | {"region": "hip"})]),
    "prior_bmd_plausible_for_region": (changed(R, "priors/2/bmd_g_cm2", 822.0),
                                       [("prior_bmd_plausible_for_region", "priors/2/bmd_g_cm2",
                                         822.0)]),
    "prior_before_scan": (changed(R, "priors/0/scan_date", "2024-03-14"),
                          [("prior_before_scan", "priors/0/scan_date", "2024-03-14")]),
}

# Value-type checks share one mechanism; a few representatives stand for the rest.
NUMBER_CHECKS_COVERED_BY_REPRESENTATIVES = {
    n for n in check_names() if n.endswith("_is_number")
} - set(FAILING)


@pytest.fixture(scope="module")
def failing_batch():
    """Every failing variant, each between two clean reports, in one validate_batch call."""
    reports = []
    for report, _ in FAILING.values():
        reports += [rich_case(), report]
    reports.append(motivating_case())
    return reports, validate_batch(reports, run_date=RUN_DATE)


def test_every_expectation_has_a_failing_case():
    assert set(check_names()) - set(FAILING) == NUMBER_CHECKS_COVERED_BY_REPRESENTATIVES
    assert len(check_names()) == len(set(check_names())), "expectation names are unique"


@pytest.mark.parametrize("name", list(FAILING))
def test_failing_case(name, failing_batch):
    reports, validations = failing_batch
    position = 2 * list(FAILING).index(name) + 1
    got = [(f.expectation, f.field, f.value) for f in validations[position].failures]
    assert got == FAILING[name][1]
    assert not validations[position].passed
    assert validations[position].failed_expectations == sorted({e for e, _, _ in got})


def test_clean_reports_around_failures_stay_clean(failing_batch):
    _, validations = failing_batch
    assert all(v.passed for v in validations[0::2])


def test_clean_batch_passes_every_expectation(clean_batch):
    reports, validations = clean_batch
    assert [v.failures for v in validations] == [[] for _ in reports]


def test_clean_batch_exercises_every_cross_field_check(clean_batch):
    """The passing batch really applies each cross-field check (True somewhere, never None
    everywhere), so its passing means something."""
    frames = build_frames(clean_batch[0], RUN_DATE)
    for frame_name, checks in CHECKS.items():
        for check in checks:
            if check.kind == "true":
                assert (frames[frame_name][check.column] == True).any(), check.name  # noqa: E712


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_failed_values_can_be_set_aside(failing_batch):
    """Every failure on a valid document names a value the planner can null
    (``dexa.contract.without_failed_values``) or a whole row it leaves alone."""
    reports, validations = failing_batch
    for report, validation in zip(reports[1::2], validations[1::2], strict=False):
        try:
            type(report).model_validate(report.model_dump())
        except ValidationError:
            continue  # built unvalidated on purpose: no reader emits it
        cleaned = without_failed_values(report, validation)
        for f in validation.failures:
            if not f.field.rsplit("/", 1)[-1].isdigit():  # a value, not a whole row
                assert value_at(cleaned, f.field) is None, f
