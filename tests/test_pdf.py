"""PDF input: text-layer pages laid out like extracted text, OCR of scanned pages, bad PDFs.

Every PDF here is made by the test itself (tests/pdfmaker.py): a two-page article with labelled
az/en/ru abstracts, headings, superscript markers, footnotes in small type under a rule at the
page foot, a running header and page numbers; the same kind of article set in two columns
under a full-width title and abstracts (notes across the foot or under each column, columns out
of step, a short right column); one-column pages with wide gaps; a paragraph set by reportlab's
own typesetter with space glyphs; a scanned page; encrypted and broken files.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

import pdfmaker
from polycorpus.errors import InputError, ResourceError
from polycorpus.ocr import TESSERACT_ENV
from polycorpus.pdf import SEPARATOR, read_pdf
from polycorpus.pipeline import build_folder, process
from polycorpus.sources import read_source

HAS_TESSERACT = shutil.which("tesseract") is not None


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="module")
def article(pdf_dir):
    return read_pdf(pdfmaker.make_article(pdf_dir / "hasanova2024.pdf"))


@pytest.fixture(scope="module")
def structured(pdf_dir):
    return process(read_source(pdfmaker.make_article(pdf_dir / "structured.pdf")), ["structure", "notes"])


def layer_texts(doc, name):
    return [doc.text(span) for span in doc.layer(name)]


# the body paragraphs of the two-column article (tests/pdfmaker.py)
COLUMN_PARAS = [p for p in pdfmaker.TWO_COLUMN_BODY + pdfmaker.TWO_COLUMN_END if p.font == pdfmaker.REGULAR]


def printed(text: str) -> str:
    """The text as the page prints it: markers as plain digits, one space between words."""
    return " ".join(pdfmaker.MARKER.sub(r"\1", text).split())


# -- the text layer as extracted text ----------------------------------------------------------

def test_markers_are_glued_to_the_word_before_them(article):
    raw = article.raw
    assert "yeganə tribunası idi.1 Onların nəşri" in raw
    assert "vahid səsi olmalıdır”.2 Bu çağırış 1923-cü" in raw
    assert "təkrar edildi.3 Lakin" in raw
    assert layer_texts(article, "pdf_superscript") == ["1", "2", "3"]


def test_footnotes_follow_a_separator_with_their_numbers(article):
    lines = article.raw.split("\n")
    rules = [i for i, line in enumerate(lines) if line == SEPARATOR]
    assert len(rules) == 2
    # page 1: the note number was set raised; page 2: in plain digits; both come out as "N text"
    assert lines[rules[0] + 1].startswith("1 Тамара Красовицкая. Национальные элиты")
    assert lines[rules[0] + 2] == "государственности. Москва, 2007, с.35."
    assert lines[rules[1] + 1] == "2 Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, 1992, s.181."
    assert lines[rules[1] + 2].startswith("3 Ahmet Karaca.")
    assert lines[rules[1] + 3] == "Azerbaycanın istiklal mücadelesi. İstanbul, 2006, s.39."
    assert lines[rules[0] - 1] == ""  # a blank line between the body and the rule
    zones = article.layer("pdf_footnote_zone")
    assert [z.attrs["page"] for z in zones] == [1, 2]
    assert article.text(zones[0]).startswith(SEPARATOR + "\n1 Тамара")


def test_furniture_stands_alone_at_the_page_margins(article):
    raw = article.raw
    furniture = layer_texts(article, "pdf_furniture")
    assert furniture[0] == pdfmaker.HEADER_1
    assert furniture[1:3] == ["21", "Aygün Həsənova             Mühacirət mətbuatı və Qafqaz ideyası"]
    assert furniture[3] == "22"
    assert raw.startswith(pdfmaker.HEADER_1 + "\n\n\nMÜHACİRƏT MƏTBUATI VƏ QAFQAZ İDEYASI\n")
    # page 1 ends with its notes and page number; page 2 starts with its running header
    assert "с.35.\n\n\n21\n\n\nAygün Həsənova   " in raw
    assert raw.endswith("s.39.\n\n\n22\n")


def test_blocks_paragraphs_and_headings_in_extracted_text_conventions(article):
    raw = article.raw
    # blocks set apart on the page are two empty lines apart; a heading runs into its paragraph
    assert "\n\n\nGiriş\nMühacirət mətbuatının tarixi" in raw
    assert "\n\n\nBirinci Türkiyə dövrü\nMüəllifin fikrincə" in raw
    # an indented first line starts a paragraph within running text: one empty line before it
    assert "davam edirdi.\n\nJurnalların redaksiyası" in raw
    # labelled front units follow each other line by line, as printed
    assert "araşdırır.\nAçar sözlər: mühacirət" in raw
    assert "Aygün Həsənova*\n\n\n*AMEA" in raw  # bold author, regular affiliation: two blocks
    # the paragraph broken by the page goes on after the notes and furniture of page 1
    assert "Oxucuların sayı az olsa da, jurnallar\n\n" + SEPARATOR in raw
    assert "\n\n\nAvropanın bir çox şəhərinə" in raw


def test_meta_records_pages_and_type_sizes(article):
    meta = article.meta["pdf"]
    assert meta["pages"] == 2 and meta["ocr_pages"] == []
    assert meta["body_size"] == pdfmaker.BODY
    assert pdfmaker.NOTE < meta["small_type_below"] < pdfmaker.BODY
    assert [p["footnote_lines"] for p in meta["page_info"]] == [2, 3]
    assert [p["furniture_lines"] for p in meta["page_info"]] == [2, 2]
    assert [p["footnote_rule"] for p in meta["page_info"]] == [True, True]
    pages = article.layer("pdf_pages")
    assert [p.attrs["page"] for p in pages] == [1, 2]
    assert article.text(pages[1]).startswith("Aygün Həsənova")


def test_footnotes_found_by_type_size_without_a_rule(pdf_dir, article):
    plain = read_pdf(pdfmaker.make_article(pdf_dir / "norule.pdf", rule=False))
    assert plain.raw == article.raw
    assert [p["footnote_rule"] for p in plain.meta["pdf"]["page_info"]] == [False, False]


def test_notes_citing_one_book_on_every_page_are_not_running_footers(pdf_dir):
    # the same source at every page foot (digits differ) looks like a running footer; it is not
    pdfmaker.register_fonts()
    path = pdf_dir / "recurring.pdf"
    c = canvas.Canvas(str(path), pagesize=(pdfmaker.PAGE_W, pdfmaker.PAGE_H), invariant=1)
    body = ["Rəsulzadə bu illərdə İstanbulda yaşayırdı.", "Jurnal iki ildən sonra bağlandı.",
            "Komitə Parisdə yeni nəşrə başladı."]
    for page, text in enumerate(body, 1):
        pdfmaker.draw_paragraph(c, pdfmaker.Para(text[:-1] + f".{{{page}}}"), pdfmaker.PAGE_H - pdfmaker.TOP)
        pdfmaker.draw_notes(c, [f"{{{page}}}Айдын Балаев. На чужих берегах. Москва, 2013, с.{60 + page}."], rule=True)
        pdfmaker.draw_furniture(c, pdfmaker.HEADER_2, 20 + page)
        c.showPage()
    c.save()
    doc = read_pdf(path)
    assert layer_texts(doc, "pdf_furniture")[1::2] == ["21", "22", "23"]
    notes = [doc.text(z).splitlines()[1] for z in doc.layer("pdf_footnote_zone")]
    assert notes == [f"{n} Айдын Балаев. На чужих берегах. Москва, 2013, с.{60 + n}." for n in (1, 2, 3)]


def test_soft_hyphen_is_a_hyphen_only_at_the_line_end(pdf_dir):
    pdfmaker.register_fonts()
    path = pdf_dir / "soft.pdf"
    c = canvas.Canvas(str(path), pagesize=(pdfmaker.PAGE_W, pdfmaker.PAGE_H), invariant=1)
    c.setFont(pdfmaker.REGULAR, pdfmaker.BODY)
    c.drawString(70, 700, "Bu təş\u00adkilat mühüm mər\u00ad")
    c.drawString(70, 686, "hələ idi.")
    c.showPage()
    c.save()
    assert read_pdf(path).raw == "Bu təşkilat mühüm mər-\nhələ idi.\n"


def test_a_raised_marker_keeps_the_spaces_of_the_line_above_out(pdf_dir):
    # word processors write spaces as glyphs; a raised marker reaches up into the line above,
    # whose spaces must not land between the letters of the marker's line
    pdfmaker.register_fonts()
    path = pdf_dir / "spaces.pdf"
    style = ParagraphStyle("body", fontName=pdfmaker.REGULAR, fontSize=9.5, leading=12, alignment=TA_JUSTIFY)
    SimpleDocTemplate(str(path), invariant=1).build(
        [Paragraph(pdfmaker.MARKER.sub(r"<super>\1</super>", p.text), style) for p in COLUMN_PARAS[:3]])
    text = " ".join(read_pdf(path).raw.split())
    assert text == " ".join(printed(p.text) for p in COLUMN_PARAS[:3])


def test_pdf_without_user_password_reads(pdf_dir, article):
    # an owner password restricts printing or copying, not opening: such PDFs are common
    path = pdfmaker.make_article(pdf_dir / "owner.pdf",
                                 encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    assert read_pdf(path).raw == article.raw


# -- structure recovery on the PDF ---------------------------------------------------------------

def test_structure_recovers_abstracts_by_language(structured):
    doc = structured
    abstracts = {b.lang: doc.clean(b).text for b in doc.blocks("abstract")}
    assert sorted(abstracts) == ["az", "en", "ru"]
    assert abstracts["az"].startswith("Məqalə iyirminci illərdə") and abstracts["az"].endswith("araşdırır.")
    assert abstracts["en"].startswith("The article examines") and abstracts["en"].endswith("documents.")
    assert abstracts["ru"].startswith("Статья посвящена") and abstracts["ru"].endswith("документов.")
    keywords = {b.lang: doc.clean(b).text for b in doc.blocks("keywords")}
    assert keywords == {"az": "mühacirət, mətbuat, Qafqaz birliyi, İstanbul",
                        "en": "emigration, press, Caucasian unity, Istanbul",
                        "ru": "эмиграция, печать, кавказское единство, Стамбул"}
    assert [(b.label, doc.clean(b).text) for b in doc.blocks("title", "author")] == [
        ("title", "MÜHACİRƏT MƏTBUATI VƏ QAFQAZ İDEYASI"), ("author", "Aygün Həsənova")]
    assert [doc.clean(b).text for b in doc.blocks("heading")] == ["Giriş", "Birinci Türkiyə dövrü"]


def test_structure_numbers_footnotes_and_links_markers(structured):
    doc = structured
    notes = {b.attrs["n"]: doc.clean(b).text for b in doc.blocks("footnote")}
    assert sorted(notes) == [1, 2, 3]
    assert notes[1] == ("Тамара Красовицкая. Национальные элиты как социокультурный феномен советской "
                        "государственности. Москва, 2007, с.35.")
    assert notes[3].endswith("Azerbaycanın istiklal mücadelesi. İstanbul, 2006, s.39.")
    markers = [(doc.raw[m.start - 4:m.end], m.attrs["n"]) for m in doc.layer("marker")]
    assert markers == [("idi.1", 1), ("ır”.2", 2), ("ldi.3", 3)]
    # the superscript hints and the markers found from the text alone agree
    assert [(s.start, s.end) for s in doc.layer("pdf_superscript")] == [(m.start, m.end) for m in doc.layer("marker")]
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3]


def test_structure_keeps_furniture_out_of_the_text(structured):
    doc = structured
    furniture = layer_texts(doc, "pdf_furniture")
    for block in doc.blocks("abstract", "keywords", "heading", "paragraph", "footnote"):
        text = doc.clean(block).text
        assert not any(f in text for f in furniture if len(f) > 2), (block.label, text)
        assert not re.search(r"(^|\s)2[12](\s|$)", text), (block.label, text)
    # the paragraph broken by the page is one paragraph, read in two pieces around page 1's foot
    run_on = [b for b in doc.blocks("paragraph") if doc.clean(b).text.startswith("Jurnalların")]
    assert len(run_on) == 1 and len(run_on[0].attrs["pieces"]) == 2
    assert doc.clean(run_on[0]).text.endswith("olsa da, jurnallar Avropanın bir çox şəhərinə göndərilirdi, "
                                              "mühacir təşkilatları onları diqqətlə izləyirdi və məqalələr "
                                              "başqa dillərə tərcümə olunurdu.")


# -- two columns ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_column(pdf_dir):
    return read_pdf(pdfmaker.make_two_column(pdf_dir / "mammadov2024.pdf"))


@pytest.fixture(scope="module")
def two_column_structured(pdf_dir):
    return process(read_source(pdfmaker.make_two_column(pdf_dir / "two-structured.pdf")), ["structure", "notes"])


def body_lines(doc, page: int) -> list[str]:
    """The page's lines between its furniture and its footnote rule, spaces folded."""
    text = doc.text(doc.layer("pdf_pages")[page - 1]).split("\n\n" + SEPARATOR)[0]
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if line and line not in {" ".join(f.split()) for f in layer_texts(doc, "pdf_furniture")}]


