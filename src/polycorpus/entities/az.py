"""Azerbaijani named-entity recogniser: ordered rules over gazetteers, and a small spaCy model.

No ready Azerbaijani NER model exists offline, so :class:`AzRecognizer` combines

* named rules of the language, each precise on its own (tried in this order; the first to claim
  a token wins): ``quoted_title`` (a quoted title before ``jurnalı``/``qəzeti``/``kitabı``… is a
  WORK, before ``hərəkatı``/``cəmiyyəti``… an ORG, quotes outside; the same quoted title
  without a head word elsewhere in the document too), ``initials``
  (``M.Ə.Rəsulzadə``, ``İ.Stalinin``, a reference list's ``Nəbiyeva G.M.``), ``headed_name``
  (capitalised words ending in an organisation, state, event or document head: ``Qafqaz
  İstiqlal Komitəsi``, ``Dağlı Xalq Cümhuriyyəti``, ``Üzeyir Hacıbəyli adına Bakı Musiqi
  Akademiyası``; lower-case heads of wars, battles and treaties: ``İkinci Dünya müharibəsi``,
  ``Çaldıran döyüşü``, ``Gülüstan müqaviləsi``), ``titled_person`` (``Əli bəy Hüseynzadə``,
  ``Həsən bəyin``, ``marşal J.Pilsudski``), ``regnal`` (``I Xəlilullah``), ``given_name`` (a
  given name of the region, from ``data/gazetteers/given_names.tsv`` and ``names_dataset.tsv``,
  followed by capitalised words), ``gazetteer`` (places and organisations of the package-built
  and hand-made lists, inflection-aware: ``Türkiyə|də``, ``Bakı'da``), ``acronym``
  (``SSRİ-nin``, an abbreviation defined in brackets after a name takes that name's label),
  ``dynasty`` (a capitalised plural: ``Səfəvilər``, ``Hacıbəyovlar``) and ``surname`` (a
  capitalised word with a surname ending, with the given name before it: ``Sultanov|un``);
* the statistical model shipped in ``polycorpus/data/models/az_ner`` (spaCy, blank ``az`` +
  ``ner``, trained on the gold by ``bench/train_az_ner.py``), whose person spans fill what the
  rules left untouched (:func:`model_may_add`).

The texts of one document are read together: a surname seen in a full name, a dynasty named
in the plural and a word written in lower case (a common noun, not the town it also names)
hold in every text. Spans cover whole inflected tokens, do not nest, and leave quotes and
lower-case generic heads outside (tests/data/gold/GUIDELINES.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import ResourceError
from .backends import HeldMemoryZone
from .gazetteer import PACKAGE_BUILT, Entry, az_word_lists, data_lines, fold, gazetteer
from .inflection import az_stems
from .translit import loose_key, name_key

UPPER = "A-ZÇƏĞIİÖŞÜ"
LOWER = "a-zçəğıöşü"
VOWELS = "aeəıioöuü"
WORD = re.compile(rf"(?:[{UPPER}]\.\s?){{1,3}}[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?|\w+(?:[-‐]\w+)*(?:['’][{LOWER}]+)?")
SURNAME_INITIALS = re.compile(rf"(?<![\w.])(?P<surname>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?) (?P<initials>(?:[{UPPER}]\.\s?){{0,2}}[{UPPER}]\.)(?![\w])")
QUOTED = re.compile(r"[“\"«„]([^“”\"«»„]{1,200}?)[”\"»“]")
ROMAN = re.compile(r"^[IVXL]+$")
LABELS = ("PER", "LOC", "ORG", "WORK", "EVENT")
MODEL_DIR = ("data", "models", "az_ner")
# Version of the rules and word lists (VERSION) and of the packaged model's training recipe.
VERSION = "1"
MODEL_VERSION = "1"
MEMO_SIZE = 1 << 16  # answers a Lexicon remembers per question (heads, endings)
TOWN = 500_000  # people in a town that may be named after a person (Engels, Kirovabad)
# "servant of" ending a compound given name, after a given name of three letters or more
COMPOUND_SERVANT = re.compile(r"(?<=\w{3})qulu$")


class Token:
    """A word and its offsets; ``capitalised``: it begins with a capital (asked of every word by
    every rule, so computed once)."""

    __slots__ = ("start", "end", "text", "capitalised")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start, self.end, self.text = start, end, text
        self.capitalised = text[0].isupper()


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    label: str
    rule: str


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """``value`` kept as ``memo[key]``; a full memo starts afresh, so that memory stays bounded
    over a corpus of any size (the callers look ``key`` up first: the rules ask the same
    questions of the same words many times)."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


