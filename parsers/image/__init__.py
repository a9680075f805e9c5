"""Image-only reports: page images decoded from PNG, JPEG, TIFF, image-only PDF and DICOM
(``decode``), read by OCR into words with boxes in page points (``ocr``).

This package is the engine layer only: it knows nothing of report layouts. The layout reader
takes ``OcrWord``s as it takes PDF characters. Typed errors are in ``errors`` (the package's only
import from ``dexa``).
"""

from parsers.image.decode import PageImage, decode_pages, pdf_pages_without_text, render_pdf_pages
from parsers.image.errors import (
    CorruptImage,
    ImageTooLarge,
    OcrEngineError,
    OcrModelMissing,
    UnsupportedImage,
)
from parsers.image.ocr import (
    OcrLine,
    OcrPage,
    OcrSettings,
    OcrWord,
    get_engine,
    read_page,
    read_pages,
)

__all__ = [
    "CorruptImage",
    "ImageTooLarge",
    "OcrEngineError",
    "OcrLine",
    "OcrModelMissing",
    "OcrPage",
    "OcrSettings",
    "OcrWord",
    "PageImage",
    "UnsupportedImage",
    "decode_pages",
    "get_engine",
    "pdf_pages_without_text",
    "read_page",
    "read_pages",
    "render_pdf_pages",
]
