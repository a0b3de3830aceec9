"""Static charts (PNG for slides, SVG for papers) drawn with matplotlib from analysis results.

They are drawn from the same dictionaries that ``--json`` prints, so a chart never shows a figure
that the JSON does not contain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl

mpl.use("Agg")  # no display: files only, also on servers and in CI

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from beltroad.errors import ValidationFailed

if TYPE_CHECKING:
    from beltroad.analysis.partner_network import NetworkStatistics
    from beltroad.trade import CountryEffect
    from beltroad.transport import ScenarioRun

FORMATS = ("png", "svg")
BLUE, RED = "#1f5f9e", "#b3261e"


def _barh(ax: Any, labels: list[str], values: list[float], title: str, xlabel: str) -> None:
    ax.barh(labels[::-1], values[::-1], color=BLUE)
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_xlabel(xlabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _degree_distribution(stats: Mapping[str, Any], fig: Figure) -> None:
    ax = fig.subplots()
    rows = stats["degree_distribution"]
    ax.loglog([r["degree"] for r in rows], [r["places"] for r in rows], "o", color=BLUE, markersize=4)
    ax.set_title("Partners per place (degree distribution)", loc="left", fontsize=11)
    ax.set_xlabel("partnerships of a place")
    ax.set_ylabel("places")


def _top_china(stats: Mapping[str, Any], fig: Figure) -> None:
    rows = stats["top_degree_china"]
    _barh(
        fig.subplots(),
        [r["name"] for r in rows],
        [r["value"] for r in rows],
        "Most partnered Chinese places",
        "friendship-city partnerships",
    )


def _top_provinces(stats: Mapping[str, Any], fig: Figure) -> None:
    rows = stats["top_provinces_china"]
    _barh(
        fig.subplots(),
        [r["name"] for r in rows],
        [r["pairs"] for r in rows],
        "Most partnered Chinese provinces",
        "partnerships of their places",
    )


def _distances(stats: Mapping[str, Any], fig: Figure) -> None:
    rows = stats["distance_km"]["histogram"]
    ax = fig.subplots()
    ax.bar([f"{r['from_km']:,}–{r['to_km']:,}" for r in rows], [r["pairs"] for r in rows], color=BLUE)
    ax.set_title(
        f"Distance between partners (median {stats['distance_km']['median']:,} km)", loc="left", fontsize=11
    )
    ax.set_xlabel("great-circle distance, km")
    ax.set_ylabel("partnerships")
    ax.tick_params(axis="x", labelrotation=20)


def _bri_years(stats: Mapping[str, Any], fig: Figure) -> None:
    bri = stats["pairs_with_china_by_bri_status"]
    ax = fig.subplots()
    rows = bri["by_year_of_signing"]
    ax.bar([str(r["year"]) for r in rows], [r["pairs"] for r in rows], color=RED)
    ax.set_title(
        f"Partnerships with China by the partner country's year of BRI signing "
        f"(not signed: {bri['partner_not_signed']:,})",
        loc="left",
        fontsize=10,
    )
    ax.set_xlabel("year the partner country signed a BRI cooperation document")
    ax.set_ylabel("partnerships with Chinese places")


NETWORK_CHARTS: dict[
    str, tuple[Callable[[Mapping[str, Any], Figure], None], Callable[[Mapping[str, Any]], bool]]
] = {
    "degree-distribution": (_degree_distribution, lambda s: bool(s.get("degree_distribution"))),
    "top-chinese-places": (_top_china, lambda s: bool(s.get("top_degree_china"))),
    "top-chinese-provinces": (_top_provinces, lambda s: bool(s.get("top_provinces_china"))),
    "partner-distances": (_distances, lambda s: bool(s.get("distance_km", {}).get("median"))),
    "china-pairs-by-bri-year": (_bri_years, lambda s: "pairs_with_china_by_bri_status" in s),
}


def write_network_charts(
    stats: NetworkStatistics, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """One file per chart and format; charts whose data is absent (no BRI import) are skipped."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, (draw, applies) in NETWORK_CHARTS.items():
        if not applies(stats):
            continue
        # a fixed salt makes the SVG's element ids, and so the files, the same on every run
        with mpl.rc_context({"svg.hashsalt": "beltroad"}):
            fig = plt.figure(figsize=(7.5, 4.5), layout="constrained")
            try:
                draw(stats, fig)
                for fmt in formats:
                    path = out_dir / f"{name}.{fmt}"
                    fig.savefig(path, dpi=150 if fmt == "png" else "figure", metadata=_metadata(fmt))
                    written.append(path)
            finally:
                plt.close(fig)
    return written


def _metadata(fmt: str) -> dict[str, Any]:
    # no creation date in the files, so the same data gives byte-identical charts
    return {"Date": None} if fmt == "svg" else {"Software": "beltroad"}


def _save(fig: Figure, path: Path) -> Path:
    if path.suffix.lower() not in {".png", ".svg"}:
        plt.close(fig)
        msg = f"{path}: charts are written as .png or .svg"
        raise ValidationFailed(msg)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        path, dpi=150 if path.suffix.lower() == ".png" else "figure", metadata=_metadata(path.suffix[1:])
    )
    plt.close(fig)
    return path


