"""Sentence alignment: strict and lax precision, recall and F1 of beads, per language pair.

As in Vecalign's ``score.py`` (after Sennrich & Volk): three-way beads are projected on each
language pair (a bead empty on both sides of the pair drops out). Precision is over the test
beads, skips included: a bead is strictly right if gold has exactly that bead, laxly right if
some gold bead shares a sentence with it on both sides (a skip is laxly right only when exact).
Recall is the same with gold and test swapped and skips left out of both.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..errors import InputError
from ..formats import ALIGNMENT, ALIGNMENT_LANGS, read_alignment
from .base import Counts, Signature, file_hash, text_table

PairBead = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass
class BeadCounts:
    """Counts for precision (over test beads) and recall (over gold beads), strict and lax."""

    strict_p: Counts = field(default_factory=Counts)
    strict_r: Counts = field(default_factory=Counts)
    lax_p: Counts = field(default_factory=Counts)
    lax_r: Counts = field(default_factory=Counts)

    def __iadd__(self, other: "BeadCounts") -> "BeadCounts":
        self.strict_p += other.strict_p
        self.strict_r += other.strict_r
        self.lax_p += other.lax_p
        self.lax_r += other.lax_r
        return self

    def scores(self, mode: str) -> tuple[float, float, float]:
        p = (self.strict_p if mode == "strict" else self.lax_p).precision
        r = (self.strict_r if mode == "strict" else self.lax_r).recall
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def project(beads: Iterable[Mapping[str, Sequence[str]]], src: str, tgt: str) -> list[PairBead]:
    """The beads seen from one language pair; beads with neither language drop out."""
    pairs = [(tuple(b.get(src, ())), tuple(b.get(tgt, ()))) for b in beads]
    return [p for p in pairs if p[0] or p[1]]


def _matches(test: list[PairBead], gold: list[PairBead]) -> tuple[int, int]:
    """(strict, lax) true positives of ``test`` against ``gold``."""
    gold_set = set(gold)
    linked: dict[str, set[str]] = {}
    for src, tgt in gold:
        for s in src:
            linked.setdefault(s, set()).update(tgt)
    strict = lax = 0
    for bead in set(test):
        if bead in gold_set:
            strict += 1
            lax += 1
        elif any(linked.get(s, set()) & set(bead[1]) for s in bead[0]):
            lax += 1
    return strict, lax


def pair_counts(gold: list[PairBead], test: list[PairBead]) -> BeadCounts:
    test_set, gold_set = set(test), set(gold)
    strict, lax = _matches(list(test_set), list(gold_set))
    counts = BeadCounts(Counts(strict, len(test_set) - strict), Counts(), Counts(lax, len(test_set) - lax), Counts())
    gold_links = {b for b in gold_set if b[0] and b[1]}
    test_links = [b for b in test_set if b[0] and b[1]]
    strict, lax = _matches(list(gold_links), test_links)
    counts.strict_r = Counts(strict, 0, len(gold_links) - strict)
    counts.lax_r = Counts(lax, 0, len(gold_links) - lax)
    return counts


def score_alignment(gold: list[Mapping[str, Sequence[str]]], test: list[Mapping[str, Sequence[str]]],
                    langs: Sequence[str] = ALIGNMENT_LANGS) -> dict[str, BeadCounts]:
    """Counts per language pair (``"az-en"``, …) and over all pairs (``"all"``)."""
    out: dict[str, BeadCounts] = {}
    total = BeadCounts()
    for src, tgt in combinations(langs, 2):
        gold_pairs, test_pairs = project(gold, src, tgt), project(test, src, tgt)
        if not gold_pairs and not test_pairs:
            continue
        out[f"{src}-{tgt}"] = counts = pair_counts(gold_pairs, test_pairs)
        total += counts
    out["all"] = total
    return out


def format_scores(scores: Mapping[str, BeadCounts]) -> str:
    header = ("pair", "P strict", "R strict", "F1 strict", "P lax", "R lax", "F1 lax")
    rows = [header] + [(key, *(f"{v:.3f}" for v in counts.scores("strict") + counts.scores("lax")))
                       for key, counts in scores.items()]
    return text_table(rows)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold alignment.tsv (columns az, en, ru)")
    parser.add_argument("--build", help="alignment.tsv to score (default: corpus/build/<doc>/alignment.tsv, "
                                        "<doc> being the gold file's folder)")


def main(args: argparse.Namespace) -> int:
    gold_path = Path(args.gold)
    build_path = Path(args.build) if args.build else Path("corpus/build") / gold_path.parent.name / ALIGNMENT
    for path in (gold_path, build_path):
        if not path.is_file():
            raise InputError(path, "no such alignment file")
    gold, test = read_alignment(gold_path), read_alignment(build_path)
    scores = score_alignment(gold, test)
    print(format_scores(scores))
    signature = Signature("ALIGN", {"gold": f"{gold_path.parent.name}@{file_hash(gold_path)}",
                                    "pairs": ",".join(k for k in scores if k != "all"), "beads": "strict+lax"})
    strict_f1, lax_f1 = scores["all"].scores("strict")[2], scores["all"].scores("lax")[2]
    print(f"{signature.format()} = strict F1 {strict_f1:.3f}, lax F1 {lax_f1:.3f}")
    return 0
