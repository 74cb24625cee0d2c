"""Sentence segmentation on the sample's gold: polycorpus beside spaCy's sentencizer and pysbd.

Every system segments the same clean block text (after the ``structure`` stage) and its
sentences are mapped back to raw offsets the same way (``polycorpus.segment.sentence_spans``),
so the F1 of exact raw spans compares the segmenters alone. pysbd has no Azerbaijani rules; it
runs with its English rules there. Speed is sentences per second over the whole sample, the
best of a few runs, structure excluded.

    python bench/segmentation.py [--stanza-dir DIR]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import pysbd
import spacy

from polycorpus import formats
from polycorpus.evaluate.base import Counts, set_counts, text_table
from polycorpus.pipeline import process
from polycorpus.segment import SEGMENTED_PARTS, Segmenters, make_segmenter, sentence_spans
from polycorpus.segment.spacy import COMPONENT
from polycorpus.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024" / formats.SENTENCES
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


def score(predicted, gold) -> dict[tuple[str, str], Counts]:
    keys = sorted({(s.lang, s.label) for s in predicted} | {(r["lang"], r["part"]) for r in gold})
    table = {}
    for lang, part in keys:
        table[lang, part] = set_counts(((r["start"], r["end"]) for r in gold if (r["lang"], r["part"]) == (lang, part)),
                                       ((s.start, s.end) for s in predicted if (s.lang, s.label) == (lang, part)))
    total = Counts()
    for counts in table.values():
        total += counts
    table["all", "all"] = total
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stanza-dir", help="also run the stanza backend with the tokenizer models of this folder")
    args = parser.parse_args()

    doc = process(read_source(SAMPLE), ["structure"])
    gold = formats.read_sentences(GOLD)
    systems = {
        "polycorpus": Segmenters(lambda lang: make_segmenter(lang, "spacy")),
        "sentencizer": Segmenters(SentencizerBaseline),
        "pysbd": Segmenters(PysbdBaseline),
    }
    if args.stanza_dir:
        systems["stanza"] = Segmenters(lambda lang: make_segmenter(lang, "stanza", model_dir=args.stanza_dir))

    tables, speeds, signatures = {}, {}, {}
    for name, segmenters in systems.items():
        predicted = sentence_spans(doc, segmenters)  # also loads every language's segmenter
        best = float("inf")
        for _ in range(RUNS):
            started = time.perf_counter()
            sentence_spans(doc, segmenters)
            best = min(best, time.perf_counter() - started)
        tables[name] = score(predicted, gold)
        speeds[name] = len(predicted) / best
        signatures[name] = ",".join(sorted({s.signature for s in segmenters.values()}))

    keys = sorted({k for t in tables.values() for k in t}, key=lambda k: (k[0] == "all", k))
    header = ["lang", "part", "gold"] + list(systems)
    gold_counts = Counter((r["lang"], r["part"]) for r in gold)
    gold_counts["all", "all"] = len(gold)
    rows = [[lang, part, str(gold_counts[lang, part])]
            + [f"{tables[name].get((lang, part), Counts()).f1:.3f}" for name in systems] for lang, part in keys]
    rows.append(["sents/s", "", ""] + [f"{speeds[name]:.0f}" for name in systems])
    print("Sentence F1 (exact raw spans) on bagirova2024")
    print(text_table([header] + rows))
    for name, signature in signatures.items():
        print(f"{name}: {signature}")
    print("polycorpus rules that decided a proposed boundary (lang rule split/join: count)")
    fired = Counter()
    for block in doc.blocks(*SEGMENTED_PARTS):
        rules = systems["polycorpus"][block.lang].nlp.get_pipe(COMPONENT).rules
        fired.update((block.lang, d.rule, "split" if d.split else "join") for d in rules.trace(doc.clean(block).text))
    for (lang, rule, outcome), count in sorted(fired.items()):
        print(f"  {lang} {rule} {outcome}: {count}")


if __name__ == "__main__":
    main()
