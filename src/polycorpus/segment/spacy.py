"""polycorpus's boundary rules as a spaCy component, and blank ``az``/``ru``/``en`` pipelines with it.

``polycorpus_sentences`` is a spaCy factory, registered when this module is imported, so the
rules can run inside any spaCy pipeline (``nlp.add_pipe("polycorpus_sentences")``) and set
``token.is_sent_start`` like spaCy's own ``sentencizer``. The ``segment`` stage's ``spacy``
backend (:class:`polycorpus.segment.SpacySegmenter`) gives the same spans without a pipeline.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleSegmenter

COMPONENT = "polycorpus_sentences"


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

