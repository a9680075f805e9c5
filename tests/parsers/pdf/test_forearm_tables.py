"""A table whose title names the body part, printed right over its column headers (a GE
forearm page: ``Left Forearm Bone Density`` over ``Region  BMD (g/cm2)  YA T-score  AM
Z-score``, no densitometry line between): the title says the site and side, it is no header.
Read as a header level, its ``Bone Density`` made the label column a BMD column and the forearm
rows were lost without a warning."""

from __future__ import annotations

from parsers.pdf import read_pdf
from tests.synth.pdf import lines_pdf

_HEADER = f"{'Region':<17}{'BMD (g/cm2)':<13}{'YA T-score':<12}AM Z-score"


def _row(label: str, bmd: str, t: str, z: str) -> str:
    return f"{label:<22}{bmd:>6}{t:>12}{z:>12}"


def _spine() -> list[str]:
    return ["AP Spine Bone Density", "Densitometry: USA (Combined NHANES/Lunar)", _HEADER,
            _row("L1-L4", "1.012", "-1.4", "-0.2"), ""]


Read = tuple[str, str | None, float | None, float | None, float | None]


def _read(lines: list[str]) -> list[Read]:
    report = read_pdf(lines_pdf(["Patient ID: ZZ000001", "", *lines]), path="forearm.pdf",
                      sha256="0")
    return [(m.region, m.side, m.bmd_g_cm2, m.t_score, m.z_score) for m in report.measurements]


def test_the_ge_forearm_regions_under_a_title_right_over_the_header() -> None:
    lines = [*_spine(), "Left Forearm Bone Density", _HEADER,
             _row("Radius 33%", "0.626", "0.3", "1.3"),
             _row("Radius UD", "0.402", "-0.8", "0.1"),
             _row("Radius Total", "0.531", "-0.2", "0.6"),
             _row("Ulna 33%", "0.588", "-", "-"),
             _row("Ulna UD", "0.301", "-", "-"),
             _row("Radius + Ulna Total", "0.470", "-0.5", "0.4")]
    assert _read(lines) == [
        ("lumbar_spine", None, 1.012, -1.4, -0.2),
        ("radius_33", "left", 0.626, 0.3, 1.3),
        ("radius_ultradistal", "left", 0.402, -0.8, 0.1),
        ("radius_total", "left", 0.531, -0.2, 0.6),
        ("ulna_33", "left", 0.588, None, None),
        ("ulna_ultradistal", "left", 0.301, None, None),
        ("forearm_total", "left", 0.470, -0.5, 0.4),
    ]


def test_the_title_gives_the_side_of_the_forearm() -> None:
    lines = [*_spine(), "Right Forearm Bone Density", _HEADER,
             _row("Radius 33%", "0.661", "-2.1", "-1.5")]
    assert _read(lines)[1:] == [("radius_33", "right", 0.661, -2.1, -1.5)]


def test_both_bones_at_one_third_is_no_region_of_either_bone() -> None:
    """``R+U 33%`` (radius and ulna together): no region of the report document, and its
    ``R`` is no side; the row stays unread rather than read as the radius's, or the right's."""
    lines = [*_spine(), "Left Forearm Bone Density", _HEADER,
             _row("R+U 33%", "0.610", "-0.4", "0.2"), _row("R+U Total", "0.488", "-0.6", "0.1"),
             _row("Radius 33%", "0.626", "0.3", "1.3")]
    assert _read(lines)[1:] == [("radius_33", "left", 0.626, 0.3, 1.3)]


def test_radius_33_in_a_sentence_under_the_title_is_no_row() -> None:
    """The look-alike: the words of a region in a comment, under a forearm title with no
    table, give no measurement."""
    lines = [*_spine(), "Left Forearm Bone Density",
             "Comment: the Radius 33% region was not analysed (motion), 0.6 cm shift.", ""]
    assert _read(lines) == [("lumbar_spine", None, 1.012, -1.4, -0.2)]


def test_a_forearm_trend_table_under_its_title_gives_priors_not_measurements() -> None:
    """The look-alike: a dated table of the forearm's BMD (no T- or Z-score column) under a
    forearm title is its history."""
    trend_header = f"{'Measured Date':<16}{'Age (years)':<14}{'BMD (g/cm2)':<14}"
    lines = [*_spine(), "Left Forearm Bone Density", _HEADER,
             _row("Radius 33%", "0.626", "0.3", "1.3"), "",
             "Left Forearm Trend: Radius 33%", trend_header,
             f"{'03/14/2024':<16}{'66.2':>8}{'0.626':>14}",
             f"{'02/02/2021':<16}{'63.1':>8}{'0.641':>14}"]
    report = read_pdf(lines_pdf(["Patient ID: ZZ000001", "", *lines]), path="t.pdf", sha256="0")
    assert [(m.region, m.side, m.bmd_g_cm2) for m in report.measurements] == [
        ("lumbar_spine", None, 1.012), ("radius_33", "left", 0.626)]
    assert [(p.scan_date, p.region, p.side, p.bmd_g_cm2) for p in report.priors] == [
        ("2021-02-02", "radius_33", "left", 0.641)]
