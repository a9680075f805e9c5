"""FHIR R4 resources (JSON, already parsed) as the parts of a DXA report: the DiagnosticReport,
its Patient, its result Observations and its presented forms.

Resources are read tolerantly, as real exports write them: a field of the wrong type is
absent, a reference is resolved by its last ``Type/id`` (``Observation//x``,
``http://server/Patient/1/_history/2``), by an entry's ``fullUrl`` or, for ``#id``, among the
contained resources. Only a resource whose ``resourceType`` is ``Patient`` is the patient (a
Practitioner or RelatedPerson has a gender and birth date too), and an entered-in-error or
cancelled resource is no part of the report. The patient's name is never read.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parsers.loinc import DXA_REPORT_CODES, CodedValue

Json = dict[str, Any]

VOID_STATUSES = frozenset({"entered-in-error", "cancelled"})
_LOINC_SYSTEMS = frozenset({"http://loinc.org", "urn:oid:2.16.840.1.113883.6.1", ""})
_SEXES = {"female": "F", "male": "M"}  # administrative gender; other and unknown state neither
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")
_MAX_DEPTH = 8  # nested Bundles, contained resources, Observation panels


def _objects(value: Any) -> list[Json]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def iso_day(value: Any) -> str | None:
    """The calendar day of a FHIR date or dateTime (``2008-06-17``, ``2021-11-10T19:30:46-08:00``,
    the local day as written); None for a year or month alone and for an impossible date."""
    match = _DAY.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _is_void(resource: Json) -> bool:
    return resource.get("status") in VOID_STATUSES


def _codings(concept: Any) -> list[Json]:
    return _objects(concept.get("coding")) if isinstance(concept, dict) else []


def loinc_codes(concept: Any) -> list[str]:
    """The LOINC codes of a CodeableConcept (a coding without a system counts: exports omit
    it)."""
    return [code.strip() for coding in _codings(concept)
            if isinstance(code := coding.get("code"), str)
            and str(coding.get("system") or "").strip().rstrip("/") in _LOINC_SYSTEMS]


def concept_words(concept: Any) -> list[str]:
    """The words of a CodeableConcept: its text and its codings' displays."""
    words = [_text(concept.get("text"))] if isinstance(concept, dict) else []
    words += [_text(coding.get("display")) for coding in _codings(concept)]
    return [word for word in words if word]


