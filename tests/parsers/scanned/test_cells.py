"""Row labels the detector missed are read by recognition alone, where the table says one is."""

from __future__ import annotations

from PIL import Image, ImageDraw

from parsers.image import OcrLine, OcrPage, OcrWord, PageImage
from parsers.pdf import read_pages
from parsers.scanned.cells import fits_its_column, with_unread_cells
from parsers.scanned.layer import page_words
from tests.parsers.scanned.test_layer import _line, _page

_DPI = 150.0


def _spine_table() -> tuple[PageImage, OcrPage, tuple[float, float]]:
    """A spine table whose middle row's label (at 56-68 pt, row 322) the detector missed; the
    picture holds ink there. Returns the page, its OCR and the missed label's top-left."""
    lines = [_line("AP Spine Bone Density", 56, 260, 120, 0),
             _line("Region", 56, 290, 36, 1), _line("BMD", 150, 290, 24, 2),
             _line("T-score", 230, 290, 40, 3)]
    for row, (label, bmd, t) in enumerate([("L2", "0.912", "-1.2"), ("", "0.954", "-0.8"),
                                           ("L4", "1.001", "-0.4")]):
        y = 300.0 + 11.0 * row
        if label:
            lines.append(_line(label, 56, y, 12, len(lines)))
        lines += [_line(bmd, 150, y, 24, len(lines)), _line(t, 230, y, 20, len(lines) + 1)]
    picture = Image.new("RGB", (1275, 1650), "white")
    per_pt = _DPI / 72.0
    ImageDraw.Draw(picture).rectangle(
        [round(58 * per_pt), round(313.5 * per_pt), round(66 * per_pt), round(317.5 * per_pt)],
        fill="black")
    return PageImage(picture, 0, _DPI, "png"), _page(lines), (56.0, 311.0)


def _read(recognised: tuple[str, float]) -> tuple[list[str], int]:
    page, ocr, _ = _spine_table()
    calls = []

    def recognise(picture: Image.Image) -> tuple[str, float]:
        calls.append(picture.size)
        return recognised
    filled = with_unread_cells([page], [ocr], recognise)
    doc = read_pages([page_words(p) for p in filled], path="p.png", sha256="0" * 64)
    return [m.levels for m in doc.measurements], len(calls)


def test_a_missed_row_label_is_read_in_its_cell() -> None:
    assert _read(("L3", 0.93)) == (["L2", "L3", "L4"], 1)


def test_a_recognised_label_that_does_not_fit_its_column_or_is_unsure_is_not_read() -> None:
    assert _read(("L1", 0.97)) == (["L2", "L4"], 1)  # over L2: a misread digit
    assert _read(("L4", 0.97)) == (["L2", "L4"], 1)  # L4 twice
    assert _read(("L3", 0.6)) == (["L2", "L4"], 1)  # unsure


def test_a_cell_without_ink_is_not_read() -> None:
    page, ocr, _ = _spine_table()
    blank = PageImage(Image.new("RGB", page.image.size, "white"), 0, _DPI, "png")
    called = []
    assert with_unread_cells([blank], [ocr], lambda p: called.append(p) or ("L3", 0.9)) \
        == [ocr]
    assert called == []


def test_a_vertebra_fits_between_the_levels_around_it() -> None:
    assert fits_its_column("L3", ["L2", "", "L4"])
    assert fits_its_column("L1", ["T12", "", "L1-L2"])
    assert not fits_its_column("L1", ["T12", "L1", "", "L3"])
    assert not fits_its_column("L5", ["L2", "", "L4"])
    assert fits_its_column("Neck", ["", "Troch"])


def _whole_body_table(ink: bool = True) -> tuple[PageImage, OcrPage]:
    """Hologic's whole-body table whose small ``Z -`` (over the second ``score``, at 553-571
    pt) the detector missed; ``T -`` over the first was read."""
    lines = [_line("Scan Type: a Whole Body", 56, 240, 120, 0),
             _line("Region", 355, 360, 24, 1), _line("Area", 404, 360, 16, 2),
             _line("BMC", 442, 360, 19, 3), _line("BMD", 479, 360, 19, 4),
             _line("T-", 522, 360, 10, 5),
             _line("(cm2)", 403, 369, 16, 6), _line("(g)", 449, 369, 7, 7),
             _line("(g/cm2)", 475, 369, 22, 8), _line("score", 516, 369, 18, 9),
             _line("score", 553, 369, 18, 10)]
    lines += [_line(text, x, 382, width, len(lines) + i) for i, (text, x, width) in enumerate(
        [("Total", 355, 18), ("1879.56", 394, 26), ("1853.37", 436, 24), ("0.986", 480, 18),
         ("-1.6", 555, 12)])]
    picture = Image.new("RGB", (1275, 1650), "white")
    if ink:
        per_pt = _DPI / 72.0
        ImageDraw.Draw(picture).rectangle(
            [round(558 * per_pt), round(362.5 * per_pt), round(566 * per_pt),
             round(366.5 * per_pt)], fill="black")
    return PageImage(picture, 0, _DPI, "png"), _page(lines)


