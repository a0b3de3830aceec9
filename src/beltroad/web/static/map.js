// The map page: filters → GeoJSON layers from /api/geo, drawn with MapLibre on Natural Earth
// country shapes, and the same features listed as links (which also serves keyboards, screen
// readers and browsers without WebGL).
"use strict";

// the Natural Earth countries as loaded, to colour by a trade-effects layer
let plainCountries = null;

// Each layer draws what its features are: lines (a partnership between its two cities, a railway
// through its end points) and points (a port, a bridge, a zone), in one colour, named in the legend.
const LAYERS = {
  partnerships: { color: "#b3261e", label: "Partnership (line between the two cities)", line: { "line-opacity": 0.35, "line-width": 1.2 }, point: { "circle-radius": 3 } },
  infrastructure: { color: "#6a3d9a", label: "Infrastructure (port, bridge, railway…)", line: { "line-width": 3 }, point: { "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } },
  zones: { color: "#e08214", label: "Economic cooperation zone", line: { "line-width": 3 }, point: { "circle-radius": 7, "circle-stroke-color": "#fff", "circle-stroke-width": 1 } },
  // thousands of imported places gather into clusters (sized by how many) until the view zooms in
  places: { color: "#1f5f9e", label: "Place (a larger circle: a cluster; click to zoom in)", cluster: true, point: { "circle-radius": 3, "circle-opacity": 0.7 } },
  // partnerships between two countries, one line a pair, as wide as they are many
  flows: {
    url: "/api/network/flows",
    color: "#8e0152",
    label: "Partnerships between two countries (width: how many)",
    line: {
      "line-width": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 0.8, 40, 14],
      "line-opacity": 0.6,
    },
  },
  // partnered places sized by partners, coloured by their community in the friendship-city network
  network: {
    url: "/api/network/places",
    color: "#1b9e77",
    label: "Partnered place (size: partners, colour: community)",
    point: {
      "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "degree"]], 1, 1.5, 9, 13],
      "circle-color": ["match", ["get", "community"],
        0, "#1b9e77", 1, "#d95f02", 2, "#7570b3", 3, "#e7298a", 4, "#66a61e", 5, "#e6ab02", 6, "#a6761d", 7, "#1f78b4",
        "#999999"],
      "circle-opacity": 0.75,
      "circle-stroke-color": "#fff",
      "circle-stroke-width": 0.5,
    },
  },
};

// the MapLibre layers one of ours becomes: [id, type, filter, paint]
function drawnLayers(name) {
  const spec = LAYERS[name];
  const out = [];
  if (spec.line) out.push([`${name}-lines`, "line", ["==", ["geometry-type"], "LineString"], { "line-color": spec.color, ...spec.line }]);
  const single = spec.cluster ? ["all", ["==", ["geometry-type"], "Point"], ["!", ["has", "point_count"]]] : ["==", ["geometry-type"], "Point"];
  if (spec.point) out.push([`${name}-points`, "circle", single, { "circle-color": spec.color, ...spec.point }]);
  if (spec.cluster) {
    out.push([`${name}-clusters`, "circle", ["has", "point_count"], {
      "circle-color": spec.color, "circle-opacity": 0.45, "circle-stroke-color": "#fff", "circle-stroke-width": 1,
      "circle-radius": ["step", ["get", "point_count"], 7, 10, 11, 100, 16, 1000, 22],
    }]);
  }
  return out;
}

// the legend entry of a sweep drawn on the map (its circles are not a record layer), or ""
let sweepLegend = "";

function renderLegend() {
  const legend = document.getElementById("legend");
  if (!legend) return;
  legend.innerHTML = (enabledLayers().map((name) => {
    const spec = LAYERS[name];
    const swatch = spec.line && !spec.point ? "line" : spec.point && !spec.line ? "dot" : "both";
    return `<li><span class="swatch ${swatch}" style="--swatch:${spec.color}"></span>${escapeHtml(spec.label)}</li>`;
  }).join("") + choroplethLegend + sweepLegend) || '<li class="muted">No layer is on.</li>';
}

// the bounds of every drawn feature, to show what a filter selects
function boundsOf(results) {
  let bounds = null;
  const extend = (c) => {
    if (!Array.isArray(c) || typeof c[0] !== "number") return;
    bounds = bounds ? bounds.extend(c) : new maplibregl.LngLatBounds(c, c);
  };
  for (const [, body] of results) {
    for (const f of body.features) {
      const g = f.geometry;
      if (!g) continue;
      if (g.type === "Point") extend(g.coordinates);
      else if (g.type === "LineString") g.coordinates.forEach(extend);
    }
  }
  return bounds;
}

const LIST_LIMIT = 300;
const form = document.getElementById("filters");
const list = document.getElementById("features");
const status = document.getElementById("map-status");
let map = null;

function query() {
  const params = new URLSearchParams();
  for (const name of ["country", "corridor", "connectivity", "field", "status"]) {
    const value = form.elements[name].value;
    if (value) params.set(name, value);
  }
  if (!form.elements.allyears.checked) params.set("year", form.elements.year.value);
  return params;
}

function enabledLayers() {
  return Object.keys(LAYERS).filter((name) => form.elements["layer-" + name].checked);
}

async function fetchLayer(name, params) {
  const url = LAYERS[name].url || `/api/geo/${name}`;
  const response = await fetch(`${url}?${params}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function addSource(name, data) {
  if (!map) return;
  const source = map.getSource(name);
  if (source) { source.setData(data); return; }
  const clustered = LAYERS[name].cluster ? { cluster: true, clusterRadius: 40, clusterMaxZoom: 7 } : {};
  map.addSource(name, { type: "geojson", data, ...clustered });
  for (const [id, type, filter, paint] of drawnLayers(name)) {
    map.addLayer({ id, type, source: name, filter, paint });
    if (id.endsWith("-clusters")) {
      // a cluster opens by zooming to where its places come apart
      map.on("click", id, async (e) => {
        const feature = e.features[0];
        const zoom = await map.getSource(name).getClusterExpansionZoom(feature.properties.cluster_id);
        map.easeTo({ center: feature.geometry.coordinates, zoom });
      });
      continue;
    }
    map.on("click", id, (e) => {
      const p = e.features[0].properties;
      const href = featureHref(p);
      new maplibregl.Popup().setLngLat(e.lngLat)
        .setHTML(`<a href="${escapeHtml(href)}">${escapeHtml(p.name)}</a><br><small>${
          p.count !== undefined
            ? "partnerships between the two countries' places; the link lists the first country's"
            : p.degree === undefined
            ? `${escapeHtml((p.subkind || p.kind || "").replaceAll("_", " "))}${p.status ? " · " + escapeHtml(p.status.replaceAll("_", " ")) : ""}${p.date ? " · " + escapeHtml(p.date.slice(0, 4)) : ""} · ${p.citations} citation(s)${p.alignment ? "<br>drawn " + escapeHtml(p.alignment) : ""}`
            : `${p.degree} partnership(s) · community ${p.community < 8 ? p.community + 1 : "other"}${p.province ? " · " + escapeHtml(p.province) : ""}`
        }</small>`)
        .addTo(map);
    });
    map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
  }
}

// Rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180; drawn as they are they
// streak across the map. Moving their western points east by 360° keeps them whole.
function unwrapRing(ring) {
  const crosses = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
  return crosses ? ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]) : ring;
}

function unwrapFeature(feature) {
  const g = feature.geometry;
  if (!g) return feature;
  if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrapRing);
  if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
  return feature;
}

// a feature that is not a record (a pair of countries) says where its records are listed
function featureHref(p) {
  return p.href || `/records/${encodeURIComponent(p.id)}`;
}

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function renderList(results) {
  const items = [];
  let total = 0;
  for (const [name, body] of results) {
    total += body.features.length;
    for (const f of body.features) items.push([name, f.properties]);
  }
  const collator = new Intl.Collator(undefined, { sensitivity: "base", ignorePunctuation: true });
  items.sort((a, b) => collator.compare(a[1].name, b[1].name));
  list.innerHTML = "";
  if (!items.length) {
    list.innerHTML = '<li class="muted">Nothing matches these filters.</li>';
  }
  for (const [layer, p] of items.slice(0, LIST_LIMIT)) {
    const li = document.createElement("li");
    const href = featureHref(p);
    li.innerHTML = `<a href="${escapeHtml(href)}">${escapeHtml(p.name)}</a> <span class="kind">${escapeHtml(layer)}</span> <span class="muted">${escapeHtml((p.date || "").slice(0, 4))}</span>`;
    list.appendChild(li);
  }
  status.textContent = total > LIST_LIMIT ? `${total} features on the map; the first ${LIST_LIMIT} are listed.` : `${total} feature(s).`;
}

async function refresh() {
  status.textContent = "Loading…";
  const params = query();
  form.elements.yearlabel.value = form.elements.allyears.checked ? "all years" : form.elements.year.value;
  try {
    const names = enabledLayers();
    const results = await Promise.all(names.map(async (n) => [n, await fetchLayer(n, params)]));
    for (const name of Object.keys(LAYERS)) {
      const hit = results.find(([n]) => n === name);
      for (const [id] of drawnLayers(name)) {
        if (map && map.getLayer(id)) map.setLayoutProperty(id, "visibility", hit ? "visible" : "none");
      }
      if (hit) addSource(name, hit[1]);
    }
    // thousands of friendship-city lines drawn at full strength are a solid mass: fade each line
    // as their number grows, so the map shows where they are dense rather than a blot
    const lines = results.find(([n]) => n === "partnerships");
    if (map && lines && map.getLayer("partnerships-lines")) {
      const opacity = Math.max(0.03, Math.min(0.35, 150 / Math.max(1, lines[1].features.length)));
      map.setPaintProperty("partnerships-lines", "line-opacity", opacity);
    }
    renderList(results);
    renderLegend();
    // a filter that narrows to a place shows it: the view fits what is drawn (a whole-world view
    // stays as it is)
    const narrowed = ["country", "corridor", "connectivity", "field", "status"].some((n) => params.get(n));
    const bounds = boundsOf(results);
    if (map && narrowed && bounds) map.fitBounds(bounds, { padding: 60, maxZoom: 7, duration: 0 });
    params.set("layers", enabledLayers().join(","));
    history.replaceState(null, "", "?" + params);
  } catch (error) {
    status.textContent = "Could not load the map data: " + error.message;
  }
}

async function fillSelect(name, items, label) {
  const select = form.elements[name];
  for (const item of items) {
    const option = document.createElement("option");
    option.value = item.value;
    option.textContent = item.label;
    select.appendChild(option);
  }
  const initial = new URLSearchParams(location.search).get(name);
  if (initial) select.value = initial;
}

async function init() {
  const facets = await (await fetch("/api/facets")).json();
  await fillSelect("country", facets.countries.map((c) => ({ value: c.code, label: c.name })));
  await fillSelect("corridor", facets.corridors.map((c) => ({ value: c.id, label: c.name })));
  await fillSelect("connectivity", facets.connectivities.map((c) => ({ value: c.id, label: c.name })));
  await fillSelect("field", facets.fields.map((f) => ({ value: f, label: f.replace("_", " ") })));
  await fillSelect("status", facets.statuses.map((s) => ({ value: s, label: s.replaceAll("_", " ") })));
  const wanted = new URLSearchParams(location.search);
  for (const name of Object.keys(LAYERS)) {
    if (wanted.has("layers")) form.elements["layer-" + name].checked = wanted.get("layers").split(",").includes(name);
  }
  const [low, high] = facets.years;
  if (low && high) {
    form.elements.year.min = low; form.elements.year.max = Math.max(high, new Date().getFullYear());
    const initialYear = new URLSearchParams(location.search).get("year");
    form.elements.year.value = initialYear || form.elements.year.max;
    form.elements.allyears.checked = !initialYear;
  }
  try {
    map = new maplibregl.Map({
      container: "map",
      style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background", paint: { "background-color": "#dfe9f3" } }] },
      center: [90, 40], zoom: 1.6, attributionControl: { customAttribution: "Natural Earth · world-atlas" },
    });
    map.addControl(new maplibregl.NavigationControl());
    await new Promise((resolve) => map.on("load", resolve));
    const topology = await (await fetch("/vendor/world-atlas/countries-50m.json")).json();
    const countries = topojson.feature(topology, topology.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== "010").map(unwrapFeature);  // no Antarctica
    map.addSource("countries", { type: "geojson", data: countries });
    plainCountries = countries;
    map.addLayer({ id: "land", type: "fill", source: "countries", paint: { "fill-color": "#f4f1ea" } });
    map.addLayer({ id: "borders", type: "line", source: "countries", paint: { "line-color": "#b9b4a8", "line-width": 0.6 } });
  } catch (error) {
    map = null;
    document.getElementById("map").innerHTML = '<p class="notice">The map needs WebGL, which this browser does not offer; the list below shows the same features.</p>';
  }
  form.addEventListener("change", refresh);
  form.elements.year.addEventListener("input", () => { form.elements.allyears.checked = false; });
  // ▶ steps the year from the first to the last, redrawing each (the knowledge base as it grew)
  const play = document.getElementById("play-years");
  let playing = null;
  play.addEventListener("click", () => {
    if (playing) { clearInterval(playing); playing = null; play.textContent = "▶ play"; return; }
    const slider = form.elements.year;
    if (form.elements.allyears.checked || Number(slider.value) >= Number(slider.max)) slider.value = slider.min;
    form.elements.allyears.checked = false;
    play.textContent = "❚❚ pause";
    refresh();
    playing = setInterval(() => {
      if (Number(slider.value) >= Number(slider.max)) { clearInterval(playing); playing = null; play.textContent = "▶ play"; return; }
      slider.value = Number(slider.value) + 1;
      refresh();
    }, 900);
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  await refresh();
}

// A route from /api/route, drawn as its own line with its figures, borders and changes of mode in words.
const routeForm = document.getElementById("route");
const routeStatus = document.getElementById("route-status");
routeForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const params = new URLSearchParams({
    from: routeForm.elements.from.value,
    to: routeForm.elements.to.value,
    mode: routeForm.elements.mode.value,
  });
  if (routeForm.elements.scenario.value) params.set("scenario", routeForm.elements.scenario.value);
  routeStatus.textContent = `Routing… (the first ${params.get("mode")} route loads its network)`;
  try {
    const response = await fetch(`/api/route?${params}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    const r = body.route;
    const borders = r.border_crossings.map((c) => `${c.from_country}→${c.to_country} near ${c.near}`).join(", ");
    const changes = r.mode_changes
      .map((c) => `${c.from_mode}→${c.to_mode} at ${c.at}${c.dry_port ? " (dry port)" : ""}`)
      .join(", ");
    routeStatus.textContent = `${r.from.name} → ${r.to.name} by ${r.mode}: ` +
      `${Math.round(r.distance_km).toLocaleString()} km, ${r.days.toFixed(1)} days, ` +
      `about USD ${Math.round(r.cost_usd_per_teu).toLocaleString()} per TEU` +
      `${r.countries.length ? "; through " + r.countries.join(", ") : ""}` +
      `${borders ? "; borders: " + borders : ""}${changes ? "; changes: " + changes : ""}.`;
    const sc = r.scenario;
    if (sc) {
      routeStatus.textContent += sc.hours_before === null
        ? ` With ${sc.name}: ${sc.hours_after.toFixed(1)} h; no route without it.`
        : ` With ${sc.name}: ${sc.hours_after.toFixed(1)} h against ${sc.hours_before.toFixed(1)} h ` +
          `without it (${sc.hours_saved.toFixed(1)} h saved${sc.uses_new_links ? "" : "; the route does not use its links"}).`;
    }
    if (map) {
      const data = { type: "FeatureCollection", features: [r.geometry] };
      if (map.getSource("route")) map.getSource("route").setData(data);
      else {
        map.addSource("route", { type: "geojson", data });
        map.addLayer({ id: "route", type: "line", source: "route", paint: { "line-color": "#111", "line-width": 3 } });
      }
    }
  } catch (error) {
    routeStatus.textContent = "No route: " + error.message;
  }
});

