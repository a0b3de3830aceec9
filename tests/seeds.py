"""Helpers that read the three seed documents in ../shared/seeds and cut them into the sections and
paragraphs our locators count (see PROVENANCE.md). Used only by tests; skipped without the files."""

from __future__ import annotations

import re
from pathlib import Path

SEED_FILES = {
    "yang-belarus-town": "000_7965a3decb16c223.txt",
    "hou-wang-2015": "001_efbc1677c2c3e073.txt",
    "cbecz-opinion-2018": "002_0b77277d71b3f982.txt",
}
_MID_SENTENCE = re.compile(r"[a-z,]\s*$")


def _blocks(text: str, headings: frozenset[str] = frozenset(), *, join: bool = True) -> list[str]:
    """Blank-line separated blocks; a block that stops mid-sentence (a page break in the PDF the
    text came from) is joined to the next, headings excepted."""
    raw = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    merged: list[str] = []
    for block in raw:
        joinable = (
            join
            and merged
            and _MID_SENTENCE.search(merged[-1])
            and block[:1].isalpha()
            and not block.startswith("##")
            and block not in headings
            and merged[-1] not in headings
        )
        if joinable:
            merged[-1] = merged[-1] + " " + block
        else:
            merged.append(block)
    return merged


def sections_of_yang(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {"Summary": []}
    current: str | None = None
    names = {
        "INTRODUCTION": "Introduction",
        "RESULTS AND DISCUSSION": "Results and discussion",
        "CONCLUSIONS": "Conclusions",
        "REFERENCES": "References",
    }
    for block in _blocks(text):
        if block.startswith("*Summary"):
            sections["Summary"].append(block)
            continue
        if block.startswith("## "):
            current = names.get(block[3:].strip())
            sections[current or block] = []
            continue
        if current and not block.startswith(("Figure ", "Source:")):
            sections[current].append(block)
    return sections


def sections_of_hou_wang(text: str, headings: list[str]) -> dict[str, list[str]]:
    body = text.split("( The opinions expressed here", maxsplit=1)[0]
    blocks = _blocks(body, frozenset(headings), join=False)
    start = next(i for i, b in enumerate(blocks) if b.startswith("By ")) + 1
    sections: dict[str, list[str]] = {"Lead": []}
    current = "Lead"
    for block in blocks[start:]:
        if block in headings:
            current = block
            sections[current] = []
        else:
            sections[current].append(block)
    return sections


def read_seed(seeds_dir: Path, source_id: str) -> str:
    return (seeds_dir / SEED_FILES[source_id]).read_text(encoding="utf-8")
