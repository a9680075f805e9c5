"""Values placed by their own columns where a garbled header put two columns of numbers under
one header (``parsers.pdf.tables._columns_by_values``)."""

from __future__ import annotations

from parsers.pdf import PageWords
from parsers.pdf.layout import text_layer
from parsers.pdf.tables import find_tables

_CHAR = 4.5


def _box(text: str, x1: float, top: float) -> tuple[str, float, float, float, float]:
    """A right-aligned box ending at ``x1``."""
    return (text, x1 - _CHAR * len(text), top, x1, top + 6)


def _trend(header: list[tuple[str, float, float]], rows: list[list[str | None]]
           ) -> list[dict[str, float | None]]:
    """A dated table: header boxes (text, x0, x1), then rows of date, age, BMD, change (g/cm2),
    change (%) right-aligned at 93, 195, 280, 363, 501 (None: not printed)."""
    boxes = [(text, x0, 100.0, x1, 106.0) for text, x0, x1 in header]
    for n, row in enumerate(rows):
        top = 112.0 + 11.0 * n
        for text, x1 in zip(row, (93, 195, 280, 363, 501), strict=True):
            if text is not None:
                boxes.append(_box(text, x1, top))
    [table] = find_tables(text_layer([PageWords.from_boxes(612, 792, boxes)]).lines)
    return [row.values for row in table.rows]


# "BMD (g/cm2)" printed over "Change vs Previous (g/cm2)", read as one box and parted: the BMD
# header keeps only the box's first letters, so its values fall under the change header
_GARBLED = [("Measured Date", 42, 93), ("Age (years)", 157, 195), ("BMD", 233, 247),
            ("Change vs Previous (g/cm2)", 249, 363), ("Change vs Previous (%)", 420, 501)]
_ROWS = [["15/07/2007", "79.7", "0.897", None, None],
         ["15/11/2008", "81.1", "0.895", "-0.002", "-0.2"],
         ["25/10/2010", "83.0", "0.902", "0.007", "0.8"]]


def test_two_columns_of_numbers_under_one_header_go_to_their_own_columns() -> None:
    """As many columns of numbers as value headers: the n-th column of numbers is the n-th
    value column, so the BMDs are read (they were all lost under the change header)."""
    values = _trend(_GARBLED, _ROWS)
    assert [v.get("bmd_g_cm2") for v in values] == [0.897, 0.895, 0.902]
    assert [v.get("age") for v in values] == [79.7, 81.1, 83.0]


def test_columns_are_left_as_placed_when_the_numbers_do_not_say_which_is_which() -> None:
    """The look-alike: the change (%) column is never printed, so three columns of numbers
    stand under four value headers: nothing tells which header lost its values, the geometry
    stays and no BMD is read (rather than the change taken as a BMD)."""
    rows = [[*row[:4], None] for row in _ROWS]
    values = _trend(_GARBLED, rows)
    assert [v.get("bmd_g_cm2") for v in values] == [None, None, None]


def test_a_well_placed_table_is_read_by_its_headers() -> None:
    header = [("Measured Date", 42, 93), ("Age (years)", 157, 195), ("BMD (g/cm2)", 240, 280),
              ("Change vs Previous (g/cm2)", 300, 363), ("Change vs Previous (%)", 420, 501)]
    values = _trend(header, _ROWS)
    assert [v.get("bmd_g_cm2") for v in values] == [0.897, 0.895, 0.902]
