"""Personal names in citations: the printed orders, splitting into family/given, Russian case endings."""

from __future__ import annotations

import re

from .cues import LOWER, UPPER

U = f"[{UPPER}]"
L = f"[{LOWER}]"
WORD = f"{U}{L}+(?:-{U}?{L}+)?"
INITIALS = f"(?:{U}{L}?\\.\\s?){{1,3}}"
INITIALS_FIRST = re.compile(rf"({INITIALS})\s?({WORD})")
FAMILY_FIRST = re.compile(rf"({WORD})\s({INITIALS})(?=[\s,;]|$)")
FULL = re.compile(rf"({WORD})\s({WORD})(?:\s({WORD}))?")
INVERTED = re.compile(rf"({WORD}),\s((?:{U}{L}?\.\s?){{1,3}}|{WORD}(?:\s(?:{WORD}|{U}{L}?))?\.)(?=[\s,;]|$)")
SINGLE = re.compile(rf"({WORD})(?=,\s+{U})")
JOINER = re.compile(r"\s*[,;]\s*|\s+(?:и|ve|və|and|&|und|et)\s+")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def name(family: str, given: str = "") -> dict[str, str]:
    record = {"family": family.strip()}
    if given.strip():
        record["given"] = given.strip().replace(". ", ".")
    return record


def match_name(text: str, pos: int, stop_words: frozenset[str], single: bool = False) -> tuple[dict[str, str], int] | None:
    """The personal name printed at ``text[pos:]`` (initials first or last, or full names), and where it ends."""
    m = INITIALS_FIRST.match(text, pos)
    if m:
        return name(m.group(2), m.group(1)), m.end()
    m = FAMILY_FIRST.match(text, pos)
    if m and m.group(1) not in stop_words:
        return name(m.group(1), m.group(2)), m.end()
    m = FULL.match(text, pos)
    if m and _ends_name(text, m.end()):
        words = [w for w in m.groups() if w]
        if not any(w in stop_words for w in words):
            return name(words[-1], " ".join(words[:-1])), m.end()
    if single:
        m = INVERTED.match(text, pos)
        if m and m.group(1) not in stop_words and re.match(r"[.,:;]?\s", text[m.end():] + " "):
            given = m.group(2).strip()
            return name(m.group(1), given if re.fullmatch(INITIALS, given) else given.rstrip(".")), m.end()
        m = SINGLE.match(text, pos)
        if m and m.group(1) not in stop_words:
            return name(m.group(1)), m.end()
    return None


def _ends_name(text: str, end: int) -> bool:
    """A full name stands alone: it is followed by punctuation or a joiner, then not by a digit."""
    rest = text[end:end + 6]
    if not re.match(r"[.,:;]\s|[.,:;]?$|\s(?:и|ve|və|and|&)\s", rest):
        return False
    after = text[end:].lstrip(".,:; ")
    # a year right after the names is the date of author–date order, not a number of the reference
    return not after[:1].isdigit() or bool(re.match(r"\(?(?:1[5-9]|20)\d\d[a-zа-я]?\)?[.,:]\s", after))


def leading_names(text: str, stop_words: frozenset[str], need_rest: bool = True) -> tuple[list[dict[str, str]], int]:
    """Authors printed at the start of a reference, and the offset where the rest begins (0: none).

    ``need_rest``: names count only if a title follows them (a back-reference needs none).
    """
    names: list[dict[str, str]] = []
    ends: list[int] = []
    pos = 0
    inverted = False  # "Ye, K.Z., Portnov, E.M.": a list of inverted names goes on inverted
    while True:
        found = match_name(text, pos, stop_words, single=inverted or (not names and pos == 0))
        if not found:
            break
        if not names:
            first = INVERTED.match(text, 0)
            inverted = bool(first and first.end() == found[1] and re.fullmatch(INITIALS, first.group(2).strip()))
        names.append(found[0])
        pos = found[1]
        ends.append(pos)
        joiner = JOINER.match(text, pos)
        if not joiner or not match_name(text, joiner.end(), stop_words, single=inverted):
            break
        pos = joiner.end()
    if not names:
        return [], 0
    rest = text[pos:]
    if re.match(r"\s(?:и|ve|və|and|und|et)\s", rest):  # "Üzeyir Hacıbəyov və milli teatr": a title about a person
        return [], 0
    stripped = rest.lstrip(".,:; ")
    if need_rest and len(stripped) < 3:
        if len(names) > 1:  # "Yılmaz, Kafkasya Tarihi": what would be the last name is the title
            stripped = text[ends[-2]:].lstrip(".,:; ")
            return names[:-1], len(text) - len(stripped)
        return [], 0
    return names, len(text) - len(stripped)


