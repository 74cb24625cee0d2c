"""A first alignment from cues that cost nothing to read, and where it stays ambiguous.

Cues of a sentence (:func:`cues`): its numbers (digit runs, leading zeros dropped, so ``5,000``,
``5 000`` and ``5.000`` agree), its names (capitalised words after the first, reduced by
:func:`..entities.translit.skeleton`, as the language of the text spells it, to their first three
consonants, so ``Moskva``, ``Москва`` and ``Moscow`` agree) and its marked punctuation (question and exclamation marks, colons, brackets, quotes,
per cent). Each cue is hashed into one of :data:`DIMENSION` counts.

:class:`CheapModel` costs a bead as Gale–Church does (bead prior and length difference, see
:mod:`.costs`) plus :data:`MISMATCH` for each cue of the joined sentences that the other side
lacks, less :data:`MATCH` for each cue they share. Its costs are ``-log`` probabilities, so a
path within a few units of the best one is a real alternative: :func:`ambiguous_sentences`
marks the sentences where such a path (by :func:`core.min_marginals`) leaves the best one.
"""

from __future__ import annotations

import re
import zlib
from typing import Sequence

import numpy as np

from ..entities.translit import skeleton
from ..threads import one_blas_thread
from .core import Band, Shape, Step
from .costs import MIN_PRIOR, PRIORS, ROW_BLOCK, deletion_cost, length_penalty

DIMENSION = 256  # hashed columns per kind of cue
# Per kind of cue, in nats: what a cue of one side that the other lacks costs, and what a shared
# one saves. A number seldom goes missing in a translation; a capitalised word often does (a
# common noun capitalised in one language only, a name declined past recognition), so it
# weighs little either way. Set by bench/alignment.py (section C) on NTREX with edits: a larger
# name weight (1.0 when found) encoded more for the same F1.
KINDS = ("number", "name", "mark")
MISMATCH = {"number": 1.5, "name": 0.3, "mark": 0.5}
MATCH = {"number": 1.0, "name": 0.3, "mark": 0.3}
NAME_CONSONANTS = 3
MARKS = {"?": "?", "!": "!", ":": ":", ";": ";", "(": "(", "%": "%", "«": "«", "“": "«", "„": "«", "\"": "«"}

# v is read as a vowel: English writes w (skeleton's v) where Russian and Azerbaijani write v or u (Wales, Uels, Уэльс)
VOWELS = set("aeiouyv")
UNDETERMINED = "und"  # a text of unknown language: its Latin letters read as English reads them
WORD = re.compile(r"\w+")
DIGITS = re.compile(r"\d+")


def name_cue(word: str, lang: str = UNDETERMINED) -> str:
    """The first :data:`NAME_CONSONANTS` consonants of the name's :func:`translit.skeleton`."""
    return "".join([c for c in skeleton(word, lang) if c not in VOWELS][:NAME_CONSONANTS])


def cues(sentence: str, lang: str = UNDETERMINED) -> dict[str, list[str]]:
    """The numbers, names and marks of ``sentence`` in ``lang`` (see module doc), per kind; a mark once."""
    words = [w for w in WORD.findall(sentence) if not w.isdigit()]
    return {"number": [d.lstrip("0") or "0" for d in DIGITS.findall(sentence)],
            "name": [key for w in words[1:] if w[0].isupper() and len(w) > 2 and len(key := name_cue(w, lang)) >= 2],
            "mark": sorted({MARKS[c] for c in sentence if c in MARKS})}


def cue_counts(sentences: Sequence[str], lang: str = UNDETERMINED) -> dict[str, np.ndarray]:
    """Per kind, rows of cue counts hashed into :data:`DIMENSION` columns."""
    out = {kind: np.zeros((len(sentences), DIMENSION), np.float32) for kind in KINDS}
    for r, sentence in enumerate(sentences):
        for kind, found in cues(sentence, lang).items():
            for cue in found:
                out[kind][r, zlib.crc32(cue.encode("utf-8")) % DIMENSION] += 1
    return out


def _cumulative(rows: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros((1,) + rows.shape[1:], rows.dtype), np.cumsum(rows, axis=0)])


def _pairs_summed(values: np.ndarray) -> np.ndarray:
    if len(values) % 2:
        values = np.concatenate([values, np.zeros_like(values[:1])])
    return values[0::2] + values[1::2]


