"""The results store on SQLite and PostgreSQL: tables, idempotent writes, ledger rules."""

from __future__ import annotations

from sqlalchemy import inspect, select

from dexa import store
from tests.databases import db_url  # noqa: F401 - fixture
from tests.synth.cases import motivating_case

REQUIRED_COLUMNS = {
    "ingest_ledger": {"input_root", "path", "sha256", "size_bytes", "first_seen_at", "run_id",
                      "outcome", "reason_code"},
    "plan_recommendations": {"visit_key", "source_sha256", "rule_set", "patient_id",
                             "scan_date", "classification", "lowest_region", "lowest_side",
                             "lowest_score", "pharmacotherapy", "repeat_dxa_months",
                             "plan_json", "run_id", "created_at"},
    "visit_sources": {"visit_key", "source_sha256", "kind", "role"},
    "site_measurements": {"source_sha256", "region", "side", "levels", "bmd_g_cm2", "t_score",
                          "z_score"},
    "quarantine": {"source_sha256", "path", "reason_code", "detail", "run_id", "created_at"},
    "dq_runs": {"run_id", "started_at", "finished_at", "metrics_json"},
}


def _plan(*shas: str, classification: str = "low_bone_mass") -> dict:
    return {"schema_version": "1", "rule_set": "bhof-2022",
            "scan": {"sha256": shas[0], "patient_id": "SYN0001", "scan_date": "2024-03-14"},
            "score_type": "T", "classification": classification,
            "lowest": {"region": "femoral_neck", "side": "left", "score": -2.0},
            "pharmacotherapy": "no", "repeat_dxa_months": 12, "trend": [],
            "recommendations": [], "flags": [],
            "validation": {"passed": True, "failed_expectations": []},
            "visit": {"key": "SYN0001/2024-03-14", "sources": list(shas)}}


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
            store.write_scans(conn, [report], run_id=run)
            store.write_visits(conn, [store.VisitRecord(_plan(sha), ["dicom-sr"])], run_id=run)
            store.write_ledger(conn, store.ledger_rows("/in", run, [store.LedgerEntry(
                "a/b.dcm", sha, 10, 1, "processed")]))
    assert store.count_rows(engine, store.plan_recommendations) == 1
    assert store.count_rows(engine, store.site_measurements) == 3
    assert store.count_rows(engine, store.ingest_ledger) == 1
    with engine.connect() as conn:
        row = conn.execute(select(store.plan_recommendations)).one()
    assert (row.lowest_region, row.lowest_side, row.lowest_score) == ("femoral_neck", "left", -2.0)
    assert row.plan_json["classification"] == "low_bone_mass"
    assert (row.visit_key, row.source_count) == ("SYN0001/2024-03-14", 1)
    assert store.count_rows(engine, store.visit_sources) == 1
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


def _report(sha: str, kind: str = "dicom-sr", **changes) -> dict:
    report = motivating_case().to_dict()
    report["source"].update(sha256=sha, kind=kind, path=f"{kind}.file")
    for part, values in changes.items():
        report[part].update(values)
    return report


def _members(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(
            store.visit_sources.c.visit_key, store.visit_sources.c.source_sha256,
            store.visit_sources.c.kind, store.visit_sources.c.role,
            store.visit_sources.c.rank)))


def test_a_scan_that_joins_a_visit_replaces_its_plan_roles_and_conflicts(db_url: str  # noqa: F811
                                                                         ) -> None:
    engine = store.connect(db_url)
    sr, pdf = "a" * 64, "b" * 64
    conflict = dict(source_sha256=pdf, path="pdf.file", field="fracture_history/hip",
                    detail="fracture_history/hip: scan a gives False (used), scan b gives True")
    with engine.begin() as conn:  # the PDF tonight
        store.write_scans(conn, [_report(pdf, "pdf")], run_id="r1")
        store.write_visits(conn, [store.VisitRecord(_plan(pdf), ["pdf"])], run_id="r1")
    with engine.begin() as conn:  # the SR tomorrow: it becomes the primary
        store.write_scans(conn, [_report(sr)], run_id="r2")
        store.write_visits(conn, [store.VisitRecord(
            _plan(sr, pdf, classification="osteoporosis"), ["dicom-sr", "pdf"], [conflict])],
            run_id="r2")
    assert _members(engine) == [("SYN0001/2024-03-14", sr, "dicom-sr", "primary", 0),
                                ("SYN0001/2024-03-14", pdf, "pdf", "merged", 1)]
    with engine.connect() as conn:
        plan = conn.execute(select(store.plan_recommendations)).one()
        conflicts = conn.execute(select(store.quarantine.c.source_sha256,
                                        store.quarantine.c.reason_code,
                                        store.quarantine.c.field)).all()
        members = store.visit_members(conn, ["SYN0001/2024-03-14"])
    assert (plan.source_sha256, plan.classification, plan.source_count) == (sr, "osteoporosis", 2)
    assert [tuple(c) for c in conflicts] == [(pdf, "source_conflict", "fracture_history/hip")]
    assert [r["source"]["sha256"] for r in members["SYN0001/2024-03-14"]] == [sr, pdf]
    with engine.begin() as conn:  # planned again without the conflict: its row goes
        store.write_visits(conn, [store.VisitRecord(_plan(sr, pdf), ["dicom-sr", "pdf"])],
                           run_id="r3")
    assert store.count_rows(engine, store.quarantine) == 0
    assert store.count_rows(engine, store.plan_recommendations) == 1
    engine.dispose()


