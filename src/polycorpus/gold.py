"""Loading gold annotations (GUIDELINES.md formats) onto a :class:`Document`, for scoring and tests."""

from __future__ import annotations

import re
from pathlib import Path

from . import formats
from .document import Document


def load_gold(raw_path: str | Path, gold_dir: str | Path) -> Document:
    """The raw article with whatever gold layers ``gold_dir`` holds: sentences, entities, alignment, citations."""
    from .sources import read_source

    doc = read_source(raw_path)
    gold_dir = Path(gold_dir)
    if (gold_dir / formats.SENTENCES).exists():
        doc.set_layer("sentences", (doc.span(r["start"], r["end"], r["part"], lang=r["lang"], id=r["id"])
                                    for r in formats.read_sentences(gold_dir / formats.SENTENCES)))
    if (gold_dir / formats.ENTITIES).exists():
        doc.set_layer("entities", (doc.span(r["start"], r["end"], r["label"], lang=r["lang"], attrs={"norm": r["norm"]})
                                   for r in formats.read_entities(gold_dir / formats.ENTITIES)))
    if (gold_dir / formats.ALIGNMENT).exists():
        doc.data["alignment"] = formats.read_alignment(gold_dir / formats.ALIGNMENT)
    if (gold_dir / formats.CITATIONS).exists():
        doc.data["citations"] = formats.read_citations(gold_dir / formats.CITATIONS)
    return doc


def article_of(layout: str) -> str:
    """The article a layout folder belongs to: ``aliyeva2021-a`` and ``-b`` are one article laid out twice."""
    return re.sub(r"-[a-z]$", "", layout)


def development_articles(gold_root: str | Path, raw_root: str | Path,
                         layer: str | None = None) -> dict[str, list[tuple[Path, Path]]]:
    """Article -> its (raw file, gold folder) pairs, for every gold folder with a raw article
    (``.txt``, else ``.pdf``) and, if ``layer`` is given, that gold file; both layouts of an
    article are grouped, so that leave-one-article-out holds them out together."""
    found: dict[str, list[tuple[Path, Path]]] = {}
    for folder in sorted(p for p in Path(gold_root).iterdir() if p.is_dir()):
        if layer is not None and not (folder / layer).is_file():
            continue
        source = next((Path(raw_root) / f"{folder.name}{suffix}" for suffix in (".txt", ".pdf")
                       if (Path(raw_root) / f"{folder.name}{suffix}").is_file()), None)
        if source is not None:
            found.setdefault(article_of(folder.name), []).append((source, folder))
    return found
