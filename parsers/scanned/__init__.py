"""Reports that reach us as pictures of their pages: scanned PDFs, screenshots, DICOM Secondary
Captures. Read by OCR (``parsers.image``) through the PDF reader's layout reading.

``read_image`` (PNG, JPEG, TIFF, image-only PDF) and ``read_dicom_image`` (DICOM images) are the
entry points; see :mod:`parsers.scanned.reader`. Modules: ``layer`` (OCR pages -> the PDF
reader's page words: deskew, ink boxes), ``checks`` (the report's own cross-checks on values
read by OCR), ``pages`` (how many pages an input would have read by OCR, for time limits),
``reader``.
"""

from parsers.scanned.pages import ocr_page_count
from parsers.scanned.reader import read_dicom_image, read_image

__all__ = ["ocr_page_count", "read_dicom_image", "read_image"]
