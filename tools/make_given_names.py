"""Write ``src/polycorpus/data/gazetteers/given_names.tsv`` from the first-name dictionary of the
PyPI package ``gender-guesser`` (``gender_guesser/data/nam_dict.txt``, Jörg Michael's list for
the program "gender", GNU FDL 1.2 or later).

    pip install gender-guesser==0.4.0     # only to run this script; polycorpus does not import it
    python tools/make_given_names.py

The dictionary gives, for every first name, a frequency from 1 (rare) to D (13, very common) in
each of 55 country columns; the columns are read from the file's own header (the ``|`` under each
country name). A name is kept when it is frequent enough in one of the countries whose people an
Azerbaijani historical text names (:data:`COUNTRIES`).

Azerbaijani text and the dictionary spell names differently, so the file stores match keys, not
spellings: a key is the English-style ASCII romanisation of :func:`polycorpus.entities.translit.name_key`
(``Rəşad``, ``Elçin``, ``Ceyhun``, ``Məmməd`` → ``rashad``, ``elchin``, ``jeyhun``, ``mamad``), which is
also how the dictionary writes names from the former Soviet Union (``Rashad``, ``Elchin``, ``Jeyhun``,
``Mamed``). The recogniser compares ``name_key(word)`` with the keys. Names written in another convention get
extra keys by general rules (:func:`keys`): Turkish ``e`` for Azerbaijani ``ə``, final ``t`` for
``d`` and ``k`` before a back vowel for ``q`` (``Ahmet`` → ``ahmad`` = ``Əhməd``, ``Kasım`` →
``gasim`` = ``Qasım``); German, Polish, Swedish and French ``j``, ``w``, ``ch``, ``ie``,
``ph``, ``th`` read as Azerbaijani writes them (``Józef`` → ``yozef``, ``Friedrich`` →
``fridrikh`` = ``Fridrix``).
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata, resources
from pathlib import Path

from polycorpus.entities.translit import name_key

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "polycorpus" / "data" / "gazetteers" / "given_names.tsv"
# Country column (as the dictionary's header names it) -> lowest frequency kept (hexadecimal 1-D).
# The Caucasus, Turkey, Iran and Central Asia: every attested name; Russia and its western
# neighbours: common names; the rest of Europe: very common names only.
COUNTRIES = {
    "Azerbaijan": 1, "Turkey": 3, "Georgia": 3, "Armenia": 3, "Kazakhstan/Uzbekistan,etc.": 3,
    "Arabia/Persia": 4, "Russia": 4, "Ukraine": 4, "Belarus": 5, "Poland": 5,
    "Germany": 6, "Austria": 7, "France": 6, "Sweden": 6, "Finland": 7, "Great Britain": 6,
    "Italy": 7, "Czech Republic": 7, "Hungary": 7, "Romania": 7, "Bulgaria": 7, "Greece": 7,
    "Lithuania": 7, "Latvia": 7, "Estonia": 7,
}
TURKIC = {"Turkey", "Arabia/Persia", "Azerbaijan", "Kazakhstan/Uzbekistan,etc."}
WESTERN = {"Germany", "Austria", "France", "Sweden", "Finland", "Poland", "Czech Republic", "Hungary",
           "Great Britain", "Italy", "Lithuania", "Latvia", "Estonia", "Romania"}
FIRST_COLUMN = 30
MIN_LENGTH = 3
# A Western spelling read as Azerbaijani writes the name (applied in order, on lower case).
WESTERN_RULES = (
    (r"sch", "sh"), (r"ch", "kh"), (r"ph", "f"), (r"th", "t"), (r"ie", "i"), (r"qu", "kv"),
    (r"w", "v"), (r"j", "y"), (r"c(?=[eiy])", "ts"), (r"c", "k"),
)


def read_dictionary(path: Path) -> tuple[list[str], list[str]]:
    """The country names in column order and the name lines of ``nam_dict.txt``."""
    raw = path.read_bytes()
    declared = re.search(rb"char set = ([\w-]+)", raw)
    text = raw.decode(declared.group(1).decode() if declared else "iso-8859-1")
    lines = text.splitlines()
    columns: dict[int, str] = {}
    previous = ""
    for line in lines:
        if not line.startswith("#"):
            continue
        body = line.rstrip().rstrip("$")
        if body.strip("# ") == "|":
            columns[body.index("|") - FIRST_COLUMN] = previous
        elif body.strip("# "):
            previous = body.strip("# ")
    if not columns:
        raise SystemExit(f"{path}: no country columns in the header")
    countries = [columns[i] for i in sorted(columns)]
    names = [line for line in lines if line[:1] in "MF1?" and len(line) > FIRST_COLUMN]
    return countries, names


def keys(name: str, countries: set[str]) -> set[str]:
    """Match keys of one dictionary spelling (lower-case ASCII, as ``to_ascii`` writes Azerbaijani)."""
    # an ASCII spelling is an English-style romanisation or a Turkish spelling (Elchin, Ceyhun)
    found = {name_key(name, "en")}
    if countries & TURKIC or not name.isascii():
        found.add(name_key(name, "tr"))
    if countries & TURKIC:
        for key in list(found):
            key = re.sub(r"t$", "d", key.replace("e", "a"))
            found.add(key)
            found.add(re.sub(r"k(?=[aiou])", "g", key))
    if countries & WESTERN:
        western = name_key(name, "en")
        for pattern, replacement in WESTERN_RULES:
            western = re.sub(pattern, replacement, western)
        found.add(western)
    return {key for key in found if len(key) >= MIN_LENGTH and key.isalpha()}


def given_names(path: Path) -> dict[str, tuple[set[str], set[str]]]:
    """key -> (dictionary spellings, countries that make it frequent)."""
    countries, lines = read_dictionary(path)
    wanted = {countries.index(c): c for c in COUNTRIES}
    found: dict[str, tuple[set[str], set[str]]] = {}
    for line in lines:
        if line[FIRST_COLUMN - 1] == "+":
            continue  # the header: duplicates sorted by expanded umlauts
        name = line[3:FIRST_COLUMN - 1].strip().replace("+", "")
        values = line[FIRST_COLUMN:]
        frequent = {country for i, country in wanted.items()
                    if i < len(values) and values[i].strip() and int(values[i], 16) >= COUNTRIES[country]}
        if not frequent or " " in name:
            continue
        for key in keys(name, frequent):
            spellings, where = found.setdefault(key, (set(), set()))
            spellings.add(name)
            where.update(frequent)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    source = Path(str(resources.files("gender_guesser") / "data" / "nam_dict.txt"))
    version = metadata.version("gender-guesser")
    found = given_names(source)
    header = [
        "# Given names for the Azerbaijani recogniser, written by tools/make_given_names.py: do not edit.",
        f"# Source: gender_guesser/data/nam_dict.txt from the PyPI package gender-guesser {version}",
        "# (https://github.com/lead-ratings/gender-guesser; package licence GPLv3), the name dictionary of",
        "# Jörg Michael's program \"gender\" (c) 2007-2008 Jörg Michael,",
        "# under the GNU Free Documentation License 1.2 or later; this derived list is under the same licence.",
        "# Countries (lowest frequency kept, 1-13): " + ", ".join(f"{c} {n}" for c, n in COUNTRIES.items()),
        "# key (polycorpus.entities.translit.name_key; the recogniser compares name_key(word) with it)\tspellings in the source\tcountries",
    ]
    rows = [f"{key}\t{'|'.join(sorted(spellings))}\t{'|'.join(sorted(where))}"
            for key, (spellings, where) in sorted(found.items())]
    args.output.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} keys from {sum(len(s) for s, _ in found.values())} spellings written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
