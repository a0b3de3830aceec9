"""Candidates from Chinese- and Russian-language documents: places, dates, quantities and the
friendship-city and trade relations, each with its span in the original text.

English goes through spaCy's tokeniser and the rules of ``extraction`` and ``relations``; Chinese
has no spaces between words and Russian inflects its names (Владивосток, Владивостока), so both
are read here with rules of their own over the same kinds of candidate:

- places by the longest name in the text's script that a dictionary knows: the knowledge base's
  names in other scripts, GeoNames' alternate names of cities (``extraction._gazetteer``) and the
  ISO 3166 country names translated by the Debian iso-codes project (shipped with pycountry) and
  the short names of Unicode's CLDR (shipped with Babel: Россия beside Российская Федерация);
  Russian words match by their Snowball stem, so a name is found in any case; a city's name with
  a region word after it (明斯克州, Минская область) is the knowledge base's region named after
  that city, when it has one;
- dates (2017年5月, 21 мая 2015 г., в марте 2021 года) and quantities with Chinese and Russian
  scales and units (亿美元, 公顷, млн тонн в год, млрд долларов);
- a friendship-city relation (友好城市, 友城, побратимы) between the first two local places of a
  sentence that names one, and trade value or growth between two countries.

Every candidate carries ``language`` and, for relations, a ``gloss``: the sentence's recognised
terms in English beside their originals, for a reviewer who does not read the language.
"""

from __future__ import annotations

import gettext
import itertools
import re
from collections.abc import Iterator
from functools import cache
from typing import Any, cast

import pycountry
from sqlalchemy import Connection

from beltroad.data.gazetteer import city_table
from beltroad.errors import ValidationFailed
from beltroad.ingest.candidates import Candidate
from beltroad.ingest.relations import _relation
from beltroad.model.names import fold_accents, stem
from beltroad.store import curated_places, per_store_version

LANGUAGES = ("en", "zh", "ru")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """``en``, ``zh`` or ``ru`` by the script most of the text's letters are in (Chinese from a
    fifth of them in Han characters: a Chinese page quotes Latin names and numbers); raises
    ValidationFailed naming the script when it is none of these."""
    sample = text[:20_000]
    han, cyr, latin = (len(rx.findall(sample)) for rx in (_HAN, _CYR, _LATIN))
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return "en"
    if han >= 0.2 * letters:
        return "zh"
    if cyr >= 0.5 * letters:
        return "ru"
    if latin >= 0.5 * letters:
        return "en"
    other = next(
        (ch for ch in sample if ch.isalpha() and not (_HAN.match(ch) or _CYR.match(ch) or _LATIN.match(ch))),
        "?",
    )
    msg = (
        f"the document is not in English, Chinese or Russian (most of its letters are like {other!r}); "
        "beltroad reads only these three"
    )
    raise ValidationFailed(msg)


# --- places ------------------------------------------------------------------------------------


class _Place(dict[str, Any]):
    """What a name resolves to: record, name, level, country, lat, lon, resolved_by."""


UNRESOLVED_REGION = "unresolved: a region the knowledge base does not hold"
ISO_CODES = "ISO 3166 (iso-codes translation)"
CLDR = "Unicode CLDR territory name (Babel)"


@cache
def _country_names(language: str) -> dict[str, tuple[str, str, str]]:
    """Country names in ``language`` → (ISO3, English name, where the name is from).

    The iso-codes translations of ISO 3166 give the official forms (Российская Федерация, 俄罗斯联邦);
    prose mostly writes the short ones (Россия, 俄罗斯), which Unicode's CLDR, shipped with Babel,
    publishes per language."""
    from babel import Locale

    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[{"zh": "zh_CN", "ru": "ru"}[language]]
    )
    territories = Locale.parse(language).territories
    found: dict[str, tuple[str, str, str]] = {}
    for country in pycountry.countries:
        for english in {country.name, getattr(country, "common_name", country.name)}:
            local = translation.gettext(english)
            if local != english:
                found.setdefault(local, (country.alpha_3, country.name, ISO_CODES))
        short = territories.get(country.alpha_2)
        if short and short != country.name:
            found.setdefault(short, (country.alpha_3, country.name, CLDR))
    return found


def _key(name: str, language: str) -> tuple[str, ...]:
    """The dictionary key of a name: itself for Chinese, the stems of its words for Russian."""
    if language == "zh":
        return (name,)
    return tuple(stem(w) for w in re.findall(r"\w+", name.casefold()))


def _keys(name: str, language: str) -> list[tuple[str, ...]]:
    """Every key a name is filed under: its key, and for a one-word Russian name also the stem of
    the word without its last soft sign or vowel, where Snowball cuts the nominative shorter than
    the other cases (беларусь → белар, but беларусью → беларус)."""
    keys = [_key(name, language)]
    word = name.casefold()
    if language == "ru" and re.fullmatch(r"\w+", word) and word[-1:] in "ьйаяо" and len(word) > 4:
        keys.append((word[:-1],))
        keys.append((stem(word[:-1]),))
    return list(dict.fromkeys(keys))


