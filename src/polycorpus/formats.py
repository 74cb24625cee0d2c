"""The gold file formats of GUIDELINES.md, read and written in one place.

| file | record |
|---|---|
| sentences.jsonl | id, lang, part, start, end, text |
| alignment.tsv | columns az, en, ru: comma-separated sentence ids |
| entities.jsonl | start, end, text, label, lang, norm |
| citations.json | a list of CSL-JSON items with n, raw, start, end, … |
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable

from .io import write_json, write_jsonl, write_text

SENTENCES = "sentences.jsonl"
ALIGNMENT = "alignment.tsv"
ENTITIES = "entities.jsonl"
CITATIONS = "citations.json"
ALIGNMENT_LANGS = ("az", "en", "ru")

Bead = dict[str, list[str]]  # {"az": [...ids], "en": [...], "ru": [...]}


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_sentences(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path)


def write_sentences(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    keys = ("id", "lang", "part", "start", "end", "text")
    write_jsonl(path, [{k: r[k] for k in keys} for r in records])


def read_entities(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path)


def write_entities(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    keys = ("start", "end", "text", "label", "lang", "norm")
    write_jsonl(path, [{k: r.get(k) for k in keys} for r in records])


def read_alignment(path: str | Path) -> list[Bead]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return [{lang: [i for i in (row.get(lang) or "").split(",") if i] for lang in reader.fieldnames or ()}
                for row in reader]


def alignment_tsv(beads: Iterable[Bead], langs: tuple[str, ...] = ALIGNMENT_LANGS) -> str:
    out = io.StringIO()
    out.write("\t".join(langs) + "\n")
    for bead in beads:
        out.write("\t".join(",".join(bead.get(lang, [])) for lang in langs) + "\n")
    return out.getvalue()


def write_alignment(path: str | Path, beads: Iterable[Bead], langs: tuple[str, ...] = ALIGNMENT_LANGS) -> None:
    write_text(path, alignment_tsv(beads, langs))


def read_citations(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_citations(path: str | Path, items: list[dict[str, Any]]) -> None:
    write_json(path, items)
