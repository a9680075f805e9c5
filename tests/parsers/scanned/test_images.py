"""Pictures of report pages read end to end by OCR (a handful of pages: OCR costs seconds each).

Each picture is a synthetic vendor printout rendered in code (``tests.synth.images``); what a
reader must return is what the printout prints (``tests.synth.pdf.printed``). The sweep over
resolutions, JPEG qualities, noise and turns is ``benchmarks/bench_ocr_reader.py``.
"""

from __future__ import annotations

import pytest

import parsers
from dexa.contract import Measurement, ReportRejected
from tests.synth import cases, images, pdf
from tests.synth.pdf import FAKE_NAME
from tests.synth.sr import PATIENT_NAME

pytest.importorskip("rapidocr", reason="the OCR extra (rapidocr, onnxruntime) is not installed")

_SPINE = ("lumbar_spine", "vertebra")


def _spine(measurements: list[Measurement]) -> list[Measurement]:
    return [m for m in measurements if m.region in _SPINE]


def _code(data: bytes, path: str) -> str:
    with pytest.raises(ReportRejected) as rejected:
        parsers.parse_bytes(data, path)
    return rejected.value.code


def test_a_noisy_jpeg_turned_one_degree_reads_as_printed() -> None:
    report = cases.motivating_case()
    page = images.render(pdf.ge_pdf(report), 120)[0]
    data = images.as_jpeg([images.damaged(page, noise=6.0, degrees=1.0)], 120, quality=60)
    doc = parsers.parse_bytes(data, "scan.jpg")
    assert doc.source.kind == "image-ocr"
    assert _spine(doc.measurements) == _spine(pdf.printed(report, "ge").measurements)
    assert doc.study.scan_date == report.study.scan_date
    assert FAKE_NAME.split(",")[0] not in doc.to_json()  # the printed name is never output


def test_a_secondary_capture_reads_its_page_and_its_header() -> None:
    """The header's typed patient id wins over the page; the page gives the values."""
    report = cases.osteoporosis_case()
    page = images.render(pdf.hologic_pdf(report), 150)[0]
    doc = parsers.parse_bytes(images.as_secondary_capture(report, [page], 150), "sc.dcm")
    assert doc.source.kind == "image-ocr"
    assert doc.measurements == _spine(pdf.printed(report, "hologic").measurements)
    assert doc.patient.id == report.patient.id
    assert doc.study.accession == report.study.accession  # not printed: from the header
    assert PATIENT_NAME.split("^")[0] not in doc.to_json()


def test_pictures_without_a_report_are_rejected_with_their_code() -> None:
    """A blank page has no text; a page of other text (an invoice) is not a DXA report."""
    from PIL import Image

    blank = Image.new("RGB", (850, 1100), "white")
    assert _code(images.as_png([blank], 100), "blank.png") == "no_text_layer"
    invoice = images.render(pdf.non_report_pdf(), 100)
    assert _code(images.as_png(invoice, 100), "invoice.png") == "not_dxa"
