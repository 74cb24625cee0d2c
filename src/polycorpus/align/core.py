"""Dynamic programming over alignment beads: cost arrays in, bead path out; no models, no I/O.

Conventions. Source sentences are ``0..n-1``, target sentences ``0..m-1``. Cell ``(i, j)`` is the
state "the first ``i`` source and ``j`` target sentences are aligned"; a bead of shape ``(a, b)``
ending in cell ``(i, j)`` covers source ``i-a..i-1`` and target ``j-b..j-1``. Only the cells of a
:class:`Band` are searched: row ``i`` holds columns ``lo[i]..hi[i]-1``, and every per-cell array
(costs, totals, back-pointers) is flat in that layout, ``ptr[i] + j - lo[i]``.

Skips (1-0, 0-1) cost ``skip_src[k]`` / ``skip_tgt[k]`` per sentence. The 0-1 step runs along a
row, so it cannot be vectorised as a plain neighbour; with prefix sums ``S`` of the target skip
costs it is a running minimum, ``D[i, j] = S[j] + min_{k<=j} (X[k] - S[k])``, where ``X`` is the
best arrival in ``(i, k)`` by any other bead. Each row is then a handful of numpy operations:
the cell each bead shape starts from and its cost are laid out per cell beforehand
(:func:`_arrivals`), so a row gathers the arrivals of all shapes at once and keeps the least.

:func:`align` searches long texts coarse to fine (as Vecalign does): the pair is halved until the
full grid is small, aligned there, and each finer level searches only a band around the
projected coarser path, so the work grows about linearly with length. Bertalign's two steps
(1-1 anchors from each sentence's most similar ones, then a many-to-many search in a window
around them) need every sentence embedded for the first; here the coarse levels take the first
step's part, and cheap first (:mod:`.ambiguous`) takes its anchors from lengths and cues instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence

import numpy as np

Shape = tuple[int, int]

# Bead shapes besides the skips, in tie-breaking order (1-1 wins a tie).
BEADS: tuple[Shape, ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1))
SKIP_SRC: Shape = (1, 0)
SKIP_TGT: Shape = (0, 1)


@dataclass(frozen=True)
class Step:
    """One bead of a path: source ``src[0]..src[1]-1`` with target ``tgt[0]..tgt[1]-1``."""

    src: tuple[int, int]
    tgt: tuple[int, int]
    cost: float

    @property
    def shape(self) -> Shape:
        return self.src[1] - self.src[0], self.tgt[1] - self.tgt[0]


class Band:
    """The searched cells: columns ``lo[i] <= j < hi[i]`` of each row ``i = 0..n``."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray, m: int) -> None:
        self.lo = np.asarray(lo, dtype=np.int64)
        self.hi = np.asarray(hi, dtype=np.int64)
        self.m = m
        if self.lo[0] != 0 or self.hi[-1] != m + 1 or np.any(self.hi <= self.lo):
            raise ValueError("band must contain (0, 0), (n, m) and a cell in every row")
        self.ptr = np.concatenate([[0], np.cumsum(self.hi - self.lo)])

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @property
    def size(self) -> int:
        return int(self.ptr[-1])

    def cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, in the flat layout."""
        widths = self.hi - self.lo
        rows = np.repeat(np.arange(self.n + 1), widths)
        cols = np.arange(self.size) - np.repeat(self.ptr[:-1] - self.lo, widths)
        return rows, cols

    @classmethod
    def full(cls, n: int, m: int) -> "Band":
        return cls(np.zeros(n + 1, np.int64), np.full(n + 1, m + 1, np.int64), m)

    @classmethod
    def around(cls, corners: Sequence[tuple[int, int]], n: int, m: int, width: int) -> "Band":
        """Cells within ``width`` rows and columns of the path through ``corners`` ((0, 0) … (n, m)).

        Between two corners the path is the straight line, so a coarse many-to-many bead or a
        run of skips is searched along its diagonal.
        """
        jmin = np.full(n + 1, m, np.int64)
        jmax = np.zeros(n + 1, np.int64)
        for (i0, j0), (i1, j1) in zip(corners, corners[1:]):
            if i1 == i0:
                jmin[i0] = min(jmin[i0], j0)
                jmax[i0] = max(jmax[i0], j1)
                continue
            rows = np.arange(i0, i1 + 1)
            cols = j0 + (rows - i0) * (j1 - j0) / (i1 - i0)
            jmin[rows] = np.minimum(jmin[rows], np.floor(cols).astype(np.int64))
            jmax[rows] = np.maximum(jmax[rows], np.ceil(cols).astype(np.int64))
        lo, hi = jmin.copy(), jmax.copy()
        for shift in range(1, width + 1):
            lo[shift:] = np.minimum(lo[shift:], jmin[:-shift])
            lo[:-shift] = np.minimum(lo[:-shift], jmin[shift:])
            hi[shift:] = np.maximum(hi[shift:], jmax[:-shift])
            hi[:-shift] = np.maximum(hi[:-shift], jmax[shift:])
        lo = np.clip(lo - width, 0, m)
        hi = np.clip(hi + width + 1, 1, m + 1)
        lo[0], hi[-1] = 0, m + 1
        return cls(lo, hi, m)


def dp(costs: Mapping[Shape, np.ndarray], skip_src: np.ndarray, skip_tgt: np.ndarray, band: Band) -> list[Step]:
    """The cheapest bead path from (0, 0) to (n, m) within ``band``.

    ``costs[shape]`` is a flat band array: the cost of a bead of that shape ending in each cell
    (``inf`` where it cannot end). Skip costs are per sentence. Raises ``ValueError`` if the band
    does not connect its corners.
    """
    return _trace(*forward(costs, skip_src, skip_tgt, band), band)


def forward(costs: Mapping[Shape, np.ndarray], skip_src: np.ndarray, skip_tgt: np.ndarray, band: Band):
    """The least cost of reaching each band cell, its back-pointers and the shapes they index."""
    n, m = len(skip_src), len(skip_tgt)
    if band.n != n or band.m != m:
        raise ValueError(f"band is {band.n}x{band.m}, costs are {n}x{m}")
    shapes = list(costs) + [SKIP_SRC]
    tgt_skip_code = len(shapes)
    prefix = np.concatenate([[0.0], np.cumsum(skip_tgt, dtype=np.float64)])
    start, step = _arrivals(costs, shapes, skip_src, band)
    total = np.full(band.size + 1, np.inf)  # the last entry: the start of a bead that cannot end there
    back = np.full(band.size, -1, np.int8)
    lo, hi, ptr = band.lo, band.hi, band.ptr
    for i in range(n + 1):
        cells = slice(ptr[i], ptr[i + 1])
        arrival = total[start[cells]] + step[cells]
        code = arrival.argmin(axis=1)  # the first of equal shapes: 1-1 wins a tie
        best = np.take_along_axis(arrival, code[:, None], axis=1)[:, 0]
        code = code.astype(np.int8)
        code[best == np.inf] = -1
        if i == 0:
            best[0] = 0.0  # lo[0] == 0
        cols = np.arange(lo[i], hi[i])
        shifted = best - prefix[cols]
        running = np.minimum.accumulate(shifted)
        code[shifted > running] = tgt_skip_code
        total[cells] = running + prefix[cols]
        back[cells] = code
    return total[:-1], back, shapes


def _arrivals(costs: Mapping[Shape, np.ndarray], shapes: list[Shape], skip_src: np.ndarray,
              band: Band) -> tuple[np.ndarray, np.ndarray]:
    """Per band cell and shape (cells by shapes): the flat cell a bead of that shape ending there
    starts from (``band.size`` when that cell is outside the band) and the bead's cost (``inf``
    for an impossible one), so that :func:`forward` handles a row in a few whole-row operations."""
    rows, cols = band.cells()
    start = np.full((band.size, len(shapes)), band.size, np.int32)  # half the memory of int64
    step = np.empty((band.size, len(shapes)))
    last_src_skip = np.concatenate([[np.inf], skip_src])  # per row: leaving out its last source sentence
    for k, (a, b) in enumerate(shapes):
        row, col = rows - a, cols - b
        inside = row >= 0
        row = np.maximum(row, 0)
        inside &= (col >= band.lo[row]) & (col < band.hi[row])
        start[inside, k] = band.ptr[row[inside]] + col[inside] - band.lo[row[inside]]
        step[:, k] = last_src_skip[rows] if (a, b) == SKIP_SRC else costs[a, b]
    step[np.isnan(step)] = np.inf  # never chosen, as a comparison with nan never holds
    return start, step


def _trace(total: np.ndarray, back: np.ndarray, shapes: list[Shape], band: Band) -> list[Step]:
    i, j = band.n, band.m
    steps = []
    while i or j:
        cell = band.ptr[i] + j - band.lo[i]
        code = back[cell]
        if code < 0:
            raise ValueError(f"no path reaches cell ({i}, {j}) inside the band")
        a, b = SKIP_TGT if code == len(shapes) else shapes[code]
        prev = band.ptr[i - a] + (j - b) - band.lo[i - a]
        steps.append(Step((i - a, i), (j - b, j), float(total[cell] - total[prev])))
        i, j = i - a, j - b
    steps.reverse()
    return steps


class CostModel(Protocol):
    """What :func:`align` needs from a pair of texts: sizes, skip costs, band costs, a coarser copy."""

    n: int
    m: int
    skip_src: np.ndarray
    skip_tgt: np.ndarray

    def costs(self, band: Band, shapes: Sequence[Shape]) -> dict[Shape, np.ndarray]: ...

    def coarsen(self) -> "CostModel": ...


def search_band(model: CostModel, shapes: Sequence[Shape] = BEADS, full_cells: int = 250_000, width: int = 8,
                searched: list[int] | None = None) -> Band:
    """The cells :func:`align` searches at the finest level: all when ``(n+1)(m+1) <= full_cells``,
    else a band of ``width`` around the path found on the coarser pair (recursively)."""
    n, m = model.n, model.m
    if (n + 1) * (m + 1) <= full_cells or min(n, m) < 2 * width:
        return Band.full(n, m)
    coarse = align(model.coarsen(), shapes, full_cells, width, searched)
    corners = [(0, 0)] + [(min(2 * s.src[1], n), min(2 * s.tgt[1], m)) for s in coarse]
    corners[-1] = (n, m)
    return Band.around(corners, n, m, width)


def align(model: CostModel, shapes: Sequence[Shape] = BEADS, full_cells: int = 250_000, width: int = 8,
          searched: list[int] | None = None) -> list[Step]:
    """The best path for ``model`` within :func:`search_band` (coarse to fine on long pairs).

    ``searched``, if given, receives the number of cells searched at each level, coarsest first.
    """
    band = search_band(model, shapes, full_cells, width, searched)
    if searched is not None:
        searched.append(band.size)
    return dp(model.costs(band, shapes), model.skip_src, model.skip_tgt, band)


def min_marginals(model: CostModel, shapes: Sequence[Shape] = BEADS,
                  width: int = 8) -> tuple[list[Step], Band, np.ndarray]:
    """The best path, its band, and per band cell how much more the best path through that cell
    costs (0 on the best path). The least cost of finishing from ``(i, j)`` is the least cost of
    reaching ``(n-i, m-j)`` with both texts reversed, whose beads are the forward ones read
    backwards: their costs are the forward costs, rearranged (:func:`_mirrored`)."""
    band = search_band(model, shapes, width=width)
    costs = model.costs(band, shapes)
    total, back, shapes_used = forward(costs, model.skip_src, model.skip_tgt, band)
    steps = _trace(total, back, shapes_used, band)
    n, m = model.n, model.m
    reverse = Band((m + 1 - band.hi)[::-1], (m + 1 - band.lo)[::-1], m)
    finish = forward(_mirrored(costs, band, reverse), model.skip_src[::-1], model.skip_tgt[::-1], reverse)[0]
    rows, cols = band.cells()
    through = total + finish[reverse.ptr[n - rows] + (m - cols) - reverse.lo[n - rows]]
    return steps, band, through - total[-1]


def _mirrored(costs: Mapping[Shape, np.ndarray], band: Band, reverse: Band) -> dict[Shape, np.ndarray]:
    """Bead costs in ``reverse`` (``band`` mirrored): an ``(a, b)`` bead ending in reversed cell
    ``(n-i, m-j)`` is the forward one from ``(i, j)`` to ``(i+a, j+b)``; ``inf`` where that end
    is outside ``band`` (its start is then outside ``reverse``, so the search never takes it)."""
    n, m = band.n, band.m
    rows, cols = reverse.cells()
    out = {}
    for (a, b), cost in costs.items():
        end_row, end_col = n - rows + a, m - cols + b
        inside = (end_row <= n) & (end_col <= m)
        end_row = np.minimum(end_row, n)
        inside &= (end_col >= band.lo[end_row]) & (end_col < band.hi[end_row])
        mirrored = np.full(reverse.size, np.inf)
        mirrored[inside] = cost[band.ptr[end_row[inside]] + end_col[inside] - band.lo[end_row[inside]]]
        out[a, b] = mirrored
    return out
