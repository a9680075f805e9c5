"""One visit, one plan, whatever the order and the time its objects arrive in (issue 16): an SR,
its PDF printout and a dictated report of one study, plus an earlier visit of the patient,
delivered in one batch, across batches, over three nightly runs in every order, in a backfill
killed with SIGKILL between arrivals, and on Dask: the tables end the same."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from tests.flows.test_backfill import _cli, _env, _kill_9_after, _ledger_rows, _tables
from tests.synth import cases, pdf, sr, text

pytestmark = pytest.mark.usefixtures("prefect_harness")
VISIT = "SYN0001/2024-03-14"


def _objects() -> dict[str, bytes]:
    """The visit's three objects, each stating a little the others do not (the SR no FRAX,
    the dictation no fracture history), the PDF printing the total hip T-score differently
    (a conflict); and a 2021 SR of the same patient (its earlier visit: the trend's prior)."""
    without_frax = cases.motivating_case(with_frax=False, with_prior=False)
    printout = cases.motivating_case(with_prior=False)
    printout.measurements[2].t_score = -1.3
    dictated = cases.motivating_case(with_prior=False)
    dictated.fracture_history.hip = None
    earlier = cases.motivating_case(with_prior=False)
    earlier.study.scan_date, earlier.study.accession = "2021-05-02", "ACC-OLD"
    earlier.patient.age_years = 65.2  # its header states the age on that day
    for m, bmd in zip(earlier.measurements, (1.150, 0.754, 0.822), strict=True):
        m.bmd_g_cm2 = bmd
    return {"sr.dcm": sr.ge_enhanced_sr(without_frax), "printout.pdf": pdf.ge_pdf(printout),
            "dictated.txt": text.dictated_text(dictated, style="ucsf").encode(),
            "earlier.dcm": sr.ge_enhanced_sr(earlier)}


OBJECTS = _objects()
VISIT_FILES = ("sr.dcm", "printout.pdf", "dictated.txt")


def _deliver(root: Path, names: tuple[str, ...], prefix: str = "") -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / f"{prefix}{name}").write_bytes(OBJECTS[name])


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> dict[str, list]:
    """Every object in one run and one batch."""
    from flows.ingest import ingest_flow

    tmp = tmp_path_factory.mktemp("reference")
    _deliver(tmp / "in", tuple(OBJECTS))
    url = f"sqlite:///{tmp / 'reference.sqlite'}"
    ingest_flow(str(tmp / "in"), url, workers=1)
    return _tables(url)


def test_the_visit_is_one_plan_from_all_its_objects(reference: dict[str, list]) -> None:
    import json

    plans = [json.loads(row) for row in reference["plan_recommendations"]]
    assert len(plans) == 2, "one row per visit: the 2024 visit and the 2021 visit"
    visit = next(p for p in plans if p[0] == VISIT)
    plan = visit[-1]
    assert visit[8] == 3 and len(plan["visit"]["sources"]) == 3  # source_count, sources
    members = [json.loads(row) for row in reference["visit_sources"]]
    roles = {kind: (role, rank) for key, _, kind, role, rank in members if key == VISIT}
    assert roles == {"dicom-sr": ("primary", 0), "pdf": ("merged", 1), "text": ("merged", 2)}
    assert plan["scan"]["sha256"] == visit[1] == plan["visit"]["sources"][0]
    assert plan["pharmacotherapy"] == "no", "FRAX from the printout (VIS-1), below thresholds"
    assert "SOURCE_CONFLICT" in plan["flags"]
    assert {t["region"]: t["prior_date"] for t in plan["trend"]} == {
        "lumbar_spine": "2021-05-02", "femoral_neck": "2021-05-02", "total_hip": "2021-05-02"}
    conflicts = [json.loads(row) for row in reference["quarantine"]]
    assert [(c[1], c[2], c[3]) for c in conflicts] == [
        ("printout.pdf", "source_conflict", "measurements/total_hip/left/t_score")]
    assert visit[1] in conflicts[0][4] and "-1.1" in conflicts[0][4] and "-1.3" in conflicts[0][4]
    assert len(reference["site_measurements"]) == 12, "each scan keeps its own rows"


@pytest.mark.parametrize("order", list(itertools.permutations(VISIT_FILES)),
                         ids=lambda o: "-".join(n.split(".")[0] for n in o))
def test_three_nightly_runs_in_any_order_end_in_the_same_tables(
        tmp_path: Path, order: tuple[str, ...], reference: dict[str, list]) -> None:
    """One object a night; the earlier visit arrives on the last night (history out of date
    order: the visit is re-planned with it)."""
    from flows.ingest import ingest_flow

    url = f"sqlite:///{tmp_path / 'nights.sqlite'}"
    for night, name in enumerate(order):
        _deliver(tmp_path / "in", (name, "earlier.dcm") if night == 2 else (name,))
        summary = ingest_flow(str(tmp_path / "in"), url, workers=1)
        assert summary.totals.plans_written >= 1
    assert _tables(url) == reference


@pytest.mark.parametrize("prefix", [("c-", "b-", "a-", "d-"), ("a-", "c-", "b-", "d-")],
                         ids=["dictation-first", "sr-first"])
