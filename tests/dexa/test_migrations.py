"""Migration 0002 (visits) on a database written by the previous release, SQLite and PostgreSQL:
existing plans become one-scan visits, two old plans of one visit become one row that the next
refresh plans from both scans, and `dexa dq` still reads the old runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import JSON, column, create_engine, inspect, select, table

from dexa import store
from dexa.contract import ReportDocument
from planner import make_plan
from tests.databases import db_url  # noqa: F401 - fixture
from tests.synth.cases import motivating_case, osteoporosis_case

SR, PDF, ANONYMOUS, EARLIER, FAILED = ("a" * 64, "b" * 64, "c" * 64, "d" * 64, "e" * 64)
WRITTEN = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
PLANS_0001 = table(  # plan_recommendations as revision 0001 made it (one row per scan)
    "plan_recommendations", *(column(name) for name in (
        "source_sha256", "rule_set", "patient_id", "scan_date", "classification",
        "lowest_region", "lowest_side", "lowest_score", "pharmacotherapy", "repeat_dxa_months",
        "validation_passed", "run_id", "created_at")), column("plan_json", JSON))


def _scan(case: ReportDocument, sha: str, kind: str) -> ReportDocument:
    case.source.sha256, case.source.kind, case.source.path = sha, kind, f"{sha[:4]}.{kind}"
    return case


def _old_report(report: ReportDocument) -> dict:
    """The report document as the previous release stored it (no printed precision, no
    creation time)."""
    document = report.to_dict()
    del document["decimals"], document["source"]["created"]
    return document


def _old_plan(report: ReportDocument, rule_set: str) -> dict:
    """The plan document as the previous release wrote it (no visit block)."""
    document = make_plan(report, rule_set=rule_set).to_dict()
    del document["visit"]
    return document


def _write_previous_release(url: str) -> None:
    """A database at revision 0001 with rows shaped as the previous release's store wrote
    them: SR and PDF of one study planned apart, a scan without patient id, an earlier visit,
    a scan that validation quarantined (no plan), ledger, quarantine and a finished run."""
    engine = store.connect(url, migrate=False)
    store.upgrade_schema(engine, "0001")
    earlier = motivating_case(with_prior=False)
    earlier.study.scan_date = "2021-05-02"
    anonymous = osteoporosis_case()
    anonymous.patient.id = None
    scans = [_scan(motivating_case(), SR, "dicom-sr"), _scan(motivating_case(), PDF, "pdf"),
             _scan(anonymous, ANONYMOUS, "pdf"), _scan(earlier, EARLIER, "dicom-sr"),
             _scan(osteoporosis_case(), FAILED, "text")]
    plans = [(scans[0], "bhof-2022"), (scans[0], "aace-2020"), (scans[1], "bhof-2022"),
             (scans[2], "bhof-2022"), (scans[3], "bhof-2022")]
    tables = {name: store.metadata.tables[name] for name in (
        "scan_reports", "site_measurements", "quarantine", "ingest_ledger", "dq_runs")}
    with engine.begin() as conn:
        conn.execute(tables["scan_reports"].insert(), [dict(
            source_sha256=r.source.sha256, patient_id=r.patient.id,
            scan_date=r.study.scan_date, vendor=r.source.vendor, device=r.source.device,
            report_json=_old_report(r), run_id="old-run", created_at=WRITTEN) for r in scans])
        conn.execute(tables["site_measurements"].insert(), [dict(
            source_sha256=r.source.sha256, position=i, region=m.region, side=m.side,
            levels=m.levels, bmd_g_cm2=m.bmd_g_cm2, t_score=m.t_score, z_score=m.z_score)
            for r in scans for i, m in enumerate(r.measurements)])
        conn.execute(PLANS_0001.insert(), [dict(
            source_sha256=report.source.sha256, rule_set=rule_set, patient_id=report.patient.id,
            scan_date=report.study.scan_date, classification=plan["classification"],
            lowest_region=(plan["lowest"] or {}).get("region"),
            lowest_side=(plan["lowest"] or {}).get("side"),
            lowest_score=(plan["lowest"] or {}).get("score"),
            pharmacotherapy=plan["pharmacotherapy"], repeat_dxa_months=plan["repeat_dxa_months"],
            validation_passed=1, plan_json=plan, run_id="old-run", created_at=WRITTEN)
            for report, rule_set in plans for plan in [_old_plan(report, rule_set)]])
        conn.execute(tables["quarantine"].insert(), [dict(
            source_sha256=FAILED, path="e.text", reason_code="t_score_in_range",
            field="measurements/0/t_score", detail="...", run_id="old-run", created_at=WRITTEN)])
        conn.execute(tables["ingest_ledger"].insert(), [dict(
            input_root="/in", path=r.source.path, sha256=r.source.sha256, size_bytes=1,
            mtime_ns=1, first_seen_at=WRITTEN, run_id="old-run",
            outcome="quarantined" if r.source.sha256 == FAILED else "processed",
            reason_code=None, scan_date=r.study.scan_date) for r in scans])
        conn.execute(tables["dq_runs"].insert(), [dict(
            run_id=f"old-{n}", kind="nightly", input_root="/in",
            started_at=WRITTEN - timedelta(days=3 - n),  # four nights
            finished_at=WRITTEN - timedelta(days=3 - n),
            metrics_json={"metrics_version": 1, "scans": 5, "files": {"reject_rate": 0.2}})
            for n in range(4)])
    engine.dispose()


def _plans(engine) -> dict[tuple[str, str], tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(store.plan_recommendations)).all()
    return {(r.visit_key, r.rule_set): (r.source_sha256, r.source_count, r.plan_json["visit"])
            for r in rows}


def test_a_database_of_the_previous_release_is_migrated_to_visits(db_url: str  # noqa: F811
                                                                  ) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from dexa.replan import refresh_visits

    _write_previous_release(db_url)
    engine = store.connect(db_url)  # migrates to the head
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), store.metadata) == []
    visit, earlier = "SYN0001/2024-03-14", "SYN0001/2021-05-02"
    assert _plans(engine) == {
        (visit, "bhof-2022"): (SR, 1, {"key": visit, "sources": [SR]}),
        (visit, "aace-2020"): (SR, 1, {"key": visit, "sources": [SR]}),
        (ANONYMOUS, "bhof-2022"): (ANONYMOUS, 1, {"key": ANONYMOUS, "sources": [ANONYMOUS]}),
        (earlier, "bhof-2022"): (EARLIER, 1, {"key": earlier, "sources": [EARLIER]})}
    with engine.connect() as conn:
        members = sorted(tuple(r) for r in conn.execute(select(
            store.visit_sources.c.visit_key, store.visit_sources.c.source_sha256,
            store.visit_sources.c.kind, store.visit_sources.c.role, store.visit_sources.c.rank,
            store.visit_sources.c.run_id)))
        stale = store.stale_visits(conn, "bhof-2022")
    assert members == sorted([(visit, SR, "dicom-sr", "primary", 0, "old-run"),
                              (visit, PDF, "pdf", "merged", 1, "old-run"),
                              (ANONYMOUS, ANONYMOUS, "pdf", "primary", 0, "old-run"),
                              (earlier, EARLIER, "dicom-sr", "primary", 0, "old-run")])
    assert stale == [(visit, True)], "the visit planned apart is re-planned from both scans"

    assert refresh_visits(engine, rule_set="bhof-2022", run_id="next-run") == 1
    plans = _plans(engine)
    assert plans[(visit, "bhof-2022")] == (SR, 2, {"key": visit, "sources": [SR, PDF]})
    assert plans[(visit, "aace-2020")][1] == 1  # other rule sets: at their own replan
    with engine.connect() as conn:
        assert store.stale_visits(conn, "bhof-2022") == []
    engine.dispose()


def test_dq_reads_runs_stored_before_visits(db_url: str) -> None:  # noqa: F811
    from dexa.monitoring import drift_of_latest_run, latest_run_counts

    _write_previous_release(db_url)
    engine = store.connect(db_url)
    run_id, drift = drift_of_latest_run(engine)
    assert run_id is not None and drift.baseline_runs == 3 and drift.healthy
    assert "visit counts were not recorded" in latest_run_counts(engine)
    engine.dispose()


def test_a_fresh_database_and_a_migrated_one_have_one_schema(tmp_path) -> None:
    fresh, old = (f"sqlite:///{tmp_path / name}" for name in ("fresh.sqlite", "old.sqlite"))
    store.connect(fresh).dispose()
    _write_previous_release(old)
    store.connect(old).dispose()
    shapes = []
    for url in (fresh, old):
        engine = create_engine(url)
        inspector = inspect(engine)
        shapes.append({t: ({c["name"]: str(c["type"]) for c in inspector.get_columns(t)},
                           sorted(tuple(u["column_names"])
                                  for u in inspector.get_unique_constraints(t)),
                           sorted(tuple(i["column_names"]) for i in inspector.get_indexes(t)))
                       for t in inspector.get_table_names() if t != "alembic_version"})
        engine.dispose()
    assert shapes[0] == shapes[1]


@pytest.mark.parametrize("target", ["0001"])
def test_the_migration_goes_down_and_up_again(tmp_path, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'd.sqlite'}"
    _write_previous_release(url)
    engine = store.connect(url)
    from importlib import resources

    config = Config()
    config.set_main_option("script_location", str(resources.files("dexa") / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, target)
    with engine.connect() as conn:
        assert "visit_sources" not in inspect(conn).get_table_names()
        assert conn.exec_driver_sql("SELECT count(*) FROM plan_recommendations").scalar() == 4
    store.upgrade_schema(engine)
    assert len(_plans(engine)) == 4
    engine.dispose()
