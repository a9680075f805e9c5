"""The nightly flow end to end, on SQLite and PostgreSQL, under Prefect's test harness."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from tests.databases import db_url  # noqa: F401 - fixture
from tests.inputs import write_export_folder


def _ledger(engine) -> dict[str, tuple[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(select(store.ingest_ledger.c.path, store.ingest_ledger.c.outcome,
                                   store.ingest_ledger.c.reason_code)).all()
    return {r.path: (r.outcome, r.reason_code) for r in rows}


def _counts(engine) -> dict[str, int]:
    return {t.name: store.count_rows(engine, t) for t in
            (store.ingest_ledger, store.plan_recommendations, store.site_measurements,
             store.quarantine, store.scan_reports)}


@pytest.mark.usefixtures("prefect_harness")
def test_nightly_flow_processes_quarantines_and_is_idempotent(tmp_path: Path,
                                                               db_url: str) -> None:  # noqa: F811
    from flows.ingest import ingest_flow

    root = tmp_path / "exports"
    expected = write_export_folder(root)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}

    summary = ingest_flow(str(root), db_url, batch_size=3, workers=1)

    engine = store.connect(db_url)
    ledger = _ledger(engine)
    assert set(ledger) == set(expected), "every file under the input folder has a ledger row"
    twins = [p for p in expected if p.endswith("motivating.dcm")]
    assert sorted(ledger[p][0] for p in twins) == ["duplicate", "processed"]
    for path, want in expected.items():
        if path in twins:
            continue
        outcome, _, reason = want.partition(":")
        assert ledger[path] == (outcome, reason or None), path
    counts = _counts(engine)
    assert counts["plan_recommendations"] == 3
    assert summary.totals.plans_written == 3
    with engine.connect() as conn:
        quarantined = {r.path: r.reason_code for r in conn.execute(
            select(store.quarantine.c.path, store.quarantine.c.reason_code))}
        plans = {r.patient_id: r for r in conn.execute(select(store.plan_recommendations))}
    assert quarantined == {"bad/empty.dcm": "empty", "bad/truncated.dcm": "corrupt",
                           "bad/invoice.pdf": "not_dxa"}
    motivating = plans["SYN0001"]
    assert (motivating.classification, motivating.lowest_region, motivating.lowest_side,
            motivating.lowest_score, motivating.pharmacotherapy,
            motivating.repeat_dxa_months) == ("low_bone_mass", "femoral_neck", "left", -2.0,
                                              "no", 12)
    assert plans["SYN0005"].pharmacotherapy == "needs-frax"

    again = ingest_flow(str(root), db_url, batch_size=3, workers=1)
    assert again.totals.files == 0
    assert _counts(engine) == counts, "a second run adds no row"
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*") if p.is_file()}
    assert after == before, "input files are never modified, moved or deleted"
    engine.dispose()


@pytest.mark.usefixtures("prefect_harness")
def test_a_new_file_is_picked_up_by_the_next_run(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow
    from tests.synth.cases import normal_man_case
    from tests.synth.sr import ge_enhanced_sr

    root = tmp_path / "exports"
    write_export_folder(root)
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    ingest_flow(str(root), url, workers=1)
    (root / "2024/08/20").mkdir(parents=True)
    (root / "2024/08/20/normal.dcm").write_bytes(ge_enhanced_sr(normal_man_case()))
    second = ingest_flow(str(root), url, workers=1)
    assert second.totals.files == 1 and second.totals.outcomes["processed"] == 1


def test_cli_run_prints_the_summary_and_fills_the_default_database(tmp_path: Path) -> None:
    """The README's main command, as a user runs it: a subprocess with the temporary server."""
    import subprocess
    import sys

    root = tmp_path / "exports"
    write_export_folder(root)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env.pop("DEXA_DB_URL", None)
    proc = subprocess.run([sys.executable, "-m", "dexa.cli", "run", str(root)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "visits planned 3 (3 new, 0 joined by a scan" in proc.stdout
    assert "SYN0001" not in proc.stdout + proc.stderr, "no patient identifiers on screen"
    engine = store.connect(f"sqlite:///{tmp_path / 'dexa.sqlite'}")
    assert store.count_rows(engine, store.plan_recommendations) == 3
    engine.dispose()
