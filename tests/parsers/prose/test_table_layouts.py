"""Results tables of dictated reports in the layouts other writers use: cells parted by pipes
or spaced semicolons as well as runs of spaces, a table of one score under a site column, a
wrapped header, summary tables whose rows name a part word (``Neck Right``) under no body-part
title, and key-value blocks that print the BMD's unit after its label. Each with the look-alike
that must not be read."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from tests.parsers.prose.reading import read_text, rows_of
from tests.synth.pdf import text_pdf

_HEAD = "Bone densitometry (DXA), lumbar spine and hips.\nPatient: female, 71.\n\n"


@pytest.mark.parametrize("separator", [" | ", " ; "])
def test_a_table_parted_by_a_separator_and_by_spaces(separator: str) -> None:
    """The label and BMD columns spaced apart, the T-score after a pipe or a semicolon."""
    table = (f"Site               BMD (g/cm2){separator}   T-score\n"
             f"Lumbar L1 - L3        0.981{separator}      -0.6\n"
             f"Right femoral neck    0.702{separator}      -1.7\n"
             f"Right total hip       0.744{separator}      -1.9\n")
    assert rows_of(read_text(_HEAD + table)) == [
        ("lumbar_spine", None, "L1-L3", 0.981, -0.6, None),
        ("femoral_neck", "right", None, 0.702, -1.7, None),
        ("total_hip", "right", None, 0.744, -1.9, None)]


def test_a_semicolon_in_a_sentence_parts_no_cells() -> None:
    """The look-alike: a sentence naming both scores with an unspaced semicolon is no header;
    the labelled line below it is read as a sentence."""
    doc = read_text(_HEAD + "A T-score compares with a young adult; a Z-score with peers.\n"
                    "Left hip: neck T-score -1.4, Z-score 0.2.\n")
    assert rows_of(doc) == [("femoral_neck", "left", None, None, -1.4, 0.2)]


def test_a_pipe_table_whose_spaces_a_pdf_collapsed() -> None:
    """Printed to PDF, the spaced columns lose their spaces (``Right femoral neck 0.702 |``):
    a part's label and number, and the header's site column and BMD, are still two cells."""
    text = (_HEAD + "Site BMD (g/cm2) | T-score\nLumbar L1 - L3 0.981 | -0.6\n"
            "Right femoral neck 0.702 | -1.7\nRight total hip 0.744 | -1.9\n")
    expected = [("lumbar_spine", None, "L1-L3", 0.981, -0.6, None),
                ("femoral_neck", "right", None, 0.702, -1.7, None),
                ("total_hip", "right", None, 0.744, -1.9, None)]
    assert rows_of(read_text(text)) == expected
    assert rows_of(parse_bytes(text_pdf(text), "in/report.pdf").to_dict()) == expected


def test_a_table_of_the_t_score_only_under_a_site_column() -> None:
    doc = read_text("REQUEST FOR BONE DENSITY ASSESSMENT\nScanned 04/03/2022, results:\n"
                    "Site                        T-score\n"
                    "Lumbar spine L2-L4              -1.2\n"
                    "Right neck of femur             -0.4\n"
                    "Right total hip                  0.3\n"
                    "Total hip (mean)                 0.1\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L2-L4", None, -1.2, None),
                            ("femoral_neck", "right", None, None, -0.4, None),
                            ("total_hip", "right", None, None, 0.3, None),
                            ("total_hip", "mean", None, None, 0.1, None)]


def test_a_one_score_column_without_a_site_column_is_no_table() -> None:
    """The look-alike: ``Date  T-score`` (a list of earlier scores) names no site column; its
    rows are no measurements, and the report keeps the value its sentence states."""
    doc = read_text(_HEAD + "Left femoral neck T-score -1.5.\n\n"
                    "Date          T-score\n03/02/2019        -1.1\n05/06/2021        -1.3\n")
    assert rows_of(doc) == [("femoral_neck", "left", None, None, -1.5, None)]


def test_a_header_wrapped_onto_a_second_line() -> None:
    """A pipe header whose last column name wrapped (``dBMD(%)`` alone on the next line):
    rows with one blank cell more than the first header line still read."""
    doc = read_text(_HEAD + "Scan Type | Region | BMD | T-Score | Z-Score | dBMD(g/cm2) |\n"
                    "dBMD(%)\n"
                    "AP Spine | L2-L4 | 1.012 g/cm2 | -0.3 | 0.6 | - | -\n"
                    "Right Femur | Neck | 0.811 g/cm2 | -0.9 | 0.1 | - | -\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L2-L4", 1.012, -0.3, 0.6),
                            ("femoral_neck", "right", None, 0.811, -0.9, 0.1)]


def test_surplus_cells_with_values_make_no_row() -> None:
    """The look-alike: a row with more cells than its header, the surplus holding numbers,
    does not fit the table: its values are not placed by guess."""
    doc = read_text(_HEAD + "Region | BMD | T-score\nL1-L4 | 0.955 | -1.0\n"
                    "Right femoral neck | 0.702 | -1.7 | 0.4\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 0.955, -1.0, None)]


def test_summary_rows_named_by_a_part_word() -> None:
    """No body part above the table: ``Neck Right`` is the hip's (only the hip has a neck);
    ``Total Right`` above it is the hip's too (the row below is the hip's, and it names a
    side); ``1/3 Right`` is the forearm's."""
    doc = read_text(_HEAD + "Region        BMD (g/cm2)   T-score   Z-score\n"
                    "L1-L4             1.031        -0.4       0.3\n"
                    "Total Right       0.844        -0.9      -0.2\n"
                    "Neck Right        0.733        -1.3      -0.5\n"
                    "1/3 Right         0.702        -0.8       0.1\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.031, -0.4, 0.3),
                            ("total_hip", "right", None, 0.844, -0.9, -0.2),
                            ("femoral_neck", "right", None, 0.733, -1.3, -0.5),
                            ("radius_33", "right", None, 0.702, -0.8, 0.1)]