// Colour countries by one figure each: saved general-equilibrium results (--map-layer NAME; blue
// gains, red losses, the scale symmetric around zero), the knowledge base's country figures
// (development finance from China, the year each country signed a BRI document) or an imported
// trade data set's trade with China (light to dark, on a log scale where the values span orders
// of magnitude). The largest figures are also said in words, with their source.
const effectsForm = document.getElementById("effects");
const effectsStatus = document.getElementById("effects-status");
// the legend entry of the countries' colours, or ""
let choroplethLegend = "";
let effectsPopups = false;

function formatChange(c) {
  const band = c.bands && c.bands.welfare_change;
  const value = `${c.welfare_change >= 0 ? "+" : ""}${c.welfare_change.toPrecision(3)} %`;
  return band ? `${value} [${band.low.toPrecision(3)}, ${band.high.toPrecision(3)}]` : value;
}

// a figure as people read it: years as they are, large sums in thousands, millions or billions
function formatFigure(value, unit) {
  if (unit === "year") return String(Math.round(value));
  const words = [[1e12, " trillion"], [1e9, " billion"], [1e6, " million"]];
  const [scale, word] = words.find(([s]) => Math.abs(value) >= s) || [1, ""];
  const shown = (value / scale).toLocaleString("en", { maximumSignificantDigits: 3 });
  return `${shown}${word} ${unit}`;
}

