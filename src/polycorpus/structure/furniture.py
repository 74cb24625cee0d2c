"""Page furniture: footnote rules, page numbers and running headers of PDF-extracted text.

Found by form and position, never by the text of one journal's header: a rule is a line of
nothing but spaces or rule characters; a page number is a short number alone between blank lines;
a running header is an isolated line with a wide column gap (author left, title right), or an
isolated line that recurs on several pages next to a page number.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable

from ..document import Span
from .layout import Line, ends_sentence

# (a short rule too: a few underscores or dashes alone on their line)
_RULE = re.compile(r"^(?:[ \t\u00a0]{20,}|\s*[_—–\-‒―]{3,}\s*)$")
# "22", "- 22 -", "— 22 —", and with the languages' word for page: "Səh. 22", "с. 22", "p. 22"
# (also as read with look-alikes of the other script mended: Latin "c.", Cyrillic "р.")
_PAGE_NUMBER = re.compile(r"^\s*[—–-]?\s*(?:(?:səh|səhifə|s|с|c|стр|p|р|pp|page|sayfa)\.?\s*)?\d{1,4}\s*[—–-]?\s*$",
                          re.IGNORECASE)
_COLUMN_GAP = re.compile(r"\S[ \t]{8,}\S")
_EDGE_NUMBER = re.compile(r"^\d{1,4}\s{2,}|\s{2,}\d{1,4}$")
# an isolated line printed this often is a running header wherever it stands (the journal's name
# above the first page's title too); three, as a title or heading is printed once or twice
_RUNNING_PAGES = 3
# a header set close to the text: a short line that does not start with a note's number
_NOTE_LIKE = re.compile(r"^\s*(?:\d{1,3}|[⁰¹²³⁴-⁹]{1,3}|\*+|[†‡§‖¶])\s?[^\d\s*†‡§‖¶]")
_HEADER_WORDS = 15
# how far (in lines) a running header may stand from its page number
_HEADER_REACH = 6
# lines of at least this many words are running text, printed once in an article
_TEXT_LINE_WORDS = 8


def is_rule(line: Line) -> bool:
    """The separator above a page's footnotes (the drawn line leaves spaces or rule characters)."""
    return bool(_RULE.match(line.text))


def _isolated(lines: list[Line], i: int) -> bool:
    before = i == 0 or lines[i - 1].blank
    after = i + 1 == len(lines) or lines[i + 1].blank
    return before and after


def _shape(text: str) -> str:
    """A header's shape: white space folded, digits masked (page numbers inside headers vary)."""
    return re.sub(r"\d+", "#", " ".join(text.split()))


def find_furniture(lines: list[Line], is_label: Callable[[str], bool]) -> dict[int, str]:
    """Line index -> furniture kind (``rule``, ``page-number``, ``header``); ``is_label`` tells
    the lines that open a labelled front unit (``ANNOTASIYA Məqalədə …``), which no header does."""
    found: dict[int, str] = {}
    series = _page_number_series(lines)
    # where the pages count on, a lone number far from their numbers is a marker on its own line
    values = [_number(lines[i].text) for i in series]
    for line in lines:
        if is_rule(line):
            found[line.index] = "rule"
        elif _PAGE_NUMBER.match(line.text) and _isolated(lines, line.index) and (
                not values or min(values) - _RUNNING_PAGES <= _number(line.text) <= max(values) + _RUNNING_PAGES):
            found[line.index] = "page-number"
    for i in series:  # printed close to the text, they still count on by one
        found.setdefault(i, "page-number")
    shapes = Counter(_shape(line.text) for line in lines if not line.blank)
    running = Counter(_running_shape(line.text) for line in lines if not line.blank)
    # a file holding the article several times over prints its titles and headings as often as
    # its running text; a running header recurs on several pages of each copy
    copies = _times_printed(lines, shapes)
    for line in lines:
        if line.blank or line.index in found or found.get(line.index - 1) == "rule" or _PAGE_NUMBER.match(line.text):
            continue  # (below a rule stand the notes; a lone number is a page number or a marker)
        # a running header recurs on many pages, with its page number at either end or without;
        # set close to the text, it is one if it does not start like a note ("9 Yenə orada.")
        recurring = running[_running_shape(line.text)] >= _RUNNING_PAGES * copies
        if not _isolated(lines, line.index):
            # (or on every other page, alternating with another header, next to its page number)
            paired = running[_running_shape(line.text)] >= 2 * copies and _next_to_page_number(lines, line.index, found)
            if (recurring or paired) and _header_like(line.text) and _at_page_edge(lines, line.index, found):
                found[line.index] = "header"
            continue
        repeated = shapes[_shape(line.text)] > copies
        gap = bool(_COLUMN_GAP.search(line.text.strip()))
        # a header printed once stands next to its page number inside a sentence broken by the page
        near_number = _near_page_number(lines, line.index, found)
        # next to a page number: printed on several pages, or once inside a sentence broken by the page
        # (a labelled abstract's first line, left alone on its page, stands so too)
        near = near_number and _header_like(line.text) and (repeated or (
            _inside_sentence(lines, line.index, found) and not is_label(line.text)))
        if gap or (recurring and not _NOTE_LIKE.match(line.text)) or near:
            found[line.index] = "header"
    return found


