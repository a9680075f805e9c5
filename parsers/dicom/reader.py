"""The DICOM reader: bytes of a DXA structured report, or of a PDF wrapped in DICOM, to a report
document or a CONTRACT rejection.

``read_dicom`` opens the bytes once (by tag, tolerantly), decides what the object is from its
SOP class and content, and either maps the SR content tree (``tree`` -> ``mapping``), hands an
encapsulated PDF to the PDF reader (``encapsulated``), or rejects the object with the CONTRACT
error code that says why.

Every input ends as a document or a ``dexa.contract.ReportRejected``. pydicom is only touched
through ``values.element`` (and ``dcmread``), which turn its many exception types on damaged bytes
into ``Malformed`` -> ``Corrupt``. Any other exception would be a defect of this reader: it is
deliberately not caught here, so that tests see it (``parsers.parse_bytes`` still reports it to
users as ``corrupt``, without a traceback).
"""

from __future__ import annotations

import re
import warnings
from io import BytesIO

from pydicom import config as pydicom_config
from pydicom import dcmread
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset

from dexa.contract import (
    Corrupt,
    NoMeasurements,
    NotDicom,
    NotDxa,
    NoTextLayer,
    ReportDocument,
    Source,
    UnsupportedFormat,
)
from parsers.dicom.encapsulated import MIME_TYPE, pdf_bytes, read_encapsulated_pdf
from parsers.dicom.header import MODEL, Header, read_header
from parsers.dicom.mapping import map_tree
from parsers.dicom.script import find_script, read_script
from parsers.dicom.tree import CONTENT_SEQUENCE, read_tree
from parsers.dicom.values import Malformed, element, text
from parsers.sniff import InputKind, sniff

__all__ = ["image_header", "read_dicom"]

_STORAGE = "1.2.840.10008.5.1.4.1.1."
SR_PREFIX = _STORAGE + "88."
ENCAPSULATED_PDF = _STORAGE + "104.1"
ENCAPSULATED_PREFIX = _STORAGE + "104."
SECONDARY_CAPTURE_PREFIX = _STORAGE + "7"
ROWS = 0x00280010
UNDEFINED_LENGTH = 0xFFFFFFFF
_UID = re.compile(r"[0-9]+(?:\.[0-9]+)*")
NOT_RESULT_SRS = {
    SR_PREFIX + "40": "a procedure log",
    SR_PREFIX + "59": "a key object selection",
    SR_PREFIX + "67": "an X-Ray radiation dose SR",
    SR_PREFIX + "68": "a radiopharmaceutical radiation dose SR",
    SR_PREFIX + "73": "a patient radiation dose SR",
    SR_PREFIX + "76": "an enhanced X-Ray radiation dose SR",
}
_DXA_IMAGE_WORDS = re.compile(r"\b(?:dxa|dexa|densitom\w*|bone density|bmd|hologic|lunar|norland"
                              r"|l?spine|hip|femur|forearm|arm)\b", re.IGNORECASE)

# pydicom's complaints about damaged input are not for the user: they quote raw element bytes
# (a patient's name among them) on stderr. The reader says what it found with a rejection or a
# document warning instead; pydicom neither validates values on reading nor warns.
pydicom_config.settings.reading_validation_mode = pydicom_config.IGNORE
warnings.filterwarnings("ignore", category=UserWarning, module=r"pydicom(\.|$)")


def read_dicom(data: bytes, *, path: str, sha256: str) -> ReportDocument:
    """Read one DICOM object into a report document.

    Raises:
        NotDicom: the bytes are not DICOM.
        Corrupt: DICOM, but truncated or malformed.
        NotDxa: a DICOM object that is not a DXA report (dose SR, CT image, other SR).
        NoMeasurements: a DXA SR (or wrapped PDF) that states no measurement.
        NoTextLayer: a DXA report stored as an image (Secondary Capture).
        UnsupportedFormat: another encapsulated document type (CDA, STL, ...).
        ReportRejected: whatever the PDF reader rejects a wrapped PDF with.
    """
    if sniff(data) is not InputKind.DICOM:  # dcmread(force=True) would read almost anything
        raise NotDicom("no DICOM preamble and no DICOM header")
    try:
        return _read(_open(data), path=path, sha256=sha256)
    except Malformed as exc:  # damaged bytes; any other exception is a reader defect
        raise Corrupt(f"malformed DICOM content: {exc}") from exc


def image_header(data: bytes) -> tuple[Header, bytes | None]:
    """The header facts of a DICOM object whose report is a picture (read by OCR elsewhere),
    and its wrapped PDF when it is an encapsulated PDF (of scanned pages).

    Raises:
        NotDicom, Corrupt: as ``read_dicom``.
    """
    if sniff(data) is not InputKind.DICOM:
        raise NotDicom("no DICOM preamble and no DICOM header")
    try:
        ds = _open(data)
        header = read_header(ds)
        is_pdf = header.sop_class == ENCAPSULATED_PDF or (
            text(ds, MIME_TYPE) or "").lower() == "application/pdf"
        return header, pdf_bytes(ds) if is_pdf else None
    except Malformed as exc:
        raise Corrupt(f"malformed DICOM content: {exc}") from exc