def _dictionary(conn: Connection | None, language: str) -> dict[tuple[str, ...], _Place]:
    """The names of one language, built once per store version (seconds: every GeoNames city's
    names are keyed) and shared by every document read after."""
    return per_store_version(conn, f"place-names-{language}", lambda: _build_dictionary(conn, language))


def _build_dictionary(conn: Connection | None, language: str) -> dict[tuple[str, ...], _Place]:
    """Name key → place, for one language: the knowledge base first, then countries, then cities."""
    from beltroad.ingest.extraction import _gazetteer

    script = _HAN if language == "zh" else _CYR
    found: dict[tuple[str, ...], _Place] = {}
    kb_country: dict[str, _Place] = {}
    kb_named: dict[str, _Place] = {}
    for rid, name, subkind, lat, lon, data in curated_places(conn) if conn is not None else []:
        level = "country" if subkind == "country" else "local"
        place = _Place(record=rid, name=name, level=level, lat=lat, lon=lon, resolved_by="knowledge base")
        if data.get("country"):
            place["country"] = data["country"]
        if level == "country":
            kb_country[data["country"]] = place
        kb_named.setdefault(name, place)
        for label in [*(data.get("names") or {}).values(), *(data.get("aliases") or [])]:
            if script.search(label):
                for key in _keys(label, language):
                    found.setdefault(key, place)
    for local, (iso3, english, how) in _country_names(language).items():
        place = kb_country.get(iso3) or _Place(name=english, level="country", resolved_by=how)
        for key in _keys(local, language):
            found.setdefault(key, _Place({**place, "country": iso3}))
    if language == "zh":
        for local, place in _chinese_provinces().items():
            found.setdefault((local,), kb_named.get(place["name"], place))  # the record, where there is one
    if language == "ru":
        for local, place in [*_russian_subdivisions().items(), *_chinese_provinces_ru().items()]:
            for key in _keys(local, language):
                found.setdefault(key, kb_named.get(place["name"], place))
    table = city_table()
    rows: dict[tuple[str, ...], int] = {}
    for label, i in _gazetteer().items():
        # two Han characters of GeoNames alone are too often a word (合作, Hezuo's name without
        # its 市, is "cooperation"): those count only with their 市, 县 or 区, which the scan adds
        if script.search(label) and not (language == "zh" and len(label) < 3):
            key = _key(label, language)
            # names of two cities can share a stem (Благовещенск, and an alternate of Pushkin's):
            # the more populous is meant, as for names in English
            if key in found and (key not in rows or table.population[rows[key]] >= table.population[i]):
                continue
            rows[key] = i
            found[key] = _Place(table.place(i), level="local", resolved_by="GeoNames alternate name")
    return found


@cache
def _chinese_english_names() -> dict[str, str]:
    """ISO 3166-2 code → the English name ``admin1.yaml`` gives each of China's provinces."""
    from beltroad.data.gazetteer import admin1_table

    return {entry["iso"]: entry["name"] for entry in admin1_table().get("CN", {}).values()}


@cache
def _russian_subdivisions() -> dict[str, _Place]:
    """First-level divisions by their Russian names (the iso-codes translation of ISO 3166-2:
    Республика Татарстан, Северный Рейн-Вестфалия), a republic by its name alone (Татарстан,
    Татарстана), named in English as ISO 3166-2 names them less the word "Respublika" (Tatarstan),
    China's as ``admin1.yaml`` names them (Guangdong).
    Oblasts, krais and okrugs, written as adjectives with their word, are left to their own rule."""
    translation = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    chinese = _chinese_english_names()
    found: dict[str, _Place] = {}
    for sub in pycountry.subdivisions:
        local = translation.gettext(sub.name)
        if local == sub.name or not re.search("[а-яё]", local, re.IGNORECASE):
            continue
        if re.search(r"\b(?:область|край|округ)\b", local, re.IGNORECASE):
            continue  # an adjective with its word: read by the oblast rule, named Chelyabinsk Oblast
        # China's provinces keep the English names the rest of the package gives them (Guangdong)
        english = chinese.get(sub.code) or re.sub(r",?\s*Respublika\b,?\s*", " ", sub.name).strip()
        place = _Place(name=english, level="local", iso_3166_2=sub.code, country_iso2=sub.country_code,
                       resolved_by="ISO 3166-2 (iso-codes translation)")  # fmt: skip
        # a republic after its word is its name (Республика Татарстан → Татарстан, as provinces are)
        republic = re.fullmatch(r"(?:Республика\s+(\w+)|(\w+),?\s+Республика)", local)
        found.setdefault(republic.group(1) or republic.group(2) if republic else local, place)
    return found


