"""PDF input: the pages' text laid out the way PDF-extracted text looks, so one structure
recovery serves text files and PDFs.

Each page becomes, top to bottom: running header and page number (each a line of its own,
between empty lines), the body lines, a footnote separator line (a line of spaces, as text
extractors write the footnote rule), the footnotes ``N text`` and any furniture at the page
foot — the shape of ``corpus/raw/bagirova2024.txt``. In the body, blocks set apart on the page
are two empty lines apart, paragraphs (an indented first line) one, and a bold heading runs
straight into its paragraph; superscript footnote markers are glued to the word before them
(``idi.1``) and a wide gap inside a line (a header's two halves) is kept as spaces. What is what is decided from
font size and position: the body size is the most common type size of the document; lines in
smaller type at the page foot (or below a footnote rule) are footnotes; glyphs smaller than
their line and raised above its baseline are superscripts; lines in the outer margins that are
page numbers, repeat on other pages or stand apart are furniture.

A page set in two columns is told by its gutter: a band near the middle of the text that the
rows of a run leave free, with running text left of it and text right of it (see
:func:`_columns`). Such a page is read zone by zone down the page: a full-width zone (a title and
abstracts across the top, footnotes across the foot) as it stands, a two-column zone's left
column, then its right, each column's lines made from its own glyphs; footnotes set under each
column join the page's footnote zone, the left column's first. Pages in one column are read as
before.

Pages without a usable text layer are rendered and read by tesseract (:mod:`polycorpus.ocr`),
and its words become glyphs like a text layer's, so everything above applies to scans too: a
word's type size is its line's x-height (measured in the pixels where tesseract's estimate runs
high) over X_HEIGHT_EM, snapped to the page's sizes; its weight is bold when the line's strokes
are BOLD_STROKE times as wide as the body's; a superscript marker, found in the pixels as a mark
standing free above the baseline, is a small raised glyph of the digits tesseract reads in it,
in place of the characters it made of it in the running text.
What the reader saw is kept for later stages: ``doc.meta["pdf"]`` (pages, OCRed pages, type
sizes, columns per page) and hint layers ``pdf_pages``, ``pdf_furniture``, ``pdf_footnote_zone`` and
``pdf_superscript`` (raw spans; structure recovery must not depend on them).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pdfplumber
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pypdfium2 import PdfiumError

from .document import Document
from .errors import InputError
from .io import read_bytes
from .ocr import (DEFAULT_LANGUAGES, Mark, OcrLine, OcrWord, Tesseract, find_tesseract, ink, load_tesseract,
                  measure_x_height, raised_marks, stroke_width, trim_to_ink)
from .sources import doc_name

# The footnote rule as extractors write it: a line of spaces (as in the sample article).
SEPARATOR = " " * 43
# Type smaller than this share of the body size is "small": footnotes, captions.
SMALL_TYPE = 0.9
# A superscript glyph is smaller than this share of its line's size and raised by this share of it.
SUPERSCRIPT_SIZE = 0.85
SUPERSCRIPT_RAISE = 0.15
# A gap between glyphs wider than this share of the type size is a space (kerning stays under
# 0.1 em, the tightest justified space over 0.2 em).
WORD_GAP = 0.15
SOFT_HYPHEN = "\u00ad"
# A gap wider than this many ems is kept as spaces of half an em each.
WIDE_GAP = 4.0
# A baseline pitch this many times the page's usual pitch starts a new paragraph.
PARAGRAPH_GAP = 1.4
# A line starting this many ems right of the text margin, after a full line, starts a paragraph.
INDENT = 0.8
# Running headers and page numbers sit in the outer share of the page height …
MARGIN = 0.12
# … and a line there that stands apart counts as furniture only in the outermost share.
OUTER_MARGIN = 0.07
# A margin line stands apart from the text when the space between them exceeds this many times
# its type size.
APART = 1.5
# A page whose glyphs are mostly unmapped ("(cid:N)") has no usable text layer.
UNMAPPED_SHARE = 0.5
OCR_DPI = 300
# A page that is one big image (this share of the page) with fewer glyphs than this is a scan
# with a stamp, not a text page.
SCAN_COVER = 0.6
STAMP_GLYPHS = 200

_BOLD = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
# A page number: digits or a roman numeral up to 39 (front-matter pages), maybe between dashes.
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:\d{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))[-–—\s]*"
                          r"|(?:page|s\.|с\.|стр\.|səh\.)\s*\d{1,4}", re.IGNORECASE)
_FOOTNOTE_START = re.compile(r"\d{1,3}(?=[\s.)])")

# Where a line is set: across the page, or in the left or right of two columns.
FULL_WIDTH, LEFT_COLUMN, RIGHT_COLUMN = 0, 1, 2
# Two columns are told by their gutter: a band free of glyphs, at least this many ems wide …
GUTTER_GAP = 1.0
# … around a point within this share of the text width either side of the text's middle …
GUTTER_MIDDLE = 0.2
# … with text left of it in at least this many rows, and right of it in one at least (an
# article may end one line into the right column); a header's two halves or one table-like
# line is one row …
GUTTER_ROWS = 2
# … in runs of rows that do not cross it, which together take at least this share of the
# page's text height (a first page may give half of it to a full-width title and abstract) …
COLUMN_SHARE = 0.25
# … and whose left column is running text: its median line fills this share of the width from
# the text's left margin to the middle of the gutter (justified lines all of it, ragged ones
# most; a table's cells do not).
COLUMN_FILL = 0.75
# A glyph may reach this far (points) into the gutter and still be on its side: justified lines
# end at the column edge give or take a rounding error.
GUTTER_SLACK = 0.5


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Line:
    """One printed line: its text, box (PDF points, top-down) and dominant type."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool = False
    sups: tuple[tuple[int, int], ...] = ()  # superscript runs (offsets in text)
    numbered: bool = False  # begins with a number: a footnote's first line
    zone: int = 0  # the page's band, top down, that the line is set in (see _columns)
    column: int = FULL_WIDTH


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line]  # top down
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # horizontal rules: top, x0, x1
    ocr: bool = False
    gutter: tuple[float, float] | None = None  # the glyph-free band between two columns (x0, x1)


