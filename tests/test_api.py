"""The REST API and the pages: the one error shape, filters, records with citations, HTML pages."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import Engine

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from beltroad.api import create_app
from beltroad.errors import ValidationFailed


@pytest.fixture(scope="module")
def client(sqlite_store: Engine) -> TestClient:
    return TestClient(create_app(sqlite_store), raise_server_exceptions=False)


ERROR_KEYS = {"ok", "error", "status"}


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/api/records/no-such-id", {}, 404, "no record with id 'no-such-id'"),
        ("/api/records", {"limit": 0}, 422, "limit"),
        ("/api/records", {"since": "2019-13"}, 422, "since takes a date"),
        ("/api/records", {"kind": "planet"}, 422, "unknown kind 'planet'"),
        ("/api/records", {"country": "Narnia"}, 422, "ISO 3166-1 alpha-3"),
        ("/api/records", {"corridor": "Silk Rod Belt"}, 422, "corridor 'Silk Rod Belt' is not a corridor id or name"),
        ("/api/search", {}, 422, "q: Field required"),
        ("/api/sources/yang-belarus", {}, 404, "no source with id 'yang-belarus'; did you mean 'yang-belarus-town'"),
        ("/api/resolve", {"name": "Khorgos"}, 409, "names 2 records"),
        ("/api/nothing-here", {}, 404, "no such path"),
    ],
)
def test_errors_share_one_shape(
    client: TestClient, path: str, params: dict[str, object], status: int, message: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False and body["status"] == status
    assert message in body["error"]


def test_list_and_get_carry_citations(client: TestClient) -> None:
    listing = client.get("/api/records", params={"kind": "agreement", "country": "BLR"}).json()
    assert listing["ok"] and listing["total"] == 2
    assert all(item["citations"] for item in listing["items"])
    record = client.get("/api/records/belarusian-style-town").json()["record"]
    assert record["data"]["partnership"] == "chongqing-minsk-oblast"
    assert {c["source"] for c in record["citations"]} == {"yang-belarus-town"}


def test_search_and_resolve(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Horgos center"}).json()["items"]
    assert hits[0]["id"] == "horgos-center"
    assert client.get("/api/resolve", params={"name": "Minsk Region"}).json()["id"] == "minsk-oblast"


def test_sources_are_pages_with_every_record_citing_them(client: TestClient) -> None:
    sources = {s["id"]: s for s in client.get("/api/sources").json()["items"]}
    yang = client.get("/api/sources/yang-belarus-town").json()["source"]
    assert yang["authors"] == ["Jintao Yang (University of Latvia)"] and yang["kind"] == "paper"
    town = next(r for r in yang["cited_by"] if r["id"] == "belarusian-style-town")
    assert town["citations"] and all(c["locator"] for c in town["citations"])
    assert sources["yang-belarus-town"]["citations"] == yang["citations"] == sum(len(r["citations"]) for r in yang["cited_by"])
    # a source id typed as a record leads to the source's page, which anchors each record
    page = client.get("/records/yang-belarus-town", follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == "/sources/yang-belarus-town"
    html = client.get("/sources/yang-belarus-town").text
    assert "Jintao Yang" in html and "id='r-belarusian-style-town'" in html
    # a record's citations link to its entry on the source's page, once per source
    record_html = client.get("/records/belarusian-style-town").text
    assert record_html.count("<a href='/sources/yang-belarus-town'>") == 1
    assert "href='/sources/yang-belarus-town#r-belarusian-style-town'" in record_html
    assert client.get("/sources/no-such-source").status_code == 404


def test_a_record_shows_its_own_figures_with_their_sources(client: TestClient) -> None:
    record = client.get("/api/records/horgos-center").json()["record"]
    areas = {(f["side"], f["value"], f["unit"]) for f in record["observations"] if f["measure"] == "zone_area"}
    assert areas == {(None, 528.0, "ha"), ("CHN", 343.0, "ha"), ("KAZ", 185.0, "ha")}
    assert all(f["citations"] for f in record["observations"])
    html = client.get("/records/horgos-center").text
    figures = html[html.index("<h2>Figures</h2>") : html.index("<h2>Sources</h2>")]
    assert "528 ha" in figures and "343 ha" in figures and "185 ha" in figures
    assert "/sources/cbecz-opinion-2018#r-horgos-center-area" in figures


def test_a_sorted_faceted_view_downloads_whole_in_every_format(client: TestClient) -> None:
    view = {"kind": "project", "corridor": "New Eurasian Land Bridge"}
    listed = client.get("/api/records", params={**view, "sort": "-date", "limit": 1000}).json()
    dates = [r["date"] for r in listed["items"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
    by_name = client.get("/api/records", params={"kind": "project", "sort": "name", "limit": 1000}).json()["items"]
    assert [r["name"] for r in by_name] == sorted(r["name"] for r in by_name)
    # facet counts add up to the view: every project has one kind
    facets = client.get("/api/facets/counts", params={"kind": "project"}).json()["facets"]
    total = client.get("/api/records", params={"kind": "project", "limit": 1}).json()["total"]
    assert sum(v["count"] for v in facets["kind"]) == total
    china = next(v for v in facets["country"] if v["value"] == "CHN")["count"]
    assert china == client.get("/api/records", params={"kind": "project", "country": "CHN", "limit": 1}).json()["total"]
    cbecz = next(v for v in facets["source"] if v["value"] == "cbecz-opinion-2018")
    assert cbecz["label"].startswith("China's cross-border") and cbecz["count"] == (
        client.get("/api/records", params={"kind": "project", "source": "cbecz-opinion-2018", "limit": 1}).json()["total"]
    )
    # the downloads hold the whole view, with citations, in the view's order
    csv_text = client.get("/api/export", params={**view, "sort": "-date", "format": "csv"})
    assert csv_text.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_text.headers["content-disposition"]
    lines = csv_text.text.strip().splitlines()
    assert lines[0].startswith("id,kind,subkind,name") and len(lines) - 1 == listed["total"]
    assert [line.split(",")[0] for line in lines[1:]] == [r["id"] for r in listed["items"]]
    as_json = client.get("/api/export", params={**view, "format": "json"}).json()
    assert {r["id"] for r in as_json} == {r["id"] for r in listed["items"]} and all(r["citations"] for r in as_json)
    geo = client.get("/api/export", params={"kind": "partnership", "format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    assert all(f["geometry"]["type"] == "LineString" for f in geo["features"] if f["geometry"])
    # bad views are refused before any byte is streamed
    for params, message in (
        ({"format": "xls"}, "unknown format 'xls'"),
        ({"sort": "colour"}, "unknown sort 'colour'"),
        ({"corridor": "Silk Rod Belt"}, "not a corridor id or name"),
    ):
        bad = client.get("/api/export", params=params)
        assert bad.status_code == 422 and message in bad.json()["error"]


def test_the_table_page_sorts_facets_and_links_its_downloads(client: TestClient) -> None:
    html = client.get("/list", params={"kind": "project", "sort": "name"}).text
    assert "<table class='records'>" in html and "aria-sort='ascending'" in html
    assert "/api/export?kind=project&amp;sort=name&amp;format=csv" in html
    assert "<h2>Country</h2>" in html and "<h2>Source</h2>" in html
    # every citation on a page is a link to its source, at the record's entry there
    assert "href='/sources/cbecz-opinion-2018#r-horgos-center'" in html
    search = client.get("/search", params={"q": "Horgos center"}).text
    assert "href='/sources/cbecz-opinion-2018#r-horgos-center'" in search
    narrowed = client.get("/list", params={"kind": "project", "country": "KAZ"}).text
    assert "aria-label='remove filter country'" in narrowed and "Horgos" in narrowed
    assert client.get("/list", params={"sort": "colour"}).status_code == 422


def test_openapi_and_health(client: TestClient) -> None:
    assert client.get("/api/health").json()["ok"] is True
    spec = client.get("/api/openapi.json").json()
    assert {"/api/records", "/api/records/{record_id}", "/api/search", "/api/resolve"} <= set(spec["paths"])
    # closed vocabularies are enums in the schema
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/records"]["get"]["parameters"]}
    kinds = params["kind"].get("enum") or next(a["enum"] for a in params["kind"]["anyOf"] if "enum" in a)
    assert "project" in kinds and "partnership" in kinds
    layer = next(p for p in spec["paths"]["/api/geo/{layer}"]["get"]["parameters"] if p["name"] == "layer")
    assert set(layer["schema"]["enum"]) == {"places", "partnerships", "zones", "infrastructure", "projects"}


def test_the_favicon_browsers_ask_for_is_served(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.history and icon.history[0].status_code == 301
    assert "<svg" in icon.text
    assert "href='/static/favicon.svg'" in client.get("/map").text


def test_record_page_shows_fields_sources_and_the_chain(client: TestClient) -> None:
    page = client.get("/records/yubei-minsk-oblast-investment-2019", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "Results and discussion ¶7" in html
    assert (
        "href='/records/chongqing-minsk-oblast'" in html and "href='/records/belarusian-style-town'" in html
    )


def test_pages_escape_and_fail_politely(client: TestClient) -> None:
    page = client.get("/search", params={"q": "<script>alert(1)</script>"}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    missing = client.get("/records/nope", headers={"accept": "text/html"})
    assert (
        missing.status_code == 404 and "no record with id" in missing.text and "Traceback" not in missing.text
    )
    home = client.get("/", headers={"accept": "text/html"})
    assert "Chongqing – Minsk Oblast friendship (2017)" in home.text


def test_offsets_past_any_store_are_refused_not_crashed(sqlite_store: Engine) -> None:
    from beltroad.store import MAX_OFFSET, list_records

    client = TestClient(create_app(sqlite_store), raise_server_exceptions=False)
    # 2**63 does not fit SQLite's integers; the fuzzer found it
    response = client.get("/api/records", params={"limit": 1, "offset": 2**63})
    assert response.status_code == 422
    with (
        sqlite_store.connect() as conn,
        pytest.raises(ValidationFailed, match="offset must be between 0 and"),
    ):
        list_records(conn, limit=1, offset=MAX_OFFSET + 1)
