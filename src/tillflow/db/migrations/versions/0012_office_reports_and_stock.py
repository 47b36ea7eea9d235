"""the back office: when each sale was made and by which staff member, for reports;
reorder points, goods receipts, counting sessions and transfers in transit

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sold_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('units', sa.BigInteger(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sales_staff_id_staff_members'),
                                    'staff_members', ['staff_id'], ['id'])
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sold_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('counts_sale_for_sku', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('counts_sale_for_rate', sa.SmallInteger(),
                                      nullable=True))
    # Sales recorded before this revision were made when recorded, as far as anyone knows;
    # a staff member's sales were recorded under their (unique) name at a register.
    op.execute("UPDATE sales SET sold_at = created_at, units = (SELECT COALESCE(SUM("
               "l.quantity), 0) FROM sale_lines l WHERE l.sale_id = sales.id)")
    op.execute("UPDATE sale_lines SET sold_at = (SELECT s.created_at FROM sales s "
               "WHERE s.id = sale_lines.sale_id)")
    for flag, column in (('counts_sale_for_sku', 'sku'), ('counts_sale_for_rate', 'tax_rate')):
        op.execute(f"UPDATE sale_lines SET {flag} = CASE WHEN line_no = (SELECT min(f.line_no) "
                   f"FROM sale_lines f WHERE f.sale_id = sale_lines.sale_id "
                   f"AND f.{column} = sale_lines.{column}) THEN 1 ELSE 0 END")
    op.execute("UPDATE sales SET staff_id = (SELECT s.id FROM staff_members s "
               "WHERE s.name = sales.created_by) WHERE register_id IS NOT NULL")
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.alter_column('sold_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('units', existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index('ix_sales_sold_at', ['sold_at'], unique=False,
                              postgresql_include=['units', 'total', 'tax_total', 'staff_id',
                                                  'register_id', 'channel'])
        batch_op.create_index('ix_sales_customer_id', ['customer_id'], unique=False)
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.alter_column('sold_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('counts_sale_for_sku', existing_type=sa.SmallInteger(),
                              nullable=False)
        batch_op.alter_column('counts_sale_for_rate', existing_type=sa.SmallInteger(),
                              nullable=False)
        batch_op.create_index('ix_sale_lines_sold_at', ['sold_at'], unique=False,
                              postgresql_include=['sku', 'tax_rate', 'quantity', 'net', 'tax',
                                                  'counts_sale_for_sku',
                                                  'counts_sale_for_rate'])

    _mark_charges()
    _rate_returned_lines()

    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_returns_staff_id_staff_members'),
                                    'staff_members', ['staff_id'], ['id'])
        batch_op.create_index('ix_returns_created_at', ['created_at'], unique=False)
    op.execute("UPDATE returns SET staff_id = (SELECT s.id FROM staff_members s "
               "WHERE s.name = returns.created_by) WHERE register_id IS NOT NULL")
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=32), nullable=True))
    op.execute("UPDATE returns SET channel = (SELECT s.channel FROM sales s "
               "WHERE s.id = returns.sale_id)")
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.alter_column('channel', existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_product_id_id', ['product_id', 'id'],
                              unique=False)
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index('ix_journal_entries_document_number', ['document_number'],
                              unique=False)
    _create_stock_documents()


def _mark_charges() -> None:
    with op.batch_alter_table('sale_charges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sold_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('counts_sale_for_kind', sa.SmallInteger(),
                                      nullable=True))
        batch_op.add_column(sa.Column('counts_sale_for_rate', sa.SmallInteger(),
                                      nullable=True))
    op.execute("UPDATE sale_charges SET sold_at = (SELECT s.sold_at FROM sales s "
               "WHERE s.id = sale_charges.sale_id)")
    op.execute("UPDATE sale_charges SET counts_sale_for_kind = CASE WHEN seq = (SELECT "
               "min(c.seq) FROM sale_charges c WHERE c.sale_id = sale_charges.sale_id AND "
               "c.kind = sale_charges.kind) THEN 1 ELSE 0 END")
    op.execute("UPDATE sale_charges SET counts_sale_for_rate = CASE WHEN NOT EXISTS (SELECT 1 "
               "FROM sale_lines l WHERE l.sale_id = sale_charges.sale_id AND "
               "l.tax_rate = sale_charges.tax_rate) AND seq = (SELECT min(c.seq) FROM "
               "sale_charges c WHERE c.sale_id = sale_charges.sale_id AND "
               "c.tax_rate = sale_charges.tax_rate) THEN 1 ELSE 0 END")
    with op.batch_alter_table('sale_charges', schema=None) as batch_op:
        for column in ('sold_at', 'counts_sale_for_kind', 'counts_sale_for_rate'):
            batch_op.alter_column(column, existing_type=sa.DateTime(timezone=True)
                                  if column == 'sold_at' else sa.SmallInteger(),
                                  nullable=False)
        batch_op.create_index('ix_sale_charges_sold_at', ['sold_at'], unique=False)


def _rate_returned_lines() -> None:
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate', sa.BigInteger(), nullable=True))
    op.execute("UPDATE return_lines SET tax_rate = (SELECT l.tax_rate FROM sale_lines l "
               "JOIN returns r ON r.sale_id = l.sale_id WHERE r.id = return_lines.return_id "
               "AND l.line_no = return_lines.line_no)")
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.alter_column('tax_rate', existing_type=sa.BigInteger(), nullable=False)


def _create_stock_documents() -> None:
    op.create_table('reorder_points',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('reorder_point', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_reorder_points_location_id_locations')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_reorder_points_product_id_products')),
    sa.PrimaryKeyConstraint('product_id', 'location_id', name=op.f('pk_reorder_points'))
    )
    op.create_table('goods_receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_goods_receipts_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipts')),
    sa.UniqueConstraint('number', name=op.f('uq_goods_receipts_number'))
    )
    op.create_index('ix_goods_receipts_created_at', 'goods_receipts', ['created_at'], unique=False)
    op.create_table('goods_receipt_lines',
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_goods_receipt_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_goods_receipt_lines_receipt_id_goods_receipts')),
    sa.PrimaryKeyConstraint('receipt_id', 'line_no', name=op.f('pk_goods_receipt_lines'))
    )
    op.create_table('stock_counts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.String(length=100), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_stock_counts_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_counts')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_counts_number'))
    )
    op.create_index('ix_stock_counts_status', 'stock_counts', ['status'], unique=False)
    op.create_table('stock_count_lines',
    sa.Column('count_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('counted', sa.BigInteger(), nullable=False),
    sa.Column('on_hand', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_stock_count_lines_count_id_stock_counts')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_count_lines_product_id_products')),
    sa.PrimaryKeyConstraint('count_id', 'product_id', name=op.f('pk_stock_count_lines'))
    )
    op.create_table('stock_transfers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by', sa.String(length=100), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['from_location_id'], ['locations.id'], name=op.f('fk_stock_transfers_from_location_id_locations')),
    sa.ForeignKeyConstraint(['to_location_id'], ['locations.id'], name=op.f('fk_stock_transfers_to_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_transfers')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_transfers_number'))
    )
    op.create_index('ix_stock_transfers_status', 'stock_transfers', ['status'], unique=False)
    op.create_table('stock_transfer_lines',
    sa.Column('transfer_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_transfer_lines_product_id_products')),
    sa.ForeignKeyConstraint(['transfer_id'], ['stock_transfers.id'], name=op.f('fk_stock_transfer_lines_transfer_id_stock_transfers')),
    sa.PrimaryKeyConstraint('transfer_id', 'line_no', name=op.f('pk_stock_transfer_lines'))
    )
    op.create_index('ix_stock_transfer_lines_product_id', 'stock_transfer_lines', ['product_id'], unique=False)


def downgrade() -> None:
    for table in ('stock_transfer_lines', 'stock_transfers', 'stock_count_lines',
                  'stock_counts', 'goods_receipt_lines', 'goods_receipts', 'reorder_points'):
        op.drop_table(table)
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_entries_document_number')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_movements_product_id_id')
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('channel')
        batch_op.drop_index('ix_returns_created_at')
        batch_op.drop_constraint(batch_op.f('fk_returns_staff_id_staff_members'),
                                 type_='foreignkey')
        batch_op.drop_column('staff_id')
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_column('tax_rate')
    with op.batch_alter_table('sale_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_charges_sold_at')
        batch_op.drop_column('counts_sale_for_rate')
        batch_op.drop_column('counts_sale_for_kind')
        batch_op.drop_column('sold_at')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_lines_sold_at')
        batch_op.drop_column('counts_sale_for_rate')
        batch_op.drop_column('counts_sale_for_sku')
        batch_op.drop_column('sold_at')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_customer_id')
        batch_op.drop_index('ix_sales_sold_at')
        batch_op.drop_constraint(batch_op.f('fk_sales_staff_id_staff_members'),
                                 type_='foreignkey')
        batch_op.drop_column('units')
        batch_op.drop_column('staff_id')
        batch_op.drop_column('sold_at')
