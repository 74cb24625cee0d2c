"""One page per built article and an index page, from a build folder (and optionally gold)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import formats
from ..document import Document, Span
from ..errors import InputError
from ..formats import ALIGNMENT_LANGS
from ..io import write_text
from . import marks


def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("polycorpus.review", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def load_build(folder: Path) -> Document:
    path = folder / "document.json"
    try:
        return Document.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(path, f"not a polycorpus document.json ({type(exc).__name__}: {exc})") from None


def _gold_layers(gold_dir: Path) -> dict[str, Any]:
    readers = {"sentences": (formats.SENTENCES, formats.read_sentences),
               "entities": (formats.ENTITIES, formats.read_entities),
               "alignment": (formats.ALIGNMENT, formats.read_alignment),
               "citations": (formats.CITATIONS, formats.read_citations)}
    return {layer: reader(gold_dir / name) for layer, (name, reader) in readers.items() if (gold_dir / name).is_file()}


def _linked_forms(doc: Document) -> dict[str, dict[str, list[str]]]:
    """norm -> language -> the distinct forms with that norm (what hovering an entity shows)."""
    forms: dict[str, dict[str, list[str]]] = {}
    for entity in doc.layer("entities"):
        norm = entity.attrs.get("norm")
        if norm:
            by_lang = forms.setdefault(str(norm), {})
            text = doc.text(entity)
            if text not in by_lang.setdefault(entity.lang or "?", []):
                by_lang[entity.lang or "?"].append(text)
    return forms


class ArticleView:
    """The page's content: texts cut into plain, entity and citation pieces, with their marks."""

    def __init__(self, doc: Document, gold: dict[str, Any] | None) -> None:
        self.doc, self.gold = doc, gold
        self.forms = _linked_forms(doc)
        self.gold_entities = [(g["start"], g["end"], g["label"]) for g in (gold or {}).get("entities", [])]
        self.gold_sentences = {(g["start"], g["end"]) for g in (gold or {}).get("sentences", [])}
        self.placed: set[Span] = set()

    def pieces(self, start: int, end: int) -> list[dict[str, Any]]:
        """``raw[start:end]`` as plain text, entities (with norm, forms, gold status) and in-text citations."""
        inner = [(s, "ent") for s in self.doc.layer("entities")
                 if start <= s.start and s.end <= end and s not in self.placed]  # each entity is shown once
        inner += [(s, "cite") for s in self.doc.layer("marker")
                  if start <= s.start and s.end <= end and s.start < s.end and s not in self.placed]
        out, at = [], start
        for span, kind in sorted(inner, key=lambda x: (x[0].start, -x[0].end)):
            if span.start < at:
                continue  # nested or overlapping: the outer span is shown
            if span.start > at:
                out.append({"kind": "text", "text": self.doc.raw[at:span.start]})
            out.append(self._entity(span) if kind == "ent" else self._citation(span))
            at = span.end
        if at < end:
            out.append({"kind": "text", "text": self.doc.raw[at:end]})
        return out

    def _entity(self, span: Span) -> dict[str, Any]:
        self.placed.add(span)
        norm = span.attrs.get("norm")
        forms = self.forms.get(str(norm), {}) if norm else {}
        status = marks.entity_status((span.start, span.end, span.label), self.gold_entities) if self.gold else ""
        linked = "; ".join(f"{lang}: {', '.join(texts)}" for lang, texts in sorted(forms.items()))
        return {"kind": "ent", "text": self.doc.text(span), "label": span.label, "norm": norm or "",
                "linked": linked, "status": status}

    def _citation(self, span: Span) -> dict[str, Any]:
        self.placed.add(span)
        numbers = span.attrs.get("n")
        numbers = list(numbers) if isinstance(numbers, (list, tuple)) else [numbers]
        return {"kind": "cite", "text": self.doc.text(span), "targets": numbers, "id": f"cite-{span.start}"}

    def sentences(self) -> dict[str, dict[str, Any]]:
        out = {}
        spans = self.doc.layer("sentences")
        for k, s in enumerate(spans):
            # a footnote marker printed after the full stop lies between two sentences: it goes with the first
            following = spans[k + 1].start if k + 1 < len(spans) else len(self.doc.raw)
            trailing = [self._citation(m) for m in self.doc.layer("marker")
                        if s.end <= m.start < following and m.start < m.end and m not in self.placed]
            record = {"id": s.id, "lang": s.lang, "part": s.label, "pieces": self.pieces(s.start, s.end) + trailing,
                      "boundary": "", "missed": []}
            record["gold_cut"] = ""
            if self.gold is not None and "sentences" in self.gold:
                record["boundary"] = "ok" if (s.start, s.end) in self.gold_sentences else "wrong"
                if record["boundary"] == "wrong":  # where gold cuts this stretch of text instead
                    record["gold_cut"] = " | ".join(g["text"] for g in self.gold["sentences"]
                                                    if g["start"] < s.end and s.start < g["end"])
            if self.gold is not None:
                gold_in = [g for g in self.gold.get("entities", []) if s.start <= g["start"] < s.end]
                built = [(e.start, e.end, e.label) for e in self.doc.layer("entities")]
                record["missed"] = marks.missed_entities(gold_in, built)
            out[s.id] = record
        return out

    def beads(self, sentences: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        gold = (self.gold or {}).get("alignment")
        out = []
        for k, bead in enumerate(self.doc.data.get("alignment", []), 1):
            out.append({"n": k, "score": bead.get("score"), "weak": marks.bead_weakness(bead),
                        "wrong": marks.bead_errors(bead, gold) if gold is not None else None,
                        "cells": [[sentences[i] for i in bead.get(lang, []) if i in sentences]
                                  for lang in ALIGNMENT_LANGS]})
        return out

    def notes(self) -> list[dict[str, Any]]:
        gold_items = {g.get("n"): g for g in (self.gold or {}).get("citations", [])}
        cited: dict[Any, list[str]] = {}
        for marker in self.doc.layer("marker"):
            numbers = marker.attrs.get("n")
            for n in (numbers if isinstance(numbers, (list, tuple)) else [numbers]):
                cited.setdefault(n, []).append(f"cite-{marker.start}")
        out = []
        for item in self.doc.data.get("citations", []):
            gold = gold_items.get(item.get("n")) if self.gold is not None else None
            span_ok = ""
            if self.gold is not None:
                same = gold is not None and (gold.get("start"), gold.get("end")) == (item.get("start"), item.get("end"))
                span_ok = "fp" if gold is None else "ok" if same else "wrong"
            pieces = (self.pieces(item["start"], item["end"]) if "start" in item
                      else [{"kind": "text", "text": item.get("raw", "")}])
            out.append({"n": item.get("n"), "id": item.get("id") or "", "pieces": pieces, "span": span_ok,
                        "fields": marks.field_rows(item, gold if self.gold is not None else None),
                        "cited_at": cited.get(item.get("n"), [])})
        return out

    def missed_beads(self) -> list[str]:
        """Gold beads the build does not have, as their sentence ids (``az | en | ru``)."""
        built = {tuple(tuple(b.get(lang, [])) for lang in ALIGNMENT_LANGS) for b in self.doc.data.get("alignment", [])}
        gold = [tuple(tuple(b.get(lang, [])) for lang in ALIGNMENT_LANGS)
                for b in (self.gold or {}).get("alignment", [])]
        return [" | ".join(",".join(ids) or "–" for ids in bead) for bead in gold if bead not in built]

    def missed_notes(self) -> list[dict[str, Any]]:
        built = {item.get("n") for item in self.doc.data.get("citations", [])}
        return [g for g in (self.gold or {}).get("citations", []) if g.get("n") not in built]

    def context(self) -> dict[str, Any]:
        sentences = self.sentences()
        beads = self.beads(sentences)
        in_beads = {i for bead in self.doc.data.get("alignment", [])
                    for lang in ALIGNMENT_LANGS for i in bead.get(lang, [])}
        text = [s for i, s in sentences.items() if i not in in_beads]
        notes = self.notes()
        others = [self._entity(e) for e in self.doc.layer("entities") if e not in self.placed]
        return {"name": self.doc.name, "beads": beads, "text": text, "notes": notes, "other_entities": others,
                "missed_notes": self.missed_notes(), "missed_beads": self.missed_beads(),
                "langs": ALIGNMENT_LANGS, "has_gold": self.gold is not None,
                "counts": figures(self.doc)}


def figures(doc: Document) -> dict[str, int]:
    beads = doc.data.get("alignment", [])
    return {"sentences": len(doc.layer("sentences")), "beads": len(beads),
            "weak beads": sum(1 for b in beads if marks.bead_weakness(b)),
            "entities": len(doc.layer("entities")), "notes": len(doc.data.get("citations", []))}


def build_folders(build_root: Path) -> list[Path]:
    """The document folders of a build (the folder itself if it is one)."""
    if (build_root / "document.json").is_file():
        return [build_root]
    folders = sorted(p for p in build_root.iterdir() if (p / "document.json").is_file()) if build_root.is_dir() else []
    if not folders:
        raise InputError(build_root, "no document.json here or in its subfolders (run `polycorpus build` first)")
    return folders


def _scores(gold_dir: Path, build_dir: Path) -> dict[str, dict[str, float]]:
    from ..evaluate.corpus import evaluate_document

    return evaluate_document(gold_dir, build_dir).figures()


def write_review(build_root: str | Path, out: str | Path, gold_root: str | Path | None = None) -> list[Path]:
    """Write ``<out>/<doc>.html`` per built article and ``<out>/index.html``; returns the paths, index first."""
    build_root, out = Path(build_root), Path(out)
    env = _environment()
    article, index = env.get_template("article.html"), env.get_template("index.html")
    rows, written = [], []
    for folder in build_folders(build_root):
        doc = load_build(folder)
        gold_dir = Path(gold_root) / folder.name if gold_root is not None else None
        if gold_dir is not None and not gold_dir.is_dir():
            gold_dir = None  # an article without gold is shown as built
        scores = _scores(gold_dir, folder) if gold_dir is not None else {}
        context = ArticleView(doc, _gold_layers(gold_dir) if gold_dir is not None else None).context()
        page = out / f"{doc.name}.html"
        split = {layer: _split(values) for layer, values in scores.items()}
        write_text(page, article.render(context | {"scores": split}))
        written.append(page)
        rows.append({"name": doc.name, "href": page.name, "counts": context["counts"], "scores": scores})
    columns = [(layer, figure) for layer, figures_shown in _INDEX_FIGURES.items() for figure in figures_shown
               if any(figure in row["scores"].get(layer, {}) for row in rows)]
    write_text(out / "index.html", index.render(rows=rows, columns=columns, count_names=list(rows[0]["counts"])))
    return [out / "index.html", *written]


def _split(values: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """A layer's figures as (headline, details): per-key figures are named ``figure key`` (``strict az``)."""
    return ({k: v for k, v in values.items() if " " not in k}, {k: v for k, v in values.items() if " " in k})


# the per-layer figures an index row shows (the page shows them all)
_INDEX_FIGURES = {"sentences": ("F1",), "notes": ("F1",), "alignment": ("strict", "lax"),
                  "entities": ("strict", "partial"), "citations": ("fields", "exact")}
