"""Each city's market size in US dollars: a cited national GDP shared out by population.

The study weighs market access by each city's economic size. No open table gives GDP per city for
the study's 24 countries, so beltroad constructs it, and says how: a city's GDP is its GeoNames
population times its country's GDP per person, the national GDP from a file the user imports
and the national population from GeoNames' country table (the same gazetteer the cities come
from, so the shares of a country never add to more than its GDP).

Two public files are read by their own columns, and a plain table of one's own by ``iso3`` and
``gdp_usd``:

- AidData's Global Chinese Development Finance 3.0 country aggregates (``iso3c``,
  ``gdp_usd_bn``): GDP from the IMF's World Economic Outlook as the file carries it; the file
  does not state the year;
- OECD ICIO 2022 country totals (``country``, ``gross_output_usd_mn``,
  ``interm_purchases_from_80_usd_mn``): value added constructed as gross output less intermediate
  purchases from the 80 economies, year 2022. It leaves out purchases from the rest of the world
  and net taxes on products, so it is a little above GDP (China 17.4 trillion).

Given several files, the first that has a country gives its GDP; every country's origin is kept
with the results.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from beltroad.data.gazetteer import gazetteer
from beltroad.errors import ValidationFailed


@dataclass(frozen=True)
class NationalGDP:
    """One country's GDP in US dollars, and where it comes from."""

    country: str
    usd: float
    file: str
    method: str
    year: str


#: how each known file's columns are read: (ISO3 column, value columns, USD per unit, method, year)
_FORMATS: tuple[tuple[str, tuple[str, ...], float, str, str], ...] = (
    (
        "iso3c",
        ("gdp_usd_bn",),
        1e9,
        "GDP (IMF World Economic Outlook) as AidData's GCDF 3.0 country aggregates carry it",
        "not stated in the file",
    ),
    (
        "country",
        ("gross_output_usd_mn", "interm_purchases_from_80_usd_mn"),
        1e6,
        "value added constructed from OECD ICIO 2022: gross output less intermediate purchases from "
        "the 80 economies (purchases from the rest of the world and net taxes left in, so a little above GDP)",
        "2022",
    ),
    ("iso3", ("gdp_usd",), 1.0, "GDP in US dollars, as the file gives it", "as the file gives it"),
)


def read_national_gdp(path: Path) -> dict[str, NationalGDP]:
    """National GDP by ISO3 code from one file of a known form (see the module's notes).

    Raises
    ------
    ValidationFailed
        The file is missing or of no known form, or a value is not a positive number (naming the
        line and column).
    """
    if not path.is_file():
        msg = f"{path}: no such GDP file"
        raise ValidationFailed(msg)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = set(reader.fieldnames or [])
        form = next((f for f in _FORMATS if {f[0], *f[1]} <= header), None)
        if form is None:
            known = "; ".join(f"{f[0]} + {' + '.join(f[1])}" for f in _FORMATS)
            msg = f"{path}: not a GDP table of a known form (columns {known})"
            raise ValidationFailed(msg)
        code_col, value_cols, scale, method, year = form
        found: dict[str, NationalGDP] = {}
        for line, row in enumerate(reader, start=2):
            code = (row[code_col] or "").strip().upper()
            # a blank figure is one the file does not give: the country is left to the next file
            if not code or any(not (row[c] or "").strip() for c in value_cols):
                continue
            try:
                values = [float(row[c]) for c in value_cols]
            except ValueError:
                msg = f"{path}, line {line}: {', '.join(value_cols)} must be numbers, got {[row[c] for c in value_cols]}"
                raise ValidationFailed(msg) from None
            usd = (values[0] - sum(values[1:])) * scale
            if not usd > 0:
                msg = f"{path}, line {line}: the GDP of {code} is not positive ({usd:,.0f} USD)"
                raise ValidationFailed(msg)
            found[code] = NationalGDP(code, usd, path.name, method, year)
    return found


def national_gdp(paths: list[Path], countries: list[str]) -> dict[str, NationalGDP]:
    """Each country's GDP from the first of ``paths`` that has it.

    Raises
    ------
    ValidationFailed
        A country none of the files has (naming them, and the files).
    """
    chosen: dict[str, NationalGDP] = {}
    for path in paths:
        for code, gdp in read_national_gdp(path).items():
            chosen.setdefault(code, gdp)
    missing = [c for c in countries if c not in chosen]
    if missing:
        msg = (
            f"no GDP for {', '.join(missing)} in {', '.join(str(p) for p in paths)}; "
            "add a file that has them (--gdp may be given more than once)"
        )
        raise ValidationFailed(msg)
    return {c: chosen[c] for c in countries}


def country_population(code: str) -> float:
    """A country's population in GeoNames' country table (the gazetteer the sweep's waypoints and
    cities already come from)."""
    found = gazetteer().by_iso3.get(code)
    if found is None:
        msg = f"GeoNames has no country {code!r}"
        raise ValidationFailed(msg)
    return float(found["population"])


def city_gdp(
    population: NDArray[np.float64], countries: NDArray[np.str_], gdp: dict[str, NationalGDP]
) -> NDArray[np.float64]:
    """Each city's GDP in US dollars: its population times its country's GDP per person."""
    per_person = {c: g.usd / country_population(c) for c, g in gdp.items()}
    return np.array([p * per_person[str(c)] for p, c in zip(population, countries, strict=True)])
