"""How many page images an input would have read by OCR, told cheaply (no pixel decoded).

OCR costs seconds a page where every other reader costs milliseconds a file, so a caller that
bounds the time of one file (``dexa.workers``) gives an input time by its pages. A guess is
enough: 0 for what holds no picture to read, else the pages or frames its header states.
"""

from __future__ import annotations

import io

from parsers.image.decode import MAX_PAGES, detect_format, pdf_pages_without_text

__all__ = ["ocr_page_count"]


def ocr_page_count(data: bytes) -> int:
    """The number of pages OCR would read in ``data`` (0 when it holds none or cannot tell)."""
    try:
        fmt = detect_format(data)
        if fmt in ("png", "jpeg", "tiff"):
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                return min(int(getattr(image, "n_frames", 1)), MAX_PAGES)
        if fmt == "pdf":
            return _scanned_pdf_pages(data)
        if fmt == "dicom":
            return _dicom_frames(data)
    except Exception:  # noqa: BLE001 - a damaged input: its reader will say what is wrong
        return 0
    return 0


def _scanned_pdf_pages(data: bytes) -> int:
    """The pages without text of a PDF whose first page draws no text (a scan); 0 at once for
    one whose first page does (looking for one text object costs under a millisecond, where
    extracting a page's text costs tens), so that the PDF reader's cost stays its own."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(data)
    try:
        if not len(document):
            return 0
        page = document[0]
        try:
            text = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=2)
            if next(iter(text), None) is not None:
                return 0
        finally:
            page.close()
    finally:
        document.close()
    return len(pdf_pages_without_text(data))


def _dicom_frames(data: bytes) -> int:
    from pydicom import dcmread

    ds = dcmread(io.BytesIO(data), force=True, stop_before_pixels=True, specific_tags=[
        "Rows", "NumberOfFrames", "SOPClassUID"])
    if "Rows" not in ds:
        return 0
    return min(int(ds.get("NumberOfFrames", 1) or 1), MAX_PAGES)