def test_two_column_page_reads_top_then_left_column_then_right(two_column):
    meta = two_column.meta["pdf"]
    assert [p["columns"] for p in meta["page_info"]] == [2, 2]
    raw = two_column.raw
    # the full-width title and abstracts come first, whole lines across the page
    assert raw.index("QAFQAZ MÜHACİRƏTİNİN AVROPA MƏTBUATI") < raw.index("Xülasə:") < raw.index("Keywords:") < raw.index("Giriş")
    assert "Xülasə: Məqalədə iki dünya müharibəsi arasında Varşava, Paris və Berlində nəşr\nolunan Qafqaz" in raw
    # every body line holds words of one paragraph only, in their printed order: no line joins
    # the left column to the right
    paragraphs = [printed(p.text) for p in COLUMN_PARAS]
    headings = [p.text for p in pdfmaker.TWO_COLUMN_BODY + pdfmaker.TWO_COLUMN_END if p.font == pdfmaker.BOLD]
    lines = body_lines(two_column, 1) + body_lines(two_column, 2)
    body = lines[lines.index("Giriş"):]
    for line in body:
        assert line in headings or sum(line in p for p in paragraphs) == 1, line
    # read in order, the lines give back each paragraph whole, the one broken by the column too
    text = " ".join(line for line in body if line not in headings)
    assert text == " ".join(paragraphs)
    assert [line for line in body if line in headings] == headings


