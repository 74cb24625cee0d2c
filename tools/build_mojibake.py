"""Write ``src/polycorpus/data/structure/mojibake.json``: the legacy-font substitutions of
Azerbaijani (and Turkish) PDF text layers, the letters of the orthographies and a small letter
bigram list of Azerbaijani and Turkish.

    python tools/build_mojibake.py

Sources (all in the Python environment polycorpus installs; nothing is typed in by hand except
the alphabets and the one reported substitution named below):

- ``mac-glyph-order``: Apple's standard Macintosh glyph order of the TrueType ``post`` table
  (258 glyphs; ``fontTools.ttLib.standardGlyphOrder``) ends with ``Gbreve gbreve Idotaccent
  Scedilla scedilla Cacute …``. A text layer that reads that tail as consecutive code points from
  ``Ğ`` (U+011E) gives ``Ğ ğ Ġ ġ Ģ ģ …``: ``İ`` becomes ``Ġ``, ``Ş`` ``ġ`` and ``ş`` ``Ģ`` (the
  ``inkiĢaf``, ``ĠnkiĢaf`` of Azerbaijani journal PDFs). The glyph names are read with
  ``fontTools.agl`` (the Adobe Glyph List).
- ``cp1254-contiguous``: the letters Windows-1254 (Turkish) has and Windows-1252 lacks, in code
  point order (``Ğ ğ İ ı Ş ş``), read as consecutive code points from the first: ``İ`` ``Ġ``,
  ``ı`` ``ġ``, ``Ş`` ``Ģ``, ``ş`` ``ģ`` (reported for Turkish PDFs made with the same fonts).
  Code pages from Python's ``codecs``.
- ``cp1254-as-cp1252``, ``cp1254-as-cp1250``, ``iso8859-3-as-iso8859-10``: text in a Turkish code
  page shown through a font that assumes another one; the letter each byte is in the second code
  page (``Ý`` for ``İ``, ``Þ`` for ``Ş``; ``Ţ`` for ``Ş``; ``Đ`` for ``İ``, ``Š`` for ``Ş``).
- ``script_pairs``: Cyrillic letters written in a Latin word and the reverse. The schwa, which
  Unicode encodes once per script (U+0259 LATIN SMALL LETTER SCHWA, U+04D9 CYRILLIC SMALL LETTER
  SCHWA; the same letter of both Azerbaijani alphabets, matched by name), and the Cyrillic
  letters with a diacritic over a base that :data:`polycorpus.structure.homoglyphs.LATIN_TO_CYRILLIC`
  pairs with a Latin letter (``ӧ`` = ``о`` + diaeresis is ``ö``), by Unicode decomposition.
- ``bigrams``: the letter pairs (``^`` and ``$`` mark a word's edges) of the Azerbaijani and
  Turkish stop words of spaCy (``spacy.lang.az``, ``spacy.lang.tr``): a small model of which
  letters may stand together, for telling a broken letter's reading when a document has none of it.

Only substitutions whose repaired letter is a letter of the Azerbaijani or Turkish alphabet are
kept: the others (``ć`` read as ``Ĥ``) cannot be told from legitimate text.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from fontTools import agl
from fontTools.ttLib.standardGlyphOrder import standardGlyphOrder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from polycorpus.structure.homoglyphs import LATIN_TO_CYRILLIC  # noqa: E402

TARGET = ROOT / "src" / "polycorpus" / "data" / "structure" / "mojibake.json"
# The official alphabets (Azerbaijani Latin 1992, Turkish 1928, English) and the Turkish
# circumflex vowels.
AZ = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
TR = "abcçdefgğhıijklmnoöprsştuüvyzâîû"
EN = "abcdefghijklmnopqrstuvwxyz"


def _upper(letter: str) -> str:
    return {"i": "İ", "ı": "I"}.get(letter, letter.upper())


def _cased(letters: str) -> str:
    return "".join(sorted(set(letters) | {_upper(ch) for ch in letters}))


TARGET_LETTERS = set(_cased(AZ + TR))


def _kept(mapping: dict[str, str]) -> dict[str, str]:
    return {broken: letter for broken, letter in mapping.items()
            if letter in TARGET_LETTERS and broken != letter and broken.isalpha()}


def mac_glyph_order() -> dict[str, str]:
    tail = standardGlyphOrder[standardGlyphOrder.index("Gbreve"):]
    first = ord(agl.toUnicode(tail[0]))
    return _kept({chr(first + k): agl.toUnicode(name) for k, name in enumerate(tail)})


def _codepage(name: str) -> str:
    return bytes(range(256)).decode(name, errors="replace")


def cp1254_contiguous() -> dict[str, str]:
    extra = sorted(set(_codepage("cp1254")) - set(_codepage("cp1252")), key=ord)
    extra = [ch for ch in extra if ch.isalpha()]
    return _kept({chr(ord(extra[0]) + k): letter for k, letter in enumerate(extra)})


def read_as(written: str, shown: str) -> dict[str, str]:
    return _kept({b: a for a, b in zip(_codepage(written), _codepage(shown))})


def script_pairs() -> dict[str, str]:
    """Cyrillic letter -> the Latin letter it stands for in a Latin word."""
    pairs = {}
    for code in range(0x0400, 0x0530):
        cyrillic = chr(code)
        name = unicodedata.name(cyrillic, "")
        if name.endswith("LETTER SCHWA"):
            pairs[cyrillic] = unicodedata.lookup(name.replace("CYRILLIC", "LATIN"))
            continue
        base, *marks = unicodedata.normalize("NFD", cyrillic)
        latin_base = {c: l for l, c in LATIN_TO_CYRILLIC.items()}.get(base)
        if marks and latin_base:
            latin = unicodedata.normalize("NFC", latin_base + "".join(marks))
            if len(latin) == 1:
                pairs[cyrillic] = latin
    return pairs


def bigrams() -> list[str]:
    from spacy.lang.az.stop_words import STOP_WORDS as az
    from spacy.lang.tr.stop_words import STOP_WORDS as tr

    found = set()
    for word in az | tr:
        for part in word.split():
            padded = f"^{part.lower()}$"
            found.update(padded[k:k + 2] for k in range(len(padded) - 1))
    return sorted(found)


def main() -> int:
    import fontTools
    import spacy

    encodings = {
        "mac-glyph-order": mac_glyph_order(),
        "cp1254-contiguous": cp1254_contiguous(),
        "cp1254-as-cp1252": read_as("cp1254", "cp1252"),
        "cp1254-as-cp1250": read_as("cp1254", "cp1250"),
        "iso8859-3-as-iso8859-10": read_as("iso8859_3", "iso8859_10"),
    }
    data = {
        "_comment": "Written by tools/build_mojibake.py (see its docstring for the sources); do not edit by hand.",
        "source": f"fontTools {fontTools.version} (standard Macintosh glyph order, Adobe Glyph List), "
                  f"Python {sys.version_info.major}.{sys.version_info.minor} codecs, Unicode "
                  f"{unicodedata.unidata_version} names and decompositions, spaCy {spacy.__version__} az/tr stop words",
        "encodings": encodings,
        "script_pairs": script_pairs(),
        "latin_letters": _cased(AZ + TR + EN),
        "bigrams": bigrams(),
    }
    TARGET.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, mapping in encodings.items():
        print(name, " ".join(f"{b}→{l}" for b, l in mapping.items()))
    print("script pairs", " ".join(f"{c}→{l}" for c, l in data["script_pairs"].items()))
    print(f"{len(data['bigrams'])} bigrams -> {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
