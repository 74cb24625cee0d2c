"""Citation parsing on the sample's 48 gold footnotes: field P/R/F1, exact records, back-references, speed.

Two parsers: the cue-word rules (no training; note that they were written while reading this
sample, so their score is a development score) and the CRF labeller, measured only by k-fold
cross-validation over footnotes (trained on k-1 folds, scored on the held-out one). Speed is
footnotes per second, best of a few runs, language detector warm.

    python bench/citations.py [--folds 8] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from polycorpus.citations import CitationParser, parse_items
from polycorpus.citations.labeller import CrfLabeller, train
from polycorpus.citations.records import _item, resolve_backrefs
from polycorpus.evaluate.citations import report, score_citations, signature
from polycorpus.formats import read_citations

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024" / "citations.json"
BASE_KEYS = ("id", "n", "raw", "start", "end")
RUNS = 3


def base_items(gold: list[dict]) -> list[dict]:
    return [{k: g[k] for k in BASE_KEYS if k in g} for g in gold]


def rules(gold: list[dict]) -> tuple[list[dict], float]:
    parser = CitationParser()
    parse_items(base_items(gold[:1]), parser)  # warm the language detector
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        predicted = parse_items(base_items(gold), parser)
        best = min(best, time.perf_counter() - start)
    return predicted, len(gold) / best


def crf_cross_validation(gold: list[dict], folds: int, seed: int) -> tuple[list[dict], float]:
    parser = CitationParser()
    order = list(range(len(gold)))
    random.Random(seed).shuffle(order)
    fold_of = {index: k % folds for k, index in enumerate(order)}
    parsed: dict[int, object] = {}
    elapsed = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            model = Path(tmp) / f"fold{fold}.crfsuite"
            train(((g["raw"], g) for i, g in enumerate(gold) if fold_of[i] != fold), model, parser)
            labeller = CrfLabeller(model, parser)
            start = time.perf_counter()
            for i, g in enumerate(gold):
                if fold_of[i] == fold:
                    parsed[i] = labeller.parse(g["raw"])
            elapsed += time.perf_counter() - start
    records = [_item(base, parsed[i]) for i, base in enumerate(base_items(gold))]
    resolve_backrefs(records, [parsed[i].backref for i in range(len(gold))])
    return records, len(gold) / elapsed


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--folds", type=int, default=8)
    args.add_argument("--seed", type=int, default=0)
    options = args.parse_args()
    gold = read_citations(GOLD)
    predicted, speed = rules(gold)
    print(f"== rules ({CitationParser.version}; development score) — {len(gold)} footnotes, {speed:.0f} footnotes/s")
    print(report(score_citations(gold, predicted), signature(GOLD, CitationParser.version)))
    predicted, speed = crf_cross_validation(gold, options.folds, options.seed)
    name = f"crf-cv{options.folds}-seed{options.seed}"
    print(f"== CRF, {options.folds}-fold cross-validation over footnotes — {speed:.0f} footnotes/s (tagging)")
    print(report(score_citations(gold, predicted), signature(GOLD, name)))


if __name__ == "__main__":
    main()
