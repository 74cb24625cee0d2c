"""The ``entities`` stage: names and dates in every block of an article, each in its own language.

Every block but furniture and identifiers is read through the clean view (hyphenation undone,
markers and page furniture removed), the backend for the block's language finds names, and each
span is mapped back to raw offsets.

- A language with no backend of its own borrows the closest one (``CLOSEST``) and the stage says
  so in ``doc.meta["entities"]``; a backend that cannot be loaded leaves its language's names
  out, also noted there.
- Dates come from :mod:`polycorpus.entities.dates`, block after block in reading order so that
  ``həmin ilin iyulunda`` resolves against the year before it; not in footnotes and references,
  whose dates are bibliographic data (GUIDELINES).
- In a footnote whose citation the ``citations`` stage has parsed, the fields give the names a
  statistical tagger reads badly in bibliographic data: authors and editors (PER), titles and
  containers (WORK), publishers and archives (ORG), places of publication (LOC). The backend's
  spans are kept where they overlap none of these (a name inside a title is part of the WORK).
- Where sentences are aligned (and in the abstracts' keyword lists), the Azerbaijani names
  label and complete the English and Russian sides (:func:`guided_by_azerbaijani`).
- Post-rules (:data:`POST_RULES`) correct the backends' spans; each stays only while it raises
  the backends' own scores, on factRuEval and on the development articles (``bench/ner.py``
  measures each on and off). Carrying English and Russian names onto the Azerbaijani side, and
  merging coordinated modifiers (``Южного и Северного Кавказа``), were measured so and dropped.
- Finally :func:`polycorpus.entities.linking.link_entities` gives every entity its key, and
  the document's registry of referents and their names per language goes into
  ``doc.data["entity_registry"]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from typing import Any, Iterable, Mapping

from ..document import CleanText, Document, Span
from ..errors import ResourceError
from ..registry import load_backend, stage
from .az import lexicon as az_lexicon
from .backends import BACKEND_RULES, NerBackend, drop_overlaps, split_abbreviation, tidy_span
from .gazetteer import titles
from .translit import is_cyrillic

# language -> NER backend name
DEFAULT_BACKENDS = {"az": "az", "en": "spacy-en", "ru": "natasha"}
# A language without a recogniser of its own -> the language whose recogniser reads it best:
# Turkish shares Azerbaijani's Latin script, suffixes and much vocabulary; Swedish capitalises
# names as English does.
CLOSEST = {"tr": "az", "sv": "en"}
# Blocks without names (identifiers: DOI, ORCID, e-mail) and blocks whose dates are bibliographic.
SKIPPED_BLOCKS = ("furniture", "identifiers")
BIBLIOGRAPHIC_BLOCKS = ("footnote", "reference")
# CSL-JSON fields of a parsed citation and the label of the name they hold. A letter's title
# ("Письмо X – Y") describes it rather than names a work, so personal communications keep
# their title to the tagger.
CITATION_FIELDS = {"title": "WORK", "container-title": "WORK", "collection-title": "WORK",
                   "publisher": "ORG", "archive": "ORG", "publisher-place": "LOC"}
CITATION_PEOPLE = ("author", "editor", "translator", "recipient")
UNTITLED_TYPES = ("personal_communication",)
# Titles that describe a document rather than name it ("Письмо X – Y", "Предисловие",
# "Протокол заседания …"): their names are tagged inside instead.
DESCRIPTIVE_TITLES = re.compile(
    r"(?i)^(письмо|протокол|сообщение|записка|предисловие|введение|послесловие|заявление|"
    r"məktub|protokol|ön söz|giriş|letter|minutes|preface|introduction|foreword)\b")
# The stage's post-rules beside the backends' (BACKEND_RULES), each measured on and off by
# bench/ner.py: ``case`` text set in capitals read in the case taggers learnt, ``legal_form``
# ``ОАО «Роснефть»`` → ``Роснефть``, ``heads`` a generic noun beside a name sets its label,
# ``titles`` a name with a title of the Turkic and Persian tradition (``Аббас-Мирзы``,
# ``Фетх-Али шаху``) is a person's, ``gazetteer`` a one-word "person" that is a known place is
# the place (``Гянджу``, ``Shaki``), ``citations`` the parsed citation fields give the names in
# notes and reference entries,
# ``capitalised`` a name has a capital letter (not ``pp``, ``s.27``), ``aligned`` the
# Azerbaijani names of an aligned unit carried to its other languages (:func:`guided_by_azerbaijani`);
# English only: ``kind_heads`` a capitalised head word ending a name sets its label (``… State
# Conservatory`` ORG, ``Ganja Khanate`` LOC), ``treaties`` ``Treaty of Gulistan`` is a work,
# ``quoted_titles`` a title-case phrase in quotes is a work, ``compass`` (also Azerbaijani and
# Russian) ``South Caucasus``, ``Cənubi Qafqazın``, ``Южного Кавказа`` is a place, ``regnal`` a ruler's number is his name's (``Khalilullah I``), ``adjectival`` (Russian) a name made of a capitalised adjective and its head noun
# (``Гюлистанский договор``, ``Карабахское ханство``, ``Елисаветпольском сражении``), ``demonyms`` ``Azerbaijani`` is no name;
# ``quoted_works`` (Russian) a capitalised phrase in «» in running text is a work's title (:func:`with_quoted_works`);
# ``given_names`` a known given name just before a person's name is the name's first word
# (``Fərrux`` + ``Yasarın``: :func:`with_given_names`);
# last, ``label_vote`` the mentions of one name read as a person here and a place there take the
# label most of them have (:func:`polycorpus.entities.linking.voted_labels`).
STAGE_RULES = ("case", "legal_form", "heads", "titles", "gazetteer", "citations", "capitalised", "aligned",
               "kind_heads", "treaties", "quoted_titles", "compass", "regnal", "demonyms", "adjectival", "quoted_works",
               "given_names", "label_vote")
POST_RULES = BACKEND_RULES + STAGE_RULES
_TRAILING = " .,;:…"
_NAME_TOKEN = re.compile(r"\w+(?:[-‐’']\w+)*")
_WORD_START = re.compile(r"\b\w")
_INITIALLED = re.compile(r"\b\w(?=\.)|(?<=\.)\w")
_QUOTED = re.compile(r"[«“\"]([^»”\"]+)[»”\"]")


def recognise(text: str, lang: str, ner: NerBackend | None,
              rules: Iterable[str] = POST_RULES) -> list[tuple[int, int, str, str | None]]:
    """``(start, end, label, norm)`` in ``text`` offsets for plain text: names and dates, the
    longer span winning where two overlap (no nesting); ``norm`` is the link key or ISO date."""
    from .dates import RULES, find_dates
    from .linking import link_key

    names = names_in([text], [lang], ["body"], ner, frozenset(rules))[0] if ner is not None else []
    spans = {span: None for span in names}
    if lang in RULES:
        spans.update({(start, end, "DATE"): norm for start, end, norm in find_dates(text, lang)})
    return [(start, end, label, spans[(start, end, label)] or link_key(text[start:end], label, lang))
            for start, end, label in drop_overlaps(spans)]


def names_in(texts: list[str], langs: list[str], kinds: list[str], ner: NerBackend,
             rules: frozenset[str]) -> list[list[tuple[int, int, str]]]:
    """One backend's names in texts of its language (``kinds``: the texts' block labels), with
    the stage's text-level post-rules among ``rules``."""
    read = [readable_case(text, kind, lang) if "case" in rules else text for text, kind, lang in zip(texts, kinds, langs)]
    found = []
    for text, lang, kind, names in zip(texts, langs, kinds, ner.find_many(read, rules)):
        if "legal_form" in rules:
            names = without_legal_form(text, names)
        if lang == "ru" and "quoted_works" in rules and kind not in BIBLIOGRAPHIC_BLOCKS:
            names = with_quoted_works(text, names)
        if "heads" in rules:
            names = relabel_by_head(text, names, lang)
        if "titles" in rules:
            # a place or body with a title in its name is a person; a work named after one stays a work
            names = [(start, end, "PER" if label in ("LOC", "ORG") and has_title(text[start:end]) else label)
                     for start, end, label in names]
            names = with_titles(text, names)
        if "gazetteer" in rules and lang != "ru":
            # natasha tells a person from a town of the same name better than the gazetteer does
            # (measured on factRuEval: PER 0.928 -> 0.907, LOC 0.920 -> 0.899 with it)
            names = [(start, end, "LOC" if label == "PER" and known_place(text[start:end], lang) else label)
                     for start, end, label in names]
            names = [piece for span in names for piece in split_places(text, span, lang)]
        if "compass" in rules and lang in _COMPASSES:
            names = with_compasses(text, names, lang)
        if lang == "en":
            names = english_names(text, names, rules)
        if lang == "ru" and "adjectival" in rules:
            names = with_adjectival_names(text, names)
        if "given_names" in rules:
            names = with_given_names(text, names, lang)
        found.append(names)
    return found


