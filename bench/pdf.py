"""PDF input measured: the sample article typeset as a PDF, read back, its structure recovered.

    python bench/pdf.py

The structure recovered from ``corpus/raw/bagirova2024.txt`` is typeset with reportlab
(tests/pdfmaker.py: justified lines, raised markers, every footnote at the foot of the page of
its marker, under a rule, in small type; running header and page number on every page), once in
one column and once as a journal sets it in two: front matter across the top of page 1, the body
in two columns, footnotes across the page foot. The PDF is read with
:func:`polycorpus.pdf.read_pdf` and structure recovery runs on its text. The table compares the
blocks of the two runs by their clean text: what the PDF path loses shows as a difference.
Speed: PDF reading per page, and OCR of one scanned A6 page at 300 dpi.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
import tempfile
import time
from pathlib import Path

from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pdfmaker  # noqa: E402  (the tests' PDF writer)
from pdfmaker import (BODY, BODY_LEADING, BOLD, BOTTOM, COLUMN_W, GUTTER, LEFT, NOTE, NOTE_LEADING,  # noqa: E402
                      PAGE_H, PAGE_W, REGULAR, RIGHT, TOP)

from polycorpus.document import Document  # noqa: E402
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


def compare(txt: Document, from_pdf: Document) -> None:
    want, got = blocks_by_kind(txt), blocks_by_kind(from_pdf)
    print(f"{'block kind':<16}{'txt':>6}{'pdf':>6}{'same text':>11}")
    for kind in sorted(set(want) | set(got)):
        same = sum((Counter(want.get(kind, [])) & Counter(got.get(kind, []))).values())
        print(f"{kind:<16}{len(want.get(kind, [])):>6}{len(got.get(kind, [])):>6}{same:>11}")
    links = [m.attrs["n"] for m in from_pdf.layer("marker")]
    hinted = {(s.start, s.end) for s in from_pdf.layer("pdf_superscript")}
    print(f"markers linked 1..N in order: {links == sorted(links) and len(links)} of {len(want.get('footnote', []))}; "
          f"at a PDF superscript: {sum((m.start, m.end) in hinted for m in from_pdf.layer('marker'))}")
    furniture = [from_pdf.text(s).strip() for s in from_pdf.layer("pdf_furniture")]
    leaks = sum(any(f in text for f in furniture if len(f) > 3) for texts in got.values() for text in texts)
    print(f"blocks holding a running header: {leaks}")


def main() -> int:
    txt = process(read_source(SAMPLE), ["structure", "notes"])
    with tempfile.TemporaryDirectory() as tmp:
        for title_size, columns in LAYOUTS:
            pdf_path = Path(tmp) / f"bagirova2024-{title_size:g}{'-columns' if columns else ''}.pdf"
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
            compare(txt, from_pdf)
            print(f"read_pdf: {statistics.median(times) / pages * 1000:.0f} ms per page (median of 3 reads)")
        start = time.perf_counter()
        scanned = read_pdf(pdfmaker.make_scanned(Path(tmp) / "scan.pdf"))
        print(f"\nOCR: {time.perf_counter() - start:.1f} s for a 2-page PDF with one scanned A6 page "
              f"({scanned.meta['pdf']['ocr']['engine']}, {scanned.meta['pdf']['ocr']['languages']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
