"""Chinese and Russian extraction: precision and recall on our development and held-out texts,
and throughput on one core beside the English path on the same characters.

Run: .venv/bin/python benchmarks/extract_multilingual.py [--repeat 200]
Gold: tests/data/multilingual/*.yaml (each held-out text was written and annotated before the
extractor for its language first ran; its first-look scores are reported in BENCHMARKS.md once).
No stock baseline: spaCy's Chinese and Russian pipelines are published on GitHub, not on the
package registries this project installs from, so none is compared here.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from beltroad.ingest import evaluate, extract
from beltroad.store import engine_from_url, load_knowledge_base, migrate

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "multilingual"
KINDS = ("place", "date", "quantity", "relation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="passes over the texts for throughput")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine_from_url(f"sqlite:///{tmp}/bench.sqlite")
        migrate(engine)
        load_knowledge_base(engine)
        with engine.connect() as conn:
            print("| text | " + " | ".join(KINDS) + " |")
            print("| --- |" + " --- |" * len(KINDS))
            texts: dict[str, str] = {}
            for gold in sorted(GOLD.glob("*.yaml")):
                text = gold.with_suffix(".txt").read_text(encoding="utf-8")
                texts[gold.stem] = text
                scores: Mapping[str, Any] = evaluate(gold, text, conn)
                cells = [
                    f"P {s['precision']} R {s['recall']} ({s['matched']}/{s['gold']})"
                    for s in (scores[k] for k in KINDS)
                ]
                print(f"| {gold.stem} | " + " | ".join(cells) + " |")
            extract(next(iter(texts.values())), conn)  # dictionaries built once, outside the timing
            for language in ("zh", "ru"):
                chosen = [t for name, t in texts.items() if f"-{language}-" in name]
                size = sum(len(t.encode("utf-8")) for t in chosen) * args.repeat
                start = time.perf_counter()
                for _ in range(args.repeat):
                    for text in chosen:
                        extract(text, conn)
                seconds = time.perf_counter() - start
                print(f"{language}: {size / 1024 / seconds:.0f} KB/s on one core ({size / 1024:.0f} KB in {seconds:.2f} s)")


if __name__ == "__main__":
    main()