def read_pdf(path: str | Path, *, tesseract: str | None = None,
             languages: tuple[str, ...] = DEFAULT_LANGUAGES, dpi: int = OCR_DPI) -> Document:
    """The PDF as a :class:`Document` whose ``raw`` is its laid-out text (see module doc).

    ``tesseract`` names the OCR program (default: $POLYCORPUS_TESSERACT, else ``tesseract``),
    used only for pages without a text layer. Encrypted, broken or non-PDF files raise
    :class:`InputError`.
    """
    path = Path(path)
    _check_file(path)
    engine = None
    try:
        with pdfplumber.open(path) as pdf:
            pages: list[Page | None] = []
            unreadable = []
            for number, page in enumerate(pdf.pages, 1):
                read, needs_ocr = _text_page(page, number)
                page.close()  # drops the page's parsed objects: long PDFs stay small in memory
                pages.append(read)
                if needs_ocr:
                    unreadable.append(number)
            if unreadable:
                engine = _ocr_engine(path, unreadable, tesseract, languages)
                for number in unreadable:
                    pages[number - 1] = _ocr_page(pdf.pages[number - 1], number, engine, dpi)
    except PdfminerException as exc:
        raise InputError(path, _pdf_problem(exc.args[0] if exc.args else exc)) from None
    except PSException as exc:
        raise InputError(path, _pdf_problem(exc)) from None
    except PdfiumError as exc:
        raise InputError(path, f"cannot render page for OCR ({exc})") from None
    read = [page for page in pages if page is not None]
    if not any(page.lines for page in read):
        raise InputError(path, "PDF has no text (no text layer and no scanned pages)")
    plans, sizes = _plan(read)
    doc = _lay_out(path, plans)
    doc.meta["pdf"] = _meta(pdfplumber.__version__, len(pages), plans, sizes, engine, dpi)
    return doc


# -- checks and errors -------------------------------------------------------------------------

def _check_file(path: Path) -> None:
    data = read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise InputError(path, "not a PDF (no %PDF- header); is it another file type renamed .pdf?")
    # Readers allow some bytes after %%EOF; a file cut short has none at its end.
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, "truncated PDF (no %%EOF at the end of the file)")


def _pdf_problem(exc: BaseException) -> str:
    name = type(exc).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
        return "encrypted PDF: it cannot be opened without a password"
    if name == "PSEOF":
        return "truncated or broken PDF (unexpected end of data)"
    detail = " ".join(str(exc).split())  # one line, whatever the parser wrote
    return f"broken PDF ({name}: {detail})" if detail else f"broken PDF ({name})"


def _ocr_engine(path: Path, pages: list[int], command: str | None, languages: tuple[str, ...]) -> Tesseract:
    program = find_tesseract(command)
    if program is None:
        which = f"page {pages[0]} has" if len(pages) == 1 else f"pages {', '.join(map(str, pages))} have"
        raise InputError(path, f"{which} no text layer and needs OCR; "
                               "install tesseract-ocr (tesseract-ocr-aze, -rus, -eng)")
    return load_tesseract(program, languages)


# -- reading a page ----------------------------------------------------------------------------

def _text_page(page: Any, number: int) -> tuple[Page | None, bool]:
    """The page from its text layer, or (None, needs OCR) when it has no usable one."""
    glyphs = []
    unmapped = 0
    for char in _dedupe(page.chars):
        if not char.get("upright", True) or char["text"].isspace():
            continue  # rotated margin notes are not part of the article
        if char["text"].startswith("(cid:"):
            unmapped += 1
            continue
        glyphs.append(Glyph(_unligature(char["text"]), char["x0"], char["x1"], char["top"], char["bottom"],
                            float(char["size"]), bool(_BOLD.search(char.get("fontname", "")))))
    if not glyphs or unmapped > UNMAPPED_SHARE * (len(glyphs) + unmapped):
        return None, bool(page.images) or unmapped > 0
    if len(glyphs) < STAMP_GLYPHS and _scanned(page):
        return None, True  # a scan with a line of text stamped on it ("Downloaded from …")
    spaces = [(c["x0"], c["top"], c["bottom"]) for c in page.chars if c["text"].isspace()]
    rules = [(edge["top"], edge["x0"], edge["x1"]) for edge in page.horizontal_edges
             if edge["x1"] - edge["x0"] >= 30 and edge.get("height", 0) <= 2]
    return _glyph_page(glyphs, spaces, number, float(page.height), rules), False


