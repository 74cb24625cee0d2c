"""Bead costs for a pair of texts: sentence embeddings with a length term, or lengths alone.

Embedding cost of a bead (Vecalign's normalisation): ``1 - cos(x, y)`` of the embeddings of the
joined source and joined target sentences, divided by the mean of ``1 - cos`` of ``x`` and of
``y`` against a sample of the other side's sentences. A true translation scores well below 1
and an unrelated pair about 1 whatever the encoder's cosine range, so one skip cost fits every
encoder. The skip cost is scale-free too: a fraction (``skip``) of a low quantile
(``skip_quantile``) of the costs of 1-1 beads between sentences far from the diagonal (which are
not translations of each other) in this very pair, as Vecalign takes its deletion penalty from
the costs of random pairs; two skips then cost about what an unrelated pair would. An ``a``-``b`` bead is weighted by ``(a * b) ** bead_exponent`` (1: Vecalign's ``a * b``) because joined sentences
embed closer than single ones, so merging must pay for itself; and a Gale–Church length penalty (weight ``length_weight``) catches merges whose
extra sentence the embedding hardly notices.

Length mode (Gale & Church 1993): ``-log P(shape) - log P(delta)`` with ``delta`` the
standardised difference between the target length and the source length times the texts'
overall length ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..threads import one_blas_thread
from . import core
from .core import Band, Shape

# Gale & Church's bead priors; 1-3/3-1 (absent from their table) a little below 2-2.
PRIORS: dict[Shape, float] = {(1, 1): 0.89, (1, 2): 0.0445, (2, 1): 0.0445, (2, 2): 0.011,
                              (1, 3): 0.005, (3, 1): 0.005, (1, 4): 0.002, (4, 1): 0.002, (1, 0): 0.00495, (0, 1): 0.00495}
# Runs of consecutive sentences a bead may join on one side (Bertalign's 1-4/4-1 at most).
RUN_SIZES = (1, 2, 3, 4)
# Variance of target characters per source character (Gale & Church's estimate).
LENGTH_VARIANCE = 6.8
# Target sentences each source embedding is normalised against (evenly spaced, so deterministic).
NORM_SAMPLE = 64
MIN_PRIOR = 0.001  # shapes outside PRIORS (3-way beads projected on a pair)
# Joined lengths always fit a little better than separate ones (noise averages out); on near
# identical texts, where the embedding distance is ~0 for any bead, this small charge per extra
# sentence pair keeps beads minimal.
MERGE = 0.01
ROW_BLOCK = 64
UNRELATED_SAMPLE = 96  # sentences per side whose off-diagonal pairs set the skip cost
OFF_DIAGONAL = 0.2  # band rows per matrix product


OVERLAP_MODES = ("summed", "encoded")
ENCODE_MODES = ("all", "ambiguous")


@dataclass(frozen=True)
class CostSettings:
    """``overlaps``: how a run of 2 to 4 sentences is embedded. ``summed`` (the default) adds up
    the embeddings of its sentences, so each sentence is encoded once; ``encoded`` embeds the
    joined text, as Vecalign does, for about six times the encoder's work (a run of k sentences
    is k sentences long). On the bench's edited abstracts both stay above 0.99 strict F1.
    """

    # fitted by bench/alignment.py --ship (training.fit on NTREX with edits + the dev abstracts)
    skip: float = 0.45
    skip_quantile: float = 0.25
    bead_exponent: float = 0.75
    length_weight: float = 0.02
    overlaps: str = "summed"
    # ``all``: every sentence encoded; ``ambiguous``: a first alignment from lengths and cues,
    # sentences encoded only where a path within ``ambiguity`` nats of it differs (see cheap.py).
    # bench/alignment.py section C, NTREX with edits: 2 keeps 0.99 of the all-encoded F1 and
    # encodes 39 % (4: 53 %, 1: 32 % but 0.98); the development abstracts stay 1.000 from 1 up.
    encode: str = "all"
    ambiguity: float = 2.0

    def __post_init__(self) -> None:
        if self.overlaps not in OVERLAP_MODES:
            raise ValueError(f"overlaps must be one of {', '.join(OVERLAP_MODES)}, not {self.overlaps!r}")
        if self.encode not in ENCODE_MODES:
            raise ValueError(f"encode must be one of {', '.join(ENCODE_MODES)}, not {self.encode!r}")


def length_penalty(src_chars: np.ndarray, tgt_chars: np.ndarray, ratio: float) -> np.ndarray:
    """``-log`` of the two-sided normal probability of the length difference (Gale–Church ``delta``)."""
    src_chars = np.asarray(src_chars, np.float64)
    tgt_chars = np.asarray(tgt_chars, np.float64)
    scale = np.sqrt(LENGTH_VARIANCE * np.maximum((ratio * src_chars + tgt_chars) / 2, 1.0))
    delta = np.abs(tgt_chars - ratio * src_chars) / scale
    return -_log_erfc(delta / np.sqrt(2.0))


def _log_erfc(x: np.ndarray) -> np.ndarray:
    """``log(erfc(x))`` for ``x >= 0`` (Abramowitz & Stegun 7.1.26, stable for large ``x``)."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.log(poly) - x * x


