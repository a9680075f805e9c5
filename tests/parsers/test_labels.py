"""parsers.labels: the one site and field applier, reading the vocabulary folder, on labels as
PDF fonts and exports print them."""

from __future__ import annotations

import pytest

from parsers.labels import Site, field_of, is_not_a_measurement, levels_of, site_from_labels


@pytest.mark.parametrize(("labels", "site"), [
    (("DualFemur", "Neck\u00a0Left"), Site("femoral_neck", "left", None)),
    (("AP Spine", "L1\u2013L4"), Site("lumbar_spine", None, "L1-L4")),
    (("AP Spine", "L1\u2212L4"), Site("lumbar_spine", None, "L1-L4")),
    (("AP Spine", "L1\u00adL4"), Site("lumbar_spine", None, "L1-L4")),
    (("Left Femur", "Ward\u2019s"), Site("wards", "left", None)),
    (("Right Forearm", "Radius \u2153"), Site("radius_33", "right", None)),
    (("\uff2c\uff45\uff46\uff54 Hip", "Total"), Site("total_hip", "left", None)),
    (("FEMORAL\u200b NECK",), Site("femoral_neck", None, None)),
])
def test_sites_through_look_alikes(labels: tuple[str, ...], site: Site) -> None:
    assert site_from_labels(*labels) == site


@pytest.mark.parametrize(("label", "field"), [
    ("BMD (g/cm\u00b2)", "bmd_g_cm2"),
    ("YA T\u2011Score", "t_score"),
    ("AM Z\u2013score", "z_score"),
    ("YA (\uff05)", "young_adult_pct"),  # fullwidth percent sign
    ("Area (cm\u00b2)", "area_cm2"),
    ("ya_pct", "young_adult_pct"),
])
def test_fields_through_look_alikes(label: str, field: str) -> None:
    assert field_of(label) == field


def test_difference_rows_are_not_measurements() -> None:
    assert is_not_a_measurement("|Diff.|")
    assert site_from_labels("DualFemur", "Neck Diff.") is None
    assert not is_not_a_measurement("Neck Left")


@pytest.mark.parametrize("label", ["Total Body % Fat", "Total % Fat", "Lean/Height\u00b2",
                                   "Appen. Lean/Height2", "Fat Mass/Height2", "Total Body BMI",
                                   "Est. VAT Mass", "Android Fat", "Lean/Heigh2 (kg/m2)",
                                   "Index (kg/m\u00b2)"])
def test_body_composition_rows_are_not_bone_density(label: str) -> None:
    """A body-composition page prints T- and Z-scores of fat and lean indices: no site."""
    assert is_not_a_measurement(label)
    assert site_from_labels("Total Body", label) is None


@pytest.mark.parametrize("label", ["Total Body", "Total Body Less Head", "Left Femur Neck",
                                   "L1-L4", "Radius 33%"])
def test_bone_density_rows_are_measurements(label: str) -> None:
    assert not is_not_a_measurement(label)


@pytest.mark.parametrize(("label", "levels"), [
    ("L1L2L3L4", "L1-L4"), ("L2L3L4", "L2-L4"), ("L1L4", "L1,L4"), ("L1L2L4", "L1-L2,L4"),
    ("L3L4", "L3-L4"), ("L1-L4", "L1-L4"), ("L3", "L3"),
    ("LL1", None), ("L1L6", None), ("CL1L2", None)])  # look-alikes: not levels run together
def test_levels_written_one_after_another(label: str, levels: str | None) -> None:
    """APEX names regions after BONERANGE columns (dxa-formats.md §1.2): no separators."""
    assert levels_of(label) == levels


def test_inter_trochanter_spelled_with_a_hyphen_is_not_the_greater_trochanter() -> None:
    assert site_from_labels("LEFT HIP", "INTER-TROCHANTER") == Site("intertrochanter", "left", None)
    assert site_from_labels("LEFT HIP", "GREATER TROCHANTER") == Site("trochanter", "left", None)


@pytest.mark.parametrize(("label", "region"), [
    ("1/3 DISTAL ULNA", "ulna_33"), ("Ulna 33%", "ulna_33"),
    ("ULTRA DISTAL ULNA", "ulna_ultradistal"),
    ("RADIUS + ULNA TOTAL", "forearm_total"), ("Both Total", "forearm_total"),
    ("MID RADIUS", "radius_mid"), ("Radius 33%", "radius_33"), ("UD", "radius_ultradistal"),
    # look-alikes: sites without a region of their own are never the radius's
    ("MID ULNA", None), ("TOTAL ULNA", None), ("Ulna Total", None), ("Both 33%", None),
    ("Both UD", None), ("1/3 RADIUS + ULNA", None)])
def test_forearm_regions_of_the_ulna_and_of_both_bones(label: str, region: str | None) -> None:
    site = site_from_labels("LEFT FOREARM (WRIST)", label)
    assert (site.region if site else None) == region


def test_parts_of_a_whole_body_scan_are_no_site_of_their_own() -> None:
    """A whole-body scan's subregion rows ("L Spine", "Pelvis", "R Arm") are not a lumbar spine
    or limb scan; its "Total" row is the total body, and a spine scan's "L1-L4" stays."""
    assert site_from_labels("a Whole Body", "L Spine") is None
    assert site_from_labels("Total Body", "R Arm") is None
    assert site_from_labels("a Whole Body", "Total") == Site("total_body", None, None)
    assert site_from_labels("Total Body", "Total Body") == Site("total_body", None, None)
    assert site_from_labels("AP Spine", "L1-L4") == Site("lumbar_spine", None, "L1-L4")
    assert site_from_labels("L Spine") == Site("lumbar_spine", None, None)


def test_a_statement_of_no_reference_data_names_the_regions_without_scores() -> None:
    from parsers.labels import stated_unscored

    forearm = {"radius_33", "radius_mid", "radius_ultradistal", "radius_total"}
    assert stated_unscored("Reference Chart: No reference data for Left Forearm [Radius 33%] "
                           "region.") == forearm
    assert stated_unscored("No reference data for Right Forearm region") == forearm
    # look-alikes: reference data stated, or no site family named
    assert stated_unscored("Reference data for Left Forearm: USA (Combined NHANES/Lunar)") \
        == frozenset()
    assert stated_unscored("No reference data for this patient's age.") == frozenset()


@pytest.mark.parametrize(("labels", "site"), [
    (("Left FN",), Site("femoral_neck", "left", None)),
    (("Right TH",), Site("total_hip", "right", None)),
    (("R NOF",), Site("femoral_neck", "right", None)),
    (("Hip", "FN"), Site("femoral_neck", None, None)),
])
def test_femoral_abbreviations_name_their_region(labels: tuple[str, ...], site: Site) -> None:
    """FN, TH and the UK's NOF (neck of femur) as whole words of a site label."""
    assert site_from_labels(*labels) == site


@pytest.mark.parametrize("label", ["4th", "T12", "FNA", "Fnord", "Thoracic", "NOFX"])
def test_the_abbreviations_inside_a_word_name_no_femoral_region(label: str) -> None:
    site = site_from_labels(label)
    assert site is None or site.region not in ("femoral_neck", "total_hip")
