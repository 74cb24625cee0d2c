"""The learned part of the citations stage: a CRF labeller fitted on gold footnotes and list entries,
combined with the rules field by field (``fit`` keeps, for each field, whichever of the two wins
leave-one-article-out among the training articles).

``fit(articles, workdir, seed)`` writes ``labeller.crfsuite`` and ``labeller.json`` into ``workdir``
and returns the stage settings ``{"citations": {"labeller": PATH, "crf_fields": [...]}}``: the
per-field choice is itself learned (the fields where the CRF beat the rules, in true positives
less errors, summed over the inner leave-one-article-out folds and on most of them), never set by hand.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, Iterable

from ..formats import read_citations
from .parser import CitationParser, Parsed

# fields the choice is made over (the scorer's, less those only the rules can read: dates, back-references)
CHOSEN = ("type", "author", "editor", "translator", "title", "container-title", "genre", "publisher",
          "publisher-place", "event-place", "volume", "issue", "page", "number-of-pages", "locator", "archive",
          "archive_location")


def gold_records(articles: Iterable[tuple[Path, Path]]) -> list[dict[str, Any]]:
    """Every footnote or list entry of the articles' gold, once per article (its layouts print the same notes)."""
    records, seen = [], set()
    for _, gold_dir in articles:
        for item in read_citations(Path(gold_dir) / "citations.json"):
            if item["raw"] in seen:
                continue
            seen.add(item["raw"])
            records.append(item)
    return records


def _article(gold_dir: Path) -> str:
    """Both layouts of an article (``x-a``, ``x-b``) are one article."""
    name = Path(gold_dir).name
    return name[:-2] if name[-2:] in ("-a", "-b") else name


class HybridParser:
    """The CRF's value for the fields in ``crf_fields``, the rules' for every other field and for back-references."""

    def __init__(self, model: str | Path, crf_fields: Iterable[str], parser: CitationParser | None = None) -> None:
        from .labeller import CrfLabeller

        self.rules = parser or CitationParser()
        self.crf = CrfLabeller(model, self.rules)
        self.crf_fields = frozenset(crf_fields)
        self.cues = self.rules.cues
        self.version = f"hybrid-{self.crf.version}"

    def parse(self, text: str) -> Parsed:
        ruled = self.rules.parse(text)
        if ruled.backref or not self.crf_fields:
            return ruled
        labelled = self.crf.parse(text).fields
        fields = dict(ruled.fields)
        for key in self.crf_fields:
            fields.pop(key, None)
            if key in labelled:
                fields[key] = labelled[key]
        return Parsed(fields, ruled.backref, ruled.extra)


def load(path: str | Path, crf_fields: Iterable[str] | None = None) -> HybridParser:
    """The parser a ``labeller.json`` written by :func:`fit` describes (``crf_fields``: its choice unless given)."""
    path = Path(path)
    spec = json.loads(path.read_text(encoding="utf-8"))
    return HybridParser(path.parent / spec["model"], spec["crf_fields"] if crf_fields is None else crf_fields)


def _train(records: list[dict[str, Any]], model: Path, parser: CitationParser) -> None:
    from .labeller import train

    train(((r["raw"], r) for r in records), model, parser)


def field_wins(held: list[dict[str, Any]], model: Path, parser: CitationParser) -> dict[str, tuple[int, int]]:
    """Per field, the true positives minus errors of the rules and of the CRF on ``held``."""
    from ..evaluate.citations import score_citations
    from .labeller import CrfLabeller
    from .records import parse_items

    base = [{k: r[k] for k in ("n", "raw") if k in r} for r in held]
    rules = score_citations(held, parse_items(base, parser)).fields
    crf = score_citations(held, parse_items(base, CrfLabeller(model, parser))).fields
    return {key: (rules[key].tp - rules[key].fp - rules[key].fn, crf[key].tp - crf[key].fp - crf[key].fn)
            for key in CHOSEN if key in rules}


def fit(articles: list[tuple[Path, Path]], workdir: Path, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Train the CRF on all notes and entries of ``articles``; choose its fields leave-one-article-out."""
    random.seed(seed)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    parser = CitationParser()
    groups: dict[str, list[tuple[Path, Path]]] = {}
    for pair in articles:
        groups.setdefault(_article(pair[1]), []).append(pair)
    margin = {key: 0 for key in CHOSEN}
    wins = {key: 0 for key in CHOSEN}  # held-out articles on which the CRF beat the rules
    if len(groups) > 1:
        for name, held in sorted(groups.items()):
            rest = [pair for other, pairs in sorted(groups.items()) if other != name for pair in pairs]
            model = workdir / f"inner-{name}.crfsuite"
            _train(gold_records(rest), model, parser)
            for key, (rules, crf) in field_wins(gold_records(held), model, parser).items():
                margin[key] += crf - rules
                wins[key] += crf > rules
            model.unlink()
    model = workdir / "labeller.crfsuite"
    _train(gold_records(articles), model, parser)
    # the CRF takes a field it wins in total and on most held-out articles (one article's fluke switches none)
    chosen = sorted(k for k in CHOSEN if margin[k] > 0 and 2 * wins[k] > len(groups))
    spec = {"model": model.name, "crf_fields": chosen, "margins": margin, "wins": wins, "trained_on": sorted(groups)}
    path = workdir / "labeller.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"citations": {"labeller": str(path), "crf_fields": spec["crf_fields"]}}
