"""visits: plan_recommendations per visit and rule set, visit_sources

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 14:00:00

A database of the previous release holds one plan row per scan and rule set. Each scan with a
plan becomes a one-scan visit: its visit key is the stored report's patient id and scan date
where both are stated, else the scan's sha256 (planner.visits.visit_key, written out here so
that this migration keeps its meaning when the code moves on). Where two old rows of one rule
set fall into one visit (an SR and its PDF, planned apart by the old release), the row of the
visit's primary scan is kept and counts one source while the visit has two: the next
``dexa run``/``backfill`` (its refresh of stale visits) or ``dexa replan`` plans the visit from
all its scans. Every kept plan document gains its visit block. A plan row whose report is not
stored (dexa never wrote one) stays as its own visit, without a visit_sources row: nothing can
re-plan it.
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

KIND_ORDER = ("dicom-sr", "dicom-pdf", "pdf", "text", "image-ocr")
CHUNK = 1000

plans = sa.table("plan_recommendations", sa.column("id", sa.Integer),
                 sa.column("source_sha256", sa.String), sa.column("rule_set", sa.String),
                 sa.column("visit_key", sa.Text), sa.column("source_count", sa.Integer),
                 sa.column("plan_json", sa.JSON), sa.column("run_id", sa.String),
                 sa.column("created_at", sa.DateTime(timezone=True)))
reports = sa.table("scan_reports", sa.column("source_sha256", sa.String),
                   sa.column("report_json", sa.JSON))
sources = sa.table("visit_sources", sa.column("source_sha256", sa.String),
                   sa.column("visit_key", sa.Text), sa.column("kind", sa.String),
                   sa.column("role", sa.String), sa.column("rank", sa.Integer),
                   sa.column("run_id", sa.String),
                   sa.column("created_at", sa.DateTime(timezone=True)))


def _visit_of(sha: str, report: dict) -> tuple[str, str, str]:
    """(visit key, kind, creation date-time or "") of a scan from its stored report."""
    source = report.get("source") or {}
    patient_id = (report.get("patient") or {}).get("id")
    scan_date = (report.get("study") or {}).get("scan_date")
    key = f"{patient_id}/{scan_date}" if patient_id and scan_date else sha
    kind = source.get("kind") if source.get("kind") in KIND_ORDER else "text"
    return key, kind, source.get("created") or ""


def _primary_first(shas: list[str], scans: dict[str, tuple[str, str, str]]) -> list[str]:
    """By kind, then the latest creation date-time, then the smallest sha256 (as
    planner.visits.primary_first; the previous release stored no creation time)."""
    ordered = sorted(shas)
    ordered.sort(key=lambda sha: scans[sha][2], reverse=True)
    ordered.sort(key=lambda sha: KIND_ORDER.index(scans[sha][1]))
    return ordered


def _scans(bind: sa.Connection) -> dict[str, tuple[str, str, str]]:
    """Every planned scan whose report is stored: sha256 -> (visit key, kind, created)."""
    shas = sorted({r.source_sha256 for r in bind.execute(sa.select(plans.c.source_sha256))})
    found: dict[str, tuple[str, str, str]] = {}
    for start in range(0, len(shas), CHUNK):
        found.update({r.source_sha256: _visit_of(r.source_sha256, r.report_json)
                      for r in bind.execute(
                          sa.select(reports.c.source_sha256, reports.c.report_json)
                          .where(reports.c.source_sha256.in_(shas[start:start + CHUNK])))})
    return found


def upgrade() -> None:
    op.create_table('visit_sources',
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('visit_key', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source_sha256')
    )
    with op.batch_alter_table('visit_sources', schema=None) as batch_op:
        batch_op.create_index('ix_visit_sources_visit_key', ['visit_key'], unique=False)
    with op.batch_alter_table('plan_recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visit_key', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('source_count', sa.Integer(), nullable=True))

    bind = op.get_bind()
    scans = _scans(bind)
    members: dict[str, list[str]] = defaultdict(list)
    for sha, (key, _, _) in scans.items():
        members[key].append(sha)
    rank = {sha: i for shas in members.values()
            for i, sha in enumerate(_primary_first(shas, scans))}
    rows = bind.execute(sa.select(plans.c.id, plans.c.source_sha256, plans.c.rule_set,
                                  plans.c.run_id, plans.c.created_at)
                        .order_by(plans.c.created_at, plans.c.id)).all()
    first_seen: dict[str, tuple[str, object]] = {}
    kept: dict[tuple[str, str], tuple[int, int, str, str]] = {}
    for row in rows:
        sha = row.source_sha256
        key = scans[sha][0] if sha in scans else sha  # a plan without its report: its own
        first_seen.setdefault(sha, (row.run_id, row.created_at))
        candidate = (rank.get(sha, 0), row.id, sha, key)
        if (key, row.rule_set) not in kept or candidate < kept[(key, row.rule_set)]:
            kept[(key, row.rule_set)] = candidate
    keep_ids = {row_id for _, row_id, _, _ in kept.values()}
    drop = [row.id for row in rows if row.id not in keep_ids]
    for start in range(0, len(drop), CHUNK):
        bind.execute(plans.delete().where(plans.c.id.in_(drop[start:start + CHUNK])))
    update = plans.update().where(plans.c.id == sa.bindparam("row_id")).values(
        visit_key=sa.bindparam("key"), source_count=1, plan_json=sa.bindparam("document"))
    visits = sorted((row_id, sha, key) for _, row_id, sha, key in kept.values())
    for start in range(0, len(visits), CHUNK):
        chunk = visits[start:start + CHUNK]
        documents = dict(bind.execute(sa.select(plans.c.id, plans.c.plan_json).where(
            plans.c.id.in_([row_id for row_id, _, _ in chunk]))).all())
        bind.execute(update, [
            dict(row_id=row_id, key=key,
                 document=dict(documents[row_id], visit={"key": key, "sources": [sha]}))
            for row_id, sha, key in chunk])
    visit_rows = [dict(source_sha256=sha, visit_key=scans[sha][0], kind=scans[sha][1],
                       role="primary" if rank[sha] == 0 else "merged", rank=rank[sha],
                       run_id=first_seen[sha][0], created_at=first_seen[sha][1])
                  for sha in sorted(scans)]
    for start in range(0, len(visit_rows), CHUNK):
        bind.execute(sources.insert(), visit_rows[start:start + CHUNK])

    with op.batch_alter_table('plan_recommendations', schema=None) as batch_op:
        batch_op.alter_column('visit_key', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('source_count', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_plan_scan_ruleset', type_='unique')
        batch_op.create_unique_constraint('uq_plan_visit_ruleset', ['visit_key', 'rule_set'])
        batch_op.create_index('ix_plan_source_sha256', ['source_sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_source_sha256')
        batch_op.drop_constraint('uq_plan_visit_ruleset', type_='unique')
        batch_op.create_unique_constraint('uq_plan_scan_ruleset', ['source_sha256', 'rule_set'])
        batch_op.drop_column('source_count')
        batch_op.drop_column('visit_key')
    with op.batch_alter_table('visit_sources', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_sources_visit_key')
    op.drop_table('visit_sources')
