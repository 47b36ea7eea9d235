"""manager approvals, and why a cashier session ended

Revision ID: staff_0002
Revises: staff_0001
Create Date: 2026-11-26 18:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'staff_0002'
down_revision: str | None = 'staff_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('staff_sessions', sa.Column('ended_reason', sa.String(length=16), nullable=True))
    op.create_table('staff_approvals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_key', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_staff_approvals_register_id_registers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_approvals')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_approvals_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('staff_approvals')
    op.drop_column('staff_sessions', 'ended_reason')
