"""``polycorpus ner``: named entities and dates of plain text (``--lang``) or of an article.

With ``--lang az|ru|en`` the input (a file or ``-`` for standard input) is plain text and the
spans are printed in that text's offsets. Without it the input is an article: the pipeline runs
up to the ``entities`` stage and the spans are printed in raw offsets (``--out DIR`` writes
``DIR/<doc>/entities.jsonl`` in the gold format, and the CoNLL and DocBin exports beside it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a text file, '-' for standard input, or an article (.txt, .pdf)")
    parser.add_argument("--lang", choices=("az", "ru", "en", "tr", "sv"),
                        help="read the input as plain text in this language")
    parser.add_argument("--backend", action="append", default=[], metavar="[LANG=]NAME",
                        help="NER backend (spacy-en, natasha, stanza, az); LANG=NAME for one language of an article")
    parser.add_argument("--stanza-dir", help="folder of a stanza NER model (stanza_resources/ru or its parent)")
    parser.add_argument("--format", choices=("jsonl", "conll"), default="jsonl", help="output format (default: jsonl)")
    parser.add_argument("--out", help="article mode: write <out>/<doc>/entities.jsonl and the exports")


def backend_choices(values: list[str], lang: str | None) -> dict[str, str]:
    choices = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep:
            if lang is None:
                raise InputError(None, f"--backend {value}: give LANG={value} for an article")
            key, name = lang, value
        choices[key] = name
    return choices


def plain_text(args: argparse.Namespace, backends: dict[str, str]) -> list[dict]:
    from ..entities.stage import BackendChoice, recognise
    from ..io import read_text

    text = sys.stdin.read() if args.input == "-" else read_text(args.input)
    ner = BackendChoice(backends, {"stanza": {"model_dir": args.stanza_dir}}).for_lang(args.lang)
    return [{"start": s, "end": e, "text": text[s:e], "label": label, "lang": args.lang, "norm": norm}
            for s, e, label, norm in recognise(text, args.lang, ner)]


def main(args: argparse.Namespace) -> int:
    backends = backend_choices(args.backend, args.lang)
    if args.lang:
        if args.format == "conll":
            raise InputError(args.input, "--format conll needs an article (tokens come from its sentences)")
        records = plain_text(args, backends)
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return 0
    from .. import formats
    from ..entities.export import conll, write_exports
    from ..outputs import entity_records
    from ..pipeline import DEFAULT_STAGES, process
    from ..sources import read_source

    stages = DEFAULT_STAGES[:DEFAULT_STAGES.index("entities") + 1]
    doc = process(read_source(args.input), stages,
                  {"entities": {"backends": backends, "stanza_dir": args.stanza_dir}})
    for note in doc.meta["entities"]["notes"]:
        print(f"polycorpus ner: {note}", file=sys.stderr)
    if args.out:
        folder = Path(args.out) / doc.name
        formats.write_entities(folder / formats.ENTITIES, entity_records(doc))
        write_exports(doc, folder)
        return 0
    if args.format == "conll":
        sys.stdout.write("\n".join(conll(doc).values()))
    else:
        sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in entity_records(doc)))
    return 0
