"""A run over a hostile folder: loops, links to nothing, refused folders and files are
ledgered ``unreadable`` and tried again by the next run (same path, size and mtime); the
results database in the input folder is never an input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from dexa import store
from tests.synth.cases import motivating_case, normal_man_case
from tests.synth.sr import ge_enhanced_sr

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _ledger(engine) -> dict[str, tuple[str, str | None]]:
    with engine.connect() as conn:
        return {r.path: (r.outcome, r.reason_code) for r in conn.execute(
            select(store.ingest_ledger.c.path, store.ingest_ledger.c.outcome,
                   store.ingest_ledger.c.reason_code))}


def test_unreadable_entries_are_ledgered_and_retried(tmp_path: Path, monkeypatch) -> None:
    from flows.ingest import ingest_flow

    root = tmp_path  # `dexa run .` with the database in the folder it reads
    (root / "a.dcm").write_bytes(ge_enhanced_sr(motivating_case()))
    (root / "refused.dcm").write_bytes(ge_enhanced_sr(normal_man_case()))
    os.symlink("loop", root / "loop")
    url = f"sqlite:///{root / 'dexa.sqlite'}"
    real_open = Path.open

    def flaky_open(self, *args, **kwargs):
        if self.name == "refused.dcm":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", flaky_open)  # one worker, tiny batch: read in-process
        first = ingest_flow(str(root), url, batch_size=10, workers=1)
    engine = store.connect(url)
    assert _ledger(engine) == {"a.dcm": ("processed", None),
                               "refused.dcm": ("quarantined", "unreadable"),
                               "loop": ("quarantined", "unreadable")}
    assert first.totals.reasons["unreadable"] == 2 and first.files_seen == 3
    from dexa.monitoring import latest_run_counts

    assert "2 entries unreadable (tried again next run)" in latest_run_counts(engine)

    second = ingest_flow(str(root), url, batch_size=10, workers=1)
    assert _ledger(engine) == {"a.dcm": ("processed", None),
                               "refused.dcm": ("processed", None),
                               "loop": ("quarantined", "unreadable")}
    assert second.totals.files == 2, "the readable-again file and the loop were looked at"
    with engine.connect() as conn:
        reasons = sorted(r.reason_code for r in conn.execute(select(store.quarantine)))
    assert reasons == ["unreadable"] * 3  # one row per run and entry: the history
    engine.dispose()


def test_a_backfill_plans_and_flags_a_report_whose_scan_date_was_not_read(
        tmp_path: Path) -> None:
    """356 undated text reports of a backfill were once `skipped out_of_range`, and skipped
    again by every later run: never planned, and nothing said so."""
    from datetime import date

    from flows.ingest import ingest_flow
    from tests.synth.text import dictated_text

    undated = normal_man_case()
    undated.study.scan_date = None
    undated.priors = []
    root = tmp_path / "archive"
    root.mkdir()
    (root / "undated.txt").write_text(dictated_text(undated, style="ucsf"))
    (root / "dated.dcm").write_bytes(ge_enhanced_sr(motivating_case()))  # 2024-03-14
    url = f"sqlite:///{tmp_path / 'dexa.sqlite'}"
    summary = ingest_flow(str(root), url, workers=1, since=date(2010, 1, 1),
                          until=date(2012, 12, 31), kind="backfill")
    engine = store.connect(url)
    assert _ledger(engine) == {"undated.txt": ("processed", "scan_date_unknown"),
                               "dated.dcm": ("skipped", "out_of_range")}
    assert summary.totals.reasons["scan_date_unknown"] == 1
    assert summary.totals.plans_written == 1
    [run] = store.finished_runs(engine)
    assert run["metrics"]["files"]["by_outcome_reason"]["processed"] == {
        "scan_date_unknown": 1}
    from dexa.monitoring import latest_run_counts

    assert "1 planned without a scan date (scan_date_unknown)" in latest_run_counts(engine)
    engine.dispose()


def test_reread_reads_again_what_an_older_release_quarantined(tmp_path: Path) -> None:
    """After an upgrade, `dexa reread` reads the files quarantined for a reading reason by an
    older release again, plans those that now read, leaves bad input alone, and a second
    reread changes nothing."""
    from flows.ingest import ingest_flow

    root = tmp_path / "in"
    root.mkdir()
    (root / "misread.dcm").write_bytes(ge_enhanced_sr(motivating_case()))
    (root / "empty.dcm").write_bytes(b"")
    url = f"sqlite:///{tmp_path / 'dexa.sqlite'}"
    ingest_flow(str(root), url, workers=1)
    engine = store.connect(url)
    with engine.begin() as conn:  # as an older release that could not read it left it
        conn.execute(store.ingest_ledger.update()
                     .where(store.ingest_ledger.c.path == "misread.dcm")
                     .values(outcome="quarantined", reason_code="not_dxa",
                             reader_version="0.0.9"))
        conn.execute(store.ingest_ledger.update().values(reader_version="0.0.9"))
        for table in (store.plan_recommendations, store.visit_sources, store.scan_reports,
                      store.site_measurements):
            conn.execute(table.delete())
    assert ingest_flow(str(root), url, workers=1).totals.files == 0, "a run does not re-read"

    again = ingest_flow(str(root), url, workers=1, kind="reread", reread="older")
    assert again.totals.outcomes == {"processed": 1} and again.totals.plans_written == 1
    assert _ledger(engine) == {"misread.dcm": ("processed", None),
                               "empty.dcm": ("quarantined", "empty")}
    tables = {t.name: store.count_rows(engine, t) for t in store.metadata.sorted_tables}
    once_more = ingest_flow(str(root), url, workers=1, kind="reread", reread="all")
    assert once_more.totals.files == 0
    tables.pop("dq_runs")
    assert {t.name: store.count_rows(engine, t) for t in store.metadata.sorted_tables
            if t.name != "dq_runs"} == tables
    engine.dispose()
