"""The parse pool: recycling never hangs, a crashing reader costs only its file, time limit,
size limits, and the plans the workers draft."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

import dexa.batch as batch
import dexa.workers as workers
from dexa.discover import discover
from dexa.workers import ParsePool


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
    monkeypatch.setattr(workers, "WORKER_MAX_TASKS", 1)
    files = discover(folder).files

    def run_batches() -> list:
        with ParsePool(workers=2, chunk_size=3) as pool:
            jobs = [pool.submit(files[i:i + 10]) for i in range(0, len(files), 10)]
            return [p for job in jobs for p in job.result()]

    parsed = _in_thread(run_batches)
    assert len(parsed) == len(files) and all(p.ok for p in parsed)
    assert [p.file for p in parsed] == files, "results keep the input order"


def _crash_on_marked(files, drafting=None):  # runs in the worker: a native crash on one file
    if any(f.rel_path.endswith("crash.dcm") for f in files):
        os._exit(1)
    return workers._parse_chunk(files, drafting)


def test_a_crashing_worker_costs_only_its_file(folder: Path, monkeypatch) -> None:
    (folder / "crash.dcm").write_bytes((folder / "000.dcm").read_bytes() + b"x")
    monkeypatch.setattr(workers, "_parse_chunk", _crash_on_marked)
    files = discover(folder).files
    parsed = _in_thread(lambda: ParsePool(workers=2, chunk_size=4).parse(files))
    by_name = {p.file.rel_path: p for p in parsed}
    assert by_name["crash.dcm"].error_code == "corrupt"
    assert sum(p.ok for p in parsed) == len(files) - 1


def test_time_limit_turns_a_hang_into_corrupt() -> None:
    import time

    from dexa.contract import Corrupt

    with pytest.raises(Corrupt, match="longer than"), workers._TimeLimit(0.2):
        time.sleep(5)


def test_a_file_over_the_size_limit_is_too_large_without_being_read(tmp_path: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.setenv("DEXA_MAX_INPUT_BYTES", "1000")
    big = tmp_path / "big.dcm"
    big.write_bytes(b"\0" * 5000)

    real_open = Path.open

    def no_open(self: Path, *args, **kwargs):
        """Only the input is watched: the readers may load their vocabulary on first use."""
        if self == big:
            raise AssertionError("a file over the limit was opened")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", no_open)
    (parsed,) = [workers.parse_one(f) for f in discover(tmp_path).files]
    assert parsed.error_code == "too_large" and "1000" in parsed.error_message


def test_a_file_that_grows_past_the_limit_while_read_is_too_large(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """stat() said small, the read found more: the input is rejected, never cut short."""
    from dexa.contract import TooLarge
    from parsers.files import read_input

    growing = tmp_path / "growing.dcm"
    growing.write_bytes(b"x" * 5000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat_result(
        (*tuple(real_stat(self, **kw))[:6], 10, *tuple(real_stat(self, **kw))[7:])))
    with pytest.raises(TooLarge, match="grew past the input limit"):
        read_input(growing, limit=1000)


def test_plans_drafted_by_the_workers_equal_plans_made_after_validation(folder: Path) -> None:
    """The flow keeps the workers' drafts; they must be the plans the main process would make,
    with the site's policy (an LSC profile file) passed to the workers."""
    from datetime import date

    from planner import load_lsc_profiles

    options = {"lsc_profiles": load_lsc_profiles(
        Path(workers.__file__).parents[1] / "planner" / "lsc_profiles.example.json"),
        "facility": "Example Clinic"}
    drafting = workers.DraftPlanning("bhof-2022", options)
    files = discover(folder).files
    drafted = _in_thread(lambda: ParsePool(workers=2, chunk_size=4).submit(files, drafting)
                         .result())
    assert all(p.draft_plan is not None for p in drafted)
    with_drafts = batch.validate_and_plan(drafted, run_date=date(2026, 1, 1),
                                          rule_set="bhof-2022", **options)
    undrafted = [replace(p, draft_plan=None) for p in drafted]
    made_here = batch.validate_and_plan(undrafted, run_date=date(2026, 1, 1),
                                        rule_set="bhof-2022", **options)
    assert [r.plan for r in with_drafts] == [r.plan for r in made_here]
    assert any(r.plan["lsc_profile"] for r in made_here), "the site's profile is used"


def test_the_time_limit_can_be_extended_while_running() -> None:
    """Pages read by OCR get more time (the look-alike above: the same limit unextended)."""
    import time

    with workers._TimeLimit(0.2) as limit:
        limit.extend(2.0)
        time.sleep(0.5)
