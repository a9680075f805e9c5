"""FHIR R4 JSON reports: the narrative read by the text reader, the presented forms by theirs,
the structured resources filling the gaps, and the look-alikes that must not be read."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import pytest

from dexa.contract import ReportDocument, ReportRejected
from parsers import parse_bytes
from parsers.prose import read_text
from tests.conftest import assert_valid_report
from tests.parsers.prose.reading import rows_of
from tests.synth.cases import motivating_case
from tests.synth.fhir import (
    TABLE_DIV,
    TABLE_ROWS,
    as_bytes,
    bundle,
    observation,
    patient,
    report,
)
from tests.synth.pdf import hologic_pdf

DXA_OBSERVATIONS = [
    observation("24966-4", 0.912, "g/cm2", ident="spine-bmd"),
    observation("38267-1", -2.1, "{T-score}", ident="spine-t"),
    observation("80954-1", 0.701, "g/cm2", ident="neck-l-bmd"),
    observation("80948-3", -1.9, "{T-score}", ident="neck-l-t"),
    observation("80940-0", -0.6, "{Z-score}", ident="neck-l-z"),
]
DXA_ROWS = [
    ("lumbar_spine", None, None, 0.912, -2.1, None),
    ("femoral_neck", "left", None, 0.701, -1.9, -0.6),
]


def read(resource: object, path: str = "in/report.json") -> dict:
    doc = parse_bytes(as_bytes(resource), path).to_dict()
    assert_valid_report(doc)
    return doc


def rejection(resource: object) -> str:
    with pytest.raises(ReportRejected) as rejected:
        parse_bytes(as_bytes(resource) if not isinstance(resource, bytes) else resource,
                    "in/report.json")
    return rejected.value.code


# --- the narrative --------------------------------------------------------------------------

def test_a_report_narrative_is_read_as_a_text_report() -> None:
    doc = read(report(div=TABLE_DIV, subject=None, effective=None))
    assert doc["source"]["kind"] == "text"
    assert rows_of(doc) == TABLE_ROWS
    assert doc["patient"]["birth_date"] == "1951-09-21"
    assert doc["study"]["scan_date"] == "2024-10-23"
    assert doc["patient"]["age_years"] == 73.1  # derived from the narrative's dates


def test_the_conclusion_is_read_and_the_narrative_wins_over_the_observations() -> None:
    resource = bundle(
        report(div=TABLE_DIV, conclusion="Osteopenia of the left hip.",
               results=["Observation/spine-bmd"]),
        patient(), observation("24966-4", 1.234, "g/cm2", ident="spine-bmd"))
    doc = read(resource)
    assert rows_of(doc) == TABLE_ROWS  # the narrative states measurements: no coded value
    assert doc["study"]["printed_category"] == "Osteoporosis"


def test_a_conclusion_alone_beside_observations_gives_the_category() -> None:
    resource = bundle(report(conclusion="Findings consistent with osteopenia (DXA, BMD)."),
                      patient(), *DXA_OBSERVATIONS)
    doc = read(resource)
    assert rows_of(doc) == DXA_ROWS
    assert doc["study"]["printed_category"] == "osteopenia"


def test_ambiguous_narrative_dates_are_ordered_by_the_coded_dates() -> None:
    div = TABLE_DIV.replace("21/09/1951", "04/03/1951").replace("23/10/2024", "06/05/2024")
    month_first = read(report(div=div, subject=None, effective=None))
    assert month_first["study"]["scan_date"] == "2024-06-05"
    assert "DATE_ORDER_ASSUMED" in month_first["warnings"]
    doc = read(bundle(report(div=div, effective="2024-05-06"), patient(birth="1951-03-04")))
    assert doc["study"]["scan_date"] == "2024-05-06"
    assert doc["patient"]["birth_date"] == "1951-03-04"
    assert "DATE_ORDER_ASSUMED" not in doc["warnings"]


# --- presented forms --------------------------------------------------------------------------

PLAIN_REPORT = """DXA BONE DENSITOMETRY
Date of birth: 1948-02-14
Lumbar spine L1-L4: BMD 0.955 g/cm2, T-score -1.4, Z-score 0.2.
Left femoral neck: BMD 0.612 g/cm2, T-score -2.6, Z-score -1.0.
IMPRESSION: Osteoporosis.
"""


def test_a_text_attachment_is_read_by_the_text_reader() -> None:
    doc = read(report(forms=[("text/plain; charset=utf-8", PLAIN_REPORT.encode())],
                      subject=None))
    direct = read_text(PLAIN_REPORT.encode(), path="x", sha256="0").to_dict()
    assert doc["measurements"] == direct["measurements"]
    assert doc["study"]["scan_date"] == "2024-10-23"  # the effective date fills the gap
    assert doc["patient"]["age_years"] == 76.7


def test_an_html_attachment_is_read_as_its_lines() -> None:
    html = f"<html><head><title>r</title></head><body>{TABLE_DIV}</body></html>"
    doc = read(report(forms=[("text/html", html.encode())], subject=None))
    assert rows_of(doc) == TABLE_ROWS


def test_a_pdf_attachment_is_read_by_the_pdf_reader() -> None:
    case = motivating_case()
    doc = read(report(forms=[("application/pdf", hologic_pdf(case))], subject=None))
    assert doc["source"]["kind"] == "text"
    found = {(m["region"], m["side"]): m["t_score"] for m in doc["measurements"]}
    assert found == {(m.region, m.side): m.t_score for m in case.measurements}


def test_a_narrative_without_numbers_leaves_the_pdf_to_state_them() -> None:
    div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>DXA bone density: see the PDF.</p></div>'
    doc = read(report(div=div, forms=[("application/pdf", hologic_pdf(motivating_case()))]))
    assert doc["measurements"]


# --- structured facts ---------------------------------------------------------------------

def test_observations_are_the_measurements_where_no_words_give_any() -> None:
    doc = read(bundle(report(), patient(), *DXA_OBSERVATIONS))
    assert rows_of(doc) == DXA_ROWS
    assert (doc["patient"]["id"], doc["patient"]["sex"], doc["patient"]["birth_date"]) == (
        "SYN-4711", "F", "1951-09-21")
    assert doc["study"]["scan_date"] == "2024-10-23"
    assert doc["patient"]["age_years"] == 73.1


def test_results_are_found_by_every_kind_of_reference() -> None:
    resource = bundle(
        report(results=["Observation//spine-bmd", "urn:uuid:0000-3", "#neck"],
               contained=[observation("24701-5", 0.688, "g/cm2", ident="neck",
                                      bodySite={"text": "Right femur"})]),
        patient(), observation("24966-4", 0.912, "g/cm2", ident="spine-bmd"),
        observation("38267-1", -2.1, "{T-score}"),
        observation("38264-8", -3.3, "{T-score}", ident="not-a-result"))
    doc = read(resource)
    assert rows_of(doc) == [("lumbar_spine", None, None, 0.912, -2.1, None),
                            ("femoral_neck", "right", None, 0.688, None, None)]


def test_a_panel_and_components_hold_coded_values() -> None:
    panel = {"resourceType": "Observation", "id": "panel", "status": "final",
             "code": {"coding": [{"system": "http://loinc.org", "code": "83311-1"}]},
             "hasMember": [{"reference": "Observation/hip-bmd"}],
             "component": [{"code": {"coding": [{"system": "http://loinc.org",
                                                 "code": "38264-8"}]},
                            "valueQuantity": {"value": -1.2, "code": "{T-score}"}}]}
    doc = read(bundle(report(results=["Observation/panel"]), panel,
                      observation("38261-4", 0.801, "g/cm2", ident="hip-bmd")))
    assert rows_of(doc) == [("total_hip", None, None, 0.801, -1.2, None)]


def test_the_name_is_never_output() -> None:
    text = json.dumps(read(bundle(report(div=TABLE_DIV), patient(), *DXA_OBSERVATIONS)))
    assert "Testperson" not in text and "Ada" not in text


def test_the_period_start_and_a_sloppy_datetime_give_the_scan_date() -> None:
    period = report(effective=None, effectivePeriod={"start": "2023-03-09T08:00:00Z"})
    assert read(bundle(period, *DXA_OBSERVATIONS))["study"]["scan_date"] == "2023-03-09"
    sloppy = report(effective="2021-11-10 T19:30:46-08:00")
    assert read(bundle(sloppy, *DXA_OBSERVATIONS))["study"]["scan_date"] == "2021-11-10"


def test_an_accession_identifier_is_the_accession() -> None:
    accession = {"type": {"coding": [{"code": "ACSN"}]}, "value": "ACC-31"}
    doc = read(bundle(report(identifier=[{"value": "order-1"}, accession]), patient(),
                      *DXA_OBSERVATIONS))
    assert doc["study"]["accession"] == "ACC-31"


# --- look-alikes --------------------------------------------------------------------------

@pytest.mark.parametrize("gender", ["unknown", "other", "", None])
def test_a_gender_that_is_not_female_or_male_is_no_sex(gender: str | None) -> None:
    doc = read(bundle(report(), patient(gender=gender), *DXA_OBSERVATIONS))
    assert doc["patient"]["sex"] is None


def test_male_is_m() -> None:
    assert read(bundle(report(), patient(gender="male"), *DXA_OBSERVATIONS))[
        "patient"]["sex"] == "M"


def test_a_subject_of_another_resource_type_is_not_the_patient() -> None:
    other = patient(kind="Practitioner", ident="pt-1", gender="male", birth="1960-01-01")
    doc = read(bundle(report(subject="Practitioner/pt-1"), other, *DXA_OBSERVATIONS))
    assert (doc["patient"]["id"], doc["patient"]["sex"], doc["patient"]["birth_date"]) == (
        None, None, None)
    lone = read(bundle(report(subject=None), other, *DXA_OBSERVATIONS))
    assert (lone["patient"]["sex"], lone["patient"]["birth_date"]) == (None, None)


def test_a_partial_birth_date_is_no_birth_date() -> None:
    doc = read(bundle(report(), patient(birth="1951"), *DXA_OBSERVATIONS))
    assert (doc["patient"]["birth_date"], doc["patient"]["age_years"]) == (None, None)


def test_an_observation_of_another_test_is_no_measurement() -> None:
    vitamin_d = observation("1989-3", 62.0, "ng/mL")
    doc = read(bundle(report(), patient(), vitamin_d, *DXA_OBSERVATIONS))
    assert rows_of(doc) == DXA_ROWS
    assert rejection(bundle(report(code={"coding": [{"code": "1989-3"}]}), patient(),
                            vitamin_d)) == "not_dxa"


def test_a_dxa_code_of_another_system_is_no_measurement() -> None:
    lookalike = observation("24966-4", 0.9, "g/cm2", system="http://snomed.info/sct")
    assert rejection(bundle(report(), lookalike)) == "no_measurements"


def test_a_frax_observation_is_no_fracture_and_no_measurement() -> None:
    frax = {"resourceType": "Observation", "status": "final",
            "code": {"text": "FRAX 10-year probability of hip fracture"},
            "valueQuantity": {"value": 3.4, "unit": "%"}}
    doc = read(bundle(report(), patient(), frax, *DXA_OBSERVATIONS))
    assert rows_of(doc) == DXA_ROWS
    assert doc["fracture_history"]["hip"] is None


def test_a_score_given_in_a_density_unit_is_not_read() -> None:
    doc = read(bundle(report(), observation("38267-1", 0.9, "g/cm2"), *DXA_OBSERVATIONS[:1]))
    assert rows_of(doc) == [("lumbar_spine", None, None, 0.912, None, None)]


def test_void_reports_and_observations_are_not_read() -> None:
    assert rejection(report(div=TABLE_DIV, status="entered-in-error")) == "not_dxa"
    assert rejection(bundle(report(div=TABLE_DIV, status="cancelled"), patient())) == "not_dxa"
    wrong = observation("24966-4", 1.5, "g/cm2", status="entered-in-error")
    doc = read(bundle(report(), wrong, *DXA_OBSERVATIONS))
    assert rows_of(doc) == DXA_ROWS


def test_fhir_without_dxa_content_is_not_dxa() -> None:
    assert rejection(patient()) == "not_dxa"
    assert rejection(bundle(patient())) == "not_dxa"
    chest = report(div="<div><p>Chest X-ray: lungs clear.</p></div>",
                   code={"coding": [{"system": "http://loinc.org", "code": "36643-5"}]})
    assert rejection(chest) == "not_dxa"


def test_a_dxa_report_without_numbers_is_no_measurements() -> None:
    assert rejection(report()) == "no_measurements"
    assert rejection(bundle(report(div="<div><p>DXA bone density: BMD see scan.</p></div>"),
                            patient())) == "no_measurements"


@pytest.mark.parametrize("data", [
    b'{"resourceType": "DiagnosticReport", "status": "final", "text": {"div": "<div>BMD',
    b'{"resourceType": "Bundle", "entry": [,]}',
])
def test_broken_fhir_json_is_corrupt(data: bytes) -> None:
    assert rejection(data) == "corrupt"


def test_deeply_nested_json_never_crashes() -> None:
    data = b'{"resourceType": "Bundle", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert rejection(data) in ("corrupt", "not_dxa")


@pytest.mark.parametrize("data", [
    b'{"site": "lumbar spine", "bmd": 0.912, "t_score": -2.1, "method": "DXA"}',
    b'{"note": "not a report"}',
    b'["resourceType", "DiagnosticReport"]',
])
def test_json_that_is_not_fhir_stays_on_the_text_path(data: bytes) -> None:
    def outcome(read_it: Callable[[], ReportDocument]) -> dict | str:
        try:
            return read_it().to_dict()
        except ReportRejected as rejected:
            return rejected.code

    sha256 = hashlib.sha256(data).hexdigest()
    assert outcome(lambda: parse_bytes(data, "x.json")) == outcome(
        lambda: read_text(data, path="x.json", sha256=sha256))
