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


def slugify(name: str) -> str:
    """An id fragment: lower-case ASCII-ish words joined by hyphens."""
    return normalise_name(name).replace(" ", "-")[:80].strip("-") or "x"
