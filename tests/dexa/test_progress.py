"""The progress display's rate column counts the pages read by OCR beside the files."""

from __future__ import annotations

from dexa.progress import rate_text


def test_pages_by_ocr_are_counted_beside_the_files() -> None:
    assert rate_text(12.4, 0) == "12 files/s"
    assert rate_text(0.24, 1) == "0.2 files/s, 1 page by OCR"
    assert rate_text(None, 1500) == "1,500 pages by OCR"
    assert rate_text(None, 0) == ""