def write_series_chart(
    rows: list[dict[str, Any]], a: str, b: str, path: Path, *, unit: str, source: str
) -> Path:
    """Both directions of a pair's trade by year, stacked (billions where the unit is US dollars)."""
    scale, label = (1e9, "billion US dollars") if unit == "US dollars" else (1.0, unit)
    with mpl.rc_context({"svg.hashsalt": "beltroad"}):
        fig = plt.figure(figsize=(7.5, 4.2), layout="constrained")
        ax = fig.subplots()
        years = [r["year"] for r in rows]
        ab = [r[f"{a}_to_{b}"] / scale for r in rows]
        ba = [r[f"{b}_to_{a}"] / scale for r in rows]
        ax.bar(years, ab, color=BLUE, label=f"{a} → {b}")
        ax.bar(years, ba, bottom=ab, color=RED, label=f"{b} → {a}")
        ax.set_title(f"Trade between {a} and {b}", loc="left", fontsize=11)
        ax.set_ylabel(label)
        ax.legend(frameon=False)
        fig.text(0.01, 0.005, f"Source: {source}", fontsize=7, color="#666")
        return _save(fig, path)


def write_partners_chart(
    rows: Sequence[Mapping[str, Any]], country: str, year: int, path: Path, source: str
) -> Path:
    """A country's partners by share of its trade in one year."""
    with mpl.rc_context({"svg.hashsalt": "beltroad"}):
        fig = plt.figure(figsize=(7.5, 0.3 * len(rows) + 1.5), layout="constrained")
        _barh(
            fig.subplots(),
            [r["partner"] for r in rows],
            [r["share_percent"] for r in rows],
            f"Trade partners of {country}, {year}",
            "share of its trade, %",
        )
        fig.text(0.01, 0.005, f"Source: {source}", fontsize=7, color="#666")
        return _save(fig, path)


def write_scenario_chart(result: ScenarioRun, path: Path, top: int = 15) -> Path:
    """The city pairs a scenario speeds up most: hours before and after, side by side."""
    pairs = [p for p in result.pairs if p.hours_before is not None][:top]
    with mpl.rc_context({"svg.hashsalt": "beltroad"}):
        fig = plt.figure(figsize=(8, 0.35 * len(pairs) + 1.6), layout="constrained")
        ax = fig.subplots()
        labels = [f"{p.origin} → {p.destination}" for p in pairs][::-1]
        y = range(len(pairs))
        ax.barh(
            [i + 0.2 for i in y],
            [p.hours_before or 0.0 for p in pairs][::-1],
            height=0.4,
            color="#999",
            label="before",
        )
        ax.barh(
            [i - 0.2 for i in y],
            [p.hours_after or 0.0 for p in pairs][::-1],
            height=0.4,
            color=BLUE,
            label="after",
        )
        ax.set_yticks(list(y), labels, fontsize=8)
        ax.set_xlabel("door-to-door hours by rail")
        ax.set_title(result.name, loc="left", fontsize=10)
        ax.legend(frameon=False)
        return _save(fig, path)


def write_effects_chart(
    countries: Sequence[CountryEffect],
    path: Path,
    *,
    title: str,
    source: str,
    measure: str = "welfare_change",
    top: int = 25,
) -> Path:
    """Each country's change in a GE measure (percent), largest first, with its 90 % interval
    as a whisker where the run had draws.

    Parameters
    ----------
    countries
        The result's per-country effects (``FlowCounterfactual.countries``, ``FlowImpact.countries``).
    path
        A .png or .svg file.
    title, source
        The chart's title and the source line under it (data set, year, model).
    measure
        A field of ``CountryEffect``, e.g. ``welfare_change`` or ``foreign_exports_change``.
    top
        How many countries, by the size of their change.

    Returns
    -------
    Path
        The file written.
    """
    if not countries:
        msg = "no country effects to chart"
        raise ValidationFailed(msg)
    if not hasattr(countries[0], measure):
        msg = f"unknown measure {measure!r}; charts draw welfare_change, foreign_exports_change and the like"
        raise ValidationFailed(msg)
    chosen = sorted(countries, key=lambda c: -abs(getattr(c, measure)))[:top]
    chosen.sort(key=lambda c: getattr(c, measure))
    values = [getattr(c, measure) for c in chosen]
    bands = [c.bands.get(measure) if c.bands else None for c in chosen]
    with mpl.rc_context({"svg.hashsalt": "beltroad"}):
        fig = plt.figure(figsize=(7.5, 0.28 * len(chosen) + 1.8), layout="constrained")
        ax = fig.subplots()
        y = list(range(len(chosen)))
        ax.barh(y, values, color=[BLUE if v >= 0 else RED for v in values], height=0.6)
        if any(b is not None for b in bands):
            low = [v - b.low if b else 0.0 for v, b in zip(values, bands, strict=True)]
            high = [b.high - v if b else 0.0 for v, b in zip(values, bands, strict=True)]
            ax.errorbar(values, y, xerr=[low, high], fmt="none", ecolor="#333", capsize=2, lw=0.8)
        ax.set_yticks(y, [c.country for c in chosen])
        ax.axvline(0, color="#666", lw=0.6)
        ax.set_title(title, loc="left", fontsize=11)
        whiskers = ", whiskers: 90 % interval over the draws" if any(bands) else ""
        ax.set_xlabel(f"{measure.replace('_', ' ')}, %{whiskers}")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        # a figure-level label takes its own room in the constrained layout, under the axis title
        fig.supxlabel(f"Source: {source}", fontsize=7, color="#666", x=0.01, ha="left")
        return _save(fig, path)
