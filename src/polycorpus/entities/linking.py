"""Cross-lingual entity linking: one key per referent, shared by its forms in az, ru and en.

:func:`link_key` gives a mention its key from the mention alone: a gazetteer key when the name
(inflection stripped) is a known place or organisation (``Türkiyədə``, ``Турции``, ``Turkey`` →
``turkey``), otherwise the romanised, uninflected name — for a person the surname
(``M.Ə.Rəsulzadə``, ``Расулзаде``, ``Rasulzade`` → ``rasulzad``), or the name a title follows
with the title (``Cavad xan``, ``Джавад-хан`` → ``…_khan``).

:func:`link_entities` then makes the keys consistent across a document, merging the mentions
that belong together even when their keys differ: names whose romanised stems share a
consonant skeleton (``Topçubaşı``/``Топчубаши``), an abbreviation and the name it abbreviates
(``QİK``/``Qafqaz İstiqlal Komitəsi``), a name and its bracketed alias right after it
(``Helsinqforsun (Helsinki)``), a given name alone and the full name it begins
(``Məhəmməd Əmin``), a Russified surname and the bare one with the same initials
(``Topçubaşov``/``Topçubaşı``), one word form the recogniser labels once a person and once a
place, an adjective made from a body's name (``Прометеевское движение``),
a name made of one proper name and words of its kind (``Gülüstan müqaviləsi``, ``Гюлистанский
мирный договор``, ``Treaty of Gulistan``), a pen or real name given beside a name
(``Sarabski (əsl soyadı Rzayev)``), a given name alone and the one person it opens (``Üzeyir``),
and mentions left unpaired in sentences that the alignment pairs. People who share a family name
are told apart by their given names, and the family (``Hacıbəyov qardaşları``) from its members. A pairing by alignment is weak
evidence: it never merges two groups that already stand on their own. The words around a
mention make its key more specific (``çar Rusiyası``, ``Azərbaycan legionu``, ``Prometey
cəmiyyəti`` beside ``Prometey hərəkatı``).
:func:`registry` lists every referent of a document with its names per language.
:func:`voted_labels` (the entities stage's ``label_vote`` rule, before linking) gives the mentions
of one name that the recogniser reads here as a person and there as a place the label most have.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import cache, lru_cache
from typing import Any

from ..document import Document, Span
from .gazetteer import PACKAGE_BUILT, Entry, az_word_lists, data_lines, fold, gazetteer, slug, titles
from .inflection import az_stems, ru_lemma, ru_stem
from .translit import CACHED_NAMES, az_readings, is_cyrillic, skeleton, to_ascii

REGISTRY_KINDS = {"PER": "people", "LOC": "places", "ORG": "organisations", "WORK": "works", "EVENT": "events"}
QUOTES = "“”\"«»„'‘’"
# Words that join coordinated names ("Cənubi və Şimali Qafqaz", "South and North Caucasus").
CONJUNCTIONS = {"və", "and", "и", "ve"}
ROMAN = re.compile(r"^[IVXL]+$")
MIN_SKELETON = 3
# Mentions that make a group stand on its own against an alignment pairing.
ESTABLISHED = 2
# Concepts of a following common noun that make a bare place name name a unit formed of its
# people ("Azərbaycan legionu", "Туркестанский легион"): the referent is the unit, not the place.
UNIT_HEADS = {"legion"}
# Kinds of body whose head noun after a name tells two bodies of one name apart.
BODY_HEADS = {"movement", "society", "party", "committee", "league", "union", "legion"}
# Labels the recogniser confuses with each other; a name under both is one referent.
PERSON_OR_PLACE = {"PER", "LOC"}
_RU_A_CASES = ("ой", "ою", "и", "е", "у")
# Labels whose names are often one proper name and words of their kind (a treaty, a party).
NAMED_KINDS = ("ORG", "WORK", "EVENT")
# A Russian adjective made from a place's name (Гюлистанский, Туркманчайского → Гюлистан, Туркманчай).
_RU_PLACE_ADJECTIVE = re.compile(r"(?<=\w\w\w)[сц]к(?:ий|ый|ой|ого|ому|им|ом|ая|ую|ое|ие|их|ими)$")
# A family name that names a family or its brothers and sisters, not one of them: a plural word
# after the uninflected name ("Hacıbəyov qardaşları", "the Hajibeyov brothers"), a Russian plural
# before it ("братья Гаджибековы"), or the name in the plural (``Hacıbəyovlar``, ``Гаджибековых``).
_FAMILY_AFTER = re.compile(r"\s+(?:qardaşlar|bacılar|ailə|brothers\b|sisters\b|family\b)")
_FAMILY_BEFORE = re.compile(r"(?:брать(?:я|ев|ям|ями)|с[её]ст(?:ры|ёр|ер)|семь(?:я|и|е|ю|ёй|ей))\s+$", re.IGNORECASE)
_RU_PLURAL_SURNAME = re.compile(r"(?:[ое]в|ин)(?:ы|ых|ыми)$")
_AZ_PLURAL = ("lar", "lər")
# What stands between a name and its alias: an opening bracket, in it perhaps the words that
# give a person's real or pen name (az, ru, en biographical formulas).
_REAL_NAME = r"(?:əsl\s+(?:adı|soyadı|adı\s+və\s+soyadı)|настоящ(?:ее|ая)\s+(?:имя|фамилия)|псевдоним|real\s+name|pen\s+name|née)"
_ALIAS_BETWEEN = re.compile(rf"[\s”“\"»«]*\((?:\s*{_REAL_NAME}:?)?\s*[“\"«]?")
# "X təxəllüsü ilə (nəşr olunan) Y": a pen name, then the person who wrote under it.
_PEN_NAME = re.compile(r"\s+təxəllüsü\s+ilə\s+(?:[a-zəıöüşçğ]+\s+){0,3}")
_AZ_GENITIVE = re.compile(r"n?[ıiuü]n$")
# Function words inside institutional names, skipped when names are compared word by word.
NAME_STOPWORDS = {"və", "üzrə", "ilə", "и", "в", "по", "имени", "при", "на", "о", "and", "of", "the", "for", "in", "on"}


_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])- (?=[^\W\d_])")
_WORD = re.compile(r"\w{1,2}\.|[\w’'-]+")
_RU_DECLINED_SURNAME = re.compile(r"(?<=[ое]в|ин)(?:а|у|ым|е|ой|ою)$")
_POSSESSIVE = re.compile(r"[’']s$")
_LATIN_US = re.compile(r"(?<=\w\w\w)us$")
_EN_PLURAL = re.compile(r"(?<=\w\w\w[b-df-hj-np-rtv-z])s$")
_RU_GENITIVE_PLURAL = re.compile(r"(?<=\w\w\w)(?:ов|ев)$")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=CACHED_NAMES)
def _clean_name(text: str) -> str:
    """The name with quotes, line breaks and line-end hyphenation gone (``Komissar-\nlığı``,
    ``Varşava- da`` → one word; ``İdel-\nUral`` keeps its hyphen)."""
    text = " ".join(text.strip(QUOTES + " \n").split())
    text = _LINE_END_HYPHEN.sub(lambda m: "" if text[m.end()].islower() else "-", text)
    return text


def _words(name: str) -> list[str]:
    """Words of a name with initials split off (``M.Ə.Rəsulzadə`` → ``M.``, ``Ə.``, ``Rəsulzadə``)."""
    return _WORD.findall(name)


def stems(word: str, lang: str) -> list[str]:
    """Possible uninflected forms of one word, the word itself first."""
    return list(_stems(word, lang))


@lru_cache(maxsize=CACHED_NAMES)
def _stems(word: str, lang: str) -> tuple[str, ...]:
    if lang == "ru" or is_cyrillic(word):
        found = [word, ru_stem(word)]
        # Russian surnames in -ов/-ев/-ин decline: Топчибашеву, Баммата
        base = _RU_DECLINED_SURNAME.sub("", word)
        return tuple(dict.fromkeys(found + [base]))
    if lang in ("en", "sv"):
        # "Rasulzade's"; Greek and Latin names lose -us in Russian and Azerbaijani (Prometheus, Прометей);
        # a dynasty or people in the English plural (Shirvanshahs, Şirvanşahlar)
        return tuple(dict.fromkeys([word, _POSSESSIVE.sub("", word), _LATIN_US.sub("", word),
                                    _EN_PLURAL.sub("", word)]))
    return tuple(az_stems(word))


@lru_cache(maxsize=CACHED_NAMES)
def _gazetteer_entry(name: str, lang: str) -> Entry | None:
    places = gazetteer()
    index_lang = "ru" if is_cyrillic(name) else ("az" if lang in ("az", "tr") else "en")
    words = name.split()
    if not words:
        return None
    head = " ".join(words[:-1])
    for stem in stems(words[-1], index_lang):
        candidates = [f"{head} {stem}".strip()]
        if lang == "tr":
            # Turkish e for Azerbaijani ə: Azerbaycan, Azərbaycan
            candidates.append(candidates[0].replace("e", "ə"))
        for candidate in candidates:
            entry = places.lookup(candidate, index_lang)
            if entry:
                return entry
    if index_lang == "ru":
        # Every word declines in Russian ("Северного Кавказа"): compare word stems.
        key = _ru_stem_index().get(tuple(_ru_word_key(w) for w in words))
        if key is not None:
            return places.entries[key]
    return None


def _referent_entry(name: str, label: str, lang: str) -> Entry | None:
    """The gazetteer entry a mention of ``label`` names. A person is not the town a package lists
    under the same name (``Бакиханов``, ``Füzuli``): towns are named after people, and a text
    names the person far more often (as ``tools/build_gazetteers.py`` judges for the az names)."""
    entry = _gazetteer_entry(name, lang)
    return None if entry is not None and label == "PER" and entry.source in PACKAGE_BUILT else entry


@cache
def _ru_stem_index() -> dict[tuple[str, ...], str]:
    """The gazetteer's Russian names by the stems of their words; of names with the same stems,
    the first in the gazetteer."""
    found: dict[tuple[str, ...], str] = {}
    for folded, key in gazetteer().index.get("ru", {}).items():
        found.setdefault(tuple(_ru_word_key(w) for w in folded.split()), key)
    return found


@cache
def _concept_stems() -> dict[str, list[tuple[str, str]]]:
    """language -> (stem, concept) from ``concepts.tsv`` and the one-word gazetteer names, longest first."""
    table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for concept, *names in data_lines("concepts.tsv"):
        for lang, variants in zip(("az", "ru", "en"), names):
            table[lang].extend((fold(v, lang), concept) for v in variants.split("|"))
    places = gazetteer()
    for lang in ("ru", "en"):
        for folded, key in places.index.get(lang, {}).items():
            # "Кавказ" also begins "Кавказской", "Caucasus" begins "Caucasian" once two letters go
            if " " not in folded and len(folded) >= 5:
                table[lang].append((folded[:max(4, len(folded) - 2)], key))
    return {lang: sorted(found, key=lambda item: -len(item[0])) for lang, found in table.items()}


@lru_cache(maxsize=CACHED_NAMES)
def concept_key(name: str, lang: str) -> str | None:
    """The set of concepts a multi-word name is made of, or None if a word is not known.

    ``Qafqaz İstiqlal Komitəsi``, ``Комитета независимости Кавказа`` and ``Caucasus Independence
    Committee`` all give ``caucasus+committee+independence``.
    """
    lang = "ru" if is_cyrillic(name) else ("az" if lang in ("az", "tr") else "en")
    words = [w.lower() if ROMAN.match(w) else w for w in re.findall(r"[^\W\d_]+", name)]
    words = [w for w in words if fold(w, lang) not in NAME_STOPWORDS]
    if len(words) < 2:
        return None
    table = _concept_stems().get(lang, [])
    found = set()
    for word in words:
        if lang == "az":
            entry = next((e for stem in az_stems(word) if (e := gazetteer().lookup(stem, "az"))), None)
            forms = {fold(stem) for stem in az_stems(word)}
            concept = entry.key if entry else next((c for stem, c in table if stem in forms), None)
        else:
            folded = fold(word, lang)
            concept = next((c for stem, c in table if folded.startswith(stem)), None)
        if concept is None:
            return None
        found.add(concept)
    return "+".join(sorted(found))


@lru_cache(maxsize=CACHED_NAMES)
def _ru_word_key(word: str) -> str:
    """A Russian word without its case ending, the genitive plural included (``Советов`` → ``совет``)."""
    return fold(ru_stem(_RU_GENITIVE_PLURAL.sub("", word)), "ru")


def _title(word: str, lang: str) -> str | None:
    """The title a word is (``bəyin``, ``Khan``, ``агой`` → ``bey``, ``khan``, ``agha``), else None."""
    forms = {fold(form, lang) for form in stems(word, lang)} | {fold(ru_lemma(word), lang)}
    # a Russian title of the -а declension in another case, too short for ru_stem (агой, аги → ага)
    forms |= {form[:-len(ending)] + "а" for form in list(forms) for ending in _RU_A_CASES if form.endswith(ending)}
    spelled = titles()
    return next((spelled[form] for form in sorted(forms) if form in spelled), None)


@lru_cache(maxsize=CACHED_NAMES)
def _person_name(name: str, lang: str) -> tuple[str, str]:
    """A person's surname, or the name a title follows and the title (``Mirzə Adıgözəl bəyin``,
    ``Адигезаль-бека`` → ``Adıgözəl``, ``bey``): the title makes the key, so that ``Həsən bəy``
    is not ``Uzun Həsən``. A title before a surname is passed over (``Həsən bəy Rumlu``)."""
    words = [w for w in _words(name) if not w.endswith(".")]
    if not words:
        return name, ""
    last = words[-1]
    head, hyphen, tail = last.rpartition("-")
    if hyphen and len(head) >= 2 and (title := _title(tail, lang)):
        return head, title
    if len(words) >= 2 and (title := _title(last, lang)):
        return words[-2], title
    capitalised = [w for w in words if w[:1].isupper()] or words
    return capitalised[-1], ""


def _surname(name: str, lang: str) -> str:
    return _person_name(name, lang)[0]


def _romanised_stem(word: str, lang: str) -> str:
    """ASCII form of the shortest stem, final vowels dropped so that ``Rəsulzadə``/``Rasulzade`` agree."""
    stem = min(stems(word, lang), key=len)
    ascii_stem = _NOT_ASCII_ALNUM.sub("", to_ascii(stem, lang))
    return ascii_stem.rstrip("aeiouy") or ascii_stem


@lru_cache(maxsize=CACHED_NAMES)
def link_key(text: str, label: str, lang: str) -> str:
    """A stable lower-case ASCII key for the referent of one mention."""
    name = _clean_name(text)
    if label == "DATE":
        from .dates import find_dates

        found = find_dates(name, lang)
        return found[0][2] if found else slug(name)
    entry = _referent_entry(name, label, lang)
    if entry is None and label == "LOC":
        # "Cənubi və Şimali Qafqazın", "South and North Caucasus": the place the coordination names
        words = name.split()
        if len(words) > 2 and CONJUNCTIONS & {fold(w) for w in words}:
            entry = _gazetteer_entry(words[-1], lang)
    if entry is not None:
        # "Qafqaz" the journal, "Azərbaycan" the legion: a place name used for something else
        return entry.key if entry.label == label else f"{entry.key}_{label.lower()}"
    if label == "PER":
        words = _words(name)
        if len(words) >= 2 and ROMAN.match(words[-1]):
            # a ruler is named by name and number ("Николай I", "Khalilullah I"), not by the number
            return f"{_romanised_stem(words[-2], lang)}_{words[-1].lower()}"
        surname, title = _person_name(name, lang)
        key = _romanised_stem(surname, lang) or slug(name, lang)
        return f"{key}_{title}" if title else key
    words = name.split()
    head = [slug(w, lang) for w in words[:-1]]
    return "_".join(head + [_romanised_stem(words[-1], lang)]).strip("_") or slug(name, lang)


@lru_cache(maxsize=CACHED_NAMES)
def _skeletons(name: str, label: str, lang: str) -> frozenset[str]:
    """Consonant skeletons of every uninflected reading of the name (the surname for a person)."""
    if label == "PER":
        surname, title = _person_name(name, lang)
        found = {skeleton(reading, lang) + title for stem in stems(surname, lang) for reading in az_readings(stem)}
    else:
        words = name.split()
        if not words:
            return frozenset()
        head = " ".join(words[:-1])
        found = {skeleton(f"{head} {stem}", lang) for stem in stems(words[-1], lang)}
        # "Yeni Proqramın Əsasları" = "Yeni Proqram Əsasları": every word uninflected
        found.add(skeleton(" ".join(min(stems(w, lang), key=len) for w in words), lang))
        # "Leyli və Məcnun" = "Лейли и Меджнун" = "Leyli and Majnun": the conjunction left out
        joined = [w for w in words if fold(w, lang) not in CONJUNCTIONS]
        if joined and len(joined) < len(words):
            found.add(skeleton(" ".join(joined[:-1] + [min(stems(joined[-1], lang), key=len)]), lang))
    return frozenset(s for s in found if len(s) >= MIN_SKELETON)


def _acronym(name: str) -> str | None:
    word = name.split("-")[0] if "-" in name else name
    return fold(word) if 2 <= len(word) <= 6 and word.isupper() and word.isalpha() else None


def _initials(name: str) -> str:
    return "".join(fold(w)[0] for w in name.split() if w[:1].isupper())


class _Groups:
    """Union-find over mention indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def link_entities(doc: Document) -> None:
    """Give every entity of ``doc`` its final ``norm``, consistent across the document."""
    entities = doc.layer("entities")
    mentions = [(i, e) for i, e in enumerate(entities) if e.label != "DATE"]
    names = {i: _clean_name(_surface(doc, e)) for i, e in mentions}
    keys = {i: _context_key(doc, e, names[i], link_key(names[i], e.label, e.lang or "az")) for i, e in mentions}
    groups = _Groups(len(entities))

    by_label: dict[str, list[int]] = defaultdict(list)
    for i, entity in mentions:
        by_label[entity.label].append(i)
    for label, members in by_label.items():
        seen_key: dict[str, int] = {}
        seen_skeleton: dict[str, int] = {}
        for i in members:
            if keys[i] in seen_key:
                groups.union(seen_key[keys[i]], i)
            seen_key.setdefault(keys[i], i)
            if _referent_entry(names[i], label, entities[i].lang or "az"):
                continue  # a known place keeps its gazetteer key
            for found in _skeletons(names[i], label, entities[i].lang or "az"):
                if found in seen_skeleton:
                    groups.union(seen_skeleton[found], i)
                seen_skeleton.setdefault(found, i)
        concepts: dict[str, int] = {}
        for i in members:
            found = concept_key(names[i], entities[i].lang or "az") if label != "PER" else None
            if found:
                groups.union(concepts.setdefault(found, i), i)
        if label in NAMED_KINDS:
            kinds: dict[str, int] = {}
            for i in members:
                for found in _kind_and_name(names[i], entities[i].lang or "az"):
                    groups.union(kinds.setdefault(found, i), i)
        if label == "WORK":
            _link_short_titles(names, members, groups)
        _link_abbreviations(names, members, groups)
        if label == "ORG":
            _link_derived_names(doc, names, members, groups, entities)
        if label == "PER":
            _link_given_names(names, members, groups, entities)
            _link_russified(names, members, groups, entities)
    _link_across_labels(mentions, names, groups)
    _link_aliases(doc, mentions, groups)
    _link_aligned(doc, mentions, names, keys, groups)

    members_of = _split_people(doc, _split_by_head(doc, mentions, groups), names, entities)
    final = {}
    owner: dict[str, int] = {}
    for (root, head), members in sorted(members_of.items()):
        key = _group_key([keys[i] for i in members], [entities[i].lang or "az" for i in members])
        key = f"{key}_{head}" if head else key
        # two referents never share a key: the later group's key takes its label (or a number)
        if key in owner:
            base, n = f"{key}_{entities[root].label.lower()}", 1
            key = base
            while key in owner:
                n += 1
                key = f"{base}_{n}"
        owner[key] = root
        final.update({i: key for i in members})
    spans = [Span(e.start, e.end, e.label, e.lang, e.id, dict(e.attrs) | ({"norm": final[i]} if i in final else {}))
             for i, e in enumerate(entities)]
    doc.set_layer("entities", spans, overwrite=True)


