"""The results store: every table of CONTRACT.md and every read and write of them, in one place.

SQLAlchemy Core on any database (SQLite by default, PostgreSQL the same way). Writes are
idempotent by natural key (insert-or-ignore / upsert), so a retried task or a re-run over the
same files adds no row. No SQL is built from strings; every value is a bound parameter.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url

from dexa.contract import Outcome

DEFAULT_DB_URL = "sqlite:///dexa.sqlite"

metadata = MetaData()

ingest_ledger = Table(
    "ingest_ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("input_root", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("reason_code", String(64)),
    Column("scan_date", String(10)),
    Column("reader_version", String(32)),
    UniqueConstraint("input_root", "path", "sha256", name="uq_ledger_root_path_sha"),
    Index("ix_ledger_sha256", "sha256"),
)

scan_reports = Table(
    "scan_reports",
    metadata,
    Column("source_sha256", String(64), primary_key=True),
    Column("patient_id", Text),
    Column("scan_date", String(10)),
    Column("vendor", Text),
    Column("device", Text),
    Column("report_json", JSON, nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_scan_reports_patient_date", "patient_id", "scan_date"),
)

plan_recommendations = Table(
    "plan_recommendations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("visit_key", Text, nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("rule_set", String(32), nullable=False),
    Column("patient_id", Text),
    Column("scan_date", String(10)),
    Column("classification", String(40), nullable=False),
    Column("lowest_region", String(32)),
    Column("lowest_side", String(8)),
    Column("lowest_score", Float),
    Column("pharmacotherapy", String(16), nullable=False),
    Column("repeat_dxa_months", Integer),
    Column("validation_passed", Integer),
    Column("source_count", Integer, nullable=False),
    Column("plan_json", JSON, nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("visit_key", "rule_set", name="uq_plan_visit_ruleset"),
    Index("ix_plan_patient_date", "patient_id", "scan_date"),
    Index("ix_plan_source_sha256", "source_sha256"),
)

visit_sources = Table(
    "visit_sources",
    metadata,
    Column("source_sha256", String(64), primary_key=True),
    Column("visit_key", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("role", String(8), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("run_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_visit_sources_visit_key", "visit_key"),
)

site_measurements = Table(
    "site_measurements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_sha256", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("region", String(32), nullable=False),
    Column("side", String(8)),
    Column("levels", String(32)),
    Column("bmd_g_cm2", Float),
    Column("t_score", Float),
    Column("z_score", Float),
    Column("young_adult_pct", Float),
    Column("age_matched_pct", Float),
    UniqueConstraint("source_sha256", "position", name="uq_measurement_scan_position"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_sha256", String(64), nullable=False),
    Column("path", Text, nullable=False),
    Column("reason_code", String(64), nullable=False),
    Column("field", Text),
    Column("detail", Text),
    Column("run_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source_sha256", "reason_code", "field", "run_id",
                     name="uq_quarantine_scan_reason_field_run"),
    Index("ix_quarantine_run", "run_id"),
)

dq_runs = Table(
    "dq_runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("kind", String(16)),
    Column("input_root", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("metrics_json", JSON),
    Column("status", String(16)),  # completed, interrupted; null: running, or killed
)

run_lock = Table(
    "run_lock",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("command", String(16), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("host", Text, nullable=False),
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
)


def now() -> datetime:
    return datetime.now(UTC)


def resolve_db_url(url: str | None) -> str:
    """``--db`` wins, then ``DEXA_DB_URL``, then ``dexa.sqlite`` in the current directory."""
    return url or os.environ.get("DEXA_DB_URL") or DEFAULT_DB_URL


def display_url(url: str) -> str:
    """The URL with any password hidden, for the user's screen."""
    return make_url(url).render_as_string(hide_password=True)


