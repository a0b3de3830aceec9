"""Creating, loading and checking a store: what ``beltroad db init`` and ``serve`` do first."""

from __future__ import annotations

from sqlalchemy import Engine

from beltroad.data import KnowledgeBase, load_curated_data
from beltroad.errors import StoreError
from beltroad.store.engine import migrate, schema_is_current
from beltroad.store.locking import writing
from beltroad.store.writer import CURATED_ORIGIN, upsert_sources, write_records


def load_knowledge_base(engine: Engine, kb: KnowledgeBase | None = None) -> int:
    """Replace the curated records in the store with ``kb`` (default: the packaged curated data),
    in one transaction. Returns the number of records written."""
    kb = kb or load_curated_data()
    with writing(engine) as conn:
        upsert_sources(conn, kb.sources.values(), CURATED_ORIGIN)
        # records an editor has changed or retired keep their edited form (see write_records)
        return write_records(conn, kb.records.values(), CURATED_ORIGIN, kb.records.get)


def ensure_store(engine: Engine) -> bool:
    """Migrate and load the curated data if the store is new; True when it had to initialise."""
    if schema_is_current(engine):
        return False
    migrate(engine)
    load_knowledge_base(engine)
    return True


def require_store(engine: Engine) -> None:
    """Raise a helpful error when the database has not been initialised."""
    if not schema_is_current(engine):
        msg = (
            f"the database at {engine.url.render_as_string(hide_password=True)} is not initialised "
            "or is out of date; run `beltroad db init`"
        )
        raise StoreError(msg)
