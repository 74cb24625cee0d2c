"""Sentence boundaries by named rules, razdel-style: a splitter proposes, small rules decide.

The splitter proposes a boundary after every run of stops (``.``, ``!``, ``?``, ``…``) with the
closing quotes and brackets glued to it (``?!”.``), when white space follows. Each rule looks at
one :class:`Candidate` and answers ``True`` (split), ``False`` (join) or ``None`` (no opinion); the
first answer decides and a candidate no rule answers is a boundary. :meth:`RuleSegmenter.trace`
names the rule that decided each candidate, so a wrong split can be traced to its rule.

Word lists come from ``polycorpus/data/abbreviations/<lang>.txt``; the rules themselves are true
of the language, not of one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Callable, Iterator

# A run of stops with the closing quotes/brackets that belong to it: "." "?!”." "…" "...)".
DELIMITER = re.compile(r"(?:[.!?…]+[”»\"’)\]]*)+")
OPENERS = "“«„\"‘([–—-"
# Quotation marks: opening char -> closing chars. "“" closes "„" (ru/de) and opens otherwise.
QUOTES = {"“": "”", "«": "»", "„": "“”", '"': '"'}
# A note number glued to the stops (``idi.1 Rəsulzadə``, ``?!”.21``), as PDF text layers give
# superscripts; not after a digit, where ``25.12`` is a number.
GLUED_NOTE = re.compile(r"\d{1,3}(?=\s|$)")
TRAILING_NOTE = re.compile(r"\D[.!?…]+[”»\"’)\]]*(\d{1,3})$")
LONE_NOTE = re.compile(r"\d{1,3}")
LIST_LABEL = re.compile(r"\d{1,2}|[IVX]{1,4}|[a-zа-я]")
ROMAN = re.compile(r"^[IVXLCDM]{2,}$")
CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]+")
NUMBER = re.compile(r"^\d+(?:[-–]\d+)?$")
ABBREVIATION_KINDS = ("inner", "final", "numeric")
DATE_PHRASE_WORDS = 3  # words of a date phrase that opens a sentence: "В ноябре 1926"


@dataclass(frozen=True)
class Abbreviations:
    """Abbreviations of one language: lower-case form without its final period -> kind.

    ``inner`` never ends a sentence, ``final`` may end one (``и т.д.``, ``etc.``), ``numeric`` may end
    one right after a number (``1926 г.``).
    """

    entries: dict[str, str]

    @classmethod
    def load(cls, lang: str) -> "Abbreviations":
        path = resources.files("polycorpus") / "data" / "abbreviations" / f"{lang}.txt"
        if not path.is_file():
            return cls({})
        entries = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, kind = line, "inner"
            if line.rsplit(" ", 1)[-1] in ABBREVIATION_KINDS:
                word, kind = line.rsplit(" ", 1)
            entries[word.lower().removesuffix(".")] = kind
        return cls(entries)

    @cached_property
    def longest_first(self) -> list[tuple[str, str]]:
        return sorted(self.entries.items(), key=lambda item: -len(item[0]))

    def match(self, before: str) -> tuple[str, str] | None:
        """The entry that ``before`` (text up to a period) ends with, as a whole word, and its kind."""
        before = before.lower()
        for entry, kind in self.longest_first:
            if before.endswith(entry):
                head = before[:-len(entry)]
                if not head or not head[-1].isalnum():
                    return entry, kind
        return None


@dataclass(frozen=True)
class Candidate:
    """A proposed boundary: ``text[start:end]`` is the run of stops, the next sentence starts at ``next``."""

    text: str
    start: int
    end: int
    next: int
    sentence_start: int
    inside_quote: bool
    abbreviations: Abbreviations = field(compare=False, repr=False)

    @cached_property
    def abbreviation(self) -> tuple[str, str] | None:
        """The abbreviation a period closes (entry, kind), if any; asked once, by several rules."""
        if self.delimiter != ".":
            return None
        return self.abbreviations.match(self.text[self.sentence_start:self.start])

    @property
    def delimiter(self) -> str:
        return self.text[self.start:self.end]

    @property
    def left_word(self) -> str:
        """The word before the stops, without opening quotes or brackets."""
        head = self.text[self.sentence_start:self.start]
        return head.rsplit(" ", 1)[-1].lstrip(OPENERS)

    @property
    def right_word(self) -> str:
        """The next word, without opening quotes or brackets (``“Bu`` -> ``Bu``)."""
        return self.text[self.next:].split(" ", 1)[0].lstrip(OPENERS)

    @property
    def right_char(self) -> str:
        return self.text[self.next] if self.next < len(self.text) else ""


Rule = Callable[[Candidate], "bool | None"]


# -- rules: True = split, False = join, None = no opinion ---------------------------------------
def empty_left(c: Candidate) -> bool | None:
    """Stops with no word before them since the last boundary (a leading ``…``) end nothing."""
    return False if not any(ch.isalnum() for ch in c.text[c.sentence_start:c.start]) else None


def list_label(c: Candidate) -> bool | None:
    """A number or letter alone at the start of a sentence labels an item: ``1. Birinci bənd.``"""
    return False if c.delimiter == "." and LIST_LABEL.fullmatch(c.text, c.sentence_start, c.start) else None


def inside_quote(c: Candidate) -> bool | None:
    """Stops inside a quotation that closes later belong to the quoting sentence."""
    return False if c.inside_quote else None


def punct_right(c: Candidate) -> bool | None:
    """A sentence does not start with a comma, semicolon or colon."""
    return False if c.right_char in ",;:" else None


def lower_right(c: Candidate) -> bool | None:
    """A sentence starts with a capital or a digit: a lower-case word continues the sentence."""
    word = c.right_word
    return False if word and word[0].isalpha() and word[0].islower() else None


def bracketed_stop(c: Candidate) -> bool | None:
    """Stops alone in brackets are a remark inside the sentence: ``[…]``, ``(...)``, ``(?)``, ``(!)``."""
    if c.start and c.text[c.start - 1] in "[(" and c.delimiter[-1] in ")]" and c.delimiter[:-1].strip(".…!?") == "":
        return False
    return None


def abbreviation(c: Candidate) -> bool | None:
    """A period after an abbreviation of the language; ``final``/``numeric`` ones may end a sentence."""
    if c.abbreviation is None:
        return None
    entry, kind = c.abbreviation
    if kind == "numeric":
        # "1926 г." ends a sentence, unless the sentence so far is only the date phrase that
        # opens it ("В 1926 г. Расулзаде уехал", "В ноябре 1926 г. …")
        words = c.text[c.sentence_start:c.start - len(entry)].split()
        kind = "final" if words and NUMBER.match(words[-1]) and len(words) > DATE_PHRASE_WORDS else "inner"
    if kind == "final":
        word = c.right_word
        return bool(word) and word[0].isupper()
    return False


def verbless_fragment(c: Candidate) -> bool | None:
    """A Russian sentence has a predicate: after a fragment with no verb, predicative or short
    form, an abbreviation's period ends nothing ("По договору 1805 г. ханство отошло …")."""
    if c.abbreviation is None:
        return None
    return None if has_russian_predicate(c.text[c.sentence_start:c.start]) else False