def _times_printed(lines: list[Line], shapes: Counter) -> int:
    """How many times the file prints its running text: the median count of its long lines (1 for
    an article, N for a file of N copies of it)."""
    counts = sorted(shapes[_shape(line.text)] for line in lines if len(line.text.split()) >= _TEXT_LINE_WORDS)
    return counts[len(counts) // 2] if counts else 1


def _header_like(text: str) -> bool:
    """A short line that neither starts like a note (``9 Yenə orada``) nor ends a sentence like
    a note's last line (``Маска», 2013, с.69.``); a short title may end in an ellipsis."""
    # the page number printed beside it (``Səh. 152`` after a column gap) and a marker at the end aside
    parts = [part for part in re.split(r"[ \t]{2,}", text.strip()) if not _PAGE_NUMBER.match(part)] or [""]
    stripped = re.sub(r"[\d⁰¹²³⁴-⁹*†‡§‖¶]+$", "", parts[-1]).rstrip()
    return (not _NOTE_LIKE.match(text) and len(text.split()) <= _HEADER_WORDS
            and (not ends_sentence(stripped) or stripped.endswith("..")))


def _at_page_edge(lines: list[Line], i: int, found: dict[int, str]) -> bool:
    """Whether a blank line or furniture stands right above or below line ``i`` (a line repeated
    inside a block of text, as in notes citing one work, is no header)."""
    return any(j < 0 or j >= len(lines) or lines[j].blank or j in found for j in (i - 1, i + 1))


def _next_to_page_number(lines: list[Line], i: int, found: dict[int, str]) -> bool:
    return any(found.get(j) == "page-number" for j in (i - 1, i + 1))


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _page_number_series(lines: list[Line]) -> list[int]:
    """Lines alone with a page number that form a series counting on by one (or by two, where
    one side of the sheet is numbered) over at least ``_RUNNING_PAGES`` pages."""
    candidates = [(line.index, _number(line.text)) for line in lines
                  if _PAGE_NUMBER.match(line.text) and not line.blank]
    best: list[int] = []
    for k, (_, value) in enumerate(candidates):
        for step in (1, 2):
            chain, last = [candidates[k][0]], value
            for index, other in candidates[k + 1:]:
                if other == last + step:
                    chain.append(index)
                    last = other
            if len(chain) > len(best):
                best = chain
    return best if len(best) >= _RUNNING_PAGES else []


def _running_shape(text: str) -> str:
    """A header's shape without the page number printed at its start or end."""
    return _shape(_EDGE_NUMBER.sub("", text.strip()))


def _inside_sentence(lines: list[Line], i: int, found: dict[int, str]) -> bool:
    """Whether the last text line above line ``i`` (furniture aside) leaves its sentence unfinished."""
    for line in reversed(lines[:i]):
        if not line.blank and line.index not in found:
            return not ends_sentence(line.text) and not line.text.rstrip()[-1:].isdigit()
    return False


def _near_page_number(lines: list[Line], i: int, found: dict[int, str]) -> bool:
    """Whether only blank lines separate line ``i`` from a page number close by."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and abs(j - i) <= _HEADER_REACH:
            if found.get(j) == "page-number":
                return True
            if not lines[j].blank:
                break
            j += step
    return False


def page_breaks(lines: list[Line], skipped: set[int]) -> list[int]:
    """Raw offsets where the pages after the first begin: the first text line after furniture or
    a footnote area (the line indices ``skipped``) that follows text."""
    breaks = []
    text_seen = between = False
    for line in lines:
        if line.index in skipped:
            between = text_seen
        elif not line.blank:
            if between:
                breaks.append(line.start)
            text_seen, between = True, False
    return breaks


def add_hints(lines: list[Line], hints: list[Span], found: dict[int, str]) -> None:
    """Add the lines a PDF reader saw at a page margin (layer ``pdf_furniture``) to ``found``: a
    header printed on one page only (the journal's name above the title) does not recur."""
    starts = [line.start for line in lines]
    for hint in hints:
        for i in range(bisect_right(starts, hint.start) - 1, bisect_right(starts, hint.end - 1)):
            if not lines[i].blank:
                found.setdefault(i, "header")
