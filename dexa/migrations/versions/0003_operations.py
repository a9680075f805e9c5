"""operations: one writer per database (run_lock), how a run ended (dq_runs.status), which
reader read a ledgered file (ingest_ledger.reader_version)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 16:45:00

``run_lock`` holds at most one row per lock name: the run that writes (its pid, host and
heartbeat, so that a lock left by a killed process can be recognised as stale). Older runs
have no status (they finished, or were killed without a word) and no reader version (they are
re-read by ``dexa reread`` like any older reader's quarantine).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('run_lock',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('command', sa.String(length=16), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('host', sa.Text(), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('dq_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=True))
    with op.batch_alter_table('ingest_ledger', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reader_version', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ingest_ledger', schema=None) as batch_op:
        batch_op.drop_column('reader_version')
    with op.batch_alter_table('dq_runs', schema=None) as batch_op:
        batch_op.drop_column('status')
    op.drop_table('run_lock')