def test_stale_visits_are_grown_visits_and_visits_with_newer_earlier_history(
        db_url: str) -> None:  # noqa: F811
    from datetime import timedelta

    engine = store.connect(db_url)
    now = store.now()
    sr, pdf, old = "a" * 64, "b" * 64, "c" * 64
    with engine.begin() as conn:  # a visit planned from the SR alone, then the PDF joined
        store.write_scans(conn, [_report(sr), _report(pdf, "pdf")], run_id="r1", created=now)
        store.write_visits(conn, [store.VisitRecord(_plan(sr), ["dicom-sr"])], run_id="r1",
                           created=now)
        conn.execute(store.visit_sources.insert().values(
            source_sha256=pdf, visit_key="SYN0001/2024-03-14", kind="pdf", role="merged",
            rank=1, run_id="r1", created_at=now))
    with engine.connect() as conn:
        assert store.stale_visits(conn, "bhof-2022") == [("SYN0001/2024-03-14", True)]
        assert store.stale_visits(conn, "aace-2020") == []
    with engine.begin() as conn:
        store.write_visits(conn, [store.VisitRecord(_plan(sr, pdf), ["dicom-sr", "pdf"])],
                           run_id="r2", created=now)
        assert store.stale_visits(conn, "bhof-2022") == []
        # an earlier visit of the patient reaches the store after the plan was made
        earlier = _report(old, study={"scan_date": "2021-05-02"})
        store.write_scans(conn, [earlier], run_id="r3", created=now + timedelta(seconds=1))
        assert store.stale_visits(conn, "bhof-2022") == [], "not a visit's scan: no history"
        plan = _plan(old)
        plan["scan"]["scan_date"], plan["visit"]["key"] = "2021-05-02", "SYN0001/2021-05-02"
        store.write_visits(conn, [store.VisitRecord(plan, ["dicom-sr"])], run_id="r3",
                           created=now + timedelta(seconds=1))
        assert store.stale_visits(conn, "bhof-2022") == [("SYN0001/2024-03-14", False)]
    engine.dispose()


def test_the_read_api_gives_visits_with_their_plans_and_scans_primary_first(
        db_url: str) -> None:  # noqa: F811
    engine = store.connect(db_url)
    sr, pdf, old = "a" * 64, "b" * 64, "c" * 64
    earlier = _plan(old)
    earlier["scan"]["scan_date"], earlier["visit"]["key"] = "2021-05-02", "SYN0001/2021-05-02"
    with engine.begin() as conn:
        store.write_scans(conn, [_report(pdf, "pdf"), _report(sr),
                                 _report(old, study={"scan_date": "2021-05-02"})], run_id="r")
        store.write_visits(conn, [store.VisitRecord(_plan(sr, pdf), ["dicom-sr", "pdf"]),
                                  store.VisitRecord(earlier, ["dicom-sr"])], run_id="r")
    visits = store.visits_of_patient(engine, "SYN0001")
    assert [(v.key, v.scan_date) for v in visits] == [
        ("SYN0001/2021-05-02", "2021-05-02"), ("SYN0001/2024-03-14", "2024-03-14")]
    assert [r["source"]["sha256"] for r in visits[1].reports] == [sr, pdf]
    assert visits[1].plan["visit"]["sources"] == [sr, pdf]
    assert store.visits_of_patient(engine, "SYN0001", rule_set="aace-2020") == []
    assert store.visits_of_patient(engine, "nobody") == []
    [batch] = store.visits_between(engine, "2022-01-01", "2024-12-31")
    assert [v.key for v in batch] == ["SYN0001/2024-03-14"]
    assert [v.key for b in store.visits_between(engine, until="2021-05-02") for v in b] == [
        "SYN0001/2021-05-02"]
    assert sum(len(b) for b in store.visits_between(engine, batch_size=1)) == 2
    engine.dispose()
