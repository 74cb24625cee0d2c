"""``polycorpus inspect FILE``: the recovered structure of an article as a table."""

from __future__ import annotations

import argparse

from ..evaluate.base import text_table
from ..pipeline import process
from ..sources import read_source

_FIRST_WORDS = 8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="an article (.txt or .pdf)")
    parser.add_argument("--furniture", action="store_true", help="also list page furniture")


def rows(doc, furniture: bool = False) -> list[tuple[str, str, str, str, str, str]]:
    """(kind, language, start, end, n/pieces, first words of the clean text) per block."""
    found = []
    for block in doc.blocks():
        if block.label == "furniture" and not furniture:
            continue
        # furniture is what the clean view drops: show its raw text
        words = (doc.text(block) if block.label == "furniture" else doc.clean(block).text).split()
        first = " ".join(words[:_FIRST_WORDS]) + (" …" if len(words) > _FIRST_WORDS else "")
        extra = str(block.attrs.get("n", ""))
        if block.attrs.get("pieces"):
            extra = f"{extra} {len(block.attrs['pieces'])} pieces".strip()
        found.append((block.label, block.lang or "-", str(block.start), str(block.end), extra, first))
    return found


def main(args: argparse.Namespace) -> int:
    doc = process(read_source(args.file), ["structure"])
    table = [("kind", "lang", "start", "end", "n", "first words")] + rows(doc, args.furniture)
    print(text_table(table))
    counts = {name: len(doc.layer(name)) for name in ("marker", "hyphen", "linebreak", "furniture", "homoglyph", "mojibake")}
    print("edits: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return 0
