"""A whole corpus against gold: every layer of every document, one row per document, micro totals.

Each layer is scored by its own scorer (the functions behind ``evaluate segmentation``,
``alignment``, ``ner`` and ``citations``) on every document folder present in both the gold and
the build; a layer missing from a document's gold is left out for it, a layer the build lacks is
scored as found nothing. Totals are micro averages: the documents' counts are added, then the
figures computed, so they agree with the per-layer commands run on the same folders.

- sentences: exact raw spans, per language;
- notes: the raw spans of footnotes and reference-list entries (``start``/``end`` of the items of
  ``citations.json``);
- alignment: strict and lax bead F1 per language pair and over all pairs, and the worst pair;
- entities: strict and partial F1 per language and label, DATE values, linking;
- citations: field F1 (micro and per field), exact records, back-references, in-text citations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import formats
from ..errors import InputError
from .alignment import BeadCounts, score_alignment
from .base import Counts, Signature, file_hash, set_counts, text_table
from .citations import NORMALISATION, CitationScores, score_citations
from .ner import SystemScore, score_system, span_records
from .segmentation import ALL, sentence_counts

LAYERS = ("sentences", "notes", "alignment", "entities", "citations")
# The columns of the per-document table: (layer, figure)
SUMMARY = (("sentences", "F1"), ("notes", "F1"), ("alignment", "strict"), ("alignment", "lax"),
           ("alignment", "worst strict"), ("entities", "strict"), ("entities", "partial"),
           ("entities", "DATE values"), ("entities", "linking"), ("citations", "fields"),
           ("citations", "exact"), ("citations", "back-references"), ("citations", "in-text"))


@dataclass
class DocumentScores:
    """The counts of every layer of one document (or, added up, of a corpus); None: no gold for it."""

    sentences: dict[tuple[str, str], Counts] | None = None
    notes: Counts | None = None
    alignment: dict[str, BeadCounts] | None = None
    entities: SystemScore | None = None
    citations: CitationScores | None = None

    def __iadd__(self, other: "DocumentScores") -> "DocumentScores":
        if other.sentences is not None:
            self.sentences = self.sentences or {}
            for key, counts in other.sentences.items():
                self.sentences.setdefault(key, Counts())
                self.sentences[key] += counts
        if other.notes is not None:
            self.notes = self.notes or Counts()
            self.notes += other.notes
        if other.alignment is not None:
            self.alignment = self.alignment or {}
            for pair, counts in other.alignment.items():
                self.alignment.setdefault(pair, BeadCounts())
                self.alignment[pair] += counts
        if other.entities is not None:
            self.entities = self.entities or SystemScore("build")
            self.entities += other.entities
        if other.citations is not None:
            self.citations = self.citations or CitationScores()
            self.citations += other.citations
        return self

    def figures(self) -> dict[str, dict[str, float]]:
        """``{layer: {figure: value}}``; a figure with nothing to count (no back-reference …) is left out."""
        out: dict[str, dict[str, float]] = {}
        if self.sentences is not None:
            total = self.sentences.get((ALL, ALL), Counts())
            out["sentences"] = {"F1": total.f1, "P": total.precision, "R": total.recall,
                                **{f"F1 {lang}": c.f1 for (lang, part), c in sorted(self.sentences.items())
                                   if part == ALL and lang != ALL}}
        if self.notes is not None:
            out["notes"] = {"F1": self.notes.f1, "P": self.notes.precision, "R": self.notes.recall,
                            "found": self.notes.tp, "gold": self.notes.tp + self.notes.fn}
        if self.alignment is not None:
            pairs = {pair: counts for pair, counts in self.alignment.items() if pair != "all"}
            figures = {"strict": self.alignment["all"].scores("strict")[2] if "all" in self.alignment else 0.0,
                       "lax": self.alignment["all"].scores("lax")[2] if "all" in self.alignment else 0.0}
            if pairs:
                figures["worst strict"] = min(counts.scores("strict")[2] for counts in pairs.values())
            for pair, counts in sorted(pairs.items()):
                figures[f"strict {pair}"] = counts.scores("strict")[2]
                figures[f"lax {pair}"] = counts.scores("lax")[2]
            out["alignment"] = figures
        if self.entities is not None:
            out["entities"] = _entity_figures(self.entities)
        if self.citations is not None:
            out["citations"] = _citation_figures(self.citations)
        return out


def _entity_figures(score: SystemScore) -> dict[str, float]:
    figures = {"strict": score.total("strict").f1, "partial": score.total("partial").f1}
    if score.date_matched:
        figures["DATE values"] = score.date_accuracy
    if score.link_total:
        figures["linking"] = score.link_accuracy
    for match in ("strict", "partial"):
        for lang in sorted({lg for m, lg, _ in score.counts if m == match}):
            figures[f"{match} {lang}"] = score.total(match, lang).f1
            for label in sorted({lb for m, lg, lb in score.counts if m == match and lg == lang}):
                figures[f"{match} {lang} {label}"] = score.counts[(match, lang, label)].f1
    return figures


def _citation_figures(scores: CitationScores) -> dict[str, float]:
    figures = {"fields": scores.micro.f1}
    if scores.records:
        figures["exact"] = scores.exact_accuracy
    if scores.backref_total:
        figures["back-references"] = scores.backref_accuracy
    pinpoints = scores.pinpoints
    if pinpoints.tp + pinpoints.fp + pinpoints.fn:
        figures["in-text"] = pinpoints.f1
    for name, counts in scores.fields.items():
        if counts.tp + counts.fp + counts.fn:
            figures[f"field {name}"] = counts.f1
    return figures


def evaluate_document(gold_dir: str | Path, build_dir: str | Path) -> DocumentScores:
    """Every layer that ``gold_dir`` has gold for, scored on the outputs in ``build_dir``."""
    gold_dir, build_dir = Path(gold_dir), Path(build_dir)
    scores = DocumentScores()
    if (gold_dir / formats.SENTENCES).is_file():
        scores.sentences = sentence_counts(_read(gold_dir / formats.SENTENCES, formats.read_sentences),
                                           _read(build_dir / formats.SENTENCES, formats.read_sentences, []))
    if (gold_dir / formats.ALIGNMENT).is_file():
        scores.alignment = score_alignment(_read(gold_dir / formats.ALIGNMENT, formats.read_alignment),
                                           _read(build_dir / formats.ALIGNMENT, formats.read_alignment, []))
    if (gold_dir / formats.ENTITIES).is_file():
        name = gold_dir.name
        scores.entities = score_system(
            "build", span_records(name, _read(gold_dir / formats.ENTITIES, formats.read_entities)),
            span_records(name, _read(build_dir / formats.ENTITIES, formats.read_entities, [])))
    if (gold_dir / formats.CITATIONS).is_file():
        gold = _read(gold_dir / formats.CITATIONS, formats.read_citations)
        predicted = _read(build_dir / formats.CITATIONS, formats.read_citations, [])
        scores.notes = set_counts(((g["start"], g["end"]) for g in gold if "start" in g),
                                  ((p["start"], p["end"]) for p in predicted if "start" in p))
        scores.citations = score_citations(gold, predicted)
    return scores


def _read(path: Path, reader, missing: Any = None) -> Any:
    """A layer file read by its format's reader; ``missing`` when the build lacks it (None: required)."""
    if not path.is_file():
        if missing is None:
            raise InputError(path, "no such file")
        return missing
    try:
        return reader(path)
    except (ValueError, KeyError) as exc:
        raise InputError(path, f"not a {path.name} in the gold format ({type(exc).__name__}: {exc})") from None


