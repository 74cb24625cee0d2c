"""Structure recovery from PDF-extracted text: blocks, footnotes and their markers, furniture,
hyphenation and homoglyphs. Importing this package registers the stages ``structure`` and ``notes``."""

from . import stages  # noqa: F401  (registers the stages)
