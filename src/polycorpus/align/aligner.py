"""Aligning two or three parallel texts given as lists of sentences.

:func:`align_pair` embeds each sentence and each run of 2 to 4 consecutive sentences (Vecalign's
overlaps: summed sentence embeddings, or the joined text encoded, see :class:`CostSettings`),
builds a :class:`PairModel` and searches it with :func:`core.align`; with ``encode="ambiguous"``
a :class:`ambiguous.CheapFirstPair` encodes only what cheap cues leave unsure.

:func:`align_texts` aligns every pair of languages, then builds beads over all of them. The
three pairwise paths are cut at their common corners (points where all three agree on a bead
boundary). Between two cuts, the beads are composed from each spanning tree of the language
triangle (two pairwise alignments joined through their shared language) and from all three
together; the composition whose beads, projected back on the three pairs, cost least in
total wins. A composition never puts a sentence in two beads. Cheap first, the sentences the
compositions group differently are encoded as well (:func:`_encode_disagreements`), so their costs compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Mapping, Sequence

import numpy as np

from . import core
from .ambiguous import CheapFirstPair
from .cheap import UNDETERMINED
from .costs import RUN_SIZES, CostSettings, PairModel, summed_overlaps
from .encoders import Encoder

OVERLAPS = RUN_SIZES
MAX_ROUNDS = 2  # of encoding the sentences the cheap-first pairwise paths compose differently


@dataclass(frozen=True)
class Bead:
    """Sentence indices per language (in order, possibly empty), a score in 0..1 (cosine) and a
    confidence in 0..1 (the least :meth:`PairModel.confidence` over the pairs it links)."""

    ids: dict[str, tuple[int, ...]]
    score: float
    cost: float = field(default=0.0, compare=False)
    confidence: float = field(default=0.0, compare=False)


def overlap_runs(sentences: Sequence[str], settings: CostSettings = CostSettings()) -> dict[int, list[str]]:
    """``{k: texts}`` the encoder is asked for: sentences ``r..r+k-1`` joined by a space, for each
    start ``r``; only single sentences (``k = 1``) when overlaps are summed."""
    sizes = OVERLAPS if settings.overlaps == "encoded" else (1,)
    return {k: [" ".join(sentences[r:r + k]) for r in range(len(sentences) - k + 1)] for k in sizes}


def overlap_vectors(sentences: Sequence[str], encoder: Encoder,
                    settings: CostSettings = CostSettings()) -> dict[int, np.ndarray]:
    """``{k: rows}``: row ``r`` embeds sentences ``r..r+k-1`` (rows past ``n-k`` unused)."""
    if settings.overlaps == "summed":
        return summed_overlaps(encoder.encode(list(sentences)), OVERLAPS)
    runs = overlap_runs(sentences, settings)
    texts = [t for k in OVERLAPS for t in runs[k]]
    vecs = encoder.encode(texts)
    out, at = {}, 0
    for k in OVERLAPS:
        block = np.zeros((len(sentences), vecs.shape[1]), np.float32)
        block[:len(runs[k])] = vecs[at:at + len(runs[k])]
        out[k], at = block, at + len(runs[k])
    return out


def pair_model(src: Sequence[str], tgt: Sequence[str], encoder: Encoder | None,
               settings: CostSettings = CostSettings(),
               context: tuple[Sequence[str], Sequence[str]] = ((), ()),
               langs: tuple[str, str] = (UNDETERMINED, UNDETERMINED),
               length_ratio: float | None = None) -> PairModel | CheapFirstPair:
    """The cost model of a pair; ``context`` sentences of each side only widen the normalising
    sample. With ``settings.encode == "ambiguous"`` only the sentences the cheap cues (read as
    ``langs`` spell names) leave unsure are encoded (:class:`CheapFirstPair`); ``length_ratio``
    as :class:`PairModel` takes it."""
    if encoder is not None and settings.encode == "ambiguous":
        everything = replace(settings, encode="all")
        return CheapFirstPair(src, tgt, lambda s, t, ratio: pair_model(s, t, encoder, everything, context, langs, ratio),
                              settings, langs)
    src_chars = [len(s) for s in src]
    tgt_chars = [len(t) for t in tgt]
    if encoder is None:
        return PairModel(src_chars, tgt_chars, settings=settings, length_ratio=length_ratio)
    src_context, tgt_context = (encoder.encode(list(c)) if c else None for c in context)
    return PairModel(src_chars, tgt_chars, overlap_vectors(src, encoder, settings),
                     overlap_vectors(tgt, encoder, settings), settings, src_context, tgt_context, length_ratio)


def align_pair(src: Sequence[str], tgt: Sequence[str], encoder: Encoder | None = None,
               settings: CostSettings = CostSettings()) -> list[Bead]:
    """Beads ``{"src": (...), "tgt": (...)}`` between two lists of sentences, in order."""
    if not src or not tgt:
        return [Bead({"src": (i,), "tgt": ()}, 0.0) for i in range(len(src))] + \
               [Bead({"src": (), "tgt": (j,)}, 0.0) for j in range(len(tgt))]
    model = pair_model(src, tgt, encoder, settings)
    return pair_beads(model, model.path())


def pair_beads(model: PairModel | CheapFirstPair, steps: Sequence[core.Step],
               langs: tuple[str, str] = ("src", "tgt")) -> list[Bead]:
    """The beads of a pair's path, keyed by ``langs``, scored by its model."""
    src, tgt = langs
    return [Bead({src: tuple(range(*s.src)), tgt: tuple(range(*s.tgt))},
                 model.similarity(s.src, s.tgt), s.cost, model.confidence(s.src, s.tgt)) for s in steps]


