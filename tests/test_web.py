"""The observatory in a real browser (Debian's chromium through Selenium and chromedriver):
open the map, filter to Belarus, open the Chongqing – Minsk Oblast partnership, see its citation,
follow it to the Belarusian-style town. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from tests.conftest import ROOT, TEST_DATA
from tests.test_map_api import _small_world_run

from beltroad.api import create_app
from beltroad.importers import import_bri_signatories, import_partnerships
from beltroad.ingest import ingest_document
from beltroad.settings import Settings
from beltroad.store import add_user, engine_from_url, load_knowledge_base, migrate
from beltroad.trade import import_trade, save_layer

pytestmark = pytest.mark.web

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "test-artifacts"
#: the editor token the server fixture made for the review test
REVIEW: dict[str, str] = {}


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


if not _browser_available():
    if os.environ.get("BELTROAD_REQUIRE_BROWSER") == "1":
        pytest.fail("BELTROAD_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed", pytrace=False)
    pytest.skip("the browser tests need Debian's chromium and chromium-driver", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _finished_sweep(folder: Path) -> None:
    """The two files a finished ``beltroad sweep run`` leaves for the map, for two cities."""
    folder.mkdir(parents=True)
    summary = {"title": "two cities", "mass": "population", "cities": 2, "headline": "test"}
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    cities = [("Almaty", "KAZ", 76.9, 43.2, 0.08, 900.0), ("Urumqi", "CHN", 87.6, 43.8, 0.01, 200.0)]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"city": city, "country": iso3, "mass": 1.0, "dln_ma": change, "gain": gain},
        }
        for city, iso3, lon, lat, change, gain in cities
    ]
    body = {"type": "FeatureCollection", "features": features, "design": "all projects built"}
    (folder / "cities.geojson").write_text(json.dumps(body), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = engine_from_url(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite'}")
    migrate(engine)
    load_knowledge_base(engine)
    import_partnerships(engine, TEST_DATA / "partnerships_small.csv", progress=False)
    import_bri_signatories(engine, TEST_DATA / "bri_small.csv", progress=False)
    # a document for the review page: China in each of 60 sentences, each with an area of its own
    review_doc = tmp_path_factory.mktemp("review") / "many.txt"
    review_doc.write_text(" ".join(f"China and Belarus opened a park in Minsk; it covers {i + 1} ha." for i in range(60)))
    ingest_document(engine, review_doc)
    with engine.begin() as conn:
        REVIEW["token"] = add_user(conn, "browser-reviewer")
    data_dir = tmp_path_factory.mktemp("data")
    save_layer(data_dir, "chn-kaz", _small_world_run())
    panel = data_dir / "panel.csv"
    panel.write_text("year,exporter,importer,value\n2014,CHN,KAZ,7\n2014,RUS,CHN,30\n2014,CHN,RUS,50\n")
    import_trade(data_dir, "panel", panel, name="tiny", unit="million US dollars", citation="a test panel")
    _finished_sweep(data_dir / "sweeps" / "test-sweep")
    port = _free_port()
    app = create_app(engine, Settings(data_dir=data_dir))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--enable-unsafe-swiftshader",
        "--use-angle=swiftshader",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    ARTIFACTS.mkdir(exist_ok=True)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


#: true once the map has drawn, or when the browser has no WebGL and the page said so instead
MAP_DRAWN = "return map === null || (map.loaded() && map.querySourceFeatures('countries').length > 0)"


def test_from_the_map_to_the_belarusian_style_town(server: str, browser: webdriver.Chrome) -> None:
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/map")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "select[name=country] option[value=BLR]"))
    wait.until(lambda d: "feature" in d.find_element(By.ID, "map-status").text)
    Select(browser.find_element(By.NAME, "country")).select_by_value("BLR")
    # the page writes the filters into the URL once the filtered layers are drawn and listed
    wait.until(lambda d: "country=BLR" in d.current_url)
    link = wait.until(ec.element_to_be_clickable((By.LINK_TEXT, "Chongqing – Minsk Oblast")))
    features = browser.find_element(By.ID, "features").text
    assert "Belarusian-style town (Chongqing)" in features  # the town is in Belarus's cooperation too
    assert "Horgos" not in features
    map_ok = browser.find_elements(By.CSS_SELECTOR, "#map canvas") or browser.find_elements(
        By.CSS_SELECTOR, "#map .notice"
    )
    assert map_ok, "the map neither drew a canvas nor explained why it could not"
    # a canvas alone is not a map: MapLibre draws nothing until its web worker runs (a content
    # security policy without worker-src blob: once stopped it), and then it never reports loaded
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    browser.save_screenshot(str(ARTIFACTS / "map-belarus.png"))

    link.click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Chongqing – Minsk Oblast"))
    sources = browser.find_element(By.CSS_SELECTOR, "ul.cites").text
    assert "Introduction ¶1" in sources and "via reference [2]" in sources
    browser.save_screenshot(str(ARTIFACTS / "partnership.png"))

    browser.find_element(By.LINK_TEXT, "Belarusian-style town (Chongqing)").click()
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Belarusian-style town (Chongqing)"))
    assert "Results and discussion ¶4" in browser.find_element(By.CSS_SELECTOR, "ul.cites").text
    browser.save_screenshot(str(ARTIFACTS / "belarusian-style-town.png"))


def test_search_box_and_keyboard(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("Horgos center\n")
    # the home page's h1 can be read while the browser leaves it ("node does not belong to the
    # document"): wait for the search page's address first
    WebDriverWait(browser, 10).until(ec.url_contains("/search"))
    WebDriverWait(browser, 10).until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Search"))
    first = browser.find_element(By.CSS_SELECTOR, "main ul li a")
    assert first.text == "China–Kazakhstan Horgos International Border Cooperation Center"
    browser.get(server + "/")
    skip = browser.switch_to.active_element
    skip.send_keys("\t")
    assert browser.switch_to.active_element.text == "Skip to content"


def test_charts_page_draws_a_series(server: str, browser: webdriver.Chrome) -> None:
    # by default the page opens on the series over the most years, whole dollars shown as such
    browser.get(server + "/charts")
    WebDriverWait(browser, 20).until(ec.text_to_be_present_in_element((By.ID, "chart-status"), "observation"))
    index = browser.execute_script("return fetch('/api/series').then((r) => r.json())")["items"]
    chosen = browser.execute_script("return JSON.parse(document.getElementById('series').value)")
    assert chosen["years"] == max(i["years"] for i in index)
    groups = [g.get_attribute("label") for g in browser.find_elements(By.CSS_SELECTOR, "#series optgroup")]
    assert groups and groups[-1].startswith(("Figures of one year", "Series over time"))
    browser.get(server + "/charts?measure=trade_value")
    WebDriverWait(browser, 20).until(ec.text_to_be_present_in_element((By.ID, "chart-status"), "observation"))
    assert "5,900,000,000 USD" in browser.find_element(By.ID, "points").text
    browser.save_screenshot(str(ARTIFACTS / "charts.png"))


def _choose_on_the_map(wait: WebDriverWait, name: str, value: str) -> WebElement:
    """Choose ``value`` in the map's ``name`` menu once the page has filled it from the API."""
    select = wait.until(ec.presence_of_element_located((By.NAME, name)))
    wait.until(lambda d: len(Select(d.find_element(By.NAME, name)).options) > 1)
    Select(select).select_by_value(value)
    return select


