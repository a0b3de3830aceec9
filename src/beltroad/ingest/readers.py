"""Read a document's text with the character offsets the extractor's spans refer to.

Plain text and Markdown are read as they are (offsets are into the file's text). HTML loses its
tags, with line breaks where blocks end; PDF gives its text layer page by page, and the pages are
recorded so a span can be located as "page N". Every refusal is one line naming the file and
the reason: empty, binary, not UTF-8, too large, encrypted, truncated, or a scan without text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from beltroad.errors import ImportFailed

#: files larger than this are refused unless the caller allows more
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
KINDS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "title",
    "td",
    "th",
}


@dataclass
class Document:
    path: Path
    kind: str
    text: str
    sha256: str
    #: (page number, start offset, end offset) for PDFs
    pages: list[tuple[int, int, int]] = field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _fail(path: Path, reason: str) -> ImportFailed:
    return ImportFailed(f"{path}: {reason}")


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise _fail(path, "a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text (byte {exc.start}); convert it to UTF-8 first") from exc


def _pdf(path: Path, raw: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise _fail(path, "an encrypted PDF; remove the password first")
        parts, pages, offset = [], [], 0
        for number, page in enumerate(reader.pages, 1):
            text = (page.extract_text() or "").strip()
            pages.append((number, offset, offset + len(text)))
            parts.append(text)
            offset += len(text) + 2
    except ImportFailed:
        raise
    except LimitReachedError as exc:
        # pypdf stops a stream that inflates past its limit (75 MB): a decompression bomb, or a
        # document no reader of ours needs
        raise _fail(
            path, "a PDF whose streams inflate past pypdf's safety limit (a decompression bomb?)"
        ) from exc
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise _fail(path, f"a damaged or truncated PDF ({str(exc).splitlines()[0]})") from exc
    text = "\n\n".join(parts)
    if not text.strip():
        raise _fail(path, "a PDF without a text layer (a scan?); run OCR on it first")
    return text, pages


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The document's text, kind and content hash; refuses what cannot be read as text."""
    if not path.is_file():
        raise _fail(path, "no such file")
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise _fail(path, f"unknown kind of document; give one of {', '.join(sorted(KINDS))}")
    size = path.stat().st_size
    if size > max_bytes:
        raise _fail(path, f"{size:,} bytes, over the limit of {max_bytes:,}")
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(path, "an empty file")
    digest = hashlib.sha256(raw).hexdigest()
    if kind == "pdf":
        if not raw.startswith(b"%PDF"):
            raise _fail(path, "not a PDF (no %PDF header)")
        text, pages = _pdf(path, raw)
        return Document(path, kind, text, digest, pages)
    text = _decode(path, raw)
    if kind == "html":
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    if not text.strip():
        raise _fail(path, "no text in it")
    return Document(path, kind, text, digest)
