"""parsers.labels: the one site and field applier, reading the vocabulary folder, on labels as
PDF fonts and exports print them."""

from __future__ import annotations

import pytest

from parsers.labels import Site, field_of, is_not_a_measurement, site_from_labels


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
