"""Transliteration between Azerbaijani Latin, Russian Cyrillic and English (ASCII) spellings.

Names cross the three languages of an article in three spellings (``Rəsulzadə``,
``Расулзаде``, ``Rasulzade``). :func:`to_ascii` writes any of them in one English-style
romanisation; :func:`skeleton` reduces that to a coarse consonant key that survives the
differences left over (vowel quality, ``x``/``kh``, ``c``/``dzh``, doubled letters), so that
two spellings of one name compare equal. :func:`az_to_ru` goes the other way, for looking up
Azerbaijani names among Russian forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Azerbaijani Latin letters that ASCII lacks or reads differently, in an English-style reading.
_AZ = {
    "ə": "a", "ı": "i", "ö": "o", "ü": "u", "ş": "sh", "ç": "ch", "ğ": "gh", "x": "kh", "q": "g",
    "c": "j", "j": "zh", "İ": "i", "I": "i",
}
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
}
# Azerbaijani Latin to Russian Cyrillic, as Russian texts spell Azerbaijani names.
_AZ_TO_RU = {
    "a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "ə": "а", "f": "ф", "g": "г",
    "ğ": "г", "h": "х", "x": "х", "ı": "ы", "i": "и", "j": "ж", "k": "к", "q": "к", "l": "л",
    "m": "м", "n": "н", "o": "о", "ö": "ё", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т",
    "u": "у", "ü": "ю", "v": "в", "y": "й", "z": "з",
}


# Russian Cyrillic to Azerbaijani Latin, as Azerbaijani texts spell Russian names (Москва → Moskva).
_RU_TO_AZ = {
    "а": "a", "б": "b", "в": "v", "г": "q", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şç", "ъ": "", "ы": "ı", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


_DOUBLED = re.compile(r"(.)\1+")
_VOWEL = re.compile(r"[aeiouy]")
# Names whose romanisations, skeletons and link keys are remembered (here and in linking): the
# recogniser and the linker ask about the same few names of a document many times.
CACHED_NAMES = 1 << 14


@lru_cache(maxsize=CACHED_NAMES)
def to_ascii(text: str, lang: str = "az") -> str:
    """Lower-case ASCII romanisation of Azerbaijani, Turkish or Russian text; other Latin text
    (``lang`` en, sv…) only loses its diacritics, since ``c``, ``j``, ``x``, ``q`` keep their English value."""
    out = []
    # Turkish spells c, ç, ş, ğ, ı as Azerbaijani does
    latin = _AZ if lang in ("az", "tr") else {"ı": "i", "İ": "i", "I": "i", "ş": "sh", "ç": "ch", "ğ": "g"}
    for char in text:
        lower = char.lower() if char not in "İI" else char
        if lower in _RU:
            out.append(_RU[lower])
        elif lower in latin:
            out.append(latin[lower])
        else:
            out.append(lower)
    folded = unicodedata.normalize("NFKD", "".join(out))
    return "".join(char for char in folded if ord(char) < 128).lower()


def name_key(text: str, lang: str = "az") -> str:
    """Key of a given name in ``data/gazetteers/given_names.tsv``: :func:`to_ascii` with doubled
    letters single, since romanisations from Russian drop them (``Məmməd``, ``Mamed`` → ``mamad``/``mamed``)."""
    return _DOUBLED.sub(r"\1", to_ascii(text, lang))


_UNDOTTED = str.maketrans({"ə": "e", "ı": "i", "ö": "o", "ü": "u", "ş": "s", "ç": "c", "ğ": "g"})


@lru_cache(maxsize=CACHED_NAMES)
def loose_key(text: str) -> str:
    """Key of a Turkic Latin name written with or without its letters (``Rəşad``, ``Resad`` →
    ``resad``; ``Məmməd``, ``Memmed`` → ``memed``): names-dataset writes names as people type
    them, mostly in ASCII; doubled letters single."""
    lower = text.replace("İ", "i").replace("I", "ı").lower().translate(_UNDOTTED)
    folded = unicodedata.normalize("NFKD", lower)
    return _DOUBLED.sub(r"\1", "".join(char for char in folded if ord(char) < 128))


def az_to_ru(text: str) -> str:
    """Russian Cyrillic spelling of an Azerbaijani Latin word (``Rəsulzadə`` → ``расулзада``)."""
    return "".join(_AZ_TO_RU.get(char, char) for char in text.replace("İ", "i").replace("I", "ı").lower())


def ru_to_az(text: str) -> str:
    """Azerbaijani Latin spelling of a Russian Cyrillic name (``Финляндия`` → ``Finlyandiya``)."""
    out = []
    for char in text:
        latin = _RU_TO_AZ.get(char.lower())
        if latin is None:
            out.append(char)
        elif char.isupper() and latin:
            out.append("İ" + latin[1:] if latin[0] == "i" else latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


_RU_H = re.compile(r"^г", re.IGNORECASE)
_RU_BEK = re.compile(r"бек(?=ов|$)", re.IGNORECASE)


def az_readings(text: str) -> list[str]:
    """The Russian spelling of a name and, if it differs, the same name read as Azerbaijani spells
    it: Russian writes Azerbaijani ``h`` as ``г`` (``Гусейн``, Hüseyn) and the title ``bəy`` as
    ``бек`` (``Гаджибеков``, Hacıbəyov, read ``Хаджибейов``)."""
    read = _RU_BEK.sub("бей", _RU_H.sub("х", text))
    return [text, read] if read != text else [text]


# Consonant classes that differ only by spelling convention across the three romanisations.
_SKELETON_RULES = (
    (re.compile(r"shch"), "s"), (re.compile(r"sh"), "s"), (re.compile(r"ch"), "C"),
    (re.compile(r"dzh|dj|zh|j"), "j"), (re.compile(r"th"), "t"), (re.compile(r"kh|x|h"), "h"), (re.compile(r"ts"), "s"),
    (re.compile(r"gh|q|k|c"), "g"), (re.compile(r"w|f"), "v"), (re.compile(r"C"), "c"),
    (re.compile(r"[^a-z]"), ""), (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=CACHED_NAMES)
def skeleton(text: str, lang: str = "az") -> str:
    """Coarse key of a name: ASCII consonants, spelling variants merged, vowels dropped after the first letter.

    >>> skeleton("Rəsulzadə") == skeleton("Расулзаде") == skeleton("Rasulzade")
    True
    """
    ascii_text = to_ascii(text, lang)
    for pattern, replacement in _SKELETON_RULES:
        ascii_text = pattern.sub(replacement, ascii_text)
    if not ascii_text:
        return ""
    head, tail = ascii_text[0], _VOWEL.sub("", ascii_text[1:])
    if head in "aeiouy":
        head = "a"
    return _DOUBLED.sub(r"\1", head + tail)
