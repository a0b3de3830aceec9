"""Map layers, series, facets and caching headers."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from tests.conftest import TEST_DATA

from beltroad.api import create_app
from beltroad.errors import ValidationFailed
from beltroad.importers import import_partnerships
from beltroad.store import add_user
from beltroad.trade import FlowCounterfactual


@pytest.fixture
def client(store: Engine) -> TestClient:
    import_partnerships(store, TEST_DATA / "partnerships_small.csv", progress=False)
    return TestClient(create_app(store), raise_server_exceptions=False)


def test_partnerships_are_lines_between_their_places(client: TestClient) -> None:
    layer = client.get("/api/geo/partnerships", params={"country": "BLR"}).json()
    assert layer["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in layer["features"]}
    curated = by_id["chongqing-minsk-oblast"]
    assert curated["geometry"]["type"] == "LineString"
    assert sorted(curated["geometry"]["coordinates"]) == [[27.56653, 53.90019], [106.55771, 29.56026]]
    assert curated["properties"]["citations"] == 3
    assert all("BLR" in f["properties"]["countries"] for f in layer["features"])


def test_zone_and_infrastructure_layers_and_filters(client: TestClient) -> None:
    zones = {f["id"] for f in client.get("/api/geo/zones").json()["features"]}
    assert {"horgos-center", "belarusian-style-town", "hunchun-zarubino-cbecz"} <= zones
    infra = client.get("/api/geo/infrastructure").json()
    lines = {f["id"]: f for f in infra["features"]}
    assert lines["hunchun-vladivostok-railway"]["geometry"]["type"] == "LineString"
    assert infra["omitted"] >= 1  # projects with no located endpoint are counted, not guessed
    nelb = {f["id"] for f in client.get("/api/geo/zones", params={"corridor": "nelb"}).json()["features"]}
    assert nelb == {"horgos-center"}
    tourism = {
        f["id"] for f in client.get("/api/geo/projects", params={"field": "tourism"}).json()["features"]
    }
    assert {"belarusian-style-town", "horgos-center"} <= tourism
    before = {f["id"] for f in client.get("/api/geo/zones", params={"year": 2019}).json()["features"]}
    after = {f["id"] for f in client.get("/api/geo/zones", params={"year": 2020}).json()["features"]}
    assert "belarusian-style-town" not in before and "belarusian-style-town" in after


def test_series_and_facets(client: TestClient) -> None:
    series = client.get(
        "/api/series/trade_value", params=[("subject", "china"), ("subject", "belarus")]
    ).json()
    assert [p["value"] for p in series["points"]] == [5.9e9]
    assert series["points"][0]["citations"][0]["source"] == "yang-belarus-town"
    index = client.get("/api/series").json()["items"]
    assert {
        "measure": "zone_area",
        "unit": "ha",
        "subjects": ["horgos-center"],
        "side": "CHN",
        "observations": 1,
        "years": 1,
    } in index
    facets = client.get("/api/facets").json()
    assert {"code": "BLR", "name": "Belarus"} in facets["countries"]
    assert len(facets["corridors"]) == 6 and "trade" in facets["fields"]


def test_bad_layer_and_filters(client: TestClient) -> None:
    assert client.get("/api/geo/volcanoes").json()["error"].startswith("unknown layer 'volcanoes'")
    bad_year = client.get("/api/geo/zones", params={"year": 3000})
    assert bad_year.status_code == 422 and "year" in bad_year.json()["error"]
    assert client.get("/api/series/trade_value").status_code == 422


def test_cached_answers_go_out_gzipped_when_accepted(client: TestClient) -> None:
    plain = client.get("/api/geo/zones", headers={"accept-encoding": "identity"})
    zipped = client.get("/api/geo/zones", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "accept-encoding"
    assert zipped.json() == plain.json()
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3


def test_etags_revalidate_until_a_write(client: TestClient, store: Engine) -> None:
    first = client.get("/api/geo/zones")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert first.headers["x-cache"] == "miss"
    assert client.get("/api/geo/zones").headers["x-cache"] == "hit"
    assert client.get("/api/geo/zones", headers={"if-none-match": tag}).status_code == 304
    with store.begin() as conn:
        token = add_user(conn, "bo")
    changed = client.patch(
        "/api/records/horgos-center",
        json={
            "changes": {"status": "operating", "status_as_of": "2019"},
            "citation": {"source": "cbecz-opinion-2018", "page": 3, "paragraph": 2},
        },
        headers={"authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200
    after = client.get("/api/geo/zones", headers={"if-none-match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


def _patch(client: TestClient, token: str, record_id: str, changes: dict[str, object]) -> None:
    answer = client.patch(
        f"/api/records/{record_id}",
        json={"changes": changes, "citation": {"source": "cbecz-opinion-2018", "page": 3, "paragraph": 2}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def test_a_write_invalidates_only_the_views_that_read_its_kind(client: TestClient, store: Engine) -> None:
    with store.begin() as conn:
        token = add_user(conn, "bo")
    urls = ("/api/geo/partnerships", "/api/geo/zones", "/api/records?kind=partnership&country=BLR")
    first = {url: client.get(url) for url in urls}
    assert all(client.get(url).headers["x-cache"] == "hit" for url in urls)

    _patch(client, token, "horgos-center", {"status": "operating", "status_as_of": "2019"})
    partnerships = client.get(urls[0])
    assert (
        partnerships.headers["x-cache"] == "hit"
        and partnerships.headers["etag"] == first[urls[0]].headers["etag"]
    )
    assert client.get(urls[2]).headers["x-cache"] == "hit"
    zones = client.get(urls[1])
    assert zones.headers["x-cache"] == "miss" and zones.headers["etag"] != first[urls[1]].headers["etag"]
    assert {f["id"]: f for f in zones.json()["features"]}["horgos-center"]["properties"][
        "status"
    ] == "operating"
    # a record page may show any kind's links: it follows every write
    assert client.get("/api/records/chongqing-minsk-oblast").headers["x-cache"] == "miss"

    # a place moved is a partnership line moved: the layer that reads places follows it
    point = {
        "lon": 27.6,
        "lat": 53.90019,
        "basis": "administrative_centre",
        "cite": {"source": "geonames", "entry": "geonameid 625144", "supports": ["point"]},
    }
    _patch(client, token, "minsk-oblast", {"point": point})
    moved = client.get(urls[0], params={"country": "BLR"}).json()
    line = {f["id"]: f for f in moved["features"]}["chongqing-minsk-oblast"]["geometry"]["coordinates"]
    assert [27.6, 53.90019] in line
    assert client.get(urls[0]).headers["x-cache"] == "miss"

    _patch(client, token, "chongqing-minsk-oblast", {"note": "checked"})
    assert client.get(urls[2]).headers["x-cache"] == "miss"


def _small_world_run() -> FlowCounterfactual:
    """A three-country world whose CHN–KAZ trade gets cheaper: a real solve, small enough for an API test."""
    from beltroad.trade import Flows, counterfactual_from_flows

    countries = ("CHN", "KAZ", "RUS")
    flows = np.array([[900.0, 20.0, 40.0], [15.0, 120.0, 30.0], [35.0, 25.0, 600.0]])
    partial = np.zeros((3, 3))
    partial[0, 1] = partial[1, 0] = 0.3
    return counterfactual_from_flows(
        Flows(countries, flows, 2020, "test"), partial, theta=4.0, imbalance="additive", described={}
    )


def test_trade_layers_are_saved_listed_and_served_uncached(store: Engine, tmp_path: Path) -> None:
    from beltroad.settings import Settings
    from beltroad.trade import save_layer

    client = TestClient(create_app(store, Settings(data_dir=tmp_path)), raise_server_exceptions=False)
    assert client.get("/api/trade/layers").json() == {"layers": []}
    missing = client.get("/api/trade/layers/nothing")
    assert missing.status_code == 404 and "no trade map layer 'nothing'" in missing.json()["error"]
    run = _small_world_run()
    save_layer(tmp_path, "chn-kaz", run)
    listed = client.get("/api/trade/layers").json()["layers"]
    assert [item["name"] for item in listed] == ["chn-kaz"]  # a new file shows at once: no stale cache
    body = client.get("/api/trade/layers/chn-kaz").json()
    by_code = {c["country"]: c for c in body["countries"]}
    assert by_code["KAZ"]["numeric"] == "398" and by_code["CHN"]["numeric"] == "156"
    assert by_code["KAZ"]["welfare_change"] == pytest.approx(run.country("KAZ").welfare_change)
    assert by_code["KAZ"]["welfare_change"] > 0 > by_code["RUS"]["welfare_change"]
    assert client.get("/api/trade/layers/bad name!").status_code == 422
    # sweeps are files too: none yet, a miss names what there is, a bad name is refused
    assert client.get("/api/sweeps").json() == {"sweeps": []}
    miss = client.get("/api/sweeps/reed-trubetskoy-2019/cities")
    assert miss.status_code == 404 and "none yet (beltroad sweep run SPEC)" in miss.json()["error"]
    assert client.get("/api/sweeps/bad name!/cities").status_code == 422


def test_an_effects_chart_draws_every_chosen_country(tmp_path: Path) -> None:
    from beltroad.analysis import write_effects_chart

    run = _small_world_run()
    path = write_effects_chart(run.countries, tmp_path / "effects.svg", title="CHN–KAZ", source="test")
    svg = path.read_text(encoding="utf-8")
    assert all(code in svg for code in ("CHN", "KAZ", "RUS")) and "Source: test" in svg
    with pytest.raises(ValidationFailed, match="unknown measure 'gdp'"):
        write_effects_chart(run.countries, tmp_path / "x.svg", title="t", source="s", measure="gdp")
    with pytest.raises(ValidationFailed, match=r"\.png or \.svg"):
        write_effects_chart(run.countries, tmp_path / "x.pdf", title="t", source="s")
