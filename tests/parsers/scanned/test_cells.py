"""Row labels the detector missed are read by recognition alone, where the table says one is."""

from __future__ import annotations

from PIL import Image, ImageDraw

from parsers.image import OcrPage, PageImage
from parsers.pdf import read_pages
from parsers.scanned.cells import fits_its_column, with_unread_labels
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
    filled = with_unread_labels([page], [ocr], recognise)
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
    assert with_unread_labels([blank], [ocr], lambda p: called.append(p) or ("L3", 0.9)) \
        == [ocr]
    assert called == []


def test_a_vertebra_fits_between_the_levels_around_it() -> None:
    assert fits_its_column("L3", ["L2", "", "L4"])
    assert fits_its_column("L1", ["T12", "", "L1-L2"])
    assert not fits_its_column("L1", ["T12", "L1", "", "L3"])
    assert not fits_its_column("L5", ["L2", "", "L4"])
    assert fits_its_column("Neck", ["", "Troch"])
