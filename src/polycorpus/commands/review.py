"""``polycorpus review BUILD_DIR``: static HTML pages of a build, with the errors against gold marked in place."""

from __future__ import annotations

import argparse
import sys

from ..review import write_review


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("build", help="build folder (one subfolder per document, as `polycorpus build` writes)")
    parser.add_argument("--gold", help="gold folder (<doc>/ in the gold formats): mark errors and show scores")
    parser.add_argument("--out", default="corpus/review", help="folder for the pages (default: corpus/review)")


def main(args: argparse.Namespace) -> int:
    pages = write_review(args.build, args.out, args.gold)
    print(f"wrote {len(pages) - 1} article page(s) and {pages[0]}", file=sys.stderr)
    return 0
