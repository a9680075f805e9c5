"""PDF reports: vendor printouts and dictated reports printed to PDF.

``read_pdf(data, path=…, sha256=…)`` is the entry point; see :mod:`parsers.pdf.reader`.
Modules: ``reader`` (bytes -> document or rejection), ``geometry`` (PDFium text layer -> words
and lines), ``tables`` (column headers and geometry), ``blocks`` (key-value score blocks),
``facts`` (header and footer facts), ``values`` (cell values). A PDF without a vendor table is
read as free text by ``parsers.prose``.
"""

from parsers.pdf.reader import read_pdf

__all__ = ["read_pdf"]
