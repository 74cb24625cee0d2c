"""Broken fonts: letters of a legacy Azerbaijani or Turkish font that a PDF's text layer reads as
other letters (``ĠnkiĢaf`` for ``İnkişaf``, ``Ýlham`` for ``İlham``), and the schwa of one script
inside a word of the other (``Azәrbaycan`` with a Cyrillic ``ә``).

A broken letter is a letter no Azerbaijani, Turkish or English word has, so a word that holds
one is evidence; but ``Ġ``, ``Š`` or ``Đ`` are letters of Maltese, Czech or Croatian names, so a
font is repaired **per document**: a broken letter is read as an Azerbaijani letter only where the
document holds it in several words and mostly lacks the letter it stands for (the font lost that
letter everywhere), and where it has several readings (``ġ`` is ``ş`` under one font, ``ı`` under
another) the reading is the one the document's other broken letters, its missing letters and the
letter pairs of the language (the document's own words and a small Azerbaijani/Turkish list) agree
on. Its case follows the word (``iĢ``, ``ĠŞ``), or at a word's start the case the document gives that
letter elsewhere. Then **per word**: a repair is made only where the repaired word is written in
the letters of the orthographies (``Đurić`` keeps its ``Đ``; ``Ğ``/``ğ`` are never broken).

The tables come from ``data/structure/mojibake.json`` (``tools/build_mojibake.py``). The repairs
are an edit layer (``mojibake``, one character each, like ``homoglyph``): the clean view reads
them, offsets stay those of the raw file. :func:`corrupt` writes a text through a broken font, for
benches and tests.
"""

from __future__ import annotations

import bisect
import json
import random
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .homoglyphs import _WORD, CYRILLIC_TO_LATIN, LATIN_TO_CYRILLIC, word_script

MIN_WORDS = 3  # a document-level decision: one or two words may be a foreign name
MIN_SHARE = 0.1  # broken forms among the broken and the printed forms of the letter they stand for
MIN_ATTESTED = 2  # or: repaired words that the document prints in clean letters elsewhere
MIN_PLAUSIBLE = 0.5  # repaired words written in the orthographies' letters


@dataclass(frozen=True)
class Tables:
    encodings: dict[str, dict[str, str]]  # name -> broken letter -> the letter it stands for
    to_latin: dict[str, str]  # Cyrillic letter in a Latin word -> Latin letter
    to_cyrillic: dict[str, str]
    latin: frozenset[str]  # the letters of the Azerbaijani, Turkish and English alphabets
    bigrams: frozenset[str]
    paired: frozenset[str]  # the letters of the script pairs (either schwa): they vote for no script

    @property
    def broken(self) -> set[str]:
        return {b for mapping in self.encodings.values() for b in mapping}


@lru_cache(maxsize=1)
def tables() -> Tables:
    data = json.loads(resources.files("polycorpus").joinpath("data/structure/mojibake.json").read_text(encoding="utf-8"))
    pairs = data["script_pairs"]
    return Tables(data["encodings"], pairs, {lat: cyr for cyr, lat in pairs.items()},
                  frozenset(data["latin_letters"]), frozenset(data["bigrams"]), frozenset(pairs) | frozenset(pairs.values()))


def _upper(ch: str) -> str:
    return {"i": "İ", "ı": "I"}.get(ch, ch.upper())


def _lower(ch: str) -> str:
    return {"İ": "i", "I": "ı"}.get(ch, ch.lower())


def _case(word: str, k: int, skip: set[str]) -> str | None:
    """The case the word asks of its letter ``k``: ``upper`` in a word in capitals, ``lower``
    inside a lower-case or capitalised word; None at a word's start (``Ģəki``: a capital or a
    word in lower case) and in a two-letter word after a capital (``ÜĮ``: ``Üç`` or ``ÜÇ``)."""
    others = [(j, ch) for j, ch in enumerate(word) if j != k and ch not in skip and ch.lower() != ch.upper()]
    if others and all(ch.isupper() for _, ch in others) and others != [(0, word[0])]:
        return "upper"
    inner = [ch for j, ch in others if j > 0]
    if k > 0 and inner and all(ch.islower() for ch in inner):
        return "lower"
    return None


def _plausible(word: str, t: Tables, allowed: set[str]) -> bool:
    """Written in the orthographies' letters (``allowed``: broken letters still to be read) and
    cased as words are: lower case, capitalised or in capitals."""
    if not all(ch in t.latin or ch in allowed for ch in word):
        return False
    rest = word[1:]
    return rest == "".join(map(_lower, rest)) or word == "".join(map(_upper, word))


def _folded(word: str) -> str:
    return "".join(map(_lower, word))


def _pairs(word: str) -> set[str]:
    padded = "^" + _folded(word) + "$"
    return {padded[k:k + 2] for k in range(len(padded) - 1)}


