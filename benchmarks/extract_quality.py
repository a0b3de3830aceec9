"""Extraction: precision and recall against our gold annotation, and throughput on one core.

Run: .venv/bin/python benchmarks/extract_quality.py
Gold: tests/data/gold/*.yaml (our annotation of the source documents; see each file's header).
Throughput: the three source documents extracted 20 times over, with the knowledge base's places,
in KB of text per second, one process (spaCy's blank English pipeline is single-threaded here).
The issue's baseline, spaCy's stock NER, needs the en_core_web_sm model, which is not published on
the package registries by its authors; it is not run.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from beltroad.ingest.evaluate import evaluate
from beltroad.ingest.extract import extract
from beltroad.ingest.readers import read_document
from beltroad.store import engine_from_url, load_knowledge_base, migrate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "data" / "gold"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine_from_url(f"sqlite:///{tmp}/kb.sqlite")
        migrate(engine)
        load_knowledge_base(engine)
        with engine.connect() as conn:
            for gold in sorted(GOLD.glob("*.yaml")):
                import yaml

                document = read_document(SEEDS.parent / yaml.safe_load(gold.read_text())["document"])
                scores = evaluate(gold, document.text, conn)
                print(gold.name)
                for kind in ("place", "date", "quantity"):
                    s = scores[kind]
                    print(
                        f"  {kind:9} gold {s['gold']:3} extracted {s['extracted']:3} matched {s['matched']:3} "
                        f"precision {s['precision']} recall {s['recall']}"
                    )
                    print(
                        f"            missed {json.dumps(s['missed'])}; spurious {json.dumps(s['spurious'])}"
                    )
            texts = [read_document(p).text for p in sorted(SEEDS.glob("*.txt"))]
            extract(texts[0], conn)  # warm: builds the matcher and loads the gazetteer
            size = sum(len(t.encode()) for t in texts) * 20
            start = time.perf_counter()
            for _ in range(20):
                for text in texts:
                    extract(text, conn)
            elapsed = time.perf_counter() - start
        print(
            f"throughput: {size / 1024 / elapsed:.1f} KB/s ({size / 1024:.0f} KB in {elapsed:.1f} s, one core)"
        )


if __name__ == "__main__":
    main()
