"""web order charges and settlements

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 13:53:06.624988
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sale_charges',
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tax_rate', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_charges_sale_id_sales')),
    sa.PrimaryKeyConstraint('sale_id', 'seq', name=op.f('pk_sale_charges'))
    )
    op.create_table('sale_settlements',
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_settlements_sale_id_sales')),
    sa.PrimaryKeyConstraint('sale_id', 'seq', name=op.f('pk_sale_settlements'))
    )
    op.create_table('return_charges',
    sa.Column('return_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tax_rate', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_charges_return_id_returns')),
    sa.PrimaryKeyConstraint('return_id', 'seq', name=op.f('pk_return_charges'))
    )


def downgrade() -> None:
    op.drop_table('return_charges')
    op.drop_table('sale_settlements')
    op.drop_table('sale_charges')
