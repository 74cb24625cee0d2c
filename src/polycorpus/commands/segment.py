"""``polycorpus segment --lang az|ru|en FILE|-``: plain text in, one sentence per line out.

White space inside a sentence (line breaks of the source) is folded to single spaces; a
paragraph break (a blank line) always ends a sentence. ``--trace`` prints, instead, every
proposed boundary with the rule that decided it (rules backend only).
"""

from __future__ import annotations

import argparse
import re
import sys

from ..io import read_text
from ..segment import make_segmenter
from ..segment.rules import RuleSegmenter

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a UTF-8 text file, or - for standard input")
    parser.add_argument("--lang", required=True,
                        help="language of the text: az, ru, en (others: rules without abbreviations)")
    parser.add_argument("--backend", default="spacy", choices=("spacy", "stanza"),
                        help="segmenter (default: spacy)")
    parser.add_argument("--stanza-dir", help="stanza resources folder or tokenizer model (backend stanza)")
    parser.add_argument("--trace", action="store_true",
                        help="print each proposed boundary and the rule that decided it")


def segment_text(text: str, lang: str, backend: str = "spacy", stanza_dir: str | None = None) -> list[str]:
    """The sentences of ``text``, white space folded; paragraphs (blank lines) are segmented apart."""
    if backend == "spacy":
        # the spaCy backend's boundaries are its rules' own (SpacySegmenter.split returns them):
        # the rules alone give the same sentences without loading spaCy (and torch through thinc)
        segmenter = RuleSegmenter(lang)
    else:
        segmenter = make_segmenter(lang, backend, model_dir=stanza_dir)
    sentences = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        sentences += [" ".join(paragraph[s:e].split()) for s, e in segmenter.split(paragraph)]
    return [s for s in sentences if s]


def trace_lines(text: str, lang: str) -> list[str]:
    rules = RuleSegmenter(lang)
    lines = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        for d in rules.trace(paragraph):
            context = " ".join(paragraph[max(0, d.end - 30):d.end].split())
            following = " ".join(paragraph[d.next:d.next + 20].split())
            lines.append(f"{'SPLIT' if d.split else 'join '}\t{d.rule}\t…{context} | {following}…")
    return lines


def main(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.input == "-" else read_text(args.input)
    if args.trace:
        lines = trace_lines(text, args.lang)
    else:
        lines = segment_text(text, args.lang, args.backend, args.stanza_dir)
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0
