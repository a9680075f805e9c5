"""A visit's plan and measurements as one FHIR R4 ``Bundle`` (CONTRACT.md ``--format fhir``).

Shaped like the US Core DXA examples (``HL7/US-Core: input/examples/
DiagnosticReport-bone-density-report.json`` and ``dxa-*-bmd.json``): a ``DiagnosticReport``
coded with the LOINC panel 83311-1 whose ``result`` lists one ``Observation`` per BMD, T-score
and Z-score (LOINC of dxa-formats.md §1.5 where one exists, else a code of dexa's own system)
and the FRAX probabilities; the trend against priors as derived ``Observation``s; the plan as a
``CarePlan`` (intent ``proposal``: decision support, not an order) whose activities carry the
rule ids, texts and sources; the repeat DXA as a ``ServiceRequest``; the ``Patient`` by
identifier only, never a name.

Every resource is built as FHIR JSON and validated by constructing it with the
``fhir.resources.R4B`` models (FHIR 4.3.0, the R4-compatible release that ``fhir.resources``
8 ships beside its default R5; the elements used here are unchanged from R4 4.0.1).

Ids are UUIDv5 in a namespace (``FhirOptions.id_namespace``) of the visit key and the
resource's role, so the same visit always gives the same ids. The visit key holds the patient
id; a site that wants ids nobody can recompute from a medical record number sets a private
namespace and keeps it.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from dexa.outputs.visit import Frax, Measurement, TrendEntry, VisitView, add_months
from dexa.outputs.wording import (
    classification_words,
    codes,
    site_words,
    therapy_words,
    trend_name,
    words,
)

__all__ = ["DEXA_NAMESPACE", "FhirOptions", "validate_resource", "visit_bundle"]

DEXA_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:dexa:fhir")
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
CITATION = "http://hl7.org/fhir/StructureDefinition/cqf-citation"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class FhirOptions:
    """Where dexa's identifiers and codes live. ``base`` prefixes every dexa system
    (``urn:dexa`` -> ``urn:dexa:rule``); a site may use its own URL. ``patient_system`` is the
    system of the patient identifier (the medical record number's issuer)."""

    base: str = "urn:dexa"
    patient_system: str = "urn:dexa:patient-id"
    id_namespace: uuid.UUID = DEXA_NAMESPACE

    def system(self, name: str) -> str:
        return f"{self.base}:{name}" if self.base.startswith("urn:") else f"{self.base}/{name}"


def validate_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` itself once ``fhir.resources`` (R4B) has constructed its model from it.

    Raises:
        pydantic.ValidationError: it is not a valid resource of its type.
    """
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def visit_bundle(visit: VisitView, options: FhirOptions | None = None) -> dict[str, Any]:
    """The visit as a FHIR R4 ``Bundle`` of type ``collection``, JSON-ready and validated.

    Raises:
        pydantic.ValidationError: a resource is not valid FHIR (a defect of this module).
    """
    return _Builder(visit, options or FhirOptions()).bundle()


class _Builder:
    def __init__(self, visit: VisitView, options: FhirOptions) -> None:
        self.visit, self.o = visit, options
        self.plan = visit.plan
        self.scan_date = visit.scan_date.isoformat() if visit.scan_date else None
        self.entries: list[dict[str, Any]] = []
        self.patient: dict[str, str] = {}  # the reference every resource's subject uses
        self.device: dict[str, str] | None = None
        self.bmd_refs: dict[tuple[str, str | None, str | None], dict[str, str]] = {}

    # ids -----------------------------------------------------------------------------------
    def uid(self, *parts: object) -> str:
        name = "|".join("" if p is None else str(p) for p in parts)
        return str(uuid.uuid5(self.o.id_namespace, name))

    def visit_uid(self, role: str, *parts: object) -> str:
        return self.uid("visit", self.visit.key, role, *parts)

    @staticmethod
    def ref(resource_id: str) -> dict[str, str]:
        return {"reference": f"urn:uuid:{resource_id}"}

    def add(self, resource: dict[str, Any]) -> dict[str, str]:
        checked = validate_resource(resource)
        self.entries.append({"fullUrl": f"urn:uuid:{checked['id']}", "resource": checked})
        return self.ref(checked["id"])

    # codings -------------------------------------------------------------------------------
    def dexa(self, system: str, code: str, display: str | None = None) -> dict[str, str]:
        coding = {"system": self.o.system(system), "code": code}
        if display:
            coding["display"] = display
        return coding

    def rule(self, rule_id: str, display: str | None = None) -> dict[str, str]:
        return self.dexa("rule", rule_id, display)

    # the bundle ----------------------------------------------------------------------------
    def bundle(self) -> dict[str, Any]:
        self.patient = self.add(self.patient_resource())
        self.device = self.device_resource()
        results: list[dict[str, str]] = []
        for m, repeat in self.visit.measurements():
            results += self.measurement_observations(m, repeat)
        frax = self.visit.frax()
        if frax is not None:
            results += self.frax_observations(frax)
        report = self.add(self.diagnostic_report(results))
        trends = [self.add(self.trend_observation(t)) for t in self.plan.trend]
        care_plan_id = self.visit_uid("careplan")
        if self.plan.repeat_dxa_months is not None and self.scan_date:
            service = self.service_request(report, care_plan_id)
        else:
            service = None
        self.add(self.care_plan(care_plan_id, report, trends, service))
        if service is not None:
            self.add(service)
        bundle = {"resourceType": "Bundle", "id": self.visit_uid("bundle"),
                  "identifier": {"system": "urn:ietf:rfc:3986",
                                 "value": f"urn:uuid:{self.visit_uid('bundle')}"},
                  "type": "collection"}
        validate_resource(bundle)  # the entries were validated one by one as they were added
        return {**bundle, "entry": self.entries}

    def patient_resource(self) -> dict[str, Any]:
        pid = self.visit.patient_id
        resource: dict[str, Any] = {"resourceType": "Patient"}
        if pid:
            resource["id"] = self.uid("patient", self.o.patient_system, pid)
            resource["identifier"] = [{"system": self.o.patient_system, "value": pid}]
        else:  # no identifier stated: a patient known only through this visit
            resource["id"] = self.visit_uid("patient")
        return resource

    def device_resource(self) -> dict[str, str] | None:
        source = self.visit.primary.source
        if not (source.device or source.vendor):
            return None
        resource: dict[str, Any] = {
            "resourceType": "Device",
            "id": self.uid("device", source.vendor, source.device, source.software),
            "type": {"coding": [{"system": DICOM, "code": "BMD",
                                 "display": "Bone Mineral Densitometry"}],
                     "text": "DXA bone densitometer"},
        }
        if source.vendor:
            resource["manufacturer"] = source.vendor
        if source.device:
            resource["deviceName"] = [{"name": source.device, "type": "model-name"}]
        if source.software:
            resource["version"] = [{"type": {"text": "software"}, "value": source.software}]
        return self.add(resource)

    # measurements ---------------------------------------------------------------------------
    def body_site(self, region: str, side: str | None, levels: str | None) -> dict[str, Any]:
        table = codes()
        site = table["snomed_body_site"].get(region)
        if region == "vertebra" and levels in table["snomed_vertebra"]:
            site = table["snomed_vertebra"][levels]
        concept: dict[str, Any] = {"text": site_words(region, side, levels)}
        if site is None:
            return concept
        lateral = table["snomed_laterality"].get(side or "")
        if lateral is None:
            coding = {"system": table["snomed_system"], "code": site["code"],
                      "display": site["display"]}
        else:  # post-coordinated as in the HL7 FHIR DXA example: 71341001:272741003=7771000
            coding = {"system": table["snomed_system"],
                      "code": f"{site['code']}:{table['snomed_laterality_attribute']}="
                              f"{lateral['code']}",
                      "display": f"{site['display']}, {lateral['display'].lower()}"}
        concept["coding"] = [coding]
        return concept

    def observation_code(self, m: Measurement, kind: str) -> tuple[dict[str, Any], str | None]:
        """The code of a BMD (``bmd``), T-score (``t``) or Z-score (``z``) observation and the
        note on a derived LOINC mapping."""
        label = {"bmd": "BMD", "t": "T-score", "z": "Z-score"}[kind]
        text = f"DXA {site_words(m.region, m.side, m.levels)} {label}"
        row = codes()["loinc"].get(m.region)
        side = m.side if m.side in ("left", "right") else "any"
        if row is not None and side in row:
            system = row["system"] + ("" if side == "any" else f" - {side}")
            measure = {"bmd": "Mass/Area", "t": "T-score", "z": "Z-score"}[kind]
            coding = {"system": codes()["loinc_system"], "code": row[side][kind],
                      "display": f"DXA {system} [{measure}] Bone density"}
            return {"coding": [coding], "text": text}, row["derived_note"]
        code = "-".join(p for p in (kind, m.region, m.side, m.levels) if p)
        return {"coding": [self.dexa("observation", code, text)], "text": text}, None

    def measurement_observations(self, m: Measurement, repeat: int) -> list[dict[str, str]]:
        refs = []
        values = (("bmd", m.bmd_g_cm2), ("t", m.t_score), ("z", m.z_score))
        for kind, value in values:
            if value is None:
                continue
            code, note = self.observation_code(m, kind)
            if kind == "bmd":
                quantity = {"value": value, "unit": "g/cm2", "system": UCUM, "code": "g/cm2"}
            else:  # unitless, as the US Core examples: unit "T-Score", UCUM code "1"
                quantity = {"value": value, "unit": "T-score" if kind == "t" else "Z-score",
                            "system": UCUM, "code": "1"}
            notes = [note] if note else []
            if repeat:
                notes.append(f"Repeat {repeat + 1} of this site in the report "
                             "(e.g. a second analysis or reference).")
            resource = self.observation(
                self.visit_uid("observation", kind, m.region, m.side, m.levels, repeat or None),
                code, quantity=quantity,
                body_site=self.body_site(m.region, m.side, m.levels), notes=notes)
            ref = self.add(resource)
            refs.append(ref)
            if kind == "bmd" and repeat == 0:
                self.bmd_refs[(m.region, m.side, m.levels)] = ref
        return refs

    def observation(self, resource_id: str, code: dict[str, Any], *,
                    quantity: dict[str, Any] | None = None, body_site: dict | None = None,
                    notes: Iterable[str] = (), **extra: Any) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "resourceType": "Observation", "id": resource_id, "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "imaging",
                                      "display": "Imaging"}], "text": "Imaging"}],
            "code": code, "subject": self.patient,
        }
        if self.scan_date:
            resource["effectiveDateTime"] = self.scan_date
        if quantity is not None:
            resource["valueQuantity"] = quantity
        if body_site:
            resource["bodySite"] = body_site
        if self.device:
            resource["device"] = self.device
        resource.update(extra)
        if notes := [{"text": n} for n in notes]:
            resource["note"] = notes
        return resource

    def frax_observations(self, frax: Frax) -> list[dict[str, str]]:
        refs = []
        basis = {True: "calculated with femoral-neck BMD", False: "calculated without BMD",
                 None: "report does not say whether BMD was included"}[frax.with_bmd]
        for key, value, label in (
                ("frax-major-osteoporotic-10y", frax.major_osteoporotic_pct,
                 "FRAX 10-year probability of a major osteoporotic fracture"),
                ("frax-hip-10y", frax.hip_pct, "FRAX 10-year probability of a hip fracture")):
            if value is None:
                continue
            components = [{"code": {"coding": [self.dexa("observation", "frax-with-bmd",
                                                          "FRAX calculated with BMD")]},
                           **({"valueBoolean": frax.with_bmd} if frax.with_bmd is not None
                              else {"dataAbsentReason": {"coding": [
                                  {"system": DATA_ABSENT, "code": "unknown",
                                   "display": "Unknown"}]}})}]
            if frax.country:
                components.append({"code": {"coding": [self.dexa(
                    "observation", "frax-model", "FRAX country model")]},
                    "valueString": frax.country})
            extra: dict[str, Any] = {"component": components,
                                     "method": {"text": f"FRAX ({basis})"}}
            fn = next((r for (region, _, _), r in self.bmd_refs.items()
                       if region == "femoral_neck"), None)
            if frax.with_bmd and fn:
                extra["derivedFrom"] = [fn]
            code = {"coding": [self.dexa("observation", key, label)], "text": label}
            quantity = {"value": value, "unit": "%", "system": UCUM, "code": "%"}
            notes = ["LOINC codes for FRAX probabilities are not confirmed: dexa's own code."]
            refs.append(self.add(self.observation(self.visit_uid("observation", key), code,
                                                  quantity=quantity, notes=notes, **extra)))
        return refs

    # the report ----------------------------------------------------------------------------
    def conclusion(self) -> str:
        why = self.visit.explanation("classification")
        return classification_words(self.visit, "-") + (f" ({why[0]})" if why else "") + "."

    def diagnostic_report(self, results: list[dict[str, str]]) -> dict[str, Any]:
        table, vocab = codes(), words()
        panel, category = table["loinc_panel"], table["loinc_radiology_category"]
        conclusion = self.conclusion()
        resource: dict[str, Any] = {
            "resourceType": "DiagnosticReport", "id": self.visit_uid("diagnosticreport"),
            "text": _narrative([conclusion, vocab["disclaimer"]]),
            "identifier": [{"system": self.o.system("source-sha256"), "value": sha}
                           for sha in self.visit.sources],
            "status": "final",
            "category": [{"coding": [{"system": table["loinc_system"], "code": category["code"],
                                      "display": category["display"]}], "text": "Radiology"}],
            "code": {"coding": [{"system": table["loinc_system"], "code": panel["code"],
                                 "display": panel["display"]}],
                     "text": "DXA Bone density quantitative measurement panel"},
            "subject": self.patient,
            "conclusion": conclusion,
            "conclusionCode": [{"coding": [self.dexa(
                "classification", self.plan.classification,
                vocab["classification"][self.plan.classification])],
                "text": vocab["classification"][self.plan.classification]}],
        }
        if self.scan_date:
            resource["effectiveDateTime"] = self.scan_date
        if results:
            resource["result"] = results
        return resource

    def trend_observation(self, t: TrendEntry) -> dict[str, Any]:
        vocab = words()
        where = site_words(t.region, t.side, t.levels)
        text = f"Change in {where} BMD since the DXA of {t.prior_date}"
        code = {"coding": [self.dexa("observation", "bmd-change-since-prior",
                                     "Change in BMD since the prior DXA")], "text": text}
        interpretation = [self.dexa("trend-status", t.status, vocab["trend_status"][t.status])]
        if t.status in ("gain", "loss"):  # v3: significant change up / down
            interpretation.append({"system": INTERPRETATION, "code": "U" if t.status == "gain"
                                   else "D", "display": "Significant change up"
                                   if t.status == "gain" else "Significant change down"})
        components: list[dict[str, Any]] = []
        if t.prior_date:
            components.append({"code": {"coding": [self.dexa(
                "observation", "prior-dxa-date", "Date of the prior DXA")]},
                "valueDateTime": t.prior_date})
        prior = self.visit.prior_bmd(t)
        if prior is not None:
            components.append({"code": {"coding": [self.dexa(
                "observation", "prior-bmd", "BMD at the prior DXA")]},
                "valueQuantity": {"value": prior, "unit": "g/cm2", "system": UCUM,
                                  "code": "g/cm2"}})
        if t.lsc_g_cm2 is not None:
            components.append({"code": {"coding": [self.dexa(
                "observation", "least-significant-change", "Least significant change (LSC)")]},
                "valueQuantity": {"value": t.lsc_g_cm2, "unit": "g/cm2", "system": UCUM,
                                  "code": "g/cm2"}})
        if t.lsc_source:
            components.append({"code": {"coding": [self.dexa(
                "observation", "lsc-source", "Source of the LSC")]},
                "valueString": t.lsc_source})
        why = self.visit.explanation(f"trend {trend_name(t)}")
        method = ("ISCD serial comparison: BMD change against the least significant change"
                  + (f" ({why[0]})" if why else ""))
        extra: dict[str, Any] = {"interpretation": [{"coding": interpretation,
                                                     "text": vocab["trend_status"][t.status]}],
                                 "component": components, "method": {"text": method}}
        current = self.bmd_refs.get((t.region, t.side, t.levels))
        if current:
            extra["derivedFrom"] = [current]
        notes = []
        if t.change_g_cm2 is None:
            extra["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT,
                                                     "code": "not-applicable",
                                                     "display": "Not Applicable"}],
                                         "text": "not comparable with the prior scan"}
            if why:
                notes.append(f"{why[0]}: {why[1]}")
        quantity = None if t.change_g_cm2 is None else {
            "value": t.change_g_cm2, "unit": "g/cm2", "system": UCUM, "code": "g/cm2"}
        return self.observation(
            self.visit_uid("trend", t.region, t.side, t.levels), code, quantity=quantity,
            body_site=self.body_site(t.region, t.side, t.levels), notes=notes, **extra)

    # the plan ------------------------------------------------------------------------------
    def care_plan(self, resource_id: str, report: dict[str, str], trends: list[dict[str, str]],
                  service: dict[str, Any] | None) -> dict[str, Any]:
        from planner.engine import flag_table

        vocab = words()
        plan = self.plan
        why = self.visit.explanation("pharmacotherapy")
        summary = [self.conclusion(),
                   therapy_words(self.visit) + (f" ({why[0]})." if why else ".")]
        if service is not None:
            summary.append(f"Repeat DXA around {service['occurrenceDateTime']} "
                           f"({plan.repeat_dxa_months} months).")
        activities = []
        for r in plan.recommendations:
            activities.append({"detail": {
                "extension": [{"url": CITATION, "valueString": r.source}],
                "code": {"coding": [self.rule(r.code, words()["plan_item"].get(r.code))],
                         "text": r.code},
                "status": "not-started",
                "description": r.text,
            }})
        notes = [{"text": vocab["disclaimer"]}]
        flags = flag_table()
        for name in plan.flags:
            flag = flags.get(name)
            notes.append({"text": f"Flag {name} ({flag['rule']}): {flag['words']}" if flag
                          else f"Flag {name}"})
        if plan.validation.passed:
            notes.append({"text": "Validation: every value passed."})
        else:
            failed = ", ".join(plan.validation.failed_expectations)
            notes.append({"text": f"Validation failed ({failed}): those values were not used."})
        resource: dict[str, Any] = {
            "resourceType": "CarePlan", "id": resource_id,
            "text": _narrative(summary + [vocab["disclaimer"]]),
            "status": "active", "intent": "proposal",
            "category": [{"coding": [{"system": US_CORE_CAREPLAN_CATEGORY,
                                      "code": "assess-plan"}]}],
            "title": f"DXA management plan ({plan.rule_set})",
            "description": " ".join(summary),
            "subject": self.patient,
            "supportingInfo": [report, *trends],
            "note": notes,
        }
        if activities:
            resource["activity"] = activities
        return resource

    def service_request(self, report: dict[str, str], care_plan_id: str) -> dict[str, Any]:
        table = codes()
        months = self.plan.repeat_dxa_months
        assert months is not None and self.visit.scan_date is not None
        due = add_months(self.visit.scan_date, months).isoformat()
        why = self.visit.explanation("repeat_dxa_months")
        reason: dict[str, Any] = {"text": f"Repeat DXA in {months} months"}
        if why:
            reason = {"coding": [self.rule(why[0])], "text": f"{why[0]}: {why[1]}"}
        return {
            "resourceType": "ServiceRequest", "id": self.visit_uid("servicerequest", "repeat-dxa"),
            "status": "active", "intent": "proposal",
            "category": [{"coding": [{"system": table["snomed_system"], "code": "363679005",
                                      "display": "Imaging"}]}],
            "code": {"coding": [{"system": table["loinc_system"],
                                 "code": table["loinc_panel"]["code"],
                                 "display": table["loinc_panel"]["display"]}],
                     "text": "Repeat DXA bone density scan"},
            "subject": self.patient,
            "basedOn": [self.ref(care_plan_id)],
            "occurrenceDateTime": due,
            "reasonCode": [reason],
            "reasonReference": [report],
            "note": [{"text": f"About {months} months after the scan of {self.scan_date}; "
                              "a suggestion for clinician review, not an order."}],
        }


def _narrative(paragraphs: list[str]) -> dict[str, str]:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}
