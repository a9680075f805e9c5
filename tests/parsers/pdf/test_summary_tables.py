"""Printouts whose results are not one table per body part: a summary table of every site
scanned (rows ``Neck Left``, ``Right Total`` under no body-part title, or under a scan-type
line listing several), and Norland's key-value blocks with the BMD printed with its unit."""

from __future__ import annotations

from parsers.pdf import PageWords, read_pages
from parsers.pdf.tables import role_of

_PT = 5.0


def _doc(rows: list[list[tuple[float, str]]]):  # type: ignore[no-untyped-def]
    """A one-page printout: each row a list of (x0, text) cells, 12 points apart."""
    boxes = [(text, x, 40.0 + 12.0 * n, x + _PT * len(text), 48.0 + 12.0 * n)
             for n, cells in enumerate(rows) for x, text in cells]
    return read_pages([PageWords.from_boxes(612, 792, boxes)], path="p.pdf", sha256="0" * 64)


def _rows(doc) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(m.region, m.side, m.bmd_g_cm2, m.t_score, m.z_score) for m in doc.measurements]


_HEADER = [(40, "Region"), (160, "BMD (g/cm2)"), (260, "T-score"), (340, "Z-score")]


def _summary(labels_values: list[tuple[str, str, str, str]], above: str | None = None
             ) -> list[tuple]:
    rows = [[(40, "Patient: Doe, Jane"), (300, "Sex / Ethnic: Female / White")]]
    if above:
        rows.append([(40, above)])
    rows += [_HEADER] + [[(40, label), (160, bmd), (260, t), (340, z)]
                         for label, bmd, t, z in labels_values]
    return _rows(_doc(rows))


def test_hip_rows_of_a_summary_table_without_a_body_part_title() -> None:
    """GE-like: ``Neck Left`` (only the hip has a neck) then ``Total Left`` (the hip's, as the
    row above is the hip's) under an ``L1-L4`` row, no body part named above the table."""
    assert _summary([("L1-L4", "1.014", "-2.9", "-2.4"), ("Neck Left", "0.656", "-2.5", "-1.0"),
                     ("Total Left", "0.850", "-3.1", "-2.5")]) == [
        ("lumbar_spine", None, 1.014, -2.9, -2.4), ("femoral_neck", "left", 0.656, -2.5, -1.0),
        ("total_hip", "left", 0.850, -3.1, -2.5)]


def test_a_scan_type_line_listing_several_body_parts_makes_a_summary_table() -> None:
    assert _summary([("L1-L4", "1.015", "-2.1", "-1.6"), ("Right Neck", "0.778", "-1.8", "-1.2"),
                     ("Right Total", "0.761", "-0.9", "-0.3")],
                    above="Scan Type: a L.Forearm / a Lumbar Spine / f Right Hip") == [
        ("lumbar_spine", None, 1.015, -2.1, -1.6), ("femoral_neck", "right", 0.778, -1.8, -1.2),
        ("total_hip", "right", 0.761, -0.9, -0.3)]


def test_a_total_row_whose_body_part_nothing_tells_is_unread() -> None:
    """``Total Left`` after a spine row: the hip's or the forearm's total, nothing says which,
    so no row (rather than a guess)."""
    assert _summary([("L1-L4", "1.014", "-2.9", "-2.4"), ("Total Left", "0.850", "-3.1", "-2.5")]
                    ) == [("lumbar_spine", None, 1.014, -2.9, -2.4)]


def test_a_table_under_one_body_part_reads_its_part_words_within_it() -> None:
    """The look-alike: under ``Left Forearm`` a ``Total`` row is the radius's total, never a
    hip's (the table is no summary)."""
    assert _summary([("UD", "0.401", "-1.2", "-0.3"), ("Total", "0.512", "-1.5", "-0.6")],
                    above="Left Forearm Bone Density") == [
        ("radius_ultradistal", "left", 0.401, -1.2, -0.3),
        ("radius_total", "left", 0.512, -1.5, -0.6)]


def _norland(bmd_line: str) -> list[tuple]:
    lines = ["Name: Doe Sex: F Height: 156 cm", "Scan on: 02/14/2025 1:51:17 PM",
             "AP Spine L1 - L4", bmd_line, "T-Score 1.50", "Z-Score 2.72",
             "Left Hip Neck", "BMD 0.689 g/cm2", "T-Score 1.01", "Z-Score 1.82"]
    return _rows(_doc([[(40, line)] for line in lines]))


def test_a_norland_block_reads_its_bmd_with_a_spaced_unit() -> None:
    assert _norland("BMD 0.836 g/cm2") == [("lumbar_spine", None, 0.836, 1.5, 2.72),
                                           ("femoral_neck", "left", 0.689, 1.01, 1.82)]


def test_a_block_value_with_another_unit_is_no_bmd() -> None:
    """The look-alike: a standardised BMD in mg/cm2 is not read as g/cm2 (the spine keeps
    its scores and no BMD)."""
    assert _norland("BMD 836 mg/cm2") == [("lumbar_spine", None, None, 1.5, 2.72),
                                          ("femoral_neck", "left", 0.689, 1.01, 1.82)]


def test_a_total_row_takes_the_body_part_of_the_row_below() -> None:
    """``Total Right`` printed above ``Neck Right`` (after the spine row): vendors list one
    scan's regions together, so the sided total is the hip's, as the row below is."""
    assert _summary([("L1-L4", "0.902", "-1.2", "-0.6"), ("Total Right", "0.811", "-1.0", "0.2"),
                     ("Neck Right", "0.745", "-1.1", "0.3")]) == [
        ("lumbar_spine", None, 0.902, -1.2, -0.6), ("total_hip", "right", 0.811, -1.0, 0.2),
        ("femoral_neck", "right", 0.745, -1.1, 0.3)]


def test_a_stray_body_part_word_above_makes_no_title() -> None:
    """A line above the table that names a body part in passing (a referrer called
    ``Dr B. Spine-Mills``) gives ``Neck Left`` no spine: rows that name no site within it
    read as a summary table's."""
    assert _summary([("L1-L4", "0.902", "-1.2", "-0.6"), ("Neck Left", "0.745", "-1.1", "0.3"),
                     ("Total Left", "0.811", "-1.0", "0.2")],
                    above="Referring doctor: Dr B. Spine-Mills") == [
        ("lumbar_spine", None, 0.902, -1.2, -0.6), ("femoral_neck", "left", 0.745, -1.1, 0.3),
        ("total_hip", "left", 0.811, -1.0, 0.2)]


def test_a_norland_block_with_the_unit_after_its_label() -> None:
    assert _norland("BMD (g/cm2) 0.836") == [("lumbar_spine", None, 0.836, 1.5, 2.72),
                                             ("femoral_neck", "left", 0.689, 1.01, 1.82)]
    # the look-alike: another unit after the label is no BMD
    assert _norland("BMD (mg/cm2) 836") == [("lumbar_spine", None, None, 1.5, 2.72),
                                            ("femoral_neck", "left", 0.689, 1.01, 1.82)]


def test_an_age_matched_qualifier_is_no_age_column() -> None:
    """``Age-Matched`` over or before ``Z-Score`` qualifies the score (as ``Young-Adult`` does
    the T-score): alone it names no column, so it joins the score it qualifies rather than
    take the Z values as ages. The look-alike: an ``Age`` column is still one."""
    assert role_of("Age-Matched") == ""
    assert role_of("Age-Matched Z-Score") == "z_score"
    assert role_of("Age") == "age"
    assert role_of("Age (years)") == "age"
