"""Language identification with lingua, restricted to the languages a caller expects (fewer confusions)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# ISO 639-1 codes the structure stage may assign; lingua is restricted to them (fewer confusions).
LANGUAGES = ("az", "en", "ru", "tr", "sv", "de", "fr")
_SCHWA_MIN_LETTERS = 20  # below this a text may lack ə by chance
_AZERBAIJANI_ONLY = set("əƏqQxX")


@lru_cache(maxsize=None)
def detector(languages: tuple[str, ...] = LANGUAGES) -> Any:
    """The lingua detector for ``languages``, built once per process (building takes seconds)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    chosen = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in languages]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def detect(text: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """ISO 639-1 code of the most likely language of ``text``, or None if it has no letters."""
    if not any(ch.isalpha() for ch in text):
        return None
    found = detector(languages).detect_language_of(text)
    code = found.iso_code_639_1.name.lower() if found else None
    if code in ("az", "tr") and {"az", "tr"} <= set(languages):
        # lingua confuses the two on short texts, their alphabets do not: Azerbaijani writes ə, q
        # and x, which the Turkish alphabet lacks; ə is its most frequent vowel, so a long enough
        # text without it is Turkish
        if any(ch in _AZERBAIJANI_ONLY for ch in text):
            code = "az"
        elif sum(ch.isalpha() for ch in text) >= _SCHWA_MIN_LETTERS:
            code = "tr"
    return code
