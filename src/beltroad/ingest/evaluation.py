"""Precision and recall of ``extract`` against a gold annotation, per kind of fact.

Gold files (YAML) count place mentions by their surface form and list dates (value, precision),
quantities (value, unit; tonnes, areas and lengths each compared in one unit) and relations; a
candidate matches a gold item of the same kind and key, each gold item at most once (multiset
matching), so two mentions of China need two candidates. Actors (governments, companies, banks)
are counted by surface form like places (a line break inside a name counts as a space), and
scored only where a gold file annotates them (``actors:``): a file without the key says nothing of
them, and scoring it would count every actor found as spurious.

A relation's key is its kind, fact and value (a date, or a number with its unit), plus the places
for partnerships, agreements and trade (the parties are the fact), and the side for a zone's
per-side area. A project fact is not keyed by places: which project a clause is about is often a
noun ("the project", "the Center") that a reviewer links, so the places are shown, not scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from beltroad.ingest.candidates import Evaluation, Score
from beltroad.ingest.extraction import extract
from beltroad.ingest.suggestions import KINDS as SUGGESTED_KINDS
from beltroad.model.units import UNITS

#: the relations the classifier suggests beside the rules
TIES = frozenset(SUGGESTED_KINDS)


def _score(predicted: Counter[Any], gold: Counter[Any]) -> Score:
    hits = sum((predicted & gold).values())
    n_pred, n_gold = sum(predicted.values()), sum(gold.values())
    return {
        "gold": n_gold,
        "extracted": n_pred,
        "matched": hits,
        "precision": round(hits / n_pred, 3) if n_pred else None,
        "recall": round(hits / n_gold, 3) if n_gold else None,
        "missed": sorted(map(str, (gold - predicted).elements()))[:20],
        "spurious": sorted(map(str, (predicted - gold).elements()))[:20],
    }


#: the one unit a measure is compared in: 74,000 tonnes a year is 0.074 Mt/yr, and 0.5 km² 50 ha
COMPARED_IN = {"mass_flow": "Mt/yr", "area": "ha", "length": "km"}


def _quantity_key(value: Any, unit: str) -> tuple[float, str]:
    """A quantity as scoring compares it: in its measure's one unit, so that how a text or an
    annotator wrote the unit is not a disagreement about the quantity."""
    dimension, factor = UNITS.get(unit, (None, 1.0))
    target = COMPARED_IN.get(dimension or "")
    if target is None:
        return (round(float(value), 6), unit)
    return (round(float(value) * factor / UNITS[target][1], 6), target)


def _number(value: Any) -> Any:
    if isinstance(value, list):
        return _quantity_key(value[0], value[1])
    return value


def _surface(text: str) -> str:
    """A surface form as one line: a name broken over a line of the source is the same name."""
    return " ".join(text.split())


def relation_key(item: Mapping[str, Any]) -> tuple[Any, ...]:
    key: tuple[Any, ...] = (item["relation"], item["fact"], _number(item.get("value")))
    if item["relation"] in {"partnership", "agreement", "trade"}:
        # Xi’an in GeoNames is Xi'an in most prose: the apostrophe is not a disagreement
        key += (frozenset(name.replace("’", "'") for name in item.get("places") or []),)
    if item["fact"] == "area_side":
        key += (item.get("side"),)
    return key


def evaluate(gold_path: Path, text: str, conn: Connection | None = None) -> Evaluation:
    """Score the extractor on ``text`` against a gold file, kind by kind.

    Held-out figures are only honest if scoring is one fixed rule; the scores keep what was missed
    and what was spurious so that a reader can see why a figure is what it is.

    Parameters
    ----------
    gold_path
        A gold YAML file (``places``, ``dates``, ``quantities``, ``relations``; ``actors`` optional).
    text
        The document's text, as its reader gives it.
    conn
        A store connection, so that knowledge-base names and actors resolve; ``None`` reads the
        gazetteer and pycountry alone.

    Returns
    -------
    Evaluation
        ``document`` and, per kind (``place``, ``date``, ``quantity``, ``relation``, and ``actor``
        where annotated): gold, extracted and matched counts, precision, recall, and the first 20
        missed and spurious keys. ``relation`` scores the rules alone; ``suggested`` scores the
        partnerships and agreements of the review queue, the rules' and the classifier's together.

    Examples
    --------
    >>> scores = evaluate(Path("tests/data/gold/heldout-laos-railway.yaml"), text)  # doctest: +SKIP
    >>> scores["relation"]["recall"]  # doctest: +SKIP
    """
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    found = extract(text, conn)
    places = Counter(_surface(c["text"]) for c in found if c["kind"] == "place")
    dates = Counter((c["value"], c["precision"]) for c in found if c["kind"] == "date")
    quantities = Counter(_quantity_key(c["value"], c["unit"]) for c in found if c["kind"] == "quantity")
    scores: Evaluation = {
        "document": gold["document"],
        "place": _score(places, Counter(gold["places"])),
        "date": _score(dates, Counter((d["value"], d["precision"]) for d in gold["dates"])),
        "quantity": _score(
            quantities, Counter(_quantity_key(q["value"], q["unit"]) for q in gold["quantities"])
        ),
        "relation": _score(
            Counter(relation_key(c) for c in found if c["kind"] == "relation" and not c.get("suggested")),
            Counter(relation_key(r) for r in gold.get("relations", [])),
        ),
        # partnerships and agreements as the review queue holds them: the rules' and the
        # classifier's suggestions together
        "suggested": _score(
            Counter(relation_key(c) for c in found if c["kind"] == "relation" and c["relation"] in TIES),
            Counter(relation_key(r) for r in gold.get("relations", []) if r["relation"] in TIES),
        ),
    }
    if "actors" in gold:
        actors = Counter(_surface(c["text"]) for c in found if c["kind"] == "actor")
        scores["actor"] = _score(actors, Counter(gold["actors"] or {}))
    return scores
