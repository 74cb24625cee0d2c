"""``polycorpus export [BUILD] --format csv|parquet``: the build as five tables."""

from __future__ import annotations

import argparse
import sys

from ..tables import TABLES, export


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("build", nargs="?", default="corpus/build",
                        help="a build folder, or one document's folder in it (default: corpus/build)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default: csv)")
    parser.add_argument("--out", default="corpus/tables", help="output folder (default: corpus/tables)")


def main(args: argparse.Namespace) -> int:
    paths = export(args.build, args.out, args.format)
    print(f"wrote {len(paths)} tables ({', '.join(TABLES)}) to {args.out}", file=sys.stderr)
    return 0