def voted_labels(doc: Document, entities: list[Span]) -> list[Span]:
    """One label per name form in a document: the mentions of one word (case endings aside, in
    either script) that the recogniser reads in some places as a person and in others as a place
    all take the label most of them have (``Гянджу`` PER beside ``Гянджа``, ``Гяндже``, ``Gəncə``
    LOC → LOC; ``Физули`` LOC beside ``Füzuli``, ``Füzulinin`` PER → PER). Linking keeps to one
    label, so a mention under the other label would split off from its referent. A tie changes
    nothing, and works and bodies keep their labels: a title or body is often named after a person
    or place (``Koroğlu`` the opera, ``Qafqaz`` the journal, ``Prometey`` the movement and the journal)."""
    voting = [i for i, e in enumerate(entities) if e.label in PERSON_OR_PLACE]
    groups = _Groups(len(entities))
    first: dict[str, int] = {}
    for i in voting:
        for form in _vote_forms(_clean_name(_surface(doc, entities[i])), entities[i].lang or "az"):
            groups.union(first.setdefault(form, i), i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in voting:
        members[groups.find(i)].append(i)
    out = list(entities)
    for found in members.values():
        votes = Counter(entities[i].label for i in found).most_common()
        if len(votes) < 2 or votes[0][1] == votes[1][1]:
            continue
        for i in found:
            e = entities[i]
            out[i] = Span(e.start, e.end, votes[0][0], e.lang, e.id, e.attrs)
    return out


@lru_cache(maxsize=CACHED_NAMES)
def _vote_forms(name: str, lang: str) -> frozenset[str]:
    """What makes two mentions one name form for :func:`voted_labels`: a one-word name's stems,
    romanised and as consonant skeletons; a name of several words as written. A stem that cuts an
    Azerbaijani plural off names another referent (``Teymurilər`` the dynasty, ``Teymurun`` the ruler)."""
    if " " in name:
        return frozenset({fold(name, lang)})
    found = stems(name, lang)
    if not is_cyrillic(name) and lang in ("az", "tr"):
        found = [stem for stem in found if not fold(name[len(stem):]).startswith(_AZ_PLURAL)]
    forms = {f"ascii:{to_ascii(stem, lang).lower()}" for stem in found}
    forms |= {f"skeleton:{key}" for stem in found if len(key := skeleton(stem, lang)) >= MIN_SKELETON}
    return frozenset(forms)


def _link_across_labels(mentions: list[tuple[int, Span]], names: dict[int, str], groups: _Groups) -> None:
    """One word form given once as a person and once as a place ("Цицианова", "Аракс") names one
    referent: the recogniser confuses the two, and an unknown place rarely bears a person's name.
    Only the same form: a name with another suffix may name another referent (``Teymurilər`` the
    dynasty, ``Teymurun`` the ruler). Bodies and works stay apart from each other (``Prometey`` the
    movement and the journal), and a known place from what is named after it."""
    first: dict[str, int] = {}
    for i, entity in mentions:
        if entity.label in PERSON_OR_PLACE and _gazetteer_entry(names[i], entity.lang or "az") is None:
            groups.union(first.setdefault(fold(names[i]), i), i)


def _split_by_head(doc: Document, mentions: list[tuple[int, Span]], groups: _Groups) -> dict[tuple[int, str], list[int]]:
    """Groups keyed by (root, head): a name given with two kinds of body after it ("Prometey
    hərəkatı", "Prometey cəmiyyəti") names two bodies; its bare mentions and the most frequent
    kind stay together (head ""), each other kind becomes a group of its own."""
    heads: dict[int, dict[int, str]] = defaultdict(dict)
    found: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, entity in mentions:
        if entity.label in ("ORG", "WORK") and (head := _head_after(doc, entity)) in BODY_HEADS:
            heads[groups.find(i)][i] = head
    for i, _ in mentions:
        root = groups.find(i)
        kinds = Counter(heads[root].values())
        main = min(kinds, key=lambda k: (-kinds[k], k)) if kinds else ""
        head = heads[root].get(i, main)
        found[(root, "" if head == main else head)].append(i)
    return found


def _split_people(doc: Document, members_of: dict[tuple[int, str], list[int]], names: dict[int, str],
                  entities: list[Span]) -> dict[tuple[int, str], list[int]]:
    """People who share a family name are told apart by their given names: a group of persons
    named with given names (or initials) that cannot spell one name (``Üzeyir``, ``Ü.``,
    ``У.`` against ``Zülfüqar``) becomes one group per given name, the family name alone going
    with the person it names most often; and when a member is named by a given name, the name
    of the family or of its brothers (``Hacıbəyov qardaşları``, ``Hacıbəyovların``) is a
    referent of its own."""
    out: dict[tuple[int, str], list[int]] = {}
    for (root, head), members in members_of.items():
        if head or entities[root].label != "PER":
            out[(root, head)] = members
            continue
        given = {i: _given_letters(names[i], entities[i].lang or "az") for i in members}
        family = [i for i in members if _names_family(doc, entities[i], names[i])]
        if family and any(given.values()):
            out[(root, "family")] = family
            members = [i for i in members if i not in family]
        # mentions whose given names may spell one name, by union over shared first letters
        people: list[tuple[set[str], list[int]]] = []
        for i in members:
            if not given[i]:
                continue
            joined = [person for person in people if person[0] & given[i]]
            letters, found = set(given[i]), [i]
            for person in joined:
                letters |= person[0]
                found += person[1]
                people.remove(person)
            people.append((letters, sorted(found)))
        if len(people) < 2:
            out[(root, head)] = members
            continue
        people.sort(key=lambda person: (-len(person[1]), person[1][0]))
        named = {i for _, found in people for i in found}
        out[(root, head)] = sorted(people[0][1] + [i for i in members if i not in named])
        for _, found in people[1:]:
            lang = entities[found[0]].lang or "az"
            out[(found[0], _romanised_stem(_given_names(names[found[0]], lang)[0], lang))] = found
    return out


def _given_names(name: str, lang: str) -> list[str]:
    """The capitalised words of a person's name before or after the surname that are neither a
    title nor an honorific nor a regnal number (``Hacıbəyov Ü.`` → ``Ü.``; ``Şeyx İbrahim`` → none)."""
    surname = _surname(name, lang)
    words = _words(name)
    if surname in words:
        words.remove(surname)
    return [w for w in words if w[:1].isupper() and not ROMAN.match(w)
            and _title(w.rstrip("."), lang) is None and fold(w.rstrip("."), lang) not in _honorifics()]


def _given_letters(name: str, lang: str) -> frozenset[str]:
    """The first consonant classes the first given name may be read with (``Гусейнгулу`` →
    ``g``, ``h``: Russian writes Azerbaijani h as г), empty for a name without one."""
    given = _given_names(name, lang)
    if not given:
        return frozenset()
    return frozenset(skeleton(reading, lang)[:1] for reading in az_readings(given[0].rstrip(".")))


@cache
def _honorifics() -> frozenset[str]:
    """Words of respect or rank written before a name (``Şeyx``, ``Hacı``, ``İmam``): ``az_words.tsv``."""
    lists = az_word_lists()
    return lists["inner_title"] | lists["outer_title"]


def _names_family(doc: Document, entity: Span, name: str) -> bool:
    """Whether a person's mention names a family or its brothers and sisters (:data:`_FAMILY_AFTER`)."""
    words = _words(name)
    last = words[-1] if words else ""
    lang = entity.lang or "az"
    if is_cyrillic(last):
        return bool(_RU_PLURAL_SURNAME.search(last) or _FAMILY_BEFORE.search(doc.raw[max(0, entity.start - 12):entity.start]))
    if lang == "az" and any(fold(last[len(stem):]).startswith(_AZ_PLURAL) for stem in az_stems(last)[1:]):
        return True
    # "Hacıbəyovun qardaşları" are his brothers, not the family: the name must not be genitive
    return _FAMILY_AFTER.match(doc.raw, entity.end) is not None and not (lang == "az" and _AZ_GENITIVE.search(last))


def _head_after(doc: Document, entity: Span) -> str | None:
    """The concept of the lower-case common noun right after a name (``legionu`` → ``legion``)."""
    after = re.sub(r"-[ \t]*\n\s*", "", doc.raw[entity.end:entity.end + 40])
    following = re.match(r"[\s»”\"]*([^\W\d_]+)", after)
    if not following or not following.group(1)[:1].islower():
        return None
    word = following.group(1)
    return _word_concept(word, "ru" if is_cyrillic(word) else (entity.lang or "az"))


def _context_key(doc: Document, entity: Span, name: str, key: str) -> str:
    """``key`` of a place name, made more specific by the word around it: a modifier before it
    that makes another known place (``çar Rusiyası`` is the Russian Empire), or a unit's head
    noun after it."""
    base = key.removesuffix(f"_{entity.label.lower()}")
    if entity.label == "DATE" or base not in gazetteer().entries:
        return key
    before = re.search(r"([^\W\d_]+) +$", doc.raw[max(0, entity.start - 30):entity.start])
    if before:
        wider = _gazetteer_entry(f"{before.group(1)} {name}", entity.lang or "az")
        if wider is not None and wider.label == entity.label:
            return wider.key
    concept = _head_after(doc, entity)
    return f"{base}_{concept}" if concept in UNIT_HEADS else key


def _surface(doc: Document, entity: Span) -> str:
    """The entity's text with line-end hyphenation and line breaks undone."""
    clean = doc.clean(entity)
    return clean.text or doc.text(entity)


def _group_key(keys: list[str], langs: list[str]) -> str:
    """A group's key: a gazetteer key if a member has one, else the most frequent, ties alphabetically."""
    known = gazetteer().entries  # a dict: membership without a copy of its keys
    counts = Counter(keys)
    return min(counts, key=lambda k: (k not in known, -counts[k], k))


def _title_part(name: str) -> str:
    """A work's title without bracketed additions and without a leading "Author." (``Мамед Эмин
    Расулзаде. На чужих берегах (1922-1943)`` → ``На чужих берегах``)."""
    name = re.sub(r"\s*\([^()]*\)", "", name).strip()
    head, dot, rest = name.partition(". ")
    author = head.replace(".", ". ").split()
    if dot and rest and len(author) <= 4 and all(w[:1].isupper() for w in author):
        return rest
    return name


def _link_short_titles(names: dict[int, str], members: list[int], groups: _Groups) -> None:
    """A title cited by its first words ("Кавказская Конфедерация…") is the full title it begins;
    the same title with or without its author and brackets is the same work. Titles are compared
    once per distinct wording (a long article repeats them), so the cost grows with the titles'
    variety, not with the square of the mentions."""
    by_words: dict[tuple[str, ...], list[int]] = {}
    for i in members:
        by_words.setdefault(tuple(fold(w) for w in re.findall(r"\w+", _title_part(names[i]))), []).append(i)
    # "Qafqaz və Ukrayna xalqlarının milli müdafiə orqanı Prometey": a description, then the name
    described: dict[str, list[int]] = defaultdict(list)
    for words, found in by_words.items():
        if len(words) >= 3:
            described[words[-1]] += [j for j in found if names[j].split()[-1][:1].isupper()]
    for words, found in by_words.items():
        if len(words) == 1:
            if described.get(words[0]):
                for j in described[words[0]] + found[1:]:
                    groups.union(found[0], j)
            continue
        # each mention joins the first other mention (in order) whose title begins with its words
        first_two = sorted(j for other, found_other in by_words.items()
                           if len(other) >= len(words) and other[:len(words)] == words for j in found_other[:2])
        for i in found:
            # a title with a bracketed addition ("… (1884-1955)") is given in full, not by its first words
            j = next((j for j in (found[:2] if "(" in names[i] else first_two) if j != i), None)
            if j is not None:
                groups.union(i, j)


def _link_abbreviations(names: dict[int, str], members: list[int], groups: _Groups) -> None:
    initials: dict[str, int] = {}
    for i in members:
        words = names[i].split()
        if len(words) >= 2:
            initials.setdefault(_initials(names[i]), i)
    for i in members:
        acronym = _acronym(names[i])
        if acronym and acronym in initials:
            groups.union(initials[acronym], i)


def _link_given_names(names: dict[int, str], members: list[int], groups: _Groups, entities: list[Span]) -> None:
    """"Məhəmməd Əmin" alone is the person whose full name begins with it (the first one)."""
    full: dict[tuple[str, str], int] = {}
    for j in members:
        words = _words(names[j])
        if len(words) >= 3:
            full.setdefault((fold(words[0]), fold(words[1])), j)
    for i in members:
        words = _words(names[i])
        if len(words) != 2 or any(w.endswith(".") for w in words) or _title(words[1], entities[i].lang or "az"):
            continue  # "Həsən bəy" is named by the title, not the first words of "Həsən bəy Rumlu"
        first = fold(words[0])
        candidates = [full[(first, s)] for s in {fold(s) for s in stems(words[1], entities[i].lang or "az")}
                      if (first, s) in full]
        if candidates:
            groups.union(min(candidates), i)
    _link_given_name_alone(names, members, groups, entities)


def _link_given_name_alone(names: dict[int, str], members: list[int], groups: _Groups, entities: list[Span]) -> None:
    """"Üzeyir" alone (any case form) is the one person named in full with that given name
    (``Üzeyir Hacıbəyov``), unless it is also someone's family name or several people bear it."""
    by_given: dict[str, set[int]] = defaultdict(set)
    surnames: set[str] = set()
    for j in members:
        lang = entities[j].lang or "az"
        words = _words(names[j])
        if len(words) >= 2:
            surnames.update(fold(s, lang) for s in stems(_surname(names[j], lang), lang))
        given = _given_names(names[j], lang)
        if len(words) >= 2 and given and not given[0].endswith(".") and given[0] == words[0]:
            by_given[fold(given[0], lang)].add(j)
    for i in members:
        lang = entities[i].lang or "az"
        words = _words(names[i])
        if len(words) != 1:
            continue
        forms = {fold(s, lang) for s in stems(words[0], lang)}
        if forms & surnames:
            continue
        people = {groups.find(j) for form in forms for j in by_given.get(form, ())}
        if len(people) == 1:
            groups.union(people.pop(), i)


@lru_cache(maxsize=CACHED_NAMES)
def _kind_and_name(name: str, lang: str) -> frozenset[str]:
    """One proper name and the concepts of the words that say its kind, as keys (``Gülüstan
    müqaviləsi``, ``Гюлистанский мирный договор``, ``Treaty of Gulistan`` → ``treaty:glstn``):
    the name's consonant skeletons (a Russian adjective as the name it is made from), lower-case
    words of no concept (``мирный``) passed over, but not after the kind (``Kürəkçay
    müqaviləsinin mətni`` is a work about the treaty). Only the vocabulary of ``concepts.tsv`` says a
    kind: a place's name a word begins with (``Turk…``) is a proper name. Empty unless the name
    has exactly one proper name and one concept or more."""
    lang = "ru" if is_cyrillic(name) else ("az" if lang in ("az", "tr") else "en")
    places = gazetteer().entries
    concepts, proper, described = set(), [], False
    for word in re.findall(r"[^\W\d_]+", name):
        if fold(word, lang) in NAME_STOPWORDS:
            continue
        concept = _word_concept(word, lang)
        if concept and concept not in places:
            concepts.add(concept)
            described = False
        elif word[:1].isupper():
            proper.append(word)
        elif concepts:
            described = True  # "Kürəkçay müqaviləsinin mətni": a work about the treaty
    if len(proper) != 1 or not concepts or described:
        return frozenset()
    word = _RU_PLACE_ADJECTIVE.sub("", proper[0]) if lang == "ru" else proper[0]
    kind = "+".join(sorted(concepts))
    return frozenset(f"{kind}:{found}" for stem in stems(word, lang)
                     if len(found := skeleton(stem, lang)) >= MIN_SKELETON)


@lru_cache(maxsize=CACHED_NAMES)
def _word_concept(word: str, lang: str) -> str | None:
    if lang == "az":
        forms = {fold(stem) for stem in az_stems(word)}
        return next((c for stem, c in _concept_stems().get("az", []) if stem in forms), None)
    table = _concept_stems().get("ru" if lang == "ru" else "en", [])
    return next((c for stem, c in table if fold(word, lang).startswith(stem)), None)


def _link_derived_names(doc: Document, names: dict[int, str], members: list[int], groups: _Groups,
                        entities: list[Span]) -> None:
    """"Прометеевское движение" is the body named "Prometey" with "hərəkatı" after it: an
    adjective made from a one-word name, then the same kind of body."""
    bodies: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for i in members:
        lang = entities[i].lang or "az"
        if len(names[i].split()) == 1 and (head := _head_after(doc, entities[i])) in BODY_HEADS:
            if len(stem := _romanised_stem(names[i], lang)) >= 5:
                bodies[head][stem].add(groups.find(i))
    for i in members:
        words = names[i].split()
        lang = "ru" if is_cyrillic(names[i]) else (entities[i].lang or "az")
        if len(words) != 2 or (head := _word_concept(words[1], lang)) not in BODY_HEADS:
            continue
        adjective = re.sub(r"[^a-z]", "", to_ascii(words[0], lang))
        found = {root for stem, roots in bodies[head].items() if adjective.startswith(stem) for root in roots}
        if len({groups.find(root) for root in found}) == 1:
            groups.union(found.pop(), i)


def _given_initials(name: str, lang: str) -> str:
    """Romanised first letters of the given names before the surname (``Əli Mərdan bəy X`` → ``am``)."""
    words = _words(name)[:-1]
    return "".join(to_ascii(w[0], lang)[:1] for w in words if w[:1].isupper())


def _link_russified(names: dict[int, str], members: list[int], groups: _Groups, entities: list[Span]) -> None:
    """A surname with the Russian -ov/-ev ending is the bare one (``Topçubaşov``, ``Топчибашеву`` =
    ``Topçubaşı``) only when both groups name the person with the same initials: ``S.İsxakov``
    and ``A.İsxaki`` are two people."""
    bare: dict[str, set[int]] = defaultdict(set)
    russified: dict[str, set[int]] = defaultdict(set)
    initials: dict[int, set[str]] = defaultdict(set)
    for i in members:
        lang = entities[i].lang or "az"
        surname = _surname(names[i], lang)
        if found := _given_initials(names[i], lang):
            initials[groups.find(i)].add(found)
        for stem in stems(surname, lang):
            short = re.sub(r"(?:y?[oe]v|[оеё]в)$", "", stem, flags=re.IGNORECASE)
            target = russified if short != stem else bare
            if len(found := skeleton(short, lang)) >= MIN_SKELETON:
                target[found].add(i)
    for found, named in russified.items():
        # distinct groups, not mentions: a long article names one person many times
        for a in sorted({groups.find(i) for i in named}):
            for b in sorted({groups.find(j) for j in bare.get(found, ())}):
                a, b = groups.find(a), groups.find(b)
                if a != b and initials[a] & initials[b]:
                    groups.union(a, b)
                    initials[groups.find(a)] = initials[a] | initials[b]


def _link_aliases(doc: Document, mentions: list[tuple[int, Span]], groups: _Groups) -> None:
    """"Helsinqforsun (Helsinki)", "Qafqaz İstiqlal Komitəsi (QİK)": a bracketed name right after
    a name; a pen name and the real name it is given with (``Sarabski (əsl soyadı Rzayev)``,
    ``Zərevənd təxəllüsü ilə nəşr olunan Nalbandyan``)."""
    for (i, a), (j, b) in zip(mentions, mentions[1:]):
        between = doc.raw[a.end:b.start]
        if a.label == b.label and (_ALIAS_BETWEEN.fullmatch(between) or a.label == "PER" and _PEN_NAME.fullmatch(between)):
            groups.union(i, j)


def _link_aligned(doc: Document, mentions: list[tuple[int, Span]], names: dict[int, str], keys: dict[int, str],
                  groups: _Groups) -> None:
    """In aligned sentences, a label left with one unmatched mention per language pairs those mentions."""
    beads = doc.data.get("alignment") or []
    # evidence gathered before any pairing: groups made by names alone
    evidence = _group_evidence(mentions, names, keys, groups)
    sentences = sorted(doc.layer("sentences"), key=lambda s: s.start)
    starts = [s.start for s in sentences]
    longest = max((s.end - s.start for s in sentences), default=0)
    in_sentence: dict[str, list[int]] = defaultdict(list)
    for i, entity in mentions:
        # the innermost sentence holding the mention (a note's sentence may lie inside the raw
        # extent of a body sentence that runs across its page)
        at = bisect_right(starts, entity.start) - 1
        while at >= 0 and starts[at] >= entity.start - longest:
            if entity.end <= sentences[at].end:
                in_sentence[sentences[at].id].append(i)
                break
            at -= 1
    for bead in beads:
        ids = {sid for lang in ("az", "en", "ru") for sid in bead.get(lang, [])}
        inside = sorted(i for sid in ids for i in in_sentence.get(sid, []))
        for label in REGISTRY_KINDS:
            by_lang: dict[str, list[int]] = defaultdict(list)
            for i in inside:
                entity = doc.layer("entities")[i]
                if entity.label == label:
                    by_lang[entity.lang or ""].append(i)
            roots = {lang: {groups.find(i) for i in found} for lang, found in by_lang.items()}
            shared = set.intersection(*roots.values()) if len(roots) > 1 else set()
            # roots present in every language are matched already; the rest pair when unique
            left = {lang: [i for i in found if groups.find(i) not in shared] for lang, found in by_lang.items()}
            unique = [found for found in left.values() if len({groups.find(i) for i in found}) == 1]
            if len(unique) >= 2 and len(unique) == len([f for f in left.values() if f]):
                for found in unique[1:]:
                    if _may_join(evidence, groups, unique[0][0], found[0]):
                        groups.union(unique[0][0], found[0])


def _group_evidence(mentions: list[tuple[int, Span]], names: dict[int, str], keys: dict[int, str],
                    groups: _Groups) -> dict[int, tuple[set[str], set[str], int]]:
    """Per mention: the gazetteer keys and skeletons its group has found, and the group's size."""
    known = gazetteer().entries
    found: dict[int, tuple[set[str], set[str], list[int]]] = {}
    for i, entity in mentions:
        places, skeletons, members = found.setdefault(groups.find(i), (set(), set(), []))
        if keys[i] in known:
            places.add(keys[i])
        skeletons.update(_skeletons(names[i], entity.label, entity.lang or "az"))
        members.append(i)
    return {i: (places, skeletons, len(members)) for places, skeletons, members in found.values() for i in members}


def _may_join(evidence: dict[int, tuple[set[str], set[str], int]], groups: _Groups, a: int, b: int) -> bool:
    """Whether an alignment pairing may merge the groups of ``a`` and ``b``.

    A pairing is weak evidence (the aligner or the recogniser may be wrong), so it never merges
    two groups that each already stand on their own: different known places (``Şimali Qafqaz``
    and ``Qafqaz``: a modifier makes another referent), or several mentions each and no shared
    consonant skeleton.
    """
    places_a, skeletons_a, size_a = evidence[a]
    places_b, skeletons_b, size_b = evidence[b]
    if places_a and places_b and not places_a & places_b:
        return False
    return min(size_a, size_b) < ESTABLISHED or bool(skeletons_a & skeletons_b)


def registry(doc: Document) -> dict[str, Any]:
    """The document's referents by kind: ``{"people": {key: {"names": {lang: [forms]}, "mentions": n}}, …}``.

    ``names`` lists each language's distinct surface forms (line breaks undone) in order of first
    use; ``name`` is the preferred form per language: the gazetteer's, else for a person the
    fullest name (most words, then shortest: the uninflected one), else the shortest form.
    """
    found: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in REGISTRY_KINDS.values()}
    places = gazetteer()
    for entity in doc.layer("entities"):
        kind = REGISTRY_KINDS.get(entity.label)
        key = entity.attrs.get("norm")
        if kind is None or not key:
            continue
        record = found[kind].setdefault(key, {"names": {}, "mentions": 0})
        record["mentions"] += 1
        forms = record["names"].setdefault(entity.lang or "und", [])
        surface = _clean_name(_surface(doc, entity))
        if surface not in forms:
            forms.append(surface)
    for kind, records in found.items():
        for key, record in records.items():
            entry = places.entries.get(key)
            record["name"] = {lang: entry.names[lang][0] if entry and entry.names.get(lang) else _preferred(forms, kind)
                              for lang, forms in record["names"].items()}
        found[kind] = dict(sorted(records.items()))
    return found


def _preferred(forms: list[str], kind: str) -> str:
    if kind == "people":
        return min(forms, key=lambda f: (-len(_words(f)), len(f), f))
    return min(forms, key=lambda f: (len(f), f))
