"""Record versions for optimistic concurrency, when a candidate was decided, and when a token was
last used.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("candidates") as batch:
        batch.add_column(sa.Column("reviewed_at", sa.String(32)))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_used_at", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("last_used_at")
    with op.batch_alter_table("candidates") as batch:
        batch.drop_column("reviewed_at")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("version")
