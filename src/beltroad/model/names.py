"""Name normalisation shared by the store's name index, importers and (later) the extractors."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """Every combining mark, for ``str.translate`` to drop at C speed (the gazetteer keys a
    million names when it loads)."""
    return {cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}


def fold_accents(name: str) -> str:
    """The name without its accents, case kept: "Ürümqi" → "Urumqi" (letters with no decomposition,
    as "ı", stay)."""
    return name if name.isascii() else unicodedata.normalize("NFKD", name).translate(_combining())


def normalise_name(name: str) -> str:
    """Case-, accent-, dash- and punctuation-insensitive key: "Bağcılar" and "bagcilar" match."""
    # an ASCII name has nothing to decompose, and casefold is lower for ASCII
    folded = name.lower() if name.isascii() else fold_accents(name).casefold().replace("ı", "i")
    return _NON_WORD.sub(" ", folded).strip()


_NOT_ID = re.compile(r"[^a-z0-9]+")


def slugify(name: str, fallback: str = "place") -> str:
    """An id fragment of lower-case ASCII letters and digits joined by hyphens (names in other
    scripts give ``fallback``, so callers add a distinguishing suffix such as a GeoNames id)."""
    slug = _NOT_ID.sub("-", normalise_name(name)).strip("-")[:80].strip("-")
    return slug if len(slug) >= 2 else fallback


# Russian Cyrillic to Latin after the BGN/PCGN 1947 system (the one English-language maps and
# GeoNames' English names follow: Хоргос → Khorgos, Хуньчунь → Khun'chun'), soft and hard signs
# dropped so the result meets the Latin names the knowledge base holds
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "қ": "q", "ғ": "gh", "ң": "ng", "ү": "u", "ұ": "u", "ө": "o", "ә": "a",
        "һ": "h", "і": "i", "ў": "u", "ї": "yi", "є": "ye",
    }
)  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def romanise_cyrillic(text: str) -> str | None:
    """``text`` in Latin letters when it holds Cyrillic (lower-cased), else None: a search for
    Хоргос then also looks for "khorgos", a name the knowledge base holds."""
    if not _CYRILLIC.search(text):
        return None
    return text.casefold().translate(_CYRILLIC_TO_LATIN)


_STEMMERS = {"english": snowballstemmer.stemmer("english"), "russian": snowballstemmer.stemmer("russian")}
#: Snowball stemmers keep their state on the object, so calls from request threads take turns
_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (Russian for Cyrillic, English otherwise; words of
    other scripts and of under three letters unchanged), so "connectivities" and "connectivity"
    share "connect" in the search index (Porter 1980, in its Snowball form)."""
    if len(word) < 3 or not word.isalpha():
        return word
    if _CYRILLIC.search(word):
        language = "russian"
    elif word.isascii():
        language = "english"
    else:
        return word
    with _STEM_LOCK:
        return str(_STEMMERS[language].stemWord(word))