#: Palladius' Cyrillic for pinyin: initials, finals after an initial, and syllables with none
_PALLADIUS_INITIALS = {"zh": "чж", "ch": "ч", "sh": "ш", "b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т",
                       "n": "н", "l": "л", "g": "г", "k": "к", "h": "х", "j": "цз", "q": "ц", "x": "с", "r": "ж",
                       "z": "цз", "c": "ц", "s": "с"}  # fmt: skip
_PALLADIUS_FINALS = {"a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань",
                     "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "i": "и", "ia": "я", "ie": "е", "iao": "яо",
                     "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн", "u": "у",
                     "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан",
                     "er": "эр"}  # fmt: skip
_PALLADIUS_ALONE = {"yi": "и", "ya": "я", "ye": "е", "yao": "яо", "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян",
                    "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь", "wu": "у",
                    "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь", "wang": "ван",
                    "weng": "вэн"}  # fmt: skip
#: the syllables Palladius writes apart from its rule (hui, and z, c, s, zh, ch, sh, r before i)
_PALLADIUS_SPECIAL = {"hui": "хуэй", "zi": "цзы", "ci": "цы", "si": "сы", "zhi": "чжи", "chi": "чи", "shi": "ши",
                      "ri": "жи", "ju": "цзюй", "qu": "цюй", "xu": "сюй", "jue": "цзюэ", "que": "цюэ", "xue": "сюэ",
                      "juan": "цзюань", "quan": "цюань", "xuan": "сюань", "jun": "цзюнь", "qun": "цюнь",
                      "xun": "сюнь"}  # fmt: skip


def _palladius_syllable(syllable: str) -> str | None:
    if syllable in _PALLADIUS_SPECIAL:
        return _PALLADIUS_SPECIAL[syllable]
    if syllable in _PALLADIUS_ALONE:
        return _PALLADIUS_ALONE[syllable]
    if syllable in _PALLADIUS_FINALS and syllable[0] in "aoe":
        return _PALLADIUS_FINALS[syllable]
    for initial in ("zh", "ch", "sh", *(k for k in _PALLADIUS_INITIALS if len(k) == 1)):
        if syllable.startswith(initial) and syllable[len(initial) :] in _PALLADIUS_FINALS:
            return _PALLADIUS_INITIALS[initial] + _PALLADIUS_FINALS[syllable[len(initial) :]]
    return None


def _palladius(pinyin: str) -> set[str]:
    """A pinyin name in Russian's Palladius transcription (Henan → Хэнань, Heilongjiang →
    Хэйлунцзян): every reading of its syllables, since "henan" may also cut as hen-an.

    Parameters
    ----------
    pinyin
        A name in pinyin without tones (spaces and capitals are ignored).

    Returns
    -------
    set of str
        The Cyrillic forms, capitalised; empty when the name is not pinyin (Shaanxi's doubled a).

    Examples
    --------
    >>> "Хэнань" in _palladius("Henan")
    True
    """
    word = re.sub(r"[^a-z]", "", pinyin.casefold())

    def readings(rest: str) -> set[str]:
        if not rest:
            return {""}
        out: set[str] = set()
        for cut in range(1, min(6, len(rest)) + 1):
            head = _palladius_syllable(rest[:cut])
            if head is not None:
                out |= {head + tail for tail in readings(rest[cut:])}
        return out

    return {r.capitalize() for r in readings(word) if r}


@cache
def _chinese_provinces_ru() -> dict[str, _Place]:
    """China's provinces by their Russian names, which are Palladius transcriptions of the pinyin
    (Хубэй, Хэнань, Гуандун); Shaanxi, whose pinyin doubles its a to tell it from Shanxi, is
    Шэньси by Russian usage. The municipalities are cities and resolve as cities."""
    found: dict[str, _Place] = {}
    for code, name in _chinese_english_names().items():
        if name in {"Beijing", "Shanghai", "Tianjin", "Chongqing", "Tibet", "Inner Mongolia"}:
            continue
        place = _Place(name=name, level="local", iso_3166_2=code, country_iso2="CN",
                       resolved_by="Palladius transcription of the province's pinyin name")  # fmt: skip
        for form in {"Шэньси"} if name == "Shaanxi" else _palladius(name):
            found.setdefault(form, place)
    return found