def _json_dumps(value: Any) -> str:
    """The JSON columns (report and plan documents) with orjson: ~10x faster than json."""
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling leaves DDL outside transactions (a run killed
    # during a migration would leave half a schema); SQLAlchemy issues BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Bring the database to the newest schema (or to ``revision``) with the Alembic
    migrations in ``dexa/migrations`` (creating every table on an empty database)."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("dexa").joinpath("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


PG_CONNECT_TIMEOUT_S = 10  # a closed port answers at once; a silent host must not hang a run


def connect(url: str | None = None, *, migrate: bool = True) -> Engine:
    """An engine for the results store, migrated to the newest schema."""
    resolved = make_url(resolve_db_url(url))
    connect_args = {}
    if resolved.get_backend_name() == "postgresql" and "connect_timeout" not in resolved.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    engine = create_engine(resolved, future=True, json_serializer=_json_dumps,
                           json_deserializer=orjson.loads, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    if migrate:
        upgrade_schema(engine)
    return engine


class StoreUnavailable(Exception):
    """The results database cannot be used, in one line for the operator. ``usage`` is True
    where the URL itself is wrong (exit 2), False where the database is not there, not
    reachable or not writable (exit 1)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def _one_line(exc: BaseException) -> str:
    """The driver's own message (not SQLAlchemy's wrapping with the SQL and a link), one line."""
    text = " ".join(str(getattr(exc, "orig", None) or exc).split())
    return text[:300] or type(exc).__name__


def open_store(url: str | None = None) -> Engine:
    """The results store, checked before anything else starts: the URL parsed, the driver
    present, the database reached, migrated and writable. Raises ``StoreUnavailable`` with one
    line (never the password) instead of a traceback 20 s later inside the flow."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    resolved = resolve_db_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise StoreUnavailable("the database URL (--db or DEXA_DB_URL) is not a SQLAlchemy URL "
                               "such as sqlite:///dexa.sqlite or postgresql+psycopg://user@host"
                               "/dexa", usage=True) from None
    shown = parsed.render_as_string(hide_password=True)
    if (parsed.get_backend_name() == "sqlite" and not parsed.query.get("uri")
            and parsed.database not in (None, "", ":memory:")):
        from pathlib import Path

        folder = Path(parsed.database).parent
        if not folder.is_dir():
            raise StoreUnavailable(f"the folder of the SQLite database {shown} does not exist: "
                                   f"{folder}")
    try:
        engine = connect(resolved)
    except NoSuchModuleError:
        raise StoreUnavailable(f"unknown database kind in the URL {shown} (SQLAlchemy has no "
                               f"dialect {parsed.drivername!r})", usage=True) from None
    except ImportError as exc:
        raise StoreUnavailable(f"the database driver for {shown} is not installed "
                               f"({exc.name or exc})") from None
    except SQLAlchemyError as exc:
        raise StoreUnavailable(f"cannot use the results database {shown}: "
                               f"{_one_line(exc)}") from None
    try:
        _check_writable(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreUnavailable(f"the results database {shown} is not writable: "
                               f"{_one_line(exc)}") from None
    return engine


@contextmanager
def opened_store(url: str | None = None) -> Iterator[Engine]:
    """``open_store`` for the length of a ``with`` block: the engine is disposed on leaving it,
    also when the block fails, so that a command never leaves a connection to the database
    open behind it. Raises ``StoreUnavailable`` as ``open_store`` does."""
    engine = open_store(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _check_writable(engine: Engine) -> None:
    """Write a row and roll it back: a read-only file, folder, role or standby fails here."""
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(run_lock.insert().values(
            name=f"probe-{os.getpid()}", owner="write check", command="check", pid=os.getpid(),
            host="", acquired_at=now(), heartbeat_at=now()))
        transaction.rollback()


def _insert_ignoring_conflicts(conn: Connection, table: Table, rows: Sequence[dict],
                               keys: Sequence[str]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    else:  # other databases: skip rows whose key exists, then insert
        existing = {tuple(r) for r in conn.execute(select(*[table.c[k] for k in keys]))}
        rows = [r for r in rows if tuple(r[k] for k in keys) not in existing]
        if not rows:
            return
        stmt = table.insert()
    conn.execute(stmt, list(rows))


# --- ledger --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    path: str
    sha256: str
    size_bytes: int
    mtime_ns: int | None
    outcome: Outcome
    reason_code: str | None = None
    scan_date: str | None = None


def known_files(engine: Engine, input_root: str
                ) -> dict[str, tuple[int, int | None, str, str | None]]:
    """path -> (size, mtime_ns, outcome, reason) of the newest ledger row per path under a
    root."""
    stmt = (select(ingest_ledger.c.path, ingest_ledger.c.size_bytes, ingest_ledger.c.mtime_ns,
                   ingest_ledger.c.outcome, ingest_ledger.c.reason_code)
            .where(ingest_ledger.c.input_root == input_root)
            .order_by(ingest_ledger.c.id))
    with engine.connect() as conn:
        return {row.path: (row.size_bytes, row.mtime_ns, row.outcome, row.reason_code)
                for row in conn.execute(stmt)}


def database_files(engine: Engine) -> list[str]:
    """The files of a file database (SQLite: the database, its -wal, -shm and -journal), which
    a run over a folder that holds them must not read as input."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return []
    if engine.url.query.get("uri"):
        database = database.removeprefix("file:").split("?")[0]
    path = os.path.abspath(database)
    return [path + suffix for suffix in ("", "-wal", "-shm", "-journal")]


UNREADABLE = "unreadable"


def write_unreadable(engine: Engine, input_root: str, run_id: str,
                     entries: Sequence[tuple[str, str, str]]) -> None:
    """Entries under a root that discovery could not read, as (path, stand-in sha256, why):
    the unreadable rows of earlier runs under the root are replaced (those entries are being
    looked at again), each entry gets a ledger and a quarantine row."""
    with engine.begin() as conn:
        conn.execute(ingest_ledger.delete().where(ingest_ledger.c.input_root == input_root)
                     .where(ingest_ledger.c.reason_code == UNREADABLE))
        write_ledger(conn, ledger_rows(input_root, run_id, [
            LedgerEntry(path, key, 0, None, Outcome.QUARANTINED, UNREADABLE)
            for path, key, _ in entries]))
        write_quarantine(conn, [dict(source_sha256=key, path=path, reason_code=UNREADABLE,
                                     field=None, detail=why) for path, key, why in entries],
                         run_id=run_id)


def ledgered_sha256s(engine: Engine, sha256s: Iterable[str]) -> dict[str, str]:
    """sha256 -> outcome for contents already ledgered as processed or quarantined anywhere."""
    wanted = list(set(sha256s))
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            stmt = (select(ingest_ledger.c.sha256, ingest_ledger.c.outcome)
                    .where(ingest_ledger.c.sha256.in_(chunk))
                    .where(ingest_ledger.c.outcome.in_((Outcome.PROCESSED, Outcome.QUARANTINED))))
            found.update({row.sha256: row.outcome for row in conn.execute(stmt)})
    return found


def ledger_rows(input_root: str, run_id: str, entries: Iterable[LedgerEntry]) -> list[dict]:
    """Ledger rows, each with the release that read the file (``reader_version``: ``dexa
    reread`` looks again at what an older release quarantined)."""
    from dexa import __version__

    seen_at = now()
    return [dict(input_root=input_root, path=e.path, sha256=e.sha256, size_bytes=e.size_bytes,
                 mtime_ns=e.mtime_ns, first_seen_at=seen_at, run_id=run_id, outcome=e.outcome,
                 reason_code=e.reason_code, scan_date=e.scan_date, reader_version=__version__)
            for e in entries]


def write_ledger(conn: Connection, rows: Sequence[dict]) -> None:
    """Insert ledger rows; a row for a (root, path, sha256) that was only ``skipped`` before is
    brought up to date (a later run whose range covers it processes it)."""
    if not rows:
        return
    keys = ("input_root", "path", "sha256")
    skipped = select(ingest_ledger.c.id, ingest_ledger.c.input_root, ingest_ledger.c.path,
                     ingest_ledger.c.sha256).where(ingest_ledger.c.outcome == Outcome.SKIPPED)
    wanted = {tuple(r[k] for k in keys) for r in rows if r["outcome"] != Outcome.SKIPPED}
    if wanted:
        stale = [row.id for row in conn.execute(
            skipped.where(ingest_ledger.c.sha256.in_({k[2] for k in wanted})))
            if (row.input_root, row.path, row.sha256) in wanted]
        if stale:
            conn.execute(ingest_ledger.delete().where(ingest_ledger.c.id.in_(stale)))
    _insert_ignoring_conflicts(conn, ingest_ledger, rows, keys)


# Quarantined for how a release read the file, not for what the file is (empty, too large,
# encrypted): a later release may read it (``dexa reread``).
REREAD_REASONS = ("corrupt", "not_dicom", "not_dxa", "no_measurements", "no_text_layer",
                  "unsupported_format", UNREADABLE)


def forget_for_reread(engine: Engine, input_root: str, *, every_version: bool = False) -> int:
    """Make the files under a root that a release quarantined for a reading reason new again:
    their ledger rows and their file-level quarantine rows are deleted (one transaction) at
    the start of the run that reads them again, so that it reads, plans or quarantines them
    as it would a new file (a run stopped before them leaves them new: the next run reads
    them) and a second reread adds nothing. Only rows of an older release (or of
    none recorded) unless ``every_version``. Returns how many files."""
    from dexa import __version__

    rows = (select(ingest_ledger.c.id, ingest_ledger.c.sha256, ingest_ledger.c.reason_code)
            .where(ingest_ledger.c.input_root == input_root)
            .where(ingest_ledger.c.outcome == Outcome.QUARANTINED)
            .where(ingest_ledger.c.reason_code.in_(REREAD_REASONS)))
    if not every_version:
        rows = rows.where(or_(ingest_ledger.c.reader_version.is_(None),
                              ingest_ledger.c.reader_version != __version__))
    with engine.begin() as conn:
        found = conn.execute(rows).all()
        for start in range(0, len(found), 500):
            chunk = found[start:start + 500]
            conn.execute(ingest_ledger.delete().where(
                ingest_ledger.c.id.in_([r.id for r in chunk])))
            conn.execute(quarantine.delete().where(quarantine.c.field == "")
                         .where(quarantine.c.reason_code.in_(REREAD_REASONS))
                         .where(quarantine.c.source_sha256.in_([r.sha256 for r in chunk])))
    return len(found)


# --- results -------------------------------------------------------------------------------


def _upsert(conn: Connection, table: Table, rows: Sequence[dict], keys: Sequence[str]) -> None:
    """Insert rows, overwriting the other columns of a row whose key exists."""
    if not rows:
        return
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(conn.dialect.name)
    if insert is None:  # other databases: delete the rows' keys, then insert
        for row in rows:
            conn.execute(table.delete().where(*[table.c[k] == row[k] for k in keys]))
        conn.execute(table.insert(), list(rows))
        return
    stmt = insert(table)
    updated = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=updated), list(rows))


def write_scans(conn: Connection, reports: Sequence[dict], *, run_id: str,
                created: datetime | None = None) -> None:
    """Store scans as read (report documents, as dicts) with their measurements: two multi-row
    inserts per batch. ``created`` is the batch's timestamp (one per batch: the history refresh
    compares them)."""
    created = created or now()
    rows = [dict(source_sha256=r["source"]["sha256"], patient_id=r["patient"]["id"],
                 scan_date=r["study"]["scan_date"], vendor=r["source"].get("vendor"),
                 device=r["source"].get("device"), report_json=r, run_id=run_id,
                 created_at=created) for r in reports]
    measurements = [dict(source_sha256=r["source"]["sha256"], position=i, region=m["region"],
                         side=m["side"], levels=m["levels"], bmd_g_cm2=m["bmd_g_cm2"],
                         t_score=m["t_score"], z_score=m["z_score"],
                         young_adult_pct=m.get("young_adult_pct"),
                         age_matched_pct=m.get("age_matched_pct"))
                    for r in reports for i, m in enumerate(r["measurements"])]
    _insert_ignoring_conflicts(conn, scan_reports, rows, ["source_sha256"])
    _insert_ignoring_conflicts(conn, site_measurements, measurements,
                               ["source_sha256", "position"])


def plan_row(plan: dict, run_id: str, created: datetime) -> dict:
    lowest = plan.get("lowest") or {}
    return dict(visit_key=plan["visit"]["key"], source_sha256=plan["scan"]["sha256"],
                rule_set=plan["rule_set"], patient_id=plan["scan"]["patient_id"],
                scan_date=plan["scan"]["scan_date"], classification=plan["classification"],
                lowest_region=lowest.get("region"), lowest_side=lowest.get("side"),
                lowest_score=lowest.get("score"), pharmacotherapy=plan["pharmacotherapy"],
                repeat_dxa_months=plan["repeat_dxa_months"],
                validation_passed=int(plan["validation"]["passed"]),
                source_count=len(plan["visit"]["sources"]), plan_json=plan, run_id=run_id,
                created_at=created)


# --- visits --------------------------------------------------------------------------------

SOURCE_CONFLICT = "source_conflict"  # quarantine reason of a value two scans give differently


@dataclass(frozen=True)
class VisitRecord:
    """A planned visit as the store keeps it: its plan (whose ``visit`` block names the key
    and the scans, primary first), each scan's ``source.kind`` in that order, and its source
    conflicts as quarantine rows (``source_sha256`` and ``path`` of the scan whose value was
    set aside, ``field``, ``detail``)."""

    plan: dict
    kinds: Sequence[str]
    conflicts: Sequence[dict] = ()


def write_visits(conn: Connection, visits: Sequence[VisitRecord], *, run_id: str,
                 created: datetime | None = None) -> None:
    """Store planned visits: the plan replaces the visit's row of its rule set, each scan's
    role in ``visit_sources`` is brought up to date (a scan that joins a visit may become its
    primary), and the visit's source conflicts replace those recorded for its scans before,
    so that the tables end the same whatever the order the scans arrived in."""
    if not visits:
        return
    created = created or now()
    members = [dict(source_sha256=sha, visit_key=v.plan["visit"]["key"], kind=kind,
                    role="primary" if rank == 0 else "merged", rank=rank, run_id=run_id,
                    created_at=created)
               for v in visits
               for rank, (sha, kind) in enumerate(zip(v.plan["visit"]["sources"], v.kinds,
                                                      strict=True))]
    _upsert(conn, visit_sources, members, ["source_sha256"])
    _upsert(conn, plan_recommendations, [plan_row(v.plan, run_id, created) for v in visits],
            ["visit_key", "rule_set"])
    shas = [m["source_sha256"] for m in members]
    for start in range(0, len(shas), 500):
        conn.execute(quarantine.delete().where(quarantine.c.reason_code == SOURCE_CONFLICT)
                     .where(quarantine.c.source_sha256.in_(shas[start:start + 500])))
    write_quarantine(conn, [dict(c, reason_code=SOURCE_CONFLICT) for v in visits
                            for c in v.conflicts], run_id=run_id)


def visit_members(conn: Connection, keys: Iterable[str]) -> dict[str, list[dict]]:
    """visit key -> the stored report documents of the visit's scans, primary first."""
    wanted = sorted(set(keys))
    found: dict[str, list[dict]] = {}
    for start in range(0, len(wanted), 500):
        stmt = (select(visit_sources.c.visit_key, scan_reports.c.report_json)
                .join(scan_reports,
                      scan_reports.c.source_sha256 == visit_sources.c.source_sha256)
                .where(visit_sources.c.visit_key.in_(wanted[start:start + 500]))
                .order_by(visit_sources.c.visit_key, visit_sources.c.rank))
        for row in conn.execute(stmt):
            found.setdefault(row.visit_key, []).append(row.report_json)
    return found


def reports_of_patients(conn: Connection, patient_ids: Iterable[str]) -> dict[str, list[dict]]:
    """patient id -> the stored report documents of that patient's visits (scans that reached
    a visit's plan), oldest first (indexed by patient and date)."""
    wanted = sorted(set(patient_ids))
    history: dict[str, list[dict]] = {}
    for start in range(0, len(wanted), 500):
        stmt = (select(scan_reports.c.patient_id, scan_reports.c.report_json)
                .join(visit_sources,
                      visit_sources.c.source_sha256 == scan_reports.c.source_sha256)
                .where(scan_reports.c.patient_id.in_(wanted[start:start + 500]))
                .order_by(scan_reports.c.scan_date, visit_sources.c.rank))
        for row in conn.execute(stmt):
            history.setdefault(row.patient_id, []).append(row.report_json)
    return history


def stale_visits(conn: Connection, rule_set: str) -> list[tuple[str, bool]]:
    """The visits whose plan under ``rule_set`` is out of date, as (visit key, grown): a scan
    joined the visit after its plan was made (``grown``; e.g. two batches of a Dask run each
    planned the visit without the other's scan), or an *earlier* visit of the same patient
    reached the store after it (a backfill meets scans out of date order): its trend must be
    recomputed with that visit as a prior. The one place that says what must be re-planned."""
    plans = plan_recommendations
    members = (select(func.count()).select_from(visit_sources)
               .where(visit_sources.c.visit_key == plans.c.visit_key).scalar_subquery())
    earlier = scan_reports.alias("earlier")
    newer_history = (select(earlier.c.source_sha256)
                     .join(visit_sources, visit_sources.c.source_sha256 == earlier.c.source_sha256)
                     .where(earlier.c.patient_id == plans.c.patient_id)
                     .where(earlier.c.scan_date < plans.c.scan_date)
                     .where(earlier.c.created_at > plans.c.created_at)
                     .exists())
    grown = members > plans.c.source_count
    stmt = (select(plans.c.visit_key, grown.label("grown"))
            .where(plans.c.rule_set == rule_set)
            .where(or_(grown, and_(plans.c.patient_id.is_not(None), newer_history)))
            .order_by(plans.c.scan_date, plans.c.visit_key))
    return [(row.visit_key, bool(row.grown)) for row in conn.execute(stmt)]


def visit_keys(engine: Engine, batch_size: int = 1000) -> Iterable[list[str]]:
    """Every visit's key, in batches (for re-planning without re-reading files)."""
    stmt = select(visit_sources.c.visit_key).distinct().order_by(visit_sources.c.visit_key)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(stmt)
        while chunk := result.fetchmany(batch_size):
            yield [row.visit_key for row in chunk]


@dataclass(frozen=True)
class StoredVisit:
    """A visit as stored: its key, patient and date, its plan under one rule set, and the
    report documents of its scans as read, primary first (``reports[0]`` is the scan the
    plan names in ``scan.sha256``)."""

    key: str
    patient_id: str | None
    scan_date: str | None
    plan: dict
    reports: list[dict]


def _stored_visits(conn: Connection, where: Any, rule_set: str) -> list[StoredVisit]:
    plans = plan_recommendations
    rows = conn.execute(select(plans.c.visit_key, plans.c.patient_id, plans.c.scan_date,
                               plans.c.plan_json)
                        .where(plans.c.rule_set == rule_set).where(where)
                        .order_by(plans.c.scan_date, plans.c.visit_key)).all()
    members = visit_members(conn, [r.visit_key for r in rows])
    return [StoredVisit(r.visit_key, r.patient_id, r.scan_date, r.plan_json,
                        members.get(r.visit_key, [])) for r in rows]


def visits_of_patient(engine: Engine, patient_id: str, *,
                      rule_set: str = "bhof-2022") -> list[StoredVisit]:
    """The patient's visits planned under ``rule_set``, oldest first."""
    with engine.connect() as conn:
        return _stored_visits(conn, plan_recommendations.c.patient_id == patient_id, rule_set)


def visits_between(engine: Engine, since: str | None = None, until: str | None = None, *,
                   rule_set: str = "bhof-2022", batch_size: int = 500
                   ) -> Iterable[list[StoredVisit]]:
    """The visits planned under ``rule_set`` whose scan date is within ``since``..``until``
    (ISO dates, both included; None leaves that end open, and with both None visits without a
    scan date are included too), oldest first, in batches."""
    plans = plan_recommendations
    where = and_(true(), *([plans.c.scan_date >= since] if since else []),
                 *([plans.c.scan_date <= until] if until else []))
    with engine.connect() as conn:
        keys = [r.visit_key for r in conn.execute(
            select(plans.c.visit_key).where(plans.c.rule_set == rule_set).where(where)
            .order_by(plans.c.scan_date, plans.c.visit_key))]
        for start in range(0, len(keys), batch_size):
            yield _stored_visits(conn, plans.c.visit_key.in_(keys[start:start + batch_size]),
                                 rule_set)


def write_quarantine(conn: Connection, rows: Sequence[dict], *, run_id: str) -> None:
    """rows: dicts with source_sha256, path, reason_code, field (or None), detail."""
    created = now()
    _insert_ignoring_conflicts(
        conn, quarantine,
        [dict(r, field=r.get("field") or "", run_id=run_id, created_at=created) for r in rows],
        ["source_sha256", "reason_code", "field", "run_id"])


# --- runs ----------------------------------------------------------------------------------


def start_run(engine: Engine, run_id: str, *, kind: str, input_root: str) -> None:
    with engine.begin() as conn:
        _insert_ignoring_conflicts(conn, dq_runs, [dict(
            run_id=run_id, kind=kind, input_root=input_root, started_at=now())], ["run_id"])


def finish_run(engine: Engine, run_id: str, metrics: dict, *,
               status: str = "completed") -> None:
    """The run's end: ``completed``, or ``interrupted`` (stopped by a signal, whole batches
    written; its metrics count what it did)."""
    with engine.begin() as conn:
        conn.execute(dq_runs.update().where(dq_runs.c.run_id == run_id)
                     .values(finished_at=now(), status=status,
                             metrics_json=json.loads(json.dumps(metrics))))


def finished_runs(engine: Engine, limit: int = 15) -> list[dict]:
    """The newest finished runs, newest first: run_id, kind, input_root, started_at,
    finished_at, status, metrics."""
    stmt = (select(dq_runs).where(dq_runs.c.finished_at.is_not(None))
            .order_by(dq_runs.c.started_at.desc()).limit(limit))
    with engine.connect() as conn:
        return [dict(run_id=r.run_id, kind=r.kind, input_root=r.input_root,
                     started_at=r.started_at,
                     finished_at=r.finished_at, status=r.status or "completed",
                     metrics=r.metrics_json or {}) for r in conn.execute(stmt)]


def count_rows(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# --- one writer per database ---------------------------------------------------------------

WRITER_LOCK = "writer"
PG_LOCK_KEY = 0x64657861  # "dexa": the advisory lock of the writer on PostgreSQL
HEARTBEAT_S = 20.0
STALE_AFTER_S = 120.0  # a lock row whose heartbeat is older is taken over (a killed run's)


class DatabaseBusy(StoreUnavailable):
    """Another run writes to this database (``holder`` describes it in words)."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"another dexa run is writing to this database ({holder}); "
                         "this one did not start (wait for it with --wait)")
        self.holder = holder


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class WriterLock:
    """One writer per database: ``run``, ``backfill``, ``replan`` and ``reread`` hold it while
    they write. PostgreSQL: a session advisory lock (released by the server when the holding
    connection ends, even after ``kill -9``), with a ``run_lock`` row saying who holds it.
    Other databases (SQLite): the ``run_lock`` row itself, inserted only where none exists,
    kept fresh by a heartbeat thread; a row whose process is gone (same host) or whose
    heartbeat is older than ``STALE_AFTER_S`` is a killed run's and is taken over."""

    def __init__(self, engine: Engine, command: str) -> None:
        import socket
        import uuid

        self.engine, self.command = engine, command
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.owner = f"{self.pid}@{self.host}"[:48] + f"/{uuid.uuid4().hex[:8]}"
        self._pg: Connection | None = None
        self._stop = None  # threading.Event of the heartbeat thread

    def _row(self) -> dict:
        moment = now()
        return dict(name=WRITER_LOCK, owner=self.owner, command=self.command, pid=self.pid,
                    host=self.host, acquired_at=moment, heartbeat_at=moment)

    def _holder(self) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(run_lock).where(run_lock.c.name == WRITER_LOCK)).first()

    @staticmethod
    def describe(row: Any) -> str:
        if row is None:
            return "a run of another release or tool"
        return (f"dexa {row.command}, pid {row.pid} on {row.host}, since "
                f"{_naive_utc(row.acquired_at):%Y-%m-%d %H:%M:%S} UTC")

    def _is_stale(self, row: Any) -> bool:
        if row.host == self.host and not _process_alive(row.pid):
            return True
        age = _naive_utc(now()) - _naive_utc(row.heartbeat_at)
        return age.total_seconds() > STALE_AFTER_S

    def try_acquire(self) -> str | None:
        """Take the lock; None when taken, else who holds it."""
        from sqlalchemy.exc import IntegrityError

        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if not conn.execute(select(func.pg_try_advisory_lock(PG_LOCK_KEY))).scalar():
                conn.close()
                return self.describe(self._holder())
            self._pg = conn
            with self.engine.begin() as tx:
                _upsert(tx, run_lock, [self._row()], ["name"])
            return None
        for _ in range(2):
            try:
                with self.engine.begin() as tx:
                    tx.execute(run_lock.insert().values(self._row()))
            except IntegrityError:
                row = self._holder()
                if row is not None and not self._is_stale(row):
                    return self.describe(row)
                if row is not None:  # compare and delete: only one process takes it over
                    with self.engine.begin() as tx:
                        tx.execute(run_lock.delete().where(run_lock.c.name == WRITER_LOCK)
                                   .where(run_lock.c.owner == row.owner)
                                   .where(run_lock.c.heartbeat_at == row.heartbeat_at))
                continue
            self._start_heartbeat()
            return None
        return self.describe(self._holder())

    def _start_heartbeat(self) -> None:
        import threading

        self._stop = stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_S):
                try:
                    with self.engine.begin() as tx:
                        tx.execute(run_lock.update().where(run_lock.c.owner == self.owner)
                                   .values(heartbeat_at=now()))
                except Exception:  # noqa: BLE001 - a missed beat; the next one may pass
                    continue

        threading.Thread(target=beat, name="dexa-lock-heartbeat", daemon=True).start()

    def release(self) -> None:
        if self._stop is not None:
            self._stop.set()
        try:
            with self.engine.begin() as tx:
                tx.execute(run_lock.delete().where(run_lock.c.owner == self.owner))
        finally:
            if self._pg is not None:
                self._pg.execute(select(func.pg_advisory_unlock(PG_LOCK_KEY)))
                self._pg.close()
                self._pg = None


_held: dict[str, list] = {}  # database URL -> [WriterLock, depth]: re-entrant in a process


def release_locks() -> None:
    """Give back every writer lock this process holds (before an exit that skips ``finally``
    blocks; only where no transaction of this process is open)."""
    for lock, _depth in list(_held.values()):
        lock.release()
    _held.clear()


@contextmanager
def writer_lock(engine: Engine, command: str, *, wait: bool = False,
                on_wait: Callable[[str], None] | None = None,
                poll_s: float = 2.0) -> Iterator[None]:
    """Hold the database's writer lock (re-entrant within a process: the CLI takes it before
    Prefect starts, the flow again for a deployment's runs). Raises ``DatabaseBusy`` when
    another run holds it, or with ``wait`` waits for it (``on_wait`` told once, with who)."""
    import time

    key = engine.url.render_as_string(hide_password=False)
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    lock = WriterLock(engine, command)
    told = False
    while (holder := lock.try_acquire()) is not None:
        if not wait:
            raise DatabaseBusy(holder)
        if on_wait and not told:
            on_wait(holder)
            told = True
        time.sleep(poll_s)
    _held[key] = [lock, 1]
    try:
        yield
    finally:
        del _held[key]
        lock.release()
