"""The ``citations`` stage: parse the footnote items made by the ``notes`` stage, in place."""

from __future__ import annotations

from ..document import Document
from ..errors import ResourceError
from ..registry import stage
from ..structure.footnotes import note_key
from .intext import attach_in_text
from .parser import CitationParser
from .records import parse_items


@stage("citations", requires=("citations",), assigns=("citations_parsed",), defaults={"backend": "rules", "model": None, "labeller": None,
                                                                                "crf_fields": None})
def citations_stage(doc: Document, backend: str = "rules", model: str | None = None, labeller: str | None = None,
                    crf_fields: list[str] | None = None) -> None:
    """Replace each base item ``{id, n, raw, start, end}`` by its parsed gold-format record.

    In an article citing a numbered reference list, each entry's item also gets ``in_text``, the
    in-text citations (``[3, s.45]``) that point to it with their pinpoints (:mod:`.intext`).

    ``backend``: ``rules`` (cue words; the default, see the package docstring for why) or ``crf``
    with ``model`` a file written by :func:`polycorpus.citations.labeller.train`. ``labeller``: a
    ``labeller.json`` written by :func:`polycorpus.citations.training.fit` (the CRF for the fields it
    wins, the rules for the others); it overrides ``backend``. ``crf_fields``: the fields the CRF
    gives, as ``fit`` chose them (default: the choice written in the ``labeller.json``).
    """
    parser = make_parser(backend, model, labeller, crf_fields)
    items = parse_items(doc.data.get("citations", []), parser)
    entries = {note_key(block.attrs["n"], block.attrs.get("page")) for block in doc.blocks("reference")}
    pages = {block.start: block.attrs["page"] for block in doc.blocks("reference") if "page" in block.attrs}
    if entries:
        attach_in_text(items, doc.layer("marker"), doc.raw, entries, doc.layer("sentences"), pages)
    doc.data["citations"] = items
    rules = getattr(parser, "parser", parser)
    doc.meta["citations"] = {"parser": parser.version, "cues": rules.cues.version}


def make_parser(backend: str = "rules", model: str | None = None, labeller: str | None = None,
                crf_fields: list[str] | None = None):
    if labeller:
        from .training import load

        return load(labeller, crf_fields)
    if backend == "rules":
        return CitationParser()
    if backend == "crf":
        if not model:
            raise ResourceError(None, "the crf citation backend needs model=FILE (train one with "
                                      "polycorpus.citations.labeller.train)")
        from .labeller import CrfLabeller

        return CrfLabeller(model)
    raise ResourceError(None, f"no citations backend {backend!r} (known: crf, rules)")
