"""kill -9 inside the places where a run writes, not only between batches: in the middle of a
batch's transaction, in the middle of a migration, in the middle of the end-of-run history
refresh. The rerun ends with the tables of an uninterrupted run."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.test_backfill import _archive, _env, _tables
from tests.synth.cases import motivating_case
from tests.synth.sr import ge_enhanced_sr

pytestmark = pytest.mark.usefixtures("prefect_harness")

# Run the command line with one function wrapped to kill the process (SIGKILL: no handler,
# no cleanup) right after its n-th call, inside the transaction that called it.
WRAPPER = """
import os, signal, sys
import importlib
module = importlib.import_module(sys.argv[1])
owner_name, _, name = sys.argv[2].rpartition(".")
owner = getattr(module, owner_name) if owner_name else module
original, after, calls = getattr(owner, name), int(sys.argv[3]), [0]
def killing(*args, **kwargs):
    result = original(*args, **kwargs)
    if sys.argv[4] in {f.f_code.co_name for f in map(sys._getframe, range(1, 8))} | {"*"}:
        calls[0] += 1
        if calls[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(owner, name, killing)
from dexa.cli import main
sys.exit(main(sys.argv[5:]))
"""


def _command(root: Path, url: str) -> list[str]:
    return ["backfill", str(root), "--db", url, "--workers", "1", "--batch-size", "2"]


def _killed_then_resumed(root: Path, url: str, target: tuple[str, str, int, str]) -> None:
    module, name, after, caller = target
    killed = subprocess.run([sys.executable, "-c", WRAPPER, module, name, str(after), caller,
                             *_command(root, url)], env=_env(), capture_output=True,
                            text=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    resumed = subprocess.run([sys.executable, "-m", "dexa.cli", *_command(root, url)],
                             env=_env(), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "Traceback" not in resumed.stderr


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> tuple[Path, str]:
    """Scans over six years, two visits of one patient arriving newest first (so that the end
    of the run re-plans the newer one with the older as history), and its reference tables."""
    tmp = tmp_path_factory.mktemp("crash")
    root = tmp / "archive"
    _archive(root)
    newer, older = motivating_case(with_prior=False), motivating_case(with_prior=False)
    older.study.scan_date, older.study.accession = "2021-05-02", "ACC-OLD"
    (root / "a-newer.dcm").write_bytes(ge_enhanced_sr(newer))
    (root / "z-older.dcm").write_bytes(ge_enhanced_sr(older))
    reference = f"sqlite:///{tmp / 'reference.sqlite'}"
    done = subprocess.run([sys.executable, "-m", "dexa.cli", *_command(root, reference)],
                          env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return root, reference


@pytest.mark.parametrize("target", [
    ("dexa.store", "write_ledger", 2, "_plan_and_write"),  # the 2nd batch's transaction
    ("dexa.store", "write_visits", 1, "_replan"),  # the end-of-run history refresh
    ("alembic.operations.base", "Operations.invoke", 3, "*"),  # the first migration
], ids=["batch-transaction", "history-refresh", "migration"])
def test_kill_9_inside_a_write_then_the_rerun_equals_an_uninterrupted_run(
        tmp_path: Path, archive: tuple[Path, str], target: tuple[str, str, int, str]) -> None:
    root, reference = archive
    url = f"sqlite:///{tmp_path / 'killed.sqlite'}"
    _killed_then_resumed(root, url, target)
    assert _tables(url) == _tables(reference)
