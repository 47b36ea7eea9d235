"""The back office's stock documents: reorder points, goods receipts with their cost,
counting sessions and transfers between locations (with the units in transit).

Each document changes stock only through movements in the ledger (``stock_movements``);
these tables say what the movements were for. Money columns hold integer minor units.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table

from tillflow.db.tables import UUID, Timestamp, metadata
from tillflow.db.types import QUANTITY

# Below or at this figure a product is low at a location.
reorder_points = Table(
    "reorder_points",
    metadata,
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("location_id", ForeignKey("locations.id"), primary_key=True),
    Column("reorder_point", QUANTITY, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

goods_receipts = Table(
    "goods_receipts",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    # The supplier's delivery note or order number, as the receiver typed it.
    Column("reference", String(100)),
    Column("created_at", Timestamp, nullable=False),
    Column("created_by", String(100)),
)
Index("ix_goods_receipts_created_at", goods_receipts.c.created_at)

goods_receipt_lines = Table(
    "goods_receipt_lines",
    metadata,
    Column("receipt_id", ForeignKey("goods_receipts.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("unit_cost", BigInteger, nullable=False),
)

stock_counts = Table(
    "stock_counts",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("location_id", ForeignKey("locations.id"), nullable=False),
    # open → posted | cancelled
    Column("status", String(16), nullable=False),
    Column("note", String(200)),
    Column("opened_at", Timestamp, nullable=False),
    Column("opened_by", String(100)),
    Column("closed_at", Timestamp),
    Column("closed_by", String(100)),
)
Index("ix_stock_counts_status", stock_counts.c.status)

stock_count_lines = Table(
    "stock_count_lines",
    metadata,
    Column("count_id", ForeignKey("stock_counts.id"), primary_key=True),
    Column("product_id", ForeignKey("products.id"), primary_key=True),
    Column("counted", QUANTITY, nullable=False),
    # What the ledger held when the count was posted, and the difference booked.
    Column("on_hand", QUANTITY),
    Column("updated_at", Timestamp, nullable=False),
)

stock_transfers = Table(
    "stock_transfers",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("from_location_id", ForeignKey("locations.id"), nullable=False),
    Column("to_location_id", ForeignKey("locations.id"), nullable=False),
    # sent (in transit) → received | cancelled (back at the source)
    Column("status", String(16), nullable=False),
    Column("note", String(200)),
    Column("sent_at", Timestamp, nullable=False),
    Column("sent_by", String(100)),
    Column("closed_at", Timestamp),
    Column("closed_by", String(100)),
)
Index("ix_stock_transfers_status", stock_transfers.c.status)

stock_transfer_lines = Table(
    "stock_transfer_lines",
    metadata,
    Column("transfer_id", ForeignKey("stock_transfers.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
)
Index("ix_stock_transfer_lines_product_id", stock_transfer_lines.c.product_id)