class Lexicon:
    """The word lists of ``az_words.tsv`` as sets of lower-case stems, and the given names of
    ``given_names.tsv`` (made from a name dictionary by ``tools/make_given_names.py``) as keys."""

    def __init__(self) -> None:
        self.lists = lists = az_word_lists()
        # a word that opens sentences is no name even when a dictionary lists it
        self.given_names = {key for key, *_ in data_lines("given_names.tsv")} \
            - {name_key(word) for word in lists["not_name"]}
        # names-dataset's names as people type them (tools/build_gazetteers.py), by loose_key
        self.typed_given_names = {key for kind, key, _ in data_lines("names_dataset.tsv") if kind == "given"} \
            - {loose_key(word) for word in lists["not_name"]}
        self._heads: dict[tuple[str, str, bool, bool], bool] = {}
        self._endings: dict[tuple[str, str], bool] = {}

    def is_given_name(self, word: str) -> bool:
        """A capitalised word spelled as a given name of the region (``Rəşad``, ``Elçin``, ``Məmməd``),
        or a given name compounded with ``qulu``, "servant of" (``Hüseynqulu``, ``Abbasqulu``)."""
        if not word[:1].isupper() or word.isupper():
            return False
        if name_key(word) in self.given_names or loose_key(word) in self.typed_given_names:
            return True
        servant = COMPOUND_SERVANT.search(word)
        return servant is not None and self.is_given_name(word[:servant.start()])

    def stems(self, word: str) -> list[str]:
        """:func:`az_stems` (which remembers them: the rules ask for the same words many times)."""
        return az_stems(word)

    def is_head(self, kind: str, word: str, plural: bool = True, genitive: bool = True) -> bool:
        """Whether ``word`` is a head of list ``kind`` bare or with plural/possessive/case suffixes
        (``Komitəsinə``, ``jurnalının``) and not a bare genitive or dative (``partiyanın``);
        remembered, as the rules ask about every word for every kind of head."""
        key = (kind, word, plural, genitive)
        found = self._heads.get(key)
        return _remember(self._heads, key, self._is_head(kind, word, plural, genitive)) if found is None else found

    def _is_head(self, kind: str, word: str, plural: bool, genitive: bool) -> bool:
        for stem in self.stems(word):
            if fold(stem) in self.lists[kind]:
                rest = fold(word)[len(stem):]
                if not plural and re.match(r"l[aə]r", rest):
                    return False
                return rest == "" or re.match(r"(?:s?[ıiuü]|l[aə]r)", rest) is not None \
                    or re.fullmatch(r"[dt][aə]n?|l[aə]", rest) is not None \
                    or genitive and re.fullmatch(r"n?[ıiuü]n", rest) is not None
        return False

    def ends_like(self, kind: str, word: str) -> bool:
        """Whether a stem of ``word`` ends with an ending in list ``kind``.

        An ending in ``y`` + vowel must follow a consonant: the Armenian surname ending ``-yan``
        does (``Şaumyan``), the participle ``-yan`` never does (``Oxuyan``, ``Yaşayan``)."""
        found = self._endings.get((kind, word))
        return _remember(self._endings, (kind, word), self._ends_like(kind, word)) if found is None else found

    def _ends_like(self, kind: str, word: str) -> bool:
        return any(fold(stem).endswith(ending) and not (ending[0] == "y" and fold(stem)[-len(ending) - 1] in VOWELS)
                   for stem in self.stems(word) for ending in self.lists[kind] if len(stem) > len(ending) + 2)


@cache
def lexicon() -> Lexicon:
    """The one :class:`Lexicon` of the process, read on first use (the recogniser and the stage's
    given-name rule ask it about every word)."""
    return Lexicon()