def test_one_run_one_file_a_batch_ends_in_the_same_tables(
        tmp_path: Path, prefix: tuple[str, ...], reference: dict[str, list]) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "in"
    for name, first in zip(OBJECTS, prefix, strict=True):  # discovery order is by path
        _deliver(root, (name,), first)
    url = f"sqlite:///{tmp_path / 'batches.sqlite'}"
    summary = ingest_flow(str(root), url, workers=1, batch_size=1, kind="backfill")
    assert summary.totals.metrics.visits["joined"] == 2
    assert _without_prefixes(_tables(url), prefix) == reference


def _without_prefixes(tables: dict[str, list], prefixes: tuple[str, ...]) -> dict[str, list]:
    """The tables with the file names' ordering prefixes taken out of every path."""
    def fix(row: str) -> str:
        for p, name in zip(prefixes, OBJECTS, strict=True):
            row = row.replace(f'"{p}{name}"', f'"{name}"')
        return row

    return {name: sorted(map(fix, rows)) for name, rows in tables.items()}


@pytest.mark.parametrize("kill_after_rows", [1, 2])
def test_kill_9_between_arrivals_then_resume(tmp_path: Path, kill_after_rows: int,
                                             reference: dict[str, list]) -> None:
    root = tmp_path / "in"
    _deliver(root, tuple(OBJECTS))
    db_file = tmp_path / "killed.sqlite"
    url = f"sqlite:///{db_file}"
    command = _cli(root, url)
    command[command.index("--batch-size") + 1] = "1"
    _kill_9_after(command, db_file, kill_after_rows)
    assert _ledger_rows(db_file) < len(OBJECTS), "the kill left arrivals for the resumed run"
    resumed = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert _tables(url) == reference


def test_a_rerun_adds_nothing_and_replan_keeps_one_row_per_visit(tmp_path: Path,
                                                                 reference) -> None:
    from dexa.cli import main
    from flows.ingest import ingest_flow

    root = tmp_path / "in"
    _deliver(root, tuple(OBJECTS))
    url = f"sqlite:///{tmp_path / 'again.sqlite'}"
    ingest_flow(str(root), url, workers=1)
    again = ingest_flow(str(root), url, workers=1)
    assert again.totals.files == 0 and again.replanned == 0
    assert _tables(url) == reference
    assert main(["replan", "--db", url]) == 0
    assert _tables(url) == reference
    assert main(["replan", "--db", url, "--rule-set", "nogg-2022"]) == 0
    engine = store.connect(url)
    with engine.connect() as conn:
        rows = conn.execute(select(store.plan_recommendations.c.visit_key,
                                   store.plan_recommendations.c.rule_set)).all()
    engine.dispose()
    assert sorted(tuple(r) for r in rows) == sorted(
        (key, rule_set) for key in (VISIT, "SYN0001/2021-05-02")
        for rule_set in ("bhof-2022", "nogg-2022"))


def test_objects_of_one_visit_in_concurrent_dask_batches_end_in_one_plan(
        tmp_path: Path, reference: dict[str, list]) -> None:
    """Two Dask workers may plan the visit at once, each without the other's scan; the refresh
    at the end of the run plans it from all of them."""
    from flows.ingest import ingest_flow

    root = tmp_path / "in"
    _deliver(root, tuple(OBJECTS))
    url = f"sqlite:///{tmp_path / 'dask.sqlite'}"
    ingest_flow(str(root), url, batch_size=1, dask_workers=2)
    assert _tables(url) == reference


def test_the_sample_folder_gives_one_plan_row_per_visit(tmp_path: Path) -> None:
    """`dexa run sample_reports`: the motivating case's SR, PDF and second SR are one visit, the
    spine and hip SRs another (classified from the spine), the disagreeing pair a third; the
    pictures read by OCR join the visits of the reports they show."""
    from flows.ingest import ingest_flow

    samples = Path(__file__).resolve().parents[2] / "sample_reports"
    url = f"sqlite:///{tmp_path / 'samples.sqlite'}"
    summary = ingest_flow(str(samples), url, workers=1)
    assert summary.totals.outcomes["processed"] == 13
    engine = store.connect(url)
    with engine.connect() as conn:
        plans = {r.visit_key: r for r in conn.execute(select(store.plan_recommendations))}
        conflicts = sorted((r.path, r.field) for r in conn.execute(
            select(store.quarantine).where(store.quarantine.c.reason_code == "source_conflict")))
    engine.dispose()
    assert len(plans) == 7
    motivating = plans["SYN0001/2024-03-14"]
    assert motivating.source_count == 3 and motivating.classification == "low_bone_mass"
    split = plans["SYN0006/2024-10-08"]
    assert (split.classification, split.lowest_region, split.lowest_score,
            split.pharmacotherapy, split.source_count) == (
        "osteoporosis", "lumbar_spine", -2.7, "yes", 2)
    for case in (cases.normal_man_case(), cases.premenopausal_z_case()):  # report + picture
        assert plans[f"{case.patient.id}/{case.study.scan_date}"].source_count == 2
    conflict = plans["SYN0007/2024-11-20"]
    assert "SOURCE_CONFLICT" in conflict.plan_json["flags"]
    assert (conflict.lowest_score, conflict.classification) == (-2.0, "low_bone_mass")
    assert conflicts == [("visit-conflict/pdf-ge_lunar_idxa-reanalysed.pdf",
                          f"measurements/femoral_neck/left/{name}")
                         for name in ("bmd_g_cm2", "t_score", "z_score")]
