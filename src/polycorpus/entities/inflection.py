"""Inflection stripping for names: Azerbaijani suffixes after vowel harmony, Russian case forms
through pymorphy3's dictionary (:func:`ru_lemma`, :func:`ru_stem`).

Azerbaijani attaches plural, possessive and case suffixes to a name whose form follows the
stem's last vowel (``Türkiyə|də``, ``Varşava|da``, ``Azərbaycan|ın``, ``Komitə|si|ni``) and
inserts a buffer consonant after a vowel (``Rəsulzadə|nin``, ``Moskva|ya``). After an
abbreviation or a digit the suffix follows a hyphen (``SSRİ-nin``, ``QİK-dəki``); texts that
write as Turkish does set it off by an apostrophe (``Bakı'da``).
:func:`az_stems` lists every stem a word can have under these rules, the word itself first;
the caller decides which stem is attested (a gazetteer name, another mention).
"""

from __future__ import annotations

from functools import cache, lru_cache

BACK_VOWELS = "aıou"
FRONT_VOWELS = "əeiöü"
VOWELS = BACK_VOWELS + FRONT_VOWELS
CACHED_WORDS = 1 << 16  # distinct words whose stems are remembered

# Suffix templates: "A" is the two-way harmony vowel (a/ə), "I" the four-way one (ı/i/u/ü);
# each with the stem end it needs: "V" a vowel, "C" a consonant, "*" either.
_CASES = (("nIn", "V"), ("In", "C"), ("yA", "V"), ("A", "C"), ("nI", "V"), ("I", "C"),
          ("dA", "*"), ("dAn", "*"), ("ylA", "V"), ("lA", "*"), ("dAkI", "*"))
# After the 3rd-person possessive the oblique cases take an "n".
_CASES_AFTER_POSSESSIVE = ("", "nIn", "nA", "nI", "ndA", "ndAn", "ylA", "ndAkI")
# A final k/q turns into y/ğ before a vowel: nazirlik → Nazirliyi, komissarlıq → Komissarlığı.
_SOFTENED = {"y": "k", "ğ": "q"}


def _templates() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set(_CASES)
    for possessive, need in (("sI", "V"), ("I", "C"), ("lArI", "*")):
        found.update((possessive + case, need) for case in _CASES_AFTER_POSSESSIVE)
    # the case after a possessive, the possessive kept on the stem (Türkiyəsi|nə)
    found.update((case, "P") for case in _CASES_AFTER_POSSESSIVE if case)
    found.add(("lAr", "*"))
    found.update(("lAr" + case, "*") for case, need in _CASES if need != "V")
    return sorted(found, key=lambda item: (-len(item[0]), item))


_TEMPLATES = _templates()
_A = {"a": "a", "ı": "a", "o": "a", "u": "a", "ə": "ə", "e": "ə", "i": "ə", "ö": "ə", "ü": "ə"}
_I = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "ə": "i", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}


def _realise(template: str, vowel: str) -> str:
    """The template's surface form after a stem whose last vowel is ``vowel``."""
    out = []
    for char in template:
        if char in "AI":
            vowel = (_A if char == "A" else _I)[vowel]
            out.append(vowel)
        else:
            out.append(char)
    return "".join(out)


# Every template's surface form after every last vowel of a stem; the templates by the last
# letter of their surface forms, in order (a word is tried only against those that can end it).
_REALISED = {(template, vowel): _realise(template, vowel) for template, _ in _TEMPLATES for vowel in VOWELS}


def _by_last_letter() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for template, need in _TEMPLATES:
        for last in dict.fromkeys(_REALISED[template, vowel][-1] for vowel in VOWELS):
            found.setdefault(last, []).append((template, need))
    return found


_ENDING_IN = _by_last_letter()


def _az_lower(text: str) -> str:
    return text.replace("I", "ı").replace("İ", "i").lower()


def az_stems(word: str) -> list[str]:
    """Possible stems of an Azerbaijani word, the word itself first, then longer before shorter.

    >>> stems = az_stems("Türkiyədə")
    >>> stems[0], "Türkiyə" in stems
    ('Türkiyədə', True)
    """
    return list(_az_stems(word))


