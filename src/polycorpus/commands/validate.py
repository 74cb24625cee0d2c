"""``polycorpus validate FILE…``: RELAX NG (jing or lxml) plus polycorpus's own checks."""

from __future__ import annotations

import argparse
import sys

from ..tei.validate import SCHEMA_ENV, default_schema, validate_files


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", help="TEI files")
    parser.add_argument("--schema", help=f"a RELAX NG schema, e.g. tei_all.rng (default: ${SCHEMA_ENV}, "
                                         "else polycorpus's own TEI customisation)")
    parser.add_argument("--engine", choices=("auto", "jing", "lxml"), default="auto",
                        help="validator (default: jing when installed, else lxml)")


def main(args: argparse.Namespace) -> int:
    schema = args.schema or default_schema()
    problems = validate_files(args.files, schema, engine=args.engine)
    for problem in problems:
        print(problem)
    bad = len({p.file for p in problems})
    print(f"{len(args.files) - bad} of {len(args.files)} file(s) valid against {schema} and polycorpus's checks",
          file=sys.stderr)
    return 1 if problems else 0