@cache
def _chinese_provinces() -> dict[str, _Place]:
    """Provinces by their Chinese names (the iso-codes translation of ISO 3166-2: 云南省, 谅山省).
    China's own count with and without 省, 市 or 自治区 (云南) and are named in English as
    ``admin1.yaml`` names them; another country's provinces and states count only as written in
    full with their word (谅山省, not 谅山; 河内市 stays the city) and keep ISO 3166-2's name
    (Lạng Sơn)."""
    translation = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    english = _chinese_english_names()
    found: dict[str, _Place] = {}
    for sub in pycountry.subdivisions:
        local = translation.gettext(sub.name)
        if local == sub.name or not _HAN.match(local):
            continue
        if sub.country_code != "CN":
            place = _Place(name=sub.name, level="local", iso_3166_2=sub.code, country_iso2=sub.country_code,
                           resolved_by="ISO 3166-2 (iso-codes translation)")  # fmt: skip
            # written with its word: 谅山省; a state (北莱茵-威斯特法伦) with 州, and its hyphen as
            # Chinese type sets it (－); 河内市 stays the city
            written = [local] if local.endswith(("省", "州")) else [local + "州"]
            for form in written:
                if len(form) >= 3:
                    found.setdefault(form, place)
                    found.setdefault(form.replace("-", "－"), place)
            continue
        if sub.code not in english:
            continue
        place = _Place(name=english[sub.code], level="local", iso_3166_2=sub.code, country_iso2="CN",
                       resolved_by="ISO 3166-2 (iso-codes translation)")  # fmt: skip
        found[local] = place
        short = re.sub(r"(?:壮族|回族|维吾尔)?(?:自治区|特别行政区|省|市)$", "", local)
        if len(short) >= 2:
            found.setdefault(short, place)
    return found


def _regions(conn: Connection | None) -> dict[str, _Place]:
    """English name of a city → the knowledge base's region named after it (Minsk → Minsk Oblast)."""
    found: dict[str, _Place] = {}
    for rid, name, subkind, lat, lon, data in curated_places(conn) if conn is not None else []:
        m = re.fullmatch(r"(.+?) (?:Oblast|Region|Province|Krai)", name)
        if m and subkind in {"province", "region"}:
            found[m.group(1)] = _Place(
                record=rid, name=name, level="local", lat=lat, lon=lon, country=data.get("country"),
                resolved_by="knowledge base (region named after its city)",
            )  # fmt: skip
    return found


#: a region word after a city's Chinese name: the region named after the city (明斯克州)
_REGION_AFTER = re.compile(r"州|省")
#: Russian adjectives of a city ("Минская" of Минск) with a region word
_RU_REGION = re.compile(r"\b(\w+ск)(?:ая|ой|ую|ом|ий|ого)\s+(област\w*|кра[йяюе]\w*)", re.I)


def _places(text: str, language: str, conn: Connection | None) -> list[dict[str, Any]]:
    names = _dictionary(conn, language)
    regions = per_store_version(conn, "regions-by-city", lambda: _regions(conn))
    out: list[dict[str, Any]] = []

    def add(start: int, end: int, place: _Place) -> None:
        out.append({"kind": "place", "text": text[start:end], "start": start, "end": end, **place})

    if language == "zh":
        lengths = per_store_version(conn, "zh-name-lengths", lambda: _lengths_by_first(names))
        i = 0
        while i < len(text):
            if not _HAN.match(text, i):  # every name starts with a Han character
                i += 1
                continue
            for n in lengths.get(text[i], ()):
                place = names.get((text[i : i + n],))
                if place is None:
                    continue
                end = i + n
                place, end = _zh_extent(text, i, end, place, regions)
                add(i, end, place)
                i = end
                break
            else:
                i += 1
        return out + _zh_bare_names(text, out)
    taken: list[tuple[int, int]] = []
    for m in _RU_REGION.finditer(text):
        city = names.get(_key(m.group(1), "ru"))
        known = names.get(_key(m.group(0), "ru"))  # the knowledge base's own (Приморский край)
        if known is not None and known.get("level") == "local":
            add(m.start(), m.end(), known)
        elif city and city["name"] in regions:
            add(m.start(), m.end(), regions[city["name"]])
        else:
            # "Амурской области": not the town its adjective resembles (Amursk), but the region
            # ISO 3166-2 romanises as Amurskaya oblast', else reported as unresolved
            add(m.start(), m.end(), _ru_region(m, city))
        taken.append((m.start(), m.end()))
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w-]+", text)]
    i = 0
    while i < len(words):
        if any(s <= words[i][0] < e for s, e in taken):
            i += 1
            continue
        for n in (3, 2, 1):
            chunk = words[i : i + n]
            if len(chunk) < n or not chunk[0][2][:1].isupper():
                continue
            if n == 1 and chunk[0][2].casefold() in _ru_stop_words():
                continue  # "Кроме" opening a sentence shares Kromy's stem; "Того" is mostly "of that"
            place = names.get(tuple(stem(w.casefold()) for _, _, w in chunk))
            if place is not None:
                add(chunk[0][0], chunk[-1][1], place)
                i += n
                break
        else:
            i += 1
    return out


