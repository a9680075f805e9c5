"""The outputs wired to users (issue 17): ``dexa plan --format fhir|html`` on the sample reports,
``dexa export fhir`` of a results database of 1,000 generated visits (valid Bundles, §1.5
codes, no name, file names without patient identifiers, the same ids on a second export) and
``dexa patient`` from a database holding a patient's four visits.

The databases are filled through the application's own visit stage (``dexa.visits``: merge,
history from the store, plan) and ``dexa.store``, without files or Prefect: the flow's part is
tested in tests/flows/test_exports.py."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from dexa import store
from dexa.cli import main
from dexa.contract import ReportDocument
from tests.databases import db_url  # noqa: F401 - fixture
from tests.dexa.outputs.browser import chromium, open_page, page_requests
from tests.dexa.outputs.builders import (
    FOUR_DATES,
    FOUR_SITES,
    NAME_TOKENS,
    generated_report,
)
from tests.dexa.outputs.test_fhir_bundle import (
    expected_codes,
    loinc,
    resources,
)
from tests.dexa.results import four_visit_store, store_visits

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_reports"
SAMPLES = sorted(p for p in SAMPLE_DIR.rglob("*") if p.is_file())
REJECTED = {p for p in SAMPLES if p.parent.name == "rejected"}


def bundle_files(folder: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.iterdir()}


# --- dexa plan --format fhir | html ----------------------------------------------------------

def test_plan_as_fhir_gives_a_valid_bundle_per_sample_and_errors_in_place(capsys) -> None:
    assert main(["plan", *map(str, SAMPLES), "--format", "fhir"]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SAMPLES)
    for path, line in zip(SAMPLES, lines, strict=True):
        doc = json.loads(line)
        if path in REJECTED:
            assert set(doc) == {"error"}
            continue
        Bundle.model_validate(doc)
        assert doc["resourceType"] == "Bundle" and doc["type"] == "collection"
        (report,) = resources(doc, "DiagnosticReport")
        assert loinc(report) == "83311-1"
        assert [r for r in resources(doc, "Observation") if loinc(r)], path
        (patient,) = resources(doc, "Patient")
        assert "name" not in patient


def test_plan_as_fhir_carries_the_section_1_5_codes_and_same_ids_twice(capsys) -> None:
    import parsers

    sr = SAMPLE_DIR / "motivating-case" / "sr-ge_lunar_idxa-encore17.dcm"
    assert main(["plan", str(sr), "--format", "fhir"]) == 0
    first = json.loads(capsys.readouterr().out)
    report = parsers.parse_bytes(sr.read_bytes(), sr.name)
    got = {loinc(o) for o in resources(first, "Observation")}
    for m in report.measurements:
        assert set(expected_codes(m)) <= got, m
    assert main(["plan", str(sr), "--format", "fhir"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_plan_as_html_is_the_plan_page(capsys) -> None:
    sr = SAMPLE_DIR / "motivating-case" / "sr-ge_lunar_idxa-encore17.dcm"
    assert main(["plan", str(sr), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert "DXA management plan" in page and "No drug now: FRAX below both thresholds" in page


def test_plan_as_html_of_several_files_is_one_page_naming_the_rejected(capsys) -> None:
    files = [SAMPLE_DIR / "normal-man" / "sr-comprehensive-generic.dcm",
             SAMPLE_DIR / "rejected" / "empty-export.dcm"]
    assert main(["plan", *map(str, files), "--format", "html"]) == 3
    page = capsys.readouterr().out
    assert page.count("<!DOCTYPE html>") == 1
    assert "Report 1: scan" in page and "Report 2: not read" in page and "empty" in page
    assert "empty-export" not in page  # a file name may hold a patient's name


def test_plan_as_html_of_one_rejected_file_prints_its_error_document(capsys) -> None:
    assert main(["plan", str(SAMPLE_DIR / "rejected" / "empty-export.dcm"),
                 "--format", "html"]) == 3
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "empty"


# --- dexa export fhir ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def thousand_visits(tmp_path_factory) -> tuple[str, list[ReportDocument]]:
    """A results database of 1,000 generated visits (1,000 patients, random sites, scores,
    FRAX, history facts), each stored with a made-up name in its free-text fields."""
    rng = random.Random(17)
    reports = [generated_report(rng, n) for n in range(1000)]
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'thousand.sqlite'}"
    engine = store.connect(url)
    store_visits(engine, reports, by_date=False)
    engine.dispose()
    return url, reports


def test_export_of_a_thousand_visits(thousand_visits, tmp_path: Path, capsys) -> None:
    url, reports = thousand_visits
    out = tmp_path / "fhir"
    assert main(["export", "fhir", str(out), "--db", url]) == 0
    assert "1000 visit Bundles" in capsys.readouterr().out
    files = bundle_files(out)
    assert len(files) == 1000
    ids = {r.patient.id for r in reports}
    by_patient: dict[str, dict] = {}
    for name, bundle in files.items():
        assert name == f"{bundle['id']}.json"
        Bundle.model_validate(bundle)
        text = json.dumps(bundle)
        for token in NAME_TOKENS:
            assert token not in text
        (patient,) = resources(bundle, "Patient")
        assert set(patient) == {"resourceType", "id", "identifier"}
        by_patient[patient["identifier"][0]["value"]] = bundle
    assert set(by_patient) == ids
    assert not any(pid in name for name in files for pid in ids)
    for r in reports[:200]:
        got = {loinc(o) for o in resources(by_patient[r.patient.id], "Observation")}
        for m in r.measurements:
            assert set(expected_codes(m)) <= got, (m, got)

    # a second export: the same files, none rewritten
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert main(["export", "fhir", str(out), "--db", url]) == 0
    assert "(0 written, 1000 unchanged)" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes
    other = tmp_path / "again"
    assert main(["export", "fhir", str(other), "--db", url]) == 0
    assert bundle_files(other) == files


def test_export_since_until(thousand_visits, tmp_path: Path, capsys) -> None:
    url, reports = thousand_visits
    inside = [r for r in reports if "2020-01-01" <= r.study.scan_date <= "2020-12-31"]
    assert inside
    assert main(["export", "fhir", str(tmp_path), "--db", url, "--since", "2020-01-01",
                 "--until", "2020-12-31"]) == 0
    capsys.readouterr()
    dates = sorted(resources(b, "DiagnosticReport")[0]["effectiveDateTime"]
                   for b in bundle_files(tmp_path).values())
    assert len(dates) == len(inside)
    assert dates[0] >= "2020-01-01" and dates[-1] <= "2020-12-31"


def test_export_usage_errors(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert main(["export", "fhir", str(afile), "--db", url]) == 2
    with pytest.raises(SystemExit) as reversed_range:  # found with the arguments
        main(["export", "fhir", str(tmp_path / "o"), "--db", url, "--since", "2024-02-01",
              "--until", "2024-01-01"])
    assert reversed_range.value.code == 2
    with pytest.raises(SystemExit) as usage:
        main(["export", "fhir", str(tmp_path), "--since", "last week"])
    assert usage.value.code == 2
    assert main(["export", "fhir", str(tmp_path / "o"), "--db", url]) == 0
    assert "0 visit Bundles" in capsys.readouterr().out


# --- dexa patient ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def four_visit_db(tmp_path_factory) -> str:
    """The four visits of one patient, stored without their printed priors: the trend of each
    comes from the patient's earlier visits in the store."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'four.sqlite'}"
    four_visit_store(url)
    return url