def align_texts(texts: Mapping[str, Sequence[str]], encoder: Encoder | None = None,
                settings: CostSettings = CostSettings(),
                context: Mapping[str, Sequence[str]] | None = None) -> list[Bead]:
    """Beads over the languages of ``texts`` (lang -> sentences); two or three languages.

    ``context`` (lang -> sentences) is passed to :func:`pair_model` for normalising only.
    """
    context = context or {}
    langs = [lang for lang, sents in texts.items() if sents]
    if len(langs) < 2:
        return [Bead({lang: (i,)}, 0.0) for lang in langs for i in range(len(texts[lang]))]
    models = {(p, q): pair_model(texts[p], texts[q], encoder, settings, (context.get(p, ()), context.get(q, ())), (p, q))
              for p, q in combinations(langs, 2)}
    sizes = {lang: len(texts[lang]) for lang in langs}
    if len(langs) == 3 and settings.encode == "ambiguous" and encoder is not None:
        paths = _encode_disagreements(langs, models, sizes)
    else:
        paths = {pair: model.path() for pair, model in models.items()}
    if len(langs) == 2:
        (pair, steps), = paths.items()
        return pair_beads(models[pair], steps, pair)
    if len(langs) > 3:
        raise ValueError(f"align_texts aligns two or three languages, not {len(langs)}")
    beads = []
    cuts = _common_corners(langs, paths, sizes)
    for start, stop in zip(cuts, cuts[1:]):
        beads += _best_composition(langs, paths, models, start, stop)
    return beads


def _encode_disagreements(langs: list[str], models: dict, sizes: dict[str, int]) -> dict:
    """Cheap-first paths made consistent: a sentence unsure in one pair is unsure in the other
    pair of its language (it is encoded anyway), and the sentences of every bead that the
    compositions between two common corners do not all form (:func:`_disputed`) are encoded in
    both pairs of their language, so their costs compare (all from embeddings); repeated while
    that adds sentences (a few rounds at most)."""
    unsure = {lang: np.zeros(sizes[lang], bool) for lang in langs}
    for (p, q), model in models.items():
        unsure[p] |= model.unsure[0]
        unsure[q] |= model.unsure[1]
    for (p, q), model in models.items():
        model.force(unsure[p], unsure[q])
    paths = {pair: model.path() for pair, model in models.items()}
    for _ in range(MAX_ROUNDS):
        disputed = _disputed(langs, paths, sizes)
        if not any([model.force(disputed[p], disputed[q]) for (p, q), model in models.items()]):
            break
        paths = {pair: model.path() for pair, model in models.items()}
    return paths


