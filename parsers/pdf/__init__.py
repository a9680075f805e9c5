"""PDF reports: vendor printouts and dictated reports printed to PDF.

``read_pdf(data, path=…, sha256=…)`` is the entry point; see :mod:`parsers.pdf.reader`.
``read_pages(pages, path=…, sha256=…)`` reads positioned words of other origin (OCR of page
images) the same way: ``PageWords(width, height, words)`` per page, or
``PageWords.from_boxes(width, height, [(text, x0, y0, x1, y1), …])`` in points, y downwards.
Modules: ``reader`` (bytes or page words -> document or rejection), ``layout`` (page words ->
lines), ``geometry`` (PDFium text layer -> page words), ``tables`` (column headers and
geometry), ``blocks`` (key-value score blocks), ``facts`` (header and footer facts),
``values`` (cell values). A PDF without a vendor table is
read as free text by ``parsers.prose``.
"""

from parsers.pdf.layout import PageWords, Word
from parsers.pdf.reader import read_pages, read_pdf

__all__ = ["PageWords", "Word", "read_pages", "read_pdf"]