def _glyph_page(glyphs: list[Glyph], spaces: list[tuple[float, float, float]], number: int, height: float,
                rules: list[tuple[float, float, float]], ocr: bool = False) -> Page:
    """The page's lines from its glyphs: rows, columns, each line's text."""
    rows = _rows(glyphs)
    layout = _columns(rows, height)
    if layout is None:
        gutter, lines = None, [_assemble(row, spaces) for row in rows]
    else:
        gutter, zones = layout
        lines = []
        for zone, (members, two) in enumerate(zones):
            if not two:
                lines += [_assemble(row, spaces, zone) for row in members]
                continue
            # each column's glyphs make their own rows: a row of the page joins both columns
            zone_glyphs = [g for row in members for g in row]
            for column in (LEFT_COLUMN, RIGHT_COLUMN):
                side = [g for g in zone_glyphs if _side(g, gutter) == column]
                lines += [_assemble(row, spaces, zone, column) for row in _rows(side)]
    return Page(number, height, sorted(lines, key=lambda l: (l.top, l.x0)), sorted(set(rules)), ocr=ocr,
                gutter=gutter)


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters without the copies drawn a fraction of a point off (fake bold, shadows)."""
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=lambda c: (c["text"], round(c["top"]), c["x0"])),
                                      key=lambda c: (c["text"], round(c["top"]))):
        last = None
        for char in group:
            if last is None or char["x0"] - last["x0"] >= 1.0:
                kept.append(char)
                last = char
    return kept


def _scanned(page: Any) -> bool:
    """Whether one image covers most of the page."""
    area = float(page.width * page.height)
    return any((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) >= SCAN_COVER * area for i in page.images)


def _unligature(text: str) -> str:
    # Latin ligatures (U+FB00–FB06) are typesetting, not spelling.
    return unicodedata.normalize("NFKC", text) if any("\ufb00" <= c <= "\ufb06" for c in text) else text


def _rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into printed lines by vertical overlap.

    Larger glyphs found the rows; a smaller one (a superscript) joins the row it overlaps by
    half its height, so a raised marker stays on its line.
    """
    rows: list[tuple[float, float, list[Glyph]]] = []
    for glyph in sorted(glyphs, key=lambda g: (-round(g.size, 1), g.top, g.x0)):
        height = max(glyph.bottom - glyph.top, 0.1)
        best, best_overlap = None, 0.5 * height
        for i, (top, bottom, _) in enumerate(rows):
            overlap = min(bottom, glyph.bottom) - max(top, glyph.top)
            if overlap >= best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            rows.append((glyph.top, glyph.bottom, [glyph]))
        else:
            rows[best][2].append(glyph)
    return [members for _, _, members in rows]


def _assemble(glyphs: list[Glyph], spaces: list[tuple[float, float, float]], zone: int = 0,
              column: int = FULL_WIDTH) -> Line:
    """A row of glyphs as text: spaces where the gap is wide, superscripts glued to the word before."""
    glyphs = sorted(glyphs, key=lambda g: g.x0)
    glyphs = _soft_hyphens(glyphs)
    size = _row_size(glyphs)
    baseline = statistics.median(g.bottom for g in glyphs if round(g.size, 1) == size)
    top, bottom = _row_top(glyphs), _row_bottom(glyphs)
    # a space is the line's if it lies mostly within the line's main type: a raised marker
    # reaches up into the line above, whose spaces fall between this line's letters
    main = [g for g in glyphs if round(g.size, 1) == size]
    main_top, main_bottom = _row_top(main), _row_bottom(main)
    space_xs = sorted(x for x, s_top, s_bottom in spaces
                      if min(s_bottom, main_bottom) - max(s_top, main_top) > 0.5 * (s_bottom - s_top))

    def raised(g: Glyph) -> bool:
        return g.size < SUPERSCRIPT_SIZE * size and g.bottom < baseline - SUPERSCRIPT_RAISE * size

    parts: list[str] = []
    sups: list[tuple[int, int]] = []
    length = 0
    prev: Glyph | None = None
    prev_sup = False
    for glyph in glyphs:
        sup = raised(glyph)
        if prev is not None:
            spaced = glyph.x0 - prev.x1 > WORD_GAP * min(glyph.size, prev.size) or _space_between(space_xs, prev, glyph)
            if sup and not prev_sup:
                spaced = False  # a marker belongs to the word before it: idi.1
            elif prev_sup and not sup and len(sups) == 1 and sups[0][0] == 0:
                spaced = True  # a leading raised number is a footnote's: "1 text"
            if spaced:
                # a wide gap (a header's two halves, a tab stop) keeps its width, as in layout mode
                em = min(glyph.size, prev.size)
                gap = glyph.x0 - prev.x1
                blank = " " * (round(gap / (0.5 * em)) if gap > WIDE_GAP * em else 1)
                parts.append(blank)
                length += len(blank)
        if sup:
            if prev_sup and sups[-1][1] == length:
                sups[-1] = (sups[-1][0], length + len(glyph.text))
            else:
                sups.append((length, length + len(glyph.text)))
        parts.append(glyph.text)
        length += len(glyph.text)
        prev, prev_sup = glyph, sup
    text = "".join(parts)
    bold = sum(g.bold for g in glyphs) * 2 > len(glyphs)
    numbered = bool(sups and sups[0][0] == 0 and text[:sups[0][1]].isdigit()) or bool(_FOOTNOTE_START.match(text))
    return Line(text, top, bottom, glyphs[0].x0, max(g.x1 for g in glyphs), size, bold, tuple(sups), numbered,
                zone=zone, column=column)