def _z_read(recognised: tuple[str, float]) -> list[tuple[float | None, float | None]]:
    page, ocr = _whole_body_table()
    filled = with_unread_cells([page], [ocr], lambda picture: recognised)
    doc = read_pages([page_words(p) for p in filled], path="p.png", sha256="0" * 64)
    return [(m.bmd_g_cm2, m.z_score) for m in doc.measurements]


def test_the_missed_upper_half_of_a_score_header_is_read_in_its_cell() -> None:
    assert _z_read(("Z -", 0.87)) == [(0.986, -1.6)]
    assert _z_read(("z-", 0.87)) == [(0.986, -1.6)]


def test_a_reading_over_a_lone_score_header_that_is_no_score_label_is_not_used() -> None:
    assert _z_read(("Age", 0.95)) == [(0.986, None)]  # the column stays unnamed
    assert _z_read(("Z -", 0.5)) == [(0.986, None)]  # unsure


def _frax_line(label: str, index: int) -> OcrLine:
    """One detector box at row 400: ``label`` and ``28.2`` (its last word at 282-300 pt)."""
    words = [OcrWord(text, 0.95, x, 400.0, x + 4.0 * len(text), 409.0, 0, index)
             for text, x in zip(label.split(), range(56, 282, 28), strict=False)]
    words.append(OcrWord("28.2", 0.95, 282.0, 400.0, 300.0, 409.0, 0, index))
    quad = ((56.0, 400.0), (300.0, 400.0), (300.0, 409.0), (56.0, 409.0))
    return OcrLine(f"{label} 28.2", 0.95, 56.0, 400.0, 300.0, 409.0, quad, 0, index,
                   tuple(words))


def _frax_page(label: str, ink: bool = True) -> tuple[PageImage, OcrPage]:
    """A spine table and under it ``label`` followed by ``28.2``, whose spaced ``%`` (ink at
    303-309 pt) the line's reading left out."""
    _, table, _ = _spine_table()
    lines = [*table.lines, _frax_line(label, len(table.lines))]
    picture = Image.new("RGB", (1275, 1650), "white")
    if ink:
        per_pt = _DPI / 72.0
        ImageDraw.Draw(picture).rectangle(
            [round(303 * per_pt), round(402 * per_pt), round(309 * per_pt),
             round(407 * per_pt)], fill="black")
    return PageImage(picture, 0, _DPI, "png"), _page(lines)


def _frax_read(label: str, *readings: tuple[str, float]) -> tuple[float | None, int]:
    """The FRAX major probability read when the sign's cells read ``readings`` in turn, and
    how many cells were read."""
    page, ocr = _frax_page(label)
    calls = []

    def recognise(picture: Image.Image) -> tuple[str, float]:
        calls.append(picture.size)
        return readings[(len(calls) - 1) % len(readings)]
    filled = with_unread_cells([page], [ocr], recognise)
    doc = read_pages([page_words(p) for p in filled], path="p.png", sha256="0" * 64)
    return (doc.frax.major_osteoporotic_pct if doc.frax else None), len(calls)


_FRAX_LABEL = "Major osteoporotic fracture risk (10 yr) using BMD:"


def test_the_dropped_percent_sign_of_a_frax_probability_is_read_again_in_its_cell() -> None:
    assert _frax_read(_FRAX_LABEL, ("BMD: 28.2 %", 0.9)) == (28.2, 3)
    assert _frax_read(_FRAX_LABEL, ("28.2%", 0.9), ("28.2 8", 0.9)) == (28.2, 3)  # 2 of 3


def test_a_sign_that_most_readings_do_not_show_gives_no_probability() -> None:
    assert _frax_read(_FRAX_LABEL, ("BMD: 28.2 8", 0.9)) == (None, 3)  # not a percent sign
    assert _frax_read(_FRAX_LABEL, ("28.2 %", 0.9), ("28.2 8", 0.9), ("28.2", 0.9)) \
        == (None, 3)  # one of three
    assert _frax_read(_FRAX_LABEL, ("BMD: 28.2 %", 0.5)) == (None, 3)  # unsure
    assert _frax_read(_FRAX_LABEL, ("BMD: 26.2 %", 0.9)) == (None, 3)  # another number


def test_a_number_on_a_line_that_does_not_speak_of_frax_is_not_read_again() -> None:
    assert _frax_read("Change vs Previous:", ("28.2 %", 0.95)) == (None, 0)
