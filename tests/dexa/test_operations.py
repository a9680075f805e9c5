"""Fail fast and one writer: a database that cannot be used is one line and an exit status
before Prefect starts; a second writer on one database exits at once (or waits)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dexa import store
from dexa.cli import main
from tests.databases import db_url  # noqa: F401 - fixture


@pytest.fixture
def no_prefect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the command gets as far as starting Prefect."""
    import flows.server

    def refuse() -> float:
        raise AssertionError("Prefect was started before the database was checked")

    monkeypatch.setattr(flows.server, "start_temporary_server", refuse)


@pytest.mark.parametrize(("url", "status", "words"), [
    ("not a url", 2, "is not a SQLAlchemy URL"),
    ("nosuchdb://host/x", 2, "unknown database kind"),
    ("sqlite:////no/such/folder/dexa.sqlite", 1, "does not exist: /no/such/folder"),
    ("postgresql+psycopg://dexa:secret@127.0.0.1:1/dexa", 1, "cannot use the results database"),
    ("mysql+mysqldb://dexa@127.0.0.1/dexa", 1, "driver"),
])
def test_a_database_that_cannot_be_used_is_one_line_before_prefect(
        capsys, tmp_path: Path, no_prefect, url: str, status: int, words: str) -> None:
    assert main(["run", str(tmp_path), "--db", url]) == status
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1, err
    assert "secret" not in err, "a password is never shown"


def test_a_read_only_database_is_refused_before_prefect(capsys, tmp_path: Path,
                                                         no_prefect) -> None:
    path = tmp_path / "dexa.sqlite"
    store.connect(f"sqlite:///{path}").dispose()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert main(["run", str(tmp_path), "--db", url]) == 1
    assert "is not writable: attempt to write a readonly database" in capsys.readouterr().err


def test_since_after_until_is_a_usage_error(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["backfill", str(tmp_path), "--since", "2024-02-01", "--until", "2024-01-01"])
    assert exit_info.value.code == 2
    assert "--since 2024-02-01 is after --until 2024-01-01" in capsys.readouterr().err


def test_no_traceback_for_a_closed_port_as_a_user_runs_it(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "dexa.cli", "run", str(tmp_path), "--db",
                           "postgresql+psycopg://dexa@127.0.0.1:1/dexa"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "prefect" not in proc.stderr.lower()


# --- one writer ------------------------------------------------------------------------------


def test_a_second_writer_exits_at_once_with_who_holds_the_lock(
        capsys, tmp_path: Path, no_prefect, db_url: str) -> None:  # noqa: F811
    engine = store.open_store(db_url)
    holder = store.WriterLock(engine, "backfill")  # another run (its own session or row)
    assert holder.try_acquire() is None
    try:
        for argv in (["run", str(tmp_path)], ["backfill", str(tmp_path)], ["replan"]):
            assert main([*argv, "--db", db_url]) == 1
            err = capsys.readouterr().err
            assert "another dexa run is writing to this database (dexa backfill, pid " in err
            assert "--wait" in err
    finally:
        holder.release()
    assert main(["replan", "--db", db_url]) == 0, "released: the next writer starts"
    engine.dispose()


def test_wait_takes_the_lock_when_the_holder_ends(db_url: str) -> None:  # noqa: F811
    engine = store.open_store(db_url)
    holder = store.WriterLock(engine, "run")
    assert holder.try_acquire() is None
    told: list[str] = []
    threading.Timer(1.0, holder.release).start()
    started = time.perf_counter()
    with store.writer_lock(engine, "backfill", wait=True, on_wait=told.append, poll_s=0.2):
        assert time.perf_counter() - started >= 0.9
        assert store.WriterLock(engine, "run").try_acquire() is not None, "now it is held"
    assert len(told) == 1 and "dexa run" in told[0]
    engine.dispose()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize(("host", "pid", "heartbeat_age_s", "stale"), [
    ("this", "dead", 0, True),  # killed on this machine: its process is gone
    ("this", "alive", 0, False),
    ("elsewhere", "alive", 10, False),  # another machine, heartbeat fresh
    ("elsewhere", "alive", 3600, True),  # another machine, no heartbeat for an hour
])
def test_a_lock_row_left_by_a_killed_run_is_taken_over(tmp_path: Path, host: str, pid: str,
                                                       heartbeat_age_s: int,
                                                       stale: bool) -> None:
    import socket
    from datetime import timedelta

    engine = store.open_store(f"sqlite:///{tmp_path / 'dexa.sqlite'}")
    beat = store.now() - timedelta(seconds=heartbeat_age_s)
    with engine.begin() as conn:
        conn.execute(store.run_lock.insert().values(
            name=store.WRITER_LOCK, owner="old", command="run",
            pid=_dead_pid() if pid == "dead" else os.getpid(),
            host=socket.gethostname() if host == "this" else "elsewhere",
            acquired_at=beat, heartbeat_at=beat))
    lock = store.WriterLock(engine, "run")
    assert (lock.try_acquire() is None) is stale
    if stale:
        lock.release()
    engine.dispose()


def test_the_lock_is_reentrant_within_a_process_and_released(tmp_path: Path) -> None:
    engine = store.open_store(f"sqlite:///{tmp_path / 'dexa.sqlite'}")
    with store.writer_lock(engine, "run"), store.writer_lock(engine, "run"):
        assert store.count_rows(engine, store.run_lock) == 1
    assert store.count_rows(engine, store.run_lock) == 0
    engine.dispose()