def _soft_hyphens(glyphs: list[Glyph]) -> list[Glyph]:
    """A soft hyphen is a hyphen where it breaks the line; inside a line it is nothing (a glyph
    some writers still draw: its width joins the letter before, so no space opens there)."""
    kept: list[Glyph] = []
    for i, glyph in enumerate(glyphs):
        if glyph.text != SOFT_HYPHEN:
            kept.append(glyph)
        elif i == len(glyphs) - 1:
            kept.append(dataclasses.replace(glyph, text="-"))
        elif kept:
            kept[-1] = dataclasses.replace(kept[-1], x1=glyph.x1)
    return kept


def _space_between(space_xs: list[float], left: Glyph, right: Glyph) -> bool:
    i = bisect.bisect_left(space_xs, left.x0 + 0.01)
    return i < len(space_xs) and space_xs[i] < right.x0


# -- columns -----------------------------------------------------------------------------------

Row = list[Glyph]


def _columns(rows: list[Row], height: float) -> tuple[tuple[float, float], list[tuple[list[Row], bool]]] | None:
    """The gutter of a page set in two columns and the page's zones top down, each its rows and
    whether it is set in the two columns; None for a page in one column.

    Rows that cross the gutter (a full-width title, abstract, footnotes or table) make
    full-width zones; a run of rows that do not, with text on both sides of the gutter, is set
    in two columns.
    """
    small = SMALL_TYPE * Counter(round(g.size * 2) / 2 for row in rows for g in row).most_common(1)[0][0]
    text = [row for row in rows if _row_size(row) >= small]
    gutter = _gutter(text)
    if gutter is None:
        return None
    zones = _zones(rows, gutter, small, height)
    columns = [row for members, two in zones if two for row in members if _row_size(row) >= small]
    if not columns:
        return None
    tall = sum(_row_bottom(members[-1]) - _row_top(members[0]) for members, two in zones if two)
    if tall < COLUMN_SHARE * (max(map(_row_bottom, text)) - min(map(_row_top, text))):
        return None  # a few rows split in a one-column page: a table, a form
    if not _running_text(columns, gutter, min(g.x0 for row in text for g in row)):
        return None
    return gutter, zones


def _row_size(row: Row) -> float:
    return Counter(round(g.size, 1) for g in row).most_common(1)[0][0]


def _row_top(row: Row) -> float:
    return min(g.top for g in row)


def _row_bottom(row: Row) -> float:
    return max(g.bottom for g in row)


def _side(glyph: Glyph, gutter: tuple[float, float]) -> int:
    """The column of the glyph; FULL_WIDTH for one that reaches into the gutter."""
    if glyph.x1 <= gutter[0] + GUTTER_SLACK:
        return LEFT_COLUMN
    if glyph.x0 >= gutter[1] - GUTTER_SLACK:
        return RIGHT_COLUMN
    return FULL_WIDTH


def _blocks(row: Row) -> list[tuple[float, float]]:
    """The row's stretches of text (x0, x1): glyphs closer than a gutter run together."""
    em = _row_size(row)
    blocks: list[tuple[float, float]] = []
    for glyph in sorted(row, key=lambda g: g.x0):
        if blocks and glyph.x0 - blocks[-1][1] < GUTTER_GAP * em:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], glyph.x1))
        else:
            blocks.append((glyph.x0, glyph.x1))
    return blocks


