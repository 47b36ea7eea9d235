"""What web orders add to sales and returns: the shop's shipping and fees (charges) and
the money that came in later for an order paid on delivery or by transfer
(settlements). Money columns hold integer minor units."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
)

from tillflow.db.tables import Timestamp, metadata
from tillflow.db.types import RATE

sale_charges = Table(
    "sale_charges",
    metadata,
    Column("sale_id", ForeignKey("sales.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
    # The sale's sold_at, so reports find a period's charges without reading its sales.
    Column("sold_at", Timestamp, nullable=False),
    # 1 on the sale's first charge of its kind, and on a charge at a tax rate none of the
    # sale's lines or earlier charges has, else 0: summed, they count each sale once.
    Column("counts_sale_for_kind", SmallInteger, nullable=False),
    Column("counts_sale_for_rate", SmallInteger, nullable=False),
)
Index("ix_sale_charges_sold_at", sale_charges.c.sold_at)

return_charges = Table(
    "return_charges",
    metadata,
    Column("return_id", ForeignKey("returns.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("net", BigInteger, nullable=False),
    Column("tax", BigInteger, nullable=False),
)

sale_settlements = Table(
    "sale_settlements",
    metadata,
    Column("sale_id", ForeignKey("sales.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("method", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reference", String(100)),
    Column("settled_at", Timestamp, nullable=False),
)