// Append the choices an endpoint lists to a select (or one of its groups): ``choice`` gives each
// item's [value, label]. Returns how many it appended, or null when the list could not be read
// (the status then says so).
async function fillChoices(url, key, into, status, choice, what) {
  try {
    const items = (await (await fetch(url)).json())[key] || [];
    for (const item of items) {
      const [value, label] = choice(item);
      into.append(new Option(label, value));
    }
    return items.length;
  } catch (error) {
    status.textContent = `${what} unavailable: ${error.message}`;
    return null;
  }
}

// the menu's groups: where each lists its choices, and each choice's value (a GE layer's name, or
// the address of a map of figures) and label
const COUNTRY_CHOICES = [
  ["Knowledge base", "/api/countries/figures", "items", (s) => [
    `/api/countries/figures/${encodeURIComponent(s.measure)}?${new URLSearchParams(s.query)}`,
    `${s.title} (${s.countries} countries)`]],
  ["Trade data", "/api/trade/datasets", "items", (d) => [
    `/api/trade/datasets/${encodeURIComponent(d.name)}/partners?country=CHN`,
    `Trade with China, ${d.last_year} (${d.name})`]],
  ["Trade effects (saved GE runs)", "/api/trade/layers", "layers", (l) => [l.name, `${l.title} (${l.source}, ${l.year})`]],
];

