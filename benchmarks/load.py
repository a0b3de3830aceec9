"""Reads under load on loopback: with and without an editor writing, misses, cache-busting and a
cold map layer, on a store with the 25,917 imported friendship-city pairs.

Run:  .venv/bin/python benchmarks/load.py [--seconds 10] [--workers 1]

A bounded asyncio client (httpx) sends requests only to the server this script starts on
127.0.0.1, at a fixed number in flight, for a fixed time or count, and stops by itself. Each
scenario prints requests per second, latency percentiles and status counts; the issue's figures
for the code before this change are quoted beside them (same machine class, same store).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "partnerships" / "twin_cities_wikipedia.csv"
BELTROAD = [sys.executable, "-m", "beltroad.cli"]
LIST = "/api/records?kind=partnership&country=CHN&limit=100"
LAYER = "/api/geo/partnerships"
RECORD = "/api/records/belarusian-style-town"
CITE = {"source": "yang-belarus-town", "section": "Results and discussion", "paragraph": 4}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: the environment of the server and the CLI calls (``--code`` points them at another checkout)
ENV = dict(os.environ)


def run(*args: str, db: str) -> str:
    done = subprocess.run([*BELTROAD, "--db", db, *args], capture_output=True, text=True, check=True, env=ENV)
    return done.stdout


async def hammer(
    client: httpx.AsyncClient, urls: list[str] | None, url: str | None, in_flight: int, seconds: float | None
) -> tuple[float, list[float], Counter[int]]:
    """Send GETs with ``in_flight`` at once: the ``urls`` once each, or ``url`` for ``seconds``."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queue = list(urls or [])
    deadline = time.perf_counter() + (seconds or 0)

    async def one_worker() -> None:
        while True:
            if urls is not None:
                if not queue:
                    return
                target = queue.pop()
            elif time.perf_counter() >= deadline:
                return
            else:
                target = url or "/"
            start = time.perf_counter()
            try:
                answer = await client.get(target, headers={"accept-encoding": "gzip"})
                statuses[answer.status_code] += 1
            except httpx.HTTPError:
                statuses[0] += 1
            latencies.append(time.perf_counter() - start)

    began = time.perf_counter()
    await asyncio.gather(*(one_worker() for _ in range(in_flight)))
    return time.perf_counter() - began, latencies, statuses


async def probe(client: httpx.AsyncClient, url: str, stop: asyncio.Event, every: float = 0.2) -> list[float]:
    """A normal reader: one request every ``every`` seconds while the load runs."""
    seen: list[float] = []
    while not stop.is_set():
        start = time.perf_counter()
        await client.get(url)
        seen.append(time.perf_counter() - start)
        await asyncio.sleep(every)
    return seen


async def writer(
    client: httpx.AsyncClient, token: str, stop: asyncio.Event, every: float = 0.5
) -> Counter[int]:
    """An editor correcting one record every ``every`` seconds."""
    statuses: Counter[int] = Counter()
    k = 0
    while not stop.is_set():
        k += 1
        answer = await client.patch(
            RECORD,
            json={"changes": {"note": f"load test {k}"}, "citation": CITE},
            headers={"authorization": f"Bearer {token}"},
        )
        statuses[answer.status_code] += 1
        await asyncio.sleep(every)
    return statuses


MISSES_LUA = """
math.randomseed(7)
local letters = "abcdefghijklmnopqrstuvwxyz-"
request = function()
  local id = {}
  for i = 1, 14 do
    local k = math.random(1, #letters)
    id[i] = letters:sub(k, k)
  end
  return wrk.format("GET", "/api/records/" .. table.concat(id))
end
"""


def wrk(base: str, path: str, connections: int, seconds: float, script: str | None = None) -> str:
    """wrk's requests per second and latency line for one URL (or a script's), if wrk is there."""
    if shutil.which("wrk") is None:
        return "wrk not installed (Debian package wrk)"
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "-H", "Accept-Encoding: gzip"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
    if script:
        cmd += ["-s", lua.name]
    done = subprocess.run([*cmd, base + path], capture_output=True, text=True, check=False).stdout
    Path(lua.name).unlink(missing_ok=True)
    rps = next((line.split()[1] for line in done.splitlines() if line.startswith("Requests/sec")), "?")
    latency = next((" ".join(line.split()[1:3]) for line in done.splitlines() if "Latency" in line), "?")
    errors = next((line.strip() for line in done.splitlines() if "Non-2xx" in line), "")
    return f"{rps} req/s, mean latency {latency} {errors}".strip()


def report(name: str, elapsed: float, latencies: list[float], statuses: Counter[int], before: str) -> None:
    done = len(latencies)
    cuts = statistics.quantiles(latencies, n=100) if done > 1 else [0.0] * 99
    print(
        f"{name}: {done / elapsed:,.0f} req/s over {done} requests; p50 {cuts[49] * 1000:.1f} ms, "
        f"p99 {cuts[98] * 1000:.1f} ms; status {dict(sorted(statuses.items()))}   [before: {before}]"
    )


