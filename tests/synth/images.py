"""Report pages as images, made in code: a page of a synthetic printout rendered by PDFium,
as a site's Secondary Capture or a scanner's PNG export carries the report page."""

from __future__ import annotations

import io

import pypdfium2 as pdfium


def page_png(pdf: bytes, page: int = 0, dpi: int = 200) -> bytes:
    """Page ``page`` of ``pdf`` as a greyscale PNG at ``dpi``."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
