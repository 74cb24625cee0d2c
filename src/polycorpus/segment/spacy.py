"""The spaCy backend: blank ``az``/``ru``/``en`` pipelines with polycorpus's boundary component.

``polycorpus_sentences`` is a spaCy factory, so the rules can run inside any spaCy pipeline
(``nlp.add_pipe("polycorpus_sentences")``) and set ``token.is_sent_start`` like spaCy's own
``sentencizer``; :class:`SpacySegmenter` is the backend the ``segment`` stage calls.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleSegmenter

COMPONENT = "polycorpus_sentences"
# spaCy keeps every string a pipeline has read (~0.5 kB each); a shared pipeline is made anew
# past this many, so that a process building thousands of articles stays small
MAX_STRINGS = 100_000
_SHARED: dict[str, Language] = {}


class SentenceBoundaries:
    """Sets ``is_sent_start`` on the tokens where :class:`RuleSegmenter` starts a sentence.

    The exact character spans go into ``doc.user_data["polycorpus_sentences"]``: a sentence end
    can fall inside a spaCy token (``idi.1``, where the glued note number is no part of it).
    """

    def __init__(self, lang: str) -> None:
        self.rules = RuleSegmenter(lang)

    def __call__(self, doc: Doc) -> Doc:
        spans = self.rules.split(doc.text)
        doc.user_data[COMPONENT] = spans
        starts = {start for start, _ in spans}
        for i, token in enumerate(doc):
            token.is_sent_start = i == 0 or token.idx in starts
        return doc


@Language.factory(COMPONENT, assigns=["token.is_sent_start", "doc.sents"], default_config={"lang": None})
def make_sentence_boundaries(nlp: Language, name: str, lang: str | None) -> SentenceBoundaries:
    """``lang`` picks the rules and abbreviations; the pipeline's language by default."""
    return SentenceBoundaries(lang or nlp.lang)


def make_pipeline(lang: str) -> Language:
    """A blank pipeline of ``lang`` (spaCy's multi-language ``xx`` if spaCy lacks it) with the rules."""
    try:
        nlp = spacy.blank(lang)
    except ImportError:
        nlp = spacy.blank("xx")
    nlp.add_pipe(COMPONENT, config={"lang": lang})
    return nlp


def shared_pipeline(lang: str) -> Language:
    """``make_pipeline(lang)``, made once per process for every document (making one takes a tenth
    of a second: the tokenizer's exceptions), and anew once it holds ``MAX_STRINGS`` strings."""
    nlp = _SHARED.get(lang)
    if nlp is None or len(nlp.vocab.strings) > MAX_STRINGS:
        nlp = _SHARED[lang] = make_pipeline(lang)
    return nlp


class SpacySegmenter:
    """Sentence spans of plain text: ``split(text) -> [(start, end)]``, end exclusive."""

    name = "spacy"

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.nlp = shared_pipeline(lang)

    @property
    def signature(self) -> str:
        return f"spacy-rules@{spacy.__version__}"

    def split(self, text: str) -> list[tuple[int, int]]:
        return list(self.nlp(text).user_data[COMPONENT])
