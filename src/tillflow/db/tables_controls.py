"""The till's controls: the audit trail, failed-credential counters, the prices each
register last synced and the price discrepancies of sales made offline."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from tillflow.db.tables import UUID, Timestamp, metadata
from tillflow.db.types import QUANTITY

# Append-only and hash-chained: each record's hash covers its canonical content and the
# hash of the record before it (``domain.audit``). Rows are only ever inserted.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=False),
    Column("occurred_at", Timestamp, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("act", String(64), nullable=False),
    Column("subject", String(255)),
    # The canonical JSON the hash covers; the columns above repeat it for queries.
    Column("content", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row: the chain's last record. Appending locks it, so concurrent writers form one
# chain; it also tells a deleted tail from a short chain.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

# Failed token and PIN checks per client address or staff member, in fixed windows,
# counted in the database so that every API process sees the same figures.
auth_failures = Table(
    "auth_failures",
    metadata,
    Column("subject", String(200), primary_key=True),
    Column("window_start", Timestamp, nullable=False),
    Column("failures", Integer, nullable=False),
)

# The price of each product as a register last read it from the catalog: what it sells
# at while offline, so an offline sale is priced as the register priced it.
register_prices = Table(
    "register_prices",
    metadata,
    Column("register_id", ForeignKey("registers.id"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("price", BigInteger, nullable=False),
    Column("synced_at", Timestamp, nullable=False),
)

# An offline sale priced from the register's synced catalog when the catalog's price had
# changed meanwhile: recorded for a person to look at, never refused.
price_discrepancies = Table(
    "price_discrepancies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sale_id", UUID, ForeignKey("sales.id"), nullable=False, index=True),
    Column("product_id", ForeignKey("products.id"), nullable=False),
    Column("register_id", ForeignKey("registers.id"), nullable=False),
    Column("synced_price", BigInteger, nullable=False),
    Column("catalog_price", BigInteger, nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("synced_at", Timestamp, nullable=False),
    Column("created_at", Timestamp, nullable=False),
)
