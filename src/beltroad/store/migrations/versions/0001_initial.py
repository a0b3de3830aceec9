"""The initial schema: sources, records with countries, links, citations, observations, names, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published", sa.String(10)),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subkind", sa.String(40)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("status", sa.String(30)),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_records_kind_name", "records", ["kind", "name"])
    op.create_index("ix_records_origin", "records", ["origin"])
    op.create_index("ix_records_date_start", "records", ["date_start"])
    op.create_table(
        "record_countries",
        sa.Column(
            "record_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("country", sa.String(3), primary_key=True),
    )
    op.create_index("ix_record_countries_country", "record_countries", ["country"])
    op.create_table(
        "record_links",
        sa.Column(
            "src_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("rel", sa.String(40), primary_key=True),
        sa.Column("dst_id", sa.String(120), primary_key=True),
    )
    op.create_index("ix_record_links_dst", "record_links", ["dst_id", "rel"])
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "record_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("path", sa.String(80), nullable=False),
        sa.Column("source_id", sa.String(120), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_citations_record", "citations", ["record_id"])
    op.create_index("ix_citations_source", "citations", ["source_id"])
    op.create_table(
        "observations",
        sa.Column(
            "record_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("measure", sa.String(60), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("bound", sa.String(20), nullable=False),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("side", sa.String(3)),
        sa.Column("period_start", sa.String(10)),
        sa.Column("period_end", sa.String(10)),
    )
    op.create_index("ix_observations_measure", "observations", ["measure"])
    op.create_table(
        "record_names",
        sa.Column(
            "record_id", sa.String(120), sa.ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("norm", sa.String(200), primary_key=True),
    )
    op.create_index("ix_record_names_norm", "record_names", ["norm"])

    # full-text search: an FTS5 table kept in step by the writer on SQLite, a generated tsvector
    # column with a GIN index on PostgreSQL
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE record_search USING fts5("
            "id UNINDEXED, name, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE records ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(name, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(search_text, '')), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_records_search ON records USING gin (search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS record_search")
    for table in (
        "record_names",
        "observations",
        "citations",
        "record_links",
        "record_countries",
        "records",
        "sources",
    ):
        op.drop_table(table)
