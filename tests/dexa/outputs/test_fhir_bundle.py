"""The FHIR R4 Bundle of a visit: valid for fhir.resources (R4B), §1.5 LOINC codes, no name,
stable ids, and the plan's decisions carried as CarePlan activities and a ServiceRequest."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

import parsers
from dexa.contract import Measurement
from dexa.outputs.fhir import CITATION, FhirOptions, visit_bundle
from planner import make_plan
from tests.dexa.outputs.builders import (
    NAME_TOKENS,
    four_visits,
    generated_report,
    motivating_report,
    view,
)
from tests.synth.samples import SAMPLES

LOINC = "http://loinc.org"
SAMPLE_DIR = Path(__file__).resolve().parents[3] / "sample_reports"

# dxa-formats.md §1.5: (region, side) -> BMD, T-score, Z-score
SECTION_1_5 = {
    ("lumbar_spine", None): ("24966-4", "38267-1", "85394-5"),
    ("femoral_neck", None): ("24701-5", "38263-0", "80934-3"),
    ("femoral_neck", "left"): ("80954-1", "80948-3", "80940-0"),
    ("femoral_neck", "right"): ("80953-3", "80947-5", "80939-2"),
    ("total_hip", None): ("38261-4", "38264-8", "80933-5"),
    ("total_hip", "left"): ("46278-8", "80946-7", "80938-4"),
    ("total_hip", "right"): ("46279-6", "80945-9", "80937-6"),
    ("forearm_total", None): ("24890-6", "38265-5", "80932-7"),
    ("forearm_total", "left"): ("80952-5", "80944-2", "80936-8"),
    ("forearm_total", "right"): ("80951-7", "80943-4", "80935-0"),
}


def resources(bundle: dict, kind: str | None = None) -> list[dict]:
    return [e["resource"] for e in bundle["entry"]
            if kind is None or e["resource"]["resourceType"] == kind]


def by_url(bundle: dict) -> dict[str, dict]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def assert_valid(bundle: dict) -> None:
    """Parsed back by fhir.resources, the Bundle is the same JSON (key order aside)."""
    model = Bundle.model_validate(bundle)
    assert json.loads(model.model_dump_json()) == bundle
    assert bundle["type"] == "collection"


def loinc(resource: dict) -> str | None:
    return next((c["code"] for c in resource["code"].get("coding", []) if c["system"] == LOINC),
                None)


def strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def expected_codes(m: Measurement) -> list[str]:
    codes = SECTION_1_5.get((m.region, m.side if m.side in ("left", "right") else None))
    if codes is None:
        return []
    values = (m.bmd_g_cm2, m.t_score, m.z_score)
    return [c for c, v in zip(codes, values, strict=True) if v is not None]


# --- the motivating case -------------------------------------------------------------------

@pytest.fixture(scope="module")
def motivating() -> dict:
    return visit_bundle(view(motivating_report()))


def test_bundle_validates_and_holds_the_expected_resources(motivating: dict) -> None:
    assert_valid(motivating)
    kinds = [r["resourceType"] for r in resources(motivating)]
    assert kinds.count("Patient") == kinds.count("DiagnosticReport") == 1
    assert kinds.count("CarePlan") == kinds.count("ServiceRequest") == kinds.count("Device") == 1
    # 3 sites x (BMD, T, Z) + FRAX MOF and hip + 3 trend entries
    assert kinds.count("Observation") == 9 + 2 + 3
    urls = by_url(motivating)
    for reference in (s for s in strings(motivating) if s.startswith("urn:uuid:")):
        if reference in urls or reference == motivating["identifier"]["value"]:
            continue
        raise AssertionError(f"dangling reference {reference}")


def test_observations_carry_the_section_1_5_codes(motivating: dict) -> None:
    observations = resources(motivating, "Observation")
    got = {loinc(o) for o in observations} - {None}
    assert got == {"24966-4", "38267-1", "85394-5", "80954-1", "80948-3", "80940-0",
                   "46278-8", "80946-7", "80938-4"}
    t_spine = next(o for o in observations if loinc(o) == "38267-1")
    assert t_spine["valueQuantity"] == {"value": 0.1, "unit": "T-score",
                                        "system": "http://unitsofmeasure.org", "code": "1"}
    assert t_spine["bodySite"]["coding"][0]["code"] == "122496007"
    fn_bmd = next(o for o in observations if loinc(o) == "80954-1")
    assert fn_bmd["valueQuantity"]["value"] == 0.618
    assert fn_bmd["valueQuantity"]["code"] == "g/cm2"
    assert fn_bmd["code"]["coding"][0]["display"] == "DXA Femur - left [Mass/Area] Bone density"
    assert fn_bmd["bodySite"]["coding"][0]["code"] == "71341001:272741003=7771000"
    assert "derived" in fn_bmd["note"][0]["text"] and "Femur" in fn_bmd["note"][0]["text"]
    th_t = next(o for o in observations if loinc(o) == "80946-7")
    assert th_t["valueQuantity"]["value"] == -1.1 and "'Hip'" in th_t["note"][0]["text"]
    assert all(o["effectiveDateTime"] == "2024-03-14" for o in observations)
    assert all(o["status"] == "final" for o in observations)


def test_diagnostic_report_is_the_dxa_panel(motivating: dict) -> None:
    (report,) = resources(motivating, "DiagnosticReport")
    assert loinc(report) == "83311-1" and report["status"] == "final"
    assert report["effectiveDateTime"] == "2024-03-14"
    assert report["conclusion"].startswith("Low bone mass (osteopenia): lowest T-score -2.0 at "
                                           "the left femoral neck (CLS-2)")
    assert report["conclusionCode"][0]["coding"][0]["code"] == "low_bone_mass"
    urls = by_url(motivating)
    results = [urls[r["reference"]] for r in report["result"]]
    assert len(results) == 11 and all(r["resourceType"] == "Observation" for r in results)
    (device,) = resources(motivating, "Device")
    assert device["deviceName"][0]["name"] == "Lunar iDXA ME+200123"
    assert all(urls[o["device"]["reference"]] is device for o in results)


def test_frax_and_trend_observations(motivating: dict) -> None:
    observations = resources(motivating, "Observation")
    frax = {o["code"]["coding"][0]["code"]: o for o in observations
            if o["code"]["coding"][0]["code"].startswith("frax")}
    assert frax["frax-major-osteoporotic-10y"]["valueQuantity"]["value"] == 9.0
    assert frax["frax-hip-10y"]["valueQuantity"]["value"] == 1.6
    assert frax["frax-hip-10y"]["component"][0]["valueBoolean"] is True  # with BMD
    trends = [o for o in observations
              if o["code"]["coding"][0]["code"] == "bmd-change-since-prior"]
    status = {o["bodySite"]["text"]: o["interpretation"][0]["coding"][0]["code"]
              for o in trends}
    assert status == {"lumbar spine L1-L4": "gain", "left total hip": "stable",
                      "left femoral neck": "stable"}
    fn = next(o for o in trends if o["bodySite"]["text"] == "left femoral neck")
    assert fn["valueQuantity"]["value"] == 0.006
    parts = {c["code"]["coding"][0]["code"]: c for c in fn["component"]}
    assert parts["prior-dxa-date"]["valueDateTime"] == "2021-05-02"
    assert parts["prior-bmd"]["valueQuantity"]["value"] == 0.612
    assert parts["least-significant-change"]["valueQuantity"]["value"] == 0.042
    gain = next(o for o in trends if o["bodySite"]["text"] == "lumbar spine L1-L4")
    assert {"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": "U", "display": "Significant change up"} in gain["interpretation"][0]["coding"]


def test_care_plan_carries_every_rule_with_text_and_source(motivating: dict) -> None:
    plan = make_plan(motivating_report())
    (care,) = resources(motivating, "CarePlan")
    assert (care["status"], care["intent"]) == ("active", "proposal")
    details = [a["detail"] for a in care["activity"]]
    assert [d["code"]["coding"][0]["code"] for d in details] == [
        r.code for r in plan.recommendations]
    assert all(d["code"]["coding"][0]["system"] == "urn:dexa:rule" for d in details)
    assert [d["description"] for d in details] == [r.text for r in plan.recommendations]
    assert [d["extension"] for d in details] == [
        [{"url": CITATION, "valueString": r.source}] for r in plan.recommendations]
    notes = " ".join(n["text"] for n in care["note"])
    assert "Flag LSC_FALLBACK (SER-6)" in notes and "not a diagnosis" in notes
    assert "No drug now: FRAX below both thresholds (TX-B4)" in care["description"]


def test_repeat_dxa_is_a_proposed_service_request(motivating: dict) -> None:
    (request,) = resources(motivating, "ServiceRequest")
    assert (request["status"], request["intent"]) == ("active", "proposal")
    assert request["occurrenceDateTime"] == "2025-03-14"  # 2024-03-14 + 12 months
    assert request["reasonCode"][0]["coding"][0]["code"] == "MON-3d"
    assert loinc(request) == "83311-1"
    (care,) = resources(motivating, "CarePlan")
    assert request["basedOn"][0]["reference"] == f"urn:uuid:{care['id']}"


# --- no name, no identifier where it must not be -------------------------------------------

def test_patient_by_identifier_only_and_no_name_anywhere(motivating: dict) -> None:
    (patient,) = resources(motivating, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    assert patient["identifier"] == [{"system": "urn:dexa:patient-id", "value": "MRN001"}]
    text = json.dumps(motivating)
    for token in NAME_TOKENS:
        assert token.lower() not in text.lower()
    assert '"name"' not in json.dumps(patient)


def test_no_patient_identifier_in_ids_urls_or_references(motivating: dict) -> None:
    ids = [r["id"] for r in resources(motivating)] + [motivating["id"]]
    urls = [e["fullUrl"] for e in motivating["entry"]]
    references = [s for s in strings(motivating) if s.startswith("urn:uuid:")]
    for value in ids + urls + references:
        assert "MRN001" not in value and "2024-03-14" not in value
    assert all(str(uuid.UUID(i)) == i for i in ids)


def test_a_site_namespace_changes_every_id() -> None:
    visit = view(motivating_report())
    default = visit_bundle(visit)
    private = visit_bundle(visit, FhirOptions(id_namespace=uuid.uuid4()))
    assert not {r["id"] for r in resources(default)} & {r["id"] for r in resources(private)}


# --- stable ids ----------------------------------------------------------------------------

def test_same_visit_same_json() -> None:
    first = json.dumps(visit_bundle(view(motivating_report())))
    again = json.dumps(visit_bundle(view(motivating_report())))
    assert first == again


def test_other_visits_other_ids_but_the_same_patient_and_device() -> None:
    visits = four_visits()
    bundles = [visit_bundle(v) for v in visits]
    per_visit = [{r["id"] for r in resources(b) if r["resourceType"] not in
                  ("Patient", "Device")} for b in bundles]
    for i, ids in enumerate(per_visit):
        for other in per_visit[i + 1:]:
            assert not ids & other
    assert len({resources(b, "Patient")[0]["id"] for b in bundles}) == 1
    assert len({resources(b, "Device")[0]["id"] for b in bundles}) == 1
    other_patient = visit_bundle(view(motivating_report(patient_id="MRN002")))
    assert resources(other_patient, "Patient")[0]["id"] != resources(
        visit_bundle(view(motivating_report())), "Patient")[0]["id"]


# --- other shapes --------------------------------------------------------------------------

def test_sites_without_loinc_get_dexa_codes_and_snomed_sites() -> None:
    report = motivating_report().model_copy(update={"measurements": [
        Measurement(region="vertebra", levels="L3", bmd_g_cm2=1.01, t_score=-0.4),
        Measurement(region="radius_33", side="left", bmd_g_cm2=0.70, t_score=-1.2),
        Measurement(region="total_hip", side="mean", bmd_g_cm2=0.80, t_score=-1.1),
        Measurement(region="total_body", bmd_g_cm2=1.1, z_score=0.3),
        Measurement(region="lumbar_spine", levels="L1-L4", bmd_g_cm2=1.05, t_score=0.0),
    ]})
    bundle = visit_bundle(view(report))
    assert_valid(bundle)
    obs = {o["code"]["text"]: o for o in resources(bundle, "Observation")}
    l3 = obs["DXA vertebra L3 T-score"]
    assert l3["code"]["coding"][0] == {"system": "urn:dexa:observation",
                                       "code": "t-vertebra-L3",
                                       "display": "DXA vertebra L3 T-score"}
    assert l3["bodySite"]["coding"][0]["code"] == "36470004"
    radius = obs["DXA left 33 % radius BMD"]
    assert radius["code"]["coding"][0]["system"] == "urn:dexa:observation"
    assert radius["bodySite"]["coding"][0]["code"] == "62413002:272741003=7771000"
    mean = obs["DXA total hip, mean of both T-score"]
    assert loinc(mean) == "38264-8"  # any side
    assert mean["bodySite"]["coding"][0]["code"] == "29836001:272741003=51440002"
    assert "coding" not in obs["DXA total body Z-score"]["bodySite"]


def test_not_comparable_trend_has_a_data_absent_reason() -> None:
    report = motivating_report().model_copy(update={"priors": [
        p.model_copy(update={"device": "Horizon A", "cross_calibrated": False})
        for p in motivating_report().priors]})
    bundle = visit_bundle(view(report))
    assert_valid(bundle)
    trends = [o for o in resources(bundle, "Observation")
              if o["code"]["coding"][0]["code"] == "bmd-change-since-prior"]
    assert trends and all("valueQuantity" not in o and o["dataAbsentReason"] for o in trends)
    assert all(o["interpretation"][0]["coding"][0]["code"] == "not-comparable" for o in trends)


def test_without_frax_interval_or_patient_id() -> None:
    report = motivating_report(with_frax=False, patient_id=None)
    report = report.model_copy(update={"patient": report.patient.model_copy(
        update={"age_years": 15.0, "birth_date": "2009-01-01"})})
    visit = view(report, key="sha-only-visit")
    assert visit.plan.repeat_dxa_months is None  # pediatric: MON-7
    bundle = visit_bundle(visit)
    assert_valid(bundle)
    kinds = [r["resourceType"] for r in resources(bundle)]
    assert "ServiceRequest" not in kinds
    assert not any(o["code"]["coding"][0]["code"].startswith("frax")
                   for o in resources(bundle, "Observation"))
    (patient,) = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id"}


# --- every sample report, and many generated visits ----------------------------------------

@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.path)
def test_every_sample_report_gives_a_valid_bundle_with_its_codes(sample) -> None:
    report = parsers.parse_bytes((SAMPLE_DIR / sample.path).read_bytes(), sample.path)
    bundle = visit_bundle(view(report, key=report.source.sha256))
    assert_valid(bundle)
    got = {loinc(o) for o in resources(bundle, "Observation")}
    for m, _ in view(report, key="k").measurements():
        assert set(expected_codes(m)) <= got, (m, got)
    assert json.dumps(bundle) == json.dumps(visit_bundle(view(report, key=report.source.sha256)))


def test_a_thousand_generated_visits_give_valid_bundles_with_their_codes() -> None:
    rng = random.Random(20240314)
    keys: set[str] = set()
    for n in range(1000):
        report = generated_report(rng, n)
        visit = view(report)
        bundle = visit_bundle(visit)
        Bundle.model_validate(bundle)
        got = {loinc(o) for o in resources(bundle, "Observation")}
        for m, _ in visit.measurements():
            assert set(expected_codes(m)) <= got
        ids = {r["id"] for r in resources(bundle) if r["resourceType"] not in
               ("Patient", "Device")}
        assert not ids & keys, "a resource id repeats across visits"
        keys |= ids
        if n % 100 == 0:  # the same visit again: the same ids
            assert visit_bundle(view(report)) == bundle


def test_a_visit_of_two_scans_gives_each_site_once_and_names_both_scans() -> None:
    folder = SAMPLE_DIR / "motivating-case"
    sr, pdf = (parsers.parse_bytes((folder / name).read_bytes(), name) for name in (
        "sr-ge_lunar_idxa-encore17.dcm", "pdf-ge_lunar_idxa-encore17.pdf"))
    bundle = visit_bundle(view(sr, pdf, key="visit-of-two-scans"))
    assert_valid(bundle)
    observations = resources(bundle, "Observation")
    codes = [loinc(o) for o in observations if loinc(o)]
    assert len(codes) == len(set(codes))
    (report,) = resources(bundle, "DiagnosticReport")
    assert [i["value"] for i in report["identifier"]] == [sr.source.sha256, pdf.source.sha256]
