"""back-office passwords and sessions, products' cost

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 17:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.create_table('office_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=16), nullable=True),
    sa.CheckConstraint('(staff_id IS NULL) <> (api_token_id IS NULL)', name=op.f('ck_office_sessions_one_holder')),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_tokens.id'], name=op.f('fk_office_sessions_api_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_members.id'], name=op.f('fk_office_sessions_staff_id_staff_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_office_sessions_token_hash'))
    )
    with op.batch_alter_table('office_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_sessions_api_token_id'), ['api_token_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_sessions_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('office_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_sessions_staff_id'))
        batch_op.drop_index(batch_op.f('ix_office_sessions_api_token_id'))
    op.drop_table('office_sessions')
    with op.batch_alter_table('staff_members', schema=None) as batch_op:
        batch_op.drop_column('password_hash')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('cost')