def _zh_bare_names(text: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A city's two-character name without its 市 (在南宁签署), where the document also names it
    with its 市 (南宁市): alone such a name is too often a word to count, but not once the text
    has said which city it is."""
    out: list[dict[str, Any]] = []
    taken = [(p["start"], p["end"]) for p in found]
    for place in found:
        bare = place["text"][:-1]
        if len(place["text"]) != 3 or place["text"][-1] not in "市县" or any(bare == q["text"] for q in out):
            continue
        for m in re.finditer(re.escape(bare), text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                out.append({**place, "text": bare, "start": m.start(), "end": m.end()})
                taken.append(m.span())
    return out


_CYRILLIC_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))  # fmt: skip


@cache
def _populations() -> dict[int, int]:
    table = city_table()
    return dict(zip(table.geonameid.tolist(), table.population.tolist(), strict=True))


def _population(geonameid: int) -> int:
    return _populations().get(geonameid, 0)


def _ru_region(m: re.Match[str], city: _Place | None) -> _Place:
    """A Russian region written as its adjective and word ("Хабаровского края"), by the ISO 3166-2
    name its romanised nominative begins (Khabarovskiy kray, RU-KHA), named in English after the
    city it shares its stem with (Khabarovsk Krai) or the stem alone (Amur Oblast)."""
    from beltroad.ingest.extraction import _subdivision_code

    stem_latin = "".join(_CYRILLIC_LATIN.get(ch, ch) for ch in m.group(1).casefold())
    krai = m.group(2).casefold().startswith("кра")
    code = _subdivision_code(stem_latin + ("iy" if krai else "aya"), {"RU"})
    if code is None:
        return _Place(name=m.group(0), level="local", resolved_by=UNRESOLVED_REGION)
    # a region takes its centre's name (Khabarovsk Krai); a small town of the same stem is not its
    # centre (Amursk, of Amurskaya oblast', named for the river: Amur Oblast)
    same = city is not None and fold_accents(str(city["name"])).casefold() == stem_latin
    big = same and city is not None and _population(int(city.get("geonameid") or 0)) >= 100_000
    base = str(city["name"]) if big and city is not None else stem_latin.removesuffix("sk")
    word = "Krai" if krai else "Oblast"
    return _Place(name=f"{base[:1].upper()}{base[1:]} {word}", level="local", iso_3166_2=code, country_iso2="RU",
                  resolved_by="ISO 3166-2 (a region written as its adjective)")  # fmt: skip


def _lengths_by_first(names: dict[tuple[str, ...], _Place]) -> dict[str, tuple[int, ...]]:
    """First character → the lengths of the names that start with it, longest first: the scan tries
    only those (with every country's city names, trying every length halved the throughput)."""
    found: dict[str, set[int]] = {}
    for (name, *_rest) in names:
        if len(name) > 1:
            found.setdefault(name[0], set()).add(len(name))
    return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in found.items()}


def _zh_extent(text: str, i: int, end: int, place: _Place, regions: dict[str, _Place]) -> tuple[_Place, int]:
    """A Chinese name's place and where its mention ends, given the character after it: a region
    word (州, 省) makes it the region named after the city, and a city's 市 belongs to its mention."""
    region = _REGION_AFTER.match(text, end)
    if region and place.get("level") == "local" and place["name"] in regions:
        return regions[place["name"]], region.end()
    if region and place.get("level") == "local" and place.get("geonameid"):
        # 琅勃拉邦省: the province named after a city the knowledge base has no region of
        word = "Province" if region.group(0) == "省" else "Region"
        named = _Place(name=f"{place['name']} {word}", level="local", country_iso2=place.get("country_iso2"),
                       resolved_by="GeoNames city with a region word (the region named after it)")  # fmt: skip
        return named, region.end()
    if text[end : end + 1] in {"市", "县", "区"} and not text[i:end].endswith(("市", "县", "区")):
        return place, end + 1  # 哈尔滨市: the city's name with its 市 is the mention
    return place, end


@cache
def _ru_stop_words() -> frozenset[str]:
    from spacy.lang.ru.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


# --- dates ------------------------------------------------------------------------------------

_RU_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_RU_MONTH = r"(?P<m>январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
DATE_PATTERNS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "zh": [
        ("day", re.compile(r"(?P<y>(?:1[89]|20)\d\d)\s*年\s*(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
        ("month", re.compile(r"(?P<y>(?:1[89]|20)\d\d)\s*年\s*(?P<mo>\d{1,2})\s*月")),
        ("year", re.compile(r"(?P<y>(?:1[89]|20)\d\d)\s*年(?!代)")),
    ],
    "ru": [
        (
            "day",
            re.compile(
                rf"\b(?P<d>\d{{1,2}})\s+{_RU_MONTH}\s+(?P<y>(?:1[89]|20)\d\d)(?:\s*(?:г\.|года|год))?", re.I
            ),
        ),
        ("month", re.compile(rf"\b{_RU_MONTH}\s+(?P<y>(?:1[89]|20)\d\d)(?:\s*(?:г\.|года|год))?", re.I)),
        ("year", re.compile(r"\b(?P<y>(?:1[89]|20)\d\d)\s*(?:г\.|году|года|год\b)")),
    ],
}


def _month(m: re.Match[str]) -> int:
    if m.groupdict().get("mo"):
        return int(m.group("mo"))
    word = m.group("m").casefold()
    return next(
        i for i, s in enumerate(_RU_MONTHS, 1) if word.startswith(s) and (s != "ма" or word[2:3] in "йяе")
    )


def _dates(text: str, language: str, taken: list[tuple[int, int]]) -> Iterator[dict[str, Any]]:
    for precision, pattern in DATE_PATTERNS[language]:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value = m.group("y")
            if precision in {"month", "day"}:
                month = _month(m)
                if not 1 <= month <= 12:
                    continue
                value += f"-{month:02d}"
            if precision == "day":
                value += f"-{int(m.group('d')):02d}"
            taken.append((m.start(), m.end()))
            yield {"kind": "date", "text": m.group(0), "start": m.start(), "end": m.end(), "value": value,
                   "precision": precision, "qualifier": None}  # fmt: skip


# --- quantities ---------------------------------------------------------------------------------

_ZH_NUM = r"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>万亿|亿|万|千)?"
_RU_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<scale>тыс\.?|млн\.?|млрд\.?|миллион\w*|миллиард\w*)?"
SCALES = {
    None: 1.0,
    "千": 1e3,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "тыс": 1e3,
    "млн": 1e6,
    "миллион": 1e6,
    "млрд": 1e9,
    "миллиард": 1e9,
}
#: (dimension, pattern, unit or a function of the unit's text); first match of a span wins
QUANTITY_PATTERNS: dict[str, list[tuple[str, re.Pattern[str], dict[str, str]]]] = {
    "zh": [
        ("money", re.compile(rf"{_ZH_NUM}\s*(?P<unit>元人民币|元|人民币|美元|欧元|卢布)"),
         {"元人民币": "CNY", "元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "卢布": "RUB"}),
        ("area", re.compile(rf"{_ZH_NUM}\s*(?P<unit>公顷|平方公里|平方千米|平方米)"),
         {"公顷": "ha", "平方公里": "km2", "平方千米": "km2", "平方米": "m2"}),
        ("mass_flow", re.compile(rf"{_ZH_NUM}\s*(?P<unit>吨)(?=[^。，]{{0,4}}(?:每年|/年|年))"), {"吨": "Mt/yr"}),
        # a freight or throughput volume (货运量, 吞吐量) is a year's flow even without 每年
        ("mass_flow", re.compile(rf"(?:货运量|吞吐量|运量)[^。，\d]{{0,6}}{_ZH_NUM}\s*(?P<unit>吨)"), {"吨": "Mt/yr"}),
        # visits (人次) and trains run (开行5300列; not 列入, "listed in")
        ("count", re.compile(rf"{_ZH_NUM}\s*(?P<unit>人次|列)(?!入|为)"), {"人次": "count", "列": "count"}),
        ("length", re.compile(rf"{_ZH_NUM}\s*(?P<unit>公里|千米|米)"), {"公里": "km", "千米": "km", "米": "m"}),
        ("percent", re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|％)"), {"%": "percent", "％": "percent"}),
    ],
    "ru": [
        ("money", re.compile(rf"{_RU_NUM}\s*(?P<unit>долл\w*|\$|руб\w*|юан\w*|евро)", re.I),
         {"долл": "USD", "$": "USD", "руб": "RUB", "юан": "CNY", "евро": "EUR"}),
        ("area", re.compile(rf"{_RU_NUM}\s*(?P<unit>га\b|гектар\w*|кв\.\s*км|квадратн\w+\s+километр\w*)", re.I),
         {"га": "ha", "гектар": "ha", "кв": "km2", "квадратн": "km2"}),
        ("mass_flow", re.compile(rf"{_RU_NUM}\s*(?P<unit>тонн\w*)(?:\s+\w+)?\s+в\s+год", re.I), {"тонн": "Mt/yr"}),
        # "В 2022 году … отправили 2,4 млн тонн": the tonnes of a sentence about one year are its flow
        ("mass_flow", re.compile(rf"[Вв]\s+(?:19|20)\d\d\s+году[^.]{{0,80}}?{_RU_NUM}\s*(?P<unit>тонн\w*)"),
         {"тонн": "Mt/yr"}),
        ("length", re.compile(rf"{_RU_NUM}\s*(?P<unit>км\b|километр\w*|метр\w*)", re.I),
         {"км": "km", "километр": "km", "метр": "m"}),
        ("percent", re.compile(r"(?P<num>\d+(?:,\d+)?)\s*(?P<unit>%|процент\w*)", re.I), {"%": "percent", "процент": "percent"}),
    ],
}  # fmt: skip


def _quantities(text: str, language: str, taken: list[tuple[int, int]]) -> Iterator[dict[str, Any]]:
    for dimension, pattern, units in QUANTITY_PATTERNS[language]:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            number = float(m.group("num").replace("\u00a0", "").replace(" ", "").replace(",", "."))
            scale_text = (m.groupdict().get("scale") or "").casefold().rstrip(".")
            scale = (
                next((v for k, v in SCALES.items() if k and scale_text.startswith(k)), 1.0)
                if scale_text
                else 1.0
            )
            unit_text = m.group("unit").casefold()
            unit = units.get(unit_text) or next(v for k, v in units.items() if unit_text.startswith(k))
            value = number * scale
            if dimension == "mass_flow":
                value /= 1e6  # tonnes a year → million tonnes a year
            start = m.start("num")  # a pattern's leading context (货运量) is not the quantity's text
            taken.append((start, m.end()))
            yield {"kind": "quantity", "dimension": dimension, "text": text[start : m.end()], "start": start,
                   "end": m.end(), "value": round(value, 6), "unit": unit}  # fmt: skip


# --- sentences and relations --------------------------------------------------------------------

_ZH_END = re.compile(r"[。！？!?]+|\n\s*\n")
#: a Russian sentence ends at . ! ? before a capital, except after the abbreviations of a date
_RU_END = re.compile(r"(?<!\bг\.)(?<!\bгг\.)(?<=[.!?])\s+(?=[А-ЯЁA-Z0-9«\"])|\n\s*\n")


def _sentences(text: str, language: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in (_ZH_END if language == "zh" else _RU_END).finditer(text):
        end = m.end() if language == "zh" else m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


PARTNER_TERMS = {
    "zh": re.compile(r"友好城市|友城|姐妹城市|友好省州|友好关系城市|结好"),
    "ru": re.compile(r"побратим\w*|породн[её]нн\w*|город\w*-побратим\w*", re.I),
}
TRADE_TERMS = {"zh": re.compile(r"贸易额|贸易|进出口"), "ru": re.compile(r"товарооборот\w*|торгов\w*", re.I)}
DOWN = {
    "zh": re.compile(r"下降|减少|下滑"),
    "ru": re.compile(r"снизил\w*|сократил\w*|упал\w*|уменьшил\w*", re.I),
}
#: an agreement signed: the verb, then within a few words its noun (签署投资合作协议, подписали соглашение)
AGREEMENT_TERMS = {
    "zh": re.compile(r"(?:签署|签订|签约|缔结)[^。，；]{0,12}?(?:协议|协定|备忘录|合同)"),
    "ru": re.compile(
        r"(?:подписал\w*|заключил\w*)\s+(?:\w+\s+){0,3}?(?:соглашени\w*|меморандум\w*|договор\w*|программ\w*)", re.I
    ),
}
#: "the same year": the year of the sentence before
SAME_YEAR = {"zh": re.compile(r"同年|当年"), "ru": re.compile(r"\bв том же году\b", re.I)}
#: "the two cities", "the parties": an agreement's parties named in an earlier sentence
BOTH_TERMS = {"zh": re.compile(r"两市|双方|两地|两省"), "ru": re.compile(r"\b(?:стороны|оба города|два города)\b", re.I)}
#: the English of the terms a gloss shows
TERM_GLOSS = {"友好城市": "friendship cities", "友城": "friendship cities", "姐妹城市": "sister cities",
              "贸易额": "trade value", "贸易": "trade", "签署": "signed", "协议": "agreement", "增长": "growth",
              "побратим": "twin cities", "товарооборот": "trade turnover", "соглашени": "agreement",
              "подписал": "signed", "вырос": "grew"}  # fmt: skip


#: where a sentence's next statement begins: a comma in Chinese, ", а" or ", и" in Russian
NEXT_STATEMENT = {"zh": re.compile(r"[，；]"), "ru": re.compile(r",\s+(?:а|и|но)\s+|;\s*")}


def _statements(body: str, start: int, language: str) -> list[tuple[int, int]]:
    """The spans of a sentence's statements about twinning: one per partner term, cut at the last
    statement break before the next term ("南宁市与河内市结为友好城市，防城港市与芒街市缔结友好城市关系");
    a sentence with one term is one statement."""
    terms = list(PARTNER_TERMS[language].finditer(body))
    cuts = [0]
    for prev, nxt in itertools.pairwise(terms):
        breaks = list(NEXT_STATEMENT[language].finditer(body, prev.end(), nxt.start()))
        if breaks:
            cuts.append(breaks[-1].end())
    cuts.append(len(body))
    return [(start + a, start + b) for a, b in itertools.pairwise(cuts)]


def _gloss(text: str, start: int, end: int, items: list[dict[str, Any]]) -> list[list[str]]:
    """The sentence's recognised pieces in order, each as [original, English]."""
    sentence = text[start:end]
    pieces: list[tuple[int, str, str]] = []
    for c in items:
        if start <= c["start"] < end:
            english = c.get("name") or (
                f"{c['value']:g} {c['unit']}" if c["kind"] == "quantity" else str(c.get("value"))
            )
            pieces.append((c["start"], c["text"], english))
    for term, english in TERM_GLOSS.items():
        for m in re.finditer(re.escape(term), sentence, re.I):
            pieces.append((start + m.start(), m.group(0), english))
    return [[original, english] for _, original, english in sorted(pieces)]


def _relations(
    text: str, language: str, items: list[dict[str, Any]], sentences: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    earlier: list[str] = []  # the local places of the paragraph's sentences so far, in order
    last_date: dict[str, Any] | None = None
    records: dict[str, str | None] = {}
    for s, e in sentences:
        if "\n\n" in text[max(0, s - 2) : s + 2] or not text[:s].strip():
            earlier = []  # an anaphor reaches back within its paragraph only
        inside = [c for c in items if s <= c["start"] < e]
        places = [c for c in inside if c["kind"] == "place"]
        dates = [c for c in inside if c["kind"] == "date"]
        body = text[s:e]
        # a place written right before another is its container (重庆市渝北区: Yubei District of
        # Chongqing), not a party beside it
        inner = [p for i, p in enumerate(places) if not (i + 1 < len(places) and places[i + 1]["start"] == p["end"])]
        # "Хабаровск, 3 октября 2023 г. …": the dateline's city is where the report is from
        if dateline := re.match(r"\s*[^\s,]+,\s+\d{1,2}\s", body):
            inner = [p for p in inner if p["start"] >= s + dateline.end()]
        local = list(dict.fromkeys(p["name"] for p in inner if p.get("level") != "country"))
        countries = list(dict.fromkeys(p["name"] for p in places if p.get("level") == "country"))
        records |= {p["name"]: p.get("record") for p in places}
        gloss = _gloss(text, s, e, inside)
        term = PARTNER_TERMS[language].search(body)
        signed = AGREEMENT_TERMS[language].search(body)
        # an agreement in a sentence about twinning is the twinning itself ("签署协议，结为友好城市")
        if signed and not term:
            parties = local[:2] if len(local) >= 2 else []
            if not parties and BOTH_TERMS[language].search(body) and len(earlier) >= 2:
                parties = earlier[-2:]
            if not parties and len(countries) >= 2:
                parties = countries[:2]
            if parties:
                date = dates[0] if dates else None
                out.append(_relation("agreement", "signed", s, e, text, places=parties,
                                     place_records=[records.get(n) for n in parties],
                                     value=date["value"] if date else None,
                                     precision=date["precision"] if date else None,
                                     local_term=signed.group(0), language=language, gloss=gloss))  # fmt: skip
        earlier += [n for n in local if n not in earlier]
        last_date = dates[-1] if dates else last_date
        for a, b in _statements(body, s, language) if term else []:
            pair = list(dict.fromkeys(p["name"] for p in inner if a <= p["start"] < b and p.get("level") != "country"))
            said = PARTNER_TERMS[language].search(text, a, b)
            if len(pair) < 2 or said is None:
                continue
            own = [d for d in dates if a <= d["start"] < b]
            before = [d for d in own if d["start"] < said.start()]
            date = (before[-1] if before else own[0]) if own else None
            if date is None and last_date is not None and SAME_YEAR[language].search(body):
                date = {"value": last_date["value"][:4], "precision": "year"}  # 同年: that year
            out.append(_relation("partnership", "established", s, e, text, places=pair[:2],
                                 place_records=[records[n] for n in pair[:2]],
                                 value=date["value"] if date else None, precision=date["precision"] if date else None,
                                 local_term=said.group(0), language=language, gloss=gloss))  # fmt: skip
        if TRADE_TERMS[language].search(body) and len(countries) >= 2:
            for q in (c for c in inside if c["kind"] == "quantity"):
                if q["dimension"] == "money":
                    fact, value = "value", [q["value"], q["unit"]]
                elif q["dimension"] == "percent":
                    sign = -1 if DOWN[language].search(body) else 1
                    fact, value = "growth", [sign * q["value"], "percent"]
                else:
                    continue
                out.append(_relation("trade", fact, s, e, text, places=countries[:2],
                                     place_records=[records[n] for n in countries[:2]], value=value,
                                     language=language, gloss=gloss))  # fmt: skip
    return out


def extract_local(text: str, language: str, conn: Connection | None = None) -> list[Candidate]:
    """Candidates of a Chinese (``zh``) or Russian (``ru``) text, in the shape ``extract`` gives
    for English: places, dates and quantities in reading order with their sentence, then relations."""
    if language not in {"zh", "ru"}:
        msg = f"extract_local reads zh or ru, got {language!r}"
        raise ValidationFailed(msg)
    taken: list[tuple[int, int]] = []
    items = [*_quantities(text, language, taken), *_dates(text, language, taken)]
    items += [
        p for p in _places(text, language, conn) if not any(s < p["end"] and p["start"] < e for s, e in taken)
    ]
    sentences = _sentences(text, language)
    for item in items:
        item["language"] = language
        item["sentence"] = next(
            ([s, e] for s, e in sentences if s <= item["start"] < e), [item["start"], item["end"]]
        )
    items.sort(key=lambda c: (c["start"], c["kind"]))
    relations = _relations(text, language, items, sentences)
    for relation in relations:
        relation["sentence"] = [relation["start"], relation["end"]]  # a relation is its sentence
    # each kind's dictionary has the keys its TypedDict in candidates.py lists
    return cast(list[Candidate], items + relations)
