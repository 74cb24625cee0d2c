"""The corpus as pandas tables: documents, sentences, alignments, entities, citations.

Every function takes a *source*: a build folder of many documents (``corpus/build``), one
document's folder (``corpus/build/bagirova2024``), a :class:`Document`, or a list of them. Each
row carries ``doc``; offsets are raw offsets (the gold's coordinates), and ``text`` is the clean
text (hyphenation undone, white space folded) that the TEI holds::

    from polycorpus import tables
    frames = tables.corpus_tables("corpus/build")
    frames["entities"].groupby(["label", "lang"]).size()
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Union

import pandas as pd

from .document import Document, RangeIndex
from .errors import InputError
from .io import read_text

Source = Union[str, Path, Document, Iterable[Document]]
TABLES = ("documents", "sentences", "alignments", "entities", "citations")


def load_documents(source: Source) -> list[Document]:
    """The documents of a source, in name order."""
    if isinstance(source, Document):
        return [source]
    if not isinstance(source, (str, Path)):
        return list(source)
    folder = Path(source)
    if (folder / "document.json").exists():
        paths = [folder / "document.json"]
    elif folder.is_dir():
        # dot-folders: a document being published, or the documents whose input is gone (.orphaned)
        paths = sorted(p / "document.json" for p in folder.iterdir()
                       if not p.name.startswith(".") and (p / "document.json").exists())
    else:
        raise InputError(folder, "no such build folder")
    documents = []
    for path in paths:
        try:
            documents.append(Document.from_json(json.loads(read_text(path))))
        except (ValueError, KeyError) as exc:
            raise InputError(path, f"not a polycorpus document.json ({exc})") from None
    return documents


def documents(source: Source) -> pd.DataFrame:
    """One row per document: its source, languages, size and how many of each annotation it has."""
    rows = []
    for doc in load_documents(source):
        sentences = doc.layer("sentences")
        rows.append({
            "doc": doc.name, "source": doc.source,
            "title": next((doc.clean(b).text for b in doc.blocks("title")), None),
            "languages": ",".join(_languages(doc)),
            "chars": len(doc.raw), "blocks": len(doc.layer("blocks")), "sentences": len(sentences),
            "entities": len(doc.layer("entities")), "footnotes": len(doc.data.get("citations", [])),
            "beads": len(doc.data.get("alignment", [])), "stages": ",".join(doc.meta.get("stages", {})),
        })
    return _frame(rows, ["doc", "source", "title", "languages", "chars", "blocks", "sentences", "entities",
                         "footnotes", "beads", "stages"])


def sentences(source: Source) -> pd.DataFrame:
    rows = [{"doc": doc.name, "id": s.id, "lang": s.lang, "part": s.label, "start": s.start, "end": s.end,
             "text": doc.clean(s).text}
            for doc in load_documents(source) for s in doc.layer("sentences")]
    return _frame(rows, ["doc", "id", "lang", "part", "start", "end", "text"])


def alignments(source: Source) -> pd.DataFrame:
    """One row per bead: the sentence ids and texts of each language side by side."""
    rows = []
    for doc in load_documents(source):
        text = {s.id: doc.clean(s).text for s in doc.layer("sentences")}
        for i, bead in enumerate(doc.data.get("alignment", []), 1):
            row: dict[str, Any] = {"doc": doc.name, "bead": i, "score": bead.get("score"),
                                   "confidence": bead.get("confidence"), "weak": bool(bead.get("weak"))}
            for lang in ("az", "en", "ru"):
                ids = bead.get(lang, [])
                row[f"{lang}_ids"] = ",".join(ids)
                row[lang] = " ".join(text.get(j, "") for j in ids)
            row["shape"] = "-".join(str(len(bead.get(lang, []))) for lang in ("az", "en", "ru"))
            rows.append(row)
    return _frame(rows, ["doc", "bead", "shape", "score", "confidence", "weak", "az_ids", "en_ids", "ru_ids", "az", "en", "ru"])


def entities(source: Source) -> pd.DataFrame:
    """One row per mention, with the sentence (or footnote) it is in."""
    rows = []
    for doc in load_documents(source):
        homes = [(s.start, s.end, s.id) for s in doc.layer("sentences")]
        homes += [(c["start"], c["end"], f"footnote.{c.get('n')}") for c in doc.data.get("citations", [])
                  if "start" in c]
        homes_index = RangeIndex(homes)
        for e in doc.layer("entities"):
            home = homes_index.holding(e.start, e.end)
            rows.append({"doc": doc.name, "start": e.start, "end": e.end, "label": e.label, "lang": e.lang,
                         "norm": e.attrs.get("norm"), "text": doc.clean(e).text, "in": home})
    return _frame(rows, ["doc", "start", "end", "label", "lang", "norm", "text", "in"])


def citations(source: Source) -> pd.DataFrame:
    """One row per reference (a footnote citing several works has several), as the citations stage's table."""
    from .citations.export import to_table

    frames = []
    for doc in load_documents(source):
        table = to_table(doc.data.get("citations", []))
        table.insert(0, "doc", doc.name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["doc"])


def corpus_tables(source: Source) -> dict[str, pd.DataFrame]:
    """All five tables, loading the documents once."""
    docs = load_documents(source)
    return {"documents": documents(docs), "sentences": sentences(docs), "alignments": alignments(docs),
            "entities": entities(docs), "citations": citations(docs)}


def export(source: Source, out: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every table as ``<out>/<table>.csv`` or ``.parquet``; returns the paths."""
    from .io import atomic_open

    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown table format {fmt!r} (csv or parquet)")
    docs = load_documents(source)
    if not docs:
        raise InputError(source if isinstance(source, (str, Path)) else None,
                         "no built documents (no <doc>/document.json); nothing to export")
    written = []
    for name, frame in corpus_tables(docs).items():
        path = Path(out) / f"{name}.{fmt}"
        with atomic_open(path, "wb") as handle:
            if fmt == "csv":
                handle.write(frame.to_csv(index=False).encode("utf-8"))
            else:
                frame.to_parquet(handle, index=False)
        written.append(path)
    return written


def _languages(doc: Document) -> list[str]:
    """Every language of the document: blocks, sentences, entities and footnotes."""
    langs = {s.lang for layer in ("blocks", "sentences", "entities") for s in doc.layer(layer)}
    langs |= {c.get("language") for c in doc.data.get("citations", [])}
    return sorted(lang for lang in langs if lang)


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)