class AzRecognizer:
    """Azerbaijani NER: ``find(text)`` → ``[(start, end, label)]`` in ``text``'s offsets.

    ``model=False`` runs the rules alone; the spaCy model is loaded on first use, once.
    """

    def __init__(self, model: bool = True, model_dir: str | None = None) -> None:
        self.use_model = model
        self.model_dir = model_dir
        self._nlp: Any = None
        self._zone: HeldMemoryZone | None = None
        # folded stems of the dynasties named in the texts being read (set by _rules)
        self._document_places: frozenset[str] = frozenset()
        # folded quoted titles of the texts being read -> the label a head word gave them (set by _rules)
        self._document_titles: dict[str, str] = {}

    # -- resources ---------------------------------------------------------------------------
    @property
    def lexicon(self) -> Lexicon:
        return lexicon()

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            import spacy

            with resources.as_file(resources.files("polycorpus").joinpath(*MODEL_DIR)) as shipped:
                path = Path(self.model_dir) if self.model_dir else shipped
                try:
                    self._nlp = spacy.load(path)
                except OSError as exc:
                    raise ResourceError(path, f"the Azerbaijani NER model cannot be loaded ({exc}); "
                                              "rebuild it with tools/train_az_ner.py") from None
        return self._nlp

    @property
    def model_info(self) -> dict[str, Any]:
        """Version and training signature of the shipped model (``training.json``)."""
        path = resources.files("polycorpus").joinpath(*MODEL_DIR, "training.json")
        return json.loads(path.read_text(encoding="utf-8"))

    # -- recognition -------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str]]:
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """``find`` over the texts of one document (its sentences or blocks, in order).

        A surname seen in a full name anywhere in the document (``Heydər Bammat``,
        ``İ.Stalinin``) marks the surname alone elsewhere (``Bammat``, ``Stalinin``).
        """
        return self._with_model(texts, self._rules(texts))

    def find_each(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """The texts of one document read together, as :meth:`find_many` (the name the entities
        backend calls): surnames carry over from one text to another since that measured better
        on every development article left out (bench/train_az_ner.py --loao)."""
        return self.find_many(texts)

    def _rules(self, texts: list[str]) -> list[list[Found]]:
        """The rules' spans of texts read together: words written in lower case, dynasties
        (:meth:`_gazetteer`, :meth:`_place`) and surnames are the document's."""
        common = frozenset(fold(stem) for word in _lower_words(texts) for stem in self.lexicon.stems(word))
        words = [tokens(text) for text in texts]
        # "Qaraqoyunlular" in one sentence makes "Qaraqoyunlu" a place in the others
        self._document_places = frozenset()
        self._document_places = frozenset(
            fold(self._dynasty_stem(text[f.start:f.end]) or "") for text, found in zip(texts, words)
            for f in self._dynasty(text, found, [], common) if f.label == "LOC")
        # "“Koroğlu” operası" in one sentence makes "“Koroğlu”" a work in the others
        self._document_titles = {}
        self._document_titles = {_quoted_key(quote.group(1)): label for text, found in zip(texts, words)
                                 for quote, label in self._quote_labels(text, found) if label}
        early = [self._early_claims(text, found, common) for text, found in zip(texts, words)]
        first = [self._late_claims(text, *claims) for text, claims in zip(texts, early)]
        surnames = {fold(stem) for text, found in zip(texts, first) for f in found
                    if f.label == "PER" and f.rule != "surname"
                    for stem in _surname_stems(text[f.start:f.end])}
        if not surnames:
            return first
        return [self._late_claims(text, *claims, surnames) for text, claims in zip(texts, early)]

    def _with_model(self, texts: list[str], ruled: list[list[Found]]) -> list[list[tuple[int, int, str]]]:
        """The rules' spans plus the model's where it may add (:func:`model_may_add`, :func:`combine`);
        the model reads, in one batch, only the texts where it could add anything."""
        if self.use_model:
            added: list[list[Found]] = [[] for _ in texts]
            wanted = [i for i, (text, found) in enumerate(zip(texts, ruled)) if model_could_add(text, found)]
            for i, spans in zip(wanted, self.model_spans([texts[i] for i in wanted])):
                added[i] = [f for f in spans if model_may_add(texts[i], f)]
            ruled = [combine(found, more) for found, more in zip(ruled, added)]
        return [[(f.start, f.end, f.label) for f in found] for found in ruled]

    def model_spans(self, texts: list[str]) -> list[list[Found]]:
        """The model's spans of each text; one batch (spaCy keeps the texts apart inside it), in a
        memory zone held over documents (:class:`~polycorpus.entities.backends.HeldMemoryZone`)."""
        if self._zone is None:
            self._zone = HeldMemoryZone(self.nlp)
        self._zone.reading(texts)
        return [[Found(e.start_char, e.end_char, e.label_, "model") for e in doc.ents if e.label_ in LABELS]
                for doc in self.nlp.pipe(texts)]

    def _early_claims(self, text: str, words: list[Token],
                      common: frozenset[str] = frozenset()) -> tuple[list[Token], list[Found]]:
        """The text's words (:func:`tokens`) and what the rules before ``known_person`` claim: these
        do not depend on the surnames known, so a second reading with surnames starts from here.
        ``common``: folded stems of the words the texts write in lower case (:func:`_lower_words`)."""
        claimed: list[Found] = []

        def places(text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
            return self._gazetteer(text, words, claimed, common)

        def dynasties(text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
            return self._dynasty(text, words, claimed, common)

        for rule in (self._quoted_title, self._initials, self._headed_name, self._titled_person, self._regnal,
                     self._given_name, places, self._acronym, dynasties):
            _claim(claimed, rule(text, words, claimed))
        return words, claimed

    def _late_claims(self, text: str, words: list[Token], early: list[Found],
                     surnames: set[str] = frozenset()) -> list[Found]:
        """All the rules' spans: ``early`` and the later rules'; ``surnames`` (folded stems) are
        people known from elsewhere in the document."""
        claimed = list(early)

        def known_person(text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
            for word in words:
                if word.capitalised and any(fold(stem) in surnames for stem in self.lexicon.stems(word.text)):
                    yield Found(word.start, word.end, "PER", "known_person")

        for rule in (known_person, self._surname):
            _claim(claimed, rule(text, words, claimed))
        claimed.extend(_aliases(text, words, claimed))
        return _join_genitive_chains(text, sorted(claimed, key=lambda f: (f.start, f.end)))

    # -- rules (each yields candidates; earlier rules win overlaps) --------------------------
    def _quote_labels(self, text: str, words: list[Token]) -> list[tuple[re.Match[str], str | None]]:
        """Each quoted phrase of ``text`` and the label the words after it give (:meth:`_quote_label`)."""
        quotes = list(QUOTED.finditer(text))
        labels = [self._quote_label(text, words, quote) for quote in quotes]
        # "“A” (1927), sonra “B” və “C” qəzeti": a list of quoted titles shares the last one's head.
        for i in range(len(quotes) - 2, -1, -1):
            between = re.sub(r"\([^()]*\)", " ", text[quotes[i].end():quotes[i + 1].start()])
            if labels[i] is None and labels[i + 1] and all(w in LIST_WORDS for w in between.replace(",", " , ").split()):
                labels[i] = labels[i + 1]
        return list(zip(quotes, labels))

    def _quoted_title(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        """A quoted title with a head word after it (:meth:`_quote_labels`), or without one when the
        document quotes the same title with a head word elsewhere (``“Koroğlu” operası``)."""
        for quote, label in self._quote_labels(text, words):
            label = label or self._document_titles.get(_quoted_key(quote.group(1)))
            if label is None:
                continue
            inner = _trimmed(text, quote.start(1), quote.end(1))
            if inner and text[inner[0]].isupper():
                yield Found(inner[0], inner[1], label, "quoted_title")
                # "“Dni” (Günlər) qəzetində": a translated title in brackets is the same work.
                bracket = re.match(r"\s*\(([^()“”\"]{1,80})\)", text[quote.end():])
                if bracket:
                    translated = _trimmed(text, quote.end() + bracket.start(1), quote.end() + bracket.end(1))
                    if translated and text[translated[0]].isupper() and not re.search(r"\d", bracket.group(1)):
                        yield Found(translated[0], translated[1], label, "quoted_title")

    def _quote_label(self, text: str, words: list[Token], quote: re.Match[str]) -> str | None:
        inner_words = quote.group(1).split()
        if not inner_words or len(inner_words) > 10:
            return None
        # “Azərbaycan istiqlal mübarizəsi”ndə: a case suffix glued to a title.
        if re.match(rf"[{LOWER}]", text[quote.end():quote.end() + 1]):
            return None if all(self._place(w) for w in inner_words) else "WORK"
        after = [w for w in words if w.start >= quote.end() and not _in_brackets(text, quote.end(), w.start)][:6]
        titled = bool(after) and fold(after[0].text) in TITLED
        if titled:
            after = after[1:]
        for position, word in enumerate(after[:4 if titled else 1]):
            if word.capitalised:
                return None
            for kind, label in (("work_word", "WORK"), ("org_word", "ORG")):
                if self.lexicon.is_head(kind, word.text, genitive=False):
                    return label
        return None

    def _initials(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        # "Nəbiyeva G.M.": a reference list's surname before the initials, final period inside
        inverted = [(m.start(), m.end("initials")) for m in SURNAME_INITIALS.finditer(text)
                    if not self._place(m.group("surname")) and not self._is_any_head(m.group("surname"))
                    and not self._sentence_opener(Token(m.start(), m.end("surname"), m.group("surname")))]
        for start, end in inverted:
            yield Found(start, end, "PER", "initials")
        for i, word in enumerate(words):
            if i + 1 < len(words) and words[i + 1].text == "adına":
                continue  # "Z.M.Bünyadov adına Şərqşünaslıq İnstitutu": inside the organisation's name
            if "." in word.text and not any(word.start < end and start < word.end for start, end in inverted):
                yield Found(word.start, word.end, "PER", "initials")

    def _headed_name(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        heads = (("org_head", "ORG"), ("state_head", "LOC"), ("event_head", "EVENT"), ("work_head", "WORK"))
        for i, word in enumerate(words):
            label = next((lab for kind, lab in heads if self.lexicon.is_head(kind, word.text)), None)
            if label is None or i == 0:
                continue
            if not word.capitalised:
                # "İkinci Dünya müharibəsi", "Çaldıran döyüşü", "Gülüstan müqaviləsi": lower-case heads
                # of wars, battles and revolutions, and of treaties named after a place
                label = next((lab for kind, lab in (("lower_event_head", "EVENT"), ("lower_work_head", "WORK"))
                              if self.lexicon.is_head(kind, word.text)), None)
                if label is None or not _bare(words[i - 1].text):
                    continue
            first = self._name_start(text, words, i, stop_at_heads=label != "WORK", label=label)
            if first == i:
                continue
            if label == "ORG":
                first = _named_after(text, words, first, self.lexicon.lists["not_name"])
            yield Found(words[first].start, word.end, label, "headed_name")
        # "Müsavat partiyasının", "Prometey hərəkatı": a name before a lower-case head, head outside.
        for i, word in enumerate(words[1:], 1):
            if word.capitalised or not self.lexicon.is_head("org_word", word.text, plural=False):
                continue
            first = self._name_start(text, words, i, stop_at_heads=True, label="ORG")
            name = text[words[first].start:words[i - 1].end]
            if first < i and first >= i - 3 and all(_bare(w.text) for w in words[first:i]) \
                    and not (gazetteer().lookup(name, "az") and gazetteer().lookup(name, "az").label == "LOC"):
                yield Found(words[first].start, words[i - 1].end, "ORG", "headed_name")

    def _name_start(self, text: str, words: list[Token], head: int, stop_at_heads: bool, label: str = "") -> int:
        """Index of the first word of the capitalised run before ``words[head]``."""
        first = head
        j = head - 1
        while j >= 0:
            word = words[j]
            if text[word.end:words[j + 1].start] != " ":
                break
            if word.capitalised or ROMAN.match(word.text):
                if "." in word.text or self._oblique(word.text) or (stop_at_heads and self._is_any_head(word.text)) \
                        or self._person_word(word.text):
                    break
                if _opens_sentence(text, word.start) and not self._known_name(word.text) \
                        and not (label in ("EVENT", "ORG") and not self._sentence_opener(word)):
                    break
                first = j
                j -= 1
                continue
            # "Şimali Qafqaz və Dağıstan Dağlılar İttifaqı", "Millətlər üzrə Xalq Komissarlığı"
            # "Opera və Balet Teatrı", "Memarlıq və İncəsənət İnstitutu"
            if word.text in ("və", "üzrə") and j > 0 and first == j + 1 and words[j - 1].capitalised \
                    and (word.text == "üzrə" or label in ("WORK", "ORG") or self._place(words[j - 1].text)):
                j -= 1
                continue
            break
        return first

    def _locative(self, word: str) -> bool:
        """A word in the locative (``Şəkidə``, ``Kərbəlada``): a place, not the end of a person's name
        (unless a surname: ``Məmmədquluzadə``)."""
        return re.search(r"d[aə]$", fold(word)) is not None and not self.lexicon.ends_like("surname_end", word)

    def _person_word(self, word: str) -> bool:
        """A surname ("Topçubaşov Paris Sülh Konfransı" is not one name) or a personal title."""
        lists = self.lexicon.lists
        return fold(word) in lists["inner_title"] or (self.lexicon.ends_like("surname_end", word)
                                                       and not self._place(word) and not self._is_any_head(word))

    def _is_any_head(self, word: str) -> bool:
        return any(self.lexicon.is_head(kind, word, plural=False) and fold(word) not in self.lexicon.lists[kind]
                   for kind in ("org_head", "state_head", "event_head", "work_head"))

    def _oblique(self, word: str) -> bool:
        """An inflected form that cannot sit inside a name: locative, ablative, dative or accusative
        of a known place (``İstanbulda``, ``Azərbaycanı``); the genitive can (``Azərbaycanın Müvəqqəti Hökuməti``)."""
        if re.search(r"(?:d[aə]n?|d[aə]kı|d[aə]ki)$", fold(word)) and len(self.lexicon.stems(word)) > 1 \
                and not self._place(word, inflected=False):
            return True
        places = gazetteer()
        for stem in self.lexicon.stems(word)[1:]:
            if places.lookup(stem, "az") and not re.fullmatch(r"n?[ıiuü]n", fold(word[len(stem):])):
                return True
        return False

    def _place(self, word: str, inflected: bool = True) -> bool:
        """A place of the gazetteer or one the document names as a dynasty (:meth:`_dynasty`)."""
        places = gazetteer()
        return any(places.lookup(stem, "az") or fold(stem) in self._document_places
                   for stem in (self.lexicon.stems(word) if inflected else [word]))

    def _named_after_person(self, word: str) -> bool:
        """A town of the package lists (under :data:`TOWN` people) written bare after a given name
        is the person it is named after ("Fridrix Engels", not the town Engels; "Lüdviq Nobel Bakı"
        stays two names)."""
        entry = gazetteer().lookup(word, "az")
        return entry is not None and entry.source in PACKAGE_BUILT and 0 < entry.population < TOWN

    def _document_place(self, stem: str) -> Entry | None:
        """A dynasty the document names elsewhere (:meth:`_dynasty`), as a gazetteer entry (of
        no source: the lower-case singular does not make it a common noun)."""
        folded = fold(stem)
        return Entry(folded, "LOC") if folded in self._document_places else None

    def _known_name(self, word: str) -> bool:
        """A word that can open a sentence and still begin a name: a place, a given name, an abbreviation."""
        lists = self.lexicon.lists
        return self._place(word) or word.isupper() or self.lexicon.is_given_name(word) or fold(word) in lists["ordinal"]

    def _titled_person(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        lists = self.lexicon.lists
        titles = lists["inner_title"] | lists["outer_title"]

        def joined(word: Token, nxt: Token | None) -> bool:
            """The title runs on into a capitalised word after it that is no place."""
            return nxt is not None and nxt.capitalised and _joins(text[word.end:nxt.start]) and not self._place(nxt.text)

        for i, word in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else None
            low = fold(word.text)
            if not word.capitalised and i > 0 and self._is_title(word.text) and self._name_before(text, words, i):
                # "Əli bəy Hüseynzadə", "Həsən bəyin", "Cavad xan": a lower-case title after a name stays inside
                start = i - 1
                before = words[start - 1] if start > 0 else None
                if before and self._name_before(text, words, start) \
                        and (not _opens_sentence(text, before.start) or self._known_name(before.text)):
                    start -= 1
                last = nxt if low in lists["inner_title"] and joined(word, nxt) else word
                yield Found(words[start].start, last.end, "PER", "titled_person")
            elif low in titles and joined(word, nxt):
                end = i + 1
                while end + 1 < len(words) and text[words[end].end:words[end + 1].start] == " " and end - i < 4 \
                        and (words[end + 1].capitalised or fold(words[end + 1].text) in PARTICLES) \
                        and (_bare(words[end].text) or self.lexicon.is_given_name(words[end].text)) \
                        and not self._locative(words[end + 1].text) and not self._place(words[end + 1].text):
                    end += 1
                while fold(words[end].text) in PARTICLES:
                    end -= 1
                # "İmam Şamilin": a capitalised title is part of the name; "marşal Pilsudski": a lower-case one is not
                begin = word if word.capitalised and (low in lists["inner_title"] or not _opens_sentence(text, word.start)) \
                    else nxt
                yield Found(begin.start, words[end].end, "PER", "titled_person")

    def _is_title(self, word: str) -> bool:
        """A title kept inside a name, bare or inflected (``bəy``, ``bəyin``, ``xanla``, ``xanım``)."""
        return self.lexicon.is_head("inner_title", word, plural=False)

    def _name_before(self, text: str, words: list[Token], i: int) -> bool:
        """Whether ``words[i - 1]`` can be the word of a name before ``words[i]``: capitalised, only
        white space between (a line break too), not a sentence opener and not a place or a
        place's case form (``Şuşada Əbdürrəhim bəy``)."""
        before, word = words[i - 1], words[i]
        gap = text[before.end:word.start]
        return before.capitalised and _joins(gap) and not self._locative(before.text) \
            and not self._sentence_opener(before) and not self._place(before.text) and not self._is_any_head(before.text)

    def _regnal(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        """"I Xəlilullah", "III İvanın": a ruler's ordinal in Roman numerals before the name. The
        name is one capitalised word, not a place or a head, and what follows is not a name's
        next word or head (``I Dünya müharibəsi``, ``II Beynəlxalq Konfrans``)."""
        for i, word in enumerate(words[:-1]):
            name = words[i + 1]
            after = words[i + 2] if i + 2 < len(words) else None
            if not ROMAN.match(word.text) or not name.capitalised or name.text.isupper() \
                    or text[word.end:name.start] != " " or self._place(name.text) or self._is_any_head(name.text):
                continue
            if after is not None and text[name.end:after.start] == " " \
                    and (after.capitalised or self._is_any_head(after.text) or self.lexicon.is_head("lower_event_head", after.text)):
                continue
            yield Found(word.start, name.end, "PER", "regnal")

    def _dynasty_stem(self, word: str) -> str | None:
        """The stem before a plural suffix (``Ağqoyunluların`` → ``Ağqoyunlu``)."""
        folded = fold(word)
        return next((stem for stem in self.lexicon.stems(word)
                     if len(stem) >= 4 and re.match(r"l[aə]r", folded[len(stem):])), None)

    def _dynasty(self, text: str, words: list[Token], claimed: list[Found],
                 common: frozenset[str] = frozenset()) -> Iterator[Found]:
        """A capitalised plural inside a sentence names a dynasty or state after its founder
        (``Səfəvilər``, ``Şirvanşahlara``; Azerbaijani writes peoples in lower case: ``türklər``),
        or a family when the stem is a surname (``Hacıbəyovlar``); not a plural that ``common``
        (the document's lower-case stems) holds (``Xəbərləri``, a journal's "News"; the singular
        may be a common noun: ``şirvanşah``, the ruler, beside ``Şirvanşahlar``, the dynasty)."""
        for i, word in enumerate(words):
            if not word.capitalised or word.text.isupper() or _opens_sentence(text, word.start) \
                    or self._is_any_head(word.text) or self._place(word.text):
                continue
            if i + 1 < len(words) and words[i + 1].capitalised and text[word.end:words[i + 1].start] == " ":
                continue  # a word inside a longer name
            stem = self._dynasty_stem(word.text)
            if stem is None or fold(word.text)[:len(stem) + 3] in common or any(fold(stem) in self.lexicon.lists[kind] for kind in NOUN_LISTS):
                continue  # "Şuralar", "Komitələr": heads, not names
            label = "PER" if self.lexicon.ends_like("surname_end", stem) else "LOC"
            yield Found(word.start, word.end, label, "dynasty")

    def _sentence_opener(self, word: Token) -> bool:
        """A capitalised word that is no name: a word of ``not_name`` or a head noun in any case
        form (``Komitənin``, ``Jurnalın``)."""
        lists = self.lexicon.lists
        return fold(word.text) in lists["not_name"] \
            or any(fold(stem) in lists[kind] for stem in self.lexicon.stems(word.text) for kind in NOUN_LISTS)

    def _given_name(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        i = 0
        while i < len(words):
            if self.lexicon.is_given_name(words[i].text) and not self._place(words[i].text, inflected=False):
                end = i
                while end + 1 < len(words) and words[end + 1].capitalised and end - i < 3 \
                        and text[words[end].end:words[end + 1].start] == " " \
                        and (end == i or _bare(words[end].text)) \
                        and (not self._place(words[end + 1].text) or self._named_after_person(words[end + 1].text)) \
                        and not self._is_any_head(words[end + 1].text) \
                        and not self._locative(words[end + 1].text):
                    end += 1
                if end > i:
                    yield Found(words[i].start, words[end].end, "PER", "given_name")
                i = end + 1
                continue
            i += 1

    def _gazetteer(self, text: str, words: list[Token], claimed: list[Found],
                   common: frozenset[str] = frozenset()) -> Iterator[Found]:
        """Places and organisations of the gazetteer; a one-word name that the texts also write in
        lower case is a common noun there (``Kitabda``, ``Sarayın``: the cities Kitab, Saray). In a
        heading set in capitals and read in sentence case (:func:`_cased_heading`) a name may be
        in lower case (``rusİya``)."""
        places = gazetteer()
        longest = places.longest_name("az")
        heading = _cased_heading(text)
        # run[i]: words from words[i] on, each capitalised (but in a heading) and one space apart
        run = [1] * len(words)
        for i in range(len(words) - 2, -1, -1):
            if (heading or words[i + 1].capitalised) and text[words[i].end:words[i + 1].start] == " ":
                run[i] = run[i + 1] + 1
        for i, word in enumerate(words):
            if not (word.capitalised or heading):
                continue
            for size in range(min(longest, run[i]), 0, -1):
                span = words[i:i + size]
                head = text[word.start:span[-1].start]
                entry, stem = next(((found, stem) for stem in self.lexicon.stems(span[-1].text)
                                    if (found := places.lookup(head + stem, "az"))
                                    or size == 1 and (found := self._document_place(stem))), (None, ""))
                if entry is not None:
                    following = next((w for w in words[i + size:i + size + 1]), None)
                    # "Osmanlı dilinin", "İsveç dilində": a language, not the place
                    if size == 1 and (self._sentence_opener(word) or fold(stem) in common and entry.source) \
                            or following and fold(following.text).startswith("dil"):
                        break
                    yield Found(word.start, span[-1].end, entry.label, "gazetteer")
                    break
            else:
                # "Türkiyə-Sovet", "Sovet-Türkiyə münasibətləri": a place inside a hyphenated compound
                offset = word.start
                for part in word.text.split("-") if "-" in word.text else ():
                    entry = next((e for stem in self.lexicon.stems(part) if (e := places.lookup(stem, "az"))), None)
                    if entry is not None and part[:1].isupper() and entry.label == "LOC":
                        yield Found(offset, offset + len(part), "LOC", "gazetteer")
                    offset += len(part) + 1

    def _acronym(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        places = gazetteer()
        for word in words:
            stem = self.lexicon.stems(word.text)[-1] if "-" in word.text else word.text
            if not (2 <= len(stem) <= 6 and stem.isupper() and stem.isalpha()) or ROMAN.match(stem):
                continue
            entry = places.lookup(stem, "az")
            label = entry.label if entry else None
            # "Qafqaz İstiqlal Komitəsi (QİK)": the abbreviation takes the label of the name before it.
            if label is None and text[:word.start].rstrip().endswith("("):
                label = next((c.label for c in claimed if 0 <= word.start - c.end <= 3), None)
            if label is None:
                label = next((c.label for c in claimed if _initials_of(text[c.start:c.end]) == fold(stem)), "ORG")
            yield Found(word.start, word.end, label, "acronym")

    def _surname(self, text: str, words: list[Token], claimed: list[Found]) -> Iterator[Found]:
        """A capitalised word with a surname ending (``Sultanov|un``), with the given name before
        it (``Hüseynqulu Sarabskinin``, ``Murtuza Məmmədov``): a bare capitalised word that opens
        no sentence, or a given name."""
        for i, word in enumerate(words):
            if word.capitalised and not word.text.isupper() and not self._sentence_opener(word) \
                    and self.lexicon.ends_like("surname_end", word.text) and not self._is_any_head(word.text) \
                    and not self._place(word.text):
                start = word
                if i > 0 and self._name_before(text, words, i) and _bare(words[i - 1].text) \
                        and not words[i - 1].text.isupper() and "." not in words[i - 1].text \
                        and not any(c.start < words[i - 1].end and words[i - 1].start < c.end for c in claimed) \
                        and (not _opens_sentence(text, words[i - 1].start) or self.lexicon.is_given_name(words[i - 1].text)):
                    start = words[i - 1]
                yield Found(start.start, word.end, "PER", "surname")


# Lists of common nouns that name kinds of things (heads of names, words after quoted titles).
NOUN_LISTS = ("org_head", "state_head", "event_head", "work_head", "work_word", "org_word")
# Words allowed between the quoted titles of a list; words that introduce a title ("adlı").
LIST_WORDS = {",", "və", "ilə", "sonra", "həmçinin", "habelə", "eləcə", "də", "da", "isə"}
TITLED = {"adlı", "adında", "sərlövhəli", "başlıqlı", "adı"}
# Lower-case particles inside personal names.
PARTICLES = {"fon", "von", "de", "van", "der", "ibn", "əl", "oğlu", "qızı"}


def _claim(claimed: list[Found], candidates: Iterable[Found]) -> None:
    """A rule's candidates, longest first, added to ``claimed`` where they overlap no earlier claim."""
    for found in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if not any(found.start < c.end and c.start < found.end for c in claimed):
            claimed.append(found)


def _quoted_key(phrase: str) -> str:
    """A quoted phrase as the document's titles are looked up: folded, one space between words."""
    return " ".join(fold(phrase).split())


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _in_brackets(text: str, start: int, position: int) -> bool:
    between = text[start:position]
    return between.count("(") > between.count(")")


def _bare(word: str) -> bool:
    """A word without a case ending that would end a name (locative, ablative, genitive…)."""
    return not re.search(r"(?:d[aə]n?|n[ıiuü]n|[ıiuü]n|d[aə]kı|d[aə]ki)$", fold(word)) or len(word) < 5


def _named_after(text: str, words: list[Token], first: int, openers: set[str]) -> int:
    """The first word of an organisation's name with what it is named after: "Üzeyir Hacıbəyli
    adına Bakı Musiqi Akademiyası", "AMEA Z.M.Bünyadov adına Şərqşünaslıq İnstitutu" (the person
    in up to three capitalised words, the parent body's abbreviation before it)."""
    if first < 2 or words[first - 1].text != "adına":
        return first
    start = first - 1
    while start > 0 and first - 1 - start < 3 and words[start - 1].capitalised and not words[start - 1].text.isupper() \
            and _joins(text[words[start - 1].end:words[start].start]) and fold(words[start - 1].text) not in openers:
        start -= 1
    if start == first - 1:
        return first
    if start > 0 and words[start - 1].text.isupper() and len(words[start - 1].text) > 1 \
            and _joins(text[words[start - 1].end:words[start].start]):
        start -= 1
    return start


def _joins(gap: str) -> bool:
    """Whether the text between two words lets them be one name: white space, a line break but
    not a blank line."""
    return gap.isspace() and "\n\n" not in gap and len(gap) < 4


def _cased_heading(text: str) -> bool:
    """A heading set in capitals and read in sentence case (``Cənubİ qafqazin rusİya``): the
    capital İ, which has no one-letter lower case, is left inside a word."""
    return re.search(rf"[{LOWER}][{UPPER}]", text) is not None


def _lower_words(texts: list[str]) -> set[str]:
    """Words that the texts write in lower case, not after a hyphen (``Türkiyə-sovet``); a
    heading set in capitals says nothing (:func:`_cased_heading`)."""
    return {word for text in texts if not _cased_heading(text)
            for word in re.findall(rf"(?<![\w-])[{LOWER}]+(?![\w-])", text)}


def _opens_sentence(text: str, start: int) -> bool:
    """Nothing but white space before ``start``, or a sentence's end (asked of every capital of
    a text: read back from ``start``, not by copying what comes before it)."""
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start == 0 or text[start - 1] in ".!?:;"


def _join_genitive_chains(text: str, found: list[Found]) -> list[Found]:
    """"Azərbaycan Milli Elmlər Akademiyasının Tarix İnstitutu": an organisation in the genitive
    followed by a headed one is a single name (no nesting: the longest name)."""
    joined: list[Found] = []
    for item in found:
        last = joined[-1] if joined else None
        if last and last.label == "ORG" and item.label == "ORG" and item.rule == "headed_name" \
                and text[last.end:item.start] == " " and re.search(r"n?[ıiuü]n$", text[last.start:last.end]):
            joined[-1] = Found(last.start, item.end, "ORG", "headed_name")
            continue
        joined.append(item)
    return joined


def _surname_stems(name: str) -> list[str]:
    """Stems of the last word of a full personal name (two words or more, or initials + surname)."""
    words = name.replace(".", ". ").split()
    if len(words) < 2 or len(words[-1]) < 3:
        return []
    return az_stems(words[-1])


def _aliases(text: str, words: list[Token], claimed: list[Found]) -> list[Found]:
    """"Mustafa Vəkilov (Vəkilli)": one capitalised word in brackets right after a person is that person."""
    found = []
    for person in claimed:
        if person.label != "PER":
            continue
        match = re.match(rf"\s?\(([{UPPER}][{LOWER}]+)\)", text[person.end:])
        if match:
            start = person.end + match.start(1)
            if not any(start < c.end and c.start < start + len(match.group(1)) for c in claimed):
                found.append(Found(start, person.end + match.end(1), "PER", "alias"))
    return found


def _initials_of(name: str) -> str:
    return "".join(fold(w)[0] for w in name.split() if w[:1].isupper())


def model_may_add(text: str, found: Found) -> bool:
    """Whether a model span may fill a gap the rules left: chosen by cross-validated F1
    (bench/train_az_ner.py), only people, capitalised and not opening a sentence; the model's
    places and organisations added more errors than names where the rules were silent."""
    words = text[found.start:found.end].split()
    return found.label == "PER" and all(w[:1].isupper() for w in words) and not _opens_sentence(text, found.start)


def model_could_add(text: str, rules: list[Found]) -> bool:
    """Whether a model span could pass :func:`model_may_add` and overlap no rule span.

    Such a span's first word is capitalised and does not open a sentence, so it needs a capital
    letter outside the rule spans that does not open a sentence. Text with white space other
    than single spaces between words is always read: the model's tokens could then be white
    space alone, a span of which has no first word.
    """
    if " ".join(text.split()) != text:
        return True
    covered = bytearray(len(text))
    for found in rules:
        covered[found.start:found.end] = b"\x01" * (found.end - found.start)
    return any(char.isupper() and not covered[i] and not _opens_sentence(text, i) for i, char in enumerate(text))


def combine(rules: list[Found], model: list[Found]) -> list[Found]:
    """Rule spans, plus the model's spans that overlap none of them."""
    kept = list(rules)
    for found in model:
        if not any(found.start < r.end and r.start < found.end for r in kept):
            kept.append(found)
    return sorted(kept, key=lambda f: (f.start, f.end))
