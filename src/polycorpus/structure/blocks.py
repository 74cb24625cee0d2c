"""Text lines grouped into units (paragraph-like blocks), headings, and units turned into spans.

pdftotext leaves a few traces of layout that decide where a block ends: one empty line after a
block's first line is an artefact (the block goes on unless the line ended a sentence); several
empty lines or a line of spaces separate blocks; a page break (footnotes, furniture) ends a
paragraph only where the page's last line ended a sentence; an indented line after a sentence
end starts a new block. A heading candidate is a short line, set apart above and followed
directly by a line that starts a paragraph and is not short for the document's lines; where only
one empty line or an indent sets it apart, as they set apart paragraphs, it must also stand out
of a paragraph's first line (end before the next word would have, be clearly short, join a topic
and its subtitle by a colon) or have its paragraph open below it with an indent; in narrow
columns, or set narrower than the text, a short heading wraps over two or three lines, each but
the last broken where the next word did not fit, and its paragraph may be set apart below it. The stage keeps only the
candidates inside the body (before it, such a line is the first line of a title set over
several lines).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Callable

from .layout import Line, ends_sentence, starts_upper

# gaps between two consecutive text lines of the running text
NONE, SOFT, HARD, PAGE = "none", "soft", "hard", "page"
_MAX_HEADING_WORDS = 12
# a heading is followed by a paragraph line at least this share of a typical line: a third, as
# the first line of an indented paragraph in a narrow column can be much shorter than a full one
_FOLLOWING_SHARE = 0.33
_MAX_HEADING_LINES = 3  # a short heading wraps over this many lines at most (narrow columns)
# a wrapped heading's line with the next line's first word added is at least this share of a
# typical line: it broke because the word did not fit (not a stack of short lines, as in verse)
_WRAP_SHARE = 0.8
_OWN_MEASURE_SHARE = 0.5  # a heading's own measure is at least this share of a typical line
_PAGE_TOP_SHARE = 0.6  # a heading at a page top is shorter than this share of a typical line
_WIDE_HEADING_SHARE = 1.15  # a heading set in one line reaches at most this share of a typical line
# a title's topic and its subtitle joined by a colon ("Topic: subtitle", "Тема: подзаголовок"): a
# few words before the colon, words after it
_TOPIC_AND_SUBTITLE = re.compile(r"^\w[^:.!?]*\w: \w")
_MAX_TOPIC_WORDS = 5


@dataclass
class Unit:
    lines: list[int]  # indices of the unit's non-blank lines
    kind: str = "paragraph"
    lang: str | None = None
    text_start: int | None = None  # where the text starts if not at the first line (after a label)
    attrs: dict = field(default_factory=dict)


def gaps(lines: list[Line], text: list[int], skipped: set[int]) -> list[str]:
    """``gaps[k]`` is the gap before text line ``text[k]`` (the first gets HARD)."""
    found = [HARD]
    for a, b in zip(text, text[1:]):
        between = range(a + 1, b)
        if any(i in skipped for i in between):
            found.append(PAGE)
        elif not between:
            found.append(NONE)
        elif len(between) == 1 and lines[a + 1].text == "":
            found.append(SOFT)
        else:
            found.append(HARD)
    return found


def find_headings(lines: list[Line], text: list[int], gap: list[str], stripped: dict[int, str],
                  is_label: Callable[[str], bool]) -> set[int]:
    """Indices of heading lines among the text lines: one line, or a short heading wrapped over
    up to ``_MAX_HEADING_LINES`` lines (narrow columns)."""
    typical = statistics.median(len(stripped[i]) for i in text) if text else 0
    headings: set[int] = set()
    for k in range(len(text)):
        if text[k] in headings:
            continue
        for size in range(1, _MAX_HEADING_LINES + 1):
            if _heading_at(lines, text, gap, stripped, is_label, typical, k, size):
                headings.update(text[k:k + size])
                break
    return headings


def _heading_at(lines: list[Line], text: list[int], gap: list[str], stripped: dict[int, str],
                is_label: Callable[[str], bool], typical: float, k: int, size: int) -> bool:
    """Whether text lines ``k`` to ``k + size - 1`` are a heading: set apart above, short, a
    phrase rather than a sentence, and followed by a line that starts a paragraph."""
    after = k + size
    if after >= len(text):
        return False
    line = stripped[text[k]].strip()
    before = stripped[text[k - 1]] if k else ""
    # the line below is set in where this one is not: it opens a paragraph of its own
    opens_below = lines[text[after]].indented and not lines[text[k]].indented
    if size == 1:
        joined = line
        # the paragraph follows directly, or after one empty line if the heading is clearly short
        follows = gap[after] == NONE or (gap[after] == SOFT and len(line) <= _PAGE_TOP_SHARE * typical)
        # a heading as wide as the text stands after a finished sentence, and its paragraph starts
        # a sentence of its own (a paragraph's first line runs on into the next one)
        fits = 2 <= len(line) and (len(line) <= 0.9 * typical
                                   or (len(line) <= _WIDE_HEADING_SHARE * typical and ends_sentence(before)
                                       and (gap[k] == HARD or opens_below) and gap[after] == NONE))
    else:
        parts = [" ".join(stripped[i].split()) for i in text[k:after]]  # justified spaces folded
        joined = " ".join(parts)
        # a wrapped heading is a block of its own: readers may set its paragraph apart below it;
        # its lines follow each other directly, at the same margin
        follows = gap[after] != PAGE and all(gap[j] == NONE and not lines[text[j]].indented
                                             for j in range(k + 1, after))
        # each line but the last broke because the next word did not fit: at the text's measure,
        # or at a narrower one of the heading's own (its longest line) that its last line ends
        # clearly short of, as headings set narrower than the text or in a larger type wrap
        own = max(len(part) for part in parts)
        narrower = own >= _OWN_MEASURE_SHARE * typical and len(parts[-1]) <= _PAGE_TOP_SHARE * own
        measure = min(own, typical) if narrower else typical
        fits = (all(len(part) + 1 + len((nxt.split() or [""])[0]) >= _WRAP_SHARE * measure and not ends_sentence(part)
                    for part, nxt in zip(parts, parts[1:]))
                and len(parts[-1]) <= 0.9 * typical and not any(is_label(part) for part in parts))
    if not follows:
        return False
    following = stripped[text[after]].strip()
    following_word = stripped[text[after]].split()[:1] or [""]
    last = stripped[text[after - 1]].strip()  # (a wrapped heading ends early on its last line)
    ended = ends_sentence(before)
    # a heading, unlike a paragraph's first line, stands out of the text: it ends early (the next
    # word would have fit) after a finished sentence, is clearly short, or reads as a title
    ends_early = ended and len(last) + 1 + len(following_word[0]) <= _WRAP_SHARE * typical
    stands_out = ends_early or len(last) <= _PAGE_TOP_SHARE * typical or (ended and _reads_as_title(joined))
    # an indented line, or one empty line, sets apart a line that stands out or whose paragraph
    # opens below it; a page's first line is indented anyway: there a short line without commas
    # counts, or one whose paragraph opens below it
    set_apart = (gap[k] == HARD or (gap[k] == NONE and lines[text[k]].indented and stands_out)
                 or (gap[k] == SOFT and gap[after] == NONE and not before.rstrip().endswith(("-", "–"))
                     and (stands_out or (ended and opens_below)))
                 or (gap[k] == PAGE and ((len(line) <= _PAGE_TOP_SHARE * typical and "," not in line)
                                         or (ended and opens_below))))
    return (set_apart and fits and len(joined.split()) <= _MAX_HEADING_WORDS
            and joined[0].isalnum() and starts_upper(joined) and joined[-1] not in ".,;:-–—"
            and not is_label(joined) and not is_label(following)
            and len(following) >= _FOLLOWING_SHARE * typical and starts_upper(following))


def _reads_as_title(text: str) -> bool:
    """A topic and its subtitle joined by a colon, as titles and headings are written; a sentence
    that announces a quotation or a list with a colon has more words before it."""
    return bool(_TOPIC_AND_SUBTITLE.match(text)) and len(text.split(":")[0].split()) <= _MAX_TOPIC_WORDS


def group_units(lines: list[Line], text: list[int], gap: list[str], stripped: dict[int, str],
                headings: set[int], is_label: Callable[[str], bool]) -> list[Unit]:
    """Text lines grouped into units; ``stripped`` holds each line without its note markers."""
    units: list[Unit] = []
    for k, i in enumerate(text):
        before = text[k - 1] if k else None
        ended = k > 0 and ends_sentence(stripped[before])
        # a heading's next line straight below, not indented, is its wrapped part (an indented one
        # is a heading of its own: see find_headings)
        wrapped = before in headings and i in headings and gap[k] == NONE and not lines[i].indented
        new = not wrapped and (
            k == 0 or i in headings or before in headings or is_label(stripped[i]) or gap[k] == HARD
            # (a line that starts in lower case goes on with the sentence: the stop was an abbreviation's)
            or (gap[k] in (SOFT, PAGE) and ended and not _starts_lower(stripped[i]))
            or (gap[k] == NONE and ended and lines[i].indented)
            or (gap[k] in (SOFT, PAGE) and _style_changes(stripped[before], stripped[i])))
        if new:
            units.append(Unit([i], "heading" if i in headings else "paragraph"))
        else:
            units[-1].lines.append(i)
    return units


def _starts_lower(text: str) -> bool:
    first = text.lstrip()[:1]
    return first.isalpha() and first.islower()


def _style_changes(before: str, after: str) -> bool:
    """Across one empty line, a change of script or of capitals, a note asterisk between the
    lines, or an author's name marked with one separates two front-matter units (title / author /
    affiliation / other language)."""
    before, after = before.strip(), after.strip()
    if not any(ch.isalpha() for ch in after):  # "(1801–1828)" under a title: no style of its own
        return False
    # a bracket left open goes on across the page ("[14," … "с.43]"), whatever its letters
    if before.count("[") > before.count("]") or before.count("(") > before.count(")"):
        return False
    if before.endswith(("*", "†")) or after.startswith(("*", "†", "©")) or after.endswith(("*", "†")):
        return True
    return script_of(before) != script_of(after) or is_caps(before) != is_caps(after)


def script_of(text: str) -> str:
    """``cyrl`` if most letters of ``text`` are Cyrillic, else ``latn``."""
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    return "cyrl" if cyrillic > len(letters) / 2 else "latn"


def is_caps(text: str) -> bool:
    """Mostly capital letters (a title set in capitals)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 5 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def pieces(lines: list[Line], unit: Unit, skipped: set[int]) -> list[list[int]]:
    """Raw ``[start, end]`` ranges of a unit, one per run of lines not broken by a page."""
    runs: list[list[int]] = []
    for k, i in enumerate(unit.lines):
        start = unit.text_start if k == 0 and unit.text_start is not None else lines[i].content_start
        if runs and not any(j in skipped for j in range(unit.lines[k - 1] + 1, i)):
            runs[-1][1] = lines[i].content_end
        else:
            runs.append([start, lines[i].content_end])
    return runs
