"""The entity layer as training data: CoNLL IOB2 per language and spaCy DocBin.

Units are the document's sentences, plus the footnote and reference blocks (which are not split
into sentences), each read through the clean view and tokenised with
:func:`polycorpus.entities.backends.tokenize`; a token takes the tag of the entity that contains
its raw span (B- on the entity's first token, I- after). Every unit is written in its own
language's file, so a model can be trained on the Azerbaijani, Russian or English part alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..document import Document, Span
from ..io import atomic_open, write_text
from .backends import tokenize

UNSEGMENTED = ("footnote", "reference")


def units(doc: Document) -> Iterator[tuple[Span, str]]:
    """(span, id) of every sentence and unsegmented block, in reading order."""
    found = [(s, s.id or f"{s.lang}.{s.label}.{s.start}") for s in doc.layer("sentences")]
    if not found:
        found = [(b, f"{b.lang}.{b.label}.{b.start}") for b in doc.blocks() if b.label not in UNSEGMENTED]
    segmented = {s.label for s, _ in found}  # footnotes are sentences of their own in a segmented build
    found += [(b, f"{b.lang}.{b.label}.{b.attrs.get('n', b.start)}") for b in doc.blocks(*UNSEGMENTED)
              if b.label not in segmented]
    return iter(sorted((u for u in found if u[0].lang), key=lambda u: u[0].start))


def tagged_tokens(doc: Document, unit: Span) -> list[tuple[str, str]]:
    """(token, IOB2 tag) of one unit."""
    clean = doc.clean(unit)
    entities = [e for e in doc.layer("entities") if e.start < unit.end and unit.start < e.end]
    tagged = []
    inside: Span | None = None
    for start, end in tokenize(clean.text):
        raw_start, raw_end = clean.to_raw(start, end)
        entity = next((e for e in entities if e.start <= raw_start and raw_end <= e.end), None)
        tag = "O" if entity is None else f"{'I' if entity is inside else 'B'}-{entity.label}"
        inside = entity
        tagged.append((clean.text[start:end], tag))
    return tagged


def conll(doc: Document) -> dict[str, str]:
    """Language -> CoNLL text: ``# sent_id = …`` then one ``token<TAB>tag`` line per token."""
    out: dict[str, list[str]] = {}
    for unit, unit_id in units(doc):
        lines = [f"# sent_id = {doc.name}.{unit_id}"] + [f"{token}\t{tag}" for token, tag in tagged_tokens(doc, unit)]
        out.setdefault(unit.lang, []).append("\n".join(lines) + "\n")
    return {lang: "\n".join(blocks) for lang, blocks in out.items()}


def docbins(doc: Document) -> dict[str, "object"]:
    """Language -> spaCy ``DocBin`` with one ``Doc`` per unit and its entities set."""
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    bins: dict[str, DocBin] = {}
    for unit, unit_id in units(doc):
        tagged = tagged_tokens(doc, unit)
        if not tagged:
            continue
        words = [token for token, _ in tagged]
        spacy_doc = Doc(vocab, words=words, ents=[tag for _, tag in tagged])
        spacy_doc.user_data["id"] = f"{doc.name}.{unit_id}"
        bins.setdefault(unit.lang, DocBin(store_user_data=True)).add(spacy_doc)
    return bins


def write_exports(doc: Document, folder: str | Path) -> list[Path]:
    """``entities.<lang>.conll`` and ``entities.<lang>.spacy`` for every language; returns the paths."""
    folder = Path(folder)
    written = []
    for lang, text in conll(doc).items():
        written.append(folder / f"entities.{lang}.conll")
        write_text(written[-1], text)
    for lang, docbin in docbins(doc).items():
        written.append(folder / f"entities.{lang}.spacy")
        with atomic_open(written[-1], "wb") as handle:
            handle.write(docbin.to_bytes())
    return written
