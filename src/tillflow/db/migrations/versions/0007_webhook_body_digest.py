"""webhooks deduplicated by the digest of their signed body too

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sync_inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_digest', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_sync_inbox_body', ['connection', 'body_digest'])


def downgrade() -> None:
    with op.batch_alter_table('sync_inbox', schema=None) as batch_op:
        batch_op.drop_constraint('uq_sync_inbox_body', type_='unique')
        batch_op.drop_column('body_digest')
