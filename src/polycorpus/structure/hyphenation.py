"""Line-end hyphens: a soft hyphen of typesetting, or the hyphen of a real compound?

Decided from the document's own vocabulary and the language, never from a list of words:
a number keeps its hyphen (``1940-1946``, ``1924-cü``); a form seen elsewhere with its hyphen on
one line (``ictimai-siyasi``) or whose stem is (``pan-turanizmdə`` for ``pan-turanizmə``) keeps
it; a word seen joined (``mərhələlərindən``) or whose stem is, loses it; a capital after the
hyphen marks a compound of names (``Fətəlibəyli-Düdənginski``); two parts that are words of the
text on their own (``sosial``, ``demokrat``) make a compound; so do the compound patterns of
the orthographies (``data/structure/hyphenation.json``: ``кто-то``, ``общественно-политический``,
``milli-mənəvi``, ``self-made``, doubled words ``üst-üstə``). Anything else is a soft hyphen:
typesetters break far more words than compounds.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# a word-final hyphen at a line end and the white space up to the next word
LINE_END_HYPHEN = re.compile(r"(?<=[^\W_])-[ \t]*\n\s*(?=[^\W_])")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_LEFT = re.compile(r"[^\W_]+$")
_RIGHT = re.compile(r"^[^\W_]+")
_REACH = 80  # characters looked back for the word before a hyphen
_STEM = 4  # letters of the second part compared when the exact form is not in the text


@lru_cache(maxsize=None)
def patterns() -> dict:
    """Compound patterns of the orthographies (``data/structure/hyphenation.json``)."""
    text = resources.files("polycorpus").joinpath("data", "structure", "hyphenation.json").read_text("utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Vocabulary:
    words: Counter  # casefolded word forms written without a line-end break
    hyphenated: Counter  # the forms among them that contain a hyphen
    parts: Counter  # words and the parts of hyphenated words


def vocabulary(raw: str) -> Vocabulary:
    unbroken = LINE_END_HYPHEN.sub("\x00", raw)
    # the two fragments of a broken word are not words of the text
    unbroken = re.sub(r"[^\W_]*\x00[^\W_]*", " ", unbroken)
    words = Counter(w.casefold() for w in _WORD.findall(unbroken))
    hyphenated = Counter({w: c for w, c in words.items() if "-" in w})
    parts = Counter()
    for word, count in words.items():
        for part in word.split("-"):
            parts[part] += count
    return Vocabulary(words, hyphenated, parts)


def keeps_hyphen(left: str, right: str, vocab: Vocabulary) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line form a hyphenated word."""
    if left[-1].isdigit():
        return True
    a, b = left.casefold(), right.casefold()
    if f"{a}-{b}" in vocab.hyphenated:
        return True
    if a + b in vocab.words:
        return False
    if b in patterns()["second_parts"] or a in patterns()["first_parts"]:
        return True
    if len(a) >= 3 and b.startswith(a):  # a doubled word: üst-üstə, bir-bir
        return True
    if any(re.match(first, a) and re.match(second, b) for first, second in patterns()["pairs"]):
        return True
    if right[0].isupper() and not right.isupper():
        return True
    stem = b[:_STEM]
    if any(w.startswith(f"{a}-{stem}") for w in vocab.hyphenated):
        return True
    if any(w.startswith(a + stem) for w in vocab.words):
        return False
    return len(a) >= 3 and len(b) >= 3 and vocab.parts[a] > 0 and vocab.parts[b] > 0


def line_end_hyphens(raw: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """``(hyphen offset, next word offset, left word, right word)`` in ``raw[start:end]``."""
    found = []
    for match in LINE_END_HYPHEN.finditer(raw, start, end):
        left = _LEFT.search(raw, max(start, match.start() - _REACH), match.start()).group()
        right = _RIGHT.match(raw[match.end():end]).group()
        found.append((match.start(), match.end(), left, right))
    return found


def page_break_hyphen(raw: str, end: int, next_start: int, next_end: int) -> tuple[str, str] | None:
    """``(left, right)`` if a piece ending at ``end`` breaks a word that the next piece finishes."""
    if end < 2 or raw[end - 1] != "-" or not (raw[end - 2].isalnum()):
        return None
    right = _RIGHT.match(raw[next_start:next_end])
    return (_LEFT.search(raw, max(0, end - 1 - _REACH), end - 1).group(), right.group()) if right else None