def test_two_column_structure_keeps_paragraphs_whole_and_links_markers(two_column_structured):
    doc = two_column_structured
    paragraphs = [doc.clean(b).text for b in doc.blocks("paragraph")]
    assert paragraphs == [" ".join(pdfmaker.MARKER.sub("", p.text).split()) for p in COLUMN_PARAS]
    assert [doc.clean(b).text for b in doc.blocks("heading")] == ["Giriş", "Berlin dövrü", "Nəticə"]
    abstracts = {b.lang: doc.clean(b).text for b in doc.blocks("abstract")}
    assert sorted(abstracts) == ["az", "en"] and abstracts["en"].endswith("archival materials.")
    notes = {b.attrs["n"]: doc.clean(b).text for b in doc.blocks("footnote")}
    assert notes == {n + 1: pdfmaker.MARKER.sub("", note)
                     for n, note in enumerate(pdfmaker.TWO_COLUMN_NOTES + pdfmaker.TWO_COLUMN_END_NOTES)}
    markers = [(doc.raw[m.start - 4:m.end], m.attrs["n"]) for m in doc.layer("marker")]
    assert markers == [("lər.1", 1), ("rdu.2", 2), ("rdi.3", 3), ("şdı.4", 4), ("lir.5", 5)]
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]


def test_uneven_columns_read_left_then_the_short_right(two_column):
    # page 2: the closing paragraph fills the left column and ends a few lines down the right
    lines = body_lines(two_column, 2)
    assert lines[0] == "Nəticə"
    assert len(lines) == 1 + len(pdfmaker.wrap(pdfmaker.TWO_COLUMN_END[1].text, pdfmaker.REGULAR,
                                               pdfmaker.BODY, pdfmaker.COLUMN_W, 15))
    assert lines[pdfmaker.END_COLUMN_LINES:pdfmaker.END_COLUMN_LINES + 2] == [
        "irsi indi yenidən öyrənilir.5 Bu irsin", "sistemli şəkildə toplanması və nəşri"]
    assert lines[-1] == "çoxlu sənəd qalır."
    page = two_column.text(two_column.layer("pdf_pages")[1])
    assert "çoxlu sənəd qalır.\n\n" + SEPARATOR + "\n5 Səbahəddin Şimşir." in page