class BackendChoice:
    """Which backend reads which language (loaded once per process); remembers what it decided."""

    def __init__(self, backends: Mapping[str, str], options: Mapping[str, Mapping[str, Any]]) -> None:
        self.names = DEFAULT_BACKENDS | dict(backends)
        self.options = options
        self.loaded: dict[str, NerBackend | None] = {}
        self.meta: dict[str, Any] = {"backends": {}, "notes": []}

    def for_lang(self, lang: str) -> NerBackend | None:
        if lang in self.loaded:
            return self.loaded[lang]
        source = lang if lang in self.names else CLOSEST.get(lang)
        name = self.names.get(source) if source else None
        found = None
        if name is None:
            self.meta["notes"].append(f"{lang}: no NER backend; only dates are marked")
        else:
            try:
                found = _loaded_backend(name, tuple(sorted(self.options.get(name, {}).items())))
            except ResourceError as exc:
                self.meta["notes"].append(f"{lang}: backend {name} not loaded, its names are left out ({exc})")
            else:
                self.meta["backends"][lang] = found.describe()
                if source != lang:
                    self.meta["backends"][lang]["closest"] = source
                    self.meta["notes"].append(f"{lang}: no backend of its own; read with the {source} backend {name}")
        self.loaded[lang] = found
        return found


