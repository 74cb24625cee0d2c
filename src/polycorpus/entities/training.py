"""Training of the Azerbaijani recogniser's statistical model on gold articles.

:func:`fit` is the learned-part interface of the entities stage: it trains a blank ``az`` spaCy
``ner`` pipeline on the Azerbaijani gold sentences of the given articles and returns the config
override that makes the entities stage read with it. ``tools/train_az_ner.py`` calls it
on every development article to make the shipped model.

The gold entity spans are raw offsets; every gold sentence is read through the document's clean
view (soft hyphens and line breaks undone, as the structure stage does) and its gold entities are
mapped into sentence-relative clean offsets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Document, Span
from ..gold import load_gold

NAME_LABELS = ("PER", "LOC", "ORG", "WORK", "EVENT")
EPOCHS = 15


@dataclass
class Sentence:
    id: str
    lang: str
    part: str
    text: str
    entities: list[tuple[int, int, str]]          # clean offsets, labels without DATE
    dates: list[tuple[int, int, str]]              # clean offsets, ISO value
    raw_entities: list[Span] = field(default_factory=list)
    start: int = 0


def mark_line_ends(doc: Document) -> None:
    """Edit layers for line-end hyphens, as the structure stage makes them.

    A hyphen between two lower-case letters at a line end is a soft hyphen (``mər-\\nhələ``);
    after a digit or a capital it stays and only the line break goes (``1940-\\n1946``,
    ``İdel-\\nUral``).
    """
    hyphens, breaks = [], []
    for match in re.finditer(r"(?<=(\w))-[ \t]*\n\s*(?=(\w))", doc.raw):
        left, right = match.group(1), match.group(2)
        if left.islower() and right.islower():
            hyphens.append(doc.span(match.start(), match.end(), "hyphen"))
        else:
            breaks.append(doc.span(match.start() + 1, match.end(), "linebreak"))
    doc.set_layer("hyphen", hyphens, overwrite=True)
    doc.set_layer("linebreak", breaks, overwrite=True)


def mark_footnote_zones(doc: Document) -> None:
    """Furniture for the footnotes and page header inside body sentences that cross a page.

    The zone starts at the footnote rule (a line of spaces) and ends after the page number of
    the next page, or, on the same page, where the body resumes on a line opening with a space.
    """
    zones = []
    for sentence in doc.layer("sentences"):
        text = doc.text(sentence)
        rule = re.search(r"\n[ ]{20,}\n", text)
        if not rule:
            continue
        rest = text[rule.end():]
        page = list(re.finditer(r"\n\n\d{1,3} \n\n", rest))
        resumes = [m.start() + 1 for m in re.finditer(r"\n (?=\S)", rest)]
        if not page and not resumes:
            continue  # a layout without the rule-to-page-number pattern: the sentence is left as it is
        resume = page[-1].end() if page else resumes[-1]
        zones.append(doc.span(sentence.start + rule.start(), sentence.start + rule.end() + resume, "furniture"))
    doc.set_layer("furniture", zones, overwrite=True)


def gold_sentences(doc: Document) -> list[Sentence]:
    """Every gold sentence as clean text with its gold entities in clean offsets."""
    mark_line_ends(doc)
    mark_footnote_zones(doc)
    entities = doc.layer("entities")
    sentences = []
    for sentence in doc.layer("sentences"):
        clean = doc.clean(sentence)
        names, dates, inside = [], [], []
        for entity in entities:
            if entity.start >= sentence.start and entity.end <= sentence.end:
                found = clean.from_raw(entity.start, entity.end)
                if found is None:
                    continue
                inside.append(entity)
                if entity.label == "DATE":
                    dates.append((found[0], found[1], entity.attrs["norm"]))
                else:
                    names.append((found[0], found[1], entity.label))
        sentences.append(Sentence(sentence.id, sentence.lang, sentence.label, clean.text, names, dates, inside,
                                  sentence.start))
    return sentences


def train_model(sentences: list[Sentence], epochs: int = EPOCHS, seed: int = 0):
    """A blank ``az`` spaCy pipeline with one ``ner`` component trained on the sentences' gold."""
    import random

    import spacy
    from spacy.training import Example
    from spacy.util import minibatch

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("az")
    ner = nlp.add_pipe("ner")
    for label in NAME_LABELS:
        ner.add_label(label)
    examples = []
    for sentence in sentences:
        doc = nlp.make_doc(sentence.text)
        spans = [(s, e, l) for s, e, l in sentence.entities if doc.char_span(s, e, l) is not None]
        examples.append(Example.from_dict(doc, {"entities": spans}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, drop=0.2, sgd=optimizer)
    return nlp


def article_sentences(articles: list[tuple[Path, Path]], lang: str = "az") -> list[Sentence]:
    """The gold sentences of one language of every ``(raw_path, gold_dir)`` article, in order."""
    return [s for raw, gold in articles for s in gold_sentences(load_gold(Path(raw), Path(gold))) if s.lang == lang]


def fit(articles: list[tuple[Path, Path]], workdir: Path, seed: int = 0, epochs: int = EPOCHS) -> dict[str, Any]:
    """Train the az model on the articles' Azerbaijani gold; write it under ``workdir`` and
    return ``{"entities": {"az_model": path}}`` for :func:`polycorpus.pipeline.process`."""
    import spacy

    from .az import MODEL_VERSION

    sentences = article_sentences(articles)
    nlp = train_model(sentences, epochs, seed)
    target = Path(workdir) / "az_ner"
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.meta.update({"name": "az_ner", "version": MODEL_VERSION,
                     "description": "polycorpus Azerbaijani NER (polycorpus.entities.training.fit)"})
    nlp.to_disk(target)
    info = {"model": "az_ner", "version": MODEL_VERSION, "articles": sorted(Path(raw).stem for raw, _ in articles),
            "sentences": len(sentences), "entities": sum(len(s.entities) for s in sentences),
            "labels": list(NAME_LABELS), "epochs": epochs, "seed": seed, "spacy": spacy.__version__}
    (target / "training.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return {"entities": {"az_model": str(target)}}
