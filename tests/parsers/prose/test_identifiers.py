"""Patient id and accession of free-text reports: only where a label of the fact names them."""

from __future__ import annotations

import pytest

from parsers.prose import read_text

_BODY = "\nRESULTS:\nLumbar spine L1-L4: BMD 0.930 g/cm2, T-score -1.0, Z-score -0.2.\n"


def _ids(header: str) -> tuple[str | None, str | None]:
    doc = read_text((header + _BODY).encode(), path="r.txt", sha256="0" * 64)
    return doc.patient.id, doc.study.accession


@pytest.mark.parametrize(("header", "expected"), [
    ("Patient: Doe, Jane    Chart #: MRN4402117\nScan date: 03/14/2024", "MRN4402117"),
    ("Patient: Doe, Jane    Chart No.: 0003318840", "0003318840"),
    ("Chart Number: HX-20931", "HX-20931"),
    ("Hospital No.: K2290183", "K2290183"),
    ("NHS Number: 943 476 5919", "943 476 5919"),
    ("UR No: 00412873", "00412873"),
    ("Patient ID / MRN: A2291-4471", "A2291-4471"),
    ("Medical Record #: 77120394", "77120394"),
])
def test_patient_id_under_its_labels(header: str, expected: str) -> None:
    assert _ids(header)[0] == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("Accession #: RAD0046605", "RAD0046605"),
    ("Acc. No.: A5193-6911", "A5193-6911"),
    ("Exam #: 000958822", "000958822"),
    ("Requisition No.: RQ7731205", "RQ7731205"),
])
def test_accession_under_its_labels(header: str, expected: str) -> None:
    assert _ids(header)[1] == expected


@pytest.mark.parametrize("header", [
    "Reference Chart: see page 2",  # a chart without a number mark is not a chart number
    "Scan ID: A03142401\nStudy ID: 4471",  # a scan or study id is not the patient's
    "Referring physician ID: 120034",
    "The chart number was not available at the time of dictation.",  # a label in a sentence
    "MRN:\nPhone: 555-0100",  # an empty label; the next line is not its value
    "Accession:\nDate of study: 03/14/2024",
    "Accession: 03/14/2024",  # a date is not an accession
])
def test_look_alikes_give_no_identifier(header: str) -> None:
    assert _ids(header) == (None, None)


@pytest.mark.parametrize(("header", "expected"), [
    ("NAME Doe^Jane\nMRN 0004211879\nDOB 19/09/1947", ("0004211879", None)),
    ("PATIENT ID        HX-40211\nACCESSION NO      RAD0046605", ("HX-40211", "RAD0046605")),
    ("| Patient ID | A2291-4471 |\n| Accession # | 000958822 |", ("A2291-4471", "000958822")),
    ("Patient ID\tP1339346", ("P1339346", None)),
])
def test_key_value_rows_without_a_colon(header: str, expected: tuple) -> None:
    assert _ids(header) == expected


@pytest.mark.parametrize("header", [
    "ACC 2019 guideline cited in the recommendations.",  # a year is not an accession
    "MRN verified with two identifiers.",
    "Hospital number 3 was used for the scan.",
    "The patient ID 4471 band was checked.",  # inside a sentence: not a row
])
def test_rows_that_are_not_identifier_rows(header: str) -> None:
    assert _ids(header) == (None, None)
