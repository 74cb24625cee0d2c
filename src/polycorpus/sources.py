"""Turning an input file into a :class:`Document`: plain text as is, PDFs through their text layer or OCR."""

from __future__ import annotations

from pathlib import Path

from .document import Document
from .errors import InputError
from .io import read_text

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
INPUT_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def doc_name(path: str | Path) -> str:
    """The document's name: the file name without its suffix (``bagirova2024``)."""
    return Path(path).stem


def read_source(path: str | Path) -> Document:
    """A document whose ``raw`` is the text polycorpus reads and reports offsets into."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        from .pdf import read_pdf  # pdf libraries load only for PDFs

        return read_pdf(path)
    if suffix in TEXT_SUFFIXES:
        return Document(doc_name(path), read_text(path), source=path.name)
    raise InputError(path, f"unsupported file type {suffix or '(none)'}; polycorpus reads .txt and .pdf")


def input_files(folder: str | Path) -> list[Path]:
    """The article files of a folder (or the file itself), sorted by name."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise InputError(folder, "no such file or folder")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