@cache
def _loaded_backend(name: str, options: tuple[tuple[str, Any], ...]) -> NerBackend:
    """A backend loaded once per process and shared by the languages it reads: loading a model
    costs more than reading an article, and ``find`` keeps no state between texts."""
    return load_backend("ner", name, **dict(options))


def citation_spans(clean: CleanText, items: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """Clean-text spans of the names that parsed citations hold, found in the footnote's text."""
    spans = []
    for item in items:
        for part in [item, *item.get("references", [])]:
            for key, label in CITATION_FIELDS.items():
                value = str(part.get(key) or "").rstrip(_TRAILING)
                if key == "title" and (part.get("type") in UNTITLED_TYPES or DESCRIPTIVE_TITLES.match(value)):
                    continue
                if label == "ORG":
                    # "ООО «ИПЦ Маска»", "Издательство «Флинта»": the name is what is quoted
                    value = next((m.group(1) for m in _QUOTED.finditer(value)), value)
                found = find_compact(clean.text, value)
                found = found and tidy_span(clean.text, *found, article=label != "WORK")
                if found:
                    found = with_abbreviation_stop(clean.text, *found)
                    spans += [(*piece, label) for piece in split_abbreviation(clean.text, *found)]
            for key in CITATION_PEOPLE:
                for person in part.get(key) or []:
                    given, family = person.get("given", ""), person.get("family", "")
                    found = (find_compact(clean.text, f"{given} {family}") or find_compact(clean.text, f"{family} {given}")
                             or find_compact(clean.text, family))
                    found = found and tidy_span(clean.text, *found)
                    if found and family:
                        spans.append((*found, "PER"))
    return spans


# The last word of a field, short and not an acronym: an abbreviation (``в 1820 г.``, ``XIX вв.``,
# ``СПб.``, ``М.``, ``and Co.``) whose period the field's text dropped.
_ABBREVIATED_END = re.compile(r"(?<![\w'’])[^\W\d_]{1,3}$")


def with_abbreviation_stop(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with the period after it when it ends in an abbreviation (GUIDELINES: the final
    period of an abbreviation is the name's)."""
    word = _ABBREVIATED_END.search(text, start, end)
    if word and text[end:end + 1] == "." and not (len(word.group()) > 1 and word.group().isupper()):
        return start, end + 1
    return start, end



def _title_words() -> str:
    """Titles that follow or precede a name in the Turkic and Persian tradition (``titles.tsv``),
    as one pattern; a Russian title of the -а declension as its stem (мирз-а, паш-ой), the case
    endings coming after it."""
    forms = {form[:-1] if is_cyrillic(form) and form.endswith("а") else form for form in titles()}
    return "(?:" + "|".join(sorted(forms, key=lambda form: (-len(form), form))) + ")"


_TITLE_WORDS = _title_words()
_TITLE_ENDINGS = r"(?:а|у|ом|е|ы|ой|ою|ın|in|un|ün|nın|nin|a|ə|ı|i)?"
_TITLE = re.compile(rf"(?i)^{_TITLE_WORDS}{_TITLE_ENDINGS}$")
# A title in lower case after a person's name is the name's ("Mirza Adigozal bey", "Cavad xanın"),
# and a name after it continues it ("Abbasgulu agha Bakikhanov").
_TITLE_AFTER = re.compile(rf"\s+{_TITLE_WORDS}{_TITLE_ENDINGS}\b")  # lower case only
_ENDS_IN_TITLE = re.compile(rf"\S\s+{_TITLE_WORDS}{_TITLE_ENDINGS}$")  # lower case only
_NAME_PARTS = re.compile(r"[\s‐-]+")


def has_title(name: str) -> bool:
    """A name of several words or hyphenated parts one of which is a title (``Ибрагим-Халил-хан``);
    a title alone, or a word derived from one (``ханство``), is not."""
    parts = [p for p in _NAME_PARTS.split(name) if p]
    return len(parts) > 1 and any(_TITLE.match(p) for p in parts)


def with_titles(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A person's name with the lower-case title after it, and the name that follows the title."""
    out: list[tuple[int, int, str]] = []
    titled = False  # the last person's span ends in a title
    for start, end, label in sorted(spans):
        if titled and label == "PER" and out[-1][1] <= start and not text[out[-1][1]:start].strip():
            out[-1] = (out[-1][0], end, "PER")
            continue
        titled = False
        if label == "PER" and (title := _TITLE_AFTER.match(text, end)):
            end, titled = title.end(), True
        elif label == "PER" and _ENDS_IN_TITLE.search(text, start, end):
            titled = True                     # the tagger's span took the title in: "Abdurrahim bey"
        out.append((start, end, label))
    return out


# English head words that end a name and say its kind: a polity named after its seat or ruler
# (``Ganja Khanate``, ``Ottoman Empire``) is a place; a body named so is an organisation.
_PLACE_HEADS = r"(?:Khanate|Empire|Sultanate|Emirate|Caliphate|Kingdom|Governorate)"
_HEADED_PLACE = re.compile(rf"\b(?:[A-Z][\w‐'’-]*\s+){{1,3}}{_PLACE_HEADS}\b")
_ORG_HEAD = re.compile(r"\s(?:Conservatory|University|Institute|Academy|Museum|Library|Society|Committee|"
                       r"Commission|Council|Ministry|Party|Company|Theatre|Theater|College|Seminary|Archive|Archives)$")
# ``Treaty of Gulistan``, ``Peace of Amasya``: a treaty is a document, so a work (LAW maps to WORK too).
_TREATY = re.compile(r"\b(?:Treaty|Peace|Convention) of\s+[A-Z][\w‐'’-]*")
# A phrase in quotes whose words are capitalised but for short function words: a title.
_QUOTED_TITLE = re.compile(r"[“\"]([A-Z][^“”\"\n]{0,80}?)[”\"]")
_TITLE_SMALL = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from"}
# Compass words before a place are the place's name (``the South Caucasus``, ``South and North
# Caucasus``, ``Cənubi Qafqazın``, ``Şərqi Avropa``, ``Южного Кавказа``): per language the
# capitalised compass adjectives (Azerbaijani ``-i`` of ``cənub``/``şimal``/``şərq``/``qərb`` and
# their compounds, Russian in every case and gender) and the conjunction that coordinates two.
_RU_ADJECTIVE = r"(?:ый|ий|ого|ему|ому|ым|им|ом|ем|ая|яя|ой|ей|ую|юю|ое|ее|ые|ие|ых|их|ыми|ими)"
_COMPASSES = {
    "en": (r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central)", "and"),
    "az": (r"(?:(?:Cənub|Şimal)(?:-(?:[Şş]ərq|[Qq]ərb))?i|Şərqi|Qərbi|Mərkəzi)", "və"),
    "ru": (rf"(?:(?:Южн|Северн|Восточн|Западн|Центральн){_RU_ADJECTIVE}|(?:Юго|Северо)-(?:[Вв]осточн|[Зз]ападн){_RU_ADJECTIVE})", "и"),
}
# Before the place, or before the compass word that opens the span (``South`` + ``North Caucasus``);
# keyed by language and whether the place is set in capitals (``CƏNUBİ QAFQAZIN``, a title line).
_COMPASS_BEFORE = {(lang, caps): re.compile(rf"(?<!\w){words}(?:\s+{joiner}\s+{words})?\s+$", re.I if caps else 0)
                   for lang, (words, joiner) in _COMPASSES.items() for caps in (False, True)}
_COMPASS_JOINED = {(lang, caps): re.compile(rf"(?<!\w){words}\s+{joiner}\s+$", re.I if caps else 0)
                   for lang, (words, joiner) in _COMPASSES.items() for caps in (False, True)}
_COMPASS_INSIDE = {(lang, caps): re.compile(rf"(?:{words}\s+)+", re.I if caps else 0)
                   for lang, (words, _) in _COMPASSES.items() for caps in (False, True)}
# A Roman numeral after a person's name, not an initial (``Aliyev I.``).
_REGNAL = re.compile(r"\s+(?:I{1,3}|IV|VI{0,3}|IX|X)\b(?![.\w'’-])")
_DEMONYM_ENDINGS = ("i", "n", "an", "ian", "ese", "ish")


def english_names(text: str, spans: list[tuple[int, int, str]], rules: frozenset[str]) -> list[tuple[int, int, str]]:
    """The English rules among ``rules`` (see :data:`STAGE_RULES`) on one text's names: names a
    pattern finds replace the tagger's names they overlap."""
    found: list[tuple[int, int, str]] = []
    if "kind_heads" in rules:
        found += [(*m.span(), "LOC") for m in _HEADED_PLACE.finditer(text)]
        spans = [(start, end, "ORG" if label in ("PER", "LOC") and _ORG_HEAD.search(text, start, end) else label)
                 for start, end, label in spans]
    if "treaties" in rules:
        found += [(*m.span(), "WORK") for m in _TREATY.finditer(text)]
    if "quoted_titles" in rules:
        found += [(*m.span(1), "WORK") for m in _QUOTED_TITLE.finditer(text) if title_case(m.group(1))]
    if "regnal" in rules:
        spans = [(start, m.end() if label == "PER" and (m := _REGNAL.match(text, end)) else end, label)
                 for start, end, label in spans]
    if "demonyms" in rules:
        spans = [span for span in spans if not is_demonym(text[span[0]:span[1]], "en")]
    found = drop_overlaps(found)
    return sorted(found + [s for s in spans if not any(s[0] < f[1] and f[0] < s[1] for f in found)])


def with_compass(text: str, span: tuple[int, int, str], lang: str = "en") -> tuple[int, int, str]:
    """A known place with the compass words before it (in or out of the tagger's span) is one
    place: ``South`` + ``Caucasus``, ``South Caucasus`` read as an organisation. A work stays a
    work (``журнала «Северный Кавказ»``)."""
    start, end, label = span
    key = (lang, text[start:end].isupper())
    inside = _COMPASS_INSIDE[key].match(text, start, end)
    if label == "WORK" or not known_place(text[inside.end() if inside else start:end], lang):
        return span
    before = (_COMPASS_BEFORE[key].search(text, max(0, start - 60), start)
              or inside and _COMPASS_JOINED[key].search(text, max(0, start - 30), start))
    return (before.start() if before else start, end, "LOC") if before or inside else span


def with_compasses(text: str, spans: list[tuple[int, int, str]], lang: str) -> list[tuple[int, int, str]]:
    """:func:`with_compass` on every span; a compass word the tagger read as a name of its own
    (``Şərqi`` LOC, the Orient) goes into the place after it."""
    widened = [with_compass(text, span, lang) for span in spans]
    return drop_overlaps(widened) if widened != spans else spans


# The capitalised word just before a name, on its line or at the end of the line before.
_WORD_BEFORE = re.compile(r"(?<![\w.’'‐-])[^\W\d_][\w’'‐-]*[^\S\n]*\n?[^\S\n]*$")


def with_given_names(text: str, spans: list[tuple[int, int, str]], lang: str) -> list[tuple[int, int, str]]:
    """A person's name with the word before it when that word is a given name of the package-built
    lists (``data/gazetteers/given_names.tsv``, ``names_dataset.tsv``, any script) and no place
    and no name of its own: the tagger read the surname alone (``Fərrux`` + ``Yasarın``)."""
    out = []
    for start, end, label in spans:
        before = _WORD_BEFORE.search(text, max(0, start - 40), start) if label == "PER" else None
        if before and not any(s < start and before.start() < e for s, e, _ in spans):
            word = before.group().rstrip()
            if az_lexicon().is_given_name(word) and not known_place(word, lang):
                start = before.start()
        out.append((start, end, label))
    return out


# A Russian name formed by a capitalised place adjective and a generic head, the head's kind its
# label: treaties are works, khanates and provinces places, battles, wars and campaigns events.
_ADJECTIVE_HEADS = {"договор": "WORK", "трактат": "WORK", "ханств": "LOC", "губерни": "LOC", "уезд": "LOC",
                    "сражени": "EVENT", "битв": "EVENT", "войн": "EVENT", "поход": "EVENT"}
_ADJECTIVAL_NAME = re.compile(
    r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[а-яё]+)*(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ое|ые|ых|ым|ыми|ие|их|ими)"
    rf"\s+(?:мирн\w+\s+)?({'|'.join(_ADJECTIVE_HEADS)})\w*")


def with_adjectival_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Russian adjectival names (:data:`_ADJECTIVAL_NAME`) replace the tagger's names they overlap
    (natasha reads ``Туркманчайский`` alone as a person or place)."""
    found = [(*m.span(), _ADJECTIVE_HEADS[m.group(1)]) for m in _ADJECTIVAL_NAME.finditer(text)]
    return sorted(found + [s for s in spans if not any(s[0] < f[1] and f[0] < s[1] for f in found)])


def title_case(phrase: str) -> bool:
    """Every word capitalised but short function words (``Leyli and Majnun``), at least one word."""
    words = re.findall(r"[^\W\d_][\w'’‐-]*", phrase)
    return bool(words) and all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words)


def is_demonym(name: str, lang: str) -> bool:
    """One word that is a known place with a demonym ending (``Azerbaijani``, ``Iranian``,
    ``Georgian``) and no place itself."""
    if " " in name.strip() or known_place(name, lang):
        return False
    return any(name.endswith(ending) and len(name) - len(ending) > 2 and (
        known_place(name[:-len(ending)], lang) or known_place(name[:-len(ending)] + "a", lang))
        for ending in _DEMONYM_ENDINGS)


_COORDINATED = re.compile(r"(\S+)\s+(?:and|и|və|ve)\s+(\S+)")


def split_places(text: str, span: tuple[int, int, str], lang: str) -> list[tuple[int, int, str]]:
    """``Baku and Derbent`` read as one name: two known places joined by a conjunction are two
    (``Bosnia and Herzegovina``, known as one, stays one)."""
    from .linking import _gazetteer_entry

    found = _COORDINATED.fullmatch(text, span[0], span[1])
    if found is None or _gazetteer_entry(found.group(), lang) or not all(known_place(found.group(i), lang) for i in (1, 2)):
        return [span]
    return [(*found.span(1), "LOC"), (*found.span(2), "LOC")]


def known_place(name: str, lang: str) -> bool:
    """A single word the gazetteer knows as a place (inflection stripped)."""
    from .linking import _gazetteer_entry

    if len(name.split()) != 1:
        return False
    entry = _gazetteer_entry(name, lang)
    return entry is not None and entry.label == "LOC"


# A capitalised phrase in Russian quotation marks, no sentence nor exclamation: the title of a work
# (``оперой «Кёроглу»``, ``«Аршин мал алан»``), or a body's name when a head noun before it says so
# (``партии «Мусават»``: the ``heads`` rule after it).
MAX_TITLE_WORDS = 6
_QUOTED_WORK = re.compile(r"[«„]([A-ZА-ЯЁ0-9][^«»„“\"\n.!?]{0,80}?)[»“]")


def with_quoted_works(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Russian running text sets works' titles in quotes: a quoted phrase (:data:`_QUOTED_WORK`) is a
    WORK and replaces the tagger's names inside it (``«История Карабага»``, not ``Карабага`` LOC),
    unless the tagger reads the whole phrase as an organisation (``«Газпром»``, ``ОАО «Банк ВТБ»``:
    bodies and companies are quoted too) or finds a person's full name in it (``«Памяти Бориса
    Стругацкого»``), or the phrase is longer than a title (:data:`MAX_TITLE_WORDS`: quoted speech,
    ``«Нужно ли было сдать Ленинград, чтобы сберечь сотни тысяч жизней»``). Not in notes and
    references, where a title in quotes is part of a longer cited title."""
    bodies = {(start, end) for start, end, label in spans if label == "ORG"}
    people = [(start, end) for start, end, label in spans if label == "PER" and " " in text[start:end]]
    found = [(*m.span(1), "WORK") for m in _QUOTED_WORK.finditer(text)
             if len(m.group(1).split()) <= MAX_TITLE_WORDS and m.span(1) not in bodies
             and not any(m.start(1) <= start and end <= m.end(1) for start, end in people)]
    return sorted(found + [s for s in spans if not any(s[0] < f[1] and f[0] < s[1] for f in found)])


# A company's legal form before its quoted name (``ОАО «Банк ВТБ»``, ``MMC “Azərsun”``) is no part
# of the name, and the quotes stay outside (GUIDELINES).
_LEGAL_FORM = re.compile(r"(?:[A-ZА-ЯЁƏÜÖĞŞÇİ]{2,6}\s+)+[«“\"„]([^«»“”\"„]+)[»”\"“]?")


def without_legal_form(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out = []
    for start, end, label in spans:
        found = _LEGAL_FORM.fullmatch(text, start, end) if label == "ORG" else None
        out.append((found.start(1), found.end(1), label) if found else (start, end, label))
    return out


# A lower-case generic noun beside a name says what kind of name it is, whatever the tagger
# guessed: «журнала «Северный Кавказ»», «партии Мусават», "Prometheus journal".
HEAD_BEFORE = {"ru": ((re.compile(r"\b(?:журнал|газет|альманах|книг|сборник)\w*[\s:«“\"]*$"), "WORK"),
                      (re.compile(r"\b(?:парти|движени|организаци)\w*[\s«“\"]*$"), "ORG"))}
HEAD_AFTER = {"en": ((re.compile(r"^[»”\"]?\s+(?:journal|newspaper|magazine)\b"), "WORK"),
                     (re.compile(r"^[»”\"]?\s+(?:movement|party)\b"), "ORG"))}


def relabel_by_head(text: str, spans: list[tuple[int, int, str]], lang: str) -> list[tuple[int, int, str]]:
    """The label a head noun gives: after the name always (``Prometheus movement``); before it
    never to a person (``книги Мураками``, ``движения Кургиняна``: the author or leader) nor to
    an unquoted place (``партии США``, ``газет Франции``)."""
    out = []
    for start, end, label in spans:
        quoted = start > 0 and text[start - 1] in "«“\""
        if label != "PER" and (quoted or label != "LOC"):
            for pattern, head_label in HEAD_BEFORE.get(lang, ()):
                if pattern.search(text, max(0, start - 30), start):
                    label = head_label
        for pattern, head_label in HEAD_AFTER.get(lang, ()):
            if pattern.match(text[end:end + 30]):
                label = head_label
        out.append((start, end, label))
    return out


# Turkic alphabets pair dotless I with ı (and dotted İ with i): ``QAFQAZIN`` is ``qafqazın``.
_DOTLESS = {"az", "tr"}


def readable_case(text: str, kind: str, lang: str | None = None) -> str:
    """Text in capitals (a title or author line set in caps) in the case taggers learnt from,
    same length so offsets hold: an author line in title case, other text in sentence case
    with initialled names (``М.Э.РАСУЛЗАДЕ`` → ``М.Э.Расулзаде``) capitalised; ``I`` is ``ı``
    in a Turkic ``lang`` (``İ``, which has no one-letter lower case, stays)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    if lang in _DOTLESS:
        text = text.replace("I", "ı")
    lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if kind == "author":
        return _WORD_START.sub(lambda m: m.group().upper(), lower)
    lower = _INITIALLED.sub(lambda m: m.group().upper(), lower)
    return lower[:1].upper() + lower[1:]


def find_compact(text: str, value: str) -> tuple[int, int] | None:
    """Where ``value`` occurs in ``text`` ignoring white space and soft hyphens left in either."""
    value = "".join(value.split())
    if len(value) < 2:
        return None
    compact, positions = _compacted(text)
    at = compact.find(value)
    if at < 0:
        return None
    return positions[at], positions[at + len(value) - 1] + 1


@lru_cache(maxsize=4)
def _compacted(text: str) -> tuple[str, list[int]]:
    """``text`` without its white space, and where each character kept stands in ``text``: made once
    per footnote, whose many fields are then looked up (a run-away note holds thousands)."""
    positions = [i for i, char in enumerate(text) if not char.isspace()]
    return "".join(text[i] for i in positions), positions


def aligned_units(doc: Document) -> list[list[Span]]:
    """Groups of spans that say the same in several languages: the sentences of each alignment
    bead, and the keyword lists of the abstracts (not sentences, but translations of each other)."""
    sentences = {s.id: s for s in doc.layer("sentences")}
    units = [[sentences[i] for lang in sorted(k for k in bead if isinstance(bead[k], list)) for i in bead[lang]
              if i in sentences] for bead in doc.data.get("alignment") or []]
    # one unit per set of keyword lists: a list in a language the set has already starts the next
    keywords: list[list[Span]] = []
    for block in doc.blocks("keywords"):
        if not keywords or block.lang in {b.lang for b in keywords[-1]}:
            keywords.append([])
        keywords[-1].append(block)
    units += keywords
    return [unit for unit in units if len({s.lang for s in unit}) > 1]


def similar_names(a: frozenset[str], b: frozenset[str]) -> bool:
    """Consonant skeletons of one name in two languages, equal but for an ending
    (``srvnsh``/``srvnshs``, ``drbnd``/``drbnt``)."""
    for x in a:
        for y in b:
            common = next((n for n, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            if common >= 4 and common >= min(len(x), len(y)) - 1 and abs(len(x) - len(y)) <= 2:
                return True
    return False


def guided_by_azerbaijani(doc: Document, entities: list[Span], demonyms: bool = True) -> list[Span]:
    """The entities with the names of each aligned unit's Azerbaijani side (:func:`aligned_units`)
    carried to its other languages: the Azerbaijani recogniser is trained on such articles,
    the English and Russian taggers on news, and the abstracts and keywords name the same people
    and places. A name of the other side that is the Azerbaijani name (same link key, or the
    same consonant skeleton but for an ending) takes its label (``Shaki`` PER → LOC); a run of
    one to three capitalised tokens that is one and no name yet becomes one (``demonyms``: not
    when it is a demonym, ``Azerbaijani`` for ``Azərbaycan``)."""
    from .linking import _skeletons, link_key

    ordered = sorted(entities, key=lambda e: e.start)
    starts = [e.start for e in ordered]

    def inside(span: Span) -> list[Span]:
        return [e for e in ordered[bisect_left(starts, span.start):bisect_left(starts, span.end)] if e.label != "DATE"]

    def same(name: str, lang: str, label: str, key: str, skeletons: frozenset[str]) -> bool:
        return link_key(name, label, lang) == key or similar_names(_skeletons(name, label, lang), skeletons)

    relabelled: dict[Span, str] = {}
    added: list[Span] = []
    for unit in aligned_units(doc):
        names = [(e.label, link_key(text, e.label, "az"), _skeletons(text, e.label, "az"))
                 for span in unit if span.lang == "az" for e in inside(span) for text in [doc.clean(e).text]]
        if not names:
            continue
        for target in unit:
            if target.lang == "az":
                continue
            lang = target.lang or "en"
            wanted = list(names)
            taken = inside(target)
            for e in taken:
                text = doc.clean(e).text
                match = next((n for n in wanted if same(text, lang, n[0], n[1], n[2])), None)
                if match is not None:
                    wanted.remove(match)
                    if match[0] != e.label:
                        relabelled[e] = match[0]
            if not wanted:
                continue
            clean = doc.clean(target)
            tokens = [m.span() for m in _NAME_TOKEN.finditer(clean.text)]
            capital = [clean.text[start].isupper() for start, _ in tokens]
            for i in range(len(tokens)):
                for n in (3, 2, 1):
                    if i + n > len(tokens) or not all(capital[i:i + n]) or not wanted:
                        continue
                    start, end = tokens[i][0], tokens[i + n - 1][1]
                    raw_start, raw_end = clean.to_raw(start, end)
                    if any(raw_start < e.end and e.start < raw_end for e in taken):
                        continue
                    text = clean.text[start:end]
                    if demonyms and is_demonym(text, lang):
                        continue
                    match = next((w for w in wanted if same(text, lang, *w)), None)
                    if match is not None:
                        span = doc.span(raw_start, raw_end, match[0], lang=target.lang)
                        added.append(span)
                        taken.append(span)
                        wanted.remove(match)
    kept = [Span(e.start, e.end, relabelled.get(e, e.label), e.lang, e.id, e.attrs) for e in entities]
    return kept + added


def recognise_blocks(choice: BackendChoice, blocks: list[tuple[Span, CleanText]],
                     rules: frozenset[str]) -> list[list[tuple[int, int, str]]]:
    """Each block's names from its language's backend; a backend reads all its blocks in one
    batch (models run much faster so), each block still on its own."""
    by_backend: dict[int, tuple[NerBackend, list[int]]] = {}
    for i, (block, _) in enumerate(blocks):
        ner = choice.for_lang(block.lang)
        if ner is not None:
            by_backend.setdefault(id(ner), (ner, []))[1].append(i)
    found: list[list[tuple[int, int, str]]] = [[] for _ in blocks]
    for ner, members in by_backend.values():
        names = names_in([blocks[i][1].text for i in members], [blocks[i][0].lang for i in members],
                         [blocks[i][0].label for i in members], ner, rules)
        for i, spans in zip(members, names):
            found[i] = spans
    return found


@stage("entities", requires=("blocks",), assigns=("entities",),
       defaults={"backends": {}, "stanza_dir": None, "az_model": None, "dates": True, "rules": list(POST_RULES)})
def entities_stage(doc: Document, backends: Mapping[str, str] | None = None, stanza_dir: str | None = None,
                   dates: bool = True, az_model: str | None = None, rules: Iterable[str] = POST_RULES) -> None:
    """Find, map to raw and link the entities of every block (see the module docstring);
    ``rules``: the post-rules applied (:data:`POST_RULES`; bench/ner.py turns each off)."""
    from .dates import RULES, find_dates_in
    from .linking import link_entities, registry, voted_labels

    choice = BackendChoice(backends or {}, {"stanza": {"model_dir": stanza_dir}, "az": {"model_dir": az_model}})
    blocks = [(block, doc.clean(block)) for block in doc.blocks()
              if block.label not in SKIPPED_BLOCKS and block.lang]
    blocks = [(block, clean) for block, clean in blocks if clean.text]
    found: dict[int, list[tuple[int, int, str, str | None]]] = {i: [] for i in range(len(blocks))}
    citations = sorted((c for c in doc.data.get("citations") or [] if "start" in c), key=lambda c: c["start"])
    cited_at = [c["start"] for c in citations]
    rules = frozenset(rules)
    unknown = rules - set(POST_RULES)
    if unknown:
        raise ValueError(f"entities: unknown rules {', '.join(sorted(unknown))}; known: {', '.join(POST_RULES)}")
    recognised = recognise_blocks(choice, blocks, rules)
    for i, (block, clean) in enumerate(blocks):
        names = recognised[i]
        if block.label in BIBLIOGRAPHIC_BLOCKS and citations and "citations" in rules:
            held = citations[bisect_left(cited_at, block.start):bisect_left(cited_at, block.end)]
            cited = citation_spans(clean, held)
            names = cited + [n for n in names if not any(n[0] < c[1] and c[0] < n[1] for c in cited)]
        found[i] += [(start, end, label, None) for start, end, label in names]
    if dates:
        for lang in RULES:
            dated = [i for i, (block, _) in enumerate(blocks)
                     if block.lang == lang and block.label not in BIBLIOGRAPHIC_BLOCKS]
            for i, spans in zip(dated, find_dates_in([blocks[i][1].text for i in dated], lang)):
                found[i] += [(start, end, "DATE", norm) for start, end, norm in spans]
    entities = []
    for i, (block, clean) in enumerate(blocks):
        norms = {span[:3]: span[3] for span in found[i]}
        for start, end, label in drop_overlaps(norms):
            if "capitalised" in rules and label != "DATE" and not any(c.isupper() for c in clean.text[start:end]):
                continue
            raw_start, raw_end = clean.to_raw(start, end)
            norm = norms[(start, end, label)]
            entities.append(doc.span(raw_start, raw_end, label, lang=block.lang, attrs={"norm": norm} if norm else {}))
    if "aligned" in rules:
        entities = guided_by_azerbaijani(doc, entities, demonyms="demonyms" in rules)
    if "label_vote" in rules:
        entities = voted_labels(doc, entities)
    doc.set_layer("entities", entities)
    choice.meta["dates"] = dates
    choice.meta["citation_fields"] = bool(citations) and "citations" in rules
    choice.meta["rules"] = [rule for rule in POST_RULES if rule in rules]
    doc.meta["entities"] = choice.meta
    link_entities(doc)
    doc.data["entity_registry"] = registry(doc)
