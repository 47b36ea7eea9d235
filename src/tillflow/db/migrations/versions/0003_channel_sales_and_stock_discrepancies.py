"""channel sales and stock discrepancies

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:39:17.385714
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stock_discrepancies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=True),
    sa.Column('shortfall', sa.BigInteger(), nullable=False),
    sa.Column('on_hand_after', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_stock_discrepancies_location_id_locations')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_discrepancies_product_id_products')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_stock_discrepancies_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_discrepancies'))
    )
    with op.batch_alter_table('sales') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=32), server_default='pos', nullable=False))
        batch.add_column(sa.Column('external_id', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('offline', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.create_index('ix_sales_channel_created_at', ['channel', 'created_at'], unique=False)
        batch.create_unique_constraint('uq_sales_channel_external_id', ['channel', 'external_id'])


def downgrade() -> None:
    with op.batch_alter_table('sales') as batch:
        batch.drop_constraint('uq_sales_channel_external_id', type_='unique')
        batch.drop_index('ix_sales_channel_created_at')
        batch.drop_column('offline')
        batch.drop_column('external_id')
        batch.drop_column('channel')
    op.drop_table('stock_discrepancies')