def _gutter(rows: list[Row]) -> tuple[float, float] | None:
    """The glyph-free band (x0, x1) near the middle of the text that the most rows leave free.

    Rows count whether or not the two columns' lines share a baseline: a row leaves a window
    free if none of its stretches of text reaches into it. Among the windows a gutter wide near
    the middle, the one free in the most rows (the nearest the middle among equals) is in the
    gutter, which runs between the nearest text either side of it in those rows. A justified
    line's word spaces can be as wide, but not in the same place row after row; a full line
    covers the middle.
    """
    if not rows:
        return None
    blocks = [_blocks(row) for row in rows]
    left, right = min(b[0][0] for b in blocks), max(b[-1][1] for b in blocks)
    middle, reach = (left + right) / 2, GUTTER_MIDDLE * (right - left)
    half = GUTTER_GAP * statistics.median(map(_row_size, rows)) / 2
    # how many rows leave a window free changes only where its side meets an edge of text
    centres = sorted({c for b in blocks for block in b for x in block for c in (x - half, x + half)
                      if abs(c - middle) <= reach} | {middle})

    def free(row: list[tuple[float, float]], centre: float) -> bool:
        return not any(x0 < centre + half and x1 > centre - half for x0, x1 in row)

    centre = max(centres, key=lambda c: (sum(free(b, c) for b in blocks), -abs(c - middle)))
    open_rows = [b for b in blocks if free(b, centre)]
    ends = [max(x1 for _, x1 in b if x1 <= centre) for b in open_rows if b[0][1] <= centre]
    starts = [min(x0 for x0, _ in b if x0 >= centre) for b in open_rows if b[-1][0] >= centre]
    if len(ends) < GUTTER_ROWS or not starts:
        return None
    return max(ends), min(starts)


def _zones(rows: list[Row], gutter: tuple[float, float], small: float, height: float) -> list[tuple[list[Row], bool]]:
    """The page's rows cut into zones top down: runs of rows that cross the gutter are full
    width, runs that do not are two columns if rows have text left of it and right of it.

    A row in the page margin that stands apart (a running header in two halves, a page number
    in a corner) is full width, as is small type on one side only after a two-column zone's
    last row: full-width footnotes whose lines stop short of the gutter.
    """
    ordered = sorted(rows, key=_row_top)
    zones: list[tuple[list[Row], bool]] = []

    def add(members: list[Row], two: bool) -> None:
        if zones and not two and not zones[-1][1]:
            zones[-1][0].extend(members)  # neighbouring full-width runs are one zone
        elif members:
            zones.append((members, two))

    def full_width(i: int) -> bool:
        row = ordered[i]
        if any(_side(g, gutter) == FULL_WIDTH for g in row):
            return True
        size = _row_size(row)
        if _row_bottom(row) < MARGIN * height:
            return i + 1 == len(ordered) or _row_top(ordered[i + 1]) - _row_bottom(row) > APART * size
        if _row_top(row) > (1 - MARGIN) * height:
            return i == 0 or _row_top(row) - _row_bottom(ordered[i - 1]) > APART * size
        return False

    def sides(row: Row) -> set[int]:
        return {_side(g, gutter) for g in row}

    for crosses, run in itertools.groupby(range(len(ordered)), key=full_width):
        members = [ordered[i] for i in run]
        if (crosses or sum(LEFT_COLUMN in sides(row) for row in members) < GUTTER_ROWS
                or not any(RIGHT_COLUMN in sides(row) for row in members)):
            add(members, False)
            continue
        end = len(members)
        while end > 0 and _row_size(members[end - 1]) < small and len(sides(members[end - 1])) == 1:
            end -= 1
        add(members[:end], True)
        add(members[end:], False)
    return zones


def _running_text(rows: list[Row], gutter: tuple[float, float], margin: float) -> bool:
    """Whether the left column's lines mostly fill the width from the text's left ``margin`` to
    the gutter, as set text does."""
    widths = []
    for row in rows:
        left = [g for g in row if _side(g, gutter) == LEFT_COLUMN]
        if left:
            widths.append(max(g.x1 for g in left) - min(g.x0 for g in left))
    width = (gutter[0] + gutter[1]) / 2 - margin
    return bool(widths) and statistics.median(widths) >= COLUMN_FILL * width


# -- scanned pages -----------------------------------------------------------------------------

# The x-height of a Latin or Cyrillic text face is about half its type size: a scanned line's
# size in points is its x-height over this.
X_HEIGHT_EM = 0.5
# A capital (and a line's top) stands this many x-heights above the baseline.
CAP_HEIGHT = 1.45
# Tesseract measures x-heights in whole pixels: values this close (a share) to the next are one
# type size of the page.
SIZE_STEP = 0.06
# A line whose strokes are this many times as wide as the page's body lines' (per x-height) is bold.
BOLD_STROKE = 1.3
# A word whose box is smaller than this (x-heights) either way is a speck of dirt; so is a word
# tesseract is unsure of (confidence below UNSURE) further than STRAY_GAP x-heights from the others.
SPECK = 0.15
UNSURE = 50
STRAY_GAP = 3
# Characters this close (x-heights) to a superscript mark are tesseract's reading of it.
MARK_SLACK = 0.15


