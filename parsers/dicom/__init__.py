"""DICOM reports: DXA structured reports (Basic Text, Enhanced, Comprehensive SR), PDFs wrapped
in DICOM and Hologic report images with their report script.

``read_dicom(data, path=…, sha256=…)`` is the entry point; see :mod:`parsers.dicom.reader`.
Modules: ``reader`` (bytes -> document or rejection, by SOP class and content), ``header``
(patient, study and device facts of the header), ``rawseq`` and ``tree`` (the SR content tree,
read by tag), ``mapping`` (the tree -> measurements, priors, LSC, by meaning), ``facts`` (SR
items that are not per-site values: FRAX, fractures, therapy, reference database), ``values``
(tolerant element values; units are converted by ``parsers.kit.units``), ``encapsulated`` (a
wrapped PDF, handed to ``parsers.pdf``), ``script`` (the APEX report script a Hologic report
image carries). ``image_header`` and ``merge_header`` serve the OCR reader
(``parsers.scanned``) of report pages stored as DICOM images. Codes and item names are vocabulary:
``parsers/vocabulary/sr_codes.json`` and ``sr_items.json``.
"""

from parsers.dicom.encapsulated import merge_header
from parsers.dicom.reader import image_header, read_dicom

__all__ = ["image_header", "merge_header", "read_dicom"]
