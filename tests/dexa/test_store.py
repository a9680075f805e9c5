"""The results store on SQLite and PostgreSQL: tables, idempotent writes, ledger rules."""

from __future__ import annotations

from sqlalchemy import inspect, select

from dexa import store
from tests.databases import db_url  # noqa: F401 - fixture
from tests.synth.cases import motivating_case

REQUIRED_COLUMNS = {
    "ingest_ledger": {"input_root", "path", "sha256", "size_bytes", "first_seen_at", "run_id",
                      "outcome", "reason_code"},
    "plan_recommendations": {"source_sha256", "rule_set", "patient_id", "scan_date",
                             "classification", "lowest_region", "lowest_side", "lowest_score",
                             "pharmacotherapy", "repeat_dxa_months", "plan_json", "run_id",
                             "created_at"},
    "site_measurements": {"source_sha256", "region", "side", "levels", "bmd_g_cm2", "t_score",
                          "z_score"},
    "quarantine": {"source_sha256", "path", "reason_code", "detail", "run_id", "created_at"},
    "dq_runs": {"run_id", "started_at", "finished_at", "metrics_json"},
}


def _plan(sha: str) -> dict:
    return {"schema_version": "1", "rule_set": "bhof-2022",
            "scan": {"sha256": sha, "patient_id": "SYN0001", "scan_date": "2024-03-14"},
            "score_type": "T", "classification": "low_bone_mass",
            "lowest": {"region": "femoral_neck", "side": "left", "score": -2.0},
            "pharmacotherapy": "no", "repeat_dxa_months": 12, "trend": [],
            "recommendations": [], "flags": [],
            "validation": {"passed": True, "failed_expectations": []}}


def test_every_contract_table_and_column_exists(db_url: str) -> None:  # noqa: F811
    engine = store.connect(db_url)
    inspector = inspect(engine)
    for table, columns in REQUIRED_COLUMNS.items():
        have = {c["name"] for c in inspector.get_columns(table)}
        assert columns <= have, (table, columns - have)
    engine.dispose()


def test_writing_the_same_scan_twice_adds_no_row(db_url: str) -> None:  # noqa: F811
    engine = store.connect(db_url)
    report = motivating_case().to_dict()
    sha = "b" * 64
    report["source"]["sha256"] = sha
    for run in ("run-1", "run-2"):
        with engine.begin() as conn:
            store.write_scans(conn, [(report, _plan(sha))], run_id=run)
            store.write_ledger(conn, store.ledger_rows("/in", run, [store.LedgerEntry(
                "a/b.dcm", sha, 10, 1, "processed")]))
    assert store.count_rows(engine, store.plan_recommendations) == 1
    assert store.count_rows(engine, store.site_measurements) == 3
    assert store.count_rows(engine, store.ingest_ledger) == 1
    with engine.connect() as conn:
        row = conn.execute(select(store.plan_recommendations)).one()
    assert (row.lowest_region, row.lowest_side, row.lowest_score) == ("femoral_neck", "left", -2.0)
    assert row.plan_json["classification"] == "low_bone_mass" and row.run_id == "run-1"
    engine.dispose()


def test_a_skipped_file_is_replaced_when_a_later_run_processes_it(db_url: str) -> None:  # noqa: F811
    engine = store.connect(db_url)
    sha = "c" * 64
    with engine.begin() as conn:
        store.write_ledger(conn, store.ledger_rows("/in", "r1", [store.LedgerEntry(
            "x.pdf", sha, 5, 1, "skipped", "out_of_range")]))
    assert store.known_files(engine, "/in")["x.pdf"][2] == "skipped"
    with engine.begin() as conn:
        store.write_ledger(conn, store.ledger_rows("/in", "r2", [store.LedgerEntry(
            "x.pdf", sha, 5, 1, "processed")]))
    with engine.connect() as conn:
        rows = conn.execute(select(store.ingest_ledger.c.outcome,
                                   store.ingest_ledger.c.run_id)).all()
    assert [tuple(r) for r in rows] == [("processed", "r2")]
    engine.dispose()


def test_db_url_resolution_prefers_flag_then_environment(monkeypatch) -> None:
    monkeypatch.delenv("DEXA_DB_URL", raising=False)
    assert store.resolve_db_url(None) == "sqlite:///dexa.sqlite"
    monkeypatch.setenv("DEXA_DB_URL", "sqlite:////tmp/env.sqlite")
    assert store.resolve_db_url(None) == "sqlite:////tmp/env.sqlite"
    assert store.resolve_db_url("sqlite:////tmp/flag.sqlite") == "sqlite:////tmp/flag.sqlite"
    assert "secret" not in store.display_url("postgresql+psycopg://u:secret@h/db")


def test_migrations_build_exactly_the_declared_schema(db_url: str) -> None:  # noqa: F811
    """Alembic's head equals dexa.store.metadata: no model change without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = store.connect(db_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), store.metadata)
    assert diffs == []
    engine.dispose()
