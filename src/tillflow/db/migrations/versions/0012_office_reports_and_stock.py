"""the back office: when each sale was made and by which staff member, for reports

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-06 16:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0008'
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
    # Sales recorded before this revision were made when recorded, as far as anyone knows;
    # a staff member's sales were recorded under their (unique) name at a register.
    op.execute("UPDATE sales SET sold_at = created_at, units = (SELECT COALESCE(SUM("
               "l.quantity), 0) FROM sale_lines l WHERE l.sale_id = sales.id)")
    op.execute("UPDATE sale_lines SET sold_at = (SELECT s.created_at FROM sales s "
               "WHERE s.id = sale_lines.sale_id)")
    op.execute("UPDATE sales SET staff_id = (SELECT s.id FROM staff_members s "
               "WHERE s.name = sales.created_by) WHERE register_id IS NOT NULL")
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.alter_column('sold_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.alter_column('units', existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index('ix_sales_sold_at', ['sold_at'], unique=False)
        batch_op.create_index('ix_sales_customer_id', ['customer_id'], unique=False)
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.alter_column('sold_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.create_index('ix_sale_lines_sold_at', ['sold_at'], unique=False)

    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_returns_staff_id_staff_members'),
                                    'staff_members', ['staff_id'], ['id'])
        batch_op.create_index('ix_returns_created_at', ['created_at'], unique=False)
    op.execute("UPDATE returns SET staff_id = (SELECT s.id FROM staff_members s "
               "WHERE s.name = returns.created_by) WHERE register_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_index('ix_returns_created_at')
        batch_op.drop_constraint(batch_op.f('fk_returns_staff_id_staff_members'),
                                 type_='foreignkey')
        batch_op.drop_column('staff_id')
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_lines_sold_at')
        batch_op.drop_column('sold_at')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_customer_id')
        batch_op.drop_index('ix_sales_sold_at')
        batch_op.drop_constraint(batch_op.f('fk_sales_staff_id_staff_members'),
                                 type_='foreignkey')
        batch_op.drop_column('units')
        batch_op.drop_column('staff_id')
        batch_op.drop_column('sold_at')
