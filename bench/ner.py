"""NER on the sample's gold: strict F1 per language and label, DATE values, linking, speed.

    python bench/ner.py                       # polycorpus's backends (en spaCy, ru natasha, az)
    python bench/ner.py --stanza-dir DIR      # also Russian with a stanza model folder
    python bench/ner.py --az-cv               # also the cross-validated az model (bench/train_az_ner.py)

The article is built from its raw text by the pipeline up to the entities stage (structure,
footnotes, parsed citations, sentences) and scored against ``tests/data/gold`` with
:mod:`polycorpus.evaluate.ner`. Rows: every (language, label) of the gold; the backend that
reads each language is named in the header. Linking is measured twice: end to end (the key of
the entity the system found at the gold offsets) and on the gold spans alone (gold offsets and
labels in, ``link_entities`` keys out), which isolates linking from recognition.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from polycorpus.document import Document
from polycorpus.entities.backends import tokenize
from polycorpus.entities.linking import link_entities
from polycorpus.entities.stage import SKIPPED_BLOCKS, BackendChoice, entities_stage
from polycorpus.evaluate.base import Signature, file_hash
from polycorpus.evaluate.ner import linking_counts, score_system, span_records
from polycorpus.gold import load_gold
from polycorpus.outputs import entity_records
from polycorpus.pipeline import DEFAULT_STAGES, process
from polycorpus.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024"
NAMES = ("PER", "LOC", "ORG")


def prepared() -> Document:
    """The sample built by every default stage before ``entities``."""
    return process(read_source(SAMPLE), DEFAULT_STAGES[:DEFAULT_STAGES.index("entities")])


def run(label: str, backends: dict[str, str], gold: list, stanza_dir: str | None = None,
        citations: bool = True) -> None:
    doc = prepared()
    if not citations:
        doc.data.pop("citations", None)
    tokens = sum(len(tokenize(doc.clean(b).text)) for b in doc.blocks() if b.label not in SKIPPED_BLOCKS and b.lang)
    started = time.perf_counter()
    entities_stage(doc, backends=backends, stanza_dir=stanza_dir)
    seconds = time.perf_counter() - started
    score = score_system(label, gold, span_records(doc.name, entity_records(doc)))
    used = ", ".join(f"{lang}={info['backend']}" for lang, info in sorted(doc.meta["entities"]["backends"].items()))
    print(f"\n== {label}: {used}")
    for note in doc.meta["entities"]["notes"]:
        print(f"   note: {note}")
    print(score.table("strict").format())
    for lang in ("en", "ru", "az"):
        names = score.total("strict", lang, labels=NAMES)
        caveat = " (in-sample: the packaged az model was trained on this gold; see --az-cv)" if lang == "az" else ""
        print(f"strict F1 {lang} PER+LOC+ORG: {names.f1:.3f}{caveat}")
    print(f"partial F1 all: {score.total('partial').f1:.3f}")
    print(f"DATE values: {score.date_accuracy:.3f} of {score.date_matched} matched "
          f"({score.date_recall:.3f} of {score.date_gold} gold dates)")
    print(f"linking end to end: {score.link_accuracy:.3f} of {score.link_total} gold names")
    print(f"speed: {tokens} tokens in {seconds:.2f} s = {tokens / seconds:.0f} tokens/s "
          f"(whole entities stage: models loaded, dates, linking)")


def backend_speed(backends: dict[str, str]) -> None:
    """Tokens per second of each backend alone on its language's blocks, model already loaded."""
    doc = prepared()
    print("\n== backend speed (warm: model loaded before timing)")
    choice = BackendChoice(backends, {})
    for lang in ("az", "en", "ru"):
        texts = [doc.clean(b).text for b in doc.blocks() if b.lang == lang and b.label not in SKIPPED_BLOCKS]
        ner = choice.for_lang(lang)
        if ner is None or not texts:
            continue
        tokens = sum(len(tokenize(text)) for text in texts)
        started = time.perf_counter()
        for text in texts:
            ner.find(text)
        seconds = time.perf_counter() - started
        print(f"{lang} {ner.name}: {tokens} tokens in {seconds:.2f} s = {tokens / seconds:.0f} tokens/s")


def linking_on_gold_spans(gold_doc: Document, gold: list) -> None:
    doc = Document(gold_doc.name, gold_doc.raw)
    doc.data = dict(gold_doc.data)
    doc.set_layer("sentences", gold_doc.layer("sentences"))
    doc.set_layer("entities", [doc.span(e.start, e.end, e.label, lang=e.lang,
                                        attrs={"norm": e.attrs["norm"]} if e.label == "DATE" else {})
                               for e in gold_doc.layer("entities")])
    link_entities(doc)
    correct, total = linking_counts(gold, span_records(doc.name, entity_records(doc)))
    print(f"\nlinking on gold spans: {correct / total:.3f} ({correct} of {total} gold names grouped exactly)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stanza-dir", help="a stanza ru NER model folder, to bench Russian with stanza too")
    parser.add_argument("--backend", action="append", default=[], metavar="LANG=NAME",
                        help="another backend for a language in the main run")
    parser.add_argument("--az-cv", action="store_true", help="run bench/train_az_ner.py (cross-validated az model)")
    args = parser.parse_args()
    gold_doc = load_gold(SAMPLE, GOLD)
    gold = span_records(gold_doc.name, entity_records(gold_doc))
    print(Signature("NER-bench", {"gold": f"bagirova2024@{file_hash(GOLD)}", "match": "strict"}).format())
    backends = dict(value.split("=", 1) for value in args.backend)
    run("polycorpus", backends, gold)
    run("polycorpus, footnotes without citation fields", backends, gold, citations=False)
    if args.stanza_dir:
        run("polycorpus, ru=stanza", {"ru": "stanza"}, gold, stanza_dir=args.stanza_dir)
    linking_on_gold_spans(gold_doc, gold)
    backend_speed(backends)
    if args.az_cv:
        print("\n== az statistical model, cross-validated by section (bench/train_az_ner.py)", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "train_az_ner.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
