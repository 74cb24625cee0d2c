"""Lines of PDF-extracted text with their raw offsets, and the small tests every module shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence end at a line end: . ! ? … possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?…][\"'”»’)\]]*$")


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # raw offset of the line's first character
    end: int  # raw offset of its line break (or of the end of the text)
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def content_start(self) -> int:
        return self.start + len(self.text) - len(self.text.lstrip())

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip())

    @property
    def indented(self) -> bool:
        """Starts with white space before text: pdftotext's mark of a block or page start."""
        return not self.blank and self.text[0].isspace()


def split_lines(raw: str) -> list[Line]:
    lines = []
    start = 0
    for i, text in enumerate(raw.split("\n")):
        lines.append(Line(i, start, start + len(text), text))
        start += len(text) + 1
    return lines


def ends_sentence(text: str) -> bool:
    """Whether ``text`` (a line with its footnote markers removed) ends a sentence."""
    return bool(_TERMINAL.search(text.rstrip()))


def starts_upper(text: str) -> bool:
    """Whether the first letter-or-digit of ``text`` is an upper-case letter or a digit."""
    for ch in text:
        if ch.isalnum():
            return ch.isupper() or ch.isdigit()
    return False
