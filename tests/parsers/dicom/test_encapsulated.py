"""DICOM Encapsulated PDF: handed to the PDF reader, header facts fill what the PDF omits."""

from __future__ import annotations

import importlib.util
import sys
import types

import pytest

from dexa.contract import (
    Measurement,
    NoTextLayer,
    Patient,
    ReportDocument,
    ReportRejected,
    Source,
    Study,
)
from parsers import parse_bytes
from tests.conftest import assert_valid_report
from tests.synth import cases, sr

PATH = "pacs/doc.dcm"
needs_pdf_reader = pytest.mark.skipif(importlib.util.find_spec("parsers.pdf") is None,
                                      reason="parsers.pdf (the PDF reader) is not there yet")


@pytest.fixture
def fake_pdf_reader(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """A stand-in ``parsers.pdf`` that states some facts and leaves others null."""
    seen: list[bytes] = []

    def read_pdf(data: bytes, *, path: str, sha256: str) -> ReportDocument:
        seen.append(data)
        if b"image only" in data:
            raise NoTextLayer("no text layer")
        return ReportDocument(
            source=Source(path=path, sha256=sha256, kind="pdf", vendor="GE Healthcare"),
            patient=Patient(id="PDF-ID", sex=None, birth_date="1956-02-01"),
            study=Study(scan_date=None, reference_database="USA (Combined NHANES/Lunar)"),
            measurements=[Measurement(region="femoral_neck", side="left", t_score=-2.0)],
            warnings=["FROM_PDF"])

    import parsers.scanned  # noqa: F401 -- the OCR fallback (real) is loaded before the stand-in

    module = types.ModuleType("parsers.pdf")
    module.read_pdf = read_pdf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "parsers.pdf", module)
    return seen


def test_header_fills_only_what_the_pdf_left_null(fake_pdf_reader: list[bytes]) -> None:
    case = cases.motivating_case()
    pdf = b"%PDF-1.4 fake body %%EOF"
    data = sr.encapsulated_pdf(pdf, case)
    doc = parse_bytes(data, PATH)
    assert fake_pdf_reader == [pdf]  # the PDF bytes, without DICOM padding
    assert_valid_report(doc.to_dict())
    assert doc.source.model_dump() == {
        "path": PATH, "sha256": doc.source.sha256, "kind": "dicom-pdf", "vendor": "GE Healthcare",
        "software": "enCORE 17", "device": "Lunar iDXA ME+200123",
        "created": "2024-03-14T10:16:00"}
    assert doc.patient == Patient(id="PDF-ID", sex="F", birth_date="1956-02-01", age_years=68.0,
                                  height_cm=160.0, weight_kg=61.0, ethnicity="White")
    assert doc.study == Study(scan_date="2024-03-14", accession="ACC0001",
                              study_uid=case.study.study_uid,
                              reference_database="USA (Combined NHANES/Lunar)")
    assert doc.measurements == [Measurement(region="femoral_neck", side="left", t_score=-2.0)]
    assert doc.warnings == ["FROM_PDF"]
    assert "Müller" not in doc.to_json()


def test_pdf_reader_rejection_passes_through(fake_pdf_reader: list[bytes]) -> None:
    """The wrapped PDF has no text and its pages cannot be drawn for OCR: no_text_layer stands."""
    data = sr.encapsulated_pdf(b"%PDF-1.4 image only", cases.motivating_case())
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(data, PATH)
    assert caught.value.code == "no_text_layer"


@needs_pdf_reader
@pytest.mark.parametrize("name", sorted(cases.ALL_CASES))
def test_wrapped_ge_pdf_reads_like_the_pdf_plus_header(name: str) -> None:
    from parsers.pdf import read_pdf
    from tests.synth.pdf import ge_pdf

    case = cases.ALL_CASES[name]()
    pdf = ge_pdf(case)
    data = sr.encapsulated_pdf(pdf, case)
    doc = parse_bytes(data, PATH)
    assert_valid_report(doc.to_dict())
    alone = read_pdf(pdf, path=PATH, sha256=doc.source.sha256)
    expected = alone.model_copy(deep=True)
    expected.source.kind = "dicom-pdf"
    header = sr.as_read(case, data, PATH)
    for part in ("source", "patient", "study"):
        mine, theirs = getattr(expected, part), getattr(header, part)
        for field in type(mine).model_fields:
            if getattr(mine, field) is None and field != "menopausal_status":
                setattr(mine, field, getattr(theirs, field))
    assert doc == expected
    assert doc.study.accession == case.study.accession  # never printed, from the header
    assert doc.measurements  # the PDF reader did read the table


@needs_pdf_reader
def test_wrapped_image_only_pdf_has_no_text_layer() -> None:
    from tests.synth.pdf import image_only_pdf

    data = sr.encapsulated_pdf(image_only_pdf(), cases.motivating_case())
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(data, PATH)
    assert caught.value.code == "no_text_layer"
