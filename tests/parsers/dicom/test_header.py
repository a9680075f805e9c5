"""Header facts and the header quirks of real exports: each one costs a value, never the file."""

from __future__ import annotations

import pytest

from dexa.contract import ReportDocument
from parsers import parse_bytes
from parsers.sniff import InputKind, sniff
from tests.conftest import assert_valid_report
from tests.synth import cases, sr
from tests.synth.sr import HeaderQuirks

PATH = "in/quirk.dcm"


def _parse(data: bytes) -> ReportDocument:
    doc = parse_bytes(data, PATH)
    assert_valid_report(doc.to_dict())
    text = doc.to_json()
    assert "Müller" not in text and "Zoë" not in text and "Synthetic" not in text
    return doc


def _expected(case: ReportDocument, data: bytes, **changes: dict) -> ReportDocument:
    """The case as read, with the patient / study fields the quirk changes."""
    doc = sr.as_read(case, data, PATH)
    for part, update in changes.items():
        setattr(doc, part, getattr(doc, part).model_copy(update=update))
    return doc


def test_no_preamble_parses_like_the_full_file() -> None:
    case = cases.motivating_case()
    data = sr.ge_enhanced_sr(case, quirks=HeaderQuirks(no_preamble=True))
    assert data[128:132] != b"DICM" and sniff(data) is InputKind.DICOM
    assert _parse(data) == sr.as_read(case, data, PATH)


def test_fractional_times_are_harmless() -> None:
    case = cases.osteoporosis_case()
    data = sr.ge_enhanced_sr(case, quirks=HeaderQuirks(fractional_tm=True))
    assert _parse(data) == _expected(case, data, source={"created": "2024-11-05T10:15:00.500000"})


def test_empty_sex_is_null() -> None:
    case = cases.normal_man_case()
    data = sr.generic_sr(case, quirks=HeaderQuirks(empty_sex=True))
    assert _parse(data) == _expected(case, data, patient={"sex": None})


def test_bad_birth_date_is_null_with_a_warning_and_age_from_patient_age() -> None:
    case = cases.motivating_case()
    data = sr.ge_enhanced_sr(case, quirks=HeaderQuirks(bad_birth_date=True))
    expected = _expected(case, data, patient={"birth_date": None, "age_years": 68.0})
    expected.warnings = ["BAD_BIRTH_DATE"]
    assert _parse(data) == expected


def test_wrong_vr_values_are_still_read() -> None:
    """Dates written as LO, PatientSize as FD (binary), PatientWeight as FL."""
    case = cases.motivating_case()
    data = sr.ge_enhanced_sr(case, quirks=HeaderQuirks(wrong_vr=True))
    assert _parse(data) == sr.as_read(case, data, PATH)


def test_missing_study_date_keeps_every_prior_and_warns() -> None:
    case = cases.motivating_case()
    data = sr.ge_enhanced_sr(case, quirks=HeaderQuirks(no_study_date=True))
    doc = _parse(data)
    assert doc.study.scan_date is None and doc.patient.age_years == 68.0
    assert doc.warnings == ["NO_SCAN_DATE"]
    # without a scan date the reader cannot tell today's trend point from a prior one
    assert [(p.scan_date, p.region) for p in doc.priors] == [
        (day, region) for region in ("lumbar_spine", "femoral_neck", "total_hip")
        for day in ("2021-05-02", "2024-03-14")]
    assert doc.measurements == case.measurements


def test_all_quirks_together() -> None:
    case = cases.premenopausal_z_case()
    quirks = HeaderQuirks(no_preamble=True, fractional_tm=True, empty_sex=True,
                          bad_birth_date=True, wrong_vr=True)
    data = sr.generic_sr(case, sop="basic_text", quirks=quirks)
    expected = _expected(case, data, patient={"sex": None, "birth_date": None,
                                              "age_years": 38.0},
                         source={"created": f"{case.study.scan_date}T10:15:00.500000"})
    expected.warnings = ["BAD_BIRTH_DATE"]
    assert _parse(data) == expected


