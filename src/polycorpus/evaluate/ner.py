"""Score named entities and dates: strict and partial P/R/F1 per language and label, DATE values, confusions.

Any system can be scored, not only polycorpus: a system's output is JSONL spans in the gold
format (``start``, ``end``, ``label``, optionally ``lang`` and ``norm``) in raw offsets of the
article, one file per document. Several systems are scored against the same gold in one run.

- strict: a predicted span counts if a gold span has the same start, end and label;
- partial: predicted and gold spans overlap and share the label (each gold span matched once);
- DATE values: of the gold dates that a predicted DATE overlaps, the share whose ``norm`` equals
  the gold value (and the same over all gold dates);
- linking: the share of gold names (not dates) found at their offsets whose predicted ``norm``
  groups them with exactly the found gold mentions sharing their gold ``norm`` (a name not
  found counts as wrong);
- confusions: gold spans predicted with the same offsets but another label, gold spans with no
  overlapping prediction (missed) and predictions overlapping no gold span (spurious).

A span's language is its own ``lang``, else that of the gold span it overlaps, else ``?``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import formats
from ..errors import InputError
from .base import Counts, ScoreTable, Signature, file_hash, text_table

MATCHES = ("strict", "partial")
MISSED, SPURIOUS = "(missed)", "(spurious)"
# A record: (doc, start, end, label, lang, norm)
Record = tuple[str, int, int, str, str, Any]


@dataclass
class SystemScore:
    """Counts per (match, lang, label) and what the tables are computed from."""

    name: str
    counts: dict[tuple[str, str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    date_matched: int = 0
    date_correct: int = 0
    date_gold: int = 0
    confusion: Counter = field(default_factory=Counter)
    link_correct: int = 0
    link_total: int = 0

    def __iadd__(self, other: "SystemScore") -> "SystemScore":
        for key, counts in other.counts.items():
            self.counts[key] += counts
        self.date_matched += other.date_matched
        self.date_correct += other.date_correct
        self.date_gold += other.date_gold
        self.confusion.update(other.confusion)
        self.link_correct += other.link_correct
        self.link_total += other.link_total
        return self

    def total(self, match: str, lang: str | None = None, label: str | None = None,
              labels: Iterable[str] | None = None) -> Counts:
        total = Counts()
        for (m, lg, lb), counts in self.counts.items():
            if m == match and lang in (None, lg) and label in (None, lb) and (labels is None or lb in labels):
                total += counts
        return total

    @property
    def date_accuracy(self) -> float:
        return self.date_correct / self.date_matched if self.date_matched else 0.0

    @property
    def link_accuracy(self) -> float:
        return self.link_correct / self.link_total if self.link_total else 0.0

    @property
    def date_recall(self) -> float:
        return self.date_correct / self.date_gold if self.date_gold else 0.0

    def table(self, match: str) -> ScoreTable:
        table = ScoreTable(("lang", "label"))
        for lang in sorted({lg for m, lg, _ in self.counts if m == match}):
            for label in sorted({lb for m, lg, lb in self.counts if m == match and lg == lang}):
                table.add((lang, label), self.counts[(match, lang, label)])
            table.add((lang, "all"), self.total(match, lang))
        table.add(("all", "all"), self.total(match))
        return table

    def confusion_table(self) -> str:
        gold_labels = sorted({g for g, _ in self.confusion if g != SPURIOUS})
        predicted = sorted({p for _, p in self.confusion if p != MISSED})
        columns = ["gold\\system"] + predicted + [MISSED]
        rows = [[g] + [str(self.confusion[(g, p)]) for p in predicted + [MISSED]] for g in gold_labels + [SPURIOUS]]
        return text_table([columns] + rows)

    def records(self) -> dict[str, Any]:
        return {"system": self.name,
                **{match: self.table(match).records() for match in MATCHES},
                "date_value_accuracy": self.date_accuracy, "date_value_recall": self.date_recall,
                "date_matched": self.date_matched, "date_gold": self.date_gold,
                "linking_accuracy": self.link_accuracy, "linking_total": self.link_total,
                "confusion": [{"gold": g, "system": p, "count": n} for (g, p), n in sorted(self.confusion.items())]}


def span_records(doc: str, spans: Iterable[Mapping[str, Any]]) -> list[Record]:
    return [(doc, int(s["start"]), int(s["end"]), str(s["label"]), s.get("lang") or "", s.get("norm")) for s in spans]


def _with_langs(predicted: list[Record], gold: list[Record]) -> list[Record]:
    """Predicted records with a language: their own, else that of an overlapping gold span."""
    out = []
    for record in predicted:
        lang = record[4] or next((g[4] for g in gold if g[0] == record[0] and g[1] < record[2] and record[1] < g[2]), "?")
        out.append(record[:4] + (lang,) + record[5:])
    return out


def score_system(name: str, gold: list[Record], predicted: list[Record]) -> SystemScore:
    """Every count of one system against the gold (both lists of records over the same documents)."""
    result = SystemScore(name)
    predicted = _with_langs(predicted, gold)
    gold_keys = {g[:4]: g for g in gold}
    predicted_keys = {p[:4]: p for p in predicted}
    for key, g in gold_keys.items():
        counts = result.counts[("strict", g[4], g[3])]
        if key in predicted_keys:
            counts.tp += 1
        else:
            counts.fn += 1
    for key, p in predicted_keys.items():
        if key not in gold_keys:
            result.counts[("strict", p[4], p[3])].fp += 1
    # partial: greedy one-to-one matching of overlapping same-label spans, in document order
    used: set[tuple] = set()
    predicted = sorted(predicted)
    for g in sorted(gold):
        match = next((p for p in predicted if p[:4] not in used and _overlap(g, p) and p[3] == g[3]), None)
        counts = result.counts[("partial", g[4], g[3])]
        if match is None:
            counts.fn += 1
            continue
        used.add(match[:4])
        counts.tp += 1
        if g[3] == "DATE":
            result.date_matched += 1
            result.date_correct += str(match[5]) == str(g[5])
    for p in predicted:
        if p[:4] not in used:
            result.counts[("partial", p[4], p[3])].fp += 1
    result.date_gold = sum(g[3] == "DATE" for g in gold)
    by_offsets = defaultdict(set)
    for p in predicted:
        by_offsets[p[:3]].add(p[3])
    for g in gold:
        labels = by_offsets.get(g[:3], set())
        if g[3] in labels:
            continue
        if labels:
            result.confusion[(g[3], sorted(labels)[0])] += 1
        elif not any(_overlap(g, p) for p in predicted):
            result.confusion[(g[3], MISSED)] += 1
    for p in predicted:
        if not any(_overlap(g, p) for g in gold):
            result.confusion[(SPURIOUS, p[3])] += 1
    result.link_correct, result.link_total = linking_counts(gold, predicted)
    return result


def linking_counts(gold: list[Record], predicted: list[Record]) -> tuple[int, int]:
    """Gold names (not dates) found at their gold offsets whose predicted key groups them with
    exactly the found gold mentions that share their gold key. A name the system did not find
    counts as wrong, but does not make its co-referents wrong."""
    keys = {p[:3]: p[5] for p in predicted if p[5]}
    names = [g for g in gold if g[3] != "DATE" and g[5]]
    gold_groups: dict[tuple, set] = defaultdict(set)
    system_groups: dict[tuple, set] = defaultdict(set)
    for g in names:
        if g[:3] in keys:
            gold_groups[(g[0], g[5])].add(g[:3])
            system_groups[(g[0], keys[g[:3]])].add(g[:3])
    correct = sum(g[:3] in keys and gold_groups[(g[0], g[5])] == system_groups[(g[0], keys[g[:3]])] for g in names)
    return correct, len(names)


def _overlap(a: Record, b: Record) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


# -- reading gold and systems ---------------------------------------------------------------
def gold_documents(gold_dir: str | Path) -> dict[str, Path]:
    """Document name -> gold entities file: ``DIR/entities.jsonl`` or ``DIR/<doc>/entities.jsonl``."""
    gold_dir = Path(gold_dir)
    if (gold_dir / formats.ENTITIES).is_file():
        return {gold_dir.name: gold_dir / formats.ENTITIES}
    found = {p.parent.name: p for p in sorted(gold_dir.glob(f"*/{formats.ENTITIES}"))}
    if not found:
        raise InputError(gold_dir, f"no {formats.ENTITIES} here or in its subfolders")
    return found


def system_file(path: str | Path, doc: str, single: bool) -> Path:
    """A system's file for ``doc``: the file itself (one gold document) or ``PATH/<doc>/entities.jsonl``,
    ``PATH/<doc>.jsonl``, ``PATH/entities.jsonl``."""
    path = Path(path)
    if path.is_file() and single:
        return path
    for candidate in (path / doc / formats.ENTITIES, path / f"{doc}.jsonl", path / formats.ENTITIES):
        if candidate.is_file():
            return candidate
    raise InputError(path, f"no entities file for document {doc!r} (looked for {doc}/{formats.ENTITIES}, {doc}.jsonl)")


def read_spans(path: Path) -> list[dict[str, Any]]:
    try:
        records = formats.read_entities(path)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not JSONL (line {exc.lineno}: {exc.msg})") from None
    for i, record in enumerate(records, 1):
        if not {"start", "end", "label"} <= set(record):
            raise InputError(path, f"record {i} lacks start, end or label")
    return records


def run_polycorpus(doc: str, raw_dir: Path, backends: Mapping[str, str],
                   stanza_dir: str | None = None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Our own entities for one gold document, built from its raw article, and the backends
    that read each language (``lang -> name@version``, for the signature)."""
    from ..outputs import entity_records
    from ..pipeline import DEFAULT_STAGES, process
    from ..sources import input_files, read_source

    source = next((p for p in input_files(raw_dir) if p.stem == doc), None)
    if source is None:
        raise InputError(raw_dir, f"no raw article {doc}.txt or {doc}.pdf to run polycorpus on")
    stages = DEFAULT_STAGES[:DEFAULT_STAGES.index("entities") + 1]
    config = {"entities": {"backends": dict(backends), "stanza_dir": stanza_dir}}
    built = process(read_source(source), stages, config)
    used = {lang: f"{info['backend']}@{info['version']}" for lang, info in built.meta["entities"]["backends"].items()}
    return entity_records(built), used


