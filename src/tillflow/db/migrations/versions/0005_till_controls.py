"""price controls, the audit trail and access management

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 13:53:19.257815
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    # The chain starts empty: the first record follows the empty hash.
    op.bulk_insert(sa.table('audit_head', sa.column('id', sa.Integer()),
                            sa.column('last_seq', sa.BigInteger()),
                            sa.column('last_hash', sa.String())),
                   [{'id': 1, 'last_seq': 0, 'last_hash': ''}])
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('act', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log'))
    )
    op.create_table('auth_failures',
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_auth_failures'))
    )
    op.create_table('register_prices',
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_register_prices_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_register_prices_register_id_registers')),
    sa.PrimaryKeyConstraint('register_id', 'product_id', name=op.f('pk_register_prices'))
    )
    op.create_table('price_discrepancies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('register_id', sa.Integer(), nullable=False),
    sa.Column('synced_price', sa.BigInteger(), nullable=False),
    sa.Column('catalog_price', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_price_discrepancies_product_id_products')),
    sa.ForeignKeyConstraint(['register_id'], ['registers.id'], name=op.f('fk_price_discrepancies_register_id_registers')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_price_discrepancies_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_discrepancies'))
    )
    with op.batch_alter_table('price_discrepancies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_discrepancies_sale_id'), ['sale_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('register_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_register_id_registers'), 'registers', ['register_id'], ['id'])

    with op.batch_alter_table('staff_approvals', schema=None) as batch_op:
        batch_op.alter_column('action',
               existing_type=sa.VARCHAR(length=32),
               type_=sa.String(length=100),
               existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('staff_approvals', schema=None) as batch_op:
        batch_op.alter_column('action',
               existing_type=sa.String(length=100),
               type_=sa.VARCHAR(length=32),
               existing_nullable=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_register_id_registers'), type_='foreignkey')
        batch_op.drop_column('register_id')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('price_discrepancies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_discrepancies_sale_id'))

    op.drop_table('price_discrepancies')
    op.drop_table('register_prices')
    op.drop_table('auth_failures')
    op.drop_table('audit_log')
    op.drop_table('audit_head')
