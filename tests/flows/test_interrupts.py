"""Ctrl-C and SIGTERM during a run: whole batches kept, the run recorded as interrupted with
its metrics, the flow run Cancelled, one line on what happened and how to resume, exit
130/143, no traceback; a second Ctrl-C exits at once; the same command resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dexa import interrupts, store
from tests.synth.cases import ALL_CASES
from tests.synth.sr import ge_enhanced_sr

BATCH = 4


def _folder(root: Path, count: int) -> Path:
    cases = list(ALL_CASES.values())
    root.mkdir()
    for n in range(count):
        report = cases[n % len(cases)]()
        report.patient.id = f"INT{n:04d}"
        (root / f"{n:04d}.dcm").write_bytes(ge_enhanced_sr(report))
    return root


def _ledgered(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM ingest_ledger").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _start(root: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dexa.cli", "run", str(root), "--db",
                             f"sqlite:///{db}", "--workers", "1", "--batch-size", str(BATCH)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_a_batch(proc: subprocess.Popen, db: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while _ledgered(db) == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no batch was written in time"
        time.sleep(0.2)


def _runs(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, finished_at, metrics_json FROM dq_runs "
                            "ORDER BY started_at").fetchall()


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_between_batches_and_the_rerun_resumes(
        tmp_path: Path, signum: int, status: int) -> None:
    root, db = _folder(tmp_path / "in", 80), tmp_path / "dexa.sqlite"
    proc = _start(root, db)
    _wait_for_a_batch(proc, db)
    proc.send_signal(signum)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == status, err
    assert time.monotonic() - sent < 60  # seconds on a quiet machine; this one is shared
    assert "Traceback" not in out + err and "prefect" not in err.lower(), err
    name = signal.Signals(signum).name
    assert f"stopped by {name}" in err and "run the same command again" in err
    written = _ledgered(db)
    assert 0 < written < 80 and written % BATCH == 0, "whole batches only"
    [(run_status, finished_at, metrics)] = _runs(db)
    assert run_status == "interrupted" and finished_at is not None
    assert f'"interrupted_by": "{name}"' in metrics.replace('":"', '": "')
    again = subprocess.run([sys.executable, "-m", "dexa.cli", "run", str(root), "--db",
                            f"sqlite:///{db}", "--workers", "1", "--batch-size", "40"],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"({80 - written} new, {written} already in the ledger)" in again.stdout
    assert _ledgered(db) == 80
    assert [r[0] for r in _runs(db)] == ["interrupted", "completed"]


def test_a_second_ctrl_c_exits_at_once_with_whole_batches(tmp_path: Path) -> None:
    root, db = _folder(tmp_path / "in", 80), tmp_path / "dexa.sqlite"
    proc = _start(root, db)
    _wait_for_a_batch(proc, db)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "stopped at once by a second SIGINT" in err and "Traceback" not in out + err
    assert _ledgered(db) % BATCH == 0


def test_ctrl_c_during_start_up_exits_at_once(tmp_path: Path) -> None:
    root, db = _folder(tmp_path / "in", 4), tmp_path / "dexa.sqlite"
    proc = _start(root, db)
    deadline = time.monotonic() + 120
    while not db.exists():  # the database is checked first, then Prefect starts
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - sent < 30
    assert "Traceback" not in out + err and "nothing was written" in err, err
    assert _ledgered(db) == 0


@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_run_ends_cancelled_with_its_metrics(tmp_path: Path) -> None:
    from flows.ingest import ingest_flow, interrupted_run, set_progress_callback

    root, url = _folder(tmp_path / "in", 12), f"sqlite:///{tmp_path / 'dexa.sqlite'}"

    def stop_after_first_batch(done: int, _total: int, _pages: int) -> None:
        if done:
            interrupts.request_stop(signal.SIGTERM)

    set_progress_callback(stop_after_first_batch)
    try:
        state = ingest_flow(str(root), url, batch_size=BATCH, workers=1, return_state=True)
    finally:
        set_progress_callback(None)
        interrupts.reset()
    assert state.is_cancelled() and "stopped by SIGTERM" in state.message
    summary = interrupted_run()
    assert summary.totals.files == BATCH and summary.files_new == 12
    engine = store.connect(url)
    [run] = store.finished_runs(engine)
    assert run["status"] == "interrupted" and run["metrics"]["files"]["total"] == BATCH
    assert store.count_rows(engine, store.ingest_ledger) == BATCH
    assert store.count_rows(engine, store.run_lock) == 0, "the lock is released"
    engine.dispose()
    os.environ.pop("DEXA_DB_URL", None)
