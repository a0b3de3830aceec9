"""How the cooperation model's results look in the terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from beltroad.cli._app import out

if TYPE_CHECKING:
    from beltroad.analysis import Comparison, NetworkStatistics, Profile


def render_profile(profile: Profile) -> None:
    """The type, the three characteristics, the chain with its lags, fields, connectivities, gaps."""
    out.print(
        f"[bold]{escape(profile.name)}[/]  [dim]{profile.id} · {profile.kind} · {' '.join(profile.countries)}[/]"
    )
    kind = profile.type
    out.print(
        f"type: [bold]{kind.name}[/]" + (f" — {'; '.join(kind.because)}" if kind.because is not None else "")
    )
    for number, item in enumerate(profile.characteristics, 1):
        mark = "[green]yes[/]" if item.holds else "[red]no[/]"
        out.print(f"{number}. {mark} {escape(item.statement)}")
    out.print("chain:")
    for link in profile.partnership_chain["links"]:
        cites = "; ".join(f"{c['source']} {c['locator']}" for c in link["citations"][:3])
        out.print(
            f"  {link['role']:11} {link['date'] or 'undated':8} {link['name']}  [dim]{link['level'] or ''} · {escape(cites)}[/]"
        )
    for lag in profile.partnership_chain["lags"]:
        out.print(f"  lag {lag['from']} → {lag['to']}: {lag['years']} year(s)")
    f = profile.fields
    out.print(
        f"fields: {', '.join(f['fields']) or '—'} (economic: {', '.join(f['economic']) or '—'}; Shannon {f['shannon']})"
    )
    out.print(
        "connectivities: " + (", ".join(f"{c['name']} ({c['basis']})" for c in profile.connectivities) or "—")
    )
    if profile.gaps:
        out.print("[yellow]gaps:[/] " + "; ".join(profile.gaps))


def render_comparison(result: Comparison) -> None:
    """One row per case: its type, why, and the three characteristics."""
    table = Table(title=f"{len(result.cases)} cases, {result.distinct_types} type(s)", header_style="bold")
    for col in ("case", "type", "why", "strategies", "partnership", "multi-field"):
        table.add_column(col, overflow="fold")
    for case in result.cases:
        kind = case.type
        why = "; ".join(kind.because or []) or "; ".join(
            f"{k}: {', '.join(v)}" for k, v in (kind.misses or {}).items()
        )
        ch = case.characteristics
        table.add_row(
            case.name,
            kind.name,
            why,
            *(
                "yes" if ch[k] else "no"
                for k in ("serves-strategies", "partnership-support", "multi-field-economic-core")
            ),
        )
    out.print(table)


def render_network_stats(stats: NetworkStatistics) -> None:
    """The network in a few lines: sizes, rankings, pairs per country and BRI status, distances."""
    out.print(
        f"{stats['places']} places, {stats['partnerships']} partnerships; {stats['components']} components "
        f"(largest {stats['largest_component']}); {stats['communities']['count']} communities "
        f"(modularity {stats['communities']['modularity']})"
    )
    provinces = ", ".join(f"{p['name']} ({p['pairs']})" for p in stats["top_provinces_china"])
    out.print(f"most partnered provinces of China: {provinces or '—'}", markup=False)
    ranked: Mapping[str, Any] = stats
    for key, title in (
        ("top_degree", "most partnered places"),
        ("top_degree_china", "most partnered places in China"),
        ("top_pagerank", "PageRank"),
        ("top_betweenness", "betweenness"),
    ):
        if key in ranked:
            out.print(
                f"{title}: " + ", ".join(f"{p['name']} ({p['country']}, {p['value']:g})" for p in ranked[key]),
                markup=False,
            )
    out.print(
        "pairs per country: " + ", ".join(f"{c['country']} {c['pairs']}" for c in stats["pairs_per_country"])
    )
    if "pairs_with_china_by_bri_status" in stats:
        bri = stats["pairs_with_china_by_bri_status"]
        out.print(
            f"pairs with China: partner signed a BRI document {bri['partner_signed']}, not {bri['partner_not_signed']}"
        )
    d = stats["distance_km"]
    out.print(
        f"distance: median {d['median']} km, mean {d['mean']} km; "
        + ", ".join(f"{b['from_km']}–{b['to_km']} km: {b['pairs']}" for b in d["histogram"])
    )
    if stats.get("charts"):
        out.print("charts: " + ", ".join(stats["charts"]), markup=False)
