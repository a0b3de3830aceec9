// The charts page: pick a series from /api/series, draw it with Chart.js, and list its points
// with their citations underneath (the table is the accessible version of the chart).
"use strict";

const select = document.getElementById("series");
const table = document.getElementById("points");
const note = document.getElementById("chart-status");
let chart = null;

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function label(item) {
  const span = item.years > 1 ? `${item.years} years` : `${item.observations} figure${item.observations > 1 ? "s" : ""}`;
  return `${item.measure.replaceAll("_", " ")} — ${item.subjects.join(" & ")}${item.side ? " (" + item.side + " side)" : ""} [${item.unit}] · ${span}`;
}

async function draw() {
  const item = JSON.parse(select.value);
  const params = new URLSearchParams();
  for (const s of item.subjects) params.append("subject", s);
  const body = await (await fetch(`/api/series/${encodeURIComponent(item.measure)}?${params}`)).json();
  if (!body.ok) { note.textContent = body.error; return; }
  const points = body.points.filter((p) => p.unit === item.unit && (p.side || null) === (item.side || null));
  const byScope = new Map();
  for (const p of points) {
    const key = p.scope || item.measure.replaceAll("_", " ");
    if (!byScope.has(key)) byScope.set(key, []);
    byScope.get(key).push(p);
  }
  const labels = [...new Set(points.map((p) => p.period_start.slice(0, 4)))].sort();
  const datasets = [...byScope].map(([scope, ps]) => ({
    label: scope,
    data: labels.map((year) => { const hit = ps.find((p) => p.period_start.startsWith(year)); return hit ? hit.value : null; }),
  }));
  if (chart) chart.destroy();
  chart = new Chart(document.getElementById("chart"), {
    type: labels.length > 3 ? "line" : "bar",
    data: { labels, datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { title: { display: true, text: item.unit }, ticks: { callback: (v) => Intl.NumberFormat(undefined, { notation: "compact" }).format(v) } } },
    },
  });
  note.textContent = `${points.length} observation(s).`;
  table.innerHTML = "<tr><th>period</th><th>value</th><th>qualifier</th><th>scope</th><th>sources</th></tr>" + points.map((p) =>
    `<tr><td>${escapeHtml(p.period_start.slice(0, 10))}${p.period_end && p.period_end !== p.period_start ? " – " + escapeHtml(p.period_end.slice(0, 10)) : ""}</td>` +
    `<td><a href="/records/${encodeURIComponent(p.id)}">${escapeHtml(p.bound !== "exact" ? p.bound.replace("_", " ") + " " : "")}${formatValue(p.value)} ${escapeHtml(p.unit)}</a></td>` +
    `<td>${escapeHtml(p.qualifier)}</td><td>${escapeHtml(p.scope || "")}</td>` +
    `<td>${p.citations.map((c) => escapeHtml(c.source + ", " + c.locator)).join("<br>")}</td></tr>`).join("");
}

// Whole units for large values (a trade total in dollars has no cents worth showing), two
// decimals for small ones (a growth rate).
function formatValue(value) {
  return value.toLocaleString(undefined, { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });
}

async function init() {
  const body = await (await fetch("/api/series")).json();
  const items = body.items.filter((i) => i.observations >= 1);
  if (!items.length) { note.textContent = "No observations yet."; return; }
  // series over time first, the most years first; figures of one year after them, in a group of
  // their own (a chart of one bar says little)
  items.sort((a, b) => b.years - a.years || b.observations - a.observations || label(a).localeCompare(label(b)));
  const groups = [["Series over time", items.filter((i) => i.years > 1)], ["Figures of one year", items.filter((i) => i.years <= 1)]];
  for (const [title, members] of groups) {
    if (!members.length) continue;
    const group = document.createElement("optgroup");
    group.label = `${title} (${members.length})`;
    for (const item of members) {
      const option = document.createElement("option");
      option.value = JSON.stringify(item);
      option.textContent = label(item);
      group.appendChild(option);
    }
    select.appendChild(group);
  }
  // the page opens on the asked-for measure, else on the longest series there is
  const ordered = groups.flatMap(([, members]) => members);
  const wanted = new URLSearchParams(location.search).get("measure");
  const index = wanted ? ordered.findIndex((i) => i.measure === wanted) : 0;
  select.selectedIndex = index >= 0 ? index : 0;
  select.addEventListener("change", draw);
  await draw();
}

init();
