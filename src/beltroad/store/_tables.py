"""The relational schema.

Each record keeps its full validated form as JSON (``data``) beside typed columns for what is
filtered, sorted, joined or searched: kind, sub-kind, name, dates, point, countries, links and
citations. The JSON is what ``show`` and the API return; the columns are what queries use. Alembic
migrations (``store/migrations``) create this schema; a test checks they stay in step.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    column,
    table,
)

metadata = MetaData()

#: SQLite's FTS5 table (made by the migration, not by this metadata; PostgreSQL has a tsvector column)
record_search = table("record_search", column("id"), column("name"), column("body"))

sources = Table(
    "sources",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("published", String(10)),
    Column("origin", String(200), nullable=False),
    Column("data", JSON, nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("subkind", String(40)),
    Column("name", Text, nullable=False),
    Column("status", String(30)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(5)),
    Column("lon", Float),
    Column("lat", Float),
    Column("search_text", Text, nullable=False, default=""),
    Column("origin", String(200), nullable=False),
    Column("retired", Boolean, nullable=False, default=False),
    Column("data", JSON, nullable=False),
    #: bumped by every edit of the record: the ETag that If-Match compares
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    Index("ix_records_kind_name", "kind", "name"),
    Index("ix_records_origin", "origin"),
    Index("ix_records_date_start", "date_start"),
)

record_countries = Table(
    "record_countries",
    metadata,
    Column("record_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("country", String(3), primary_key=True),
    Index("ix_record_countries_country", "country"),
)

record_links = Table(
    "record_links",
    metadata,
    Column("src_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("rel", String(40), primary_key=True),
    Column("dst_id", String(120), primary_key=True),
    Index("ix_record_links_dst", "dst_id", "rel"),
)

citations = Table(
    "citations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(80), nullable=False),
    Column("source_id", String(120), ForeignKey("sources.id"), nullable=False),
    Column("locator", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_citations_record", "record_id"),
    Index("ix_citations_source", "source_id"),
)

observations = Table(
    "observations",
    metadata,
    Column("record_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("measure", String(60), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("bound", String(20), nullable=False),
    Column("qualifier", String(20), nullable=False),
    Column("side", String(3)),
    Column("period_start", String(10)),
    Column("period_end", String(10)),
    Index("ix_observations_measure", "measure"),
)

record_names = Table(
    "record_names",
    metadata,
    Column("record_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("norm", String(200), primary_key=True),
    Index("ix_record_names_norm", "norm"),
)

#: controlled-vocabulary values a record carries (its fields of cooperation), for filtering
record_facets = Table(
    "record_facets",
    metadata,
    Column("record_id", String(120), ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("facet", String(30), primary_key=True),
    Column("value", String(60), primary_key=True),
    Index("ix_record_facets_value", "facet", "value"),
)

#: one row, ``version``, bumped by every write: read endpoints derive their ETags from it
store_state = Table(
    "store_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("last_used_at", String(32)),
)

#: every change to a record: who, when, what before and after, and the source it rests on
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(120), nullable=False),
    Column("user_name", String(120), nullable=False),
    Column("at", String(32), nullable=False),
    Column("action", String(20), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("citation", JSON, nullable=False),
    Column("note", Text),
    Index("ix_audit_record", "record_id", "id"),
)

#: candidate facts extracted from an ingested document, waiting for a person to accept or reject
candidates = Table(
    "candidates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(120), ForeignKey("sources.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("reviewed_by", String(120)),
    Column("reviewed_at", String(32)),
    Column("record_id", String(120)),
    Index("ix_candidates_status", "status", "source_id"),
)