def test_columns_whose_lines_are_out_of_step_read_the_same(pdf_dir, two_column):
    # a heading's space in one column shifts its lines off the other column's: no row of the
    # page has text on both sides of the gutter
    doc = read_pdf(pdfmaker.make_two_column(pdf_dir / "out-of-step.pdf", right_drop=pdfmaker.BODY_LEADING / 2))
    assert [p["columns"] for p in doc.meta["pdf"]["page_info"]] == [2, 2]
    assert body_lines(doc, 1) == body_lines(two_column, 1)
    assert body_lines(doc, 2) == body_lines(two_column, 2)


def test_right_column_of_one_line(pdf_dir):
    doc = read_pdf(pdfmaker.make_two_column(pdf_dir / "one-line.pdf", end_lines=13))
    assert doc.meta["pdf"]["page_info"][1]["columns"] == 2
    lines = body_lines(doc, 2)
    # the right column's line shares its row with the heading over the left column
    assert lines[0] == "Nəticə"
    assert lines[-2:] == ["çünki arxivlərdə hələ də oxunmamış", "çoxlu sənəd qalır."]
    assert " ".join(lines[1:]) == printed(pdfmaker.TWO_COLUMN_END[1].text)


def test_footnotes_under_each_column_join_the_page_foot(pdf_dir, two_column):
    doc = read_pdf(pdfmaker.make_two_column(pdf_dir / "column-notes.pdf", notes="column"))
    assert [p["columns"] for p in doc.meta["pdf"]["page_info"]] == [2, 2]
    assert body_lines(doc, 1) == body_lines(two_column, 1)
    zone = doc.text(doc.layer("pdf_footnote_zone")[0]).splitlines()
    # the left column's notes, then the right column's, each note's lines together
    assert zone[0] == SEPARATOR
    assert [line[:2] for line in zone[1::2]] == ["1 ", "2 ", "3 ", "4 "]
    assert zone[7:] == ["4 Georg von Mende. Der nationale Kampf der", "Russlandtürken. Berlin, 1936, S.17."]
    structured = process(doc, ["structure", "notes"])
    assert [m.attrs["n"] for m in structured.layer("marker")] == [1, 2, 3, 4, 5]
    assert [b.attrs["n"] for b in structured.blocks("footnote")] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("rule", [True, False])