def find_repairs(raw: str) -> list[tuple[int, str]]:
    """``(offset, letter to read)`` for the broken letters of ``raw``, sorted by offset."""
    t = tables()
    found: dict[int, str] = {}
    latin_words = []
    for match in _WORD.finditer(raw):
        start, word = match.start(), match.group()
        script = word_script(word, t.paired, look_alikes_last=True)
        table = t.to_latin if script == "latn" else t.to_cyrillic if script == "cyrl" else {}
        if any(ch in table for ch in word):
            found.update((start + k, table[ch]) for k, ch in enumerate(word) if ch in table)
            word = "".join(table.get(ch, ch) for ch in word)
        if script == "latn":  # read with its look-alikes, which the homoglyph layer mends
            latin_words.append((start, "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in word)))
    font = _Font(_azerbaijani_or_turkish(raw, latin_words, t), t)
    for start, word in latin_words:
        if not any(ch in font.readings for ch in word):
            continue
        letters = [font.letter(word, k) if ch in font.readings else ch for k, ch in enumerate(word)]
        if _plausible("".join(letters), t, set()):
            found.update((start + k, letters[k]) for k, ch in enumerate(word) if ch in font.readings)
    return sorted(found.items())


def _azerbaijani_or_turkish(raw: str, latin_words: list[tuple[int, str]], t: Tables) -> list[tuple[int, str]]:
    """The words of the lines that hold a letter of the Azerbaijani or Turkish alphabet beyond
    ASCII (``ə``, ``ı``, ``ç``, ``ö``…): the evidence of the document's font. A Czech or Maltese
    name in an English line (``J. Šimek``, ``Ġużeppi``) tells nothing of it."""
    native = {ch for ch in t.latin if not ch.isascii()} | {c for c, lat in t.to_latin.items() if lat in t.latin}
    breaks = [k for k, ch in enumerate(raw) if ch == "\n"]
    lines: dict[int, bool] = {}
    kept = []
    for start, word in latin_words:
        line = bisect.bisect_left(breaks, start)
        if line not in lines:
            begin = breaks[line - 1] + 1 if line else 0
            end = breaks[line] if line < len(breaks) else len(raw)
            lines[line] = any(ch in native for ch in raw[begin:end])
        if lines[line]:
            kept.append((start, word))
    return kept


class _Font:
    """What one document's font does, read from its Azerbaijani and Turkish words: ``readings``
    (broken letter -> the letter it stands for, in lower case) and ``cases`` (the case a broken
    letter has where its word does not tell)."""

    def __init__(self, latin_words: list[tuple[int, str]], t: Tables) -> None:
        self.broken = t.broken
        self.letters = Counter(ch for _, word in latin_words for ch in word)
        self.holding = {b: [w for _, w in latin_words if b in w] for b in sorted(self.broken) if self.letters[b]}
        self.votes = {b: Counter(c for w in words for k, ch in enumerate(w) if ch == b
                                 for c in [_case(w, k, self.broken)] if c)
                      for b, words in self.holding.items()}
        self.readings = self._readings(latin_words, t) if self.holding else {}
        self.cases = {b: self._case(b) for b in self.readings}

    def letter(self, word: str, k: int) -> str:
        letter = self.readings[word[k]]
        case = _case(word, k, self.broken) or self.cases[word[k]]
        return _upper(letter) if case == "upper" else letter

    def _form(self, b: str, letter: str) -> str:
        """The form (case) of ``letter`` that ``b`` replaces: the one its words ask, else the one
        the document lacks more."""
        if self.votes[b]:
            case = self.votes[b].most_common(1)[0][0]
            return _upper(letter) if case == "upper" else letter
        return min((_upper(letter), letter), key=lambda form: self.letters[form])

    def _readings(self, latin_words: list[tuple[int, str]], t: Tables) -> dict[str, str]:
        """The document-level decision: a broken font is in evidence when broken letters stand in
        several words. A letter in several words of its own is read as the letter whose printed
        form the document mostly lacks (or whose repaired words it prints elsewhere) and whose
        repaired words are words of the orthography; a rarer one as the font those letters
        established (two of them read as it reads them) reads it, else by the same tests."""
        if len({w for words in self.holding.values() for w in words}) < MIN_WORDS:
            return {}
        known = set(t.bigrams)
        vocabulary = set()
        for _, word in latin_words:
            if not self.broken & set(word):
                known.update(_pairs(word))
                vocabulary.add(_folded(word))
        readings: dict[str, str] = {}
        common = [b for b, words in self.holding.items() if len(words) >= MIN_WORDS]
        for b in common:
            self._test(b, t, known, vocabulary, readings)
        for b in [b for b in self.holding if b not in readings]:
            # the fonts that read two or more of the letters decided so far, each as it was read
            agreeing = [m for m in t.encodings.values() if b in m and sum(o in m for o in readings) >= 2
                        and all(_lower(m[o]) == readings[o] for o in readings if o in m)]
            if agreeing:
                letter = _lower(max(agreeing, key=lambda m: sum(o in m for o in readings))[b])
                if self._plausible_share(b, letter, t) >= MIN_PLAUSIBLE:
                    readings[b] = letter
            elif b not in common:
                self._test(b, t, known, vocabulary, readings)
        return readings

    def _test(self, b: str, t: Tables, known: set[str], vocabulary: set[str], readings: dict[str, str]) -> None:
        """Read ``b`` (into ``readings``) as the best of its letters if that one passes the tests."""
        candidates = {}
        for mapping in (m for m in t.encodings.values() if b in m):
            letter = _lower(mapping[b])
            # what the document's other broken letters say of this font
            support = sum(1 for other in self.holding if other != b and other in mapping)
            share = self.letters[b] / (self.letters[b] + self.letters[self._form(b, letter)])
            repaired = [_read(w, b, letter, self.broken) for w in self.holding[b]]
            lm = sum(len(_pairs(w) & known) / len(_pairs(w)) for w in repaired) / len(repaired)
            # repaired words the document prints elsewhere in clean letters (a list copied in a
            # broken font into a clean article: ``Bakġ`` and ``Bakı``)
            attested = len({_folded(w) for w in repaired if not self.broken & set(w)} & vocabulary)
            key = (support, round(lm, 1), round(share, 1), self._plausible_share(b, letter, t), attested)
            candidates[letter] = max(candidates.get(letter, key), key)
        letter, (_, _, share, plausible, attested) = max(candidates.items(), key=lambda item: item[1])
        if (share >= MIN_SHARE or attested >= MIN_ATTESTED) and plausible >= MIN_PLAUSIBLE:
            readings[b] = letter

    def _plausible_share(self, b: str, letter: str, t: Tables) -> float:
        """The share of ``b``'s words that are words of the orthography with ``b`` read as ``letter``."""
        words = self.holding[b]
        return sum(_plausible(_read(w, b, letter, self.broken), t, self.broken) for w in words) / len(words)

    def _case(self, b: str) -> str:
        """The case the document's words give ``b``; else the case of the form it lacks; else the
        case opposite to that of another broken letter read as the same letter (a font gives each
        case its own code); else lower case."""
        letter = self.readings[b]
        if self.votes[b]:
            return self.votes[b].most_common(1)[0][0]
        upper, lower = self.letters[_upper(letter)], self.letters[letter]
        if upper != lower:
            return "upper" if upper < lower else "lower"
        twins = [o for o in self.readings if o != b and self.readings[o] == letter and self.votes[o]]
        if twins:
            return "lower" if self.votes[twins[0]].most_common(1)[0][0] == "upper" else "upper"
        return "lower"


def _read(word: str, b: str, letter: str, broken: set[str]) -> str:
    """``word`` with ``b`` read as ``letter`` in the case the word asks (else lower case)."""
    return "".join((_upper(letter) if _case(word, k, broken) == "upper" else letter) if ch == b else ch
                   for k, ch in enumerate(word))


def read_through(raw: str, repairs: list[tuple[int, str]]) -> str:
    """``raw`` with the repairs made: the same length, so every offset stays the raw one."""
    if not repairs:
        return raw
    chars = list(raw)
    for offset, letter in repairs:
        chars[offset] = letter
    return "".join(chars)


def corrupt(text: str, encoding: str | dict[str, str] = "mac-glyph-order", schwa: float = 0.0, homoglyphs: float = 0.0,
            seed: int = 0) -> str:
    """``text`` as a broken font writes it: every letter the ``encoding`` (a table of
    ``data/structure/mojibake.json``, or a table ``{broken: letter}``) breaks (a letter with
    several broken forms takes one at random each time), the Latin ``ə`` of a share ``schwa`` of the words
    written with the Cyrillic ``ә``, and in a share ``homoglyphs`` of the words one letter in the
    look-alike of the other script. Same length; deterministic for a ``seed``."""
    t = tables()
    writes: dict[str, list[str]] = {}
    for b, letter in (t.encodings[encoding] if isinstance(encoding, str) else encoding).items():
        writes.setdefault(letter, []).append(b)
    rng = random.Random(seed)
    chars = [rng.choice(writes[ch]) if ch in writes else ch for ch in text]
    for match in _WORD.finditer(text):
        word = match.group()
        script = word_script(word, t.paired, look_alikes_last=True)
        if script == "latn" and rng.random() < schwa:
            for k, ch in enumerate(word, match.start()):
                if ch in t.to_cyrillic:
                    chars[k] = t.to_cyrillic[ch]
        table = LATIN_TO_CYRILLIC if script == "latn" else CYRILLIC_TO_LATIN if script == "cyrl" else {}
        spots = [k for k, ch in enumerate(word, match.start()) if ch in table]
        if len(word) > 2 and spots and rng.random() < homoglyphs:
            k = rng.choice(spots)
            chars[k] = table[text[k]]
    return "".join(chars)
