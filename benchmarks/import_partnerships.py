"""Time `beltroad db init` and the import of the friendship-city file on a fresh SQLite store.

Run: .venv/bin/python benchmarks/import_partnerships.py [PATH_TO_CSV]
Prints wall time, each command's own peak resident memory, and the importer's report. There is no peer here: this is an importer, not an analysis; the figures
go to BENCHMARKS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "partnerships" / "twin_cities_wikipedia.csv"


#: runs the CLI in a child that reports its own peak memory on exit (Linux: KiB)
CHILD = (
    "import atexit, resource, sys;"
    "atexit.register(lambda: sys.stderr.write(f'PEAK_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'));"
    "from beltroad.cli import main; sys.argv = ['beltroad', *sys.argv[1:]]; main()"
)


def run(*args: str) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    peak_kb = int(proc.stderr.rsplit("PEAK_KB=", 1)[1].split()[0])
    return wall, peak_kb / 1024, proc.stdout


def main() -> None:
    csv = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.sqlite"
        wall, peak, _ = run("--db", db, "db", "init")
        print(f"db init: {wall:.2f} s wall, peak RSS {peak:.0f} MB")
        wall, peak, out = run("--db", db, "import", "partnerships", str(csv), "--json")
        report = json.loads(out)
        print(f"import partnerships: {wall:.2f} s wall, peak RSS {peak:.0f} MB")
        for key in (
            "rows",
            "rows_resolved",
            "rows_unresolved",
            "partnerships",
            "new_gazetteer_places",
            "new_file_places",
            "seconds_resolving",
            "seconds_total",
        ):
            print(f"  {key}: {report[key]}")
        wall, peak, _ = run("--db", db, "db", "check")
        print(f"db check (curated + imported): {wall:.2f} s wall, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
