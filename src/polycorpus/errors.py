"""Errors that name the file and the problem in one line."""

from __future__ import annotations

from pathlib import Path


class PolycorpusError(Exception):
    """Bad input or a missing resource; ``str()`` is one line naming the file and the problem."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class InputError(PolycorpusError):
    """The input file cannot be read as an article (empty, binary, wrong encoding, broken PDF …)."""


class ResourceError(PolycorpusError):
    """A model or tool the user asked for is not installed; the message says how to get it."""
