"""one history: the areas that branched from 0003 join here

Revision ID: 0004
Revises: accounting_0001, payments_0001, receipts_0001, staff_0002, sync_0001
Create Date: 2026-12-06 13:05:49.866631
"""

from __future__ import annotations

from collections.abc import Sequence

# Databases created before this revision carry one alembic_version row per branch; upgrading
# through it leaves the single row that every later revision builds on.
revision: str = '0004'
down_revision: str | Sequence[str] | None = ('accounting_0001', 'payments_0001', 'receipts_0001',
                                             'staff_0002', 'sync_0001')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
