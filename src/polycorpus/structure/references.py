"""The other way of citing: a numbered reference list at the end, cited as ``[3]``, ``[3, s.45]``.

The list follows a heading such as ``ƏDƏBİYYAT``, ``Список литературы``, ``References`` or
``Kaynakça`` (see ``labels.json``); each entry starts with its printed number (``3.``, ``[3]``,
``3)``) and may run over several lines. In-text citations become the entries' markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Line

# "3. ", "[3] ", "3) ", "3 " or glued "8.Sabir"; not a number going on with a comma or digits
_ENTRY = re.compile(r"^\s*\[?(\d{1,3})(?:[\].)]\s*|\s+)(?=[^\W\d_]|[«“\"„(])")
# one cited item: numbers ("3", "1, 4", "2-4") and maybe its pinpoint ("3, s.45", "7, с. 12-14")
_ITEM = (r"\d{1,3}(?:\s*[,–-]\s*\d{1,3})*"
         r"(?:\s*[,:]\s*(?:s|с|p|pp|S|С|стр|səh|vol|т)\.\s*[\dIVXivx][\d\s,\-–IVXivx]*?)?")
# [3]  [3, s.45]  [1; 4]  [1, 4]  [2-4]  [3, с. 45-47]  [5, p. 12]  [1, s.17; 11]
_CITATION = re.compile(rf"\[({_ITEM}(?:\s*;\s*{_ITEM})*)\s*\]")
_PARTS = re.compile(r"(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)(?:\s*[,:]\s*[^\W\d_]+\.\s*([^;]*))?")


@dataclass
class Entry:
    n: int
    start: int
    end: int


def parse_entries(lines: list[Line], indices: list[int]) -> list[Entry]:
    """Numbered entries of the reference list in ``indices`` (its non-blank lines)."""
    entries: list[Entry] = []
    for i in indices:
        line = lines[i]
        match = _ENTRY.match(line.text)
        expected = entries[-1].n + 1 if entries else 1
        if match and int(match.group(1)) == expected:
            entries.append(Entry(expected, line.start + match.end(), line.content_end))
        elif entries:
            entries[-1].end = line.content_end
    return entries


def _numbers(group: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", group.strip()):
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2:
            numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            numbers.append(int(bounds[0]))
    return numbers


def find_citations(raw: str, pieces: list[tuple[int, int]], known: set[int]) -> list[tuple[int, int, list[int], str | None]]:
    """``(start, end, numbers, pinpoint)`` of the in-text citations of known entries in a block
    printed in ``pieces`` (raw ranges); what stands between two pieces (a page's furniture and
    notes) reads as white space, so that a bracket broken by a page (``[14,`` … ``с.43]``) is one.

    The span takes the spaces before the bracket along, so that the clean text, which drops
    markers, reads ``эмиграции.`` and not ``эмиграции .``.
    """
    start, end = pieces[0][0], pieces[-1][1]
    text = raw[start:end]
    for (_, gap_start), (gap_end, _) in zip(pieces, pieces[1:]):
        text = text[:gap_start - start] + re.sub(r"\S", " ", text[gap_start - start:gap_end - start]) + text[gap_end - start:]
    found = []
    for match in _CITATION.finditer(text):
        numbers, pinpoint = [], None
        for part in re.split(r"\s*;\s*", match.group(1).strip()):
            item = _PARTS.fullmatch(part.strip())
            numbers += _numbers(item.group(1))
            # the pinpoint printed next to the last number (see citations.intext)
            pinpoint = item.group(2).strip() if item.group(2) else None
        if numbers and all(n in known for n in numbers):
            begin = match.start()
            while begin > 0 and text[begin - 1] in " \t":
                begin -= 1
            found.append((start + begin, start + match.end(), numbers, pinpoint))
    return found
