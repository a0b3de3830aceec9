"""Suggested partnerships and agreements: a trained classifier's second opinion beside the rules.

The relation rules (``relations.py``) are precise but meet each new text with a new way of stating
a tie, so at first sight of unseen prose they find about half of its partnerships and agreements
(BENCHMARKS.md, "Choosing the relation method"). A bag-of-n-grams classifier trained on our
annotated texts finds others, at a precision no reviewer should accept without reading. So its
pairs are *suggestions*: relation candidates like the rules' but flagged ``suggested`` (method and
score), queued for review beside them and never proposed where the rules already found the pair.

The classifier is spaCy's ``textcat_multilabel`` (labels ``partnership`` and ``agreement``) over
each pair of distinct places of a sentence that names a friendship tie or an agreement, the pair
marked in the text (``PLACEA`` … ``PLACEB``, other places ``PLACE``, dates ``DATE``) so that what it
learns is the wording between and around the two, not the names. Its weights ship in
``models/relations`` (trained by ``benchmarks/relation_methods.py --save`` on the source documents
and the English held-out batches; the benchmark's chronological protocol is how its first-look
figures are measured).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from beltroad.ingest.relations import (
    AGREEMENT_TERM,
    PARTNER_TERM,
    anniversary_start,
    dateline_of,
    relative_date,
    statement_cuts,
)

MODEL_DIR = Path(__file__).with_name("models") / "relations"
#: the labels, each the ``relation`` of the candidate it suggests
KINDS = ("partnership", "agreement")
#: the fact each label's candidate states (as the rules' candidates do)
FACTS = {"partnership": "established", "agreement": "signed"}
#: a pair is suggested at this score or above (the benchmark's operating point)
THRESHOLD = 0.5
#: spaCy's bag of n-grams up to trigrams, labels not exclusive: a sentence may state both
BOW = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": False,
    "ngram_size": 3,
    "no_output_layer": False,
}


def place_name(name: str) -> str:
    """A place's name as pairs are keyed: Xi’an in GeoNames is Xi'an in most prose."""
    return name.replace("’", "'")


@dataclass(frozen=True)
class Pair:
    """Two distinct places of one sentence that may be partners, with the sentence marked for them.

    ``names`` are in reading order; ``mentions`` are their first place candidates in the sentence;
    ``date`` is the date candidate nearest to them in the sentence, else the dateline's.
    """

    names: tuple[str, str]
    mentions: tuple[dict[str, Any], dict[str, Any]]
    sentence: tuple[int, int]
    marked: str
    date: dict[str, Any] | None

    @property
    def key(self) -> frozenset[str]:
        return frozenset(self.names)


def _marked(text: str, sentence: tuple[int, int], places: list[dict[str, Any]],
            dates: list[dict[str, Any]], pair: tuple[str, str]) -> str:
    (start, end), (a, b) = sentence, pair
    spans = [
        (p["start"], p["end"],
         "PLACEA" if place_name(p["name"]) == a else "PLACEB" if place_name(p["name"]) == b else "PLACE")
        for p in places
    ]
    spans += [(d["start"], d["end"], "DATE") for d in dates]
    out, at = [], start
    for s, e, mark in sorted(spans):
        if s < at:
            continue
        out += [text[at:s], f" {mark} "]
        at = e
    out.append(text[at:end])
    return " ".join("".join(out).split())


#: what stands between a place and the place it lies in
_IN = re.compile(r"\s*,?\s+in\s+(?:the\s+)?")


def pairs(text: str, found: Sequence[dict[str, Any]]) -> list[Pair]:
    """Every pair of distinct places in each sentence of ``text`` that names a tie or an agreement.

    Parameters
    ----------
    text
        The document's text.
    found
        Its candidates, as ``extract`` gives them (places carry ``sentence``).

    Returns
    -------
    list of Pair
        In reading order. Sentences without a friendship or agreement term are left out: the
        classifier is trained and run on the sentences where a reader would look for a tie.
    """
    by_sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for c in found:
        if c["kind"] == "place" and c.get("sentence"):
            by_sentence.setdefault((c["sentence"][0], c["sentence"][1]), []).append(c)
    dates = [c for c in found if c["kind"] == "date"]
    dateline = dateline_of(dates)
    out: list[Pair] = []
    for (start, end), places in sorted(by_sentence.items()):
        sentence = text[start:end]
        if not (PARTNER_TERM.search(sentence) or AGREEMENT_TERM.search(sentence)):
            continue
        ordered = sorted(places, key=lambda p: p["start"])
        # "Novopolotsk in Vitebsk Region": the region says where the city is, and is no party
        where = {id(b) for a, b in itertools.pairwise(ordered) if _IN.fullmatch(text[a["end"] : b["start"]])}
        first: dict[str, dict[str, Any]] = {}
        for p in ordered:
            if id(p) not in where:
                first.setdefault(place_name(p["name"]), p)
        in_sentence = [d for d in dates if start <= d["start"] < end]
        names = list(first)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                out.append(Pair((a, b), (first[a], first[b]), (start, end),
                                _marked(text, (start, end), places, in_sentence, (a, b)),
                                _date(text, (start, end), (first[a], first[b]), in_sentence, dateline)))
    return out


def _date(text: str, sentence: tuple[int, int], mentions: tuple[dict[str, Any], dict[str, Any]],
          dates: list[dict[str, Any]], dateline: dict[str, Any] | None) -> dict[str, Any] | None:
    """When the pair's tie began, as the rules date one: from the statement of the sentence that
    holds the pair (an anniversary counted back, a date in it, else "last month", "this year" or
    "for two decades" by the dateline), else from the sentence, else the dateline."""
    start, end = sentence
    words = text[start:end]
    # the sentence's statements, also cut at its semicolons (where the rules' clauses end)
    cuts = sorted({*(start + c for c in statement_cuts(words)), *(start + i for i, ch in enumerate(words) if ch == ";")})
    a, b = mentions
    lo = max(c for c in cuts if c <= a["start"])
    hi = min(c for c in cuts if c > b["start"])
    body = text[lo:hi]
    own = [d for d in dates if lo <= d["start"] < hi]
    centre = (a["start"] + b["start"]) / 2
    date = min(own, key=lambda d: abs(d["start"] - centre)) if own else None
    date = anniversary_start(body, date) or date
    return (date or relative_date(text, body, dateline) or relative_date(text, words, dateline, held=False)
            or (min(dates, key=lambda d: abs(d["start"] - centre)) if dates else dateline))


def train(
    examples: Iterable[tuple[str, dict[str, float]]],
    *,
    seed: int = 0,
    epochs: int = 40,
    architecture: dict[str, Any] | None = BOW,
) -> Any:
    """A classifier of marked pairs, trained from scratch.

    Parameters
    ----------
    examples
        ``(marked sentence, {"partnership": 0.0 or 1.0, "agreement": 0.0 or 1.0})`` per pair.
    seed
        Fixes the initial weights and the order of the examples, so a model can be made again.
    epochs
        Passes over the examples (minibatches of 16, dropout 0.2).
    architecture
        The classifier's model: the bag of n-grams the package ships, or ``None`` for spaCy's
        default ensemble (which the benchmark compares).

    Returns
    -------
    spacy.language.Language
        A blank English pipeline with one ``textcat_multilabel``; ``nlp.to_disk`` saves it.

    Examples
    --------
    >>> nlp = train([("PLACEA and PLACEB became sister cities", {"partnership": 1.0, "agreement": 0.0})])  # doctest: +SKIP
    """
    import spacy
    from spacy.training import Example
    from spacy.util import minibatch
    from thinc.api import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat: Any = nlp.add_pipe("textcat_multilabel", config={"model": architecture} if architecture else {})
    for kind in KINDS:
        textcat.add_label(kind)
    data = [Example.from_dict(nlp.make_doc(marked), {"cats": cats}) for marked, cats in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in minibatch(data, size=16):  # type: ignore[no-untyped-call]
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


@lru_cache(maxsize=1)
def shipped_model() -> Any:
    """The classifier the package ships (loaded once per process)."""
    import spacy

    if not (MODEL_DIR / "meta.json").is_file():
        msg = f"the relation classifier is missing from {MODEL_DIR}: reinstall beltroad"
        raise FileNotFoundError(msg)
    return spacy.load(MODEL_DIR)


def suggest(text: str, found: Sequence[dict[str, Any]], *, model: Any | None = None,
            threshold: float = THRESHOLD) -> list[dict[str, Any]]:
    """The classifier's partnerships and agreements that the rules did not propose.

    Parameters
    ----------
    text
        The document's text.
    found
        Its candidates, relations included (a pair the rules already relate with the same kind is
        not suggested again).
    model
        A classifier from ``train``; the shipped one by default.
    threshold
        The least score at which a pair is suggested.

    Returns
    -------
    list of dict
        Relation candidates shaped as the rules' (``relation``, ``fact``, ``places``, ``value``,
        the sentence as ``text``/``start``/``end``), each with ``suggested``: the method and its
        score, so the review can say that the parties are the classifier's guess.
    """
    candidates = pairs(text, found)
    if not candidates:
        return []
    nlp = model if model is not None else shipped_model()
    ruled = {
        (c["relation"], frozenset(place_name(n) for n in c.get("places") or []))
        for c in found
        if c["kind"] == "relation"
    }
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for pair, scored in zip(candidates, nlp.pipe((p.marked for p in candidates), batch_size=256), strict=True):
        for kind in KINDS:
            score = float(scored.cats[kind])
            if score < threshold or (kind, pair.key) in ruled or (kind, pair.key) in seen:
                continue
            if kind == "partnership" and any(m.get("level") == "country" for m in pair.mentions):
                continue  # friendship ties join cities and regions; countries sign agreements
            seen.add((kind, pair.key))
            start, end = pair.sentence
            out.append({
                "kind": "relation",
                "relation": kind,
                "fact": FACTS[kind],
                "text": text[start:end],
                "start": start,
                "end": end,
                "sentence": [start, end],
                "places": [m["name"] for m in pair.mentions],
                "place_records": [m.get("record") for m in pair.mentions],
                "value": pair.date["value"] if pair.date else None,
                "precision": pair.date["precision"] if pair.date else None,
                **({"agreement_kind": None, "actors": []} if kind == "agreement" else {}),
                "suggested": {"method": "bag-of-n-grams classifier", "score": round(score, 3)},
            })
    return out
