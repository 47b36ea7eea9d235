"""The register's own server-side state: sales parked there to be resumed there, and the
products it shows as buttons."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from tillflow.db.tables import UUID, Timestamp, metadata

# A cart put aside (the customer fetches their wallet); its lines are re-priced when the
# sale is resumed and sent, so the stored cart holds what the cashier chose, not totals.
parked_sales = Table(
    "parked_sales",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("register_id", ForeignKey("registers.id"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("cart", Text, nullable=False),
    Column("parked_by", String(100), nullable=False),
    Column("parked_at", Timestamp, nullable=False),
)
Index("ix_parked_sales_register_id", parked_sales.c.register_id, parked_sales.c.parked_at)

# The products a register shows as buttons on its selling screen, in order.
register_favourites = Table(
    "register_favourites",
    metadata,
    Column("register_id", ForeignKey("registers.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("product_id", ForeignKey("products.id"), nullable=False),
)
