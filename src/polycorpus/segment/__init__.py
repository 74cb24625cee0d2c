"""Stage ``segment``: sentences of every front-matter, abstract, heading, paragraph and footnote block.

Each block is segmented in its own language on its clean text (hyphens, line breaks, footnote
markers and furniture removed), and every sentence is mapped back to raw offsets through the
clean view: a sentence keeps its line-end hyphens and never contains a footnote marker.
Titles, front lines, keyword lists and headings are one sentence per block. A footnote is one
sentence in its own language, ``<lang>.footnote.<k>.1`` for the document's k-th note, even when it
holds several references (the gold convention); reference-list entries are not sentences. Other
ids are ``<lang>.<part>.<n>``, numbered in reading order within part and language.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from ..document import Document, Span
from ..registry import backend, load_backend, stage

backend("segment", "spacy", "polycorpus.segment.spacy:SpacySegmenter")
backend("segment", "stanza", "polycorpus.segment.stanza:StanzaSegmenter")

# block kind -> sentence part
WHOLE_BLOCK_PARTS = {"title": "title", "author": "front", "affiliation": "front", "identifiers": "front",
                     "keywords": "keywords", "heading": "heading", "footnote": "footnote"}
SEGMENTED_PARTS = {"abstract": "abstract", "paragraph": "body"}
# author-note marks at the edges of front lines ("БАГИРОВА*", "*Институт")
NOTE_MARKS = "*†‡§"


class Segmenter(Protocol):
    lang: str
    signature: str

    def split(self, text: str) -> list[tuple[int, int]]: ...


def make_segmenter(lang: str, backend_name: str = "spacy", **options: Any) -> Segmenter:
    """The ``backend_name`` segmenter for ``lang`` (``spacy``: rules; ``stanza``: a stanza tokenizer model)."""
    return load_backend("segment", backend_name, lang=lang, **options)


def sentence_spans(doc: Document, segmenters: dict[str, Segmenter]) -> list[Span]:
    """Sentences of ``doc``'s blocks; ``segmenters[lang]`` gives the segmenter of a language."""
    counters: dict[tuple[str, str], int] = {}
    notes = 0
    spans = []
    for block in doc.blocks(*WHOLE_BLOCK_PARTS, *SEGMENTED_PARTS):
        clean = doc.clean(block)
        lang = block.lang or "und"
        if block.label in WHOLE_BLOCK_PARTS:
            part = WHOLE_BLOCK_PARTS[block.label]
            ranges = [_trim(clean.text, NOTE_MARKS)]
        else:
            part = SEGMENTED_PARTS[block.label]
            ranges = segmenters[lang].split(clean.text)
        for start, end in ranges:
            if start >= end:
                continue
            raw_start, raw_end = clean.to_raw(start, end)
            if part == "footnote":
                notes += 1
                sentence_id = f"{lang}.footnote.{notes}.1"
            else:
                n = counters[lang, part] = counters.get((lang, part), 0) + 1
                sentence_id = f"{lang}.{part}.{n}"
            spans.append(doc.span(raw_start, raw_end, part, lang=lang, id=sentence_id))
    return spans


def _trim(text: str, marks: str) -> tuple[int, int]:
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in marks):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return start, end


class Segmenters(dict):
    """One segmenter per language, made by ``factory(lang)`` when a block of that language first needs one."""

    def __init__(self, factory: Callable[[str], Segmenter]) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, lang: str) -> Segmenter:
        self[lang] = self.factory(lang)
        return self[lang]


@stage("segment", requires=("blocks",), assigns=("sentences",), defaults={"backend": "spacy", "model_dir": None})
def segment(doc: Document, backend: str = "spacy", model_dir: str | None = None) -> None:
    options = {"model_dir": model_dir} if backend == "stanza" else {}
    segmenters = Segmenters(lambda lang: make_segmenter(lang, backend, **options))
    doc.set_layer("sentences", sentence_spans(doc, segmenters))
    doc.meta["segment"] = {"backend": backend,
                           "segmenters": {lang: s.signature for lang, s in sorted(segmenters.items())}}
