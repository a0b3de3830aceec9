"""Throughput and latency of the read API beside Datasette, on the same SQLite file, in one run.

Run:  .venv/bin/python benchmarks/api.py [--seconds 8] [--datasette .venv-bench/bin/datasette]
Needs wrk (Debian package `wrk`) and Datasette in its own environment
(`python3 -m venv .venv-bench && .venv-bench/bin/pip install datasette`).

The store holds the curated records plus the 25,917 imported friendship-city pairs. Two queries:
the map's partnership layer for China as GeoJSON, and a filtered list (partnerships in Belarus,
100 per page, with citations). Datasette runs the equivalent SQL (same rows, the same columns,
citations aggregated per row) in immutable mode, its fastest. beltroad runs twice: with its
version-keyed response cache (what users get) and with the cache off (every request queried).
Each server is one process; wrk uses 2 threads (1 at a single connection) at 1, 16 and 64 connections,
and sends `Accept-Encoding: gzip` as browsers do (Datasette answers uncompressed without a plugin).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "partnerships" / "twin_cities_wikipedia.csv"
BELTROAD = [sys.executable, "-m", "beltroad.cli"]

PARTNERSHIP_LINES = """
SELECT r.id, r.name, r.subkind, r.status, r.date_start, a.lon AS lon1, a.lat AS lat1, b.lon AS lon2, b.lat AS lat2,
  (SELECT count(*) FROM citations c WHERE c.record_id = r.id) AS citations
FROM records r
JOIN record_links la ON la.src_id = r.id AND la.rel = 'places' JOIN records a ON a.id = la.dst_id
JOIN record_links lb ON lb.src_id = r.id AND lb.rel = 'places' AND lb.dst_id > la.dst_id JOIN records b ON b.id = lb.dst_id
WHERE r.kind = 'partnership' AND r.retired = 0
  AND EXISTS (SELECT 1 FROM record_countries rc WHERE rc.record_id = r.id AND rc.country = :country)
ORDER BY r.id
"""
FILTERED_LIST = """
SELECT r.id, r.kind, r.subkind, r.name, r.status, r.date_start, r.date_precision, r.lon, r.lat, r.origin,
  (SELECT json_group_array(rc.country) FROM record_countries rc WHERE rc.record_id = r.id) AS countries,
  (SELECT json_group_array(json_object('source', c.source_id, 'locator', c.locator, 'path', c.path))
     FROM citations c WHERE c.record_id = r.id) AS citations
FROM records r
WHERE r.kind = 'partnership' AND r.retired = 0
  AND EXISTS (SELECT 1 FROM record_countries rc WHERE rc.record_id = r.id AND rc.country = :country)
ORDER BY r.kind, r.name, r.id LIMIT 100
"""
QUERIES = {
    "map GeoJSON: partnerships of China": ("/api/geo/partnerships?country=CHN", PARTNERSHIP_LINES, "CHN"),
    "filtered list: partnerships in Belarus, 100": (
        "/api/records?kind=partnership&country=BLR&limit=100",
        FILTERED_LIST,
        "BLR",
    ),
}
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise RuntimeError(f"{url} did not come up")


def datasette_url(base: str, sql: str, country: str) -> str:
    query = urllib.parse.urlencode({"sql": " ".join(sql.split()), "country": country, "_shape": "array"})
    return f"{base}/bench.json?{query}"


def wrk(url: str, connections: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(2, connections)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50_ms": latency("50"), "p99_ms": latency("99")}


def count(url: str) -> int:
    body = json.loads(urllib.request.urlopen(url, timeout=60).read())
    if isinstance(body, list):
        return len(body)
    return len(body.get("features") or body.get("items") or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--datasette", default=str(ROOT / ".venv-bench" / "bin" / "datasette"))
    parser.add_argument("--connections", default="1,16,64")
    args = parser.parse_args()
    if not shutil.which("wrk") or not Path(args.datasette).exists():
        sys.exit("needs wrk and Datasette; see this script's docstring")
    tmp = Path(tempfile.mkdtemp(prefix="beltroad-bench-"))
    db = tmp / "bench.db"
    url = f"sqlite:///{db}"
    subprocess.run([*BELTROAD, "--db", url, "db", "init"], check=True, capture_output=True)
    subprocess.run(
        [*BELTROAD, "--db", url, "import", "partnerships", str(PAIRS), "--json"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["sqlite3", str(db), "PRAGMA wal_checkpoint(TRUNCATE);"], check=False, capture_output=True)
    servers: dict[str, tuple[list[str], dict[str, str], bool]] = {
        "beltroad (cache)": ([*BELTROAD, "--db", url, "serve", "--port", "{port}"], {}, True),
        "beltroad (cache, 2 workers)": (
            [*BELTROAD, "--db", url, "serve", "--port", "{port}", "--workers", "2"],
            {},
            True,
        ),
        "beltroad (no cache)": (
            [*BELTROAD, "--db", url, "serve", "--port", "{port}"],
            {"BELTROAD_RESPONSE_CACHE_BYTES": "0"},
            True,
        ),
        "datasette -i": (
            [
                args.datasette,
                "serve",
                "-i",
                str(db),
                "--port",
                "{port}",
                "--setting",
                "max_returned_rows",
                "100000",
                "--setting",
                "sql_time_limit_ms",
                "30000",
                "--setting",
                "num_sql_threads",
                "3",
            ],
            {},
            False,
        ),
    }
    results: dict[str, dict[str, dict[int, dict[str, float]]]] = {}
    conns = [int(c) for c in args.connections.split(",")]
    for name, (cmd, env, ours) in servers.items():
        port = free_port()
        proc = subprocess.Popen(
            [c.format(port=port) for c in cmd],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + ("/api/health" if ours else "/-/versions.json"))
            for label, (path, sql, country) in QUERIES.items():
                target = base + path if ours else datasette_url(base, sql, country)
                rows = count(target)
                print(f"{name:20} {label}: {rows} rows", flush=True)
                wrk(target, 4, 2)  # warm up
                for c in conns:
                    r = wrk(target, c, args.seconds)
                    results.setdefault(label, {}).setdefault(name, {})[c] = r
                    print(
                        f"  {c:3d} connections: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms",
                        flush=True,
                    )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # still answering queued requests
                proc.kill()
                proc.wait()
    print()
    for label, by_server in results.items():
        print(f"## {label}")
        print("| server | connections | requests/s | p50 ms | p99 ms | ratio to Datasette (req/s) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, by_conn in by_server.items():
            for c, r in by_conn.items():
                ratio = r["rps"] / by_server["datasette -i"][c]["rps"]
                print(
                    f"| {name} | {c} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {ratio:.2f} |"
                )
        print()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
