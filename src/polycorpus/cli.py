"""The ``polycorpus`` command: each subcommand is a small module with ``add_arguments`` and ``main``.

Modules are imported only when their command runs, so ``polycorpus --help`` stays fast and a
command never loads another's models.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import PolycorpusError

DESCRIPTION = ("polycorpus: multilingual scholarly articles (az, ru, en) into corpora: structure, sentences, "
               "alignment, entities, citations, TEI. 'polycorpus COMMAND --help' lists a command's options.")

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("polycorpus.commands.build", "build every article of a folder into corpus/build/<doc>/"),
    "inspect": ("polycorpus.commands.inspect", "print the recovered structure of an article as a table"),
    "segment": ("polycorpus.commands.segment", "split plain text into sentences, one per line"),
    "align": ("polycorpus.commands.align", "align the sentences of two plain-text files, print TSV"),
    "ner": ("polycorpus.commands.ner", "named entities and dates of a text or an article, as JSONL"),
    "citations": ("polycorpus.commands.citations", "parse an article's footnotes or a list of references"),
    "evaluate": ("polycorpus.commands.evaluate", "score a layer against gold (segmentation, alignment, ner, citations)"),
    "validate": ("polycorpus.commands.validate", "validate TEI files against the TEI P5 schema and polycorpus's checks"),
    "export": ("polycorpus.commands.export", "export a build as CSV or Parquet tables"),
    "review": ("polycorpus.commands.review", "static HTML pages of a build, errors against gold marked in place"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="polycorpus", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"polycorpus {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    if not argv or argv[0] not in COMMANDS:
        parser.parse_args(argv or ["--help"])
        return 2
    name = argv[0]
    module = importlib.import_module(COMMANDS[name][0])
    command_parser = argparse.ArgumentParser(prog=f"polycorpus {name}", description=COMMANDS[name][1])
    module.add_arguments(command_parser)
    args = command_parser.parse_args(argv[1:])
    try:
        return module.main(args) or 0
    except PolycorpusError as exc:
        print(f"polycorpus {name}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
