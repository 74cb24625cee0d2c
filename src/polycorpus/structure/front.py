"""The front matter: title, author, affiliation, identifiers, abstracts and keywords.

Abstracts and keywords are found by their labels in az/en/ru/tr (``data/structure/labels.json``);
an unlabelled unit is classified by its form (capitals, ©, *, an institution's name, a list of
comma-separated terms) and its position (keywords follow their abstract), its language found by
lingua.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .blocks import Unit, is_caps, script_of
from ..langid import detect
from .layout import Line, ends_sentence

_MIN_ABSTRACT_WORDS = 40
_MAX_KEYWORD_WORDS = 60
_MAX_AFFILIATION_WORDS = 25
_MAX_AUTHOR_WORDS = 8
_GROUPED = ("author", "affiliation", "identifiers")
_MAX_IMPRINT_WORDS = 12
# a journal's imprint: a year next to an issue or volume number (2024, №2; Vol. 5, No. 3, 2021)
_IMPRINT = re.compile(r"(?:№|\bNo\.|\bVol\.|\bcild\b|\bsayı\b|\bТом\b|\bвып\.)\s*\d+.*\b(?:1[89]|20)\d\d\b"
                      r"|\b(?:1[89]|20)\d\d\b.*(?:№|\bNo\.|\bVol\.|\bcild\b|\bsayı\b|\bТом\b|\bвып\.)\s*\d+",
                      re.IGNORECASE)


@lru_cache(maxsize=None)
def labels() -> dict:
    return json.loads(resources.files("polycorpus").joinpath("data", "structure", "labels.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _label_pattern(kind: str) -> re.Pattern[str]:
    names = [name for by_lang in labels()[kind].values() for name in by_lang]
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # a label ends with a colon, a dot or a dash, stands alone on its line, or is followed by
    # the capital of its text's first word ("Abstract The article…", checked by label_of)
    end = r"(?:\s*(?:[:.\-–—]\s*|$)|\s+(?=[^\W\d_]))"
    return re.compile(rf"^\s*(?:{alternatives}){end}", re.IGNORECASE)


# a sentence's end inside a text: a stop before the capital of the next sentence
_INNER_SENTENCE_END = re.compile(r"[^\W\d_]{2}[.!?]\s+[^\W\d_a-zß-ÿа-яёəğış]")
_IDENTIFIER = re.compile(r"^\s*(?:ORCID|e-?mail|E-poçt|DOI|ResearcherID)\b|\S+@\S+\.\w+", re.IGNORECASE)


def label_of(text: str) -> tuple[str, int] | None:
    """``(kind, end of the label)`` if ``text`` starts with an abstract or keywords label."""
    for kind in ("abstract", "keywords"):
        match = _label_pattern(kind).match(text)
        if match and (text[match.end() - 1] in ":.-–—" or match.end() >= len(text.rstrip())
                      or text[match.end()].isupper() or kind == "keywords"):
            return kind, match.end()
    return None


def is_references_heading(text: str) -> bool:
    return bool(_label_pattern("references").match(text)) and len(text.split()) <= 5


def back_reference_language(text: str) -> str | None:
    """The language of the ibid or op. cit. formula (Yenə orada, Там же, Ibid., Göstərilən əsəri,
    Указ. соч.) a note starts with, alone or after its author (``Махмудов Я.М. Указ. соч.``);
    None if it starts with none."""
    first, dot, rest = text.lstrip().partition(". ")
    for candidate in (text.lstrip(), rest if dot else ""):
        folded = candidate.casefold()
        for kind in ("ibid", "op_cit"):
            for lang, words in labels()[kind].items():
                if any(folded.startswith(word.casefold()) for word in words):
                    return lang
    return None


def is_label(text: str) -> bool:
    """Whether a line starts a labelled front unit (abstract, keywords, identifiers)."""
    return label_of(text) is not None or bool(_IDENTIFIER.match(text))


def _institution(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in labels()["institution_words"])


def split_lists(lines: list[Line], units: list[Unit]) -> list[Unit]:
    """Units with an unlabelled list of terms cut off the abstract they run on from.

    Keywords whose label was lost in extraction often follow their abstract's last sentence on
    the next line: a tail of lines that end no sentence and hold several commas is split off.
    """
    result = []
    for unit in units:
        tail = _list_tail(lines, unit.lines)
        if tail:
            result += [Unit(unit.lines[:-tail]), Unit(unit.lines[-tail:])]
        else:
            result.append(unit)
    return result


def attach_bare_labels(lines: list[Line], units: list[Unit]) -> list[Unit]:
    """A label standing alone (``ABSTRACT`` set apart above its text) takes the unit after it."""
    result: list[Unit] = []
    for unit in units:
        if result and len(result[-1].lines) == 1 and _bare_label(lines[result[-1].lines[0]].text):
            result[-1].lines += unit.lines
        else:
            result.append(unit)
    return result


def _bare_label(text: str) -> bool:
    found = label_of(text)
    return found is not None and found[1] >= len(text.rstrip())


def _list_tail(lines: list[Line], indices: list[int]) -> int:
    """How many last lines of a unit form a list of terms after a sentence end (0 if none)."""
    for size in range(1, len(indices)):
        tail = [lines[i].text.strip() for i in indices[-size:]]
        if ends_sentence(tail[-1]) or len(" ".join(tail).split()) > _MAX_KEYWORD_WORDS:
            return 0
        if ends_sentence(lines[indices[-size - 1]].text) and " ".join(tail).count(",") >= 2 and not label_of(tail[0]):
            return size
        if any(ends_sentence(t) for t in tail):
            return 0
    return 0


def classify(raw: str, lines: list[Line], units: list[Unit]) -> None:
    """Set kind, language and text start of the front units (in place)."""
    previous: Unit | None = None
    for unit in units:
        first = lines[unit.lines[0]]
        found = label_of(first.text)
        text = " ".join(raw[lines[i].content_start:lines[i].content_end] for i in unit.lines)
        if found:
            unit.kind = found[0]
            unit.text_start = first.start + found[1]
            if found[1] >= len(first.text.rstrip()) and len(unit.lines) > 1:  # the label on a line of its own
                unit.text_start = lines[unit.lines[1]].content_start
            text = text[found[1] - (first.content_start - first.start):]
        else:
            unit.kind = _unlabelled_kind(text, previous)
            if unit.kind == "title" and previous is not None and previous.kind == "title" and _name_like(text):
                unit.kind = "author"
            _strip_stars(raw, lines, unit)
        if unit.kind in _GROUPED and previous is not None and previous.kind in ("title",) + _GROUPED:
            # names and e-mails say little about language: they belong to their title's group
            unit.lang = previous.lang
        elif found and unit.kind == "keywords" and (lang := _label_language("keywords", first.text[:found[1]])) \
                and (script_of(text) == "cyrl") == (lang == "ru"):
            # a list of names and terms gives a detector little to go on; its label says the language
            unit.lang = lang
        else:
            unit.lang = detect(text)
        previous = unit


def join_page_broken_abstracts(lines: list[Line], units: list[Unit], skipped: set[int]) -> list[Unit]:
    """An abstract that a page breaks is one abstract: an unlabelled run of sentences in the
    abstract's language on the next page (its running header or page number between, or, on
    pages without furniture, after an abstract stopped in mid-sentence) goes on with it,
    whatever its length, rather than opening a second abstract, a title or an affiliation."""
    result: list[Unit] = []
    for unit in units:
        previous = result[-1] if result else None
        first = lines[unit.lines[0]].text
        # (a run taken for unlabelled keywords by its commas, if it holds a sentence's end: a list of terms holds none)
        sentences = unit.kind in ("abstract", "title", "affiliation") or (
            unit.kind == "keywords" and _INNER_SENTENCE_END.search(" ".join(lines[i].text.strip() for i in unit.lines)))
        if (previous is not None and previous.kind == "abstract" and sentences
                and unit.lang == previous.lang and not label_of(first) and not is_caps(first.strip())
                and ends_sentence(lines[unit.lines[-1]].text.strip())
                and (any(i in skipped for i in range(previous.lines[-1] + 1, unit.lines[0]))
                     or not ends_sentence(lines[previous.lines[-1]].text.strip()))):
            previous.lines += unit.lines
            previous.attrs.pop("text_end", None)
            if "text_end" in unit.attrs:
                previous.attrs["text_end"] = unit.attrs["text_end"]
        else:
            result.append(unit)
    return result


def _label_language(kind: str, label: str) -> str | None:
    """The one language whose ``kind`` labels include ``label`` (None if none or several)."""
    folded = label.strip().rstrip(":.-–—").strip().casefold()
    langs = {lang for lang, names in labels()[kind].items() if any(n.casefold() == folded for n in names)}
    return langs.pop() if len(langs) == 1 else None


def _name_like(text: str) -> bool:
    """A line of two to five capitalised words (a person's name, initials allowed)."""
    words = text.replace("*", " ").split()
    return 2 <= len(words) <= 5 and all(w[0].isupper() and not any(ch.isdigit() for ch in w) for w in words)


def _unlabelled_kind(text: str, previous: Unit | None) -> str:
    words = len(text.split())
    stripped = text.strip()
    if _IDENTIFIER.search(stripped):
        return "identifiers"
    if _IMPRINT.search(stripped) and words <= _MAX_IMPRINT_WORDS and not ends_sentence(stripped):
        return "furniture"  # the journal's imprint line at the top of the first page
    if "©" in stripped or (stripped.endswith("*") and words <= _MAX_AUTHOR_WORDS):
        return "author"
    if (stripped.startswith("*") or _institution(stripped)) and words <= _MAX_AFFILIATION_WORDS:
        return "affiliation"
    if is_caps(stripped) and not ends_sentence(stripped):
        return "title"
    after_abstract = previous is not None and previous.kind == "abstract"
    if after_abstract and words <= _MAX_KEYWORD_WORDS and (not ends_sentence(stripped) or stripped.count(",") >= 2):
        return "keywords"
    if words >= _MIN_ABSTRACT_WORDS:
        return "abstract"
    return "title"


def _strip_stars(raw: str, lines: list[Line], unit: Unit) -> None:
    """Asterisks that point to a note (author*, *affiliation) are not part of the text."""
    first = lines[unit.lines[0]]
    start = first.content_start
    while start < first.content_end and raw[start] in "*† ":
        start += 1
    unit.text_start = start
    last = lines[unit.lines[-1]]
    end = last.content_end
    while end > last.content_start and raw[end - 1] in "*† ":
        end -= 1
    unit.attrs["text_end"] = end
