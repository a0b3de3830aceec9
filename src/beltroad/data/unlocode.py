"""The field's small places from UN/LOCODE: sea ports, rail terminals, dry ports and border crossings.

GeoNames' city table stops at towns of 1,000 people, and the places that BRI prose names most
often below that are not towns at all: a pass (Torkham), a dry port (Zamyn-Üüd), a port village
(Zarubino), a railhead (Boten). UN/LOCODE (UNECE, public domain) lists them with their functions;
the package ships the subset that has a port, rail, dry-port or border-crossing function and a
coordinate (``unlocode_field.csv.gz``, 38,000 of 116,000 locations), built from the merged edition
with coordinates of Geoapify's un-locode repository (MIT; its licence is shipped beside it).

Rebuild the subset with ``python -m beltroad.data.unlocode SOURCE.csv.gz`` (the repository's
``../shared/data/places/unlocode_all.csv.gz``).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

SUBSET = Path(__file__).with_name("unlocode_field.csv.gz")
#: UN/LOCODE function digits kept, and what a place with that function is for the knowledge base
FUNCTIONS = {"1": "port", "2": "rail", "6": "dry port", "B": "border crossing"}


class Location(NamedTuple):
    """One UN/LOCODE location of the subset."""

    code: str  # "KG IRK": the country's ISO 3166-1 alpha-2 code, a space, three letters or digits
    name: str
    functions: str  # the kept function digits, as "126B"
    lat: float
    lon: float

    @property
    def country_iso2(self) -> str:
        return self.code[:2]


@cache
def field_locations() -> tuple[Location, ...]:
    """The shipped subset, read once (about 0.1 s)."""
    with gzip.open(SUBSET, "rt", encoding="utf-8", newline="") as f:
        return tuple(
            Location(row["code"], row["name"], row["functions"], float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(f)
        )


def build(source: Path, target: Path = SUBSET) -> int:
    """Write the subset of ``source`` (the merged UN/LOCODE CSV) to ``target``; returns its rows.

    Parameters
    ----------
    source
        ``unlocode_all.csv.gz`` of Geoapify's un-locode (columns country, location, name,
        nameWoDiacritics, function, lat, lon).
    target
        Where the subset goes; the package's own file by default.

    Returns
    -------
    int
        The number of locations written.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "functions", "lat", "lon"])
    n = 0
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kept = "".join(d for d in FUNCTIONS if d in row["function"])
            if not kept or not row["lat"] or not row["lon"]:
                continue
            # the merge mis-decoded some names ("Zamyn-\ufffdd"); its diacritic-free form is whole
            name = row["name"] if "\ufffd" not in row["name"] else row["nameWoDiacritics"]
            if "\ufffd" in name or not name.strip():
                continue
            code = f"{row['country']} {row['location']}"
            writer.writerow([code, name.strip(), kept, f"{float(row['lat']):.4f}", f"{float(row['lon']):.4f}"])
            n += 1
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(out.getvalue())
    return n


if __name__ == "__main__":  # pragma: no cover - a maintainer's step, run by hand
    if len(sys.argv) != 2:
        sys.exit("usage: python -m beltroad.data.unlocode SOURCE.csv.gz")
    print(f"{build(Path(sys.argv[1]))} locations written to {SUBSET}")
