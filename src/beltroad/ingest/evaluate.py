"""Precision and recall of ``extract`` against a gold annotation, per kind of fact.

Gold files (YAML) count place mentions by their surface form and list dates (value, precision) and
quantities (value, unit); a candidate matches a gold item of the same kind and key, each gold item
at most once (multiset matching), so two mentions of China need two candidates.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from beltroad.ingest.extract import extract


def _score(predicted: Counter[Any], gold: Counter[Any]) -> dict[str, Any]:
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


def evaluate(gold_path: Path, text: str, conn: Connection | None = None) -> dict[str, Any]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    found = extract(text, conn)
    places = Counter(c["text"] for c in found if c["kind"] == "place")
    dates = Counter((c["value"], c["precision"]) for c in found if c["kind"] == "date")
    quantities = Counter((round(float(c["value"]), 6), c["unit"]) for c in found if c["kind"] == "quantity")
    return {
        "document": gold["document"],
        "place": _score(places, Counter(gold["places"])),
        "date": _score(dates, Counter((d["value"], d["precision"]) for d in gold["dates"])),
        "quantity": _score(
            quantities, Counter((round(float(q["value"]), 6), q["unit"]) for q in gold["quantities"])
        ),
    }