async function loadEffectLayers() {
  let offered = 0;
  for (const [group, url, key, choice] of COUNTRY_CHOICES) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = group;
    const found = await fillChoices(url, key, optgroup, effectsStatus, choice, group);
    if (found) effectsForm.elements.layer.append(optgroup);
    offered += found || 0;
  }
  if (!offered && !effectsStatus.textContent) {
    effectsStatus.textContent = "Nothing to colour countries by yet: import finance-commitments or " +
      "bri-signatories, or a trade data set, or run beltroad impact … --map-layer NAME.";
  }
}

// each country's share of the colour scale, 0 to 1 (or -1 to 1 for changes), by ISO numeric code
function scaleOf(body) {
  if (body.countries.length && body.countries[0].welfare_change !== undefined) {
    const largest = Math.max(...body.countries.map((c) => Math.abs(c.welfare_change))) || 1;
    return { diverging: true, at: (c) => c.welfare_change / largest, low: -largest, high: largest };
  }
  const values = body.countries.map((c) => c.value);
  const low = Math.min(...values), high = Math.max(...values);
  // sums spread over orders of magnitude (finance, trade) read on a log scale, zeros at its foot
  const smallest = Math.min(...values.filter((v) => v > 0));
  const log = low >= 0 && high / smallest > 100;
  if (log) {
    const span = Math.log10(high / smallest) || 1;
    return { diverging: false, log, at: (c) => (c.value > 0 ? Math.log10(c.value / smallest) / span : 0), low, high };
  }
  const span = high - low || 1;
  return { diverging: false, log, at: (c) => (c.value - low) / span, low, high };
}

