"""Importing a BACI-sized trade file: `beltroad trade import baci` beside pandas, and beside DuckDB's
bare CSV-to-Parquet copy (no checks), each in its own process so peak memory is its own.

Run: .venv/bin/python benchmarks/trade_import.py [ROWS]   (default 10,000,000, about a BACI year)
Writes a synthetic BACI file (t,i,j,k,v,q with Comtrade numeric codes and six-digit products; every
exporter-importer-product once) to a temporary folder, then times the three and reports wall time,
peak resident memory and the ratios.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pycountry

PANDAS = """
import sys, pandas as pd
frame = pd.read_csv(sys.argv[1], dtype={"k": str})
frame.to_parquet(sys.argv[2])
"""
DUCKDB = """
import sys, duckdb
duckdb.sql(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (FORMAT parquet)")
"""


def make_baci(path: Path, rows: int) -> None:
    codes = sorted(int(c.numeric) for c in pycountry.countries)[:200]
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TABLE c AS SELECT unnest(?) AS code", [codes])
    products = max(1, rows // (len(codes) * (len(codes) - 1)) + 1)
    con.execute(
        f"""COPY (SELECT 2021 AS t, a.code AS i, b.code AS j, lpad(CAST(10000 + p * 37 AS VARCHAR), 6, '0') AS k,
                round(random() * 1000, 3) AS v, round(random() * 100, 3) AS q
              FROM c a, c b, range({products}) r(p) WHERE a.code <> b.code LIMIT {rows})
            TO '{path}' (FORMAT csv, HEADER)"""
    )


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process (os.wait4 reports its own usage)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{cmd[:4]} failed with status {status}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        make_baci(Path(sys.argv[2]), int(sys.argv[3]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "BACI_synthetic.csv"
        start = time.perf_counter()
        # written by a child: a parent grown large would pass its high-water mark on to the forks
        subprocess.run([sys.executable, __file__, "--write", str(source), str(rows)], check=True)
        print(
            f"{rows:,} rows, {source.stat().st_size / 1e6:.0f} MB CSV written in {time.perf_counter() - start:.1f} s"
        )
        results = {}
        # each in a fresh interpreter, so the peak memory is that of the one task
        results["duckdb copy, no checks"] = timed(
            [sys.executable, "-c", DUCKDB, str(source), str(folder / "d.parquet")]
        )
        results["beltroad trade import"] = timed(
            [sys.executable, "-m", "beltroad.cli", "trade", "import", "baci", str(source), "--json"],
            env={"BELTROAD_DATA_DIR": str(folder / "var")},
        )
        results["beltroad, memory limit 256MB"] = timed(
            [
                sys.executable,
                "-m",
                "beltroad.cli",
                "trade",
                "import",
                "baci",
                str(source),
                "--json",
                "--name",
                "low",
            ],
            env={"BELTROAD_DATA_DIR": str(folder / "var"), "BELTROAD_TRADE_MEMORY_LIMIT": "256MB"},
        )
        results["pandas read_csv + to_parquet"] = timed(
            [sys.executable, "-c", PANDAS, str(source), str(folder / "p.parquet")]
        )
        ours = results["beltroad trade import"][0]
        for label, (wall, peak) in results.items():
            print(f"{label:32} {wall:7.1f} s   peak RSS {peak:7.0f} MB   time / ours {wall / ours:5.2f}")


if __name__ == "__main__":
    main()
