"""What every scorer shares: counts, scores computed from counts, and a reproducible signature.

As in sacrebleu, a scorer first collects statistics (true/false positives per key such as
language or label), then every figure — micro, per key — is computed from those counts, and
each printed score carries a signature of whatever can move the number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import __version__


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def set_counts(gold: Iterable, predicted: Iterable) -> Counts:
    """Counts of exact matches between two collections of hashable items."""
    gold, predicted = set(gold), set(predicted)
    return Counts(len(gold & predicted), len(predicted - gold), len(gold - predicted))


@dataclass
class Signature:
    """``name|key:value|…|v:version``; None values are left out, the version comes last."""

    name: str
    fields: dict[str, object] = field(default_factory=dict)

    def format(self) -> str:
        parts = [self.name] + [f"{k}:{v}" for k, v in self.fields.items() if v is not None]
        return "|".join(parts + [f"v:{__version__}"])


def file_hash(path: str | Path, length: int = 8) -> str:
    """Short content hash of a gold file or folder (files in sorted order), for signatures."""
    path = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:length]


def text_table(rows: Iterable[Iterable[object]]) -> str:
    """Rows as left-aligned columns two spaces apart, without trailing blanks."""
    rows = [[str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows), default=0))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows)


@dataclass
class ScoreTable:
    """Rows of (key…, Counts) printed as an aligned text table with P, R, F1 and counts."""

    columns: tuple[str, ...]
    rows: list[tuple[tuple[str, ...], Counts]] = field(default_factory=list)

    def add(self, key: tuple[str, ...], counts: Counts) -> None:
        self.rows.append((key, counts))

    def format(self) -> str:
        header = list(self.columns) + ["P", "R", "F1", "tp", "fp", "fn"]
        body = [list(key) + [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn)]
                for key, c in self.rows]
        return text_table([header] + body)

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, key)) | {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                                                "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for key, c in self.rows]
