"""Receipts sent by email: one row per sale, so a receipt is never mailed twice.

The primary key on ``sale_id`` is what stops a duplicate: a redelivered event finds
the row instead of inserting a second one.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from tillflow.db.tables import UUID, Timestamp, metadata

receipt_emails = Table(
    "receipt_emails",
    metadata,
    Column("sale_id", UUID, primary_key=True),
    Column("recipient", String(320), nullable=False),
    # pending -> sending -> sent; failed (given up); unconfirmed (the process died mid-send)
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("sent_at", Timestamp, nullable=True),
)