def patient_page_of(url: str, tmp_path: Path, patient_id: str = "MRN004") -> Path:
    out = tmp_path / "patient.html"
    assert main(["patient", patient_id, "--db", url, "--out", str(out)]) == 0
    return out


def test_patient_page_from_the_store(four_visit_db: str, tmp_path: Path, capsys) -> None:
    page = patient_page_of(four_visit_db, tmp_path).read_text(encoding="utf-8")
    assert str(tmp_path / "patient.html") in capsys.readouterr().out
    points = re.findall(r'class="point [\w-]+" data-date="([\d-]+)"', page)
    assert points == list(FOUR_DATES) * len(FOUR_SITES)
    assert page.count('class="lsc-band"') == len(FOUR_SITES)
    for day in FOUR_DATES:
        assert f"Visit of {day}" in page
    assert "Next DXA" in page
    for token in NAME_TOKENS:
        assert token not in page


def test_patient_page_to_stdout_and_unknown_patient(four_visit_db: str, capsys) -> None:
    assert main(["patient", "MRN004", "--db", four_visit_db]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    assert main(["patient", "MRN-NOBODY", "--db", four_visit_db]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "MRN-NOBODY" not in captured.err
    assert main(["patient", "MRN004", "--db", four_visit_db, "--rule-set", "aace-2020"]) == 2
    assert main(["patient", "MRN004", "--db", four_visit_db, "--out", "/nonexistent/p.html"]) == 2


@pytest.mark.skipif(chromium() is None, reason="no chromium binary on PATH")
def test_patient_page_from_the_store_in_chromium(four_visit_db: str, tmp_path: Path) -> None:
    """As a person sees it: per site a chart with four points and the LSC band, the values in
    the DOM, no name, no request made for the page."""
    run = open_page(patient_page_of(four_visit_db, tmp_path), tmp_path / "chromium")
    charts = re.findall(r'<svg [^>]*class="chart"[^>]*role="img"', run.dom)
    assert len(charts) == len(FOUR_SITES)
    points = re.findall(r'<g id="chart-\d+-[\w-]+-pt-\d" class="point [\w-]+" '
                        r'data-date="([\d-]+)" data-bmd="([\d.]+)"', run.dom)
    assert [d for d, _ in points] == list(FOUR_DATES) * len(FOUR_SITES)
    assert {float(b) for _, b in points} == {
        bmd for values in FOUR_SITES.values() for bmd, _ in values}
    assert run.dom.count('class="lsc-band"') == len(FOUR_SITES)
    for token in NAME_TOKENS:
        assert token.lower() not in run.dom.lower()
    assert page_requests(run) == []


def test_export_and_patient_page_on_sqlite_and_postgresql(db_url: str, tmp_path: Path,  # noqa: F811
                                                          capsys) -> None:
    four_visit_store(db_url)
    out = tmp_path / "fhir"
    assert main(["export", "fhir", str(out), "--db", db_url, "--since", "2020-01-01"]) == 0
    assert "3 visit Bundles" in capsys.readouterr().out
    for bundle in bundle_files(out).values():
        Bundle.model_validate(bundle)
    page = patient_page_of(db_url, tmp_path).read_text(encoding="utf-8")
    assert page.count('class="lsc-band"') == len(FOUR_SITES)


def test_a_database_of_the_previous_release_exports_after_its_migration(
        tmp_path: Path, capsys) -> None:
    from tests.dexa.test_migrations import _write_previous_release

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _write_previous_release(url)
    assert main(["export", "fhir", str(tmp_path / "fhir"), "--db", url]) == 0
    bundles = bundle_files(tmp_path / "fhir")
    assert len(bundles) == 3 and "3 visit Bundles" in capsys.readouterr().out
    for bundle in bundles.values():
        Bundle.model_validate(bundle)
    assert main(["patient", "SYN0001", "--db", url, "--out", str(tmp_path / "p.html")]) == 0
    assert (tmp_path / "p.html").read_text(encoding="utf-8").count("Visit of ") == 2
