"""§3.2 valid sites, spine composite, `lowest` (SITE-1..7)."""

from __future__ import annotations

import pytest

from planner.sites import lowest_site, parse_levels, spine_composite, valid_sites
from tests.planner.builders import hip_and_spine, m, plan, report


@pytest.mark.parametrize(("text", "levels"), [
    ("L1-L4", {1, 2, 3, 4}), ("L2-L4", {2, 3, 4}), ("L1,L3", {1, 3}), ("L1\u2013L4", {1, 2, 3, 4}),
    ("L1-4", {1, 2, 3, 4}), ("L3", {3}), ("T12-L4", None), (None, None), ("L4-L1", None),
])
def test_parse_levels(text: str | None, levels: set[int] | None) -> None:
    assert parse_levels(text) == (None if levels is None else frozenset(levels))


def test_composite_choice() -> None:
    rows = [m("lumbar_spine", -1.0, levels="L1-L2"), m("lumbar_spine", -1.5, levels="L1-L4"),
            m("lumbar_spine", -2.0, levels="L1-L3"), m("lumbar_spine", -3.0, levels="L3")]
    assert spine_composite(report(measurements=rows)).levels == "L1-L4"
    assert spine_composite(report(measurements=rows, excluded=["L4"])).levels == "L1-L3"
    assert spine_composite(report(measurements=rows, excluded=["L2"])) is None
    assert spine_composite(report(measurements=rows[:1] + rows[2:])).levels == "L1-L2"
    assert spine_composite(report(measurements=rows[3:])) is None


def test_excluded_vertebra_falls_back_to_a_row_without_it() -> None:
    rows = [m("lumbar_spine", -1.5, levels="L1-L4"), m("lumbar_spine", -1.0, levels="L1,L3")]
    assert spine_composite(report(measurements=rows, excluded=["L2", "L4"])).levels == "L1,L3"
    assert spine_composite(report(measurements=rows, excluded=["L3"])) is None


def test_vertebral_t_scores_are_never_averaged() -> None:
    doc = report(measurements=[m("femoral_neck", -1.2, side="left"),
                               m("vertebra", -3.0, levels="L1"),
                               m("vertebra", -3.0, levels="L2")])
    p = plan(doc)
    assert p.lowest and p.lowest.region == "femoral_neck"
    assert p.classification == "low_bone_mass"
    assert "SPINE_REANALYSIS_REQUIRED" in p.flags and "CONSIDER_33PCT_RADIUS" in p.flags


def test_mean_hip_and_single_vertebra_are_not_diagnostic() -> None:
    doc = report(measurements=[*hip_and_spine(), m("total_hip", -2.8, side="mean"),
                               m("lumbar_spine", -3.1, levels="L2"), m("wards", -3.5),
                               m("total_body", -3.0)])
    p = plan(doc)
    assert p.classification == "low_bone_mass" and p.lowest.score == -1.2


def test_lowest_ties() -> None:
    doc = report(measurements=[m("radius_33", -2.0, side="left"),
                               m("lumbar_spine", -2.0, levels="L1-L4"),
                               m("total_hip", -2.0, side="right"),
                               m("total_hip", -2.0, side="left")])
    site = lowest_site(valid_sites(doc, "T"))
    assert (site.region, site.side) == ("total_hip", "left")
    doc.measurements.append(m("femoral_neck", -2.0, side=None))
    site = lowest_site(valid_sites(doc, "T"))
    assert (site.region, site.side) == ("femoral_neck", None)


def test_first_row_of_a_region_and_side_is_used() -> None:
    doc = report(measurements=[m("femoral_neck", -1.2, side="left"),
                               m("femoral_neck", -2.9, side="left")])
    assert plan(doc).classification == "low_bone_mass"


@pytest.mark.parametrize(("rows", "flag"), [
    (hip_and_spine(), False),
    (hip_and_spine()[1:], True),
    ([*hip_and_spine()[1:], m("radius_33", -1.0, side="left")], False),
    (hip_and_spine()[:1], True),
])
def test_consider_radius(rows: list, flag: bool) -> None:
    assert ("CONSIDER_33PCT_RADIUS" in plan(report(measurements=rows)).flags) is flag


def test_radius_is_diagnostic_and_can_be_lowest() -> None:
    p = plan(report(measurements=[*hip_and_spine(fn=-1.5), m("radius_33", -2.7, side="right")]))
    assert p.classification == "osteoporosis" and p.lowest.region == "radius_33"
    assert p.pharmacotherapy == "no" and "RADIUS_ONLY_OSTEOPOROSIS" in p.flags
    assert p.repeat_dxa_months == 60  # Gourlay on the hip (-1.5, moderate), not the radius


def test_spine_levels_unknown_is_still_diagnostic() -> None:
    p = plan(report(measurements=[m("lumbar_spine", -2.6)]))
    assert p.classification == "osteoporosis" and p.pharmacotherapy == "yes"
    assert {"SPINE_LEVELS_UNKNOWN", "CONSIDER_33PCT_RADIUS"} <= set(p.flags)


def test_site_flags_not_evaluated_for_pediatric_or_undecidable() -> None:
    for doc in (report(age=12), report(age=None)):
        assert "CONSIDER_33PCT_RADIUS" not in plan(doc).flags
        doc.measurements.pop(0)
        assert "CONSIDER_33PCT_RADIUS" not in plan(doc).flags
