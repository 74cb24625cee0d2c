"""Sentence segmentation on every development layout: polycorpus beside spaCy's sentencizer and pysbd.

Every system segments the same clean block text (after the ``structure`` stage) and its
sentences are mapped back to raw offsets the same way (``polycorpus.segment.sentence_spans``),
so the F1 of exact raw spans compares the segmenters alone; errors common to all systems come
from structure. A footnote is one sentence, the span of its block (scored only against a gold
that segments footnotes, as ``evaluate segmentation`` does). pysbd has no Azerbaijani
rules; it runs with its English rules there. Speed is sentences per second over all layouts,
the best of a few runs, structure excluded.

    python bench/segmentation.py [--stanza-dir DIR] [--parts] [DOC ...]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import pysbd
import spacy

from polycorpus import formats
from polycorpus.document import Span
from polycorpus.evaluate.base import Counts, text_table
from polycorpus.evaluate.segmentation import ALL, sentence_counts
from polycorpus.pipeline import process
from polycorpus.segment import SEGMENTED_PARTS, Segmenters, make_segmenter, sentence_spans
from polycorpus.segment.spacy import COMPONENT
from polycorpus.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT / "tests" / "data" / "gold"
PYSBD_LANGS = {"ru": "ru", "en": "en"}  # anything else: English rules
RUNS = 3


class SentencizerBaseline:
    """spaCy's plain rule-free ``sentencizer`` on a blank pipeline of the language."""

    def __init__(self, lang: str) -> None:
        try:
            self.nlp = spacy.blank(lang)
        except ImportError:
            self.nlp = spacy.blank("xx")
        self.nlp.add_pipe("sentencizer")
        self.signature = f"sentencizer@{spacy.__version__}"

    def split(self, text: str) -> list[tuple[int, int]]:
        return [(s.start_char, s.end_char) for s in self.nlp(text).sents if s.text.strip()]


class PysbdBaseline:
    """pysbd's rule-based segmenter, with character spans."""

    def __init__(self, lang: str) -> None:
        self.segmenter = pysbd.Segmenter(language=PYSBD_LANGS.get(lang, "en"), clean=False, char_span=True)
        self.signature = f"pysbd@{pysbd.__version__}"

    def split(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for span in self.segmenter.segment(text):
            stripped = span.sent.strip()
            if stripped:
                start = span.start + span.sent.index(stripped)
                spans.append((start, start + len(stripped)))
        return spans


def score(predicted: list[Span], gold: list[dict]) -> dict[tuple[str, str], Counts]:
    """Counts per (language, part), per language and overall, as ``evaluate segmentation`` counts them."""
    return sentence_counts(gold, [{"lang": s.lang, "part": s.label, "start": s.start, "end": s.end} for s in predicted])


def _summed(counts) -> Counts:
    total = Counts()
    for c in counts:
        total += c
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", help="layouts to score (default: every one with gold)")
    parser.add_argument("--stanza-dir", help="also run the stanza backend with the tokenizer models of this folder")
    parser.add_argument("--parts", action="store_true", help="also print F1 per language and part over all layouts")
    args = parser.parse_args()
    names = args.docs or sorted(p.stem for p in RAW.glob("*.txt") if (GOLD / p.stem).is_dir())

    systems = {
        "polycorpus": Segmenters(lambda lang: make_segmenter(lang, "spacy")),
        "sentencizer": Segmenters(SentencizerBaseline),
        "pysbd": Segmenters(PysbdBaseline),
    }
    if args.stanza_dir:
        systems["stanza"] = Segmenters(lambda lang: make_segmenter(lang, "stanza", model_dir=args.stanza_dir))

    docs = {name: process(read_source(RAW / f"{name}.txt"), ["structure"]) for name in names}
    golds = {name: formats.read_sentences(GOLD / name / formats.SENTENCES) for name in names}
    tables: dict[str, dict[str, dict]] = {name: {} for name in systems}
    speeds, signatures = {}, {}
    for name, segmenters in systems.items():
        count, best = 0, float("inf")
        for doc_name, doc in docs.items():
            predicted = sentence_spans(doc, segmenters)  # also loads the segmenters
            tables[name][doc_name] = score(predicted, golds[doc_name])
            count += len(predicted)
        for _ in range(RUNS):
            started = time.perf_counter()
            for doc in docs.values():
                sentence_spans(doc, segmenters)
            best = min(best, time.perf_counter() - started)
        speeds[name] = count / best
        signatures[name] = ",".join(sorted({s.signature for s in segmenters.values()}))

    header = ["doc", "gold"] + [f"{name} F1" for name in systems]
    rows = []
    for doc_name in names:
        rows.append([doc_name, str(len(golds[doc_name]))]
                    + [f"{tables[name][doc_name]['all', 'all'].f1:.3f}" for name in systems])
    totals = {name: _summed(t[ALL, ALL] for t in tables[name].values()) for name in systems}
    rows.append(["total", str(sum(len(g) for g in golds.values()))] + [f"{totals[name].f1:.3f}" for name in systems])
    rows.append(["sents/s", ""] + [f"{speeds[name]:.0f}" for name in systems])
    print("Sentence F1 (exact raw spans) per development layout")
    print(text_table([header] + rows))
    if args.parts:
        keys = sorted({k for t in tables["polycorpus"].values() for k in t if k != (ALL, ALL)})
        part_rows = [["lang", "part"] + list(systems)]
        for key in keys:
            part_rows.append(list(key) + [f"{_summed(t.get(key, Counts()) for t in tables[name].values()).f1:.3f}"
                                          for name in systems])
        print(text_table(part_rows))
    for name, signature in signatures.items():
        print(f"{name}: {signature}")
    print("polycorpus rules that decided a proposed boundary (lang rule split/join: count)")
    fired = Counter()
    for doc in docs.values():
        for block in doc.blocks(*SEGMENTED_PARTS):
            rules = systems["polycorpus"][block.lang].nlp.get_pipe(COMPONENT).rules
            fired.update((block.lang, d.rule, "split" if d.split else "join") for d in rules.trace(doc.clean(block).text))
    for (lang, rule, outcome), count in sorted(fired.items()):
        print(f"  {lang} {rule} {outcome}: {count}")


if __name__ == "__main__":
    main()
