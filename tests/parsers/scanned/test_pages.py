"""How many pages an input would have read by OCR, told without decoding a pixel."""

from __future__ import annotations

from PIL import Image

from parsers.scanned import ocr_page_count
from tests.parsers.image.pages import (
    dicom_sc_rgb,
    image_pdf_bytes,
    png_bytes,
    tiff_bytes,
)
from tests.synth import cases, sr
from tests.synth import pdf as synth


def _page() -> Image.Image:
    return Image.new("RGB", (170, 220), "white")


def test_pictures_count_their_pages() -> None:
    assert ocr_page_count(png_bytes(_page())) == 1
    assert ocr_page_count(tiff_bytes([_page(), _page(), _page()])) == 3
    assert ocr_page_count(image_pdf_bytes(_page(), 20)) == 1
    assert ocr_page_count(dicom_sc_rgb(_page())) == 1


def test_reports_with_text_have_no_page_to_read() -> None:
    """The look-alikes: a vendor PDF, a PDF whose first page has text, an SR, damaged bytes."""
    assert ocr_page_count(synth.ge_pdf(cases.motivating_case())) == 0
    assert ocr_page_count(image_pdf_bytes(_page(), 20, text_page=True)) == 0
    assert ocr_page_count(sr.ge_enhanced_sr(cases.motivating_case())) == 0
    assert ocr_page_count(b"\x89PNG\r\n\x1a\n" + bytes(10)) == 0
