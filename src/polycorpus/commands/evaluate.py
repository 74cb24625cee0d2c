"""``polycorpus evaluate TASK``: score a layer against gold; each task is ``polycorpus.evaluate.<task>``."""

from __future__ import annotations

import argparse
import importlib

TASKS = ("segmentation", "alignment", "ner", "citations", "corpus")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="task", metavar="TASK", required=True)
    for task in TASKS:
        module = importlib.import_module(f"polycorpus.evaluate.{task}")
        module.add_arguments(sub.add_parser(task, help=(module.__doc__ or "").strip().splitlines()[0]))


def main(args: argparse.Namespace) -> int:
    return importlib.import_module(f"polycorpus.evaluate.{args.task}").main(args)