def test_notes_running_on_from_the_left_column_foot_to_the_right(pdf_dir, two_column, rule):
    # note 3 starts at the left column's foot and ends at the right one's, under a rule or not
    doc = read_pdf(pdfmaker.make_two_column(pdf_dir / f"flow-notes-{rule}.pdf", notes="flow", rule=rule))
    assert body_lines(doc, 1) == body_lines(two_column, 1)
    zone = doc.text(doc.layer("pdf_footnote_zone")[0]).splitlines()
    assert zone[5:7] == ["3 Ahmet Karaca. Kafkas muhacirleri ve Avrupa.", "Ankara, 1998, s.41-42."]
    assert [p["footnote_rule"] for p in doc.meta["pdf"]["page_info"]] == [rule, rule]
    structured = process(doc, ["structure", "notes"])
    notes = {b.attrs["n"]: structured.clean(b).text for b in structured.blocks("footnote")}
    assert notes[3] == pdfmaker.MARKER.sub("", pdfmaker.TWO_COLUMN_NOTES[2])
    assert [m.attrs["n"] for m in structured.layer("marker")] == [1, 2, 3, 4, 5]


def test_wide_gaps_in_a_one_column_page_stay_in_their_lines(pdf_dir):
    # a header's two halves, a small table whose columns meet near the page middle, a line
    # with a wide gap across the middle
    pdfmaker.register_fonts()
    path = pdf_dir / "table.pdf"
    c = canvas.Canvas(str(path), pagesize=(pdfmaker.PAGE_W, pdfmaker.PAGE_H), invariant=1)
    pdfmaker.draw_furniture(c, pdfmaker.HEADER_2, 7)
    y = pdfmaker.draw_paragraph(c, COLUMN_PARAS[1], pdfmaker.PAGE_H - pdfmaker.TOP)
    rows = [("1922", "İstanbul, “Yeni Kafkasya” jurnalı"), ("1926", "Paris, “Prometey” bülleteni"),
            ("1936", "Berlin, “Qurtuluş” jurnalı")]
    c.setFont(pdfmaker.REGULAR, pdfmaker.BODY)
    for year, place in rows:
        y -= pdfmaker.BODY_LEADING
        c.drawString(pdfmaker.LEFT + 150, y, year)
        c.drawString(pdfmaker.PAGE_W / 2 + 20, y, place)
    y = pdfmaker.draw_paragraph(c, COLUMN_PARAS[2], y - 2 * pdfmaker.BODY_LEADING)
    # and a table-like line with its halves at the margins, under the text
    c.setFont(pdfmaker.REGULAR, pdfmaker.BODY)
    c.drawString(pdfmaker.LEFT, y - pdfmaker.BODY_LEADING, "Mənbə: Varşava arxivi")
    c.drawRightString(pdfmaker.PAGE_W - pdfmaker.RIGHT, y - pdfmaker.BODY_LEADING, "fond 12, iş 4")
    c.showPage()
    c.save()
    doc = read_pdf(path)
    assert doc.meta["pdf"]["page_info"][0]["columns"] == 1
    assert "Cenevrədə yayılırdı.\n\n\nMənbə: Varşava arxivi   " in doc.raw
    assert "   fond 12, iş 4\n\n\n7\n" in doc.raw
    lines = [" ".join(line.split()) for line in doc.raw.splitlines()]
    assert [line for line in lines if line[:4] in ("1922", "1926", "1936")] == [f"{y} {p}" for y, p in rows]
    assert layer_texts(doc, "pdf_furniture")[0] == "Aygün Həsənova             Mühacirət mətbuatı və Qafqaz ideyası"
    # the text around the table reads as before: whole lines across the page, the table between
    assert "\n\n\nVarşavada nəşr olunan “Prometey” jurnalı Qafqaz, Ukrayna və Türküstan\nmühacirlərini" in doc.raw
    assert "hazırlanırdı.\n\n\n1922   " in doc.raw
    assert "Berlin, “Qurtuluş” jurnalı\n\n\nParisdə çıxan qəzet" in doc.raw