def _ocr_page(page: Any, number: int, engine: Tesseract, dpi: int) -> Page:
    """The page read by tesseract, as glyphs like a text layer's: a word per glyph, in its line's
    type size and weight, its superscripts as small raised glyphs of their own."""
    image = page.to_image(resolution=dpi).original
    pixels = ink(image)
    lines = [measure_x_height(pixels, line) for line in engine.recognise(image) if line.x_height > 0]
    marks = [raised_marks(pixels, line) for line in lines]
    digits = iter(engine.read_digits(image, [m for found in marks for m in found]))
    read = [[(mark, next(digits)) for mark in found] for found in marks]
    x_heights = _type_sizes(lines)
    strokes = [stroke_width(pixels, line) / line.x_height for line in lines]
    body = Counter(x_heights[i] for i, line in enumerate(lines) for _ in line.words).most_common(1)
    normal = statistics.median(s for i, s in enumerate(strokes) if x_heights[i] == body[0][0]) if body else 0.0
    scale = 72.0 / dpi
    glyphs: list[Glyph] = []
    spaces: list[tuple[float, float, float]] = []
    for line, x_height, stroke, sups in zip(lines, x_heights, strokes, read):
        size = x_height * scale / X_HEIGHT_EM
        bold = normal > 0 and stroke > BOLD_STROKE * normal
        sups = [(mark, text) for mark, text in sups if text]
        words = [w for w in (_without_marks(word, [m for m, _ in sups], line.x_height)
                             for word in _clean_words(pixels, line)) if w]
        for i, (text, x0, x1) in enumerate(words):
            base = line.baseline_at(x0)
            top, bottom = (base - CAP_HEIGHT * line.x_height) * scale, base * scale
            glyphs.append(Glyph(text, x0 * scale, x1 * scale, top, bottom, size, bold))
            if i + 1 < len(words):
                spaces.append(((x1 + words[i + 1][1]) / 2 * scale, top, bottom))
        for mark, text in sups:
            raised = (mark.bottom - mark.top) / (CAP_HEIGHT * line.x_height)
            glyphs.append(Glyph(text, mark.x0 * scale, mark.x1 * scale, mark.top * scale, mark.bottom * scale,
                                round(size * raised, 1), False))
    if not glyphs:
        return Page(number, float(page.height), [], ocr=True)
    return _glyph_page(glyphs, spaces, number, float(page.height), [], ocr=True)


def _clean_words(pixels: Any, line: OcrLine) -> list[OcrWord]:
    """The line's words, their boxes cut to their ink, without those tesseract made of dirt: a
    box smaller than any printed character's (a full stop is about a quarter of an x-height),
    or a word it is unsure of standing far from the line's other words (a smudge in the margin)."""
    xh = line.x_height
    trimmed = (trim_to_ink(pixels, w, xh) for w in line.words)
    words = [w for w in trimmed if w is not None and max(w.x1 - w.x0, w.bottom - w.top) >= SPECK * xh]
    kept = []
    for i, word in enumerate(words):
        gaps = [word.x0 - words[i - 1].x1 if i else None, words[i + 1].x0 - word.x1 if i + 1 < len(words) else None]
        apart = all(g is None or g > STRAY_GAP * xh for g in gaps) and len(words) > 1
        if not (apart and word.conf < UNSURE):
            kept.append(word)
    return kept


def _type_sizes(lines: list[OcrLine]) -> list[float]:
    """Each line's x-height, snapped to the page's type sizes: x-heights that follow each other
    within SIZE_STEP make one size, the median of its lines weighted by their words."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].x_height)
    groups: list[list[int]] = []
    for i in order:
        if groups and lines[i].x_height <= (1 + SIZE_STEP) * lines[groups[-1][-1]].x_height:
            groups[-1].append(i)
        else:
            groups.append([i])
    sizes = [0.0] * len(lines)
    for group in groups:
        weighted = sorted(lines[i].x_height for i in group for _ in lines[i].words)
        for i in group:
            sizes[i] = weighted[len(weighted) // 2]
    return sizes


def _without_marks(word: OcrWord, marks: list[Mark], x_height: float) -> tuple[str, float, float] | None:
    """The word's text and extent without the characters tesseract made of superscript marks."""
    slack = MARK_SLACK * x_height
    inside = [m for m in marks if m.x0 < word.x1 + slack and m.x1 > word.x0 - slack]
    if not inside:
        return word.text, word.x0, word.x1
    if not word.chars:
        return None if all(m.x0 <= word.x0 + slack and m.x1 >= word.x1 - slack for m in inside) else \
            (word.text, word.x0, word.x1)
    kept = [c for c in word.chars
            if not any(m.x0 - slack <= (c.x0 + c.x1) / 2 <= m.x1 + slack for m in inside)]
    if not kept:
        return None
    x0 = max(min(c.x0 for c in kept), word.x0)
    x1 = min(max(c.x1 for c in kept), word.x1)
    # a mark right of the kept letters ends the word there
    x1 = min([x1] + [m.x0 for m in inside if m.x0 > x0])
    return "".join(c.text for c in kept), x0, max(x1, x0 + 1)


# -- laying out the document -------------------------------------------------------------------

