"""parsers.image.ocr: the engine reads synthetic report pages, numbers and signs included."""

from __future__ import annotations

import re

import pytest

from parsers.image.decode import decode_pages
from parsers.image.ocr import OcrPage, OcrWord, _page_dpi, get_engine, split_line
from tests.parsers.image import pages

_NUMBER = re.compile(r"^[-\u2212]?\d+\.\d+$")


def _numbers(page: OcrPage) -> list[OcrWord]:
    return [w for w in page.words if _NUMBER.match(w.text)]


def _normalise(text: str) -> str:
    return text.replace("\u2212", "-")


def _assert_reads_table(ocr: OcrPage, truth: pages.Page, *, tolerance_pt: float = 6.0) -> None:
    """Every printed value found exactly (minus signs included) at its cell."""
    found = _numbers(ocr)
    for cell in truth.cells:
        near = [w for w in found
                if w.x0 - tolerance_pt <= cell.x_pt <= w.x1 + tolerance_pt
                and w.y0 - tolerance_pt / 2 <= cell.y_pt <= w.y1 + tolerance_pt / 2]
        assert [_normalise(w.text) for w in near] == [_normalise(cell.text)], (cell, near)


@pytest.fixture(scope="module")
def table_150() -> pages.Page:
    return pages.table_page(150)


@pytest.fixture(scope="module")
def ocr_150(ocr_engine, table_150: pages.Page) -> OcrPage:
    """The 150-dpi PNG table, read once for the tests that look at it."""
    [page] = decode_pages(pages.png_bytes(table_150.image, dpi=150))
    return ocr_engine.read(page)


def test_engine_is_created_once_per_process(ocr_engine) -> None:
    assert get_engine() is ocr_engine


def test_reads_every_value_of_a_png_table(ocr_150: OcrPage, table_150: pages.Page) -> None:
    assert not ocr_150.dpi_assumed and ocr_150.dpi == 150
    _assert_reads_table(ocr_150, table_150)
    assert any(w.text.startswith(("-", "\u2212")) for w in ocr_150.words)
    assert "Results" in ocr_150.text


def test_reads_small_text_at_100_dpi(ocr_engine) -> None:
    truth = pages.table_page(100)  # 9 pt text: digits about 9 px high
    [page] = decode_pages(pages.png_bytes(truth.image, dpi=100))
    _assert_reads_table(ocr_engine.read(page), truth)


def test_reads_a_secondary_capture(ocr_engine) -> None:
    truth = pages.table_page(150)
    [page] = decode_pages(pages.dicom_sc_rgb(truth.image, pixel_spacing_mm=25.4 / 150))
    _assert_reads_table(ocr_engine.read(page), truth)


def test_reads_a_jpeg_damaged_page(ocr_engine) -> None:
    truth = pages.table_page(150)
    [page] = decode_pages(pages.jpeg_bytes(truth.image, quality=60, dpi=150))
    _assert_reads_table(ocr_engine.read(page), truth)


def test_boxes_are_page_points_with_y_down(ocr_150: OcrPage) -> None:
    ocr = ocr_150
    assert ocr.width == pytest.approx(6 * 72) and ocr.height == pytest.approx(2.2 * 72)
    title = next(line for line in ocr.lines if "Results" in line.text)
    # drawn at (54 pt, 30 pt) from the top-left corner
    assert title.x0 == pytest.approx(54, abs=4) and title.y0 == pytest.approx(30, abs=5)
    rows = sorted({round(w.y0) for w in _numbers(ocr)})
    assert rows == sorted(rows) and rows[0] > title.y1  # values below the title
    for word in ocr.words:
        assert 0 <= word.x0 < word.x1 <= ocr.width and 0 <= word.y0 < word.y1 <= ocr.height
        assert ocr.lines[word.line].page == word.page == 0
        assert word in ocr.lines[word.line].words


def test_unknown_resolution_is_assumed_from_a_letter_page() -> None:
    assert _page_dpi(None, 1275, 1650) == (150.0, True)  # 8.5 x 11 in at 150 dpi
    assert _page_dpi(None, 300, 200) == (72.0, True)  # never below 72 dpi
    assert _page_dpi(200.0, 1275, 1650) == (200.0, False)


def test_reads_a_page_of_unknown_resolution(ocr_engine) -> None:
    from PIL import Image

    ocr = ocr_engine.read(Image.new("L", (330, 440), 255))  # a bare image: no dpi
    assert ocr.dpi_assumed and ocr.dpi == 72 and ocr.height == pytest.approx(440)
    assert ocr.lines == () and ocr.words == []  # a blank page has no text


# -- splitting lines into words (no engine) -----------------------------------------------------


def test_split_line_places_words_in_order_inside_the_box() -> None:
    words = split_line("Neck Left  0.618 -2.0 \u22121.1", 100.0, 300.0)
    assert [w for w, _, _ in words] == ["Neck", "Left", "0.618", "-2.0", "\u22121.1"]
    assert words[0][1] == 100.0 and words[-1][2] == pytest.approx(300.0)
    for (_, _, end), (_, start, _) in zip(words, words[1:], strict=False):
        assert end < start  # a gap for each space
    assert all(x0 < x1 for _, x0, x1 in words)


def test_split_line_narrow_characters_take_less_room() -> None:
    [(_, a0, a1), (_, b0, b1)] = split_line("1.11 MMMM", 0.0, 100.0)
    assert (a1 - a0) < (b1 - b0)


def test_split_line_empty() -> None:
    assert split_line("   ", 0.0, 10.0) == []


def test_recognition_alone_reads_a_short_label_and_nothing_from_blank(ocr_engine) -> None:
    """A cell's picture given to the recogniser without detection (``recognise``): a short
    row label is read with its score; a blank picture gives nothing."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(pages.font_path()), 14)
    picture = Image.new("RGB", (40, 22), "white")
    ImageDraw.Draw(picture).text((4, 2), "L3", font=font, fill="black")
    text, score = ocr_engine.recognise(picture)
    assert (text, score > 0.75) == ("L3", True)
    assert ocr_engine.recognise(Image.new("RGB", (40, 22), "white"))[0] in ("", " ")