PERSON = re.compile(rf"{WORD}\s(?:{U}{L}?\.\s?){{0,2}}{U}{L}?\.|(?:{U}{L}?\.\s?|{WORD}\s|{L}{{1,3}}\.\s)*{WORD}")
STATEMENT_JOINER = re.compile(r"\s*(?:,|\sи|\sve|\svə|\sand|\s&)\s+")


def statement_names(text: str) -> list[tuple[dict[str, str], int, int]]:
    """The names of a statement of responsibility (``Я.С. Лурье, Л.С. Семенов``, ``William Thomas and
    S.A. Roy``, ``E. Delmar Morgan``), up to the end of its sentence: the family name is the last word,
    or the first when initials follow it (``Лурье Я.С.``)."""
    found, pos = [], len(text) - len(text.lstrip(" ,:"))
    while True:
        m = PERSON.match(text, pos)
        if not m or not re.match(r"[.,;:]?(?:\s|$)", text[m.end():m.end() + 2] or " "):
            break
        words = re.findall(rf"{U}{L}?\.|[^\s.]+\.?", m.group())
        family, given = (words[0], words[1:]) if words[-1].endswith(".") else (words[-1], words[:-1])
        # initials close up ("Я. С." → "Я.С."), a given name keeps its space ("E. Delmar")
        person = {"family": family} | ({"given": re.sub(r"(?<=\.)\s(?=\w\.)", "", " ".join(given))} if given else {})
        found.append((person, m.start(), m.end()))
        joiner = STATEMENT_JOINER.match(text, m.end())
        if not joiner:
            break
        pos = joiner.end()
    return found


# a name of capitalised words, maybe with a lower-case title between them ("Əli bəy Hüseynzadə")
TITLED = re.compile(rf"((?:{WORD}\s(?:{L}{{2,6}}\s)?){{1,4}}{WORD})\.\s+(?=\S)")
# the endings of modern family names (Russian, Azerbaijani, Turkish, Georgian, Armenian, Polish)
SURNAME = re.compile(r"(?:[oe]va?|yeva?|[оеё]ва?|zad[əe]|заде|l[ıiuü]|ли|ski|sky|ск(?:ий|ая)|ян|yan|dze|дзе|[sş]vili|швили)$")


def titled_author(text: str, honorifics: frozenset[str]) -> tuple[list[dict[str, str]], int] | None:
    """An author of the Persianate tradition printed with a title and no family name (``Mirzə Camal
    Cavanşir Qarabağı.``, ``Мирза Адигезаль-бек.``): one literal name, as printed. A name ending in a
    modern family name (``Mirzə Bala Məmmədzadə``) is read as any other."""
    m = TITLED.match(text)
    words = re.split(r"[\s-]", m.group(1)) if m else []
    if not any(w.lower() in honorifics for w in words):
        return None
    lower = [w for w in m.group(1).split() if not w[0].isupper()]
    if lower and any(w not in honorifics for w in lower):  # a lower-case word that is no title: not a name
        return None
    if SURNAME.search(words[-1]):  # "Əli bəy Hüseynzadə": the title is part of the given name
        family = m.group(1).split()[-1]
        return [name(family, m.group(1)[: -len(family)])], m.end()
    return [{"literal": m.group(1)}], m.end()