def test_a_total_row_that_nothing_places_is_unread() -> None:
    """The look-alikes: ``Total Right`` between spine rows (no hip or forearm row beside it),
    and a sideless ``Total`` under spine rows, are no hip's."""
    doc = read_text(_HEAD + "Region        BMD (g/cm2)   T-score   Z-score\n"
                    "L1-L4             1.031        -0.4       0.3\n"
                    "Total Right       0.844        -0.9      -0.2\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1-L4", 1.031, -0.4, 0.3)]
    doc = read_text(_HEAD + "Region        BMD (g/cm2)   T-score   Z-score\n"
                    "L3                1.001        -0.6       0.2\n"
                    "Total             1.031        -0.4       0.3\n"
                    "Neck Right        0.733        -1.3      -0.5\n")
    assert ("total_hip", None, None, 1.031, -0.4, 0.3) not in rows_of(doc)


def test_a_key_value_block_with_the_unit_after_the_label() -> None:
    doc = read_text("Patient: F, 64\n\nRight Hip - Total on: 03/11/2024 10:02:11 AM\n"
                    "  BMD (g/cm2)      0.905\n  Young Ref. (%)   88.0\n"
                    "  T-Score          -0.91\n  Z-Score          0.35\n")
    assert rows_of(doc) == [("total_hip", "right", None, 0.905, -0.91, 0.35)]


def test_a_key_value_block_with_another_unit_gives_no_bmd() -> None:
    """The look-alike: a value in mg/cm2 after the label is no BMD in g/cm2."""
    doc = read_text("Patient: F, 64\n\nRight Hip - Total on: 03/11/2024 10:02:11 AM\n"
                    "  BMD (mg/cm2)      905\n  T-Score          -0.91\n  Z-Score          0.35\n")
    assert rows_of(doc) == [("total_hip", "right", None, None, -0.91, 0.35)]


def test_groups_of_numbers_under_a_bracketed_legend() -> None:
    """``Scores (BMD g/cm2 / T / Z): ...``: each group is a site and one number per field of
    the legend, in its order; a side glued to an abbreviation (``LFN``) is that side."""
    doc = read_text(_HEAD + "Scores (BMD g/cm2 / T / Z): L2-L4 spine 1.044 / 0.1 / 0.9; "
                    "LFN 0.803 / -0.7 / 0.2; LTH 0.866 / -0.6 / 0.1.\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L2-L4", 1.044, 0.1, 0.9),
                            ("femoral_neck", "left", None, 0.803, -0.7, 0.2),
                            ("total_hip", "left", None, 0.866, -0.6, 0.1)]


def test_a_group_with_another_count_of_numbers_is_unread() -> None:
    """The look-alikes: a group of two numbers under a legend of three fields, and a legend
    naming no field (``(mg / day)``), place nothing."""
    doc = read_text(_HEAD + "Scores (BMD g/cm2 / T / Z): LFN 0.803 / -0.7; "
                    "LTH 0.866 / -0.6 / 0.1.\nCalcium (mg / day): diet 700 / 1.5.\n")
    assert rows_of(doc) == [("total_hip", "left", None, 0.866, -0.6, 0.1)]


def test_a_legend_group_with_a_field_not_printed() -> None:
    """``n/a`` in a group: that field is not printed (null); spine levels with a comma stay
    the group's label."""
    doc = read_text(_HEAD + "Scores (BMD g/cm2 / T / Z): Spine L1,L3-L4 0.912 / -1.9 / n/a; "
                    "RTH 0.701 / -2.0 / n/a.\n")
    assert rows_of(doc) == [("lumbar_spine", None, "L1,L3-L4", 0.912, -1.9, None),
                            ("total_hip", "right", None, 0.701, -2.0, None)]