class CheapModel:
    """Costs of every bead from lengths and cues (see module doc); a :class:`core.CostModel`."""

    def __init__(self, src_chars: Sequence[float], tgt_chars: Sequence[float],
                 src_cues: dict[str, np.ndarray], tgt_cues: dict[str, np.ndarray]) -> None:
        self.src_chars = np.asarray(src_chars, np.float64)
        self.tgt_chars = np.asarray(tgt_chars, np.float64)
        self.src_cues, self.tgt_cues = src_cues, tgt_cues
        self.n, self.m = len(self.src_chars), len(self.tgt_chars)
        self.ratio = max(self.tgt_chars.sum(), 1.0) / max(self.src_chars.sum(), 1.0)
        self._src_cum, self._tgt_cum = _cumulative(self.src_chars), _cumulative(self.tgt_chars)
        self._src_cues_cum = {kind: _cumulative(rows) for kind, rows in src_cues.items()}
        self._tgt_cues_cum = {kind: _cumulative(rows) for kind, rows in tgt_cues.items()}
        # a sentence left out: the skip prior, and each of its cues unmatched
        self.skip_src = -np.log(PRIORS[1, 0]) + sum(MISMATCH[k] * src_cues[k].sum(axis=1) for k in KINDS)
        self.skip_tgt = -np.log(PRIORS[0, 1]) + sum(MISMATCH[k] * tgt_cues[k].sum(axis=1) for k in KINDS)

    @classmethod
    def of(cls, src: Sequence[str], tgt: Sequence[str],
           langs: tuple[str, str] = (UNDETERMINED, UNDETERMINED)) -> "CheapModel":
        return cls([len(s) for s in src], [len(t) for t in tgt], cue_counts(src, langs[0]), cue_counts(tgt, langs[1]))

    def coarsen(self) -> "CheapModel":
        return CheapModel(_pairs_summed(self.src_chars), _pairs_summed(self.tgt_chars),
                          {k: _pairs_summed(v) for k, v in self.src_cues.items()},
                          {k: _pairs_summed(v) for k, v in self.tgt_cues.items()})

    def _cues_cost(self, kind: str, shared, src_total, tgt_total):
        return MISMATCH[kind] * (src_total + tgt_total - 2 * shared) - MATCH[kind] * shared

    def costs(self, band: Band, shapes: Sequence[Shape]) -> dict[Shape, np.ndarray]:
        rows, cols = band.cells()
        out = {}
        for a, b in shapes:
            r0, c0 = np.maximum(rows - a, 0), np.maximum(cols - b, 0)
            cost = -np.log(PRIORS.get((a, b), MIN_PRIOR)) + length_penalty(
                self._src_cum[rows] - self._src_cum[r0], self._tgt_cum[cols] - self._tgt_cum[c0], self.ratio)
            for kind in KINDS:
                cost += self._cues_cost(kind, *self._shared(kind, a, b, band, rows, cols))
            out[a, b] = np.where((rows >= a) & (cols >= b), cost, np.inf)
        return out

    def _shared(self, kind: str, a: int, b: int, band: Band, rows: np.ndarray, cols: np.ndarray):
        """Per band cell: cues of ``kind`` the bead's two sides share (at most each side's count),
        and each side's count; by blocks of rows, each a small matrix product."""
        shared, src_total, tgt_total = np.zeros(band.size), np.zeros(band.size), np.zeros(band.size)
        src_cum, tgt_cum = self._src_cues_cum[kind], self._tgt_cues_cum[kind]
        with one_blas_thread():
            for r0 in range(0, band.n + 1, ROW_BLOCK):
                r1 = min(r0 + ROW_BLOCK, band.n + 1)
                c0, c1 = band.lo[r0:r1].min(), band.hi[r0:r1].max()
                i, j = np.arange(r0, r1), np.arange(c0, c1)
                x = src_cum[i] - src_cum[np.clip(i - a, 0, None)]
                y = tgt_cum[j] - tgt_cum[np.clip(j - b, 0, None)]
                cells = slice(band.ptr[r0], band.ptr[r1])
                rr, cc = rows[cells] - r0, cols[cells] - c0
                xs, ys = x.sum(axis=1)[rr], y.sum(axis=1)[cc]
                shared[cells] = np.minimum((x @ y.T)[rr, cc], np.minimum(xs, ys))
                src_total[cells], tgt_total[cells] = xs, ys
        return shared, src_total, tgt_total

    def bead_cost(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        if (deleted := deletion_cost(self, src, tgt)) is not None:
            return deleted
        a, b = src[1] - src[0], tgt[1] - tgt[0]
        cost = -np.log(PRIORS.get((a, b), MIN_PRIOR)) + length_penalty(
            self._src_cum[src[1]] - self._src_cum[src[0]], self._tgt_cum[tgt[1]] - self._tgt_cum[tgt[0]], self.ratio)
        for kind in KINDS:
            x = self._src_cues_cum[kind][src[1]] - self._src_cues_cum[kind][src[0]]
            y = self._tgt_cues_cum[kind][tgt[1]] - self._tgt_cues_cum[kind][tgt[0]]
            cost += self._cues_cost(kind, min(float(x @ y), float(x.sum()), float(y.sum())), float(x.sum()), float(y.sum()))
        return float(cost)

    def similarity(self, src: tuple[int, int], tgt: tuple[int, int]) -> float:
        """The length match probability of a bead (0 for a skip)."""
        if src[0] == src[1] or tgt[0] == tgt[1]:
            return 0.0
        penalty = length_penalty(self._src_cum[src[1]] - self._src_cum[src[0]],
                                 self._tgt_cum[tgt[1]] - self._tgt_cum[tgt[0]], self.ratio)
        return float(np.exp(-penalty))


def ambiguous_sentences(steps: Sequence[Step], band: Band, margins: np.ndarray, margin: float,
                        n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Source and target sentences where a path costing less than ``margin`` above the best
    leaves it (a band cell off the best path within ``margin``: its row's and column's
    neighbouring sentences), and every sentence the best path leaves out."""
    corners = np.array([(0, 0)] + [(s.src[1], s.tgt[1]) for s in steps])
    near = margins < margin
    near[band.ptr[corners[:, 0]] + corners[:, 1] - band.lo[corners[:, 0]]] = False
    rows, cols = band.cells()
    src, tgt = np.zeros(n + 1, bool), np.zeros(m + 1, bool)
    for shift in (0, 1):  # the sentences before and after each such cell's boundary
        i, j = rows[near] - shift, cols[near] - shift
        src[i[i >= 0]] = True
        tgt[j[j >= 0]] = True
    src, tgt = src[:n], tgt[:m]
    for s in steps:
        if s.src[0] == s.src[1] or s.tgt[0] == s.tgt[1]:
            src[s.src[0]:s.src[1]] = True
            tgt[s.tgt[0]:s.tgt[1]] = True
    return src, tgt