def _open(data: bytes) -> Dataset:
    try:
        ds = dcmread(BytesIO(data), force=True, stop_before_pixels=True)
    except Exception as exc:
        raise Corrupt(f"unreadable DICOM ({type(exc).__name__})") from exc
    if len(ds) == 0:
        raise Corrupt("no DICOM data set after the file meta information")
    if _is_truncated(ds):
        raise Corrupt("the file ends inside a data element (truncated)")
    return ds


def _is_truncated(ds: Dataset) -> bool:
    """pydicom keeps a value cut short by the end of the file without a word: compare each
    raw value with its declared length."""
    for tag in ds.keys():  # noqa: SIM118 (iterating a Dataset would convert every element)
        elem = element(ds, tag)
        if isinstance(elem, RawDataElement) and isinstance(elem.value, bytes) \
                and elem.length != UNDEFINED_LENGTH and len(elem.value) < elem.length:
            return True
    return False


def _read(ds: Dataset, *, path: str, sha256: str) -> ReportDocument:
    header = read_header(ds)
    sop = header.sop_class or ""
    if sop and not _UID.fullmatch(sop):
        raise Corrupt("the SOP Class UID is not a UID")
    if sop == ENCAPSULATED_PDF or (text(ds, MIME_TYPE) or "").lower() == "application/pdf":
        return read_encapsulated_pdf(ds, header, path=path, sha256=sha256)
    if sop.startswith(ENCAPSULATED_PREFIX):
        raise UnsupportedFormat(f"DICOM encapsulated document of SOP class {sop}")
    if sop in NOT_RESULT_SRS:
        raise NotDxa(f"{NOT_RESULT_SRS[sop]}, not a DXA report")
    if sop.startswith(SR_PREFIX) or (not sop and element(ds, CONTENT_SEQUENCE) is not None):
        return _read_sr(ds, header, path=path, sha256=sha256)
    if sop.startswith(SECONDARY_CAPTURE_PREFIX) or element(ds, ROWS) is not None:
        script = find_script(ds)
        if script is not None:
            return _read_script(ds, header, script, path=path, sha256=sha256)
        if _is_dxa_image(ds, header):
            raise NoTextLayer("a DXA report stored as an image (no text or structured content)")
        raise NotDxa(f"an image ({header.modality or 'unknown modality'}), not a DXA report")
    raise NotDxa(f"DICOM object of SOP class {sop or 'unknown'} is not a DXA report")


def _is_dxa_image(ds: Dataset, header: Header) -> bool:
    if header.modality in ("BMD", "BDUS"):
        return True
    if header.modality not in (None, "OT", "DX", "CR"):
        return False
    words = " ".join(filter(None, (header.vendor, text(ds, MODEL), header.descriptions)))
    return _DXA_IMAGE_WORDS.search(words) is not None


def _read_script(ds: Dataset, header: Header, script: str, *, path: str,
                 sha256: str) -> ReportDocument:
    """A Hologic report image with its APEX report script: the script's results table."""
    measurements, warnings = read_script(script, ds)
    if not measurements:
        raise NoMeasurements("the report script states no measurement")
    return ReportDocument(
        source=Source(path=path, sha256=sha256, kind="dicom-sr", vendor=header.vendor,
                      software=header.software, device=header.device, created=header.created),
        patient=header.patient, study=header.study, measurements=measurements,
        warnings=header.warnings + warnings)


def _read_sr(ds: Dataset, header: Header, *, path: str, sha256: str) -> ReportDocument:
    content = map_tree(read_tree(ds), header.study.scan_date)
    if not content.measurements:
        if content.looks_dxa or header.modality == "BMD":
            raise NoMeasurements("the DXA report states no measurement")
        raise NotDxa("a structured report without bone-density content")
    scan_date = header.study.scan_date
    if header.history:  # the request's clinical history, read as any written history item
        content.history_text.append(("Additional Patient History", header.history))
    history = content.history(scan_date)
    return ReportDocument(
        source=Source(path=path, sha256=sha256, kind="dicom-sr", vendor=header.vendor,
                      software=header.software, device=header.device, created=header.created),
        patient=header.patient.model_copy(update={
            "menopausal_status": history.menopausal_status,
            "sex": header.patient.sex or history.sex}),  # the header's typed sex first
        study=header.study.model_copy(update={"reference_database": content.reference_database}),
        measurements=content.measurements,
        frax=content.frax_model(),
        fracture_history=history.fracture_history,
        therapy=history.therapy,
        priors=[p for p in content.priors if p.scan_date != scan_date],
        lsc=content.lsc,
        warnings=header.warnings + content.warnings + history.warnings,
    )