def _body_size(lines: Iterable[Line]) -> float:
    """The most common type size, weighted by text length (half-point steps)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


@dataclass
class _PagePlan:
    page: Page
    head: list[Line]
    body: list[Line]
    notes: list[Line]
    foot: list[Line]
    ruled: bool  # the notes were found below a footnote rule


def _plan(pages: list[Page]) -> tuple[list[_PagePlan], dict[bool, float]]:
    """Split each page into furniture (head, foot), body and footnote zone."""
    sizes = {ocr: _body_size(l for p in pages if p.ocr == ocr for l in p.lines) for ocr in (False, True)}
    repeated = _repeated_margin_lines(pages)
    plans = []
    for page in pages:
        small = SMALL_TYPE * sizes[page.ocr]
        lines = list(page.lines)
        head = _margin_furniture(lines, page, repeated, top=True)
        lines = lines[len(head):]
        foot = _margin_furniture(lines[::-1], page, repeated, top=False)[::-1]
        lines = lines[:len(lines) - len(foot)]
        body, notes, ruled = _body_and_notes(lines, page, small)
        plans.append(_PagePlan(page, head, body, notes, foot, ruled))
    return plans, sizes


def _body_and_notes(lines: list[Line], page: Page, small: float) -> tuple[list[Line], list[Line], bool]:
    """The body lines in reading order, the footnote lines, and whether a rule marked them.

    Reading order is zone by zone down the page, a two-column zone's left column before its
    right. Footnotes are at the foot of the last zone: across the page, or in each column
    (the left column's notes before the right's, which may go on with the left's last note).
    """
    ordered = sorted(lines, key=lambda l: (l.zone, l.column, l.top, l.x0))
    last = ordered[-1].zone if ordered else 0
    if all(l.column == FULL_WIDTH for l in ordered if l.zone == last):
        start, ruled = _footnote_zone(ordered, _rule_tops(page), small)
        return ordered[:start], ordered[start:], ruled
    body, notes, ruled = [l for l in ordered if l.zone < last], [], False
    for column in (LEFT_COLUMN, RIGHT_COLUMN):
        lines = [l for l in ordered if l.zone == last and l.column == column]
        start, found = _footnote_zone(lines, _rule_tops(page, column), small, continued=bool(notes))
        body += lines[:start]
        notes += lines[start:]
        ruled = ruled or found
    return body, notes, ruled


def _rule_tops(page: Page, column: int = FULL_WIDTH) -> list[float]:
    """Tops of the page's rules, of those under ``column`` only in two columns."""
    if column == FULL_WIDTH:
        return sorted({top for top, _, _ in page.rules})
    gutter = (page.gutter[0] + page.gutter[1]) / 2 if page.gutter else 0.0
    return sorted({top for top, x0, x1 in page.rules
                   if (x1 <= gutter + 1 if column == LEFT_COLUMN else x0 >= gutter - 1)})


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _repeated_margin_lines(pages: list[Page]) -> set[str]:
    """Texts (digits masked) of margin lines that occur on more than one page: running headers."""
    seen = Counter()
    for page in pages:
        keys = {_margin_key(l.text) for l in page.lines
                if l.bottom < MARGIN * page.height or l.top > (1 - MARGIN) * page.height}
        seen.update(keys)
    return {key for key, count in seen.items() if count > 1}


def _margin_furniture(lines: list[Line], page: Page, repeated: set[str], top: bool) -> list[Line]:
    """The leading lines of ``lines`` (from the page edge inward) that are page furniture.

    A page number is furniture wherever it stands in the margin. Another line is, if it recurs
    on other pages (digits aside) or sits at the very edge, and stands apart from the text or
    next to a page number — but never a numbered line at the foot: a one-line footnote citing
    the book that other pages' notes cite too recurs in the same place.
    """
    found = []
    for i, line in enumerate(lines[:3]):
        in_margin = line.bottom < MARGIN * page.height if top else line.top > (1 - MARGIN) * page.height
        if not in_margin or (not top and line.numbered and not _PAGE_NUMBER.fullmatch(line.text)):
            break
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        apart = nxt is None or (nxt.top - line.bottom if top else line.top - nxt.bottom) > APART * line.size
        outer = line.bottom < OUTER_MARGIN * page.height if top else line.top > (1 - OUTER_MARGIN) * page.height
        recurs = _margin_key(line.text) in repeated
        by_number = nxt is not None and bool(_PAGE_NUMBER.fullmatch(nxt.text))
        if not (_PAGE_NUMBER.fullmatch(line.text) or ((recurs or outer) and apart) or (recurs and by_number)):
            break
        found.append(line)
    return found


def _footnote_zone(lines: list[Line], rules: list[float], small: float, continued: bool = False) -> tuple[int, bool]:
    """Index of the first footnote line of the page (``len(lines)`` when there is none), and
    whether a rule marked it.

    Below a footnote rule everything is footnotes; without a rule, footnotes are the trailing run
    of small-type lines, from its first numbered line, or from its first line if the notes of
    the column before go on here (``continued``).
    """
    for rule in reversed(rules):
        below = [i for i, l in enumerate(lines) if l.top >= rule - 1]
        # a rule over the first line is a header rule; below a footnote rule come notes only
        if below and below[0] > 0 and (lines[below[0]].numbered or all(lines[i].size < small for i in below)):
            return below[0], True
    start = len(lines)
    while start > 0 and lines[start - 1].size < small:
        start -= 1
    if continued and start < len(lines):
        return start, False
    numbered = [i for i in range(start, len(lines)) if lines[i].numbered]
    return (numbered[0] if numbered and numbered[0] > 0 else len(lines)), False


# How a body line is joined to the line before it, in the conventions of PDF-extracted text:
# a new block after two empty lines, a paragraph (an indented first line) after one, a line of
# the same block (or a heading's paragraph) after a plain line break.
BLOCK, PARAGRAPH, LINE = "\n\n\n", "\n\n", "\n"


def _joins(body: list[Line]) -> list[str]:
    """For each body line, what goes before it (``BLOCK`` for the first).

    In two columns, line pitch is measured within a column, indents from the column's own margin
    (a full-width line shares the left column's) and full lines against the column's width; the
    right column's first line goes on from the left column's last like any next line.
    """
    pitches = [b.bottom - a.bottom for a, b in zip(body, body[1:])
               if abs(a.size - b.size) < 0.5 and (a.zone, a.column) == (b.zone, b.column)]
    pitch = statistics.median(pitches) if pitches else 0.0
    margin = {side: Counter(round(l.x0) for l in body if (l.column == RIGHT_COLUMN) == side).most_common(1)[0][0]
              for side in {l.column == RIGHT_COLUMN for l in body}}
    right = {column: max(l.x1 for l in body if column in (FULL_WIDTH, l.column)) for column in {l.column for l in body}}
    joins = [BLOCK] * len(body)
    for i in range(1, len(body)):
        a, b = body[i - 1], body[i]
        spaced = pitch > 0 and b.bottom - a.bottom > PARAGRAPH_GAP * pitch
        indented = (b.x0 - margin[b.column == RIGHT_COLUMN] > INDENT * b.size
                    and a.x0 - margin[a.column == RIGHT_COLUMN] <= INDENT * a.size)
        # a bold line over a full line of regular text is a heading: extracted text runs it
        # straight into its paragraph, however much space the page leaves after it
        heading = (a.bold and not b.bold and joins[i - 1] == BLOCK and abs(a.size - b.size) < 0.5
                   and right[b.column] - b.x1 < b.size)
        if heading:
            joins[i] = LINE
        elif spaced or abs(b.size - a.size) >= 0.5 or b.bold != a.bold:
            joins[i] = BLOCK
        else:
            joins[i] = PARAGRAPH if indented else LINE
    return joins


class _Writer:
    """Accumulates the raw text and the hint spans pointing into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.layers: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
        self.page_start: int | None = None

    def write(self, text: str, after: str = "") -> int:
        """Write ``after`` (a separator; not at the very start) and ``text``; returns where ``text`` starts."""
        if self.length:
            self.parts.append(after)
            self.length += len(after)
        start = self.length
        if self.page_start is None:
            self.page_start = start
        self.parts.append(text)
        self.length += len(text)
        return start

    def hint(self, layer: str, start: int, end: int, **attrs: Any) -> None:
        self.layers.setdefault(layer, []).append((start, end, attrs))


def _lay_out(path: Path, plans: list[_PagePlan]) -> Document:
    out = _Writer()
    for plan in plans:
        number = plan.page.number
        out.page_start = None
        for line in plan.head:
            start = out.write(line.text, BLOCK)
            out.hint("pdf_furniture", start, out.length, page=number)
        for join, line in zip(_joins(plan.body), plan.body):
            start = out.write(line.text, join)
            for s, e in line.sups:
                if s > 0:  # a raised number opening a body line is not a marker of the text before
                    out.hint("pdf_superscript", start + s, start + e, page=number)
        if plan.notes:
            zone = out.write(SEPARATOR, "\n\n")
            for line in plan.notes:
                out.write(line.text, "\n")
            out.hint("pdf_footnote_zone", zone, out.length, page=number)
        for line in plan.foot:
            start = out.write(line.text, BLOCK)
            out.hint("pdf_furniture", start, out.length, page=number)
        if out.page_start is not None:
            out.hint("pdf_pages", out.page_start, out.length, page=number, ocr=plan.page.ocr)
    out.write("\n")
    doc = Document(doc_name(path), "".join(out.parts), source=path.name)
    for layer, spans in sorted(out.layers.items()):
        doc.set_layer(layer, (doc.span(s, e, layer, attrs=attrs) for s, e, attrs in spans))
    return doc


def _meta(version: str, count: int, plans: list[_PagePlan], sizes: dict[bool, float],
          engine: Tesseract | None, dpi: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "reader": f"pdfplumber {version}",
        "pages": count,
        "ocr_pages": [plan.page.number for plan in plans if plan.page.ocr],
        "body_size": sizes[False] or None,  # None: no page had a text layer
        "small_type_below": round(SMALL_TYPE * sizes[False], 2) or None,
        "page_info": [{"page": plan.page.number, "source": "ocr" if plan.page.ocr else "text",
                       "lines": len(plan.page.lines), "furniture_lines": len(plan.head) + len(plan.foot),
                       "footnote_lines": len(plan.notes), "footnote_rule": plan.ruled,
                       "columns": 2 if plan.page.gutter else 1}
                      for plan in plans],
    }
    if engine is not None:
        meta["ocr"] = {"engine": engine.version, "languages": "+".join(engine.languages), "dpi": dpi,
                       "body_size": sizes[True], "small_type_below": round(SMALL_TYPE * sizes[True], 2)}
    return meta
