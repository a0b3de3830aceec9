"""Facets for filtering, the store version for ETags, editors and the audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_facets",
        sa.Column(
            "record_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("facet", sa.String(30), primary_key=True),
        sa.Column("value", sa.String(60), primary_key=True),
    )
    op.create_index("ix_record_facets_value", "record_facets", ["facet", "value"])
    op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO store_state (key, value) VALUES ('version', 1)")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(120), nullable=False),
        sa.Column("user_name", sa.String(120), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("citation", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_audit_record", "audit", ["record_id", "id"])
    # records written before this revision get their facets on the next `beltroad db init`


def downgrade() -> None:
    op.drop_index("ix_audit_record", "audit")
    op.drop_table("audit")
    op.drop_table("users")
    op.drop_table("store_state")
    op.drop_index("ix_record_facets_value", "record_facets")
    op.drop_table("record_facets")