@dataclass
class CorpusReport:
    documents: dict[str, DocumentScores]
    total: DocumentScores
    signature: Signature
    not_built: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"signature": self.signature.format(),
                "documents": {name: scores.figures() for name, scores in self.documents.items()},
                "total": self.total.figures(), "not_built": self.not_built}

    def format(self) -> str:
        columns = [(layer, figure) for layer, figure in SUMMARY
                   if any(figure in scores.figures().get(layer, {}) for scores in self.documents.values())]
        header = ["document"] + [f"{layer[:5]} {figure}" if figure not in ("F1",) else layer for layer, figure in columns]
        rows = [header]
        for name, scores in list(self.documents.items()) + [("micro total", self.total)]:
            figures = scores.figures()
            rows.append([name] + [_cell(figures.get(layer, {}).get(figure)) for layer, figure in columns])
        parts = [text_table(rows), ""]
        for layer, figures in self.total.figures().items():
            parts.append(f"-- {layer} (micro total)")
            parts.append(text_table([["figure", "value"]] + [[k, _cell(v)] for k, v in figures.items()]))
        if self.not_built:
            parts.append(f"not in the build (not scored): {', '.join(self.not_built)}")
        overall = self.total.figures()
        summary = ", ".join(f"{layer} {figure} {_cell(overall[layer][figure])}" for layer, figure in
                            (("sentences", "F1"), ("alignment", "strict"), ("entities", "strict"), ("citations", "fields"))
                            if figure in overall.get(layer, {}))
        parts.append(f"{self.signature.format()} = {summary}")
        return "\n".join(parts)


