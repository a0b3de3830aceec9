"""The curated knowledge base (YAML files with citations) and the code that loads and checks it."""

from __future__ import annotations

from beltroad.data.loader import (
    CURATED_DIR,
    KnowledgeBase,
    Problem,
    check_knowledge_base,
    load_curated_data,
)

__all__ = ["CURATED_DIR", "KnowledgeBase", "Problem", "check_knowledge_base", "load_curated_data"]