@dataclass
class NerEvaluation:
    signature: Signature
    systems: list[SystemScore]

    def format(self) -> str:
        parts = []
        for system in self.systems:
            parts.append(f"== {system.name}")
            for match in MATCHES:
                parts += [f"-- {match}", system.table(match).format()]
            parts.append(f"DATE values: {system.date_accuracy:.3f} of {system.date_matched} matched dates "
                         f"({system.date_recall:.3f} of {system.date_gold} gold dates)")
            parts.append(f"linking: {system.link_accuracy:.3f} of {system.link_total} gold names grouped "
                         f"with exactly their gold co-referents")
            parts += ["-- label confusions (strict offsets)", system.confusion_table()]
            strict, partial = system.total("strict"), system.total("partial")
            parts.append(f"{self.signature.format()}|system:{system.name} = strict F1 {strict.f1:.3f}, "
                         f"partial F1 {partial.f1:.3f}")
        return "\n".join(parts)

    def records(self) -> dict[str, Any]:
        return {"signature": self.signature.format(), "systems": [s.records() for s in self.systems]}


def evaluate_ner(gold_dir: str | Path, systems: Mapping[str, str | None], raw_dir: str | Path = "corpus/raw",
                 backends: Mapping[str, str] | None = None, stanza_dir: str | None = None) -> NerEvaluation:
    """Score each system (name -> path of its JSONL output, or None to run polycorpus) on the gold."""
    documents = gold_documents(gold_dir)
    gold = [r for doc, path in documents.items() for r in span_records(doc, read_spans(path))]
    scores = []
    used: dict[str, str] = {}
    for name, path in systems.items():
        predicted = []
        for doc in documents:
            if path is None:
                spans, backends_used = run_polycorpus(doc, Path(raw_dir), backends or {}, stanza_dir)
                used.update(backends_used)
            else:
                spans = read_spans(system_file(path, doc, len(documents) == 1))
            predicted += span_records(doc, spans)
        scores.append(score_system(name, gold, predicted))
    names = ",".join(documents)
    signature = Signature("NER", {"gold": f"{names}@{file_hash(gold_dir)}", "match": "strict+partial",
                                  "systems": ",".join(systems),
                                  "backends": ",".join(f"{k}={v}" for k, v in sorted(used.items())) or None})
    return NerEvaluation(signature, scores)


