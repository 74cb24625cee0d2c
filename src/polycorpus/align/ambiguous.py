"""Cheap first, encode what is ambiguous: one pair aligned by cues, re-aligned with embeddings only where that is unsure.

:class:`CheapFirstPair` aligns the pair with :class:`cheap.CheapModel`, finds the sentences
where a near-best path differs (:func:`cheap.ambiguous_sentences`), and takes the runs of beads
touching them, widened by :data:`CONTEXT_BEADS` beads on each side, as regions. Only the
regions' sentences are encoded: all regions of the pair make one embedding model (so its
normalisation and skip cost see every encoded sentence), searched in a band around the cheap
path; a bead may not cross from one region into the next. Beads outside the regions are the
cheap path's. Nothing is encoded before the path or a cost is asked for, so that the three pairs
of a text can first add each other's unsure sentences (:meth:`CheapFirstPair.force`) and each
pair encodes and searches once, then once more for the sentences their paths compose differently
(:func:`aligner._encode_disagreements`).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, Sequence

import numpy as np

from . import core
from .cheap import UNDETERMINED, CheapModel, ambiguous_sentences
from .core import Band, Step
from .costs import PRIORS, CostSettings, PairModel

CONTEXT_BEADS = 0  # a near tie already marks the sentences on both sides of its boundary
BAND_WIDTH = 8  # sentences either side of the cheap path the embedding search may go (as core.align's)
Range = tuple[int, int]


class CheapFirstPair:
    """A pair's path, bead costs, scores and confidences, from the cheap model where it is sure
    and from ``embed(src_sentences, tgt_sentences, length_ratio) -> PairModel`` over the ambiguous
    regions, with the whole pair's length ratio (a few regions' own ratio strays: a merge then
    looks like a deletion)."""

    def __init__(self, src: Sequence[str], tgt: Sequence[str],
                 embed: Callable[[list[str], list[str], float], PairModel],
                 settings: CostSettings, langs: tuple[str, str] = (UNDETERMINED, UNDETERMINED)) -> None:
        self.src, self.tgt, self.embed = list(src), list(tgt), embed
        self.n, self.m = len(src), len(tgt)
        self.cheap = CheapModel.of(src, tgt, langs)
        self.cheap_path, band, margins = core.min_marginals(self.cheap)
        self.unsure = ambiguous_sentences(self.cheap_path, band, margins, settings.ambiguity, self.n, self.m)
        self._settled = False  # nothing is encoded before the path is asked for

    def force(self, src: np.ndarray, tgt: np.ndarray) -> bool:
        """Treat the sentences marked in ``src`` and ``tgt`` as unsure too (re-aligned when next
        asked); whether that added any."""
        unsure = (self.unsure[0] | src, self.unsure[1] | tgt)
        if not any((new != old).any() for new, old in zip(unsure, self.unsure)):
            return False
        self.unsure = unsure
        self._settled = False
        return True

    def _settle(self) -> None:
        if self._settled:
            return
        self._settled = True
        self.regions = regions(self.cheap_path, *self.unsure)
        self._region_starts = [s0 + t0 for (s0, _), (t0, _) in self.regions]
        self.embedded: PairModel | None = None
        self._path = self.cheap_path
        if not any(s1 > s0 for (s0, s1), _ in self.regions) or not any(t1 > t0 for _, (t0, t1) in self.regions):
            return  # nothing to pair in the regions: the cheap path's skips stand
        self.offsets = np.cumsum([(0, 0)] + [(s1 - s0, t1 - t0) for (s0, s1), (t0, t1) in self.regions], axis=0)
        self.embedded = self.embed([x for (s0, s1), _ in self.regions for x in self.src[s0:s1]],
                                   [y for _, (t0, t1) in self.regions for y in self.tgt[t0:t1]], self.cheap.ratio)
        self._path = self._realign(self.cheap_path)

    def path(self) -> list[Step]:
        self._settle()
        return self._path

    def _realign(self, steps: list[Step]) -> list[Step]:
        corners = [(0, 0)]
        for s in steps:
            local = self._local(s.src, s.tgt)
            if local is not None:
                corners.append((local[0][1], local[1][1]))
        model = self.embedded
        band = Band.around(corners, model.n, model.m, BAND_WIDTH)
        costs = model.costs(band, core.BEADS)
        rows, cols = band.cells()
        starts_src, starts_tgt = self.offsets[:, 0], self.offsets[:, 1]
        for (a, b), cost in costs.items():
            # the bead's first source and target sentences in one region, its last ones too
            region = np.searchsorted(starts_src, rows - a, side="right") - 1
            same = np.searchsorted(starts_tgt, cols - b, side="right") - 1 == region
            inside = (rows <= starts_src[np.minimum(region + 1, len(starts_src) - 1)]) & \
                     (cols <= starts_tgt[np.minimum(region + 1, len(starts_tgt) - 1)])
            cost[~(same & inside)] = np.inf
        local = core.dp(costs, model.skip_src, model.skip_tgt, band)
        out, k = [], 0
        for s in steps:  # the cheap beads outside the regions, each region's beads in its place
            inside = self._region_of(s.src, s.tgt)
            if inside is None:
                out.append(s)
                continue
            if inside != k:
                continue
            k += 1
            (s0, _), (t0, _) = self.regions[inside]
            off_src, off_tgt = self.offsets[inside]
            (_, s_end), (_, t_end) = self.regions[inside]
            last_src, last_tgt = off_src + s_end - s0, off_tgt + t_end - t0
            for x in local:
                if off_src <= x.src[0] and x.src[1] <= last_src and off_tgt <= x.tgt[0] and x.tgt[1] <= last_tgt \
                        and (x.src[1] > x.src[0] or x.tgt[1] > x.tgt[0]):
                    out.append(Step((x.src[0] - off_src + s0, x.src[1] - off_src + s0),
                                    (x.tgt[0] - off_tgt + t0, x.tgt[1] - off_tgt + t0), x.cost))
        return out

    def _region_of(self, src: Range, tgt: Range) -> int | None:
        # regions are in order with a bead between two, so s0 + t0 grows strictly from one to the
        # next and the only region that can hold the ranges is the last one starting before them
        k = bisect_right(self._region_starts, src[0] + tgt[0]) - 1
        if k < 0:
            return None
        (s0, s1), (t0, t1) = self.regions[k]
        return k if s0 <= src[0] and src[1] <= s1 and t0 <= tgt[0] and tgt[1] <= t1 else None

    def _local(self, src: Range, tgt: Range) -> tuple[Range, Range] | None:
        """``src``, ``tgt`` in the embedding model's coordinates, if inside a region."""
        k = self._region_of(src, tgt)
        if k is None:
            return None
        (s0, _), (t0, _) = self.regions[k]
        ds, dt = self.offsets[k][0] - s0, self.offsets[k][1] - t0
        return (src[0] + ds, src[1] + ds), (tgt[0] + dt, tgt[1] + dt)

    def bead_cost(self, src: Range, tgt: Range) -> float:
        """The embedding cost inside a region; the cheap cost outside, in the embedding model's
        units (scaled so that a skip costs the same in both)."""
        self._settle()
        local = self._local(src, tgt) if self.embedded is not None else None
        if local is not None:
            return self.embedded.bead_cost(*local)
        scale = 1.0 if self.embedded is None else float(self.embedded.skip_src[0]) / -np.log(PRIORS[1, 0])
        return scale * self.cheap.bead_cost(src, tgt)

    def similarity(self, src: Range, tgt: Range) -> float:
        self._settle()
        local = self._local(src, tgt) if self.embedded is not None else None
        return self.embedded.similarity(*local) if local is not None else self.cheap.similarity(src, tgt)

    def confidence(self, src: Range, tgt: Range) -> float:
        self._settle()
        local = self._local(src, tgt) if self.embedded is not None else None
        if local is not None:
            return self.embedded.confidence(*local)
        if src[0] == src[1] or tgt[0] == tgt[1]:
            return 0.0
        skip = float(self.cheap.skip_src[src[0]:src[1]].sum() + self.cheap.skip_tgt[tgt[0]:tgt[1]].sum())
        return float(np.clip(1.0 - self.cheap.bead_cost(src, tgt) / max(skip, 1e-9), 0.0, 1.0))


def regions(steps: Sequence[Step], unsure_src: np.ndarray, unsure_tgt: np.ndarray) -> list[tuple[Range, Range]]:
    """Source and target ranges of the runs of beads with an unsure sentence, widened by
    :data:`CONTEXT_BEADS` on each side, overlapping runs joined."""
    touched = np.array([bool(unsure_src[s.src[0]:s.src[1]].any() or unsure_tgt[s.tgt[0]:s.tgt[1]].any())
                        for s in steps], bool)
    wide = touched.copy()
    for shift in range(1, CONTEXT_BEADS + 1):
        wide[shift:] |= touched[:-shift]
        wide[:-shift] |= touched[shift:]
    out, k = [], 0
    while k < len(steps):
        if not wide[k]:
            k += 1
            continue
        first = k
        while k < len(steps) and wide[k]:
            k += 1
        out.append(((steps[first].src[0], steps[k - 1].src[1]), (steps[first].tgt[0], steps[k - 1].tgt[1])))
    return out