# -- scanned pages -------------------------------------------------------------------------------

@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
def test_scanned_page_is_read_by_ocr(pdf_dir):
    doc = read_pdf(pdfmaker.make_scanned(pdf_dir / "scanned.pdf", note=pdfmaker.SCAN_NOTE))
    meta = doc.meta["pdf"]
    assert meta["ocr_pages"] == [2]
    assert meta["ocr"]["languages"] == "aze+rus+eng" and meta["ocr"]["engine"].startswith("tesseract")
    page1, page2 = doc.layer("pdf_pages")
    assert doc.text(page1) == "Mühacirət mətbuatı haqqında qeydlər."
    assert page2.attrs["ocr"] is True
    body, note = doc.text(page2).split("\n\n" + SEPARATOR + "\n")
    # OCR may drop a letter here and there: most of the key words must come through intact
    words = ["Rəsulzadə", "mühacirətdə", "jurnallar", "издавал", "журналы", "Стамбуле",
             "published", "journals", "Istanbul", "Warsaw"]
    found = [w for w in words if w in body]
    assert len(found) >= 8, body
    assert len(body.splitlines()) == 3
    # the note in small type at the foot of the scan is read as a footnote, with its number
    assert re.match(r"1 Mirz. Bala M.mm.dzad.\. Bak., 1992", note), note
    assert [p["footnote_lines"] for p in meta["page_info"]] == [0, 1]


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
def test_stamped_scan_is_still_ocred(pdf_dir):
    stamp = "Downloaded from archive.example.org on 2024-05-01"
    doc = read_pdf(pdfmaker.make_scanned(pdf_dir / "stamped.pdf", stamp=stamp, lines=pdfmaker.SCAN_LINES[2:]))
    assert doc.meta["pdf"]["ocr_pages"] == [2]
    assert "published journals" in doc.text(doc.layer("pdf_pages")[1])


