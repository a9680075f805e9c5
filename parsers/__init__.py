"""Readers: bytes in, a report document or a typed rejection out.

Readers are pure: no database, no rules, no logging of patient data. The format is chosen by
content (magic bytes), never by file name. ``parse_bytes`` is the one entry point; it guarantees
that any failure reaches the caller as a ``ReportRejected`` with a CONTRACT error code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from dexa.contract import (
    Corrupt,
    Empty,
    NotDicom,
    NoTextLayer,
    ReportDocument,
    ReportRejected,
    UnsupportedFormat,
)
from parsers.kit.measures import checked_report
from parsers.kit.text import decode_text
from parsers.sniff import InputKind, sniff

DICOM_SUFFIXES = (".dcm", ".dicom")
_TEXT_HEAD = 4096  # what tells a FHIR resource or an HL7 message from a free-text report


def _by_ocr(reader: Callable[..., ReportDocument], data: bytes, path: str, sha256: str,
            no_text: NoTextLayer) -> ReportDocument:
    """The report of a DICOM object or PDF whose reader found no text, read from its pictures.
    Pictures that cannot be decoded leave the reader's ``no_text_layer`` standing; an OCR
    engine that cannot run is ``unsupported_format`` (``OcrUnavailable``: not the file's fault)."""
    from parsers.image.errors import OcrUnavailable

    try:
        return reader(data, path=path, sha256=sha256)
    except OcrUnavailable:
        raise
    except (Corrupt, UnsupportedFormat) as exc:
        raise no_text from exc


def _read_text_file(data: bytes, path: str, sha256: str) -> ReportDocument:
    """A text file: a FHIR resource (JSON), an HL7 v2 message, else a free-text report (JSON
    that is not FHIR included)."""
    head = decode_text(data[:_TEXT_HEAD])
    if head.lstrip(" \t\r\n\ufeff").startswith("{"):
        from parsers.fhir import fhir_resource, read_fhir

        if (resource := fhir_resource(data)) is not None:
            return read_fhir(resource, path=path, sha256=sha256)
    else:
        from parsers.hl7 import is_message, read_hl7

        if is_message(head):
            return read_hl7(data, path=path, sha256=sha256)
    from parsers.prose import read_text

    return read_text(data, path=path, sha256=sha256)


def parse_bytes(data: bytes, path: str) -> ReportDocument:
    """Read one report. ``path`` is only recorded in ``source.path`` (and error messages).
    Whichever reader read it, the report passes the kit's one value check
    (``parsers.kit.measures.checked_report``: no BMD of zero or below).

    Raises:
        ReportRejected: the input is not a readable DXA report; ``.code`` says why.
    """
    return checked_report(_read_bytes(data, path))


def _read_bytes(data: bytes, path: str) -> ReportDocument:
    if not data:
        raise Empty("the file is empty (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    try:
        if kind is InputKind.DICOM:
            from parsers.dicom import read_dicom

            try:
                return read_dicom(data, path=path, sha256=sha256)
            except NoTextLayer as no_text:  # a report page stored as an image: OCR reads it
                from parsers.scanned import read_dicom_image

                return _by_ocr(read_dicom_image, data, path, sha256, no_text)
        if kind is InputKind.PDF:
            from parsers.pdf import read_pdf

            try:
                return read_pdf(data, path=path, sha256=sha256)
            except NoTextLayer as no_text:  # scanned pages: OCR reads them
                from parsers.scanned import read_image

                return _by_ocr(read_image, data, path, sha256, no_text)
        if kind is InputKind.IMAGE:
            from parsers.scanned import read_image

            return read_image(data, path=path, sha256=sha256)
        if kind is InputKind.TEXT:
            return _read_text_file(data, path, sha256)
    except ReportRejected:
        raise
    except RecursionError as exc:
        raise Corrupt("the file is nested too deeply to read") from exc
    except Exception as exc:  # a reader defect must not become a traceback for the user
        raise Corrupt(f"unreadable input ({type(exc).__name__})") from exc
    if path.lower().endswith(DICOM_SUFFIXES):  # CONTRACT: the name only words the error
        raise NotDicom(f"named as DICOM, but the content is not DICOM ({kind.describe()})")
    raise UnsupportedFormat(kind.describe())
