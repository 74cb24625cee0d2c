"""Loading gold annotations (GUIDELINES.md formats) onto a :class:`Document`, for scoring and tests."""

from __future__ import annotations

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