def test_scanned_page_without_tesseract_asks_for_it(pdf_dir, monkeypatch):
    path = pdfmaker.make_scanned(pdf_dir / "needs-ocr.pdf")
    expected = (f"{path}: page 2 has no text layer and needs OCR; "
                "install tesseract-ocr (tesseract-ocr-aze, -rus, -eng)")
    with pytest.raises(InputError) as err:
        read_pdf(path, tesseract=str(pdf_dir / "no-such-tesseract"))
    assert str(err.value) == expected
    # the command line reaches the reader through read_source: the variable points it elsewhere
    monkeypatch.setenv(TESSERACT_ENV, str(pdf_dir / "no-such-tesseract"))
    with pytest.raises(InputError) as err:
        read_source(path)
    assert str(err.value) == expected


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
def test_missing_ocr_language_names_its_package(pdf_dir):
    with pytest.raises(ResourceError) as err:
        read_pdf(pdfmaker.make_scanned(pdf_dir / "lang.pdf"), languages=("aze", "xyz"))
    assert str(err.value).endswith("tesseract has no language data for xyz; install tesseract-ocr-xyz")


# -- bad PDFs ------------------------------------------------------------------------------------

def _encrypted(path: Path) -> None:
    pdfmaker.make_article(path, encrypt="secret")


def _truncated(path: Path) -> None:
    data = pdfmaker.make_article(path).read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _renamed_text(path: Path) -> None:
    path.write_text("Xülasə: this is a text file with a .pdf name.\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Nothing >> endobj\nno xref here\n%%EOF\n")


@pytest.mark.parametrize("make, problem", [
    (_encrypted, "encrypted PDF: it cannot be opened without a password"),
    (_truncated, "truncated PDF (no %%EOF at the end of the file)"),
    (_renamed_text, "not a PDF (no %PDF- header); is it another file type renamed .pdf?"),
    (_empty, "empty file"),
    (_garbage, "broken PDF"),
])
def test_bad_pdf_gets_one_line_naming_file_and_problem(tmp_path, make, problem):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(InputError) as err:
        read_source(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {problem}")


def test_folder_build_reports_bad_pdfs_and_builds_the_rest(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    pdfmaker.make_article(folder / "good.pdf")
    _encrypted(folder / "locked.pdf")
    _truncated(folder / "cut.pdf")
    report = build_folder(folder, tmp_path / "build", ["structure", "notes"])
    assert report.built == ["good.pdf"]
    assert [f.split(": ", 1)[1] for f in report.failures] == [
        "truncated PDF (no %%EOF at the end of the file)",
        "encrypted PDF: it cannot be opened without a password"]
    assert sorted(p.name for p in (tmp_path / "build").iterdir() if p.is_dir()) == ["good"]
    assert (tmp_path / "build" / "good" / "citations.json").exists()
    # the extracted text every offset points into lies beside the outputs
    built = json.loads((tmp_path / "build" / "good" / "document.json").read_text(encoding="utf-8"))
    extracted = (tmp_path / "build" / "good" / "extracted.txt").read_text(encoding="utf-8")
    assert extracted == built["raw"] and "Xülasə" in extracted