async def with_writer(base: str, token: str, run: Any) -> tuple[Any, Counter[int], list[float]]:
    """Run ``run()`` (a blocking measurement) while an editor writes and a reader reads the map."""
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        write_task = asyncio.create_task(writer(client, token, stop))
        probe_task = asyncio.create_task(probe(client, LAYER, stop))
        result = await asyncio.to_thread(run)
        stop.set()
        return result, await write_task, await probe_task


def wrk_scenarios(base: str, token: str, seconds: float) -> None:
    """The throughput figures again with wrk, a client that costs the server's CPUs little."""
    print(f"wrk, partnership list, 16 connections: {wrk(base, LIST, 16, seconds)}   [before: 2,815 req/s]")
    result, writes, layer = asyncio.run(with_writer(base, token, lambda: wrk(base, LIST, 16, seconds)))
    print(
        f"wrk, partnership list with a writer every 0.5 s: {result}   [before: 97 req/s]; writes {dict(writes)}; "
        f"map layer meanwhile max {max(layer) * 1000:.0f} ms"
    )
    print(
        f"wrk, random misses, 16 connections: {wrk(base, '/', 16, seconds, MISSES_LUA)}   [before: 2 req/s at 64]"
    )


async def scenarios(base: str, token: str, seconds: float) -> None:
    limits = httpx.Limits(max_connections=80, max_keepalive_connections=80)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # 1. a cold map layer at 64 at once: one computation, the rest wait for it
        elapsed, lat, st = await hammer(client, [LAYER] * 64, None, 64, None)
        report("cold map layer, 64 at once", elapsed, lat, st, "0 responses in 30 s")
        # 2. reads of a list, 16 in flight
        elapsed, lat, st = await hammer(client, None, LIST, 16, seconds)
        report("partnership list, 16 in flight", elapsed, lat, st, "2,815 req/s")
        alone = len(lat) / elapsed
        # 3. the same with an editor writing every 0.5 s, and a normal reader of the map layer
        stop = asyncio.Event()
        write_task = asyncio.create_task(writer(client, token, stop))
        probe_task = asyncio.create_task(probe(client, LAYER, stop))
        elapsed, lat, st = await hammer(client, None, LIST, 16, seconds)
        stop.set()
        writes, layer = await write_task, await probe_task
        report("partnership list with a writer every 0.5 s", elapsed, lat, st, "97 req/s")
        print(
            f"  writes {dict(writes)}; read throughput {len(lat) / elapsed / alone:.0%} of that without; "
            f"map layer meanwhile: max {max(layer) * 1000:.0f} ms over {len(layer)} reads   [before: 29.5 s]"
        )
        # 4. 400 misses at 16 at once, a normal record read meanwhile
        rng = random.Random(7)
        misses = [
            "/api/records/" + "".join(rng.choices(string.ascii_lowercase + "-", k=14)) for _ in range(400)
        ]
        stop = asyncio.Event()
        normal = asyncio.create_task(probe(client, RECORD, stop))
        elapsed, lat, st = await hammer(client, misses, None, 16, None)
        stop.set()
        normal_lat = await normal
        report("400 misses, 16 in flight", elapsed, lat, st, "2 req/s at 64")
        print(f"  a normal record read meanwhile: max {max(normal_lat) * 1000:.0f} ms   [before: 25 s]")
        # 5. cache-busting with unknown parameters
        busting = [f"{LAYER}?x={rng.random()}" for _ in range(200)]
        elapsed, lat, st = await hammer(client, busting, None, 16, None)
        report("map layer with random unknown parameters", elapsed, lat, st, "0.25 req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--code",
        type=Path,
        help="run another checkout's server (its src/ first on the path), e.g. the last release",
    )
    args = parser.parse_args()
    if args.code:
        ENV["PYTHONPATH"] = str(args.code.resolve() / "src")
    if not PAIRS.exists():
        sys.exit(f"needs {PAIRS}")
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'load.sqlite'}"
        run("db", "init", db=db)
        began = time.perf_counter()
        run("import", "partnerships", str(PAIRS), "--json", db=db)
        print(f"imported the friendship-city pairs in {time.perf_counter() - began:.0f} s")
        token = run("user", "add", "load", db=db).strip().splitlines()[-1]
        port = free_port()
        env = {**ENV, "BELTROAD_DATA_DIR": tmp}
        server = subprocess.Popen(
            [*BELTROAD, "--db", db, "serve", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            print(
                f"server: {args.code or 'this checkout'}, {args.workers} worker(s) on {base}; {os.cpu_count()} CPUs"
            )
            asyncio.run(scenarios(base, token, args.seconds))
            wrk_scenarios(base, token, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
