"""Footnotes at page ends and their markers in the running text.

A page's notes follow the rule line (see :mod:`furniture`) and run until the page's furniture or
the next page's first line (pdftotext indents it). A note starts with its printed number, the
next one in the running 1..N order (``29A.Сафарова`` has it glued); other lines continue the
note before, also across pages. Markers are numbers glued to a word or a sentence end in the
text (``idi.1 Rəsulzadə``, ``edir”. 8``); the running order tells them from years and pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import Line, ends_sentence

_NOTE_START = re.compile(r"^\s*(\d{1,3})(?!\d)(?=\s*\S)")
# a candidate marker: 1-3 digits glued to a letter or closing punctuation, or after a sentence
# end and one space; not part of a longer number, a range, a decimal or a suffixed number (11-ci)
_MARKER = re.compile(r"(?:(?<=[^\W\d_])|(?<=[.,;:!?”»\"’)\]])|(?<=[.!?”»\"’)]\s))"
                     r"(\d{1,3})(?![\d\-–.,]\w|\d|[^\W\d_])")
# page references, numbered items and decimals are not markers: "s.45", "с.35", "N305", "№3", "3.5"
_NOT_AFTER = re.compile(r"(?:\b[^\W\d_]{1,2}\.\s?|[№#]\s?|\bN|\b\d{1,2}[.,])$")
# ...unless the short "word" is the end of a word broken at the line end (vurğulanır-\ndı.45)
_BROKEN_WORD_END = re.compile(r"-[ \t]*\n\s*[^\W\d_]{1,2}\.\s?$")


@dataclass
class Note:
    n: int
    pieces: list[list[int]] = field(default_factory=list)  # raw [start, end] of its text per page

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def read_notes(lines: list[Line], furniture: dict[int, str], first: int = 1) -> tuple[list[list[int]], list[Note]]:
    """Each page's footnote area (line indices, blank lines included) and the numbered notes.

    An area runs from a rule to the page's furniture, to an indented line (the next page's
    first line) that does not start the next note, or to a lower-case line after a note's last
    sentence (the running text going on). Numbers must run on by one.
    """
    zones: list[list[int]] = []
    notes: list[Note] = []
    for rule in lines:
        if furniture.get(rule.index) != "rule":
            continue
        zone: list[int] = []
        for line in lines[rule.index + 1:]:
            expected = notes[-1].n + 1 if notes else first
            match = _NOTE_START.match(line.text)
            starts_note = bool(match) and int(match.group(1)) == expected
            if line.index in furniture or (line.indented and not starts_note) or _body_resumes(lines, zone, line):
                break
            zone.append(line.index)
            if line.blank:
                continue
            if starts_note:
                rest = line.text[match.end():]
                text_start = line.start + match.end() + len(rest) - len(rest.lstrip())
                notes.append(Note(expected, [[text_start, line.content_end]]))
            elif notes and len([i for i in zone if not lines[i].blank]) == 1:
                notes[-1].pieces.append([line.content_start, line.content_end])  # runs on from a page before
            elif notes:
                notes[-1].pieces[-1][1] = line.content_end
        zones.append(zone)
    return zones, notes


def _body_resumes(lines: list[Line], zone: list[int], line: Line) -> bool:
    """A lower-case line after a note's sentence end continues the running text of the page
    before (a page without furniture, whose first line is not indented)."""
    written = [i for i in zone if not lines[i].blank]
    return bool(written) and ends_sentence(lines[written[-1]].text) and line.text.lstrip()[:1].islower()


def find_markers(raw: str, lines: list[Line], numbers: list[int]) -> list[tuple[int, int, int]]:
    """``(start, end, n)`` of the markers of notes ``numbers`` in ``lines`` (the running text).

    Candidates are taken in reading order; one whose value is the next note still unmarked (or a
    later one, when a marker was lost) becomes that note's marker.
    """
    wanted = sorted(numbers)
    markers = []
    position = 0
    for line in lines:
        for match in _MARKER.finditer(raw, line.start, line.end):
            if position == len(wanted):
                return markers
            n = int(match.group(1))
            if n not in wanted[position:position + 3] or _abbreviation_before(raw, line.start, match.start()):
                continue
            if raw[match.start() - 1].isspace() and not _ends_line_or_sentence(raw, match.end(), line.end):
                continue
            markers.append((match.start(), match.end(), n))
            position = wanted.index(n) + 1
    return markers


def _ends_line_or_sentence(raw: str, end: int, line_end: int) -> bool:
    """A marker set off by a space stands at the line end or before a new sentence (``edir”. 8``)."""
    rest = raw[end:line_end].lstrip()
    return not rest or rest[0].isupper()


def _abbreviation_before(raw: str, line_start: int, start: int) -> bool:
    """Whether the number at ``start`` follows ``s.``, ``с.``, ``№`` or the like (a page, an item)."""
    before = raw[max(line_start, start - 4):start]
    return bool(_NOT_AFTER.search(before)) and not _BROKEN_WORD_END.search(raw[max(0, start - 12):start])