PREDICATE_TAGS = frozenset({"VERB", "PRTS", "ADJS", "PRED"})


def has_russian_predicate(text: str) -> bool:
    """Whether a word of ``text`` is most likely a finite verb, a predicative, or a short participle
    or adjective (pymorphy3's best parse)."""
    morph = _russian_morphology()
    return any(morph.parse(word)[0].tag.POS in PREDICATE_TAGS for word in CYRILLIC_WORD.findall(text))


@lru_cache(maxsize=1)
def _russian_morphology():
    import pymorphy3  # loaded on the first abbreviation of a Russian text only

    return pymorphy3.MorphAnalyzer()


def initials(c: Candidate) -> bool | None:
    """A capital letter with a period is an initial (``M.Ə. Rəsulzadə``, ``Г. Мамулия``)."""
    if c.delimiter != ".":
        return None
    parts = c.left_word.split(".")
    if all(len(p) == 1 and p.isupper() for p in parts):
        return False
    return None


def letter_before_number(c: Candidate) -> bool | None:
    """A lower-case letter with a period before a number abbreviates a unit or a reference (``f. 894``)."""
    word = c.left_word
    if c.delimiter == "." and len(word) == 1 and word.islower() and c.right_word[:1].isdigit():
        return False
    return None


def roman_ordinal(c: Candidate) -> bool | None:
    """Azerbaijani and Turkish write ordinals with a period (``II. Dünya``, ``XX. əsr``)."""
    return False if c.delimiter == "." and ROMAN.match(c.left_word) else None


