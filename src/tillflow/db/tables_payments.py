"""Card payments, their refunds and the terminal each register uses. Money in minor units.

No card data is ever stored: ``source`` holds a gateway token (``pm_...``), ``terminal``
a reader or POI id, ``gateway_ref`` the gateway's payment id.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from tillflow.db.tables import UUID, Timestamp, metadata

payments = Table(
    "payments",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("connection", String(64), nullable=False),
    # Which tender of which sale request this pays; a new attempt after a decline
    # gets the next number, so one tender is never paid twice at once.
    Column("claim", String(64), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("idempotency_key", String(80), nullable=False, unique=True),
    Column("gateway_ref", String(255), unique=True),
    Column("source", String(255)),
    Column("terminal", String(64)),
    Column("currency", String(3), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("captured", BigInteger, nullable=False),
    Column("refunded", BigInteger, nullable=False),
    Column("status", String(24), nullable=False),
    Column("decline_code", String(64)),
    Column("capture", String(10), nullable=False),
    Column("sale_id", ForeignKey("sales.id"), index=True),
    Column("register", String(32)),
    Column("shift_id", UUID),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("created_by", String(100)),
    # What the gateway kept of the payment, once it reported it (set once).
    Column("fee", BigInteger),
    UniqueConstraint("claim", "attempt", name="uq_payments_claim_attempt"),
    Index("ix_payments_status_updated_at", "status", "updated_at"),
)

payment_refunds = Table(
    "payment_refunds",
    metadata,
    Column("id", UUID, primary_key=True),
    Column("payment_id", ForeignKey("payments.id"), nullable=False, index=True),
    Column("return_id", UUID),
    Column("amount", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("idempotency_key", String(80), nullable=False, unique=True),
    Column("gateway_ref", String(255)),
    Column("approved_by", String(100)),
    Column("created_at", Timestamp, nullable=False),
    Column("created_by", String(100)),
)

register_terminals = Table(
    "register_terminals",
    metadata,
    Column("register_id", ForeignKey("registers.id"), primary_key=True),
    Column("connection", String(64), nullable=False),
    Column("terminal", String(64), nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

# Deliveries already taken, by the gateway's event id: a repeated delivery is ignored.
payment_webhooks = Table(
    "payment_webhooks",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("reference", String(255)),
    Column("received_at", Timestamp, nullable=False),
)
