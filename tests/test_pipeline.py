"""The parse pool: recycling never hangs, a crashing reader costs only its file, time limit."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import dexa.pipeline as pipeline
from dexa.pipeline import ParsePool, discover
from tests.synth.cases import ALL_CASES
from tests.synth.sr import ge_enhanced_sr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for n, case in enumerate(list(ALL_CASES.values()) * 8):
        report = case()
        report.patient.id = f"POOL{n:03d}"
        (tmp_path / f"{n:03d}.dcm").write_bytes(ge_enhanced_sr(report))
    return tmp_path


def _in_thread(target, timeout: float = 120.0):
    """Run ``target`` off the main thread (as Prefect's tasks do) and fail on a hang."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(target()), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), "the parse pool hung"
    return out[0]


def test_recycling_workers_never_hangs(folder: Path, monkeypatch) -> None:
    """Python 3.11's max_tasks_per_child can hang (gh-115634); our own recycling must not."""
    monkeypatch.setattr(pipeline, "WORKER_MAX_TASKS", 1)
    files = list(discover(folder))

    def run_batches() -> list:
        with ParsePool(workers=2, chunk_size=3) as pool:
            jobs = [pool.submit(files[i:i + 10]) for i in range(0, len(files), 10)]
            return [p for job in jobs for p in job.result()]

    parsed = _in_thread(run_batches)
    assert len(parsed) == len(files) and all(p.ok for p in parsed)
    assert [p.file for p in parsed] == files, "results keep the input order"


def _crash_on_marked(files):  # runs in the worker: a native crash on one file
    if any(f.rel_path.endswith("crash.dcm") for f in files):
        os._exit(1)
    return pipeline._parse_chunk(files)


def test_a_crashing_worker_costs_only_its_file(folder: Path, monkeypatch) -> None:
    (folder / "crash.dcm").write_bytes((folder / "000.dcm").read_bytes() + b"x")
    monkeypatch.setattr(pipeline, "_parse_chunk", _crash_on_marked)
    files = list(discover(folder))
    parsed = _in_thread(lambda: ParsePool(workers=2, chunk_size=4).parse(files))
    by_name = {p.file.rel_path: p for p in parsed}
    assert by_name["crash.dcm"].error_code == "corrupt"
    assert sum(p.ok for p in parsed) == len(files) - 1


def test_time_limit_turns_a_hang_into_corrupt() -> None:
    import time

    from dexa.errors import Corrupt

    with pytest.raises(Corrupt, match="longer than"), pipeline._TimeLimit(0.2):
        time.sleep(5)


def test_a_file_over_the_size_limit_is_too_large_without_being_read(tmp_path: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.setenv("DEXA_MAX_INPUT_BYTES", "1000")
    big = tmp_path / "big.dcm"
    big.write_bytes(b"\0" * 5000)

    def no_open(*_args, **_kwargs):
        raise AssertionError("a file over the limit was opened")

    monkeypatch.setattr(Path, "open", no_open)
    (parsed,) = [pipeline.parse_one(f) for f in discover(tmp_path)]
    assert parsed.error_code == "too_large" and "1000" in parsed.error_message
