"""Backfill: scan-date ranges, longitudinal history out of date order, flow-run segments, and
resumption after kill -9 at several points (tables equal an uninterrupted run's)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from tests.synth.cases import motivating_case, no_frax_low_bone_mass_case, normal_man_case
from tests.synth.pdf import non_report_pdf
from tests.synth.sr import ge_enhanced_sr

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _variant(case, n: int, scan_date: str | None = None):
    doc = case.model_copy(deep=True)
    doc.patient.id = f"BF{n:04d}"
    doc.study.accession = f"ACCBF{n:04d}"
    if scan_date:
        doc.study.scan_date = scan_date
    return doc


def _archive(root: Path) -> None:
    """Ten scans over 2019-2024, a duplicate, an empty file and a non-report PDF."""
    cases = (motivating_case, normal_man_case, no_frax_low_bone_mass_case)
    for n in range(10):
        year = 2019 + n % 6
        path = root / str(year) / f"scan-{n:02d}.dcm"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(ge_enhanced_sr(_variant(cases[n % 3](), n, f"{year}-06-0{1 + n % 9}")))
    (root / "2024" / "scan-00-copy.dcm").write_bytes((root / "2019" / "scan-00.dcm").read_bytes())
    (root / "bad").mkdir()
    (root / "bad" / "empty.dcm").write_bytes(b"")
    (root / "bad" / "letter.pdf").write_bytes(non_report_pdf())


def _tables(url: str) -> dict[str, list]:
    """Every table's content without run ids, timestamps and surrogate keys, as sorted lists
    (so a row written twice shows)."""
    engine = store.connect(url)
    wanted = {
        store.ingest_ledger: ("path", "sha256", "size_bytes", "outcome", "reason_code",
                              "scan_date"),
        store.plan_recommendations: ("visit_key", "source_sha256", "rule_set", "patient_id",
                                     "scan_date", "classification", "pharmacotherapy",
                                     "repeat_dxa_months", "source_count", "plan_json"),
        store.visit_sources: ("visit_key", "source_sha256", "kind", "role", "rank"),
        store.site_measurements: ("source_sha256", "position", "region", "side", "levels",
                                  "bmd_g_cm2", "t_score", "z_score"),
        store.quarantine: ("source_sha256", "path", "reason_code", "field", "detail"),
        store.scan_reports: ("source_sha256", "patient_id", "scan_date", "report_json"),
    }
    result = {}
    with engine.connect() as conn:
        for table, columns in wanted.items():
            rows = conn.execute(select(*[table.c[c] for c in columns])).all()
            result[table.name] = sorted(json.dumps(list(r), sort_keys=True, default=str)
                                        for r in rows)
    engine.dispose()
    return result


def _cli(root: Path, url: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dexa.cli", "backfill", str(root), "--db", url, "--workers",
            "1", "--batch-size", "2", "--files-per-run", "6", *extra]


def _env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}


def _ledger_rows(db_file: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM ingest_ledger").fetchone()[0]
    except sqlite3.Error:
        return -1  # not created yet


def _kill_9_after(command: list[str], db_file: Path, rows: int) -> None:
    """Run ``command`` and SIGKILL it once the ledger in ``db_file`` holds ``rows`` rows."""
    proc = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if _ledger_rows(db_file) >= rows:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"


def test_since_until_skips_out_of_range_and_a_later_run_processes_them(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "archive"
    _archive(root)
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    first = ingest_flow(str(root), url, workers=1, since=date(2021, 1, 1),
                        until=date(2022, 12, 31), kind="backfill")
    engine = store.connect(url)
    with engine.connect() as conn:
        ledger = {r.path: (r.outcome, r.reason_code, r.scan_date) for r in conn.execute(
            select(store.ingest_ledger))}
    in_range = {p for p, (_, _, d) in ledger.items() if d and "2021" <= d[:4] <= "2022"}
    assert in_range and all(ledger[p][0] == "processed" for p in in_range)
    skipped = {p for p, v in ledger.items() if v[0] == "skipped"}
    assert skipped and all(ledger[p][1] == "out_of_range" for p in skipped)
    assert first.totals.plans_written == len(in_range)
    second = ingest_flow(str(root), url, workers=1, kind="nightly")
    assert second.totals.outcomes["processed"] == len(skipped) - 1  # one is the duplicate
    with engine.connect() as conn:
        outcomes = [r.outcome for r in conn.execute(select(store.ingest_ledger))]
    assert "skipped" not in outcomes and len(outcomes) == len(ledger)
    engine.dispose()


def test_history_reaches_a_scan_planned_before_its_earlier_scan_arrived(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "archive"
    root.mkdir()
    newer = motivating_case(with_prior=False)
    older = motivating_case(with_prior=False)
    older.study.scan_date, older.study.accession = "2021-05-02", "ACC-OLD"
    for m, bmd in zip(older.measurements, (1.150, 0.754, 0.822), strict=True):
        m.bmd_g_cm2 = bmd
    (root / "a-newer.dcm").write_bytes(ge_enhanced_sr(newer))
    (root / "b-older.dcm").write_bytes(ge_enhanced_sr(older))
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    summary = ingest_flow(str(root), url, workers=1, batch_size=1)
    assert summary.replanned == 1
    engine = store.connect(url)
    with engine.connect() as conn:
        plans = {r.scan_date: r.plan_json for r in conn.execute(select(
            store.plan_recommendations))}
    engine.dispose()
    trend = {(t["region"], t["side"]): t for t in plans["2024-03-14"]["trend"]}
    assert trend[("total_hip", "left")]["prior_date"] == "2021-05-02"
    assert trend[("total_hip", "left")]["status"] == "gain"
    assert trend[("lumbar_spine", None)]["change_g_cm2"] == pytest.approx(0.037)
    assert plans["2021-05-02"]["trend"] == []


def test_segments_give_the_same_tables_as_one_flow_run(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path / "archive"
    _archive(root)
    one, many = (f"sqlite:///{tmp_path / n}" for n in ("one.sqlite", "many.sqlite"))
    ingest_flow(str(root), one, workers=1, batch_size=3)
    ingest_flow(str(root), many, workers=1, batch_size=2, files_per_run=3)
    assert _tables(one) == _tables(many)


@pytest.fixture(scope="module")
def archive_with_reference(tmp_path_factory: pytest.TempPathFactory,
                           prefect_harness) -> tuple[Path, str]:
    """The archive and the tables of an uninterrupted backfill of it (made once)."""
    tmp = tmp_path_factory.mktemp("kill")
    root = tmp / "archive"
    _archive(root)
    reference = f"sqlite:///{tmp / 'reference.sqlite'}"
    done = subprocess.run(_cli(root, reference), env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return root, reference


@pytest.mark.parametrize("kill_after_rows", [0, 4, 9])
def test_kill_9_then_resume_equals_an_uninterrupted_run(tmp_path: Path, kill_after_rows: int,
                                                        archive_with_reference) -> None:
    root, reference = archive_with_reference
    db_file = tmp_path / "killed.sqlite"
    url = f"sqlite:///{db_file}"
    _kill_9_after(_cli(root, url), db_file, kill_after_rows)
    assert _ledger_rows(db_file) < 13, "the kill left work for the resumed run"

    resumed = subprocess.run(_cli(root, url), env=_env(), capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert _tables(url) == _tables(reference)


def test_nightly_run_uses_stored_history_and_stores_the_report_as_read(tmp_path: Path) -> None:
    """The common nightly case: the earlier scan is already in the store when the new one
    arrives. The plan has the trend; the stored report keeps the file's own (empty) priors."""
    from flows.ingest import ingest_flow

    older = motivating_case(with_prior=False)
    older.study.scan_date, older.study.accession = "2021-05-02", "ACC-OLD"
    for m, bmd in zip(older.measurements, (1.150, 0.754, 0.822), strict=True):
        m.bmd_g_cm2 = bmd
    root = tmp_path / "exports"
    root.mkdir()
    (root / "older.dcm").write_bytes(ge_enhanced_sr(older))
    url = f"sqlite:///{tmp_path / 'n.sqlite'}"
    ingest_flow(str(root), url, workers=1)
    (root / "newer.dcm").write_bytes(ge_enhanced_sr(motivating_case(with_prior=False)))
    summary = ingest_flow(str(root), url, workers=1)
    assert summary.replanned == 0
    engine = store.connect(url)
    with engine.connect() as conn:
        plan = conn.execute(select(store.plan_recommendations.c.plan_json).where(
            store.plan_recommendations.c.scan_date == "2024-03-14")).scalar_one()
        stored = conn.execute(select(store.scan_reports.c.report_json).where(
            store.scan_reports.c.scan_date == "2024-03-14")).scalar_one()
    engine.dispose()
    assert {t["region"]: t["status"] for t in plan["trend"]} == {
        "lumbar_spine": "gain", "femoral_neck": "stable", "total_hip": "gain"}
    assert stored["priors"] == []