def _disputed(langs: list[str], paths: dict, sizes: dict[str, int]) -> dict[str, np.ndarray]:
    """Per language, the sentences of the composed beads that not every composition between two
    common corners forms (the beads all compositions share are settled, wherever they lie)."""
    out = {lang: np.zeros(sizes[lang], bool) for lang in langs}
    cuts = _common_corners(langs, paths, sizes)
    for start, stop in zip(cuts, cuts[1:]):
        formed = [{tuple((lang, i) for lang in langs for i in group[lang]) for group in groups}
                  for groups in _compositions(langs, paths, dict(zip(langs, start)), dict(zip(langs, stop)))]
        for bead in set.union(*formed) - set.intersection(*formed):
            for lang, i in bead:
                out[lang][i] = True
    return out


def _corners(steps: list[core.Step]) -> set[tuple[int, int]]:
    return {(0, 0)} | {(s.src[1], s.tgt[1]) for s in steps}


def _common_corners(langs: list[str], paths: dict, sizes: dict[str, int]) -> list[tuple[int, int, int]]:
    """Points ``(x, y, z)`` that are bead boundaries of all three pairwise paths, in order."""
    a, b, c = langs
    ab, ac, bc = _corners(paths[a, b]), _corners(paths[a, c]), _corners(paths[b, c])
    by_x: dict[int, list[int]] = {}
    for x, z in ac:
        by_x.setdefault(x, []).append(z)
    cuts = {(x, y, z) for x, y in ab for z in by_x.get(x, ()) if (y, z) in bc}
    cuts |= {(0, 0, 0), (sizes[a], sizes[b], sizes[c])}
    return sorted(cuts)


def _compositions(langs: list[str], paths: dict, lo: dict, hi: dict) -> list[list[dict[str, list[int]]]]:
    """The beads composed between two cuts from each spanning tree of the pairs and from all three."""
    steps = {pair: [s for s in path if lo[pair[0]] <= s.src[0] and s.src[1] <= hi[pair[0]]
                    and lo[pair[1]] <= s.tgt[0] and s.tgt[1] <= hi[pair[1]]]
             for pair, path in paths.items()}
    pairs = list(paths)
    candidates = [pairs[:i] + pairs[i + 1:] for i in range(3)] + [pairs]
    return [_compose(langs, {pair: steps[pair] for pair in chosen}, lo, hi) for chosen in candidates]


def _best_composition(langs: list[str], paths: dict, models: dict, start: tuple, stop: tuple) -> list[Bead]:
    lo = dict(zip(langs, start))
    hi = dict(zip(langs, stop))
    pairs = list(paths)
    best, best_cost = None, np.inf
    for groups in _compositions(langs, paths, lo, hi):
        cost = sum(models[p, q].bead_cost(_range(g[p], lo[p]), _range(g[q], lo[q]))
                   for g in groups for p, q in pairs if g[p] or g[q])
        if cost < best_cost - 1e-9:
            best, best_cost = groups, cost
    beads = []
    for group in best:
        linked = [(models[p, q], _range(group[p], lo[p]), _range(group[q], lo[q]))
                  for p, q in pairs if group[p] and group[q]]
        scores = [model.similarity(src, tgt) for model, src, tgt in linked]
        confidence = min((model.confidence(src, tgt) for model, src, tgt in linked), default=0.0)
        beads.append(Bead({lang: tuple(group[lang]) for lang in langs}, float(np.mean(scores)) if scores else 0.0,
                          confidence=confidence))
    return beads


def _range(ids: Sequence[int], default: int) -> tuple[int, int]:
    return (min(ids), max(ids) + 1) if ids else (default, default)


def _compose(langs: list[str], steps: dict, lo: dict, hi: dict) -> list[dict[str, list[int]]]:
    """Connected components of the sentences linked by the given pairwise beads, in reading order."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for lang in langs:
        for i in range(lo[lang], hi[lang]):
            find((lang, i))
    for (p, q), pair_steps in steps.items():
        for s in pair_steps:
            nodes = [(p, i) for i in range(*s.src)] + [(q, j) for j in range(*s.tgt)]
            for node in nodes[1:]:
                parent[find(node)] = find(nodes[0])
    groups: dict[tuple[str, int], dict[str, list[int]]] = {}
    for node in sorted(parent, key=lambda nd: (langs.index(nd[0]), nd[1])):
        groups.setdefault(find(node), {lang: [] for lang in langs})[node[0]].append(node[1])

    def position(group):
        spots = [(group[lang][0] - lo[lang]) / max(hi[lang] - lo[lang], 1) for lang in langs if group[lang]]
        return sum(spots) / len(spots)

    return sorted(groups.values(), key=position)
