"""Writing a built document: document.json, the gold-format layers that exist, and its TEI."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from . import formats
from .document import Document
from .io import write_text
from .sources import TEXT_SUFFIXES

# the text a PDF's offsets point into (pdfplumber's or tesseract's), so they can be checked
EXTRACTED_TEXT = "extracted.txt"


def sentence_records(doc: Document) -> list[dict[str, Any]]:
    return [{"id": s.id, "lang": s.lang, "part": s.label, "start": s.start, "end": s.end, "text": doc.text(s)}
            for s in doc.layer("sentences")]


def entity_records(doc: Document) -> list[dict[str, Any]]:
    return [{"start": e.start, "end": e.end, "text": doc.text(e), "label": e.label, "lang": e.lang,
             "norm": e.attrs.get("norm")} for e in doc.layer("entities")]


def write_layers(doc: Document, folder: str | Path) -> list[Path]:
    """Write document.json and every gold-format layer the document has; returns the paths."""
    folder = Path(folder)
    written = [folder / "document.json"]
    write_text(written[0], doc.dumps())
    if doc.source and Path(doc.source).suffix.lower() not in TEXT_SUFFIXES:
        written.append(folder / EXTRACTED_TEXT)
        write_text(written[-1], doc.raw)
    if "sentences" in doc.layers:
        written.append(folder / formats.SENTENCES)
        formats.write_sentences(written[-1], sentence_records(doc))
    if "alignment" in doc.data:
        written.append(folder / formats.ALIGNMENT)
        formats.write_alignment(written[-1], doc.data["alignment"])
    if "entities" in doc.layers:
        written.append(folder / formats.ENTITIES)
        formats.write_entities(written[-1], entity_records(doc))
    if "citations" in doc.data:
        written.append(folder / formats.CITATIONS)
        formats.write_citations(written[-1], doc.data["citations"])
    if "citations" in doc.meta:  # parsed by the citations stage: CSL-JSON and BibTeX beside it
        from .citations.export import write_exports
        written.extend(write_exports(doc.data["citations"], folder))
    return written


def write_outputs(doc: Document, folder: str | Path, timings: dict[str, float] | None = None) -> list[Path]:
    """Every output of a document in ``folder``: the TEI (``<doc>.tei.xml``), then the layers.

    The TEI goes first because the writer records in ``doc.meta["tei"]`` what it had to leave
    out, which document.json then carries.
    """
    from .tei.write import write_tei

    started = time.perf_counter()
    tei = write_tei(doc, Path(folder) / f"{doc.name}.tei.xml")
    if timings is not None:
        timings["tei"] = time.perf_counter() - started
    return [tei, *write_layers(doc, folder)]
