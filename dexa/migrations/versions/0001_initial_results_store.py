"""initial results store

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 20:00:50.413773
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dq_runs',
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('input_root', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('metrics_json', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('run_id')
    )
    op.create_table('ingest_ledger',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('input_root', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('mtime_ns', sa.BigInteger(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason_code', sa.String(length=64), nullable=True),
    sa.Column('scan_date', sa.String(length=10), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('input_root', 'path', 'sha256', name='uq_ledger_root_path_sha')
    )
    with op.batch_alter_table('ingest_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_sha256', ['sha256'], unique=False)

    op.create_table('plan_recommendations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('rule_set', sa.String(length=32), nullable=False),
    sa.Column('patient_id', sa.Text(), nullable=True),
    sa.Column('scan_date', sa.String(length=10), nullable=True),
    sa.Column('classification', sa.String(length=40), nullable=False),
    sa.Column('lowest_region', sa.String(length=32), nullable=True),
    sa.Column('lowest_side', sa.String(length=8), nullable=True),
    sa.Column('lowest_score', sa.Float(), nullable=True),
    sa.Column('pharmacotherapy', sa.String(length=16), nullable=False),
    sa.Column('repeat_dxa_months', sa.Integer(), nullable=True),
    sa.Column('validation_passed', sa.Integer(), nullable=True),
    sa.Column('plan_json', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_sha256', 'rule_set', name='uq_plan_scan_ruleset')
    )
    with op.batch_alter_table('plan_recommendations', schema=None) as batch_op:
        batch_op.create_index('ix_plan_patient_date', ['patient_id', 'scan_date'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('reason_code', sa.String(length=64), nullable=False),
    sa.Column('field', sa.Text(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_sha256', 'reason_code', 'field', 'run_id', name='uq_quarantine_scan_reason_field_run')
    )
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.create_index('ix_quarantine_run', ['run_id'], unique=False)

    op.create_table('scan_reports',
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('patient_id', sa.Text(), nullable=True),
    sa.Column('scan_date', sa.String(length=10), nullable=True),
    sa.Column('vendor', sa.Text(), nullable=True),
    sa.Column('device', sa.Text(), nullable=True),
    sa.Column('report_json', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source_sha256')
    )
    with op.batch_alter_table('scan_reports', schema=None) as batch_op:
        batch_op.create_index('ix_scan_reports_patient_date', ['patient_id', 'scan_date'], unique=False)

    op.create_table('site_measurements',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=True),
    sa.Column('levels', sa.String(length=32), nullable=True),
    sa.Column('bmd_g_cm2', sa.Float(), nullable=True),
    sa.Column('t_score', sa.Float(), nullable=True),
    sa.Column('z_score', sa.Float(), nullable=True),
    sa.Column('young_adult_pct', sa.Float(), nullable=True),
    sa.Column('age_matched_pct', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_sha256', 'position', name='uq_measurement_scan_position')
    )


def downgrade() -> None:
    op.drop_table('site_measurements')
    with op.batch_alter_table('scan_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_scan_reports_patient_date')

    op.drop_table('scan_reports')
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index('ix_quarantine_run')

    op.drop_table('quarantine')
    with op.batch_alter_table('plan_recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_patient_date')

    op.drop_table('plan_recommendations')
    with op.batch_alter_table('ingest_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_sha256')

    op.drop_table('ingest_ledger')
    op.drop_table('dq_runs')
