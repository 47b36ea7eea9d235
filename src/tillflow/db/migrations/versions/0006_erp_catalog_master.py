"""the ERP that masters the catalog: at most one connection; existing ERP connections say who

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14 10:00:00.000000

Before this revision an ERP connection's products came in by its ``products-in`` poll and
went out only by a full push run by hand. Each existing Tryton or Odoo connection gets the
``catalog`` setting that keeps it so: ``erp`` for the oldest one that polls products-in
(``poll`` absent or naming it, and ``poll_seconds`` not 0), ``tillflow`` for the others,
whose products-in poll then brings cost prices only. Only one connection may master the
catalog, so a second one polling products-in becomes ``tillflow`` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported: a revision never reads application code that changes.
ERP_PLATFORMS = ("tryton", "odoo")
POLLED_BEFORE = ["receipts", "products-in"]
DEFAULT_POLL_SECONDS = 60

connections = sa.table(
    "connections",
    sa.column("name", sa.String), sa.column("platform", sa.String),
    sa.column("settings", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("catalog_master", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table('connections') as batch_op:
        batch_op.add_column(sa.Column('catalog_master', sa.Boolean(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_connections_catalog_master'),
                                          ['catalog_master'])
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(connections.c.name, connections.c.settings)
        .where(connections.c.platform.in_(ERP_PLATFORMS))
        .order_by(connections.c.created_at, connections.c.name)
    ).all()
    master_found = False
    for name, settings in rows:
        masters = not master_found and _polls_products(settings)
        master_found = master_found or masters
        bind.execute(sa.update(connections).where(connections.c.name == name).values(
            settings={**settings, "catalog": "erp" if masters else "tillflow"},
            catalog_master=True if masters else None))


def _polls_products(settings: dict[str, Any]) -> bool:
    return ("products-in" in settings.get("poll", POLLED_BEFORE)
            and settings.get("poll_seconds", DEFAULT_POLL_SECONDS) != 0)


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(connections.c.name, connections.c.settings)
                        .where(connections.c.platform.in_(ERP_PLATFORMS))).all()
    for name, settings in rows:
        kept = {key: value for key, value in settings.items() if key != "catalog"}
        bind.execute(sa.update(connections).where(connections.c.name == name)
                     .values(settings=kept))
    with op.batch_alter_table('connections') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_connections_catalog_master'), type_='unique')
        batch_op.drop_column('catalog_master')
