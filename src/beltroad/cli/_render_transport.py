"""How routes and scenario runs look in the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad.cli._app import out

if TYPE_CHECKING:
    from beltroad.transport import BorderCrossing, Route, ScenarioRun


def _crossing_line(c: BorderCrossing) -> str:
    gauge = "; gauge change" if c.gauge_break else ""
    seen = c.measured
    measured = (
        f"; measured {seen['hours']:g} h to clear at {seen['place']} ({seen['direction']}, "
        f"{seen['year']}, {seen['source']['publisher']})"
        if seen
        else ""
    )
    if seen and "gauge_change" in seen:
        fee = seen["gauge_change"]
        measured += f"; gauge change USD {fee['usd']:g} at {fee['at']} ({fee['year']})"
    return f"  border {c.from_country} → {c.to_country} by {c.mode} near {c.near}{gauge}{measured}"


def render_route(route: Route) -> None:
    """Distance, time, cost, modes, countries, changes of mode, crossings, access and the scenario."""
    t_h = route.time_h
    out.print(
        f"{route.origin.name} → {route.destination.name} by {route.mode}: {route.distance_km:,.0f} km, "
        f"{route.days:.1f} days ({t_h.moving:.0f} h moving, {t_h.border:.0f} h at borders, "
        f"{t_h.transfer:.0f} h transfers), about USD {route.cost_usd_per_teu:,.0f} per TEU",
        markup=False,
    )
    split = route.cost_usd_split
    if split.border or split.transfer:
        out.print(
            f"cost: USD {split.haulage:,.0f} haulage, {split.border:,.0f} at borders, "
            f"{split.transfer:,.0f} at transfers",
            markup=False,
        )
    if len(route.distance_by_mode_km) > 1:
        shares = ", ".join(f"{m} {km:,.0f} km" for m, km in route.distance_by_mode_km.items())
        out.print(f"by mode: {shares}", markup=False)
    out.print("through " + " → ".join(route.countries), markup=False)
    for change in route.mode_changes:
        port = change.dry_port
        own = f"; {port['handling']}, {port['cite'][0]['publisher']}" if port and "handling" in port else ""
        out.print(
            f"  change {change.from_mode} → {change.to_mode} at {change.at} ({change.h:.0f} h{own})",
            markup=False,
        )
    for crossing in route.border_crossings:
        out.print(_crossing_line(crossing), markup=False)
    for a in route.access:
        out.print(f"  access: {a.km} km to the network at {a.place}", markup=False)
    sc = route.scenario
    if sc is not None:
        before = (
            f"{sc.hours_before:,.1f} h and {sc.km_before:,.0f} km without it"
            if sc.hours_before is not None and sc.km_before is not None
            else "no route without it"
        )
        gain = f", {sc.hours_saved:,.1f} h saved" if sc.hours_saved is not None else ""
        uses = "uses" if sc.uses_new_links else "does not use"
        out.print(
            f"with {sc.name}: {sc.hours_after:,.1f} h, {sc.km_after:,.0f} km ({uses} its links; {before}{gain})",
            markup=False,
        )


def render_scenario_run(run: ScenarioRun, top: int) -> None:
    """Cities, highlights, corridors, countries and the pairs sped up most."""
    out.print(f"{run.name} — baseline: {run.baseline}", markup=False)
    out.print(
        f"cities: {run.city_rule} in {', '.join(run.city_countries or [])}; {run.places} on the network",
        markup=False,
    )
    if run.left_out:
        far = ", ".join(f"{c['name']} ({c['km']:,.0f} km)" for c in run.left_out[:5])
        out.print(
            f"left out, farther from the network than an access leg may run: {len(run.left_out)} "
            f"({far}{', …' if len(run.left_out) > 5 else ''})",
            markup=False,
        )
    for h in run.highlights:
        best = h.largest_saving
        saving = (
            f"largest saving {best.city} {best.km_before:,.0f} → {best.km_after:,.0f} km"
            if best.hours_after < best.hours_before
            else "no city's route gets shorter"
        )
        out.print(
            f"{h.origin} → {h.destination}: population-weighted {h.weighted_hours_before:.1f} h before, "
            f"{h.weighted_hours_after:.1f} h after; {saving}",
            markup=False,
        )
    for c in run.by_corridor:
        if c.note is not None or c.weighted_hours_before is None or c.weighted_hours_after is None:
            continue
        out.print(
            f"corridor {c.name} ({', '.join(c.countries)}): {c.weighted_hours_before:.1f} → "
            f"{c.weighted_hours_after:.1f} h between its countries' cities ({c.percent_saved:.2f} % saved)",
            markup=False,
        )
    for k in run.by_country:
        usd = (
            f"; USD {k.weighted_usd_before:,.0f} → {k.weighted_usd_after:,.0f} per TEU"
            if k.weighted_usd_before is not None and k.weighted_usd_after is not None
            else ""
        )
        out.print(
            f"{k.country}: {k.weighted_hours_before:.1f} → {k.weighted_hours_after:.1f} h to the other "
            f"countries' cities ({k.percent_saved:.2f} % saved{usd}; weights: {k.weights})",
            markup=False,
        )
    n = run.places
    out.print(f"{run.pairs_improved} of {n * (n - 1) // 2:,} city pairs improved", markup=False)
    for p in run.pairs[:top]:
        out.print(f"  {p.origin} → {p.destination}: {p.hours_before} → {p.hours_after} h", markup=False)
