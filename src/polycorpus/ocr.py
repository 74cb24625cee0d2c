"""OCR of page images with the tesseract command-line program (Debian ``tesseract-ocr``).

Only the binary is used, through :mod:`subprocess`: no Python binding to install, and the
version that produced the text goes into ``doc.meta``. Tesseract's hOCR output gives, per line,
its box, baseline and x-height, and per word its box and its characters' boxes: what the PDF
reader needs to treat a scanned page like a text layer (type size from the x-height, footnote
markers from their raise). What tesseract does not report is read from the page's pixels
(:func:`ink`): weight as the width of the strokes, superscripts as marks standing free above
the baseline, whose digits tesseract then reads again on their own (in running text it reads
a small raised ``3`` as ``?``, ``'`` or ``”`` as often as not).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import ResourceError

if TYPE_CHECKING:
    from PIL.Image import Image

# Environment variable naming the tesseract program (a path or a command name).
TESSERACT_ENV = "POLYCORPUS_TESSERACT"
DEFAULT_LANGUAGES = ("aze", "rus", "eng")
# Debian package per tesseract language, for the install hint.
LANGUAGE_PACKAGES = {"aze": "tesseract-ocr-aze", "rus": "tesseract-ocr-rus", "eng": "tesseract-ocr-eng"}
# A pixel darker than this (0 black … 255 white) is ink.
INK_LEVEL = 128
# A superscript stands free of the line's letters: its lowest ink is this many x-heights above
# the baseline (a superscript is raised by a third of the type size or more, about 0.6 x-heights;
# hyphens and dashes sit lower) …
RAISED = 0.5
# … it is at least this tall (a digit in a smaller type is about 0.9 x-heights; quotation
# marks and the dots of accents are under half) …
MARK_HEIGHT = 0.6
# … and its top is below this (above it is the line before's descenders).
MARK_REACH = 2.0
# Marks closer than this (x-heights) are one superscript: the digits of "12" (in a scan at
# 200 dpi the ink of thin digits shrinks and the gap between them grows to half an x-height).
MARK_GAP = 0.6
# A column of a word's box with no more ink than this (x-heights; at least two pixels) is dirt.
SPECK_INK = 0.08
# A line's x-height is measured in stretches this many x-heights wide …
STRETCH = 8
# … as the longest run of rows with at least this share of the ink of the upper quartile of rows …
X_BAND = 0.5
# … in stretches with at least this much ink (square x-heights; a stretch of running text has
# two or more) …
SPARSE = 0.5
# … and trusted when it is smaller than tesseract's estimate and more than this share of it, on
# a line this many x-heights long at least (a few words may all be capitals).
MEASURE_TRUST = 0.6
MEASURE_WIDTH = 20
# Superscript digits are read again scaled to this height in pixels (tesseract reads best at
# 20-40 pixel x-heights).
DIGIT_HEIGHT = 48


@dataclass(frozen=True)
class OcrChar:
    text: str
    x0: int
    x1: int


@dataclass(frozen=True)
class OcrWord:
    """One recognised word; box in pixels; its characters' horizontal extents."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float
    chars: tuple[OcrChar, ...] = ()


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: box, baseline and x-height in pixels, words left to right."""

    words: tuple[OcrWord, ...]
    x0: int
    top: int
    x1: int
    bottom: int
    baseline: float  # y of the baseline at x0
    slope: float  # its rise per pixel rightwards
    x_height: float

    def baseline_at(self, x: float) -> float:
        return self.baseline + self.slope * (x - self.x0)


@dataclass(frozen=True)
class Mark:
    """A superscript found in the pixels: its box in pixels."""

    x0: int
    top: int
    x1: int
    bottom: int


@dataclass(frozen=True)
class Tesseract:
    """A located tesseract program and the languages it will be run with."""

    program: str
    version: str
    languages: tuple[str, ...]

    def recognise(self, image: "Image") -> list[OcrLine]:
        """The lines of ``image`` in tesseract's reading order."""
        with tempfile.TemporaryDirectory(prefix="polycorpus-ocr-") as tmp:
            png = Path(tmp) / "page.png"
            image.save(png)
            result = _run([self.program, str(png), "stdout", "-l", "+".join(self.languages),
                           "-c", "hocr_char_boxes=1", "hocr"])
        return parse_hocr(result)

    def read_digits(self, image: "Image", marks: list[Mark]) -> list[str]:
        """The digits of each mark of ``image`` ("" where tesseract sees none), read in one run:
        the marks are cut out, scaled up and stacked one under another."""
        if not marks:
            return []
        from PIL import Image as PILImage

        crops = []
        for mark in marks:
            pad = max(2, (mark.bottom - mark.top) // 3)
            crop = image.crop((mark.x0 - pad, mark.top - pad, mark.x1 + pad, mark.bottom + pad))
            scale = DIGIT_HEIGHT / crop.height
            crops.append(crop.resize((max(1, round(crop.width * scale)), DIGIT_HEIGHT)))
        pitch = 2 * DIGIT_HEIGHT
        sheet = PILImage.new("L", (max(c.width for c in crops) + 2 * DIGIT_HEIGHT, pitch * len(crops) + DIGIT_HEIGHT), 255)
        for i, crop in enumerate(crops):
            sheet.paste(crop.convert("L"), (DIGIT_HEIGHT, DIGIT_HEIGHT // 2 + pitch * i))
        with tempfile.TemporaryDirectory(prefix="polycorpus-ocr-") as tmp:
            png = Path(tmp) / "marks.png"
            sheet.save(png)
            lines = parse_hocr(_run([self.program, str(png), "stdout", "-l", "eng", "--psm", "6",
                                     "-c", "tessedit_char_whitelist=0123456789", "hocr"]))
        digits = [""] * len(marks)
        for line in lines:
            for word in line.words:
                slot = ((word.top + word.bottom) // 2 - DIGIT_HEIGHT // 2) // pitch
                if 0 <= slot < len(marks) and word.text.isdigit():
                    digits[slot] += word.text
        return digits


def find_tesseract(command: str | None = None) -> str | None:
    """The tesseract program to run: ``command``, else $POLYCORPUS_TESSERACT, else ``tesseract``;
    None when it is not installed."""
    return shutil.which(command or os.environ.get(TESSERACT_ENV) or "tesseract")


def load_tesseract(program: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Tesseract:
    """Check that ``program`` runs and has every language; ResourceError says what to install."""
    version = (_run([program, "--version"]).splitlines() or ["tesseract (version unknown)"])[0].strip()
    # --list-langs prints a heading line, then one language per line.
    installed = {line.strip() for line in _run([program, "--list-langs"]).splitlines()[1:]}
    missing = [lang for lang in languages if lang not in installed]
    if missing:
        packages = " ".join(LANGUAGE_PACKAGES.get(lang, f"tesseract-ocr-{lang}") for lang in missing)
        raise ResourceError(program, f"tesseract has no language data for {'+'.join(missing)}; install {packages}")
    return Tesseract(program, version, tuple(languages))


# -- hOCR ----------------------------------------------------------------------------------------

_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_X_BBOXES = re.compile(r"x_bboxes (-?\d+) (-?\d+) (-?\d+) (-?\d+)")


def _property(title: str, name: str) -> list[float]:
    found = re.search(rf"\b{name}((?: -?[\d.]+)+)", title)
    return [float(v) for v in found.group(1).split()] if found else []


class _HocrParser(HTMLParser):
    """Collects ocr_line / ocrx_word / ocrx_cinfo elements (tesseract's hOCR nests them so)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[OcrLine] = []
        self._line: dict | None = None
        self._word: dict | None = None
        self._char: dict | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        kind = (a.get("class") or "").split()
        title = a.get("title") or ""
        role = ""
        if {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"} & set(kind):
            self._line = {"title": title, "words": []}
            role = "line"
        elif "ocrx_word" in kind and self._line is not None:
            self._word = {"title": title, "chars": [], "text": ""}
            role = "word"
        elif "ocrx_cinfo" in kind and self._word is not None:
            self._char = {"title": title, "text": ""}
            role = "char"
        self._stack.append(role)

    def handle_endtag(self, tag: str) -> None:
        role = self._stack.pop() if self._stack else ""
        if role == "char" and self._char is not None and self._word is not None:
            box = _X_BBOXES.search(self._char["title"])
            if box and self._char["text"]:
                x0, _, x1, _ = map(int, box.groups())
                self._word["chars"].append(OcrChar(self._char["text"], x0, x1))
            self._char = None
        elif role == "word" and self._word is not None and self._line is not None:
            text = "".join(c.text for c in self._word["chars"]) or self._word["text"]
            box = _BBOX.search(self._word["title"])
            if text.strip() and box:
                x0, top, x1, bottom = map(int, box.groups())
                conf = (_property(self._word["title"], "x_wconf") or [0.0])[0]
                self._line["words"].append(OcrWord(text.strip(), x0, top, x1, bottom, conf, tuple(self._word["chars"])))
            self._word = None
        elif role == "line" and self._line is not None:
            self._end_line(self._line)
            self._line = None

    def handle_data(self, data: str) -> None:
        if self._char is not None:
            self._char["text"] += data.strip()
        elif self._word is not None:
            self._word["text"] += data

    def _end_line(self, line: dict) -> None:
        box = _BBOX.search(line["title"])
        if not line["words"] or not box:
            return
        x0, top, x1, bottom = map(int, box.groups())
        slope, offset = (_property(line["title"], "baseline") or [0.0, 0.0])[:2]
        size = (_property(line["title"], "x_size") or [bottom - top])[0]
        ascenders = (_property(line["title"], "x_ascenders") or [0.0])[0]
        descenders = (_property(line["title"], "x_descenders") or [0.0])[0]
        # hOCR's x_size is the line's height from ascender to descender: the x-height is what is
        # left, and a raised marker (which lifts the ascenders) does not change it
        x_height = size - ascenders - descenders
        if x_height <= 0:
            x_height = 0.5 * size
        words = tuple(sorted(line["words"], key=lambda w: w.x0))
        self.lines.append(OcrLine(words, x0, top, x1, bottom, bottom + offset, slope, x_height))


def parse_hocr(hocr: str) -> list[OcrLine]:
    """The lines (with words and character boxes) of tesseract's hOCR output."""
    parser = _HocrParser()
    parser.feed(hocr)
    parser.close()
    return parser.lines


# -- what the pixels say ----------------------------------------------------------------------------

def ink(image: "Image") -> np.ndarray:
    """The page as a boolean array, True where there is ink."""
    return np.asarray(image.convert("L")) < INK_LEVEL


def measure_x_height(pixels: np.ndarray, line: OcrLine) -> OcrLine:
    """The line with its x-height measured in the pixels, where they allow it.

    Tesseract's estimate goes astray on some lines (a digit-heavy line can come out a third too
    tall, which would move a footnote out of the small type). Ink is densest between the baseline
    and the x-line: in stretches of the line (short enough that a page scanned askew stays level
    in each) the x-height is the longest run of rows with at least X_BAND of the ink of the
    stretch's upper quartile of rows. A line of digits or capitals has no such band: where the measure is far from
    tesseract's (MEASURE_TRUST), tesseract's stands.
    """
    if line.x1 - line.x0 < MEASURE_WIDTH * line.x_height:
        return line
    step = max(8, round(STRETCH * line.x_height))
    heights = []
    for x0 in range(max(0, line.x0), line.x1 + 1, step):
        x1 = min(x0 + step, line.x1 + 1)
        if x1 - x0 < 2 * line.x_height:
            continue
        counts = pixels[max(0, line.top):line.bottom + 1, x0:x1].sum(axis=1)
        if counts.sum() < SPARSE * line.x_height ** 2:
            continue  # a stretch of space, or a speck of dirt
        # against the upper quartile, not the densest row: a row along the baseline or the x-line
        # of letters with bars (e, z, ə) can be twice as dense as the rest of the band
        strong = counts >= X_BAND * np.percentile(counts, 75)
        strong[1:-1] |= strong[:-2] & strong[2:]  # a thin row in the band does not cut it
        edges = np.diff(np.concatenate(([0], strong.astype(np.int8), [0])))
        runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
        if runs.size:
            heights.append(int(runs.max()))
    if not heights:
        return line
    measured = float(np.median(heights))
    # rows of quotation marks, digits and capitals can join the band from above, never from
    # below: a measure larger than tesseract's is that, not a correction
    if not MEASURE_TRUST * line.x_height <= measured < line.x_height:
        return line
    return dataclasses.replace(line, x_height=measured)


def trim_to_ink(pixels: np.ndarray, word: OcrWord, x_height: float) -> OcrWord | None:
    """The word with its box cut to the columns that hold ink (None if none do): tesseract lets
    a box run on over dirt beside the word, which on a page in two columns reaches into the
    gutter. A column holds ink when it has more than a speck's worth (SPECK_INK x-heights)."""
    box = pixels[max(0, word.top):word.bottom + 1, max(0, word.x0):word.x1 + 1]
    if box.size == 0:
        return None
    inked = np.flatnonzero(box.sum(axis=0) > max(2.0, SPECK_INK * x_height))
    if not inked.size:
        return None
    x0, x1 = max(0, word.x0) + int(inked[0]), max(0, word.x0) + int(inked[-1]) + 1
    return dataclasses.replace(word, x0=x0, x1=x1) if (x0, x1) != (word.x0, word.x1) else word


def stroke_width(pixels: np.ndarray, line: OcrLine) -> float:
    """The mean width (pixels) of the horizontal runs of ink in the line's x-height band: the
    thickness of vertical strokes, which bold type has about half as much again of."""
    base = line.baseline_at((line.x0 + line.x1) / 2)
    band = pixels[max(0, round(base - 0.9 * line.x_height)):max(0, round(base - 0.1 * line.x_height)),
                  max(0, line.x0):line.x1 + 1]
    if band.size == 0:
        return 0.0
    padded = np.pad(band, ((0, 0), (1, 1))).astype(np.int8)
    edges = np.diff(padded, axis=1)
    starts, ends = np.nonzero(edges == 1), np.nonzero(edges == -1)
    widths = ends[1] - starts[1]  # row-major order pairs each run's start with its end
    # the mean of the runs across strokes (not along bars): a median moves in whole pixels
    widths = widths[widths <= 0.5 * line.x_height]
    return float(np.mean(widths)) if widths.size else 0.0


def raised_marks(pixels: np.ndarray, line: OcrLine) -> list[Mark]:
    """Superscripts of the line: connected ink standing free above its baseline (see RAISED,
    MARK_HEIGHT), neighbouring marks joined."""
    xh = line.x_height
    base = line.baseline_at((line.x0 + line.x1) / 2)
    top = max(0, round(base - MARK_REACH * xh))
    bottom = min(pixels.shape[0], round(base + 0.1 * xh))
    # a marker after the line's last word may stand outside tesseract's box for the line
    reach = round(MARK_REACH * xh)
    x0, x1 = max(0, line.x0 - reach), min(pixels.shape[1], line.x1 + reach)
    window = pixels[top:bottom, x0:x1]
    if window.size == 0:
        return []
    found = []
    for rows, cols in _components(window):
        # rows from here down belong to the line's letters (the baseline where the mark stands:
        # a page scanned askew tilts its lines)
        low = line.baseline_at(x0 + (cols.min() + cols.max()) / 2) - RAISED * xh - top
        if rows.max() >= low or (rows.max() - rows.min() + 1) < MARK_HEIGHT * xh or rows.min() == 0:
            continue
        found.append(Mark(int(cols.min()) + x0, int(rows.min()) + top, int(cols.max()) + x0 + 1, int(rows.max()) + top + 1))
    found.sort(key=lambda m: m.x0)
    joined: list[Mark] = []
    for mark in found:
        if joined and mark.x0 - joined[-1].x1 <= MARK_GAP * xh:
            last = joined[-1]
            joined[-1] = Mark(last.x0, min(last.top, mark.top), max(last.x1, mark.x1), max(last.bottom, mark.bottom))
        else:
            joined.append(mark)
    return joined


def _components(window: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The 8-connected components of ink in ``window`` (row and column indices of each), found
    by joining runs of ink that touch the runs of the row above."""
    parent: list[int] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    runs: list[tuple[int, int, int]] = []  # row, first column, last column + 1
    previous: list[int] = []
    for r in range(window.shape[0]):
        row = np.pad(window[r], (1, 1)).astype(np.int8)
        edges = np.diff(row)
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        current = []
        j = 0
        for s, e in zip(starts.tolist(), ends.tolist()):
            index = len(runs)
            runs.append((r, s, e))
            parent.append(index)
            current.append(index)
            # runs above that overlap this one, diagonals included
            while j < len(previous) and runs[previous[j]][2] < s:
                j += 1
            k = j
            while k < len(previous) and runs[previous[k]][1] <= e:
                a, b = find(previous[k]), find(index)
                if a != b:
                    parent[b] = a
                k += 1
        previous = current
    groups: dict[int, list[tuple[int, int, int]]] = {}
    for i, run in enumerate(runs):
        groups.setdefault(find(i), []).append(run)
    out = []
    for members in groups.values():
        rows = np.array([r for r, _, _ in members] * 2)
        cols = np.array([s for _, s, _ in members] + [e - 1 for _, _, e in members])
        out.append((rows, cols))
    return out


def _run(argv: list[str]) -> str:
    # One thread: deterministic, and polite on a shared machine.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    except OSError as exc:
        raise ResourceError(argv[0], f"cannot run tesseract ({exc.strerror})") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ResourceError(argv[0], f"tesseract failed (exit {done.returncode}): {last}")
    # tesseract 3 printed --version and --list-langs on stderr
    return done.stdout or done.stderr
