"""Footnotes at page ends and their markers in the running text.

A page's notes follow the rule line (see :mod:`furniture`), or, whatever separates them from
the text (blank lines, nothing), start at a line with the next note's number when the text above
holds its marker; they run until the page's furniture or the next page's first line (pdftotext
indents it, or it stands apart and holds the next marker). A note starts with its printed
number, the next one in the running 1..N order (``29A.Сафарова`` has it glued, ``¹²`` is
superscript); other lines continue the note before, also across pages. Markers are numbers
glued to a word or a sentence end in the text (``idi.1 Rəsulzadə``, ``edir”. 8``, ``idi.¹``);
the running order tells them from years and pages.

Many journals and books number the notes from 1 on every page instead, or mark them with signs
(``*``, ``**`` or ``*``, ``†``, ``‡``); then a note is known by its page and number, and each
page's markers are found among that page's notes.
:func:`read_numbered` reads the notes both ways and keeps the numbering under which more notes
find their marker (a restarting page read as running text glues its notes onto the last note
before, and a running page read as restarting does the same).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..citations.cues import load_cues
from ..segment.rules import Abbreviations
from .furniture import page_breaks
from .layout import Line, ends_sentence

# a number that goes on with a comma or a range ("26, c. 112", "15-16") continues the note before
_NOTE_START = re.compile(r"^\s*(?:(\d{1,3}|[⁰¹²³⁴-⁹]{1,3})(?![\d,;:\-–⁰¹²³⁴-⁹])|(\*+|[†‡§‖¶])(?![*†‡§‖¶]))"
                         r"(?=\s*\S)")
# note signs where notes are few on a page (numbered from 1 on every page): *, **, *** or *, †, ‡, §, ‖, ¶
_SIGNS = "*†‡§‖¶"
# superscript digits, as some extractions print markers and note numbers
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# a note number lost or misread by the extraction: the numbering resynchronises on one this
# much further on, at the start of a line after a note's last sentence
_LOST_NOTES = 2
# a candidate marker: 1-3 digits glued to a letter or closing punctuation, or after a sentence
# end and one space; not part of a longer number, a range, a decimal or a suffixed number (11-ci)
_MARKER = re.compile(r"(?:(?<=[^\W\d_])|(?<=[.,;:!?”»\"’)\]])|(?<=[.!?”»\"’)]\s)|(?<=[.!?”»\"’)] \n))"
                     r"(\d{1,3})(?![\d\-–.,]\w|\d|[^\W\d_])"
                     # a superscript number is a marker wherever it stands
                     r"|(?<=\S)([⁰¹²³⁴-⁹]{1,3})(?![⁰¹²³⁴-⁹])"
                     # ...and so is a note sign glued to a word or a sentence end
                     r"|(?<=[^\s*†‡§‖¶])(\*+|[†‡§‖¶])(?![*†‡§‖¶])")
# page references, numbered items and decimals are not markers: "s.45", "с.35", "N305", "№3", "3.5"
_NOT_AFTER = re.compile(r"(?:\b[^\W\d_]{1,2}\.\s?|[№#]\s?|\bN|\b\d{1,2}[.,])$")
# ...unless the short "word" is the end of a word broken at the line end (vurğulanır-\ndı.45)
# (or across a page, whose first line then starts with the word's two-letter end: "di.29")
_BROKEN_WORD_END = re.compile(r"-[ \t]*\n\s*[^\W\d_]{1,2}\.\s?$|(?:^|\n)\s*[^\W\d_]{2}\.\s?$")
# lines after an indented one searched for the next note's number (a note's own lines are few)
_NOTE_LOOKAHEAD = 3
# lines of a block set apart below the notes searched for the next marker (a page's first lines)
_BLOCK_LOOKAHEAD = 8
# ...or a unit after a number, which ends the phrase ("в 1822 г.15", "1820–1824 гг.34", "5 km.3")
_UNIT_AFTER_NUMBER = re.compile(r"\d\s?[^\W\d_]{1,2}\.\s?$")
_AUTHOR_WORDS = 8
_NOTE_ID = re.compile(r"^fn\.p(\d+)\.\d+$")


@dataclass
class Note:
    n: int
    pieces: list[list[int]] = field(default_factory=list)  # raw [start, end] of its text per page
    page: int | None = None  # the page it starts on (1 for the first), when numbers restart per page

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass
class Reading:
    """The notes of a document under one numbering, and their markers in the running text."""

    zones: list[list[int]]  # each page's footnote area (line indices)
    notes: list[Note]
    markers: list[tuple[int, int, dict]]  # raw start, end and the marker's attrs (n, and page)
    per_page: bool


def read_numbered(raw: str, lines: list[Line], furniture: dict[int, str], text_from: int = 0,
                  article_starts: list[int] = (), list_headings: list[int] = ()) -> Reading:
    """The notes and markers under the numbering the document uses: running through it or
    restarting on every page, whichever links more notes to a marker; then the one that leaves
    fewer notes without a marker; running numbering where they tie. ``article_starts``: the
    lines where an article's front matter starts (its labels), after which running numbers may
    start again from 1 (an issue of a journal, or a file holding an article more than once).
    ``list_headings``: the lines of reference-list headings, below which no note is read."""
    readings = [_reading(raw, lines, furniture, per_page, text_from, article_starts, list_headings)
                for per_page in (False, True)]
    return max(readings, key=lambda r: (len(r.markers), len(r.markers) - len(r.notes)))


def _reading(raw: str, lines: list[Line], furniture: dict[int, str], per_page: bool, text_from: int,
             article_starts: list[int], list_headings: list[int]) -> Reading:
    zones, notes = read_notes(lines, furniture, per_page=per_page, text_from=text_from,
                              article_starts=article_starts, list_headings=list_headings)
    skipped = set(furniture) | {i for zone in zones for i in zone}
    text = [line for line in lines if line.index not in skipped and not line.blank]
    breaks = page_breaks(lines, skipped)
    if not per_page:
        return Reading(zones, notes, _series_markers(raw, text, notes, breaks), False)
    for note in notes:
        note.page = page_of(breaks, note.start)
    # a line's notes are those of the first note area below it, the foot of its page (a line
    # taken for furniture in mid-page does not move the markers after it to the next page)
    feet = sorted(lines[zone[0]].start for zone in zones if zone)
    pages = []
    for line in text:
        k = bisect_left(feet, line.start)
        pages.append(page_of(breaks, feet[k] if k < len(feet) else line.start))
    found = find_paged_markers(raw, text, notes, pages)
    return Reading(zones, notes, [(s, e, {"n": n, "page": page}) for s, e, n, page in found], True)


def _series_markers(raw: str, text: list[Line], notes: list[Note], breaks: list[int]) -> list[tuple[int, int, dict]]:
    """The markers of running numbers, searched series by series (a series starts where the
    numbers start again): each in the text after the last note of the series before. The notes
    of a later series are known by their page and number, as a note id must name one note."""
    series: list[list[Note]] = []
    for note in notes:
        if not series or note.n <= series[-1][-1].n:
            series.append([])
        series[-1].append(note)
    markers = []
    for k, members in enumerate(series):
        after = series[k - 1][-1].end if k else -1
        lines = [line for line in text if after < line.start < members[-1].end]
        if k:
            for note in members:
                note.page = page_of(breaks, note.start)
        pages = {note.n: note.page for note in members}
        markers += [(s, e, {"n": n} if pages[n] is None else {"n": n, "page": pages[n]})
                    for s, e, n in find_markers(raw, lines, list(pages), signs=False)]
    return markers


def read_notes(lines: list[Line], furniture: dict[int, str], first: int = 1, per_page: bool = False,
               text_from: int = 0, article_starts: list[int] = (),
               list_headings: list[int] = ()) -> tuple[list[list[int]], list[Note]]:
    """Each page's footnote area (line indices, blank lines included) and the numbered notes.

    An area starts after a rule, or, whatever separates it (blank lines, nothing), at a line that
    starts with the next note's number when the running text above it holds the markers of that
    note and of every further note the area goes on with. It runs to the page's furniture, to
    an indented line (the next page's first line) that does not start the next note, or to a
    lower-case line after a note's last sentence (the running text going on). Numbers must run
    on by one, from ``first`` or, with ``per_page``, from 1 in every area (a first line that does
    not start note 1 goes on with the last note of the page before). Lines before ``text_from``
    (the author line and its ``*affiliation``) hold no area but after a rule. After a line of
    ``article_starts`` (a new article's front matter) an area may start the numbers again at 1,
    when the text above holds the marker of its note 1 (running numbers only). In a reference
    list, from a line of ``list_headings`` to the next article's front matter, notes stand only
    below a rule, each area up to its first empty line (the list going on): its numbered
    entries would read as notes, the numbers of the entries above as their markers.
    """
    zones: list[list[int]] = []
    notes: list[Note] = []
    running_from = text_from  # the first line of the running text above the next area
    list_end = -1  # the end of the reference list the lines are in (-1: none)
    i = 0
    while i < len(lines):
        if i in list_headings:
            list_end = next((j for j in article_starts if j > i), len(lines))
        in_list = i < list_end
        if i == list_end:  # the running text above the next area starts after the list
            running_from = max(running_from, i)
        expected = 1 if per_page else (notes[-1].n + 1 if notes else first)
        # a new article above, and its note 1 marked: its numbers start again
        restart = (not per_page and expected > 1 and (furniture.get(i) == "rule" or _number_at(lines[i], False) == 1)
                   and any(running_from <= j < i for j in article_starts)
                   and _marked_above(lines, running_from, i, furniture, 1, False, False) >= 1)
        if restart:
            expected = 1
        before = len(notes)
        if furniture.get(i) == "rule":
            zone = _read_zone(lines, i + 1, furniture, notes, per_page, first, restart, in_list)
        elif (not in_list and i >= text_from and i not in furniture and _number_at(lines[i], per_page) == expected
              and not _below_author(lines, i)):
            zone = _read_zone(lines, i, furniture, notes, per_page, first, restart)
            sign = _NOTE_START.match(lines[i].text).group(2) is not None
            marked = _marked_above(lines, running_from, i, furniture, expected, per_page, sign)
            if not zone or notes[-1].n < marked or marked < expected:
                del notes[before:]  # not a note area: the running text goes on
                i += 1
                continue
            if before and zones and not restart:
                zone = _run_on_lines(lines, zones[-1], i, furniture, notes[before - 1], expected, per_page) + zone
        else:
            i += 1
            continue
        if not per_page:
            marked = _marked_above(lines, running_from, i, furniture, expected, False, False)
            zone = _cut_at_unmarked_note(lines, zone, notes, before, marked)
        zones.append(zone)
        i = max([i] + zone) + 1
        running_from = i
    return zones, notes


def _cut_at_unmarked_note(lines: list[Line], zone: list[int], notes: list[Note], before: int,
                          marked: int) -> list[int]:
    """The area ``zone`` (its notes from ``notes[before]`` on) up to a note set apart by an empty
    line whose marker the text above does not hold: that line opens the next page's text, which
    has no furniture, with the marker of the sentence that ended the page before
    (``30 РГАДА, ф.77, оп.1, д.4, л.7.\n\n31 Qələbə Fərrux Yasarın…``); its notes are dropped."""
    for k in range(before, len(notes)):
        if notes[k].n <= marked:
            continue
        at = next(j for j, index in enumerate(zone) if lines[index].start <= notes[k].start <= lines[index].end)
        if at == 0 or not lines[zone[at - 1]].blank:
            return zone
        del notes[k:]
        zone = zone[:at]
        while zone and lines[zone[-1]].blank:
            zone.pop()
        return zone
    return zone


def _run_on_lines(lines: list[Line], last_zone: list[int], i: int, furniture: dict[int, str],
                  note: Note, expected: int, signs: bool) -> list[int]:
    """The lines that carry on the last note of the page before at the top of an area that no
    rule opens: a short block set apart right above line ``i`` when that note stopped short of
    a sentence end, or when the block starts with no capital (``1967, s. 98.``, ``“Azerbaycan”, 1995``)
    or stands below a run of blank lines that sets the page's notes apart from its text;
    where nothing sets the notes apart from the text, the lines right above line ``i`` that end
    the note (see :func:`_glued_run_on`), or, after a note that ended a sentence, the one line
    right above line ``i`` that ends citing pages (``Bakı: Təknur, 2008, s.41.``, ``– С.9.``).
    They go to ``note`` as a piece of its own."""
    if not last_zone:
        return []
    block = []
    j = i - 1
    while j > last_zone[-1] and not lines[j].blank and j not in furniture and len(block) <= _NOTE_LOOKAHEAD:
        block.insert(0, j)
        j -= 1
    unfinished = _stops_short(lines[last_zone[-1]].text)
    glued = block and (len(block) > _NOTE_LOOKAHEAD or not (lines[j].blank or j in furniture))
    if glued and unfinished:
        block = _glued_run_on(lines, block, lines[last_zone[-1]].text)
    elif glued:  # a note that ended a sentence may still go on: a line citing pages ends a reference
        block = _citing_pages(lines, block)
    # (a block that holds a marker of the area's notes is the text above them; the end of a
    # finished note's reference set apart ends a sentence too, "1967, s. 98.", and is not
    # indented as a paragraph: "  1931-ci ildən …")
    if not block or _holds_marker(lines, block, expected, signs):
        return []
    first = lines[block[0]].text.lstrip()[:1]
    if not unfinished and not glued and ((first.isupper() and not _below_separator(lines, j, furniture))
                           or lines[block[0]].indented or not ends_sentence(lines[block[-1]].text)):
        # the block set apart is the page's text above its notes, but for a last line that
        # ends citing pages, glued to them as no running text ends
        block = _citing_pages(lines, block) if len(block) > 1 else []
        if not block or _holds_marker(lines, block, expected, signs):
            return []
    note.pieces.append([lines[block[0]].content_start, lines[block[-1]].content_end])
    return block


def _citing_pages(lines: list[Line], block: list[int]) -> list[int]:
    """The last line of ``block`` when it ends citing pages and is not indented as a paragraph:
    the end of a note's reference run on from the page before (``Bakı: Təknur, 2008, s.41.``)."""
    last = lines[block[-1]]
    return block[-1:] if _page_locator().search(last.text.rstrip()) and not last.indented else []


def _stops_short(text: str) -> bool:
    """Whether a note's last line on a page stops short of the note's end: it ends no sentence,
    or its period closes an abbreviation that never ends one (``Кавказе. Т.``, ``Vol.``; not
    after a number: ``– 212 с.`` counts the pages of a book, which may end a note)."""
    text = text.rstrip()
    if not ends_sentence(text):
        return True
    if not text.endswith("."):
        return False
    head = text[:-1]
    for abbreviations in _abbreviation_lists():
        found = abbreviations.match(head)
        if found and found[1] == "inner":
            return not head[:-len(found[0])].rstrip()[-1:].isdigit()
    return False


@lru_cache(maxsize=None)
def _page_locator() -> re.Pattern:
    """A line's end that cites pages, as a reference ends (``2008, s.41.``, ``– С.97-105.``,
    ``1934, p. 26.``): running text does not end a line so, a note does."""
    pages = "|".join(re.escape(p) for p in sorted(load_cues()["page"], key=len, reverse=True))
    return re.compile(rf"(?:^|[\s,.;:–—-])(?:{pages})\.\s?\d+(?:\s?[-–—]\s?\d+)?\.$")


@lru_cache(maxsize=None)
def _abbreviation_lists() -> tuple[Abbreviations, ...]:
    return tuple(Abbreviations.load(lang) for lang in ("az", "en", "ru"))


def _below_separator(lines: list[Line], j: int, furniture: dict[int, str]) -> bool:
    """Whether the blank line ``j`` ends a run of blank lines (two or more: one empty line is a
    paragraph break or an artefact) below the running text: the gap printed above a page's notes."""
    k = j
    while k >= 0 and lines[k].blank and k not in furniture:
        k -= 1
    return j - k >= 2 and k >= 0 and k not in furniture


def _glued_run_on(lines: list[Line], above: list[int], last: str) -> list[int]:
    """Of the text lines ``above`` an area (no blank line between), those that end a note left
    unfinished (``last`` is its line on the page before): the last line when it ends a sentence,
    or, for a word broken at the page foot, the lines from the one that starts with the rest of
    the word in lower case."""
    if not ends_sentence(lines[above[-1]].text):
        return []
    block = above[-1:]
    if last.rstrip().endswith("-"):
        starts = [k for k in above[-_NOTE_LOOKAHEAD:] if lines[k].text.lstrip()[:1].islower()]
        block = [k for k in above if k >= starts[-1]] if starts else []
    return block


def _holds_marker(lines: list[Line], block: list[int], expected: int, signs: bool) -> bool:
    """Whether a line of ``block`` holds the marker of note ``expected`` or of one of the next few."""
    numbers = range(expected, expected + _NOTE_LOOKAHEAD)
    return any(_is_marker(lines, lines[k], match, n, signs, shift) for k in block
               for match, shift in _candidates(lines, lines[k]) for n in numbers)


def _below_author(lines: list[Line], i: int) -> bool:
    """Whether the text line above line ``i`` is an author line with its mark (``*affiliation``
    below ``NAME SURNAME*``)."""
    above = next((line for line in reversed(lines[:i]) if not line.blank), None)
    if above is None:
        return False
    text = above.text.rstrip()
    mark = len(text) - len(text.rstrip(_SIGNS))
    return mark > 0 and _author_mark(text, len(text) - mark, len(text))


def _number_at(line: Line, signs: bool) -> int | None:
    match = _NOTE_START.match(line.text)
    return _value(match, signs) if match else None


def _marked_above(lines: list[Line], start: int, end: int, furniture: dict[int, str], expected: int,
                  signs: bool, sign: bool) -> int:
    """The last of the notes ``expected``, ``expected + 1``, … whose markers follow each other in
    the running text of lines ``start`` to ``end`` (``expected - 1`` if the first is missing);
    notes numbered by ``sign`` are marked by signs, notes numbered by digits by (superscript) digits."""
    last = expected - 1
    for line in lines[start:end]:
        if line.index in furniture or line.blank:
            continue
        for match, shift in _candidates(lines, line):
            if (match.group(3) is not None) == sign and _is_marker(lines, line, match, last + 1, signs, shift):
                last += 1
    return last


def _candidates(lines: list[Line], line: Line) -> list[tuple[re.Match, int]]:
    """The :data:`_MARKER` matches of a line searched after the end of the line before (see
    :func:`_markers_after`)."""
    return _markers_after(line.text, lines[line.index - 1].text if line.index else None)


def _markers_after(text: str, before: str | None) -> list[tuple[re.Match, int]]:
    """The :data:`_MARKER` matches of a line's ``text`` searched after the end of the text
    ``before`` it and a line break (None: nothing before), each with the shift of its offsets
    from ``text``'s: a number opening a line after a sentence end (``edilirdi. \n31 Partiyanın``)
    is a marker, as it is in the raw text."""
    head = "" if before is None else before[-2:] + "\n"
    return [(match, len(head)) for match in _MARKER.finditer(head + text, len(head))]


def _read_zone(lines: list[Line], first_line: int, furniture: dict[int, str], notes: list[Note],
               per_page: bool, first: int, restart: bool, in_list: bool = False) -> list[int]:
    """The lines of the note area starting at line ``first_line``; its notes go to ``notes``
    (numbered from 1 in the area with ``per_page`` or ``restart``); ``in_list``: the area is on
    a page of a reference list, and ends at its first empty line after a note."""
    zone: list[int] = []
    in_zone = len(notes)
    for line in lines[first_line:]:
        if in_list and line.blank and len(notes) > in_zone:
            break
        if len(notes) > in_zone or (notes and not (per_page or restart)):
            expected = notes[-1].n + 1
        else:
            expected = 1 if per_page or restart else first
        match = _NOTE_START.match(line.text)
        starts_note = bool(match) and _resumes_numbering(_value(match, per_page), expected, lines, zone)
        if starts_note:
            expected = _value(match, per_page)
        # an indented line or a lower-case one after a note's sentence end may open the next
        # page's text; it goes on with the note when the next note's number follows soon
        page_starts = not starts_note and (line.indented or _body_resumes(lines, zone, line)
                                           or _marks_next_note(lines, zone, line, expected, per_page))
        if line.index in furniture or (page_starts and not _note_follows(lines, line.index, expected, furniture, per_page)):
            break
        if (not notes or (restart and len(notes) == in_zone)) and not starts_note and not line.blank:
            break  # nothing before the first note to go on with
        zone.append(line.index)
        if line.blank:
            continue
        if starts_note:
            rest = line.text[match.end():]
            text_start = line.start + match.end() + len(rest) - len(rest.lstrip())
            notes.append(Note(expected, [[text_start, line.content_end]]))
        elif len([i for i in zone if not lines[i].blank]) == 1:
            notes[-1].pieces.append([line.content_start, line.content_end])  # runs on from a page before
        else:
            notes[-1].pieces[-1][1] = line.content_end
    while zone and lines[zone[-1]].blank:
        zone.pop()
    return zone


def _resumes_numbering(n: int, expected: int, lines: list[Line], zone: list[int]) -> bool:
    """Whether a line starting with ``n`` starts the next note: ``n`` is the expected number, or a
    little beyond it when the line before ended a note's sentence (a number was lost)."""
    if n == expected:
        return True
    written = [i for i in zone if not lines[i].blank]
    return expected < n <= expected + _LOST_NOTES and bool(written) and ends_sentence(lines[written[-1]].text)


def _note_follows(lines: list[Line], i: int, expected: int, furniture: dict[int, str], signs: bool) -> bool:
    """Whether the next note's number starts one of the few lines after line ``i`` (before any
    furniture), or the page's furniture follows line ``i`` directly: then line ``i`` continues a
    note instead of opening the next page."""
    written = 0
    for line in lines[i + 1:]:
        if line.index in furniture:
            return written == 0 and furniture[line.index] != "rule"
        if written == _NOTE_LOOKAHEAD:
            return False
        if line.blank:
            continue
        match = _NOTE_START.match(line.text)
        if match and _value(match, signs) == expected:
            return True
        written += 1
    return False


def _body_resumes(lines: list[Line], zone: list[int], line: Line) -> bool:
    """A lower-case line after a note's sentence end continues the running text of the page
    before (a page without furniture, whose first line is not indented); so does any text line
    two empty lines below it (one empty line inside a note is an extraction artefact), and a
    heading set apart below it: a few lines ending no sentence above an indented line (the
    paragraph it opens; a note's lines are not indented)."""
    written = [i for i in zone if not lines[i].blank]
    if not written or not ends_sentence(lines[written[-1]].text):
        return False
    apart = line.index - 1 - written[-1]  # (set apart: a note's next line follows directly)
    return ((apart >= 1 and line.text.lstrip()[:1].islower()) or (apart >= 2 and line.text.lstrip()[:1].isalpha())
            or (apart >= 1 and _opens_paragraph_below(lines, line.index)))


def _opens_paragraph_below(lines: list[Line], i: int) -> bool:
    """Whether lines ``i``, ``i + 1``, … (fewer than :data:`_NOTE_LOOKAHEAD`, ending no sentence,
    not starting with a number) stand right above an indented line: a heading and its paragraph."""
    for line in lines[i:i + _NOTE_LOOKAHEAD + 1]:
        if line.blank:
            return False
        if line.index > i and line.indented:
            return True
        if ends_sentence(line.text) or _NOTE_START.match(line.text):
            return False
    return False


def _marks_next_note(lines: list[Line], zone: list[int], line: Line, expected: int, signs: bool) -> bool:
    """A line set apart below a note that holds the next note's marker (or whose next lines do)
    is the running text of the next page (a page without furniture); ``signs`` where numbers
    restart on every page."""
    written = [i for i in zone if not lines[i].blank]
    if not written or written[-1] == line.index - 1:
        return False
    following = [line]  # the lines of its block (an indented line would open another page)
    for other in lines[line.index + 1:line.index + _BLOCK_LOOKAHEAD]:
        if other.blank or other.indented:
            break
        following.append(other)
    # (where numbers restart on every page, the next page's text holds the marker of its note 1)
    wanted = {expected, 1} if signs else {expected}
    return any(_is_marker(lines, other, match, n, signs, shift) for other in following
               for match, shift in _candidates(lines, other) for n in wanted)


def _is_marker(lines: list[Line], line: Line, match: re.Match, n: int, signs: bool, shift: int) -> bool:
    """Whether ``match`` (of :data:`_MARKER` in ``line.text``, its offsets ``shift`` beyond the
    line's) is a marker of note ``n``."""
    start, end = match.start() - shift, match.end() - shift
    if _value(match, signs) != n or _author_mark(line.text, start, end):
        return False
    if not match.group(1):  # superscripts and signs are markers wherever they stand
        return True
    # the few characters before it, across the line break (a word broken at the line end)
    before = line.text[:start]
    if line.index and len(before) < 12:
        before = lines[line.index - 1].text + "\n" + before
    return not _abbreviation_before(before, 0, len(before)) and not _volume_locator().search(before)


@lru_cache(maxsize=None)
def _volume_locator() -> re.Pattern:
    """A volume's or an issue's cue right before a number (``vol. 3``, ``Т. 2``, ``No. 4``): the
    number locates a reference and marks no note."""
    cues = load_cues()
    words = "|".join(re.escape(c) for c in sorted(set(cues["volume"]) | set(cues["issue"]), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{words})\s?$")


def _author_mark(text: str, start: int, end: int) -> bool:
    """A mark at the end of an author line (``©2019 TURAL RZAYEV*``, ``Aygün Kərimova*``) points
    to the affiliation below it, which is front matter, not a note."""
    if text[end:].strip():
        return False
    words = text[:start].split()
    # (a name ends no sentence: a paragraph's short last line "...Rəsulzadə.1" keeps its marker)
    return bool(words) and len(words) <= _AUTHOR_WORDS and (
        "©" in text[:start] or (not ends_sentence(text[:start])
                                and all(w[0].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in words)))


def find_markers(raw: str, lines: list[Line], numbers: list[int], signs: bool = True) -> list[tuple[int, int, int]]:
    """``(start, end, n)`` of the markers of notes ``numbers`` in ``lines`` (the running text).

    Candidates are taken in reading order; one whose value is the next note still unmarked (or a
    later one, when a marker was lost) becomes that note's marker.
    """
    wanted = sorted(numbers)
    markers = []
    position = 0
    previous = None
    for line in lines:
        for match, start, end in _line_markers(raw, line, previous):
            if position == len(wanted):
                return markers
            n = _value(match, signs)
            if _author_mark(line.text, start - line.start, end - line.start):
                continue
            if n not in wanted[position:position + 3] or (match.group(1) and _abbreviation_before(raw, line.start, start)):
                continue
            if match.group(1) and raw[start - 1].isspace() and not _ends_line_or_sentence(raw, end, line.end):
                continue
            markers.append((start, end, n))
            position = wanted.index(n) + 1
        previous = line
    return markers


def _line_markers(raw: str, line: Line, previous: Line | None) -> list[tuple[re.Match, int, int]]:
    """The :data:`_MARKER` matches of a running-text line with their raw start and end. Where notes
    or furniture stand between the line and the running text before it (``previous``), the line
    is searched after that text's end: a marker set off by a space that opens a page
    (``— 273 —\n\n3 Опубликованные``) follows the sentence that ended the page before."""
    if previous is None or not raw[previous.end:line.start].strip():
        return [(match, match.start(), match.end()) for match in _MARKER.finditer(raw, line.start, line.end)]
    return [(match, line.start + match.start() - shift, line.start + match.end() - shift)
            for match, shift in _markers_after(line.text, previous.text)]


def _value(match: re.Match, signs: bool = True) -> int:
    """The number a note start or marker match writes, in plain or superscript digits, or the
    place of its sign in the page's order (``**`` and ``†`` are the second); signs count only
    where notes are numbered on every page (``signs``), else they are no number (-1)."""
    written = next(g for g in match.groups() if g)
    if written[0] in _SIGNS:
        if not signs:
            return -1
        return len(written) if written[0] == "*" else _SIGNS.index(written[0]) + 1
    return int(written.translate(_SUPERSCRIPT))


def note_id(n: int, page: int) -> str:
    """A note's name where numbers restart on every page (``fn.p3.1``: note 1 of page 3): its
    citation item's id (after the document's name) and its xml:id in TEI."""
    return f"fn.p{page}.{n}"


def note_key(n: int, page: int | None):
    """A note's or entry's key: its number, or ``(page, number)`` where numbers restart on every
    page (or a later article's reference list starts them again: the page the list starts on)."""
    return n if page is None else (page, n)


def page_of_note_id(name: str) -> int | None:
    """The page in a :func:`note_id`, None for a name of another form (``fn12``)."""
    found = _NOTE_ID.match(name)
    return int(found.group(1)) if found else None


def page_of(breaks: list[int], offset: int) -> int:
    """The page (1 for the first) of raw ``offset``, given the raw offsets where pages begin."""
    return bisect_right(breaks, offset) + 1


def find_paged_markers(raw: str, lines: list[Line], notes: list[Note],
                       pages: list[int]) -> list[tuple[int, int, int, int]]:
    """``(start, end, n, page)`` of the markers when numbers restart on every page: each page's
    lines (``pages[k]`` is the page of ``lines[k]``) are searched for the numbers of the notes
    printed at its foot."""
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line, page in zip(lines, pages):
        by_page[page].append(line)
    markers = []
    for page, page_lines in sorted(by_page.items()):
        numbers = [note.n for note in notes if note.page == page]
        markers += [(s, e, n, page) for s, e, n in find_markers(raw, page_lines, numbers)]
    return markers


def _ends_line_or_sentence(raw: str, end: int, line_end: int) -> bool:
    """A marker set off by a space stands at the line end or before a new sentence (``edir”. 8``)."""
    rest = raw[end:line_end].lstrip()
    return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "“«„\"("


def _abbreviation_before(raw: str, line_start: int, start: int) -> bool:
    """Whether the number at ``start`` follows ``s.``, ``с.``, ``№`` or the like (a page, an item)."""
    # searched in the whole text, so that a word boundary is one (not the edge of a slice)
    after_abbreviation = _NOT_AFTER.search(raw, max(line_start, start - 4), start)
    before = raw[max(0, start - 12):start]
    return bool(after_abbreviation) and not _BROKEN_WORD_END.search(before) and not _UNIT_AFTER_NUMBER.search(before)
