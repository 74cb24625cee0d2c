"""The ``citations`` stage: parse the footnote items made by the ``notes`` stage, in place."""

from __future__ import annotations

from ..document import Document
from ..registry import stage
from .parser import CitationParser
from .records import parse_items


@stage("citations", requires=("citations",), assigns=("citations_parsed",))
def citations_stage(doc: Document) -> None:
    """Replace each base item ``{id, n, raw, start, end}`` by its parsed gold-format record."""
    parser = CitationParser()
    doc.data["citations"] = parse_items(doc.data.get("citations", []), parser)
    doc.meta["citations"] = {"parser": parser.version, "cues": parser.cues.version}
