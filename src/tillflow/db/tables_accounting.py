"""The accounting area's tables: the journal, the chart, unit costs and ERP postings."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from tillflow.db.tables import Timestamp, metadata
from tillflow.db.types import RATE

# One entry per document: the unique reference is what makes re-handling an event harmless.
journal_entries = Table(
    "journal_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("document_number", String(64), nullable=False, index=True),
    Column("shift_id", String(36), index=True),
    Column("description", String(200), nullable=False),
    Column("occurred_at", Timestamp, nullable=False, index=True),
)

journal_lines = Table(
    "journal_lines",
    metadata,
    Column("entry_id", ForeignKey("journal_entries.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("role", String(60), nullable=False),
    Column("account", String(60), nullable=False),
    Column("debit", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
)

account_mappings = Table(
    "account_mappings",
    metadata,
    Column("role", String(60), primary_key=True),
    Column("account", String(60), nullable=False),
)

# Unit costs where tillflow knows them (pulled from the ERP's cost price): COGS lines.
unit_costs = Table(
    "unit_costs",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("unit_cost", RATE, nullable=False),
    Column("source", String(60), nullable=False),
)

# What must reach each ERP connection, in id order; unique per document so nothing is
# queued (or posted) twice for the same connection.
erp_postings = Table(
    "erp_postings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("connection", String(64), nullable=False),
    Column("reference", String(120), nullable=False),
    Column("entry", JSON, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Timestamp, nullable=False),
    Column("last_error", Text),
    Column("external_id", String(120)),
    Column("created_at", Timestamp, nullable=False),
    Column("posted_at", Timestamp),
)
Index("uq_erp_postings_connection_reference", erp_postings.c.connection,
      erp_postings.c.reference, unique=True)
Index("ix_erp_postings_connection_status", erp_postings.c.connection, erp_postings.c.status,
      erp_postings.c.id)

# ERP records already brought into tillflow (a goods receipt's stock move), so pulling the
# same record again changes nothing; written in the transaction that applies it.
erp_imports = Table(
    "erp_imports",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("external_id", String(120), primary_key=True),
    Column("imported_at", Timestamp, nullable=False),
)

# The OAuth 2.0 tokens of a connection to SaaS books, sealed like its secrets. A refresh
# token is single-use: the worker holding the lease (``lease_owner`` until
# ``lease_until``) is the only one that spends it. ``seed`` is a digest of the refresh
# token the connection's secrets held when the row was made: a new consent (``tillflow
# connect``) replaces the row. ``refused`` is the books' refusal of the refresh token.
oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    Column("connection", String(64), primary_key=True),
    Column("seed", String(64), nullable=False),
    Column("sealed", Text, nullable=False),
    Column("expires_at", Timestamp),
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp),
    Column("refused", Text),
    Column("rotated_at", Timestamp),
)
