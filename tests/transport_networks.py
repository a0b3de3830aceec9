"""Small networks the transport tests build by hand: a line across five countries, random
connected graphs, a rail–sea–road network with a terminal, a scenario with one shortcut."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from beltroad.transport import (
    Endpoint,
    Network,
)


def _network(
    edges: list[tuple[int, int, float]], lat: list[float], lon: list[float], country: list[str]
) -> Network:
    rows = [a for a, b, _ in edges] + [b for a, b, _ in edges]
    cols = [b for a, b, _ in edges] + [a for a, b, _ in edges]
    km = [w for *_, w in edges] * 2
    n = len(lat)
    matrix = sparse.csr_matrix((np.array(km, float), (rows, cols)), shape=(n, n))
    return Network("rail", np.array(lat, float), np.array(lon, float), np.array(country), matrix, "test")


def _at(net: Network, i: int, name: str = "") -> Endpoint:
    return Endpoint(name or f"n{i}", name or f"n{i}", float(net.lat[i]), float(net.lon[i]), f"node:{i}")


def _line() -> Network:
    """China → Kazakhstan → Russia → Belarus → Poland along a parallel, 100 km a step."""
    countries = ["CHN", "CHN", "KAZ", "KAZ", "RUS", "BLR", "POL", "POL"]
    lon = [80.0 - i for i in range(len(countries))]
    edges = [(i, i + 1, 100.0) for i in range(len(countries) - 1)]
    return _network(edges, [45.0] * len(countries), lon, countries)


def _random(seed: int, n: int = 40) -> Network:
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(40, 50, n), rng.uniform(60, 80, n)
    edges = [(i, i + 1, float(rng.uniform(50, 150))) for i in range(n - 1)]  # connected
    edges += [(int(a), int(b), float(rng.uniform(50, 400))) for a, b in rng.integers(0, n, (60, 2)) if a != b]
    countries = ["CHN" if x > 70 else "KAZ" for x in lon]
    return _network(edges, list(lat), list(lon), countries)


def _two_modes(terminal: str = "") -> Network:
    """A rail line 0–1–2, a sea lane 3–4 joined to it at a port (2–3) and to a rail node 6 at the
    far port (4–6), and a road node 5 joined to the rail at a terminal 60 km away (5–0), named
    ``terminal`` (as the network names a curated dry port on its rail node)."""
    lat, lon = [50.0] * 5 + [50.5, 50.0], [10.0, 11.0, 12.0, 12.01, 20.0, 10.0, 20.01]
    edges = [(0, 1, 100.0), (1, 2, 100.0), (2, 3, 1.0), (3, 4, 600.0), (5, 0, 60.0), (4, 6, 1.0)]
    rows = [a for a, b, _ in edges] + [b for a, b, _ in edges]
    cols = [b for a, b, _ in edges] + [a for a, b, _ in edges]
    km = [k for *_, k in edges] * 2
    matrix = sparse.csr_matrix((km, (rows, cols)), shape=(7, 7))
    modes = np.array([0, 0, 0, 2, 2, 1, 0], dtype=np.int8)
    names = np.array([terminal, "", "", "Near (XXNEA)", "Far (XXFAR)", "", ""])
    entry = modes != 2
    return Network(
        "multimodal", np.array(lat), np.array(lon), np.array(["DEU"] * 7), matrix, "test", modes, entry, names
    )


def _shortcut(**link: float) -> Any:
    from beltroad.transport import Scenario

    return Scenario.model_validate(
        {
            "id": "shortcut",
            "name": "A shortcut",
            "project": "p",
            "summary": "s",
            "countries": ["CHN", "KAZ"],
            "changes": [
                {"kind": "link", "from": {"lat": 45.0, "lon": 80.0}, "to": {"lat": 45.0, "lon": 77.0}, **link}
            ],
            "cite": [{"title": "t"}],
        }
    )
