"""Every rejection path of the PDF reader, through ``parsers.parse_bytes``."""

from __future__ import annotations

import pytest

import parsers
from dexa.contract import (
    Corrupt,
    Encrypted,
    Measurement,
    NoMeasurements,
    NotDxa,
    NoTextLayer,
    ReportDocument,
)
from parsers.pdf import read_pdf
from tests.conftest import assert_valid_report
from tests.synth import cases
from tests.synth import pdf as synth


def test_password_protected_pdf_is_encrypted() -> None:
    with pytest.raises(Encrypted):
        parsers.parse_bytes(synth.encrypted_pdf(), "locked.pdf")


def test_image_only_pdf_has_no_text_layer() -> None:
    with pytest.raises(NoTextLayer):
        parsers.parse_bytes(synth.image_only_pdf(), "scan.pdf")


def test_slide_of_a_report_screenshot_has_no_text_layer() -> None:
    """The public sample PDFs: a slide title as text, the report itself as a picture."""
    data = synth.image_only_pdf(title="GE iDXA enCORE v. 17 & 18 Lumbar Spine - save as ID_LS")
    with pytest.raises(NoTextLayer):
        parsers.parse_bytes(data, "slides.pdf")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_corrupt(keep: float) -> None:
    data = synth.ge_pdf(cases.motivating_case())
    with pytest.raises(Corrupt):
        parsers.parse_bytes(data[: int(len(data) * keep)], "cut.pdf")


def test_pdf_header_with_garbage_is_corrupt() -> None:
    with pytest.raises(Corrupt):
        parsers.parse_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20, "garbage.pdf")


def test_invoice_is_not_dxa() -> None:
    with pytest.raises(NotDxa):
        parsers.parse_bytes(synth.non_report_pdf(), "invoice.pdf")


def test_letter_is_not_dxa() -> None:
    letter = ("Dear Dr Example,\n\nThank you for referring Ms Example. She was seen in clinic "
              "on 03/14/2024 and is well. Please book a follow-up appointment.\n\nYours sincerely")
    with pytest.raises(NotDxa):
        parsers.parse_bytes(synth.text_pdf(letter), "letter.pdf")


@pytest.mark.parametrize("writer", [synth.ge_pdf, synth.hologic_pdf, synth.norland_pdf])
def test_dxa_report_without_numbers_has_no_measurements(writer) -> None:
    """A template printed before the scan was analysed: the rows hold dashes only."""
    report = cases.motivating_case()
    report.measurements = [Measurement(region="lumbar_spine", levels="L1-L4"),
                           Measurement(region="femoral_neck", side="left")]
    report.priors, report.frax = [], None
    with pytest.raises(NoMeasurements):
        parsers.parse_bytes(writer(report), "template.pdf")


def test_dictated_template_without_values_has_no_measurements() -> None:
    text = ("EXAMINATION: BONE DENSITOMETRY (DXA)\nHISTORY: Evaluate bone mineral density.\n"
            "SPINE: T-Score: [ ] Z-Score: [ ]\nHIP: Femoral Neck T-Score: [ ] Z-Score: [ ]\n"
            "IMPRESSION: The bone mineral density of the lumbar spine is [ ].")
    with pytest.raises(NoMeasurements):
        parsers.parse_bytes(synth.text_pdf(text), "template.pdf")


def test_dictated_report_pdf_goes_to_the_prose_reader() -> None:
    text = ("EXAMINATION: DXA BONE DENSITOMETRY\nDATE OF STUDY: 03/14/2024\n"
            "FINDINGS: L1-L4 Total BMD values= 1.163 T-score= 0.7 Z-score= 1.2\n"
            "Left femoral neck BMD 0.701 g/cm2, T-score -2.4, Z-score -0.7.\n"
            "IMPRESSION: Osteopenia.")
    doc = parsers.parse_bytes(synth.text_pdf(text), "dictated.pdf")
    assert_valid_report(doc.to_dict())
    assert doc.source.kind == "pdf"
    spine = next(m for m in doc.measurements if m.region == "lumbar_spine")
    assert (spine.levels, spine.bmd_g_cm2, spine.t_score) == ("L1-L4", 1.163, 0.7)
    assert any(m.region == "femoral_neck" and m.t_score == -2.4 for m in doc.measurements)


def test_read_pdf_records_the_kind_it_is_given() -> None:
    doc = read_pdf(synth.hologic_pdf(cases.motivating_case()), path="a.dcm", sha256="0" * 64,
                   kind="dicom-pdf")
    assert isinstance(doc, ReportDocument)
    assert doc.source.kind == "dicom-pdf"
    assert doc.source.path == "a.dcm"
