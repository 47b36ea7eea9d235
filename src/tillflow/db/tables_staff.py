"""Staff who sign in at registers, the registers paired with this server, and sessions."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, true

from tillflow.db.tables import Timestamp, metadata

staff_members = Table(
    "staff_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", Timestamp),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", Timestamp, nullable=False),
)

register_pairings = Table(
    "register_pairings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("register_id", ForeignKey("registers.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", Timestamp, nullable=False),
    Column("revoked_at", Timestamp),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("staff_id", ForeignKey("staff_members.id"), nullable=False, index=True),
    Column("register_id", ForeignKey("registers.id"), nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=False),
    Column("ended_at", Timestamp),
)
