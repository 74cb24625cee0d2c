"""Scanned PDFs: tesseract's hOCR read into lines, superscripts and weight found in the pixels,
and the scanned two-page article (tests/pdfmaker.py, rasterised at 300 dpi) recovered like its
text PDF: abstracts by language, headings, footnotes by number, markers linked.
"""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import pdfmaker
from polycorpus.ocr import (OcrLine, OcrWord, ink, measure_x_height, parse_hocr, raised_marks, stroke_width,
                           trim_to_ink)
from polycorpus.pdf import read_pdf
from polycorpus.pipeline import process

HAS_TESSERACT = shutil.which("tesseract") is not None

HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body><div class='ocr_page' title='bbox 0 0 2480 3508'>
 <p class='ocr_par'>
  <span class='ocr_line' id='line_1_10' title="bbox 295 760 411 801; baseline -0.009 -2; x_size 49.286026; x_descenders 9.286026; x_ascenders 13">
   <span class='ocrx_word' id='word_1_89' title='bbox 295 760 411 801; x_wconf 89'>
    <span class='ocrx_cinfo' title='x_bboxes 295 774 318 801; x_conf 99.0'>o</span>
    <span class='ocrx_cinfo' title='x_bboxes 323 765 327 800; x_conf 99.0'>l</span>
    <span class='ocrx_cinfo' title='x_bboxes 385 760 411 800; x_conf 98.5'>?</span>
   </span>
   <span class='ocrx_word' id='word_1_90' title='bbox 430 770 480 801; x_wconf 90'>R&amp;D</span>
  </span>
 </p></div></body></html>"""


def test_hocr_lines_carry_words_character_boxes_and_x_height():
    (line,) = parse_hocr(HOCR)
    assert [w.text for w in line.words] == ["ol?", "R&D"]
    assert [(c.text, c.x0, c.x1) for c in line.words[0].chars][-1] == ("?", 385, 411)
    assert line.words[1].chars == () and line.words[1].conf == 90
    # x_size less ascenders and descenders: a raised marker lifting the ascenders leaves it be
    assert line.x_height == pytest.approx(27.0)
    assert line.baseline == 799 and line.baseline_at(411) == pytest.approx(799 - 0.009 * 116)


FONT = str(pdfmaker.FONT_DIR / "DejaVuSans.ttf")
BOLD_FONT = str(pdfmaker.FONT_DIR / "DejaVuSans-Bold.ttf")
BODY_PX, SUP_PX = 46, 29  # 11 pt and 7 pt at 300 dpi


def _line_image(parts: list[tuple[str, bool]], font: str = FONT) -> tuple[np.ndarray, OcrLine]:
    """One printed line, ``(text, raised)`` parts left to right, and the line as tesseract boxes it."""
    image = Image.new("L", (1400, 200), 255)
    draw = ImageDraw.Draw(image)
    body, sup = ImageFont.truetype(font, BODY_PX), ImageFont.truetype(FONT, SUP_PX)
    baseline, x = 120, 20
    for text, raised in parts:
        face = sup if raised else body
        y = baseline - round(0.4 * BODY_PX) if raised else baseline
        draw.text((x, y), text, font=face, fill=0, anchor="ls")
        x += round(draw.textlength(text, font=face))
    pixels = ink(image)
    x_height = 0.55 * BODY_PX  # DejaVu Sans
    word = OcrWord("".join(t for t, _ in parts), 20, 70, x, 130, 90.0)
    return pixels, OcrLine((word,), 20, 70, x, 130, float(baseline), 0.0, x_height)


def test_raised_digits_are_marks_quotes_and_accents_are_not():
    pixels, line = _line_image([("“jurnal” idi.", False), ("12", True), (" Ölkə İstanbul — söz", False)])
    marks = raised_marks(pixels, line)
    assert len(marks) == 1  # "12" is one mark: its two digits are close
    (mark,) = marks
    assert mark.bottom < line.baseline - 0.5 * line.x_height
    assert 0.8 * SUP_PX * 0.7 < mark.bottom - mark.top < SUP_PX
    pixels, line = _line_image([("Plain text, “quoted”, Ölkə, İstanbul, Pərvin.", False)])
    assert raised_marks(pixels, line) == []


def test_bold_strokes_are_wider():
    text = [("Birinci Türkiyə dövrü", False)]
    regular = stroke_width(*_line_image(text))
    bold = stroke_width(*_line_image(text, BOLD_FONT))
    assert bold > 1.3 * regular > 0


@pytest.fixture(scope="module")
def scanned_article(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    text_pdf = pdfmaker.make_article(folder / "hasanova2024-text.pdf")
    scan = pdfmaker.scan_pdf(text_pdf, folder / "hasanova2024.pdf", dpi=300, turn=0.2, noise=0.001)
    return process(read_pdf(scan), ["structure", "notes"])


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
def test_scanned_article_recovers_structure_like_its_text_pdf(scanned_article):
    doc = scanned_article
    assert doc.meta["pdf"]["ocr_pages"] == [1, 2]
    abstracts = {b.lang: doc.clean(b).text for b in doc.blocks("abstract")}
    assert sorted(abstracts) == ["az", "en", "ru"]
    assert abstracts["en"].startswith("The article examines") and abstracts["en"].endswith("documents.")
    # headings are told by their weight, read from the pixels
    assert [doc.clean(b).text for b in doc.blocks("heading")] == ["Giriş", "Birinci Türkiyə dövrü"]
    notes = {b.attrs["n"]: doc.clean(b).text for b in doc.blocks("footnote")}
    assert sorted(notes) == [1, 2, 3]
    assert notes[2].startswith("Mirzə Bala") and "1992" in notes[2]
    # markers are raised digits in the scan: found in the pixels, linked to their notes
    assert [m.attrs["n"] for m in doc.layer("marker")] == [1, 2, 3]
    assert [doc.text(s) for s in doc.layer("pdf_superscript")] == ["1", "2", "3"]
    # the running headers and page numbers stay out of the text
    for block in doc.blocks("paragraph", "footnote"):
        assert "Tarix və onun problemləri" not in doc.clean(block).text


def test_x_height_too_high_is_measured_again_in_the_pixels():
    pixels, line = _line_image([("40 Айдын Балаев. Мамед Эмин Расулзаде (1884-1955). Москва, 2009", False)])
    true = line.x_height
    inflated = dataclasses.replace(line, x_height=1.3 * true)
    assert measure_x_height(pixels, inflated).x_height == pytest.approx(true, abs=2)
    # a measure above tesseract's is quotation marks and capitals joining the band: it stands
    low = dataclasses.replace(line, x_height=0.9 * true)
    assert measure_x_height(pixels, low).x_height == low.x_height


def test_word_box_run_on_over_dirt_is_cut_to_the_ink():
    pixels, line = _line_image([("etməmişdi.", False)])
    word = line.words[0]
    inked = np.flatnonzero(pixels.any(axis=0))
    pixels[100:102, word.x1 + 20:word.x1 + 22] = True  # a speck of dirt beside the word
    run_on = dataclasses.replace(word, x1=word.x1 + 30)
    trimmed = trim_to_ink(pixels, run_on, line.x_height)
    assert (trimmed.x0, trimmed.x1) == (inked[0], inked[-1] + 1)
    dirt = dataclasses.replace(word, x0=word.x1 + 15, x1=word.x1 + 30)
    assert trim_to_ink(pixels, dirt, line.x_height) is None