BEFORE_ABBREVIATIONS: tuple[Rule, ...] = (empty_left, list_label, inside_quote, punct_right, lower_right,
                                          bracketed_stop)
FROM_ABBREVIATIONS: tuple[Rule, ...] = (abbreviation, initials, letter_before_number)
COMMON_RULES = BEFORE_ABBREVIATIONS + FROM_ABBREVIATIONS
RULES: dict[str, tuple[Rule, ...]] = {
    "ru": BEFORE_ABBREVIATIONS + (verbless_fragment,) + FROM_ABBREVIATIONS,
    "az": COMMON_RULES + (roman_ordinal,),
    "tr": COMMON_RULES + (roman_ordinal,),
}


@dataclass(frozen=True)
class Decision:
    """What happened at one candidate: ``rule`` is the name of the rule that decided, or ``default``."""

    end: int
    next: int
    split: bool
    rule: str


class RuleSegmenter:
    """Sentence spans ``(start, end)`` of a text, end exclusive, white space trimmed."""

    def __init__(self, lang: str, abbreviations: Abbreviations | None = None) -> None:
        self.lang = lang
        self.abbreviations = abbreviations if abbreviations is not None else Abbreviations.load(lang)
        self.rules = RULES.get(lang, COMMON_RULES)

    def trace(self, text: str) -> Iterator[Decision]:
        quotes = quotation_ranges(text)
        sentence_start = len(text) - len(text.lstrip())
        for match in DELIMITER.finditer(text):
            start, end = match.span()
            after = end
            if after < len(text) and not text[after].isspace():
                note = GLUED_NOTE.match(text, after)
                if note is None or not start or text[start - 1].isdigit():
                    continue
                after = note.end()
            rest = text[after:]
            following = after + len(rest) - len(rest.lstrip())
            if following >= len(text):
                break
            candidate = Candidate(text, start, end, following, sentence_start,
                                  any(o < end <= c for o, c in quotes), self.abbreviations)
            decision = Decision(end, following, True, "default")
            for rule in self.rules:
                answer = rule(candidate)
                if answer is not None:
                    decision = Decision(end, following, answer, rule.__name__)
                    break
            if decision.split:
                sentence_start = following
            yield decision

    def split(self, text: str) -> list[tuple[int, int]]:
        spans = []
        start = len(text) - len(text.lstrip())
        for decision in self.trace(text):
            if decision.split:
                spans.append((start, decision.end))
                start = decision.next
        end = len(text.rstrip())
        note = TRAILING_NOTE.search(text, start, end)
        if note:
            end = note.start(1)
        if start < end and not (spans and LONE_NOTE.fullmatch(text, start, end)):
            # a number alone after the last sentence is a note number set apart by a space
            spans.append((start, end))
        return spans


def quotation_ranges(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` indices of the quotation marks that pair up; unpaired marks are ignored."""
    stack: list[tuple[str, int]] = []
    ranges = []
    for i, char in enumerate(text):
        if stack and char in QUOTES[stack[-1][0]]:
            ranges.append((stack.pop()[1], i))
        elif char in QUOTES:
            stack.append((char, i))
        elif char in "”»":
            # a closing mark with no matching opening mark: drop openings it cannot close
            for depth in range(len(stack) - 1, -1, -1):
                if char in QUOTES[stack[depth][0]]:
                    ranges.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    return ranges
