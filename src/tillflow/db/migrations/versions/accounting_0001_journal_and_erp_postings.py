"""accounting journal and erp postings

Revision ID: accounting_0001
Revises: 0003
Create Date: 2026-11-26 15:52:01.997038
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'accounting_0001'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('erp_imports',
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('connection', 'kind', 'external_id', name=op.f('pk_erp_imports'))
    )
    op.create_table('account_mappings',
    sa.Column('role', sa.String(length=60), nullable=False),
    sa.Column('account', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('role', name=op.f('pk_account_mappings'))
    )
    op.create_table('erp_postings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('entry', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erp_postings'))
    )
    op.create_index('ix_erp_postings_connection_status', 'erp_postings',
                    ['connection', 'status', 'id'], unique=False)
    op.create_index('uq_erp_postings_connection_reference', 'erp_postings',
                    ['connection', 'reference'], unique=True)
    op.create_table('journal_entries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('document_number', sa.String(length=64), nullable=False),
    sa.Column('shift_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries')),
    sa.UniqueConstraint('reference', name=op.f('uq_journal_entries_reference'))
    )
    op.create_index(op.f('ix_journal_entries_occurred_at'), 'journal_entries',
                    ['occurred_at'], unique=False)
    op.create_index(op.f('ix_journal_entries_shift_id'), 'journal_entries', ['shift_id'],
                    unique=False)
    op.create_table('unit_costs',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('sku', name=op.f('pk_unit_costs'))
    )
    op.create_table('journal_lines',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=60), nullable=False),
    sa.Column('account', sa.String(length=60), nullable=False),
    sa.Column('debit', sa.BigInteger(), nullable=False),
    sa.Column('credit', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'],
                            name=op.f('fk_journal_lines_entry_id_journal_entries')),
    sa.PrimaryKeyConstraint('entry_id', 'line_no', name=op.f('pk_journal_lines'))
    )


def downgrade() -> None:
    op.drop_table('journal_lines')
    op.drop_table('unit_costs')
    op.drop_index(op.f('ix_journal_entries_shift_id'), table_name='journal_entries')
    op.drop_index(op.f('ix_journal_entries_occurred_at'), table_name='journal_entries')
    op.drop_table('journal_entries')
    op.drop_index('uq_erp_postings_connection_reference', table_name='erp_postings')
    op.drop_index('ix_erp_postings_connection_status', table_name='erp_postings')
    op.drop_table('erp_postings')
    op.drop_table('account_mappings')
    op.drop_table('erp_imports')
