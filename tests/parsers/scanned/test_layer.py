"""OCR pages become the PDF reader's text layer: boxes turned upright, words placed, folded."""

from __future__ import annotations

import math

from parsers.image import OcrLine, OcrPage, OcrWord
from parsers.scanned.layer import page_skew, text_layer


def _line(text: str, x0: float, y: float, width: float, index: int, *, degrees: float = 0.0,
          height: float = 9.0, centre: tuple[float, float] = (306.0, 396.0)) -> OcrLine:
    """A text box whose upright position is (x0, y), turned by ``degrees`` about ``centre``."""
    corners = [(x0, y), (x0 + width, y), (x0 + width, y + height), (x0, y + height)]
    a = math.radians(degrees)
    cx, cy = centre
    quad = tuple((cx + (x - cx) * math.cos(a) - (y_ - cy) * math.sin(a),
                  cy + (x - cx) * math.sin(a) + (y_ - cy) * math.cos(a)) for x, y_ in corners)
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    word = OcrWord(text, 0.95, min(xs), min(ys), max(xs), max(ys), 0, index)
    return OcrLine(text, 0.95, min(xs), min(ys), max(xs), max(ys), quad, 0, index, (word,))


def _page(lines: list[OcrLine]) -> OcrPage:
    return OcrPage(index=0, width=612.0, height=792.0, dpi=150.0, dpi_assumed=False, scale=1.5,
                   lines=tuple(lines), engine_seconds=0.0, seconds=0.0)


def _table(degrees: float) -> OcrPage:
    lines = []
    for row, (label, bmd, t) in enumerate([("L1-L4", "0.912", "-1.2"), ("L1", "0.801", "-2.1"),
                                           ("L2", "0.854", "-1.7")]):
        y = 300.0 + 12.0 * row
        lines += [_line(label, 60, y, 60, len(lines), degrees=degrees),
                  _line(bmd, 300, y, 30, len(lines) + 1, degrees=degrees),
                  _line(t, 520, y, 22, len(lines) + 2, degrees=degrees)]
    lines.append(_line("Lumbar spine results of the examination", 60, 250, 260, len(lines),
                       degrees=degrees))
    lines.append(_line("Reference curve and scores matched", 60, 270, 240, len(lines),
                       degrees=degrees))
    lines.append(_line("Total BMD CV 1.0% ACF 1.02", 60, 400, 240, len(lines), degrees=degrees))
    return _page(lines)


def test_a_page_turned_one_degree_keeps_its_rows():
    layer = text_layer([_table(1.0)])
    texts = [line.text for line in layer.lines]
    assert "L1-L4 0.912 -1.2" in texts
    assert "L1 0.801 -2.1" in texts


def test_the_skew_of_an_upright_page_is_zero():
    assert page_skew(_table(0.0).lines) == 0.0
    assert math.isclose(math.degrees(page_skew(_table(1.0).lines)), 1.0, abs_tol=0.05)


def test_without_turning_back_a_skewed_row_would_split():
    """The look-alike: the same page with its skew ignored puts the row's cells on other
    lines (so the deskew above is what keeps them together)."""
    page = _table(1.0)
    flat = [(w.text, w.top) for w in page.words if w.text in ("L1-L4", "-1.2")]
    assert abs(flat[0][1] - flat[1][1]) > 6.0


def test_words_are_folded_like_pdf_words():
    page = _page([_line("T-score \u22121.2", 60, 300, 100, 0)])
    assert [line.text for line in text_layer([page]).lines] == ["T-score -1.2"]
