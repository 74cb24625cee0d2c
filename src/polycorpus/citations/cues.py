"""The cue words of each citation tradition (ru GOST, az, tr, en and other Latin-script styles).

Word lists live in ``polycorpus/data/citations/<lang>.json``; footnotes mix traditions (a Russian
author with an Azerbaijani ``Yenə orada``), so the parser uses the union of all lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

LANGUAGES = ("ru", "az", "tr", "en")

# Character classes the parser's patterns share: letters of the scripts we meet in footnotes.
UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁƏĞİŞĆČŁŃŚŹŻŽŠЋЂЈЉЊЏІЇЄҐЎ"
LOWER = "a-zß-öø-ÿа-яёəğışćčłńśźżžšıћђјљњџіїєґў'’"
QUOTES = "«»“”„‟\"‘’‚"


@dataclass(frozen=True)
class Cues:
    """The union of every tradition's cue lists; ``months`` maps lower-case month names to numbers,
    ``languages`` the lower-case names (or their stems) of languages to ISO 639-1 codes."""

    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    version: str = ""
    languages: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.lists.get(key, ())


def load_cues(languages: tuple[str, ...] = LANGUAGES) -> Cues:
    """Read the cue lists of ``languages`` from the package data (longest cue first)."""
    lists: dict[str, set[str]] = {}
    months: dict[str, int] = {}
    names: dict[str, str] = {}
    folder = resources.files("polycorpus") / "data" / "citations"
    for lang in languages:
        record = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
        for key, value in record.items():
            if key == "months":
                months.update({k.lower(): v for k, v in value.items()})
            elif key == "language_names":
                names.update({k.lower(): v for k, v in value.items()})
            elif isinstance(value, list):
                lists.setdefault(key, set()).update(value)
    ordered = {key: tuple(sorted(values, key=lambda v: (-len(v), v))) for key, values in lists.items()}
    return Cues(ordered, months, version="+".join(languages), languages=names)
