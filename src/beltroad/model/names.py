"""Name normalisation shared by the store's name index, importers and (later) the extractors."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_name(name: str) -> str:
    """Case-, accent-, dash- and punctuation-insensitive key: "Bağcılar" and "bagcilar" match."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().replace("ı", "i")
    return _NON_WORD.sub(" ", folded).strip()


_NOT_ID = re.compile(r"[^a-z0-9]+")


def slugify(name: str, fallback: str = "place") -> str:
    """An id fragment of lower-case ASCII letters and digits joined by hyphens (names in other
    scripts give ``fallback``, so callers add a distinguishing suffix such as a GeoNames id)."""
    slug = _NOT_ID.sub("-", normalise_name(name)).strip("-")[:80].strip("-")
    return slug if len(slug) >= 2 else fallback
