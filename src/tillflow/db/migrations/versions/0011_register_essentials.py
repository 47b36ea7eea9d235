"""offline receipt numbers, return reasons, parked sales and favourites

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('sales', sa.Column('offline_number', sa.String(length=64), nullable=True))
    op.create_index('ix_sales_offline_number', 'sales', ['offline_number'], unique=True)
    op.add_column('returns', sa.Column('reason', sa.String(length=32), nullable=True))
    op.create_table('parked_sales',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('cart', sa.Text(), nullable=False),
    sa.Column('parked_by', sa.String(length=100), nullable=False),
    sa.Column('parked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_parked_sales_register_id_registers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parked_sales'))
    )
    op.create_index('ix_parked_sales_register_id', 'parked_sales', ['register_id', 'parked_at'], unique=False)
    op.create_table('register_favourites',
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_register_favourites_product_id_products')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_register_favourites_register_id_registers')),
    sa.PrimaryKeyConstraint('register_id', 'position', name=op.f('pk_register_favourites'))
    )


def downgrade() -> None:
    op.drop_table('register_favourites')
    op.drop_index('ix_parked_sales_register_id', table_name='parked_sales')
    op.drop_table('parked_sales')
    op.drop_column('returns', 'reason')
    op.drop_index('ix_sales_offline_number', table_name='sales')
    op.drop_column('sales', 'offline_number')
