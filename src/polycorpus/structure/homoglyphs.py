"""Homoglyphs: Latin letters inside Cyrillic words and Cyrillic letters inside Latin ones.

PDF text layers mix the two scripts where the glyphs look alike (a Latin ``c`` in ``cвоей``,
``c.51`` in a Russian note). A letter is mended when its word (or, for a one-letter abbreviation,
the words around it) is written in the other script.
"""

from __future__ import annotations

import re
from typing import Container

LATIN_TO_CYRILLIC = dict(zip("aceopxyACEHKMOPTXBiI", "асеорхуАСЕНКМОРТХВіІ"))
CYRILLIC_TO_LATIN = {cyr: lat for lat, cyr in LATIN_TO_CYRILLIC.items()}
_WORD = re.compile(r"[^\W\d_]+")
# the characters letter_script calls Cyrillic and Latin: a text without both has no homoglyph
_CYRILLIC = re.compile("[\u0400-\u052f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u0259]")


def letter_script(ch: str, neutral: Container[str] = ()) -> str | None:
    """``cyrl``, ``latn``, or None for a character of neither script or one of ``neutral``."""
    if ch in neutral:
        return None
    if "\u0400" <= ch <= "\u052f":
        return "cyrl"
    if ch.isalpha() and (ch.isascii() or "\u00c0" <= ch <= "\u024f" or ch == "ə"):
        return "latn"
    return None


def word_script(word: str, neutral: Container[str] = (), look_alikes_last: bool = False) -> str | None:
    """The script most of the word's letters are in (``neutral`` ones vote for neither); with
    ``look_alikes_last``, letters with a look-alike in the other script vote only where the others
    do not decide (``іlә`` is Latin by its ``l``)."""
    distinct = {"cyrl": 0, "latn": 0, None: 0}  # the votes of the letters without a look-alike
    every = {"cyrl": 0, "latn": 0, None: 0}
    for ch in word:
        script = letter_script(ch, neutral)
        every[script] += 1
        if ch not in CYRILLIC_TO_LATIN and ch not in LATIN_TO_CYRILLIC:
            distinct[script] += 1
    for votes in ((distinct, every) if look_alikes_last else (every,)):
        if votes["cyrl"] != votes["latn"]:
            return "cyrl" if votes["cyrl"] > votes["latn"] else "latn"
    return None


def find_homoglyphs(raw: str, start: int, end: int) -> list[tuple[int, str]]:
    """``(offset, letter to read)`` for the homoglyphs in ``raw[start:end]``."""
    if not (_CYRILLIC.search(raw, start, end) and _LATIN.search(raw, start, end)):
        return []
    words = list(_WORD.finditer(raw, start, end))
    found = []
    for k, match in enumerate(words):
        word = match.group()
        script = word_script(word)
        if len(word) == 1:
            # a one-letter word (c.51) takes the script of the words on both sides
            sides = [word_script(w.group()) for w in words[max(0, k - 1):k] + words[k + 1:k + 2]]
            script = sides[0] if sides and all(s == sides[0] for s in sides) else None
        if script is None:
            continue
        table = LATIN_TO_CYRILLIC if script == "cyrl" else CYRILLIC_TO_LATIN
        for offset, ch in enumerate(word, match.start()):
            if letter_script(ch) not in (script, None) and ch in table:
                found.append((offset, table[ch]))
    return found
