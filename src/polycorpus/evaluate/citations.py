"""Citations: per-field P/R/F1 of parsed footnotes against gold citations.json, exact records, back-references.

Records are paired by footnote number ``n`` (a footnote's further ``references`` by position).
Each field's values are compared after normalisation — white space, line-end hyphenation and
quote style (« » “ ” " „ “) do not count — and a name list counts one value per person.
In an article citing a reference list, the gold entries' ``in_text`` (in-text citations with their
pinpoints) are scored too, for a build only: the parser alone, on raw entries, cannot see the text.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base import Counts, ScoreTable, Signature, file_hash, set_counts

FIELDS = ("type", "author", "editor", "translator", "recipient", "title", "container-title", "collection-title",
          "genre", "publisher", "publisher-place", "event-place", "year", "issued", "volume", "issue", "page",
          "number-of-pages", "locator", "archive", "archive_location", "URL", "language")
# the gold conventions leave a back-reference's type and language unscored (inheriting them is fine)
BACKREF_UNSCORED = ("type", "language")
NORMALISATION = "ws+hyphen+quotes"


def normalise(text: str) -> str:
    text = re.sub(r"(?<=\w)[-‐]\s+(?=\w)", "", text)  # a line-end hyphen left with its space
    text = re.sub(r"[«»“”„‟\"]", '"', text).replace("’", "'").replace("‘", "'")
    text = text.replace("–", "-").replace("—", "-").replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def field_values(record: dict[str, Any], name: str) -> set[str]:
    """The normalised values of one field (one per person for name lists)."""
    if name == "year":
        parts = (record.get("issued") or {}).get("date-parts") or [[]]
        return {str(parts[0][0])} if parts[0] else set()
    value = record.get(name)
    if value in (None, "", []):
        return set()
    if name == "issued":
        return {"-".join(str(p) for p in value.get("date-parts", [[]])[0])}
    if name == "archive":  # a parenthesised abbreviation after the name "may be kept or dropped" (GUIDELINES)
        value = re.sub(r"\s*\([^\W\d_]{2,8}\)$", "", str(value))
    if isinstance(value, list):
        return {normalise("|".join(filter(None, (p.get("family"), p.get("given"), p.get("literal"))))) for p in value}
    return {normalise(str(value))}


@dataclass
class CitationScores:
    fields: dict[str, Counts] = field(default_factory=lambda: {name: Counts() for name in FIELDS})
    records: int = 0
    exact: int = 0
    backref_total: int = 0
    backref_correct: int = 0
    # in-text citations of a reference list (gold items with ``in_text``), matched on the end of the
    # bracket and the locator: where a citation starts (with or without the space before it) is a convention
    pinpoints: Counts = field(default_factory=Counts)

    def __iadd__(self, other: "CitationScores") -> "CitationScores":
        for name, counts in other.fields.items():
            self.fields.setdefault(name, Counts())
            self.fields[name] += counts
        self.records += other.records
        self.exact += other.exact
        self.backref_total += other.backref_total
        self.backref_correct += other.backref_correct
        self.pinpoints += other.pinpoints
        return self

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.fields.values():
            total += counts
        return total

    @property
    def exact_accuracy(self) -> float:
        return self.exact / self.records if self.records else 0.0

    @property
    def backref_accuracy(self) -> float:
        return self.backref_correct / self.backref_total if self.backref_total else 1.0

    def table(self) -> ScoreTable:
        table = ScoreTable(("field",))
        for name, counts in self.fields.items():
            if counts.tp + counts.fp + counts.fn:
                table.add((name,), counts)
        table.add(("micro",), self.micro)
        return table


def score_citations(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> CitationScores:
    """Scores of ``predicted`` items against ``gold`` items (both in the gold format)."""
    scores = CitationScores()
    by_n = {item.get("n"): item for item in predicted}
    for gold_item in gold:
        pred_item = by_n.get(gold_item.get("n"), {})
        pairs = [(gold_item, pred_item)]
        gold_refs, pred_refs = gold_item.get("references", []), pred_item.get("references", [])
        pairs += [(gold_refs[i] if i < len(gold_refs) else {}, pred_refs[i] if i < len(pred_refs) else {})
                  for i in range(max(len(gold_refs), len(pred_refs)))]
        exact = True
        backref = bool(gold_item.get("ibid")) or ("refers_to" in gold_item and "title" not in gold_item)
        for k, (gold_record, pred_record) in enumerate(pairs):
            for name in FIELDS:
                if backref and k == 0 and name in BACKREF_UNSCORED:
                    continue
                g, p = field_values(gold_record, name), field_values(pred_record, name)
                counts = Counts(len(g & p), len(p - g), len(g - p))
                scores.fields[name] += counts
                exact &= not (counts.fp or counts.fn)
        scores.records += 1
        scores.exact += exact
        if "in_text" in gold_item:
            scores.pinpoints += set_counts(_places(gold_item), _places(pred_item))
        gold_back = (bool(gold_item.get("ibid")), gold_item.get("refers_to"))
        pred_back = (bool(pred_item.get("ibid")), pred_item.get("refers_to"))
        if gold_back != (False, None) or pred_back != (False, None):
            scores.backref_total += 1
            scores.backref_correct += gold_back == pred_back
    return scores


def _places(item: dict[str, Any]) -> set[tuple[int, str | None]]:
    return {(place["end"], place.get("locator")) for place in item.get("in_text", [])}


def signature(gold_path: str | Path, parser: str) -> Signature:
    return Signature("Citations-F1", {"gold": f"{Path(gold_path).parent.name}@{file_hash(gold_path)}",
                                      "norm": NORMALISATION, "fields": len(FIELDS), "parser": parser})


def report(scores: CitationScores, sig: Signature) -> str:
    return "\n".join([
        scores.table().format(),
        f"exact records: {scores.exact}/{scores.records} = {scores.exact_accuracy:.3f}",
        f"back-references: {scores.backref_correct}/{scores.backref_total} = {scores.backref_accuracy:.3f}",
        *_pinpoint_line(scores.pinpoints),
        f"{sig.format()} = {scores.micro.f1:.3f}",
    ]) + "\n"


def _pinpoint_line(counts: Counts) -> list[str]:
    if not counts.tp + counts.fp + counts.fn:
        return []
    return [f"in-text pinpoints: P {counts.precision:.3f} R {counts.recall:.3f} F1 {counts.f1:.3f} "
            f"(tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"]


def evaluate(gold_path: str | Path, build_path: str | Path | None = None) -> tuple[CitationScores, Signature]:
    """Score a build's citations.json, or (without one) the parser run on the gold's raw footnotes."""
    from ..citations import CitationParser
    from ..citations.records import parse_items
    from ..formats import read_citations

    gold = read_citations(gold_path)
    if build_path:
        predicted, parser = read_citations(build_path), f"build@{file_hash(build_path)}"
    else:
        found = CitationParser()
        predicted = parse_items(({k: g[k] for k in ("id", "n", "raw", "start", "end") if k in g} for g in gold), found)
        parser = found.version
        gold = [{k: v for k, v in g.items() if k != "in_text"} for g in gold]  # no text to find them in
    return score_citations(gold, predicted), signature(gold_path, parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold citations.json")
    parser.add_argument("--build", help="a built citations.json (default: parse the gold's raw footnotes)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def main(args: argparse.Namespace) -> int:
    scores, sig = evaluate(args.gold, args.build)
    if args.json:
        print(json.dumps({"fields": scores.table().records(), "exact": scores.exact_accuracy,
                          "backrefs": scores.backref_accuracy,
                          "pinpoints": vars(scores.pinpoints) if _pinpoint_line(scores.pinpoints) else None, "signature": sig.format()}, ensure_ascii=False, indent=1))
    else:
        print(report(scores, sig), end="")
    return 0