def deletion_cost(model: Any, src: tuple[int, int], tgt: tuple[int, int]) -> float | None:
    """The cost of a bead with one side empty (the deleted sentences' skip costs), else None;
    ``model`` holds per-sentence ``skip_src`` and ``skip_tgt``."""
    if src[0] == src[1]:
        return float(model.skip_tgt[tgt[0]:tgt[1]].sum())
    if tgt[0] == tgt[1]:
        return float(model.skip_src[src[0]:src[1]].sum())
    return None


class PairModel:
    """Costs of every bead between ``n`` source and ``m`` target sentences (see module doc).

    ``src_vecs[k]`` (k in RUN_SIZES) holds, in row ``r``, the L2-normalised embedding of source
    sentences ``r..r+k-1`` joined (rows past ``n-k`` unused); likewise ``tgt_vecs``. Without
    vectors the model is Gale–Church. ``src_context``/``tgt_context``: embeddings of other
    sentences of each language (say, the article's abstracts when aligning its one-line keyword
    lists), added to the sample that distances are normalised against; with a text of one or two
    sentences the sample would otherwise be mostly the translation itself. ``length_ratio``: the
    target characters per source character of the whole texts, when these sentences are a part
    of them (the regions cheap-first encodes); by default, these sentences' own.
    """

    def __init__(self, src_chars: Sequence[int], tgt_chars: Sequence[int],
                 src_vecs: dict[int, np.ndarray] | None = None, tgt_vecs: dict[int, np.ndarray] | None = None,
                 settings: CostSettings = CostSettings(), src_context: np.ndarray | None = None,
                 tgt_context: np.ndarray | None = None, length_ratio: float | None = None) -> None:
        self.src_chars = np.asarray(src_chars, np.float64)
        self.tgt_chars = np.asarray(tgt_chars, np.float64)
        self.n, self.m = len(self.src_chars), len(self.tgt_chars)
        self.src_vecs = {k: v.astype(np.float32, copy=False) for k, v in src_vecs.items()} if src_vecs else None
        self.tgt_vecs = {k: v.astype(np.float32, copy=False) for k, v in tgt_vecs.items()} if tgt_vecs else None
        self.settings = settings
        self._src_cum = np.concatenate([[0.0], np.cumsum(self.src_chars)])
        self._tgt_cum = np.concatenate([[0.0], np.cumsum(self.tgt_chars)])
        self.ratio = length_ratio or max(self.tgt_chars.sum(), 1.0) / max(self.src_chars.sum(), 1.0)
        if self.embedded:
            self.src_sample = _norm_sample(_stack(self.tgt_vecs[1], tgt_context))
            self.tgt_sample = _norm_sample(_stack(self.src_vecs[1], src_context))
            self.src_norm = {k: _mean_distance(v, self.src_sample) for k, v in self.src_vecs.items()}
            self.tgt_norm = {k: _mean_distance(v, self.tgt_sample) for k, v in self.tgt_vecs.items()}
            skip = settings.skip * self.unrelated_cost()
            self.skip_src = np.full(self.n, skip)
            self.skip_tgt = np.full(self.m, skip)
        else:
            self.skip_src = np.full(self.n, -np.log(PRIORS[1, 0]))
            self.skip_tgt = np.full(self.m, -np.log(PRIORS[0, 1]))

    def path(self) -> list:
        """The best bead path (:func:`core.align`)."""
        return core.align(self)

    def unrelated_cost(self) -> float:
        """The ``skip_quantile`` quantile of the 1-1 costs of sentence pairs off the diagonal
        (relative positions more than :data:`OFF_DIAGONAL` apart); 1, the normalised cost of an
        unrelated pair, when the texts are too short to have such pairs."""
        rows = np.unique(np.linspace(0, self.n - 1, min(self.n, UNRELATED_SAMPLE)).astype(int))
        cols = np.unique(np.linspace(0, self.m - 1, min(self.m, UNRELATED_SAMPLE)).astype(int))
        far = np.abs((rows[:, None] + 0.5) / self.n - (cols[None, :] + 0.5) / self.m) > OFF_DIAGONAL
        if not far.any():
            return 1.0
        with one_blas_thread():
            sims = self.src_vecs[1][rows] @ self.tgt_vecs[1][cols].T
        norm = (self.src_norm[1][rows][:, None] + self.tgt_norm[1][cols][None, :]) / 2
        semantic = (1.0 - sims) / np.maximum(norm, 1e-6)
        lengths = length_penalty(self.src_chars[rows][:, None], self.tgt_chars[cols][None, :], self.ratio)
        costs = self._combine(1, 1, semantic, lengths)[far]
        return float(np.quantile(costs, self.settings.skip_quantile))

    @property
    def embedded(self) -> bool:
        return self.src_vecs is not None and self.tgt_vecs is not None

    def costs(self, band: Band, shapes: Sequence[Shape]) -> dict[Shape, np.ndarray]:
        rows, cols = band.cells()
        out = {}
        for a, b in shapes:
            ok = (rows >= a) & (cols >= b)
            lengths = length_penalty(self._src_cum[rows] - self._src_cum[np.maximum(rows - a, 0)],
                                     self._tgt_cum[cols] - self._tgt_cum[np.maximum(cols - b, 0)], self.ratio)
            semantic = self._semantic(a, b, band, rows, cols) if self.embedded else None
            out[a, b] = np.where(ok, self._combine(a, b, semantic, lengths), np.inf)
        return out

    def _combine(self, a: int, b: int, semantic: np.ndarray | None, lengths: np.ndarray) -> np.ndarray:
        if semantic is None:
            return lengths - np.log(PRIORS.get((a, b), MIN_PRIOR))
        weight = (a * b) ** self.settings.bead_exponent
        return np.maximum(semantic, 0.0) * weight + self.settings.length_weight * lengths + MERGE * (a * b - 1)

    def _semantic(self, a: int, b: int, band: Band, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Normalised distance of the bead ending in each band cell (garbage where it cannot end).

        Computed by blocks of rows, each a small matrix product against the columns the block
        spans, so the band is never gathered vector by vector.
        """
        x, y = self.src_vecs[a], self.tgt_vecs[b]
        distance = np.empty(band.size)
        with one_blas_thread():
            for r0 in range(0, band.n + 1, ROW_BLOCK):
                r1 = min(r0 + ROW_BLOCK, band.n + 1)
                c0, c1 = band.lo[r0:r1].min(), band.hi[r0:r1].max()
                sims = x[np.clip(np.arange(r0, r1) - a, 0, None)] @ y[np.clip(np.arange(c0, c1) - b, 0, None)].T
                cells = slice(band.ptr[r0], band.ptr[r1])
                distance[cells] = 1.0 - sims[rows[cells] - r0, cols[cells] - c0]
        norm = (self.src_norm[a][np.maximum(rows - a, 0)] + self.tgt_norm[b][np.maximum(cols - b, 0)]) / 2
        return distance / np.maximum(norm, 1e-6)

    def bead_cost(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        """The cost of any one bead, also of shapes the search does not use (3-way beads projected on this pair)."""
        if (deleted := deletion_cost(self, src, tgt)) is not None:
            return deleted
        a, b = src[1] - src[0], tgt[1] - tgt[0]
        lengths = length_penalty(self._src_cum[src[1]] - self._src_cum[src[0]],
                                 self._tgt_cum[tgt[1]] - self._tgt_cum[tgt[0]], self.ratio)
        semantic = None
        if self.embedded:
            x, y = _joined(self.src_vecs, *src), _joined(self.tgt_vecs, *tgt)
            norm = (_mean_distance(x[None], self.src_sample)[0] + _mean_distance(y[None], self.tgt_sample)[0]) / 2
            semantic = (1.0 - float(x @ y)) / max(norm, 1e-6)
        return float(self._combine(a, b, semantic, lengths))

    def confidence(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        """How much cheaper the bead is than leaving its sentences out, in 0..1 (0: a skip, or a
        link the search barely preferred to skipping; scale-free, as the skip cost is)."""
        if src[0] == src[1] or tgt[0] == tgt[1]:
            return 0.0
        skip = float(self.skip_src[src[0]:src[1]].sum() + self.skip_tgt[tgt[0]:tgt[1]].sum())
        return float(np.clip(1.0 - self.bead_cost(src, tgt) / max(skip, 1e-9), 0.0, 1.0))

    def similarity(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        """A bead's score in 0..1: cosine of the joined sentences, or the length match probability."""
        if src[0] == src[1] or tgt[0] == tgt[1]:
            return 0.0
        if self.embedded:
            return float(_joined(self.src_vecs, *src) @ _joined(self.tgt_vecs, *tgt))
        penalty = length_penalty(self._src_cum[src[1]] - self._src_cum[src[0]],
                                 self._tgt_cum[tgt[1]] - self._tgt_cum[tgt[0]], self.ratio)
        return float(np.exp(-penalty))

    def coarsen(self) -> "PairModel":
        """The pair with every two consecutive sentences taken as one (embeddings summed)."""
        src = _pairs_summed(self.src_chars[:, None])[:, 0]
        tgt = _pairs_summed(self.tgt_chars[:, None])[:, 0]
        if not self.embedded:
            return PairModel(src, tgt, settings=self.settings)
        return PairModel(src, tgt, summed_overlaps(_pairs_summed(self.src_vecs[1])),
                         summed_overlaps(_pairs_summed(self.tgt_vecs[1])), self.settings)


def _pairs_summed(values: np.ndarray) -> np.ndarray:
    if len(values) % 2:
        values = np.concatenate([values, np.zeros_like(values[:1])])
    return values[0::2] + values[1::2]


def _stack(vecs: np.ndarray, context: np.ndarray | None) -> np.ndarray:
    return vecs if context is None or not len(context) else np.concatenate([vecs, context.astype(np.float32)])


def _joined(vecs: dict[int, np.ndarray], start: int, stop: int) -> np.ndarray:
    """The embedding of units ``start..stop-1`` joined: encoded if that run was, else summed singles."""
    if stop - start in vecs:
        return vecs[stop - start][start]
    return _normalised(vecs[1][start:stop].sum(axis=0, keepdims=True))[0]


def _normalised(vecs: np.ndarray) -> np.ndarray:
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


def summed_overlaps(singles: np.ndarray, sizes: Sequence[int] = RUN_SIZES) -> dict[int, np.ndarray]:
    """``{k: rows}``: row ``r`` approximates the embedding of units ``r..r+k-1`` by their normalised sum."""
    out = {}
    for k in sizes:
        summed = singles.copy()
        for shift in range(1, min(k, len(singles))):
            summed[:len(singles) - shift] += singles[shift:]
        out[k] = _normalised(summed)
    return out


def _norm_sample(others: np.ndarray) -> np.ndarray:
    """:data:`NORM_SAMPLE` rows of ``others``, evenly spaced: what :func:`_mean_distance` measures against."""
    return others[np.linspace(0, len(others) - 1, min(len(others), NORM_SAMPLE)).astype(int)]


def _mean_distance(vecs: np.ndarray, sample: np.ndarray) -> np.ndarray:
    if len(vecs) == 0 or len(sample) == 0:
        return np.ones(len(vecs))
    with one_blas_thread():
        return 1.0 - (vecs @ sample.T).mean(axis=1)
