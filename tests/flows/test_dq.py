"""`dexa dq` over simulated run histories stored in dq_runs: exit 4 on drift, 0 when stable
or when there is too little history (and it says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa import store
from dexa.cli import main
from tests.expectations.test_drift import run


def _store_runs(url: str, metrics: list[dict]) -> None:
    engine = store.connect(url)
    for i, m in enumerate(metrics):
        store.start_run(engine, f"run-{i:02d}", kind="nightly", input_root="/exports")
        store.finish_run(engine, f"run-{i:02d}", m)
    engine.dispose()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dq.sqlite'}"


@pytest.mark.usefixtures("prefect_harness")
def test_drift_in_the_latest_run_exits_4(url: str, capsys, tmp_path: Path) -> None:
    _store_runs(url, [run(seed=i) for i in range(14)] + [run(reject_rate=0.30, fn_mean=-2.1)])
    assert main(["dq", "--db", url, "--data-docs", str(tmp_path / "docs")]) == 4
    out = capsys.readouterr().out
    assert "alert" in out.lower() and "reject" in out.lower()


@pytest.mark.usefixtures("prefect_harness")
def test_stable_history_exits_0(url: str, capsys, tmp_path: Path) -> None:
    _store_runs(url, [run(seed=i) for i in range(15)])
    assert main(["dq", "--db", url, "--data-docs", str(tmp_path / "docs")]) == 0
    assert "healthy" in capsys.readouterr().out.lower()


@pytest.mark.usefixtures("prefect_harness")
def test_too_little_history_exits_0_and_says_so(url: str, capsys, tmp_path: Path) -> None:
    _store_runs(url, [run(seed=0), run(seed=1)])
    assert main(["dq", "--db", url, "--data-docs", str(tmp_path / "docs")]) == 0
    assert "too little history" in capsys.readouterr().out.lower()


@pytest.mark.usefixtures("prefect_harness")
def test_a_real_run_records_metrics_and_dq_builds_its_data_docs(url: str, capsys,
                                                                 tmp_path: Path) -> None:
    from flows.ingest import ingest_flow
    from tests.inputs import write_export_folder

    root = tmp_path / "exports"
    write_export_folder(root)
    ingest_flow(str(root), url, workers=1)
    engine = store.connect(url)
    (latest,) = store.finished_runs(engine)
    engine.dispose()
    metrics = latest["metrics"]
    assert metrics["files"]["by_outcome_reason"]["quarantined"] == {
        "corrupt": 1, "empty": 1, "not_dxa": 1}
    assert metrics["scans"] == 3
    assert "SYN0001" not in str(metrics), "no patient identifiers in run metrics"
    docs = tmp_path / "docs"
    assert main(["dq", "--db", url, "--data-docs", str(docs)]) == 0
    assert (docs / "index.html").exists()
    assert "SYN000" not in "".join(p.read_text(errors="ignore") for p in docs.rglob("*.html"))
