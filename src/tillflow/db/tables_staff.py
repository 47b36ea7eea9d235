"""Staff who sign in at registers, the registers paired with this server, sessions and
manager approvals; back-office passwords and sessions."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, true

from tillflow.db.tables import Timestamp, api_tokens, metadata

staff_members = Table(
    "staff_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("pin_hash", String(200), nullable=False),
    # The back office's password, apart from the PIN; none until one is set.
    Column("password_hash", String(200)),
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
    # Why it ended before expiring: "signed_out", or "unpaired" (the register's pairing
    # was revoked), so the register is told to pair again rather than to sign in.
    Column("ended_reason", String(16)),
)

# A manager's approval given by PIN at a register: single-use, short-lived, and bound to
# the sale that uses it (by its Idempotency-Key), so a replay of that sale still passes.
staff_approvals = Table(
    "staff_approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    # The acts it approves, comma-separated ("discount,price"): one approval covers all
    # that one sale needs.
    Column("action", String(100), nullable=False),
    Column("approved_by", String(100), nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("register_id", ForeignKey("registers.id")),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=False),
    Column("used_at", Timestamp),
    Column("used_key", String(255)),
)

# A browser signed in to the back office, by a member's password or an API token. The
# cookie holds the secret; only its hash is here. Role and access are read again from the
# member or token on every request, so a deactivation or revocation ends it at once.
office_sessions = Table(
    "office_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("staff_id", ForeignKey("staff_members.id"), index=True),
    Column("api_token_id", ForeignKey(api_tokens.c.id), index=True),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=False),
    Column("ended_at", Timestamp),
    # "signed_out", "deactivated", "password_set" or "pin_reset".
    Column("ended_reason", String(16)),
    CheckConstraint("(staff_id IS NULL) <> (api_token_id IS NULL)", name="one_holder"),
)
