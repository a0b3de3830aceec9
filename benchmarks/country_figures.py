"""Country figures for the map's choropleths (``store.country_figures``) beside one hand-written SQL
query over the same SQLite file, as the knowledge base's observations grow.

Run:  .venv/bin/python benchmarks/country_figures.py [--years 10 50 200]

A fresh SQLite store gets the curated records and AidData's commitments by recipient
(``../shared/data/finance``), which make 145 country places; then, for each size, one synthetic
commitment per country and year (the values are random: only the timing is of interest), so a
store of Y years holds about 145 × Y observations of the measure. Ours is the function the API
and the map call: it infers each pair's counterpart, picks the series by period, reads every
value's citations and its country's ISO numeric code. The peer is the floor a hand-written query
reaches: one SQL statement for the same series' countries, values and citations (no counterpart
inference, no second series to tell apart). The map's menu of every series
(``country_figure_series``) is timed beside a GROUP BY over the same joins. Each is timed best of
five, warm.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
from pathlib import Path

from _timing import best_of

from beltroad.importers import import_finance_commitments
from beltroad.model import Citation, Observation
from beltroad.store import (
    country_figure_series,
    country_figures,
    engine_from_url,
    load_knowledge_base,
    load_record,
    migrate,
    write_records,
    writing,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITMENTS = ROOT.parent / "shared" / "data" / "finance" / "gcdf_country_commitments.csv"
MEASURE = "development_finance_commitments"
ASKED = "1800"  # the period the map asks for (every size has it)
#: the recipients AidData's file names, each a country place of the store
COUNTRIES = 145
#: runs of each query; the best is reported
REPEAT = 5

PEER = """
SELECT rc.country, o.value,
  (SELECT json_group_array(json_object('source', c.source_id, 'locator', c.locator))
     FROM citations c WHERE c.record_id = o.record_id) AS citations
FROM observations o
JOIN records r ON r.id = o.record_id AND r.retired = 0
JOIN record_links l ON l.src_id = o.record_id AND l.rel = 'subject'
JOIN records p ON p.id = l.dst_id AND p.kind = 'place' AND p.subkind = 'country'
JOIN record_countries rc ON rc.record_id = p.id AND rc.country <> 'CHN'
WHERE o.measure = ? AND o.period_start = ? AND o.period_end = ?
ORDER BY o.value DESC
"""

#: the floor of the map's menu: every series of observations about countries with its coverage
PEER_MENU = """
SELECT o.measure, o.unit, o.qualifier, o.period_start, o.period_end, count(DISTINCT rc.country)
FROM observations o
JOIN records r ON r.id = o.record_id AND r.retired = 0
JOIN record_links l ON l.src_id = o.record_id AND l.rel = 'subject'
JOIN records p ON p.id = l.dst_id AND p.kind = 'place' AND p.subkind = 'country'
JOIN record_countries rc ON rc.record_id = p.id AND rc.country <> 'CHN'
GROUP BY 1, 2, 3, 4, 5
"""


def _synthetic(places: list[str], source: str, years: range) -> list[Observation]:
    rng = random.Random(12345)
    return [
        Observation(
            id=f"bench-{place}-{year}",
            name=f"Synthetic commitments to {place}, {year}",
            measure=MEASURE,
            subject=[place, "china"],
            value=rng.uniform(1e6, 1e10),
            unit="USD",
            qualifier="committed",
            period=str(year),
            cite=[Citation(source=source, row=i + 2)],
        )
        for year in years
        for i, place in enumerate(places)
    ]


def _store_of(tmp: Path, count: int) -> tuple[Path, int]:
    """A store with the curated records, AidData's commitments and ``count`` synthetic years."""
    path = tmp / "bench.sqlite"
    engine = engine_from_url(f"sqlite:///{path}")
    migrate(engine)
    load_knowledge_base(engine)
    report = import_finance_commitments(engine, COMMITMENTS, progress=False)
    with engine.connect() as conn:
        ids = conn.exec_driver_sql(
            "SELECT id FROM records WHERE id LIKE 'gcdf-country-commitments-%' AND id NOT LIKE '%-rate'"
        ).scalars()
        imported = [load_record(conn, rid) for rid in ids]
    places = sorted({s for r in imported if isinstance(r, Observation) for s in r.subject if s != "china"})
    records = _synthetic(places, report["source"], range(1800, 1800 + count))
    with writing(engine) as conn:
        write_records(conn, records, "bench:country-figures", lambda rid: load_record(conn, rid))
    engine.dispose()
    return path, report["observations"] + len(records)


def _time(path: Path) -> tuple[float, float, float, float, int]:
    """Ours and the SQL queries on one store, best of five each: one map, then the menu of maps.
    The answers must name the same countries."""
    engine = engine_from_url(f"sqlite:///{path}")
    with engine.connect() as conn:
        ours = country_figures(conn, MEASURE, period=ASKED)
        ours_s = best_of(lambda: country_figures(conn, MEASURE, period=ASKED), REPEAT)
        menu_s = best_of(lambda: country_figure_series(conn), REPEAT)
    engine.dispose()
    peer = sqlite3.connect(path)
    bounds = (MEASURE, f"{ASKED}-01-01", f"{ASKED}-12-31")
    found = peer.execute(PEER, bounds).fetchall()
    peer_s = best_of(lambda: peer.execute(PEER, bounds).fetchall(), REPEAT)
    peer_menu_s = best_of(lambda: peer.execute(PEER_MENU).fetchall(), REPEAT)
    peer.close()
    if {c.country for c in ours.countries} != {row[0] for row in found}:
        raise SystemExit("the two answers name different countries")
    return ours_s, peer_s, menu_s, peer_menu_s, len(ours.countries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[10, 50, 200, 400], help="at most 400 (1800–2199)")
    args = parser.parse_args()
    if not COMMITMENTS.exists():
        raise SystemExit(f"{COMMITMENTS} is missing: the shared data folder lies beside the project")
    print("| years | observations | one map: ours (ms) | SQL (ms) | ours / SQL | menu: ours (ms) | SQL (ms) | ours / SQL |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for count in args.years:
        with tempfile.TemporaryDirectory() as tmp:
            path, observations = _store_of(Path(tmp), count)
            ours_s, peer_s, menu_s, peer_menu_s, countries = _time(path)
        print(
            f"| {count} | {observations:,} | {ours_s * 1000:.1f} | {peer_s * 1000:.1f} | {ours_s / peer_s:.1f} "
            f"| {menu_s * 1000:.1f} | {peer_menu_s * 1000:.1f} | {menu_s / peer_menu_s:.1f} |"
        )
        if countries != COUNTRIES:
            raise SystemExit(f"the map has {countries} countries, not {COUNTRIES}")


if __name__ == "__main__":
    main()
