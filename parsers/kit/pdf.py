"""Opening a PDF with PDFium, the one place that tells a password from damage.

Both the PDF reader (``parsers.pdf.geometry``: the text layer) and the image decoder
(``parsers.image.decode``: the pages without text, rendered for OCR) open PDFs; a PDF that needs
a password is ``encrypted`` and one PDFium cannot open is ``corrupt`` for both alike.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from dexa.contract import Corrupt, Encrypted

__all__ = ["open_pdf"]

_FPDF_ERR_PASSWORD = 4  # FPDF_GetLastError: a password is required or is wrong


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The PDF in ``data``, open; the caller closes it.

    Raises:
        Encrypted: the PDF needs a password.
        Corrupt: PDFium cannot open it (truncated, not a PDF past its header, damaged xref).
    """
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise Encrypted("the PDF is password-protected") from exc
        raise Corrupt(f"the PDF cannot be opened ({exc})") from exc
