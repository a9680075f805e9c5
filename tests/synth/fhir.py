"""Synthetic FHIR R4 resources and HL7 v2 messages for the reader tests: the shapes of a
DXA DiagnosticReport, its Patient and its Observations, built in code. All values are
invented."""

from __future__ import annotations

import base64
import json
from typing import Any

LOINC = "http://loinc.org"

# a results table of the kind a densitometer's report narrative holds (values invented)
TABLE_DIV = (
    '<div xmlns="http://www.w3.org/1999/xhtml">'
    "<h2>Bone density (DXA) report</h2>"
    "<table><tr><td>Patient</td><td>Testperson, Ada</td></tr>"
    "<tr><td>Date of birth</td><td>21/09/1951</td></tr>"
    "<tr><td>Examination</td><td>DXA, lumbar spine and left hip</td></tr></table>"
    "<h3>Results</h3>"
    "<table><tr><th>Site</th><th>Region</th><th>Scan date</th><th>BMD</th>"
    "<th>T-score</th><th>Z-score</th></tr>"
    "<tr><td>AP Spine</td><td>L1-L4</td><td>23/10/2024</td><td>0.871 g/cm&#178;</td>"
    "<td>-2.6</td><td>-1.1</td></tr>"
    "<tr><td>Left Femur</td><td>Neck</td><td>23/10/2024</td><td>0.655 g/cm&#178;</td>"
    "<td>-2.2</td><td>-0.7</td></tr>"
    "<tr><td>Left Femur</td><td>Total</td><td>23/10/2024</td><td>0.790 g/cm&#178;</td>"
    "<td>-1.5</td><td>-0.4</td></tr></table>"
    "<p>Impression:<br/>Osteoporosis at the lumbar spine.</p>"
    "</div>"
)
TABLE_ROWS = [
    ("lumbar_spine", None, "L1-L4", 0.871, -2.6, -1.1),
    ("femoral_neck", "left", None, 0.655, -2.2, -0.7),
    ("total_hip", "left", None, 0.790, -1.5, -0.4),
]


def coding(code: str, system: str = LOINC, display: str | None = None) -> dict[str, Any]:
    found = {"system": system, "code": code}
    return found | ({"display": display} if display else {})


def observation(code: str, value: float, unit: str, *, ident: str | None = None,
                status: str = "final", system: str = LOINC, **extra: Any) -> dict[str, Any]:
    resource = {"resourceType": "Observation", "status": status,
                "code": {"coding": [coding(code, system)]},
                "valueQuantity": {"value": value, "unit": unit,
                                  "system": "http://unitsofmeasure.org", "code": unit}}
    return resource | ({"id": ident} if ident else {}) | extra


def patient(*, ident: str = "pt-1", gender: str | None = "female",
            birth: str | None = "1951-09-21", mrn: str | None = "SYN-4711",
            kind: str = "Patient") -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": kind, "id": ident,
        "name": [{"family": "Testperson", "given": ["Ada"]}],
    }
    if mrn:
        resource["identifier"] = [
            {"system": "urn:example:insurer", "value": "INS-999"},
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                  "code": "MR"}]},
             "system": "urn:example:mrn", "value": mrn},
        ]
    if gender is not None:
        resource["gender"] = gender
    if birth is not None:
        resource["birthDate"] = birth
    return resource


def report(*, div: str | None = None, conclusion: str | None = None,
           results: list[str] | None = None, subject: str | None = "Patient/pt-1",
           effective: str | None = "2024-10-23", status: str = "final",
           forms: list[tuple[str, bytes]] | None = None, **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport", "id": "dxa-1", "status": status,
        "code": {"coding": [coding("38269-7", display="DXA Bone density study")]},
    }
    if subject:
        resource["subject"] = {"reference": subject}
    if effective:
        resource["effectiveDateTime"] = effective
    if div is not None:
        resource["text"] = {"status": "generated", "div": div}
    if conclusion is not None:
        resource["conclusion"] = conclusion
    if results is not None:
        resource["result"] = [{"reference": ref} for ref in results]
    if forms:
        resource["presentedForm"] = [
            {"contentType": kind, "data": base64.b64encode(data).decode("ascii")}
            for kind, data in forms]
    return resource | extra


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:0000-{i}", "resource": r}
                      for i, r in enumerate(resources)]}


def as_bytes(resource: Any) -> bytes:
    return json.dumps(resource, indent=2, ensure_ascii=False).encode("utf-8")


def hl7_message(*segments: str, pid: str = "PID|1||SYN-4711^^^HOSP^MR||TESTPERSON^ADA||19510921|F",
                obr: str = "OBR|1||ACC-77|38269-7^DXA study^LN|||20241023093000") -> bytes:
    """An ORU^R01 message: header, patient, request, then ``segments``, each ended by CR."""
    header = "MSH|^~\\&|DXA|CLINIC|EHR|CLINIC|20241023101500||ORU^R01|MSG-1|P|2.5.1"
    return ("\r".join([header, pid, obr, *segments]) + "\r").encode("utf-8")
