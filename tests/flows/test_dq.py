"""`dexa dq` over simulated run histories stored in dq_runs: exit 4 on drift, 0 when stable
or when there is too little history (and it says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dexa import store
from dexa.cli import main
from tests.expectations.test_drift import run


def _store_runs(url: str, metrics: list[dict], nights: list[int] | None = None) -> None:
    """One run per night (or on the given nights, counted back from today: 0 is tonight)."""
    from datetime import timedelta

    engine = store.connect(url)
    nights = nights if nights is not None else list(range(len(metrics) - 1, -1, -1))
    for i, (m, night) in enumerate(zip(metrics, nights, strict=True)):
        run_id = f"run-{i:02d}"
        store.start_run(engine, run_id, kind="nightly", input_root="/exports")
        store.finish_run(engine, run_id, m)
        with engine.begin() as conn:
            conn.execute(store.dq_runs.update().where(store.dq_runs.c.run_id == run_id).values(
                started_at=store.now() - timedelta(days=night, seconds=-i)))
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
    ingest_flow(str(root), url, workers=1)  # a night with nothing new: no scans stored
    docs = tmp_path / "docs"
    assert main(["dq", "--db", url, "--data-docs", str(docs)]) == 0
    out = capsys.readouterr().out
    site = docs / f"run-{latest['run_id']}"
    index = (site / "index.html").read_text()
    assert f"GX Data Docs of dexa run {latest['run_id']}" in index
    assert index.count('<a href="validations/') == 3, "the index lists the pages without JS"
    assert f"GX Data Docs of run {latest['run_id']}, the latest run that stored scans" in out
    assert "stored none: nothing new was read" in out
    pages = "".join(p.read_text(errors="ignore") for p in docs.rglob("*.html"))
    assert "SYN000" not in pages
    assert "https://" not in "".join(
        line for line in pages.splitlines() if "<script" in line or "<link" in line), \
        "readable offline: no script or style sheet from a CDN"


@pytest.mark.usefixtures("prefect_harness")
def test_manual_reruns_in_one_night_are_not_silent_nights(url: str, capsys,
                                                          tmp_path: Path) -> None:
    """`dexa dq` once raised source_silent after three manual reruns with nothing new: it
    counted runs, not nights."""
    from tests.expectations.test_drift import GE

    quiet = run(seed=99, files=0, reasons={}, sources={})
    _store_runs(url, [run(seed=i) for i in range(14)] + [run(seed=14)] + [quiet] * 3,
                nights=[*range(14, 0, -1), 0, 0, 0, 0])
    assert main(["dq", "--db", url, "--data-docs", str(tmp_path / "docs")]) == 0
    out = capsys.readouterr().out
    assert "healthy" in out.lower() and "silent" not in out.lower() and GE not in out
    assert "No GX Data Docs: no run has stored a scan yet." in out


@pytest.mark.usefixtures("prefect_harness")
def test_an_input_folder_that_held_files_and_is_empty_tonight_alerts(url: str, capsys,
                                                                     tmp_path: Path) -> None:
    history = [dict(run(seed=i), files_under_root=200) for i in range(14)]
    empty = dict(run(seed=14, files=0, reasons={}), files_under_root=0)
    _store_runs(url, [*history, empty])
    assert main(["dq", "--db", url, "--data-docs", str(tmp_path / "docs")]) == 4
    assert "the input folder /exports held no file this night" in capsys.readouterr().out
