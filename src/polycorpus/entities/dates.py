"""DATE recognition and ISO 8601 normalisation for Azerbaijani, Russian and English running text.

Each rule is a named regular expression with a function that turns its match into a value:
``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, an interval ``A/B``, a decade as its three digits
(``193``), a century as its two (``19`` for the 20th), ``--MM-DD`` for a day without a year.
Rules are tried everywhere; overlapping matches are resolved leftmost-longest. Expressions that
refer back (``həmin ilin dekabrında``, ``iki il öncə``) take the year of the latest explicit date
before them in the same text, or ``anchor``; without one they are left out.

Span conventions follow the gold (GUIDELINES.md): an Azerbaijani span covers the whole inflected
year word (``1922-ci ildən``, ``1920-1955-ci illəri``), a month or season word after ``ilin``
(``1922-ci ilin mayında``) and a decade's ``sonlarında``; Russian ``годы``/``г.`` follow the year.
A range written with two prepositions (``from 1922 to 1955``, ``с 1922 по 1955``) is two dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Match

# Hyphens and dashes as extracted from PDFs; the optional white space after a hyphen lets the
# rules read raw text with line-end hyphenation as well as clean text.
H = r"[-‐‑–]\s*"
# Before an Azerbaijani ordinal suffix the hyphen may also follow a space (``2014 - cü``).
SUF = r"\s?[-‐‑–]\s*"
YEAR = r"(?:1[0-9]|20)\d\d"
DECADE = r"(?:1[0-9]|20)\d0"
AZ_ORD = r"(?:ci|cı|cu|cü)"
AZ_WORD_END = r"[a-zəıöüçşğ]*"

AZ_MONTHS = {
    "yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "may": 5, "iyun": 6, "iyul": 7, "avqust": 8,
    "sentyabr": 9, "oktyabr": 10, "noyabr": 11, "dekabr": 12,
}
RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
# Seasons as month intervals (summer = June to August).
AZ_SEASONS = {"yaz": (3, 5), "yay": (6, 8), "payız": (9, 11), "qış": (12, 2)}
AZ_NUMBERS = {"bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8,
              "doqquz": 9, "on": 10}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

_AZ_MONTH = r"(?P<month>" + "|".join(AZ_MONTHS) + r")" + AZ_WORD_END
_RU_MONTH = r"(?P<month>" + "|".join(sorted(RU_MONTHS, key=len, reverse=True)) + r")[а-я]*"
_EN_MONTH = r"(?P<month>" + "|".join(sorted(EN_MONTHS, key=len, reverse=True)) + r")\.?"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    value: Callable[[Match[str], int | None], str | None]
    # Whether later back-references ("həmin il") may refer to this date: not a year used as an
    # attribute ("1925-ci il müqaviləsi") nor a relative date ("iki il öncə").
    anchors: bool = True


def _month(table: dict[str, int], word: str) -> int:
    word = word.lower()
    for stem in sorted(table, key=len, reverse=True):
        if word.startswith(stem):
            return table[stem]
    raise KeyError(word)


def _ymd(year: str | int, month: int | None = None, day: str | int | None = None) -> str:
    value = f"{int(year):04d}"
    if month:
        value += f"-{month:02d}"
        if day:
            value += f"-{int(day):02d}"
    return value


def _roman(text: str) -> int:
    total = 0
    for char, following in zip(text, text[1:] + " "):
        value = ROMAN[char]
        total += -value if following in ROMAN and ROMAN[following] > value else value
    return total


def _decade(digits: str, century: int | None = None) -> str:
    """``1930`` → ``193``; ``30`` → ``193`` (20th century unless ``century`` says otherwise)."""
    if len(digits) == 4:
        return digits[:3]
    return f"{(century or 20) - 1}{int(digits) // 10}"


def _numeric(m: Match[str], _: int | None) -> str | None:
    """``25.05.1948`` and ``12.I.1908`` (a Roman month): day, month, year, or nothing if invalid."""
    month = _roman(m["month"]) if m["month"].isalpha() else int(m["month"])
    return _ymd(m["year"], month, m["day"]) if 1 <= month <= 12 and 1 <= int(m["day"]) <= 31 else None


def _numeric_rule(after: str = "") -> Rule:
    return Rule("numeric_date", re.compile(
        rf"(?<![\d.])\b(?P<day>\d{{1,2}})\.\s?(?P<month>\d{{1,2}}|[IVX]{{1,4}})\.\s?(?P<year>{YEAR})\b{after}"), _numeric)


def _dual_rule(month: str, table: dict[str, int], after: str = "") -> Rule:
    """An Old Style day with the New Style one in brackets, ``12 (25) yanvar 1908``: the New Style
    (Gregorian) date is the value."""
    return Rule("os_ns_date", re.compile(
        rf"\b(?P<old>\d{{1,2}})\s*\((?P<day>\d{{1,2}})\)\s+{month}\s+(?P<year>{YEAR}){after}", re.I),
        lambda m, _: _ymd(m["year"], _month(table, m["month"]), m["day"]))


def _az_rules() -> list[Rule]:
    year_il = rf"(?P<year>{YEAR}){SUF}{AZ_ORD}\s+il"
    # "Həmin ilin" / "həmin il": the year of the previous date.
    same = r"(?:[Hh]əmin|[Ee]yni|[Hh]əmin\s+bu)\s+il"

    def by_anchor(build: Callable[[Match[str], int], str]) -> Callable[[Match[str], int | None], str | None]:
        return lambda m, anchor: build(m, anchor) if anchor else None

    def season(m: Match[str], year: int) -> str:
        first, last = AZ_SEASONS[m["season"]]
        return f"{_ymd(year, first)}/{_ymd(year + (last < first), last)}"

    az_after = rf"(?:{SUF}{AZ_ORD}(?:\s+il{AZ_WORD_END})?)?"
    return [
        _numeric_rule(az_after),
        _dual_rule(_AZ_MONTH, AZ_MONTHS, az_after),
        Rule("az_year_month_day", re.compile(
            rf"{year_il}(?:in)?\s+(?:{_AZ_MONTH}\s+(?P<day>\d{{1,2}}){H}[dt][aə]|(?P<day2>\d{{1,2}})\s+{_AZ_MONTH.replace('month', 'month2')})",
            re.I),
            lambda m, _: _ymd(m["year"], _month(AZ_MONTHS, m["month"] or m["month2"]), m["day"] or m["day2"])),
        Rule("az_day_month_year", re.compile(
            rf"\b(?P<day>\d{{1,2}})\s+{_AZ_MONTH}\s+(?P<year>{YEAR})(?:{SUF}{AZ_ORD}\s+il{AZ_WORD_END})?", re.I),
            lambda m, _: _ymd(m["year"], _month(AZ_MONTHS, m["month"]), m["day"])),
        Rule("az_year_month", re.compile(rf"{year_il}in\s+{_AZ_MONTH}", re.I),
             lambda m, _: _ymd(m["year"], _month(AZ_MONTHS, m["month"]))),
        Rule("az_year_part", re.compile(
            rf"{year_il}in\s+(?:əvvəl|son|orta|axır|başlanğıc)" + AZ_WORD_END), lambda m, _: _ymd(m["year"])),
        Rule("az_year_season", re.compile(rf"{year_il}in\s+(?P<season>yaz|yay|payız|qış)" + AZ_WORD_END),
             lambda m, _: season(m, int(m["year"]))),
        Rule("az_years", re.compile(
            rf"(?P<first>{YEAR})(?:{SUF}|\s+(?:və|ilə)\s+)(?P<last>{YEAR}){SUF}{AZ_ORD}\s+illər{AZ_WORD_END}"),
            lambda m, _: f"{m['first']}/{m['last']}"),
        Rule("az_year", re.compile(rf"{year_il}(?!lər)[a-zəıöüçşğ]+"), lambda m, _: _ymd(m["year"])),
        Rule("az_year_attribute", re.compile(rf"{year_il}\b"), lambda m, _: _ymd(m["year"]), anchors=False),
        Rule("az_decade", re.compile(
            rf"(?:(?P<century>[IVXL]+)\s+əsrin\s+)?(?P<decade>(?:{DECADE}|[1-9]0)){SUF}{AZ_ORD}\s+illər(?:in)?"
            rf"(?:də|dən|ə|i|\s+(?:əvvəl|son|orta)lar[ıi]nda)?"),
            lambda m, _: _decade(m["decade"], _roman(m["century"]) if m["century"] else None)),
        Rule("az_century", re.compile(r"\b(?P<century>[IVXL]+)\s+əsr(?:in|də|dən|i)?\b"),
             lambda m, _: f"{_roman(m['century']) - 1:02d}"),
        Rule("az_month_day", re.compile(rf"\b{_AZ_MONTH}\s+(?P<day>\d{{1,2}}){H}[dt][aə]\b", re.I),
             lambda m, _: f"--{_month(AZ_MONTHS, m['month']):02d}-{int(m['day']):02d}"),
        Rule("az_same_year_month", re.compile(
            rf"{same}in\s+{_AZ_MONTH}(?:\s+ay{AZ_WORD_END})?"),
            by_anchor(lambda m, year: _ymd(year, _month(AZ_MONTHS, m["month"])))),
        Rule("az_same_year_season", re.compile(rf"{same}in\s+(?P<season>yaz|yay|payız|qış){AZ_WORD_END}"),
             by_anchor(season)),
        Rule("az_same_year_part", re.compile(rf"{same}in\s+(?:əvvəl|son|orta|axır){AZ_WORD_END}"),
             by_anchor(lambda m, year: _ymd(year))),
        Rule("az_same_year", re.compile(rf"{same}(?!in\b)(?:də|dən)?\b"), by_anchor(lambda m, year: _ymd(year))),
        Rule("az_years_ago", re.compile(
            r"\b(?P<count>" + "|".join(AZ_NUMBERS) + r"|\d{1,2})\s+il\s+(?P<dir>öncə|əvvəl|sonra)\b"),
            by_anchor(lambda m, year: _ymd(year + (1 if m["dir"] == "sonra" else -1)
                                           * int(AZ_NUMBERS.get(m["count"], m["count"])))), anchors=False),
        Rule("az_year_range", re.compile(rf"\b(?P<first>{YEAR}){SUF}(?P<last>{YEAR})\b(?!{SUF}{AZ_ORD})"),
             lambda m, _: f"{m['first']}/{m['last']}"),
        Rule("bare_year", re.compile(rf"(?<![\d.,/©-])\b(?P<year>{YEAR})\b(?![\d.,]\d|{H}\w)"), lambda m, _: m["year"]),
    ]


def _ru_rules() -> list[Rule]:
    year_word = r"(?:\s*(?:года|году|годом|год|гг?\.))?"
    return [
        _numeric_rule(year_word),
        _dual_rule(_RU_MONTH, RU_MONTHS, year_word),
        Rule("ru_day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_RU_MONTH}\s+(?P<year>{YEAR}){year_word}", re.I),
             lambda m, _: _ymd(m["year"], _month(RU_MONTHS, m["month"]), m["day"])),
        Rule("ru_month_year", re.compile(rf"\b{_RU_MONTH}\s+(?P<year>{YEAR}){year_word}", re.I),
             lambda m, _: _ymd(m["year"], _month(RU_MONTHS, m["month"]))),
        Rule("ru_decade", re.compile(rf"(?P<decade>{DECADE}){H}[хx]\s+(?:год[а-я]*|гг\.)"),
             lambda m, _: _decade(m["decade"])),
        Rule("ru_years", re.compile(rf"(?P<first>{YEAR})\s*[-‐–—]\s*(?P<last>{YEAR})(?:\s*(?:годы|годах|годов|гг\.))?"),
             lambda m, _: f"{m['first']}/{m['last']}"),
        Rule("ru_year", re.compile(rf"\b(?P<year>{YEAR})(?:\s*(?:годы|годах|годов|года|году|годом|год|гг?\.)|{H}(?:м|го|й)\s+год[а-я]*)"),
             lambda m, _: m["year"]),
        Rule("ru_century", re.compile(r"\b(?P<century>[IVXL]+)\s+(?:век[а-я]*|в\.)"),
             lambda m, _: f"{_roman(m['century']) - 1:02d}"),
        Rule("bare_year", re.compile(rf"(?<![\d.,/©-])\b(?P<year>{YEAR})\b(?![\d.,]\d|{H}\w)"), lambda m, _: m["year"]),
    ]


def _en_rules() -> list[Rule]:
    return [
        _numeric_rule(),
        _dual_rule(_EN_MONTH, EN_MONTHS),
        Rule("en_day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_EN_MONTH}\s+(?P<year>{YEAR})\b", re.I),
             lambda m, _: _ymd(m["year"], _month(EN_MONTHS, m["month"]), m["day"])),
        Rule("en_month_day_year", re.compile(rf"\b{_EN_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>{YEAR})\b", re.I),
             lambda m, _: _ymd(m["year"], _month(EN_MONTHS, m["month"]), m["day"])),
        Rule("en_month_year", re.compile(rf"\b{_EN_MONTH}\s+(?:of\s+)?(?P<year>{YEAR})\b", re.I),
             lambda m, _: _ymd(m["year"], _month(EN_MONTHS, m["month"]))),
        Rule("en_decade", re.compile(rf"\b(?P<decade>{DECADE})[’']?s\b"), lambda m, _: _decade(m["decade"])),
        Rule("en_years", re.compile(rf"\b(?P<first>{YEAR})\s*[-‐–—]\s*(?P<last>{YEAR})\b"),
             lambda m, _: f"{m['first']}/{m['last']}"),
        Rule("en_century", re.compile(r"\b(?P<n>\d{1,2})(?:st|nd|rd|th)\s+century\b", re.I),
             lambda m, _: f"{int(m['n']) - 1:02d}"),
        Rule("en_century_roman", re.compile(r"\b(?P<century>[IVXL]+)\s+century\b"),
             lambda m, _: f"{_roman(m['century']) - 1:02d}"),
        Rule("bare_year", re.compile(rf"(?<![\d.,/©-])\b(?P<year>{YEAR})\b(?![\d.,]\d|{H}\w)"), lambda m, _: m["year"]),
    ]


RULES: dict[str, list[Rule]] = {"az": _az_rules(), "ru": _ru_rules(), "en": _en_rules()}
# Turkish running text reads closest to Azerbaijani.
RULES["tr"] = RULES["az"]


def find_dates(text: str, lang: str, anchor: int | None = None) -> list[tuple[int, int, str]]:
    """DATE spans ``(start, end, iso_value)`` in ``text``'s offsets, in order.

    ``anchor`` is the year that a back-reference at the start of ``text`` refers to (the caller
    may pass the last year of the preceding text); later ones use the latest date found before.
    """
    return _find(text, lang, anchor)[0]


def _find(text: str, lang: str, anchor: int | None) -> tuple[list[tuple[int, int, str]], int | None]:
    """The dates of ``text`` and the year a back-reference after it would take."""
    rules = RULES.get(lang, RULES["en"])
    candidates = []
    for order, rule in enumerate(rules):
        for match in rule.pattern.finditer(text):
            if match.end() > match.start():
                candidates.append((match.start(), -match.end(), order, rule, match))
    candidates.sort(key=lambda item: item[:3])
    found: list[tuple[int, int, str]] = []
    taken_until = 0
    year = anchor
    for start, neg_end, _, rule, match in candidates:
        if start < taken_until:
            continue
        value = rule.value(match, year)
        if value is None:
            continue
        found.append((start, -neg_end, value))
        taken_until = -neg_end
        if rule.anchors:
            year = _latest_year([found[-1]], year)
    return found, year


def find_dates_in(texts: list[str], lang: str, anchor: int | None = None) -> list[list[tuple[int, int, str]]]:
    """:func:`find_dates` over consecutive texts (the sentences of a section), each text's
    back-references resolved against the latest year of the texts before it."""
    results = []
    for text in texts:
        found, anchor = _find(text, lang, anchor)
        results.append(found)
    return results


def _latest_year(found: list[tuple[int, int, str]], default: int | None) -> int | None:
    for _, _, value in reversed(found):
        years = re.findall(r"(?<![\d-])\d{4}(?=-|/|$)", value)
        if years:
            return int(years[-1])
    return default