def test_trade_effects_colour_the_map_and_are_said_in_words(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/map")
    wait = WebDriverWait(browser, 30)
    _choose_on_the_map(wait, "layer", "chn-kaz")
    status = browser.find_element(By.ID, "effects-status")
    wait.until(lambda d: "KAZ" in status.text)
    # the largest change first, in words, with its sign
    assert "test 2020: KAZ +" in status.text
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    coloured = browser.execute_script(
        "return map === null ? null : map.querySourceFeatures('countries', {filter: ['has', 'effect']})"
        ".map((f) => f.id)"
    )
    # Kazakhstan, China and Russia are coloured (a feature can be cut into tiles, so ids repeat)
    assert coloured is None or {398, 156, 643} <= {int(i) for i in coloured}
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    time.sleep(1)  # the canvas repaints after the scroll; a screenshot for people, not an assertion
    browser.save_screenshot(str(ARTIFACTS / "map-trade-effects.png"))


def test_countries_colour_by_a_knowledge_base_figure_with_a_legend_and_by_trade_with_china(
    server: str, browser: webdriver.Chrome
) -> None:
    """Issue 17's choropleths of the knowledge base's own country figures: the year each country
    signed its first BRI document (the imported signatories), then an imported panel's trade."""
    browser.get(server + "/map")
    wait = WebDriverWait(browser, 30)
    wanted = "/api/countries/figures/bri_cooperation_document_year?" + "&".join(
        ["unit=year", "qualifier=actual", "counterpart=CHN"]
    )
    select = _choose_on_the_map(wait, "layer", wanted)
    groups = [g.get_attribute("label") for g in select.find_elements(By.TAG_NAME, "optgroup")]
    assert groups == ["Knowledge base", "Trade data", "Trade effects (saved GE runs)"]
    status = browser.find_element(By.ID, "effects-status")
    wait.until(lambda d: "Belarus" in status.text)
    assert status.text.startswith("Year of the first BRI cooperation document with China: ")
    assert "Belarus 2014" in status.text and "Greece 2018" in status.text
    legend = browser.find_element(By.ID, "legend")
    wait.until(lambda d: "2014 to 2018" in legend.text)
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    coloured = browser.execute_script(
        "return map === null ? null : map.querySourceFeatures('countries', {filter: ['has', 'effect']})"
        ".map((f) => f.id)"
    )
    assert coloured is None or {112, 300} <= {int(i) for i in coloured}  # Belarus, Greece
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    time.sleep(1)  # a screenshot for people, not an assertion
    browser.save_screenshot(str(ARTIFACTS / "map-country-figures.png"))
    Select(select).select_by_value("/api/trade/datasets/tiny/partners?country=CHN")
    wait.until(lambda d: "Trade with China" in status.text)
    assert "Russian Federation 80 million US dollars; Kazakhstan 7 million US dollars" in status.text
    assert "source: a test panel" in status.text
    Select(select).select_by_value("")
    wait.until(lambda d: "Trade with China" not in legend.text)


def test_a_sweep_draws_its_cities_with_their_legend(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/map")
    wait = WebDriverWait(browser, 30)
    select = _choose_on_the_map(wait, "sweep", "test-sweep")
    status = browser.find_element(By.ID, "sweep-status")
    wait.until(lambda d: "Almaty" in status.text)
    assert status.text.startswith("all projects built: the largest gains at Almaty, Urumqi")
    legend = browser.find_element(By.ID, "legend")
    wait.until(lambda d: "Market access" in legend.text)
    assert "Market access, test-sweep: Δ ln MA 0, 0.05, 0.2; circle area ∝ gain" in legend.text
    assert len(legend.find_elements(By.CSS_SELECTOR, "li:last-child .swatch")) == 3
    # choosing none takes the circles and their legend entry away
    Select(select).select_by_value("")
    wait.until(lambda d: "Market access" not in legend.text)


def test_api_docs_draw_offline_under_the_pages_policy(server: str, browser: webdriver.Chrome) -> None:
    """Swagger UI comes from the vendored bundle: the reference lists the endpoints and the page
    asks nothing of any other address (a CDN would show in its resource timings)."""
    browser.get(server + "/api/docs")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock-summary-path")))
    paths = {e.text.replace("\u200b", "") for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert {"/api/records", "/api/search", "/api/route"} <= paths
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map((r) => r.name)")
    assert loaded and all(url.startswith(server) for url in loaded), loaded
    browser.save_screenshot(str(ARTIFACTS / "api-docs.png"))


def test_a_citation_leads_to_its_source_and_figures_stand_on_the_record(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/records/horgos-center")
    figures = browser.find_element(By.CSS_SELECTOR, "table.figures")
    assert "528 ha" in figures.text and "KAZ" in figures.text
    browser.save_screenshot(str(ARTIFACTS / "record-figures.png"))
    browser.find_element(By.CSS_SELECTOR, "ul.cites a[href*='#r-horgos-center']").click()
    WebDriverWait(browser, 10).until(ec.url_contains("/sources/"))
    entry = browser.find_element(By.ID, "r-horgos-center")
    assert "China–Kazakhstan Horgos" in entry.text and "p. 3" in entry.text
    browser.set_window_size(390, 844)  # a phone
    try:
        browser.refresh()
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the source page is {width} px wide on a 390 px phone"
        browser.save_screenshot(str(ARTIFACTS / "source-phone.png"))
    finally:
        browser.set_window_size(1280, 900)


def test_partnerships_between_countries_draw_as_flows(server: str, browser: webdriver.Chrome) -> None:
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/map?layers=flows")
    wait.until(lambda d: "feature" in d.find_element(By.ID, "map-status").text)
    listed = browser.find_element(By.ID, "features")
    assert "Belarus – China: 2 partnerships" in listed.text
    link = listed.find_element(By.PARTIAL_LINK_TEXT, "Belarus – China")
    assert link.get_attribute("href").endswith("/list?kind=partnership&country=BLR")
    assert "Partnerships between two countries (width: how many)" in browser.find_element(By.ID, "legend").text
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    drawn = browser.execute_script(
        "return map === null ? null : map.querySourceFeatures('flows').map((f) => f.properties.count)"
    )
    assert drawn is None or 2 in drawn


def test_infrastructure_points_are_drawn_with_a_legend_and_the_view_fits_the_filter(
    server: str, browser: webdriver.Chrome
) -> None:
    """Hambantota is a point: filtering to Sri Lanka used to say '1 feature' on an empty map."""
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/map?country=LKA")
    wait.until(lambda d: "country=LKA" in d.current_url and "feature" in d.find_element(By.ID, "map-status").text)
    assert "Hambantota" in browser.find_element(By.ID, "features").text
    legend = browser.find_element(By.ID, "legend").text
    assert "Infrastructure" in legend and "Partnership" in legend and "Economic cooperation zone" in legend
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    drawn = browser.execute_script(
        "if (map === null) return null;"
        "const f = map.queryRenderedFeatures({layers: ['infrastructure-points']});"
        "const c = map.getCenter();"
        "return {ids: f.map((x) => x.properties.id), lon: c.lng, lat: c.lat, zoom: map.getZoom()};"
    )
    if drawn is not None:  # without WebGL the page says so, and the list above holds the features
        assert any("hambantota" in i for i in drawn["ids"]), drawn
        # the view moved from the whole world (90°E, 40°N, zoom 1.6) to Sri Lanka
        assert 75 < drawn["lon"] < 87 and 0 < drawn["lat"] < 15 and drawn["zoom"] > 4, drawn
    browser.execute_script("document.getElementById('map').scrollIntoView()")
    time.sleep(1)  # the canvas repaints after the scroll; a screenshot for people, not an assertion
    browser.save_screenshot(str(ARTIFACTS / "map-sri-lanka.png"))


def test_review_groups_mentions_pages_fits_a_laptop_and_takes_keys(server: str, browser: webdriver.Chrome) -> None:
    browser.set_window_size(1400, 900)
    try:
        browser.get(server + "/review")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.review tbody tr")
        assert len(rows) == 50  # a page, not every candidate
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "distinct mentions" in text and "next 50" in browser.page_source
        china = next(r for r in rows if r.find_element(By.TAG_NAME, "strong").text == "China")
        assert "×60" in china.text  # one row for the 60 mentions
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 1400, f"the review page is {width} px wide on a 1,400 px screen"
        buttons = china.find_elements(By.CSS_SELECTOR, "button[data-decision]")
        assert all(b.is_displayed() and b.rect["x"] + b.rect["width"] <= 1400 for b in buttons)
        browser.save_screenshot(str(ARTIFACTS / "review-laptop.png"))
        # the editor's token, then "r" on the focused row rejects all 60 mentions
        token = browser.find_element(By.CSS_SELECTOR, "#review-token input[name=token]")
        token.send_keys(REVIEW["token"])
        browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", token)
        browser.execute_script("arguments[0].focus()", china)
        browser.switch_to.active_element.send_keys("r")
        WebDriverWait(browser, 30).until(lambda d: "rejected (60)" in china.find_element(By.CSS_SELECTOR, ".outcome").text)
        browser.switch_to.active_element.send_keys("j")
        assert browser.switch_to.active_element.get_attribute("data-id") != china.get_attribute("data-id")
        browser.get(server + "/review")
        assert all(r.find_element(By.TAG_NAME, "strong").text != "China" for r in browser.find_elements(By.CSS_SELECTOR, "table.review tbody tr"))
    finally:
        browser.set_window_size(1280, 900)


def test_places_gather_into_clusters_and_the_years_play(server: str, browser: webdriver.Chrome) -> None:
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/map?layers=places")
    wait.until(lambda d: "feature" in d.find_element(By.ID, "map-status").text)
    wait.until(lambda d: d.execute_script(MAP_DRAWN))
    clusters = browser.execute_script(
        "if (map === null) return null;"
        "return map.queryRenderedFeatures({layers: ['places-clusters']}).map((f) => f.properties.point_count);"
    )
    if clusters is not None:  # with WebGL: at the world view the places are gathered
        assert clusters and max(clusters) >= 5, clusters
    assert "cluster" in browser.find_element(By.ID, "legend").text
    year = browser.find_element(By.NAME, "yearlabel")
    browser.find_element(By.ID, "play-years").click()
    first = wait.until(lambda d: year.text if year.text.isdigit() else None)
    wait.until(lambda d: year.text.isdigit() and int(year.text) > int(first))
    assert "year=" in browser.current_url
    browser.find_element(By.ID, "play-years").click()  # pause
    browser.save_screenshot(str(ARTIFACTS / "map-clusters.png"))


def test_a_newcomer_finds_horgos_and_the_five_connectivities_then_sorts_and_downloads_projects(
    server: str, browser: webdriver.Chrome
) -> None:
    """Issue 17's path, typed into the page as a newcomer would: the search box by a local script
    and by a typo, the five connectivities by one word, then the projects' table sorted, narrowed
    by a facet and downloaded as CSV, at a laptop's and a phone's width."""
    wait = WebDriverWait(browser, 20)

    def search(query: str) -> list[str]:
        browser.get(server + "/")
        box = browser.find_element(By.ID, "q")
        box.send_keys(query + "\n")
        wait.until(ec.url_contains("/search"))
        wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), query))
        links = browser.find_elements(By.CSS_SELECTOR, "main ul li a[href^='/records/']")
        return [str(a.get_attribute("href")).rsplit("/records/", 1)[1] for a in links]

    for query in ("霍尔果斯", "Horgoss"):
        found = search(query)
        assert found and found[0] == "horgos", (query, found[:3])
    five = {"policy-coordination", "facilities-connectivity", "unimpeded-trade", "financial-integration", "people-to-people"}
    assert five <= set(search("connectivities")[:10])
    browser.save_screenshot(str(ARTIFACTS / "search-connectivities.png"))

    browser.get(server + "/list?kind=project")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.records")))
    browser.find_element(By.CSS_SELECTOR, "table.records th a").click()  # the name column
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "th[aria-sort='ascending']"))
    names = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.records tbody tr td:first-child")]
    assert len(names) > 3 and names == sorted(names, key=str.casefold)
    browser.find_element(By.CSS_SELECTOR, "section.facet a[href*='country=KAZ']").click()
    wait.until(ec.url_contains("country=KAZ"))
    shown = browser.find_element(By.CSS_SELECTOR, "table.records tbody").text
    assert "Horgos" in shown
    csv_link = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    assert csv_link and "country=KAZ" in csv_link and "sort=name" in csv_link
    body = browser.execute_script("return fetch(arguments[0]).then((r) => r.text())", csv_link)
    header, *rows = body.strip().splitlines()
    assert "id" in header.split(",") and rows and any("horgos-center" in r for r in rows)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280, f"the table view is {width} px wide on a 1,280 px screen"
    browser.save_screenshot(str(ARTIFACTS / "projects-table-laptop.png"))
    browser.set_window_size(390, 844)  # a phone
    try:
        browser.get(csv_link.replace("/api/export", "/list").replace("&format=csv", ""))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.records")))
        browser.save_screenshot(str(ARTIFACTS / "projects-table-phone.png"))
        assert browser.find_element(By.LINK_TEXT, "CSV").is_displayed()
    finally:
        browser.set_window_size(1280, 900)


def test_on_a_phone_the_map_comes_first(server: str, browser: webdriver.Chrome) -> None:
    """The phone layout: the map above the filters, as wide as the screen, with nothing wider."""
    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/map")
        wait = WebDriverWait(browser, 30)
        wait.until(lambda d: "feature" in d.find_element(By.ID, "map-status").text)
        top = browser.execute_script(
            "const r = (id) => document.getElementById(id).getBoundingClientRect();"
            "return {map: r('map').top, filters: r('filters').top, route: r('route').top,"
            " width: r('map').width, page: document.documentElement.scrollWidth};"
        )
        assert top["map"] < top["filters"] and top["map"] < top["route"], top
        assert top["width"] >= 300 and top["page"] <= 390, top
        wait.until(lambda d: d.execute_script(MAP_DRAWN))
        browser.save_screenshot(str(ARTIFACTS / "map-phone.png"))
    finally:
        browser.set_window_size(1280, 900)
