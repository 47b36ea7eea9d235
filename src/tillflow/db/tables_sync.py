"""Tables of the sync engine: deliveries, the webhook inbox, the external-id map, cursors
and reconciliation reports."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tillflow.db.tables import metadata
from tillflow.db.types import UtcDateTime

Timestamp = UtcDateTime()

# One row per change to push to one connection. ``key`` orders the work: rows with the
# same key run one after another, rows with other keys never wait for them.
sync_deliveries = Table(
    "sync_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("key", String(200), nullable=False),
    Column("event_seq", BigInteger, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Timestamp, nullable=False),
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp),
    Column("last_error", Text),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    UniqueConstraint("connection", "event_seq", "key", name="uq_sync_deliveries_origin"),
)
Index("ix_sync_deliveries_due", sync_deliveries.c.status, sync_deliveries.c.next_attempt_at)
Index("ix_sync_deliveries_key", sync_deliveries.c.connection, sync_deliveries.c.key,
      sync_deliveries.c.status)

# Webhooks as received: stored before they are answered, applied by a worker.
sync_inbox = Table(
    "sync_inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", String(64), nullable=False),
    Column("delivery_id", String(200), nullable=False),
    Column("topic", String(100), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("external_id", String(255)),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Timestamp, nullable=False),
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp),
    Column("last_error", Text),
    Column("received_at", Timestamp, nullable=False),
    Column("applied_at", Timestamp),
    # SHA-256 of the topic and the signed body: a body replayed under a new delivery id
    # (Shopify's event id is a header, outside the signature) is the same delivery.
    Column("body_digest", String(64)),
    UniqueConstraint("connection", "delivery_id", name="uq_sync_inbox_delivery"),
    UniqueConstraint("connection", "body_digest", name="uq_sync_inbox_body"),
)
Index("ix_sync_inbox_due", sync_inbox.c.status, sync_inbox.c.next_attempt_at)

# (connection, kind, local id) <-> platform id; ``version`` is the platform's updated_at
# of the last applied copy, so an older copy arriving later is ignored.
sync_external_ids = Table(
    "sync_external_ids",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("local_id", String(100), primary_key=True),
    Column("external_id", String(255), nullable=False),
    Column("version", String(64)),
    Column("data", JSON, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    UniqueConstraint("connection", "kind", "external_id", name="uq_sync_external_ids_external"),
)

sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("value", String(255), nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

sync_reconciliations = Table(
    "sync_reconciliations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", String(64), nullable=False, index=True),
    Column("scope", String(16), nullable=False),
    Column("started_at", Timestamp, nullable=False),
    Column("finished_at", Timestamp),
    Column("checked", Integer, nullable=False),
    Column("drift_count", Integer, nullable=False),
    Column("items", JSON, nullable=False),
    Column("error", Text),
)
