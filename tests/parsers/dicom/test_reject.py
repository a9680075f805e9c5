"""Every way the DICOM reader rejects an input, each with its CONTRACT error code."""

from __future__ import annotations

import pytest

from dexa.contract import ERROR_CODES, ReportDocument, ReportRejected
from parsers import parse_bytes
from parsers.dicom import read_dicom
from tests.synth import cases, sr

CASE = cases.motivating_case()


def _code(data: bytes, *, direct: bool = False) -> str:
    with pytest.raises(ReportRejected) as caught:
        if direct:
            read_dicom(data, path="x.dcm", sha256="0" * 64)
        else:
            parse_bytes(data, "x.dcm")
    assert caught.value.code in ERROR_CODES
    assert "Müller" not in caught.value.message
    return caught.value.code


@pytest.mark.parametrize("data", [b"%PDF-1.7 not dicom" * 20, b"\x00" * 300,
                                  b"hello, this is a letter\n" * 10, b"PK\x03\x04" + bytes(200)])
def test_not_dicom_even_though_force_would_read_it(data: bytes) -> None:
    assert _code(data, direct=True) == "not_dicom"


def test_preamble_then_garbage_is_corrupt() -> None:
    assert _code(bytes(128) + b"DICM" + b"\xff" * 64) == "corrupt"


@pytest.mark.parametrize("cut", [140, 400, 0.5, 0.9, -3])
def test_truncated_sr_is_corrupt(cut: float) -> None:
    data = sr.ge_enhanced_sr(CASE)
    end = int(len(data) * cut) if isinstance(cut, float) else cut
    assert _code(data[:end]) == "corrupt"


def test_sequence_length_overrunning_its_item_is_corrupt() -> None:
    data = bytearray(sr.ge_enhanced_sr(CASE))
    at = data.index(b"\x40\x00\x30\xa7SQ")  # the top-level ContentSequence (explicit VR LE)
    length = int.from_bytes(data[at + 8:at + 12], "little")
    data[at + 8:at + 12] = (length + 4000).to_bytes(4, "little")
    assert _code(bytes(data)) == "corrupt"


def test_radiation_dose_sr_is_not_dxa() -> None:
    assert _code(sr.radiation_dose_sr(CASE)) == "not_dxa"


def test_dose_content_in_a_general_sr_class_is_not_dxa() -> None:
    """A dose report sent as Comprehensive SR: its Target Region names the lumbar spine and
    its Dose Area Product says "area", yet it is no DXA report."""
    data = sr.radiation_dose_sr(CASE).replace(sr.DOSE_SR.encode(), sr.COMPREHENSIVE_SR.encode())
    assert _code(data) == "not_dxa"


def test_non_dxa_secondary_capture_is_not_dxa() -> None:
    data = sr.secondary_capture(CASE).replace(b"HOLOGIC", b"ACMECAM").replace(b"HIP", b"EYE")
    data = data.replace(b"Lunar iDXA", b"Camera 3Z ")
    assert _code(data) == "not_dxa"


def test_ct_image_is_not_dxa() -> None:
    assert _code(sr.ct_image(CASE)) == "not_dxa"


def test_sr_without_bone_density_content_is_not_dxa() -> None:
    assert _code(sr.text_sr(CASE)) == "not_dxa"


def test_dxa_sr_without_a_measurement_has_no_measurements() -> None:
    empty = CASE.model_copy(update={"measurements": [], "priors": [], "lsc": []})
    assert _code(sr.ge_enhanced_sr(empty)) == "no_measurements"
    assert _code(sr.text_sr(CASE, title="DXA Report", findings="Scan not analysed.")) == \
        "no_measurements"


def test_secondary_capture_report_image_has_no_text_layer() -> None:
    assert _code(sr.secondary_capture(CASE)) == "no_text_layer"


def test_encapsulated_non_pdf_document_is_unsupported() -> None:
    data = sr.encapsulated_pdf(b"<ClinicalDocument/>", CASE)
    data = data.replace(b"1.2.840.10008.5.1.4.1.1.104.1", b"1.2.840.10008.5.1.4.1.1.104.2")
    data = data.replace(b"application/pdf", b"text/XML       ")
    assert _code(data) == "unsupported_format"


def test_encapsulated_pdf_without_a_pdf_inside_is_corrupt() -> None:
    assert _code(sr.encapsulated_pdf(b"not a pdf at all", CASE)) == "corrupt"


def test_deeply_nested_tree_is_corrupt() -> None:
    from tests.synth.sr import container, num

    item = num("BMD", 1.0, "g/cm2")
    for _ in range(80):
        item = container("Nested", [item])
    data = sr._sr(CASE, sr.ENHANCED_SR, sr.concept("DXA Report"), [item], sr.HeaderQuirks())
    assert _code(data) == "corrupt"


def test_a_valid_file_is_not_rejected() -> None:
    """The rejection tests above must not pass merely because everything is rejected."""
    assert isinstance(parse_bytes(sr.ge_enhanced_sr(CASE), "x.dcm"), ReportDocument)


GARBAGE = b"This is not a DICOM file.\n" + bytes(range(256)) * 4


@pytest.mark.parametrize("name", ["x.dcm", "exports/X.DCM", "y.dicom", "z.Dicom"])
def test_unknown_content_named_as_dicom_is_not_dicom(name: str) -> None:
    """CONTRACT: content that is not DICOM under a DICOM name (any case) is ``not_dicom``."""
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(GARBAGE, name)
    assert caught.value.code == "not_dicom"


@pytest.mark.parametrize("name", ["x.bin", "x.dcm.bak", "dcm", "x.dcmx"])
def test_the_same_content_under_another_name_is_unsupported(name: str) -> None:
    with pytest.raises(ReportRejected) as caught:
        parse_bytes(GARBAGE, name)
    assert caught.value.code == "unsupported_format"


def test_a_real_sr_is_read_whatever_its_name() -> None:
    """The format is chosen by content: the name only words an error."""
    assert parse_bytes(sr.ge_enhanced_sr(CASE), "report.txt").measurements
