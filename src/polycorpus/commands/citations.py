"""``polycorpus citations``: an article's parsed footnotes, or a list of loose references."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="an article (.txt/.pdf) whose footnotes to parse")
    parser.add_argument("--refs", metavar="FILE", help="parse one reference per line of FILE ('-': standard input); prints CSL-JSON")
    parser.add_argument("--format", choices=("json", "csl", "bibtex", "tei", "table"), default="json",
                        help="json: the gold format (default); csl: CSL-JSON; bibtex; tei: listBibl of biblStruct; table")


def main(args: argparse.Namespace) -> int:
    from ..citations import CitationParser
    from ..citations.records import parse_loose

    if args.refs:
        items = parse_loose(_read_lines(args.refs), CitationParser())
        fmt = "csl" if args.format == "json" else args.format
    elif args.file:
        items = _article_items(args.file)
        fmt = args.format
    else:
        raise InputError(None, "give an article FILE or --refs FILE")
    sys.stdout.write(render(items, fmt))
    return 0


def render(items: list[dict], fmt: str) -> str:
    from lxml import etree

    from ..citations import export

    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csl":
        return json.dumps(export.to_csl(items), ensure_ascii=False, indent=1) + "\n"
    if fmt == "bibtex":
        return export.to_bibtex(items)
    if fmt == "tei":
        return etree.tostring(export.to_list_bibl(items), encoding=str, pretty_print=True)
    return export.to_table(items).to_string(index=False) + "\n"


def _read_lines(path: str) -> list[str]:
    from ..io import read_text
    from ..structure import mojibake

    text = sys.stdin.read() if path == "-" else read_text(path)
    # a list copied from a PDF with a broken font is read as one document, like an article
    text = mojibake.read_through(text, mojibake.find_repairs(text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _article_items(path: str) -> list[dict]:
    """The article's structure and footnotes, then the citations stage (nothing else runs)."""
    from ..pipeline import process
    from ..sources import read_source

    doc = process(read_source(path), ["structure", "notes", "citations"])
    return doc.data.get("citations", [])