# -- command line ---------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold folder (with entities.jsonl, or one subfolder per document)")
    parser.add_argument("--system", action="append", required=True, metavar="NAME=PATH",
                        help="a system's output: JSONL spans in raw offsets (a file, or a folder with "
                             "<doc>/entities.jsonl); 'polycorpus' runs polycorpus itself; repeatable")
    parser.add_argument("--raw", default="corpus/raw", help="raw articles, for --system polycorpus (default: corpus/raw)")
    parser.add_argument("--backend", action="append", default=[], metavar="LANG=NAME",
                        help="NER backend for a language when running polycorpus, e.g. ru=stanza")
    parser.add_argument("--stanza-dir", help="stanza NER model folder, with --backend ru=stanza")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def parse_systems(values: list[str]) -> dict[str, str | None]:
    systems: dict[str, str | None] = {}
    for value in values:
        name, sep, path = value.partition("=")
        if not sep and name != "polycorpus":
            raise InputError(None, f"--system {value!r}: give NAME=PATH, or 'polycorpus'")
        systems[name] = path or None
    return systems


def main(args: argparse.Namespace) -> int:
    backends = {}
    for value in args.backend:
        lang, sep, name = value.partition("=")
        if not sep:
            raise InputError(None, f"--backend {value!r}: give LANG=NAME, e.g. ru=stanza")
        backends[lang] = name
    result = evaluate_ner(args.gold, parse_systems(args.system), args.raw, backends, args.stanza_dir)
    print(json.dumps(result.records(), ensure_ascii=False, indent=1) if args.json else result.format())
    return 0
