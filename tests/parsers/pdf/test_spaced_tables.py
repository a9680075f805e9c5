"""A results table whose columns are aligned with spaces in a proportional font (each row one
string: digits, letters and spaces differ in width, so each row's values drift off their
headers by its own amount). Small areas and BMCs (the femoral neck, the 1/3 radius) drift
furthest relative to their columns: two numbers fell under one header, and with the Z column
blank the BMD header took the T-score (-3.1 g/cm2) and the T-scores were lost.

The row's numbers keep their order; where they drifted, each goes to one value column by what
it can be (a BMD is positive; BMD x area = BMC) and then by the header's geometry at the row's
own scale. A value the placements do not settle is left empty, never guessed."""

from __future__ import annotations

import pytest

from parsers.pdf import read_pdf
from tests.synth.pdf import lines_pdf

_HEADER = (f"{'Region':<10}{'Area(cm2)':>10}{'BMC(g)':>9}{'BMD(g/cm2)':>12}"
           f"{'T-score':>9}{'Z-score':>9}")
FONTS = ["Helvetica", "DejaVu"]

Read = tuple[str, str | None, float | None, float | None, float | None, float | None,
             float | None]


def _line(label: str, area: float | None, bmc: float | None, bmd: float | None,
          t: str, z: str) -> str:
    cells = (f"{area:>10.2f}" if area is not None else " " * 10,
             f"{bmc:>9.2f}" if bmc is not None else " " * 9,
             f"{bmd:>12.3f}" if bmd is not None else " " * 12)
    return f"{label:<10}{''.join(cells)}{t:>9}{z:>9}"


def _hologic(hip: list[tuple[str, float, float, str, str]], forearm: tuple[float, str, str]
             | None = None) -> list[str]:
    """A Hologic-style page written line by line: a dual hip table (rows: side, area, BMD, T,
    Z; BMC = area x BMD as printed), and a forearm table with its 1/3 radius row."""
    lines = ["Scan Information:", "Scan Date: December 24, 2023   ID: A1224230A",
             "Scan Type: a Left Hip", "", "DXA Results Summary (Hip):", _HEADER, "Neck"]
    lines += [_line(f" {side}", area, round(area * bmd, 2), bmd, t, z)
              for side, area, bmd, t, z in hip]
    if forearm:
        bmd, t, z = forearm
        lines += ["", "Scan Type: a R.Forearm", "Radius + Ulna", _HEADER,
                  _line("1/3", 2.90, round(2.90 * bmd, 2), bmd, t, z)]
    return lines


def _read(lines: list[str], font: str) -> tuple[list[Read], list[str]]:
    report = read_pdf(lines_pdf(lines, font=font), path="spaced.pdf", sha256="0")  # type: ignore[arg-type]
    return ([(m.region, m.side, m.area_cm2, m.bmc_g, m.bmd_g_cm2, m.t_score, m.z_score)
             for m in report.measurements], report.warnings)


@pytest.mark.parametrize("font", FONTS)
def test_a_blank_z_column_leaves_each_value_under_its_own_header(font: str) -> None:
    rows, warnings = _read(_hologic([("Left", 4.38, 0.522, "-3.1", ""),
                                     ("Right", 5.45, 0.883, "-0.5", "")],
                                    forearm=(0.641, "-1.2", "")), font)
    assert rows == [("femoral_neck", "left", 4.38, 2.29, 0.522, -3.1, None),
                    ("femoral_neck", "right", 5.45, 4.81, 0.883, -0.5, None),
                    ("radius_33", "right", 2.9, 1.86, 0.641, -1.2, None)]
    assert "T_Z_COLUMN_EMPTY" in warnings


@pytest.mark.parametrize("font", FONTS)
def test_a_blank_t_column_leaves_the_z_scores_as_z_scores(font: str) -> None:
    """The look-alike: the same four numbers with the T column blank (Hologic's samples print
    it so); the Z-score stays a Z-score, though it drifted towards the T header."""
    rows, _ = _read(_hologic([("Left", 4.38, 0.522, "", "-3.1"),
                              ("Right", 5.45, 0.883, "", "-0.5")]), font)
    assert rows == [("femoral_neck", "left", 4.38, 2.29, 0.522, None, -3.1),
                    ("femoral_neck", "right", 5.45, 4.81, 0.883, None, -0.5)]


@pytest.mark.parametrize("font", FONTS)
def test_every_column_printed(font: str) -> None:
    rows, warnings = _read(_hologic([("Left", 4.38, 0.522, "-3.1", "-1.0"),
                                     ("Right", 5.45, 0.883, "-0.5", "0.3")]), font)
    assert rows == [("femoral_neck", "left", 4.38, 2.29, 0.522, -3.1, -1.0),
                    ("femoral_neck", "right", 5.45, 4.81, 0.883, -0.5, 0.3)]
    assert "T_Z_COLUMN_EMPTY" not in warnings


@pytest.mark.parametrize("font", FONTS)
def test_a_row_whose_numbers_cannot_be_placed_leaves_them_empty(font: str) -> None:
    """The look-alike that must not be guessed: in a drifted table, a row printing only a BMD
    and one score (area, BMC and the other score blank) has no arithmetic to vouch for its
    places, and two numbers fit any two columns: nothing of it is read as a wrong column."""
    lines = _hologic([("Left", 4.38, 0.522, "-3.1", "")])
    lines.append(_line(" Right", None, None, 0.883, "", "-0.5"))
    rows, _ = _read(lines, font)
    assert rows[0] == ("femoral_neck", "left", 4.38, 2.29, 0.522, -3.1, None)
    for row in rows[1:]:  # whatever is read of the right side is its own value
        _, side, area, bmc, bmd, t, z = row
        assert side == "right" and area is None and bmc is None and t is None
        assert bmd in (None, 0.883) and z in (None, -0.5)


def test_courier_columns_are_read_by_their_headers() -> None:
    """Set in Courier the spaces place every value under its header: read as before."""
    rows, _ = _read(_hologic([("Left", 4.38, 0.522, "-3.1", ""),
                              ("Right", 5.45, 0.883, "", "-0.5")]), "Courier")
    assert rows == [("femoral_neck", "left", 4.38, 2.29, 0.522, -3.1, None),
                    ("femoral_neck", "right", 5.45, 4.81, 0.883, None, -0.5)]
