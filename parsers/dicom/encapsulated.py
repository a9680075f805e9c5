"""DICOM Encapsulated PDF: the PDF reader reads the document, the header fills its gaps."""

from __future__ import annotations

from pydicom.dataset import Dataset

from dexa.contract import Corrupt, NoMeasurements, ReportDocument, UnsupportedFormat
from parsers.dicom.header import Header
from parsers.dicom.values import element

ENCAPSULATED_DOCUMENT = 0x00420011
MIME_TYPE = 0x00420012


def _pdf_bytes(ds: Dataset) -> bytes:
    elem = element(ds, ENCAPSULATED_DOCUMENT)
    value = elem.value if elem is not None else None
    if not isinstance(value, bytes) or not value:
        raise Corrupt("the encapsulated PDF holds no document")
    start = value.find(b"%PDF-")
    if start < 0:
        raise Corrupt("the encapsulated document is not a PDF")
    return value[start:].rstrip(b"\x00")  # DICOM pads odd lengths with one null byte


def pdf_bytes(ds: Dataset) -> bytes | None:
    """The wrapped PDF of an encapsulated-PDF object, or None when it holds none."""
    try:
        return _pdf_bytes(ds)
    except Corrupt:
        return None


def _merge(model: object, facts: object, header_wins: frozenset[str] = frozenset()) -> None:
    """Fill every field of ``model`` the document left null with the header's value (and
    replace those named in ``header_wins`` wherever the header states them)."""
    for name in type(model).model_fields:  # type: ignore[attr-defined]
        value = getattr(facts, name, None)
        if value is not None and (getattr(model, name) is None or name in header_wins):
            setattr(model, name, value)


def merge_header(document: ReportDocument, header: Header,
                 header_wins: frozenset[str] = frozenset()) -> None:
    """Header facts into a document read from the object's content: they fill what the
    content left null; fields named in ``header_wins`` take the header's value wherever it
    states one (typed data over values read by OCR)."""
    _merge(document.source, header)
    _merge(document.patient, header.patient, header_wins)
    _merge(document.study, header.study, header_wins)
    for warning in header.warnings:
        if warning not in document.warnings and not (
                warning == "NO_SCAN_DATE" and document.study.scan_date is not None):
            document.warnings.append(warning)


def read_encapsulated_pdf(ds: Dataset, header: Header, *, path: str,
                          sha256: str) -> ReportDocument:
    """Read the wrapped PDF with ``parsers.pdf.read_pdf``; header facts fill what it lacks.

    Raises:
        Corrupt: no document, or not a PDF inside.
        UnsupportedFormat: the PDF reader is not installed in this build.
        ReportRejected: whatever the PDF reader rejects the document with.
    """
    pdf = _pdf_bytes(ds)
    try:
        from parsers.pdf import read_pdf
    except ImportError as exc:
        raise UnsupportedFormat("DICOM encapsulated PDF, and no PDF reader is available") from exc
    document = read_pdf(pdf, path=path, sha256=sha256)
    if not document.measurements:
        raise NoMeasurements("the encapsulated PDF states no measurement")
    document.source.kind = "dicom-pdf"
    document.source.path, document.source.sha256 = path, sha256
    merge_header(document, header)
    return document
