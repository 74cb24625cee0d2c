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

from .errors import InputError
from .io import read_text, write_json, write_jsonl, write_text

SENTENCES = "sentences.jsonl"
ALIGNMENT = "alignment.tsv"
ENTITIES = "entities.jsonl"
CITATIONS = "citations.json"
ALIGNMENT_LANGS = ("az", "en", "ru")

Bead = dict[str, list[str]]  # {"az": [...ids], "en": [...], "ru": [...]}


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """One JSON object per line; a file that is not that is a one-line InputError."""
    records = []
    for number, line in enumerate(_text(path).splitlines(), 1):
        if line.strip():
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(path, f"line {number} is not JSON ({exc.msg}); expected JSON Lines") from None
            if not isinstance(record, dict):
                raise InputError(path, f"line {number} is not a JSON object; expected JSON Lines")
            records.append(record)
    return records


def _text(path: str | Path) -> str:
    """The file's text; a folder or a missing file is an InputError naming it."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "a folder, not a file")
    if not path.exists():
        raise InputError(path, "no such file")
    return read_text(path)


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
    """The beads of an alignment TSV; a file whose header names none of az, en, ru is refused."""
    reader = csv.DictReader(io.StringIO(_text(path), newline=""), delimiter="\t")
    langs = [name for name in reader.fieldnames or () if name in ALIGNMENT_LANGS]
    if not langs:
        header = ",".join(reader.fieldnames or ())[:60]
        raise InputError(path, f"not an alignment TSV (header {header!r}; expected columns {', '.join(ALIGNMENT_LANGS)})")
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
    """A citations.json: a JSON list of CSL-JSON items; anything else is a one-line InputError."""
    try:
        items = json.loads(_text(path))
    except ValueError as exc:
        raise InputError(path, f"not JSON (line {exc.lineno}: {exc.msg}); expected a citations.json list") from None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError(path, "not a citations.json (expected a JSON list of items)")
    return items


def write_citations(path: str | Path, items: list[dict[str, Any]]) -> None:
    write_json(path, items)
