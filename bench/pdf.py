"""PDF input measured: the sample article typeset as a PDF, read back, its structure recovered.

    python bench/pdf.py

The structure recovered from ``corpus/raw/bagirova2024.txt`` is typeset with reportlab
(tests/pdfmaker.py: justified lines, raised markers, every footnote at the foot of the page of
its marker, under a rule, in small type; running header and page number on every page), once in
one column and once as a journal sets it in two: front matter across the top of page 1, the body
in two columns, footnotes across the page foot. The PDF is read with
:func:`polycorpus.pdf.read_pdf` and structure recovery runs on its text. The table compares the
blocks of the two runs by their clean text: what the PDF path loses shows as a difference.

Each layout's PDF is also scanned: its pages rasterised at 300 dpi in grey, turned by a quarter
of a degree and speckled with noise (seeded), and wrapped as an image-only PDF that
:func:`read_pdf` reads through tesseract. OCR text is never letter-perfect, so besides the exact
matches a block counts as found when its text is 90 % like the text file's (difflib's ratio,
each block matched once), a footnote only under its own number. Each layout ends with one line:
its signature, then headings, paragraphs, footnotes, markers linked and abstracts found.
Speed: PDF reading per page, OCR per scanned page.

    python bench/pdf.py              # scans the one-column layout (about 10 s a page on one core)
    python bench/pdf.py --scans all  # scans every layout
    python bench/pdf.py --scans none
    python bench/pdf.py --dpi 200    # scans at 200 dpi
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pdfplumber
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pdfmaker  # noqa: E402  (the tests' PDF writer)
from pdfmaker import (BODY, BODY_LEADING, BOLD, BOTTOM, COLUMN_W, GUTTER, LEFT, NOTE, NOTE_LEADING,  # noqa: E402
                      PAGE_H, PAGE_W, REGULAR, RIGHT, TOP)

from polycorpus.document import Document  # noqa: E402
from polycorpus.evaluate.base import Signature, file_hash  # noqa: E402
from polycorpus.pdf import read_pdf  # noqa: E402
from polycorpus.pipeline import process  # noqa: E402
from polycorpus.sources import read_source  # noqa: E402

SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
LABELS = {("abstract", "az"): "Xülasə:", ("abstract", "en"): "Abstract:", ("abstract", "ru"): "Резюме:",
          ("keywords", "az"): "Açar sözlər:", ("keywords", "en"): "Keywords:", ("keywords", "ru"): "Ключевые слова:"}
HEADER = "Running head of the bench                    Typeset sample article"
WIDTH = PAGE_W - LEFT - RIGHT


def marked_text(doc: Document, block) -> str:
    """The block's clean text with its footnote markers written ``{n}`` (pdfmaker's superscripts)."""
    clean = doc.clean(block, keep_markers=True)
    text = clean.text
    for marker in sorted(doc.layer("marker"), reverse=True):
        found = clean.from_raw(marker.start, marker.end)
        if found and isinstance(marker.attrs["n"], int):
            start, end = found
            text = text[:start] + "{" + text[start:end] + "}" + text[end:]
    return text


class Typesetter:
    """Lines flow down the page; a page ends where its lines and their footnotes fill it."""

    def __init__(self, path: Path, notes: dict[int, str]) -> None:
        pdfmaker.register_fonts()
        self.c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.notes = notes
        self.page = 1
        self.y = PAGE_H - TOP
        self.page_notes: list[int] = []

    def note_height(self, numbers: list[int]) -> float:
        lines = sum(len(pdfmaker.wrap(self.notes[n], REGULAR, NOTE, WIDTH - 6)) for n in numbers)
        return lines * NOTE_LEADING + (2 * NOTE_LEADING if numbers else 0)

    def new_page(self) -> None:
        pdfmaker.draw_notes(self.c, ["{%d}%s" % (n, self.notes[n]) for n in self.page_notes], rule=True)
        pdfmaker.draw_furniture(self.c, HEADER, self.page)
        self.c.showPage()
        self.page += 1
        self.y = PAGE_H - TOP
        self.page_notes = []

    def block(self, text: str, font: str = REGULAR, size: float = BODY, indent: float = 0.0,
              space_before: float = 0.0) -> None:
        lines = pdfmaker.wrap(text, font, size, WIDTH, indent)
        self.y -= space_before
        for i, tokens in enumerate(lines):
            markers = [int(m) for _, m in tokens if m and int(m) in self.notes]
            needed = self.note_height(self.page_notes + markers)
            if self.y - BODY_LEADING < BOTTOM + needed:
                self.new_page()
            self.page_notes += markers
            x = LEFT + (indent if i == 0 else 0.0)
            pdfmaker.draw_line(self.c, tokens, x, self.y, font, size, WIDTH - (x - LEFT), justify=i < len(lines) - 1)
            self.y -= BODY_LEADING

    def save(self) -> None:
        self.new_page()
        self.c.save()


# Room the left column leaves at its foot for the notes of the right column's lines.
NOTE_ROOM = 4 * NOTE_LEADING


class ColumnTypesetter(Typesetter):
    """After ``start_columns`` lines flow down the left column, then the right; the notes of
    both sit across the page foot, below the longer column."""

    def __init__(self, path: Path, notes: dict[int, str]) -> None:
        super().__init__(path, notes)
        self.column = 0  # 0: across the page (the front matter), 1 or 2 once the columns start
        self.top = self.y  # where the columns start on this page
        self.left_end = self.y  # the left column's last baseline

    def start_columns(self) -> None:
        self.y -= 6
        self.column, self.top = 1, self.y

    def new_page(self) -> None:
        super().new_page()
        if self.column:
            self.column, self.top = 1, self.y

    def block(self, text: str, font: str = REGULAR, size: float = BODY, indent: float = 0.0,
              space_before: float = 0.0) -> None:
        if not self.column:
            super().block(text, font, size, indent, space_before)
            return
        lines = pdfmaker.wrap(text, font, size, COLUMN_W, indent)
        if self.y < self.top:
            self.y -= space_before
        for i, tokens in enumerate(lines):
            markers = [int(m) for _, m in tokens if m and int(m) in self.notes]
            floor = BOTTOM + self.note_height(self.page_notes + markers)
            # the left column leaves room for the notes of the right one
            if self.column == 1 and self.y - BODY_LEADING < floor + NOTE_ROOM:
                self.column, self.left_end, self.y = 2, self.y + BODY_LEADING, self.top
            if self.column == 2 and min(self.y, self.left_end) - BODY_LEADING < floor:
                self.new_page()  # the notes would reach into a column
            self.page_notes += markers
            x = LEFT + (self.column - 1) * (COLUMN_W + GUTTER) + (indent if i == 0 else 0.0)
            pdfmaker.draw_line(self.c, tokens, x, self.y, font, size, COLUMN_W - (indent if i == 0 else 0.0),
                               justify=i < len(lines) - 1)
            self.y -= BODY_LEADING


def typeset(doc: Document, path: Path, title_size: float, columns: bool = False) -> None:
    notes = {b.attrs["n"]: doc.clean(b).text for b in doc.blocks("footnote")}
    setter = ColumnTypesetter(path, notes) if columns else Typesetter(path, notes)
    for block in doc.blocks():
        kind = block.label
        if kind in ("furniture", "footnote"):
            continue
        if columns and kind in ("heading", "paragraph") and not setter.column:
            setter.start_columns()  # the body begins: front matter above, across the page
        text = marked_text(doc, block)
        label = LABELS.get((kind, block.lang))
        if label:
            setter.block(f"{label} {text}", space_before=6 if kind == "abstract" else 0)
        elif kind in ("title", "heading", "author"):
            setter.block(text, BOLD, title_size if kind == "title" else BODY, space_before=10)
        else:
            setter.block(text, indent=20 if kind == "paragraph" else 0.0)
    setter.save()


def blocks_by_kind(doc: Document) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in doc.blocks():
        if block.label != "furniture":
            key = f"{block.label}:{block.lang}" if block.label in ("abstract", "keywords") else block.label
            found.setdefault(key, []).append(doc.clean(block).text)
    return found


# The sample's title takes two lines in 14 pt and one in 8 pt: the two layouts a reader meets;
# and the body in two columns.
LAYOUTS = ((8.0, False), (14.0, False), (14.0, True))


SIMILAR = 0.9
SCAN_DPI = 300
SCAN_TURN = 0.25  # degrees
SCAN_NOISE = 0.002  # share of pixels flipped
SCAN_SEED = 0


def similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def found(want: list[str], got: list[str]) -> int:
    """How many of ``want`` have a like text in ``got``, each of ``got`` used once."""
    left = list(got)
    count = 0
    for text in want:
        match = next((i for i, other in enumerate(left) if similar(text, other)), None)
        if match is not None:
            left.pop(match)
            count += 1
    return count


def notes_by_number(doc: Document) -> dict[object, str]:
    return {b.attrs.get("n"): doc.clean(b).text for b in doc.blocks("footnote")}


def compare(txt: Document, from_pdf: Document, signature: Signature) -> None:
    want, got = blocks_by_kind(txt), blocks_by_kind(from_pdf)
    print(f"{'block kind':<16}{'txt':>6}{'pdf':>6}{'same text':>11}{'like text':>11}")
    for kind in sorted(set(want) | set(got)):
        same = sum((Counter(want.get(kind, [])) & Counter(got.get(kind, []))).values())
        like = found(want.get(kind, []), got.get(kind, []))
        print(f"{kind:<16}{len(want.get(kind, [])):>6}{len(got.get(kind, [])):>6}{same:>11}{like:>11}")
    links = [m.attrs["n"] for m in from_pdf.layer("marker")]
    hinted = {(s.start, s.end) for s in from_pdf.layer("pdf_superscript")}
    print(f"markers linked 1..N in order: {links == sorted(links) and len(links)} of {len(want.get('footnote', []))}; "
          f"at a PDF superscript: {sum((m.start, m.end) in hinted for m in from_pdf.layer('marker'))}")
    furniture = [from_pdf.text(s).strip() for s in from_pdf.layer("pdf_furniture")]
    leaks = sum(any(f in text for f in furniture if len(f) > 3) for texts in got.values() for text in texts)
    print(f"blocks holding a running header: {leaks}")
    notes, pdf_notes = notes_by_number(txt), notes_by_number(from_pdf)
    notes_found = sum(n in pdf_notes and similar(text, pdf_notes[n]) for n, text in notes.items())
    numbers = set(notes)
    linked = sum(m.attrs["n"] in numbers for m in from_pdf.layer("marker"))
    abstracts = [k for k in want if k.startswith("abstract:")]
    abstracts_found = sum(found(want[k], got.get(k, [])) == len(want[k]) for k in abstracts)
    print(f"{signature.format()} = headings {found(want.get('heading', []), got.get('heading', []))}/"
          f"{len(want.get('heading', []))}, paragraphs {found(want.get('paragraph', []), got.get('paragraph', []))}/"
          f"{len(want.get('paragraph', []))}, notes {notes_found}/{len(notes)}, markers linked {linked}/{len(notes)}, "
          f"abstracts {abstracts_found}/{len(abstracts)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", choices=("one", "all", "none"), default="one",
                        help="which layouts to scan and OCR: the one-column 14 pt layout (default), all, none")
    parser.add_argument("--dpi", type=int, default=SCAN_DPI, help=f"resolution of the scans (default {SCAN_DPI})")
    args = parser.parse_args()
    txt = process(read_source(SAMPLE), ["structure", "notes"])
    sample = f"{SAMPLE.stem}@{file_hash(SAMPLE)}"
    reader = f"pdfplumber {pdfplumber.__version__}"
    with tempfile.TemporaryDirectory() as tmp:
        for title_size, columns in LAYOUTS:
            name = f"{title_size:g}pt-{'2col' if columns else '1col'}"
            pdf_path = Path(tmp) / f"bagirova2024-{name}.pdf"
            typeset(txt, pdf_path, title_size, columns)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                from_pdf = read_pdf(pdf_path)
                times.append(time.perf_counter() - start)
            process(from_pdf, ["structure", "notes"])
            pages = from_pdf.meta["pdf"]["pages"]
            if columns:
                read_as = sum(p["columns"] == 2 for p in from_pdf.meta["pdf"]["page_info"])
                print(f"\nsample typeset in two columns, title in {title_size:g} pt: {pages} pages, "
                      f"{read_as} read as two columns; structure from the text file vs from the PDF")
            else:
                print(f"\nsample typeset as PDF, title in {title_size:g} pt: {pages} pages; "
                      "structure from the text file vs from the PDF")
            compare(txt, from_pdf, Signature("PDF", {"sample": sample, "layout": name, "input": "text", "reader": reader}))
            print(f"read_pdf: {statistics.median(times) / pages * 1000:.0f} ms per page (median of 3 reads)")
            if args.scans == "none" or (args.scans == "one" and (columns or title_size != 14.0)):
                continue
            scanned_path = pdfmaker.scan_pdf(pdf_path, Path(tmp) / f"bagirova2024-{name}-scan.pdf", args.dpi,
                                             SCAN_TURN, SCAN_NOISE, SCAN_SEED)
            start = time.perf_counter()
            scanned = read_pdf(scanned_path)
            seconds = time.perf_counter() - start
            process(scanned, ["structure", "notes"])
            ocr = scanned.meta["pdf"]["ocr"]
            print(f"\nthe same PDF scanned ({args.dpi} dpi, turned {SCAN_TURN} degrees, {SCAN_NOISE:.1%} of pixels "
                  f"flipped), read by OCR: {len(scanned.meta['pdf']['ocr_pages'])} pages OCRed")
            compare(txt, scanned, Signature("PDF", {"sample": sample, "layout": name,
                                                    "input": f"scan{args.dpi}dpi-turn{SCAN_TURN}-noise{SCAN_NOISE}-seed{SCAN_SEED}",
                                                    "reader": reader, "ocr": f"{ocr['engine']} {ocr['languages']}"}))
            print(f"OCR: {seconds / pages:.1f} s per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
