"""Pictures of synthetic report pages, as sites send them: a vendor PDF of ``tests.synth.pdf``
rendered at a scanner's resolution (PDFium), optionally damaged the way scans and exports are
(JPEG compression, noise, a slight turn), and wrapped as PNG, JPEG, TIFF, a scanned PDF or a
DICOM Secondary Capture. Everything is made in code from invented data."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from dexa.contract import ReportDocument
from tests.parsers.image.pages import image_pdf_bytes, jpeg_bytes, png_bytes, tiff_bytes
from tests.synth import sr


def page_png(pdf: bytes, page: int = 0, dpi: int = 200) -> bytes:
    """Page ``page`` of ``pdf`` as a greyscale PNG at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render(pdf: bytes, dpi: float) -> list[Image.Image]:
    """Every page of ``pdf`` as an RGB image at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            pages.append(bitmap.to_pil().convert("RGB"))
            bitmap.close()
            page.close()
        return pages
    finally:
        document.close()


def damaged(image: Image.Image, *, jpeg_quality: int | None = None, noise: float = 0.0,
            degrees: float = 0.0, seed: int = 0) -> Image.Image:
    """The page as a scanner or an export leaves it: turned by ``degrees`` (white corners),
    with Gaussian noise of ``noise`` grey levels, then JPEG-compressed at ``jpeg_quality``."""
    if degrees:
        image = image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False,
                             fillcolor="white")
    if noise:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(seed).normal(0.0, noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if jpeg_quality:
        image = Image.open(io.BytesIO(jpeg_bytes(image, jpeg_quality))).convert("RGB")
    return image


def as_png(pages: list[Image.Image], dpi: float) -> bytes:
    return png_bytes(pages[0], dpi)


def as_jpeg(pages: list[Image.Image], dpi: float, quality: int = 75) -> bytes:
    return jpeg_bytes(pages[0], quality, dpi)


def as_tiff(pages: list[Image.Image], dpi: float) -> bytes:
    return tiff_bytes(pages, dpi)


def as_scanned_pdf(pages: list[Image.Image], dpi: float) -> bytes:
    """A PDF of the pages as pictures (no text layer); one page per picture."""
    from fpdf import FPDF

    width_pt, height_pt = pages[0].width * 72 / dpi, pages[0].height * 72 / dpi
    out = FPDF(unit="pt", format=(width_pt, height_pt))
    out.set_auto_page_break(False)
    for image in pages:
        out.add_page()
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        buffer.seek(0)
        out.image(buffer, x=0, y=0, w=width_pt, h=height_pt)
    return bytes(out.output())


def as_secondary_capture(report: ReportDocument, pages: list[Image.Image], dpi: float) -> bytes:
    """The first page as a DICOM Secondary Capture carrying the case's header facts."""
    return sr.secondary_capture(report, page=pages[0], dpi=dpi)


__all__ = ["as_jpeg", "as_png", "as_scanned_pdf", "as_secondary_capture", "as_tiff", "damaged",
           "image_pdf_bytes", "page_png", "render"]