@pytest.mark.parametrize(("raw", "expected"), [("068Y", 68.0), ("006M", 0.5), ("052W", 1.0),
                                               ("030D", 0.1), ("68", 68.0)])
def test_patient_age_units(raw: str, expected: float) -> None:
    from pydicom.dataset import Dataset

    from parsers.dicom.header import read_header

    ds = Dataset()
    ds.PatientAge = raw
    assert read_header(ds).patient.age_years == expected


def test_header_values_tolerated_one_by_one() -> None:
    """Odd values: height in cm, Latin-1 ethnic group, unknown sex, ACR-NEMA date."""
    from pydicom.dataelem import RawDataElement
    from pydicom.dataset import Dataset
    from pydicom.tag import Tag

    from parsers.dicom.header import read_header

    ds = Dataset()
    ds.PatientSize = "165"
    ds.PatientSex = "O"
    ds.StudyDate = "2024.03.14"
    for tag, vr, value in ((0x00101030, "DS", b"abc "),
                           (0x00102160, "SH", "Fran\xe7ais".encode("latin-1"))):
        ds[tag] = RawDataElement(Tag(tag), vr, len(value), value, 0, False, True)
    header = read_header(ds)
    assert header.patient.model_dump() == {
        "id": None, "sex": None, "birth_date": None, "age_years": None,
        "menopausal_status": None, "height_cm": 165.0, "weight_kg": None,
        "ethnicity": "Français"}
    assert header.study.scan_date == "2024-03-14"
    assert header.warnings == ["PATIENT_SIZE_IN_CM"]


def test_patient_name_is_never_read() -> None:
    from pydicom.dataset import Dataset

    from parsers.dicom import header

    ds = Dataset()
    ds.PatientName = "Secret^Name"
    ds.PatientID = "ID1"
    result = header.read_header(ds)
    assert "Secret" not in repr(result)


def test_reading_odd_values_logs_and_warns_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """pydicom logs invalid values it converts (a birth date, say); the reader never has it
    convert one."""
    import logging
    import warnings

    data = sr.ge_enhanced_sr(cases.motivating_case(),
                             quirks=HeaderQuirks(bad_birth_date=True, wrong_vr=True,
                                                 fractional_tm=True))
    caplog.set_level(logging.DEBUG)
    caplog.clear()  # the writer's own complaints
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _parse(data)
    assert caplog.records == []


@pytest.mark.parametrize(("elements", "created"), [
    ({"ContentDate": "20240314", "ContentTime": "101600",
      "InstanceCreationDate": "20240320", "InstanceCreationTime": "090000"}, "2024-03-14T10:16:00"),
    ({"InstanceCreationDate": "20240320", "InstanceCreationTime": "0900"}, "2024-03-20T09:00:00"),
    ({"ContentDate": "20240314", "ContentTime": "101600.25"}, "2024-03-14T10:16:00.250000"),
    ({"ContentDate": "20240314", "ContentTime": "10:16:30"}, "2024-03-14T10:16:30"),
    ({"ContentDate": "20240314", "ContentTime": "996600"}, "2024-03-14"),  # no such time
    ({"ContentDate": "20240314"}, "2024-03-14"),
    ({"ContentDate": "20241399", "InstanceCreationDate": "20240320"}, "2024-03-20"),
    ({"StudyDate": "20240314", "StudyTime": "101530"}, None),  # when scanned, not made
])
def test_creation_time_from_content_else_instance_creation(elements: dict, created: str | None
                                                           ) -> None:
    from pydicom.dataset import Dataset

    from parsers.dicom.header import read_header

    ds = Dataset()
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    assert read_header(ds).created == created


def test_an_amended_report_states_its_own_creation_time() -> None:
    case = cases.motivating_case()
    case.source.created = "2024-03-15T08:30:00"
    data = sr.ge_enhanced_sr(case)
    doc = _parse(data)
    assert doc.source.created == "2024-03-15T08:30:00"
    assert doc.study.scan_date == "2024-03-14"
