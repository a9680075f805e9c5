"""A FHIR R4 JSON file (a DiagnosticReport, or a Bundle holding one with its Patient and
Observations) to a report document, ``source.kind`` "text".

The report's words are read by the readers of their kind, never by a copy of them: the
narrative (``text.div``, with the ``conclusion`` where the narrative does not hold it) and the
text or HTML presented forms by the free-text reader (``parsers.prose.read_prose``), a PDF
presented form by the PDF reader (``parsers.pdf.read_pdf``); the first of them that states
measurements is the document. The structured resources fill what the words leave null: the
Patient's identifier, sex and birth date, the report's effective date as the scan date (and
the age derived from them, CONTRACT), and the DXA Observations' values (``parsers.loinc``)
where the words give none of a site or leave a value null.
"""

from __future__ import annotations

import json
from typing import Any

from dexa.contract import (
    Corrupt,
    NoMeasurements,
    NotDxa,
    ReportDocument,
    ReportRejected,
    Source,
    TooLarge,
)
from parsers.fhir.narrative import narrative_lines
from parsers.fhir.resources import (
    Json,
    attachments,
    choose_report,
    coded_values,
    collect,
    concept_words,
    conclusion,
    identifier_value,
    iso_day,
    loinc_codes,
    narrative,
    observations,
    scan_day,
    sex_of,
    subject_patient,
    void_reports,
)
from parsers.kit.dates import age_at
from parsers.kit.text import decode_text
from parsers.loinc import DXA_REPORT_CODES, coded_measurements, with_coded
from parsers.prose import looks_like_dxa, read_prose

MAX_BYTES = 50_000_000  # a report with its PDF printout in base64: a few megabytes
_HEAD = 4096


def fhir_resource(data: bytes) -> Json | None:
    """The resource a FHIR JSON file holds; None when the file is not FHIR JSON (not JSON, or
    JSON without a ``resourceType``: it stays a text report).

    Raises:
        TooLarge: a FHIR file of more than MAX_BYTES.
        Corrupt: JSON naming a ``resourceType`` that does not parse (a truncated export).
    """
    head = decode_text(data[:_HEAD])
    if not head.lstrip(" \t\r\n\ufeff").startswith("{"):
        return None
    names_fhir = '"resourceType"' in head
    if names_fhir and len(data) > MAX_BYTES:
        raise TooLarge(f"a FHIR file of {len(data)} bytes is larger than {MAX_BYTES}")
    try:
        resource: Any = json.loads(decode_text(data))
    except ValueError as exc:
        if names_fhir:
            raise Corrupt(f"the FHIR JSON does not parse ({exc.msg}, line {exc.lineno})"
                          if isinstance(exc, json.JSONDecodeError)
                          else "the FHIR JSON does not parse") from exc
        return None
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return None
    return resource


def _narrative_text(report: Json | None) -> str:
    """The narrative's lines, then the conclusion where the narrative does not already say it."""
    div = narrative(report)
    lines = narrative_lines(div) if div else []
    said = conclusion(report)
    if said and " ".join(said.split()) not in " ".join(" ".join(lines).split()):
        lines += ["", said]
    return "\n".join(lines)


def _texts(report: Json | None) -> list[str]:
    """The report's words: its narrative, then each text or HTML presented form."""
    texts = [_narrative_text(report)]
    for form in attachments(report):
        if form.content_type == "text/plain":
            texts.append(decode_text(form.data))
        elif form.content_type in ("text/html", "application/xhtml+xml"):
            texts.append("\n".join(narrative_lines(decode_text(form.data))))
    return texts


def _pdf_reading(data: bytes, source: Source) -> ReportDocument | None:
    try:
        from parsers.pdf import read_pdf
    except ImportError:  # a build without the PDF reader reads the other forms
        return None
    try:
        document = read_pdf(data, path=source.path, sha256=source.sha256)
    except ReportRejected:
        return None
    document.source.kind = source.kind
    return document


def _read_words(report: Json | None, source: Source,
                known_dates: tuple[str, ...]) -> ReportDocument | None:
    """The document of the first of the report's forms that states measurements, else of the
    first that is about DXA at all (facts without numbers), else None. The coded dates
    (``known_dates``) decide the order of the words' numeric dates where they leave it open."""
    about_dxa: list[ReportDocument] = []
    for text in _texts(report):
        if text.strip() and looks_like_dxa(text):
            document = read_prose(text, source=source, known_dates=known_dates)
            if document.measurements:
                return document
            about_dxa.append(document)
    for form in attachments(report):
        if form.content_type == "application/pdf" and (
                document := _pdf_reading(form.data, source)) is not None:
            return document
    return about_dxa[0] if about_dxa else None


def _patient_facts(subject: Json | None) -> dict[str, Any]:
    """The Patient's identifier (as the DICOM header's PatientID: the MR number, else the
    first identifier), sex and birth date; never its name."""
    if subject is None:
        return {}
    return {"id": identifier_value(subject.get("identifier"), "MR", any_type=True),
            "sex": sex_of(subject), "birth_date": iso_day(subject.get("birthDate"))}


def _fill(document: ReportDocument, report: Json | None, facts: dict[str, Any],
          day: str | None) -> None:
    """The structured facts where the words left them null, and the age derived from the birth
    and scan dates where none is printed (CONTRACT)."""
    patient, study = document.patient, document.study
    for name, value in facts.items():
        if getattr(patient, name) is None and value is not None:
            setattr(patient, name, value)
    if study.scan_date is None and day is not None:
        study.scan_date = day
        document.priors = [prior for prior in document.priors if prior.scan_date != day]
    if study.accession is None and report is not None:
        study.accession = identifier_value(report.get("identifier"), "ACSN", any_type=False)
    if patient.age_years is None and (
            age := age_at(patient.birth_date, study.scan_date)) is not None and age >= 0:
        patient.age_years = round(age, 1)


def _names_dxa(report: Json | None) -> bool:
    """Whether the report's code says DXA (``38269-7``, ``83311-1``, or its words)."""
    code = report.get("code") if report else None
    return bool(DXA_REPORT_CODES & set(loinc_codes(code))) or looks_like_dxa(
        " ".join(concept_words(code)))


def read_fhir(resource: Json, *, path: str, sha256: str) -> ReportDocument:
    """Read one FHIR resource (from :func:`fhir_resource`).

    Raises:
        NotDxa: no DXA report in it (another resource, a report of another test, a report
            entered in error or cancelled).
        NoMeasurements: a DXA report whose words and Observations give no BMD, T- or Z-score.
    """
    resources = collect(resource)
    report = choose_report(resources)
    if report is None and void_reports(resources):
        raise NotDxa("the FHIR DiagnosticReport was entered in error or cancelled")
    results = observations(report, resources)
    coded = coded_measurements(value for item in results for value in coded_values(item))
    facts = _patient_facts(subject_patient(report, resources))
    day = scan_day(report, results)
    source = Source(path=path, sha256=sha256, kind="text")
    known = tuple(d for d in (day, facts.get("birth_date")) if d)
    document = _read_words(report, source, known)
    if document is None:
        if not coded and not _names_dxa(report):
            raise NotDxa("the FHIR resource holds no bone densitometry (DXA) report")
        document = ReportDocument(source=source)
    document.measurements = with_coded(document.measurements, coded)
    if not document.measurements:
        raise NoMeasurements("the FHIR DXA report gives no readable BMD, T-score or Z-score")
    _fill(document, report, facts, day)
    return document
