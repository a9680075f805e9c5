"""PDF reports: vendor printouts and dictated reports printed to PDF.

``read_pdf(data, path=…, sha256=…)`` is the entry point; see :mod:`parsers.pdf.reader`.
Modules: ``geometry`` (PDFium text layer -> words and lines), ``tables`` (column headers and
geometry), ``blocks`` (key-value score blocks), ``facts`` (header and footer facts), ``values``
(cell values).
"""

from parsers.pdf.reader import read_pdf

__all__ = ["read_pdf"]