WESTERN = re.compile(rf"({WORD}(?:-{WORD})?)((?:\s{U}\.)*)\s({WORD})[.,]\s+(?=\S)")


def western_author(text: str) -> tuple[list[dict[str, str]], int] | None:
    """An author printed given name first in Latin script (``John E. Woods. Title``, Chicago's
    ``Audrey L. Altstadt, "Title,"``): the first word is a
    given name of the name dictionary (``data/gazetteers/given_names.tsv``), the last the family name."""
    m = WESTERN.match(text)
    if not m or CYRILLIC.search(m.group(0)) or not _given_name(m.group(1)):
        return None
    return [name(m.group(3), m.group(1) + m.group(2))], m.end()


_GIVEN: set[str] = set()


def _given_name(word: str) -> bool:
    from ..entities.gazetteer import data_lines
    from ..entities.translit import name_key

    if not _GIVEN:
        _GIVEN.update(key for key, *_ in data_lines("given_names.tsv"))
    return name_key(word.split("-")[0]) in _GIVEN


def names_in(text: str) -> list[tuple[dict[str, str], int, int]]:
    """Every name with initials in ``text`` (``М.Э.Расулзаде``, ``Мамулия Г.``), with its offsets."""
    found = []
    for m in INITIALS_FIRST.finditer(text):
        found.append((name(m.group(2), m.group(1)), m.start(), m.end()))
    return found


# Russian surname endings in the genitive and dative, read back to the nominative (masculine,
# the common case in "письмо X-а X-у"); other scripts are returned as printed.
GENITIVE = (("овой", "ова"), ("евой", "ева"), ("иной", "ина"), ("ской", "ская"), ("ского", "ский"), ("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"))
DATIVE = (("скому", "ский"), ("ову", "ов"), ("еву", "ев"), ("ёву", "ёв"), ("ину", "ин"), ("ыну", "ын"))


def nominative(family: str, case: str) -> str:
    """``Мандельштама`` (genitive) → ``Мандельштам``, ``Топчибашеву`` (dative) → ``Топчибашев``."""
    if not CYRILLIC.search(family):
        return family
    for ending, base in GENITIVE if case == "gen" else DATIVE:
        if family.endswith(ending):
            return family[: -len(ending)] + base
    last = "а" if case == "gen" else "у"
    if family.endswith(last) and len(family) > 3 and family[-2] not in "аеёиоуыэюяь":
        return family[:-1]
    return family


def is_dative(family: str) -> bool:
    return bool(CYRILLIC.search(family)) and nominative(family, "dat") != family


# Russian adjective and noun endings of the dative plural/singular: where a sender in the
# genitive ("Письмо Комитета независимости Кавказа") gives way to its addressees.
DATIVE_WORD = re.compile(r"\w+(?:ым|им|ам|ям|ому|ему)$")


def genitive_group(text: str) -> str | None:
    """The sender of a Russian letter printed as an organisation in the genitive, in the nominative:
    ``Комитета независимости Кавказа дипломатическим…`` → ``Комитет независимости Кавказа``."""
    words = text.split()
    if not words or not CYRILLIC.search(words[0]) or not words[0][0].isupper() or INITIALS_FIRST.match(text):
        return None
    group = []
    for word in words[:8]:
        if DATIVE_WORD.fullmatch(word) or INITIALS_FIRST.match(word) or word.endswith((",", ".")):
            break
        group.append(word)
    if not group or len(group) == len(words):
        return None
    out = []
    for k, word in enumerate(group):
        adjective = re.match(r"(.+?)(ского|его|ого)$", word)
        if adjective:
            out.append(adjective.group(1) + {"ского": "ский", "его": "ий", "ого": "ый"}[adjective.group(2)])
            continue
        out.append(nominative(word, "gen"))  # the head noun; what follows it stays in the genitive
        out.extend(group[k + 1:])
        break
    return " ".join(out)