def _cell(value: float | int | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def document_folders(gold_root: str | Path) -> list[Path]:
    """The gold folders of ``gold_root``: the folder itself if it holds a gold layer, else its subfolders that do."""
    gold_root = Path(gold_root)
    if not gold_root.is_dir():
        raise InputError(gold_root, "not a folder of gold documents")
    names = (formats.SENTENCES, formats.ALIGNMENT, formats.ENTITIES, formats.CITATIONS)
    if any((gold_root / name).is_file() for name in names):
        return [gold_root]
    folders = sorted(p for p in gold_root.iterdir() if p.is_dir() and any((p / name).is_file() for name in names))
    if not folders:
        raise InputError(gold_root, f"no gold layers ({', '.join(names)}) here or in its subfolders")
    return folders


def settings_hash(build_dir: Path) -> str | None:
    """Short hash of the stage settings a document was built with (its ``stamp.json``)."""
    stamp = build_dir / "stamp.json"
    if not stamp.is_file():
        return None
    settings = json.loads(stamp.read_text(encoding="utf-8")).get("settings")
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:8]


def evaluate_corpus(gold_root: str | Path, build_root: str | Path) -> CorpusReport:
    """Every document folder of ``gold_root`` that ``build_root`` has, every layer, and the totals."""
    build_root = Path(build_root)
    if not build_root.is_dir():
        raise InputError(build_root, "no such build folder")
    documents: dict[str, DocumentScores] = {}
    total = DocumentScores()
    not_built, hashes, settings = [], [], set()
    for gold_dir in document_folders(gold_root):
        build_dir = build_root if build_root.name == gold_dir.name else build_root / gold_dir.name
        if not build_dir.is_dir():
            not_built.append(gold_dir.name)
            continue
        documents[gold_dir.name] = scores = evaluate_document(gold_dir, build_dir)
        total += scores
        hashes.append(f"{gold_dir.name}@{file_hash(gold_dir)}")
        settings.add(settings_hash(build_dir) or "unknown")
    if not documents:
        raise InputError(build_root, f"holds none of the gold documents ({', '.join(not_built)})")
    signature = Signature("Corpus", {"gold": "+".join(hashes), "layers": "+".join(LAYERS),
                                     "match": "exact-span", "norm": NORMALISATION,
                                     "settings": "+".join(sorted(settings))})
    return CorpusReport(documents, total, signature, not_built)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold folder: one subfolder per document (or one document's folder)")
    parser.add_argument("--build", required=True, help="build folder: one subfolder per document, as `polycorpus build` writes")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE ('-': print JSON instead of the table)")


def main(args: argparse.Namespace) -> int:
    report = evaluate_corpus(args.gold, args.build)
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
    if args.json == "-":
        print(text)
        return 0
    print(report.format())
    if args.json:
        from ..io import write_text

        write_text(args.json, text + "\n")
    return 0
