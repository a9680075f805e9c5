"""After `dexa run sample_reports` (issue 17): the run's Prefect artifacts (a markdown summary
and a table of the visits it planned, without patient identifiers), every visit's Bundle from
`dexa export fhir` (valid, §1.5 codes, no name, the same ids on a second export), and the
motivating patient's page from `dexa patient`, as a person sees it in headless Chromium (the
decision in the first screen, each part with its rule; no request leaves the page)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from dexa import store
from dexa.cli import main
from tests.dexa.outputs.browser import chromium, open_page, page_requests
from tests.dexa.outputs.test_fhir_bundle import loinc, resources

pytestmark = pytest.mark.usefixtures("prefect_harness")
SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
MOTIVATING = "SYN0001"
# dxa-formats.md §1.5: the motivating case's left femoral neck (Femur-L), left total hip
# (Hip-L) and lumbar spine: BMD, T-score, Z-score
MOTIVATING_CODES = {"80954-1", "80948-3", "80940-0", "46278-8", "80946-7", "80938-4",
                    "24966-4", "38267-1", "85394-5"}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory, prefect_harness):
    from flows.ingest import ingest_flow

    url = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'samples.sqlite'}"
    summary = ingest_flow(str(SAMPLES), url, workers=1)
    return url, summary


def _patient_ids(url: str) -> set[str]:
    engine = store.connect(url)
    with engine.connect() as conn:
        ids = {r[0] for r in conn.execute(store.plan_recommendations.select()
                                          .with_only_columns(store.plan_recommendations.c
                                                             .patient_id)) if r[0]}
    engine.dispose()
    return ids


def _accessions(url: str) -> set[str]:
    engine = store.connect(url)
    with engine.connect() as conn:
        found = {r[0]["study"]["accession"] for r in conn.execute(
            store.scan_reports.select().with_only_columns(store.scan_reports.c.report_json))}
    engine.dispose()
    return {a for a in found if a}


def test_the_run_publishes_its_summary_and_visits_without_identifiers(sample_run) -> None:
    from uuid import UUID

    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )

    url, summary = sample_run
    with get_client(sync_client=True) as client:  # this run's artifacts, not other tests' runs
        found = {a.key: a for a in client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(summary.run_id)])))}
    markdown, table = found["dexa-run-summary"].data, found["dexa-run-visits"].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert len(rows) == summary.totals.plans_written >= 7
    assert {"visit", "scans", "classification", "pharmacotherapy"} <= set(rows[0])
    assert max(r["scans"] for r in rows) == 3  # the motivating case: SR, PDF, second SR
    assert f"visit plans written: {summary.totals.plans_written}" in markdown
    with get_client(sync_client=True) as client:  # the run's log lines, as the UI shows them
        logs = client.read_logs(log_filter=LogFilter(
            flow_run_id=LogFilterFlowRunId(any_=[UUID(summary.run_id)])))
    text = markdown + json.dumps(rows) + "\n".join(log.message for log in logs)
    identifiers = _patient_ids(url) | _accessions(url)
    assert _accessions(url) and identifiers, "the samples state patient ids and accessions"
    for identifier in identifiers:
        assert identifier not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "no scan date or birth date"


def test_export_gives_one_valid_bundle_per_visit_and_the_same_ids_again(
        sample_run, tmp_path: Path, capsys) -> None:
    url, _ = sample_run
    out = tmp_path / "fhir"
    assert main(["export", "fhir", str(out), "--db", url]) == 0
    assert main(["export", "fhir", str(tmp_path / "again"), "--db", url]) == 0
    assert "7 visit Bundles" in capsys.readouterr().out
    bundles = {p.name: json.loads(p.read_text()) for p in out.iterdir()}
    again = {p.name: json.loads(p.read_text()) for p in (tmp_path / "again").iterdir()}
    assert bundles == again and len(bundles) == 7
    ids = _patient_ids(url)
    for name, bundle in bundles.items():
        Bundle.model_validate(bundle)
        assert not any(pid in name for pid in ids)
        (patient,) = resources(bundle, "Patient")
        assert "name" not in patient
    motivating = next(b for b in bundles.values() if resources(b, "Patient")[0]
                      .get("identifier", [{}])[0].get("value") == MOTIVATING)
    assert {loinc(o) for o in resources(motivating, "Observation")} >= MOTIVATING_CODES
    (report,) = resources(motivating, "DiagnosticReport")
    assert len(report["identifier"]) == 3  # the visit's three scans


@pytest.mark.skipif(chromium() is None, reason="no chromium binary on PATH")
def test_the_motivating_patient_page_reads_in_one_screen(sample_run, tmp_path: Path) -> None:
    url, _ = sample_run
    page = tmp_path / "patient.html"
    assert main(["patient", MOTIVATING, "--db", url, "--out", str(page)]) == 0
    run = open_page(page, tmp_path / "chromium", window=(1280, 900))
    assert page_requests(run) == []
    dom = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", run.dom))
    decision = dom[dom.index("Latest decision"):dom.index("BMD over time")]
    for phrase in ("Low bone mass", "CLS-2", "No drug now: FRAX below both thresholds",
                   "TX-B4", "Calcium", "NP-1", "Vitamin D", "NP-3", "Exercise", "NP-5",
                   "Repeat DXA in about a year", "MON-3d"):
        assert phrase in decision, phrase
