"""``polycorpus build FOLDER``: every article into ``<out>/<doc>/``; failures listed at the end."""

from __future__ import annotations

import argparse
import os
import sys

from ..pipeline import DocResult, build_folder
from ..errors import InputError
from ..sources import input_files

DEFAULT_OUT = "corpus/build"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", help="a folder of articles (.txt, .pdf) or one article")
    parser.add_argument("--out", help=f"build folder (default: {DEFAULT_OUT})")
    parser.add_argument("--alignments",
                        help="folder of the readable alignment TSVs, <doc>.tsv (default: alignments/, "
                             "or <out>/alignments/ when --out is given)")
    parser.add_argument("--jobs", "-j", type=int, default=1,
                        help=f"worker processes (default: 1; this machine has {os.cpu_count()} cores)")
    parser.add_argument("--force", action="store_true", help="rebuild documents whose input and settings are unchanged")
    parser.add_argument("--stages", help="comma-separated stages to run, of structure, notes, segment, align, "
                                         "citations, entities (default: all, in that order)")


def main(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    # a build elsewhere keeps its alignments with it, not in the current folder
    alignments = args.alignments or (os.path.join(args.out, "alignments") if args.out else "alignments")
    out = args.out or DEFAULT_OUT

    stages = args.stages.split(",") if args.stages else None
    total = len(input_files(args.inputs))
    if not total:
        raise InputError(args.inputs, "no articles to build (polycorpus reads .txt and .pdf files)")
    with tqdm(total=total, unit="doc", file=sys.stderr, disable=None, desc="build") as bar:
        def progress(result: DocResult) -> None:
            bar.update(1)
            if result.status == "failed":
                bar.write(f"polycorpus build: {result.error}", file=sys.stderr)

        report = build_folder(args.inputs, out, stages, progress=progress, jobs=args.jobs,
                              force=args.force, alignments=alignments)
    print(f"built {len(report.built)}, unchanged {len(report.unchanged)}, failed {len(report.failures)} "
          f"of {total} document(s) into {out} (manifest: {out}/manifest.json)", file=sys.stderr)
    if report.failures:
        print(f"{len(report.failures)} failed:", file=sys.stderr)
        for failure in report.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0