@dataclass
class Resources:
    """Every resource of a file (a Bundle's entries, contained resources, nested Bundles), in
    file order, and how references find them."""

    items: list[Json] = field(default_factory=list)
    by_reference: dict[str, Json] = field(default_factory=dict)

    def add(self, resource: Json, full_url: Any = None, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            return
        self.items.append(resource)
        kind, ident = resource.get("resourceType"), resource.get("id")
        if isinstance(kind, str) and isinstance(ident, str):
            self.by_reference.setdefault(f"{kind}/{ident}", resource)
        if isinstance(full_url, str) and full_url:
            self.by_reference.setdefault(full_url, resource)
        for inner in _objects(resource.get("contained")):
            if isinstance(inner.get("id"), str):
                self.by_reference.setdefault("#" + inner["id"], inner)
            self.add(inner, depth=depth + 1)
        if kind == "Bundle":
            for entry in _objects(resource.get("entry")):
                if isinstance(entry.get("resource"), dict):
                    self.add(entry["resource"], entry.get("fullUrl"), depth + 1)

    def of_type(self, kind: str) -> list[Json]:
        return [r for r in self.items if r.get("resourceType") == kind and not _is_void(r)]

    def resolve(self, reference: Any) -> Json | None:
        """The resource a Reference points to, None when it is not in the file."""
        ref = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(ref, str) or not ref.strip():
            return None
        ref = ref.strip()
        if ref in self.by_reference:
            return self.by_reference[ref]
        parts = [part for part in ref.split("/_history/")[0].split("/") if part]
        return self.by_reference.get("/".join(parts[-2:])) if len(parts) >= 2 else None


def collect(root: Json) -> Resources:
    resources = Resources()
    resources.add(root)
    return resources


def choose_report(resources: Resources) -> Json | None:
    """The DiagnosticReport the file is about: the first coded as a DXA report, else the
    first; entered-in-error and cancelled reports are none."""
    reports = resources.of_type("DiagnosticReport")
    coded = [r for r in reports if DXA_REPORT_CODES & set(loinc_codes(r.get("code")))]
    return (coded or reports or [None])[0]


def void_reports(resources: Resources) -> bool:
    """Whether the file's reports are all entered in error or cancelled."""
    reports = [r for r in resources.items if r.get("resourceType") == "DiagnosticReport"]
    return bool(reports) and all(_is_void(r) for r in reports)


def _members(observation: Json, resources: Resources, depth: int) -> Iterator[Json]:
    if depth > _MAX_DEPTH or _is_void(observation) \
            or observation.get("resourceType") != "Observation":
        return
    yield observation
    for member in _objects(observation.get("hasMember")):
        if (found := resources.resolve(member)) is not None:
            yield from _members(found, resources, depth + 1)


def observations(report: Json | None, resources: Resources) -> list[Json]:
    """The report's result Observations (with the members of a panel), in its order; where the
    report names none that the file holds, every Observation of the file."""
    results = [found for ref in _objects(report.get("result"))
               if (found := resources.resolve(ref)) is not None] if report else []
    chosen = results or resources.of_type("Observation")
    seen: dict[int, Json] = {}
    for observation in chosen:
        for member in _members(observation, resources, 0):
            seen.setdefault(id(member), member)
    return list(seen.values())


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def coded_values(observation: Json) -> Iterator[CodedValue]:
    """The LOINC-coded quantities of an Observation and of its components, with the words of
    its body site (``Left Femur``) for the side."""
    labels = tuple(concept_words(observation.get("bodySite")))
    for item in [observation, *_objects(observation.get("component"))]:
        quantity = item.get("valueQuantity")
        value = _number(quantity.get("value")) if isinstance(quantity, dict) else None
        if value is None:
            continue
        units = (_text(quantity.get("unit")), _text(quantity.get("code")))
        for code in loinc_codes(item.get("code")):
            yield CodedValue(code=code, value=value, units=units, labels=labels)


def subject_patient(report: Json | None, resources: Resources) -> Json | None:
    """The Patient the report's subject refers to, when the file holds it (a reference to
    another resource or to a patient not in the file names none); without a report or a
    subject reference, the file's only Patient."""
    subject = report.get("subject") if report else None
    if isinstance(subject, dict) and isinstance(subject.get("reference"), str):
        found = resources.resolve(subject)
        return found if found is not None and found.get("resourceType") == "Patient" else None
    patients = resources.of_type("Patient")
    return patients[0] if len(patients) == 1 else None


def _typed(identifiers: list[Json], type_code: str) -> Json | None:
    return next((i for i in identifiers if any(
        c.get("code") == type_code for c in _codings(i.get("type")))), None)


def identifier_value(identifiers: Any, type_code: str, *, any_type: bool) -> str | None:
    """The value of the identifier of the given v2 type (``MR``, ``ACSN``); with ``any_type``,
    else of the first identifier with a value (as the DICOM header's PatientID is taken)."""
    found = [i for i in _objects(identifiers) if _text(i.get("value"))]
    chosen = _typed(found, type_code) or (found[0] if found and any_type else None)
    return _text(chosen.get("value")) if chosen else None


def sex_of(patient: Json | None) -> str | None:
    gender = patient.get("gender") if patient else None
    return _SEXES.get(gender.strip().lower()) if isinstance(gender, str) else None


def scan_day(report: Json | None, results: list[Json]) -> str | None:
    """The day of the examination: the report's effective date (or the start of its period),
    else the first result's."""
    for resource in ([report] if report else []) + results:
        period = resource.get("effectivePeriod")
        day = iso_day(resource.get("effectiveDateTime")) or (
            iso_day(period.get("start")) if isinstance(period, dict) else None)
        if day:
            return day
    return None


@dataclass(frozen=True)
class Attachment:
    content_type: str
    data: bytes


def attachments(report: Json | None) -> list[Attachment]:
    """The report's presented forms that carry their content (base64 ``data``); a form given
    by URL only, or whose data is not base64, is left out."""
    out = []
    for form in _objects(report.get("presentedForm")) if report else []:
        data, kind = form.get("data"), form.get("contentType")
        if not isinstance(data, str) or not data.strip():
            continue
        try:
            content = base64.b64decode(data)
        except (binascii.Error, ValueError):
            continue
        kind = kind.split(";")[0].strip().lower() if isinstance(kind, str) else ""
        out.append(Attachment(content_type=kind, data=content))
    return out


def narrative(resource: Json | None) -> str | None:
    text = resource.get("text") if resource else None
    return _text(text.get("div")) if isinstance(text, dict) else None


def conclusion(report: Json | None) -> str | None:
    return _text(report.get("conclusion")) if report else None