@lru_cache(maxsize=CACHED_WORDS)
def _az_stems(word: str) -> tuple[str, ...]:
    # the recogniser and the linker ask for the same few names' stems thousands of times
    stems = [word]
    head, apostrophe, tail = word.rpartition("'") if "'" in word else word.rpartition("’")
    if apostrophe and head and tail.islower() and len(az_stems(head + tail)) > 1:
        # Bakı'da, Türkiyə’nin: a suffix set off by an apostrophe, as Turkish writes names
        stems.append(head)
        return tuple(stems)
    if "-" in word:
        # SSRİ-nin, QİK-dəki, AXC-nin: the suffix follows a hyphen after an abbreviation.
        head, _, tail = word.rpartition("-")
        if head and (head.isupper() or head[-1].isdigit()) and tail.islower():
            stems.append(head)
            return tuple(stems)
    lower = _az_lower(word)
    # the last vowel of every beginning lower[:k] of the word, so that each template's stem is looked at once
    last_vowel: list[str | None] = [None]
    for char in lower:
        last_vowel.append(char if char in VOWELS else last_vowel[-1])
    for template, need in _ENDING_IN.get(lower[-1:], ()):
        size = len(template)
        cut = max(len(lower) - size, 0)               # len(lower[:-size])
        vowel = last_vowel[cut]
        if cut < 2 or vowel is None:
            continue
        before = lower[cut - 1]
        ends_in_vowel = before in VOWELS
        if (need == "V" and not ends_in_vowel) or (need == "C" and ends_in_vowel) \
                or (need == "P" and before not in "ıiuü"):
            continue
        suffix = _REALISED[template, vowel]
        if lower.endswith(suffix):
            stem = word[:-size]
            if stem not in stems:
                stems.append(stem)
            if stem[-1] in _SOFTENED and template[0] in "AIyns" and suffix[0] in VOWELS:
                hardened = stem[:-1] + _SOFTENED[stem[-1]]
                if hardened not in stems:
                    stems.append(hardened)
    return (stems[0], *sorted(stems[1:], key=len, reverse=True))


# Russian noun and adjective endings, longest first; a name keeps at least three letters.
# The genitive plural -ов/-ев is left out: in names it is the surname suffix (Исхаков).
_RU_ENDINGS = tuple(sorted((
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя", "ое",
    "ее", "ую", "юю", "ым", "им", "ом", "ем", "ах", "ях", "ам", "ям", "ии", "ия", "ию",
    "ье", "ья", "ью", "а", "я", "ы", "и", "у", "ю", "е", "о", "ь", "й",
), key=len, reverse=True))


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=CACHED_WORDS)
def ru_lemma(word: str) -> str:
    """A Russian name form in its dictionary form by pymorphy3's best parse, cased as the word
    (``Ротшильдами`` → ``Ротшильд``, ``Нахичевани`` → ``Нахичевань``, ``Северного`` → ``Северный``);
    a word of another script, or neither noun nor adjective, as it is."""
    if not word or not any("\u0400" <= char <= "\u04ff" for char in word):
        return word
    parse = _morph().parse(word)[0]
    if parse.tag.POS not in ("NOUN", "ADJF"):
        return word
    lemma = parse.normal_form
    if word.isupper():
        return lemma.upper()
    return lemma[:1].upper() + lemma[1:] if word[:1].isupper() else lemma


@lru_cache(maxsize=CACHED_WORDS)
def ru_stem(word: str) -> str:
    """The stem of the word's dictionary form (:func:`ru_lemma`) without its ending, so that
    every case form of a name gives one stem (``Турции``, ``Турцией`` → ``Турц``; ``Расулзаде``
    → ``Расулзад``; ``Орла``, ``Орёл`` → ``Орёл``)."""
    lemma = ru_lemma(word)
    lower = lemma.lower()
    for ending in _RU_ENDINGS:
        if lower.endswith(ending) and len(lemma) - len(ending) >= 3:
            return lemma[:-len(ending)]
    return lemma
