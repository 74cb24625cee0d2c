"""Sentence segmentation: precision, recall and F1 of exact raw sentence spans, per language and part.

A predicted sentence counts only if its raw ``start`` and ``end`` both equal a gold sentence's
(same language and part). Predictions come from a build (``--build``: ``<doc>/sentences.jsonl``)
or, without one, from the raw article run through the ``structure`` and ``segment`` stages.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import formats
from ..errors import InputError
from ..sources import input_files, read_source
from .base import Counts, ScoreTable, Signature, file_hash, set_counts

ALL = "all"


@dataclass
class SegmentationScore:
    table: ScoreTable
    signature: Signature
    overall: Counts

    def format(self) -> str:
        return f"{self.table.format()}\n{self.signature.format()} = {self.overall.f1:.4f}"


def gold_folders(gold: str | Path) -> list[Path]:
    """The document folders of ``gold``: the folder itself if it holds sentences.jsonl, else its subfolders."""
    gold = Path(gold)
    if (gold / formats.SENTENCES).is_file():
        return [gold]
    folders = sorted(p for p in gold.iterdir() if (p / formats.SENTENCES).is_file()) if gold.is_dir() else []
    if not folders:
        raise InputError(gold, f"no {formats.SENTENCES} here or in its subfolders")
    return folders


def built_sentences(build: str | Path, name: str) -> tuple[list[dict[str, Any]], str]:
    """A build's sentence records for document ``name`` and the segmenter that made them."""
    build = Path(build)
    folder = build if (build / formats.SENTENCES).is_file() and build.name == name else build / name
    if not (folder / formats.SENTENCES).is_file():
        raise InputError(folder, f"no {formats.SENTENCES} in the build for {name}")
    backend = "build"
    if (folder / "document.json").is_file():
        meta = json.loads((folder / "document.json").read_text(encoding="utf-8")).get("meta", {})
        backend = _backend_signature(meta) or backend
    return formats.read_sentences(folder / formats.SENTENCES), backend


def segmented_sentences(raw: str | Path, name: str, backend: str = "spacy",
                        model_dir: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """Sentence records of the raw article ``name`` (found in the ``raw`` folder) after structure + segment."""
    from ..outputs import sentence_records
    from ..pipeline import process

    matches = [p for p in input_files(raw) if p.stem == name]
    if not matches:
        raise InputError(raw, f"no raw article {name}.txt or {name}.pdf for the gold folder {name}")
    doc = process(read_source(matches[0]), ["structure", "segment"],
                  {"segment": {"backend": backend, "model_dir": model_dir}})
    return sentence_records(doc), _backend_signature(doc.meta) or backend


def _backend_signature(meta: dict[str, Any]) -> str | None:
    segmenters = meta.get("segment", {}).get("segmenters", {})
    return ",".join(sorted(set(segmenters.values()))) or None


def sentence_counts(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[tuple[str, str], Counts]:
    """Exact-span counts of one document per (language, part), per (language, ``all``) and (``all``, ``all``).

    A gold that segments no footnote (the sample's gold predates the convention that each footnote
    is a sentence) does not judge the build's footnote sentences: they are left out, not counted false.
    """
    if not any(r["part"] == "footnote" for r in gold):
        predicted = [r for r in predicted if r["part"] != "footnote"]
    counts: dict[tuple[str, str], Counts] = {}
    for lang, part in {(r["lang"], r["part"]) for r in gold + predicted}:
        found = set_counts(((r["start"], r["end"]) for r in gold if (r["lang"], r["part"]) == (lang, part)),
                           ((r["start"], r["end"]) for r in predicted if (r["lang"], r["part"]) == (lang, part)))
        for key in ((lang, part), (lang, ALL), (ALL, ALL)):
            counts.setdefault(key, Counts())
            counts[key] += found
    return counts


def score_segmentation(gold: str | Path, build: str | Path | None = None, raw: str | Path = "corpus/raw",
                       backend: str = "spacy", model_dir: str | None = None) -> SegmentationScore:
    """Counts per (language, part), per language and overall, for every document of ``gold``."""
    counts: dict[tuple[str, str], Counts] = {}
    names, backends = [], set()
    for folder in gold_folders(gold):
        names.append(f"{folder.name}@{file_hash(folder / formats.SENTENCES)}")
        if build is not None:
            predicted, used = built_sentences(build, folder.name)
        else:
            predicted, used = segmented_sentences(raw, folder.name, backend, model_dir)
        backends.add(used)
        for key, found in sentence_counts(formats.read_sentences(folder / formats.SENTENCES), predicted).items():
            counts.setdefault(key, Counts())
            counts[key] += found
    table = ScoreTable(("lang", "part"))
    for key in sorted(counts, key=lambda k: (k[0] == ALL, k[0], k[1] == ALL, k[1])):
        table.add(key, counts[key])
    signature = Signature("Seg-F1", {"gold": "+".join(names), "match": "exact-span",
                                     "backend": ",".join(sorted(backends))})
    return SegmentationScore(table, signature, counts.get((ALL, ALL), Counts()))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True,
                        help="gold folder (<doc>/sentences.jsonl, or one document's folder)")
    parser.add_argument("--build",
                        help="build folder with <doc>/sentences.jsonl; without it the raw article is segmented")
    parser.add_argument("--raw", default="corpus/raw", help="folder of raw articles (default: corpus/raw)")
    parser.add_argument("--backend", default="spacy", choices=("spacy", "stanza"),
                        help="segmenter when no build is given")
    parser.add_argument("--stanza-dir", help="stanza resources folder or tokenizer model (backend stanza)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON records")


def main(args: argparse.Namespace) -> int:
    score = score_segmentation(args.gold, args.build, args.raw, args.backend, args.stanza_dir)
    if args.json:
        report = {"signature": score.signature.format(), "rows": score.table.records()}
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(score.format())
    return 0
