"""``polycorpus build FOLDER``: every article into ``<out>/<doc>/``; failures listed at the end."""

from __future__ import annotations

import argparse
import sys

from ..pipeline import build_folder, stderr_progress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", help="a folder of articles (.txt, .pdf) or one article")
    parser.add_argument("--out", default="corpus/build", help="build folder (default: corpus/build)")


def main(args: argparse.Namespace) -> int:
    report = build_folder(args.inputs, args.out, progress=stderr_progress)
    print(f"built {len(report.built)} document(s) into {args.out}", file=sys.stderr)
    if report.failures:
        print(f"{len(report.failures)} failed:", file=sys.stderr)
        for failure in report.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0
