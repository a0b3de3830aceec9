"""Country names as data sets spell them → ISO 3166-1 alpha-3.

Lists scraped from the web write "England", "Republic of Ireland", "Georgia (country)" or
"Réunion, France"; ISO's own names differ ("Türkiye", "Czechia"). Resolution tries, in order:
the alias table below, pycountry's exact look-up, and the part after the last comma.
"""

from __future__ import annotations

from functools import cache

import pycountry

from beltroad.model.names import normalise_name

#: spellings seen in real files, normalised → ISO3 (XKX is the code in common use for Kosovo)
ALIASES: dict[str, str] = {
    normalise_name(k): v
    for k, v in {
        "England": "GBR",
        "Scotland": "GBR",
        "Wales": "GBR",
        "Northern Ireland": "GBR",
        "United Kingdom": "GBR",
        "UK": "GBR",
        "Russia": "RUS",
        "Turkey": "TUR",
        "Republic of Ireland": "IRL",
        "Palestine": "PSE",
        "West Bank": "PSE",
        "Georgia (country)": "GEO",
        "Cape Verde": "CPV",
        "Kosovo": "XKX",
        "Northern Cyprus": "CYP",
        "Ivory Coast": "CIV",
        "São Tomé and Príncipe": "STP",
        "Democratic Republic of the Congo": "COD",
        "Republic of the Congo": "COG",
        "Moldavia": "MDA",
        "Falkland Islands": "FLK",
        "East Timor": "TLS",
        "Bosnia and Hercegovina": "BIH",
        "Surinam": "SUR",
        "Brunei": "BRN",
        "Madagaskar": "MDG",
        "in Italy": "ITA",
        "Grece": "GRC",
        "Kazakhstah": "KAZ",
        "Micronesia": "FSM",
        "South Korea": "KOR",
        "North Korea": "PRK",
        "Laos": "LAO",
        "Vietnam": "VNM",
        "Iran": "IRN",
        "Syria": "SYR",
        "Taiwan": "TWN",
        "Czech Republic": "CZE",
        "Macedonia": "MKD",
        "Swaziland": "SWZ",
        "Burma": "MMR",
        "Vatican City": "VAT",
        "The Gambia": "GMB",
        "The Bahamas": "BHS",
        "Cote d'Ivoire": "CIV",
        "Republic of Congo": "COG",
        "Congo (DRC)": "COD",
        "UAE": "ARE",
        "The Philippines": "PHL",
    }.items()
}
#: ISO 3166-1 alpha-2 codes in Eurostat style, and the Namibia "NA" read as missing
ISO2_QUIRKS: dict[str, str] = {"EL": "GRC", "UK": "GBR", "XK": "XKX"}


@cache
def country_iso3(name: str) -> str | None:
    """ISO3 for a country name or code as data sets write it; None when it cannot be told."""
    text = name.strip()
    if not text:
        return None
    key = normalise_name(text)
    if key in ALIASES:
        return ALIASES[key]
    if text.upper() in ISO2_QUIRKS:
        return ISO2_QUIRKS[text.upper()]
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        pass
    if "," in text:
        return country_iso3(text.rsplit(",", 1)[1])
    return None


def iso2_of(iso3: str) -> str | None:
    if iso3 == "XKX":
        return "XK"
    country = pycountry.countries.get(alpha_3=iso3)
    return str(country.alpha_2) if country else None


@cache
def country_name(iso3: str) -> str:
    """A country's short English name (ISO 3166's common name where it has one: Bolivia, not the
    Plurinational State of), or the code itself when ISO 3166 lacks it."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return str(getattr(country, "common_name", None) or country.name)


@cache
def iso_numeric(iso3: str) -> str | None:
    """A country's ISO 3166-1 numeric code as three digits ("156"), the key Natural Earth's shapes
    carry on the map; None for a code ISO 3166 lacks (Kosovo's XKX)."""
    country = pycountry.countries.get(alpha_3=iso3)
    return None if country is None else str(country.numeric)
