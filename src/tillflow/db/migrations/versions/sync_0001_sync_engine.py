"""sync engine: deliveries, webhook inbox, external-id map, cursors, reconciliations

Revision ID: sync_0001
Revises: 0003
Create Date: 2026-11-26 15:44:57.106726
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'sync_0001'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_cursors',
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('connection', 'name', name=op.f('pk_sync_cursors'))
    )
    op.create_table('sync_deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('event_seq', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_deliveries')),
    sa.UniqueConstraint('connection', 'event_seq', 'key', name='uq_sync_deliveries_origin')
    )
    op.create_index('ix_sync_deliveries_due', 'sync_deliveries', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_sync_deliveries_key', 'sync_deliveries', ['connection', 'key', 'status'], unique=False)
    op.create_table('sync_external_ids',
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('local_id', sa.String(length=100), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('connection', 'kind', 'local_id', name=op.f('pk_sync_external_ids')),
    sa.UniqueConstraint('connection', 'kind', 'external_id', name='uq_sync_external_ids_external')
    )
    op.create_table('sync_inbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('delivery_id', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_inbox')),
    sa.UniqueConstraint('connection', 'delivery_id', name='uq_sync_inbox_delivery')
    )
    op.create_index('ix_sync_inbox_due', 'sync_inbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('sync_reconciliations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked', sa.Integer(), nullable=False),
    sa.Column('drift_count', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_reconciliations'))
    )
    op.create_index(op.f('ix_sync_reconciliations_connection'), 'sync_reconciliations', ['connection'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sync_reconciliations_connection'), table_name='sync_reconciliations')
    op.drop_table('sync_reconciliations')
    op.drop_index('ix_sync_inbox_due', table_name='sync_inbox')
    op.drop_table('sync_inbox')
    op.drop_table('sync_external_ids')
    op.drop_index('ix_sync_deliveries_key', table_name='sync_deliveries')
    op.drop_index('ix_sync_deliveries_due', table_name='sync_deliveries')
    op.drop_table('sync_deliveries')
    op.drop_table('sync_cursors')