const DIVERGING = [-1, "#b3261e", 0, "#f7f7f7", 1, "#1f5f9e"];
const SEQUENTIAL = [0, "#ffffcc", 0.5, "#41b6c4", 1, "#0c2c84"];

effectsForm.addEventListener("change", async () => {
  const chosen = effectsForm.elements.layer.value;
  if (map && map.getLayer("effects")) map.removeLayer("effects");
  choroplethLegend = "";
  renderLegend();
  if (!chosen) { effectsStatus.textContent = ""; return; }
  const figures = chosen.startsWith("/api/");
  try {
    const response = await fetch(figures ? chosen : `/api/trade/layers/${encodeURIComponent(chosen)}`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    const scale = scaleOf(body);
    const byNumeric = new Map(body.countries.filter((c) => c.numeric).map((c) => [c.numeric, c]));
    if (figures) {
      effectsStatus.textContent = `${body.title}: ` +
        body.countries.slice(0, 6).map((c) => `${c.name} ${formatFigure(c.value, body.unit)}`).join("; ") +
        `. ${body.countries.length} countries; source: ${body.source}` +
        (body.method ? `; ${body.method}` : "") + (body.scope ? ` (${body.scope})` : "") +
        (body.conflicting ? `; records disagree for ${body.conflicting.join(", ")}, left uncoloured` : "") +
        ". Countries outside the data are left uncoloured.";
    } else {
      const ranked = [...body.countries].sort((a, b) => Math.abs(b.welfare_change) - Math.abs(a.welfare_change));
      effectsStatus.textContent = `${body.title}, ${body.source} ${body.year}: ` +
        ranked.slice(0, 6).map((c) => `${c.country} ${formatChange(c)}`).join("; ") +
        (body.not_covered && body.not_covered.length ? `; not covered: ${body.not_covered.join(", ")}` : "") +
        ". Countries outside the data are left uncoloured.";
    }
    const stops = scale.diverging ? DIVERGING : SEQUENTIAL;
    const ends = scale.diverging
      ? [`${(-scale.high).toPrecision(3)} %`, `+${scale.high.toPrecision(3)} %`]
      : [formatFigure(scale.low, body.unit), formatFigure(scale.high, body.unit)];
    choroplethLegend = `<li>${[stops[1], stops[3], stops[5]].map((colour) => `<span class="swatch fill" style="--swatch:${colour}"></span>`).join("")}` +
      `${escapeHtml(body.title)}: ${escapeHtml(ends[0])} to ${escapeHtml(ends[1])}${scale.log ? " (log scale)" : ""}</li>`;
    renderLegend();
    if (map) {
      const source = map.getSource("countries");
      source.setData({
        type: "FeatureCollection",
        features: plainCountries.features.map((f) => {
          const c = byNumeric.get(f.id);
          return c ? { ...f, properties: { ...f.properties, effect: scale.at(c), label: c.name || c.country,
            shown: figures ? formatFigure(c.value, body.unit) : formatChange(c) } } : f;
        }),
      });
      map.addLayer({
        id: "effects", type: "fill", source: "countries", filter: ["has", "effect"],
        paint: { "fill-color": ["interpolate", ["linear"], ["get", "effect"], ...stops], "fill-opacity": 0.85 },
      }, "borders");
      if (!effectsPopups) {
        // a coloured country says its figure when clicked (the handler outlives the layer it names)
        effectsPopups = true;
        map.on("click", "effects", (e) => {
          const p = e.features[0].properties;
          new maplibregl.Popup().setLngLat(e.lngLat)
            .setHTML(`<strong>${escapeHtml(p.label)}</strong><br>${escapeHtml(p.shown)}`).addTo(map);
        });
      }
    }
  } catch (error) {
    effectsStatus.textContent = "No layer: " + error.message;
  }
});

// Finished sweeps (beltroad sweep run SPEC): each city a circle, its area the gain with every
// project built, so where the value of the set falls can be seen at a glance.
const sweepForm = document.getElementById("sweep");
const SWEEP_STOPS = [[0, "#f2e6c9"], [0.05, "#d9822b"], [0.2, "#8c2d04"]];
const sweepStatus = document.getElementById("sweep-status");

async function loadSweeps() {
  const found = await fillChoices("/api/sweeps", "sweeps", sweepForm.elements.sweep, sweepStatus,
    (s) => [s.name, `${s.title} (${s.cities} cities)`], "Sweeps");
  if (found === 0) sweepStatus.textContent = "No finished sweep yet: run beltroad sweep run reed-trubetskoy-2019.";
}

sweepForm.addEventListener("change", async () => {
  const name = sweepForm.elements.sweep.value;
  if (map && map.getLayer("sweep")) map.removeLayer("sweep");
  if (map && map.getSource("sweep")) map.removeSource("sweep");
  sweepLegend = "";
  renderLegend();
  if (!name) { sweepStatus.textContent = ""; return; }
  try {
    const response = await fetch(`/api/sweeps/${encodeURIComponent(name)}/cities`);
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    const gains = body.features.map((f) => f.properties.gain);
    const largest = Math.max(...gains.map(Math.abs)) || 1;
    const top = [...body.features].sort((a, b) => b.properties.gain - a.properties.gain).slice(0, 5);
    sweepStatus.textContent = `${body.design}: the largest gains at ` +
      top.map((f) => f.properties.city).join(", ") +
      ". Circle area: the city's gain; colour: its change of log market access.";
    // the same stops as the circles' colour below, so the legend reads what the map shows
    sweepLegend = `<li>${SWEEP_STOPS.map(([, colour]) => `<span class="swatch dot" style="--swatch:${colour}"></span>`).join("")}` +
      `Market access, ${escapeHtml(name)}: Δ ln MA ${SWEEP_STOPS.map(([v]) => v).join(", ")}; circle area ∝ gain</li>`;
    renderLegend();
    if (map) {
      map.addSource("sweep", { type: "geojson", data: body });
      map.addLayer({
        id: "sweep", type: "circle", source: "sweep",
        paint: {
          "circle-radius": ["*", 18, ["sqrt", ["/", ["max", ["get", "gain"], 0], largest]]],
          "circle-color": ["interpolate", ["linear"], ["get", "dln_ma"], ...SWEEP_STOPS.flat()],
          "circle-opacity": 0.8, "circle-stroke-width": 0.5, "circle-stroke-color": "#333",
        },
      });
    }
  } catch (error) {
    sweepStatus.textContent = "No sweep: " + error.message;
  }
});

loadEffectLayers();
loadSweeps();
init();
