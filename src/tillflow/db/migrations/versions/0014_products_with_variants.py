"""products with variants, categories and a finer unit cost

Every existing product becomes a product of its own (same id, same name, no options) with
its one variant, the SKU row it was. The cost moves from the currency's minor units to
four decimal places.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 20:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COST_PLACES = 4
# ISO 4217 minor units other than 2 (as the store's currency was read when this was written).
_EXPONENTS = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0,
    "TND": 3, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}


def _cost_scale() -> int:
    """How many steps of the new cost column one minor unit of the store's currency is."""
    currency = op.get_bind().execute(sa.text(
        "SELECT value FROM store_settings WHERE key = 'currency'")).scalar_one_or_none()
    return int(10 ** (COST_PLACES - _EXPONENTS.get(str(currency or "").strip().upper(), 2)))


def upgrade() -> None:
    op.create_table('product_groups',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=255), nullable=True),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_groups'))
    )
    with op.batch_alter_table('product_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_groups_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_groups_name'), ['name'], unique=False)

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('option_values', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('unit_cost', sa.BigInteger(), nullable=True))

    # Each product's group takes the product's id, so no mapping is needed.
    op.execute("INSERT INTO product_groups (id, name, category, options, version, created_at, "
               "updated_at) SELECT id, name, NULL, '[]', 1, created_at, updated_at FROM products")
    op.execute(f"UPDATE products SET group_id = id, option_values = '[]', "
               f"unit_cost = cost * {_cost_scale()}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('product_groups', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM product_groups), 0) + 1, false)")

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.alter_column('group_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('option_values', existing_type=sa.JSON(), nullable=False)
        batch_op.create_index(batch_op.f('ix_products_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_products_group_id_product_groups'),
                                    'product_groups', ['group_id'], ['id'])
        batch_op.drop_column('cost')


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost', sa.BigInteger(), nullable=True))
    scale = _cost_scale()
    # Rounded half up to the minor unit, as money is everywhere.
    op.execute(f"UPDATE products SET cost = (unit_cost + {scale // 2}) / {scale}")
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_products_group_id_product_groups'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_products_group_id'))
        batch_op.drop_column('unit_cost')
        batch_op.drop_column('option_values')
        batch_op.drop_column('group_id')
    with op.batch_alter_table('product_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_groups_name'))
        batch_op.drop_index(batch_op.f('ix_product_groups_category'))
    op.drop_table('product_groups')
