"""Test PDFs made on the fly with reportlab (text layer) and Pillow (scanned pages).

The article is laid out like a journal page: justified lines whose words are placed one by one
(as word processors write them, with no space glyphs), superscript footnote markers in smaller
raised type, footnotes in smaller type under a short rule at the page foot, a running header at
the top and the page number at the foot; or, as many journals set it, the body in two columns
under a full-width title and abstracts. Text uses DejaVu Sans, which has the Azerbaijani and
Cyrillic letters.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 70.0, 70.0, 80.0, 70.0
BODY, BODY_LEADING = 11.0, 14.0
NOTE, NOTE_LEADING = 8.5, 10.5
SUP = 7.0
MARKER = re.compile(r"\{(\d+)\}")  # "idi.{1}" in the texts below: a superscript marker


def register_fonts() -> None:
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


@dataclass
class Para:
    text: str
    font: str = REGULAR
    size: float = BODY
    leading: float = BODY_LEADING
    indent: float = 0.0  # first-line indent
    space_before: float = 0.0


# The article: front matter, abstracts with labels, headings, body with markers, footnotes.
PAGE1 = [
    Para("MÜHACİRƏT MƏTBUATI VƏ QAFQAZ İDEYASI", BOLD, 14, 18),
    Para("Aygün Həsənova*", BOLD, space_before=6),
    Para("*AMEA A.A.Bakıxanov adına Tarix və Etnologiya İnstitutu"),
    Para("ORCID: 0000-0002-1234-5678; e-mail: aygun.hasanova@example.az"),
    Para("Xülasə: Məqalə iyirminci illərdə İstanbulda nəşr olunan mühacirət jurnallarına həsr "
         "olunmuşdur. Müəllif jurnalların siyasi xəttini və Qafqaz birliyi ideyasının yayılmasını "
         "arxiv sənədləri əsasında araşdırır.", space_before=8),
    Para("Açar sözlər: mühacirət, mətbuat, Qafqaz birliyi, İstanbul"),
    Para("Abstract: The article examines the émigré journals published in Istanbul in the "
         "nineteen-twenties. The author traces their political line and the spread of the idea "
         "of Caucasian unity on the basis of archival documents.", space_before=6),
    Para("Keywords: emigration, press, Caucasian unity, Istanbul"),
    Para("Резюме: Статья посвящена эмигрантским журналам, издававшимся в Стамбуле в двадцатые "
         "годы. Автор прослеживает их политическую линию и распространение идеи кавказского "
         "единства на основе архивных документов.", space_before=6),
    Para("Ключевые слова: эмиграция, печать, кавказское единство, Стамбул"),
    Para("Giriş", BOLD, space_before=10),
    Para("Mühacirət mətbuatının tarixi uzun müddət sovet tarixşünaslığında susdurulmuşdur. Bu "
         "jurnallar mühacirlərin yeganə tribunası idi.{1} Onların nəşri çətin maliyyə şəraitində "
         "davam edirdi.", indent=20),
    Para("Jurnalların redaksiyası kiçik bir qrup ziyalıdan ibarət idi və onlar hər nömrəni öz "
         "vəsaitləri hesabına çap etdirirdilər. Oxucuların sayı az olsa da, jurnallar Avropanın "
         "bir çox şəhərinə göndərilirdi, mühacir təşkilatları onları diqqətlə izləyirdi və "
         "məqalələr başqa dillərə tərcümə olunurdu.", indent=20),
]
PAGE1_NOTES = ["{1}Тамара Красовицкая. Национальные элиты как социокультурный феномен советской "
               "государственности. Москва, 2007, с.35."]
PAGE2 = [
    Para("Birinci Türkiyə dövrü", BOLD, space_before=10),
    Para("Müəllifin fikrincə, “jurnal mühacirətin vahid səsi olmalıdır”.{2} Bu çağırış 1923-cü "
         "ildə də təkrar edildi.{3} Lakin fikir ayrılıqları jurnalların birləşməsinə mane oldu.",
         indent=20),
]
PAGE2_NOTES = ["2 Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, 1992, s.181.",
               "3 Ahmet Karaca. Azerbaycan’ın Yakın Tarihine Kısa Bir Bakış. Ankara, 1982, s.23-24; "
               "Səbahəddin Şimşir. Azerbaycanın istiklal mücadelesi. İstanbul, 2006, s.39."]
HEADER_1 = "Tarix və onun problemləri, 2024, №2"
HEADER_2 = "Aygün Həsənova                    Mühacirət mətbuatı və Qafqaz ideyası"
# Lines of the page-1 paragraph that runs on to page 2 (the last paragraph of PAGE1).
RUN_ON_LINES = 2


def _tokens(text: str) -> list[tuple[str, str | None]]:
    """Words with their glued superscript marker, if any: ("idi.", "1")."""
    out = []
    for word in text.split():
        found = MARKER.search(word)
        out.append((MARKER.sub("", word), found.group(1) if found else None))
    return out


def _width(token: tuple[str, str | None], font: str, size: float) -> float:
    word, marker = token
    return pdfmetrics.stringWidth(word, font, size) + (pdfmetrics.stringWidth(marker, REGULAR, SUP) if marker else 0)


def wrap(text: str, font: str, size: float, width: float, indent: float = 0.0) -> list[list[tuple[str, str | None]]]:
    space = pdfmetrics.stringWidth(" ", font, size)
    lines: list[list[tuple[str, str | None]]] = [[]]
    used = indent
    for token in _tokens(text):
        w = _width(token, font, size)
        if lines[-1] and used + space + w > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0) + w
        lines[-1].append(token)
    return lines


def draw_line(c: canvas.Canvas, tokens, x: float, y: float, font: str, size: float, width: float,
              justify: bool) -> None:
    """Words placed one by one; a justified line spreads them to the full width."""
    widths = [_width(t, font, size) for t in tokens]
    space = pdfmetrics.stringWidth(" ", font, size)
    if justify and len(tokens) > 1:
        space = (width - sum(widths)) / (len(tokens) - 1)
    for (word, marker), w in zip(tokens, widths):
        c.setFont(font, size)
        c.drawString(x, y, word)
        if marker:
            c.setFont(REGULAR, SUP)
            c.drawString(x + pdfmetrics.stringWidth(word, font, size), y + 0.4 * size, marker)
        x += w + space


def draw_paragraph(c: canvas.Canvas, para: Para, y: float, start: int = 0, stop: int | None = None,
                   left: float = LEFT, width: float = PAGE_W - LEFT - RIGHT) -> float:
    """Draw lines ``start:stop`` of ``para`` from baseline ``y`` in the measure ``left``..``left +
    width``; returns the next baseline."""
    lines = wrap(para.text, para.font, para.size, width, para.indent)
    for i in range(start, len(lines) if stop is None else stop):
        indent = para.indent if i == 0 else 0.0
        draw_line(c, lines[i], left + indent, y, para.font, para.size, width - indent, justify=i < len(lines) - 1)
        y -= para.leading
    return y


NoteLine = tuple[str | None, list[tuple[str, str | None]], bool]  # raised number, words, a note's last line


def note_lines(notes: list[str], width: float) -> list[NoteLine]:
    """The lines of the notes ("{1}Text" or "1 Text") wrapped to ``width``, room left for a
    raised number."""
    lines: list[NoteLine] = []
    for note in notes:
        number = MARKER.match(note)
        room = number_room(number.group(1)) if number else 0.0
        wrapped = wrap(note[number.end():] if number else note, REGULAR, NOTE, width - room)
        lines += [(number.group(1) if number and i == 0 else None, tokens, i == len(wrapped) - 1)
                  for i, tokens in enumerate(wrapped)]
    return lines


def number_room(number: str) -> float:
    """The room a raised note number takes before its note's text: at least 6 pt, and never
    so little that the number touches the first letter (as no journal sets it)."""
    return max(6.0, pdfmetrics.stringWidth(number, REGULAR, SUP) + 1.5)


def draw_note_lines(c: canvas.Canvas, lines: list[NoteLine], rule: bool, left: float, width: float) -> None:
    """Note lines in small type at the page foot, above the page number, under a short rule."""
    y = BOTTOM + NOTE_LEADING * (len(lines) - 1)
    if rule:
        c.setLineWidth(0.5)
        c.line(left, y + NOTE_LEADING + 2, left + min(150, width / 2), y + NOTE_LEADING + 2)
    for number, tokens, last in lines:
        x = left
        if number:
            # "{1}Text": the note number raised, as word processors set it
            c.setFont(REGULAR, SUP)
            c.drawString(left, y + 0.4 * NOTE, number)
            x += number_room(number)
        draw_line(c, tokens, x, y, REGULAR, NOTE, width - (x - left), justify=not last)
        y -= NOTE_LEADING


def draw_notes(c: canvas.Canvas, notes: list[str], rule: bool, left: float = LEFT,
               width: float = PAGE_W - LEFT - RIGHT) -> None:
    """Footnotes in small type at the page foot, above the page number, under a short rule."""
    draw_note_lines(c, note_lines(notes, width), rule, left, width)


def draw_furniture(c: canvas.Canvas, header: str, page_number: int) -> None:
    c.setFont(REGULAR, 9)
    c.drawString(LEFT, PAGE_H - 40, header)
    c.drawCentredString(PAGE_W / 2, 35, str(page_number))


def make_article(path: Path, *, rule: bool = True, encrypt: str | None = None) -> Path:
    """The two-page article: front matter and abstracts, headings, a paragraph running across the
    page break, three markers and footnotes (numbers raised on page 1, plain on page 2)."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), encrypt=encrypt, invariant=1)
    draw_furniture(c, HEADER_1, 21)
    y = PAGE_H - TOP
    for para in PAGE1[:-1]:
        y = draw_paragraph(c, para, y - para.space_before)
    run_on = PAGE1[-1]
    draw_paragraph(c, run_on, y, stop=RUN_ON_LINES)
    draw_notes(c, PAGE1_NOTES, rule)
    c.showPage()
    draw_furniture(c, HEADER_2, 22)
    y = draw_paragraph(c, run_on, PAGE_H - TOP, start=RUN_ON_LINES)
    for para in PAGE2:
        y = draw_paragraph(c, para, y - para.space_before)
    draw_notes(c, PAGE2_NOTES, rule)
    c.showPage()
    c.save()
    return path


# -- two columns -------------------------------------------------------------------------------

GUTTER = 18.0
COLUMN_W = (PAGE_W - LEFT - RIGHT - GUTTER) / 2
# A journal's first page: title, author and abstracts across the page, then the body in two
# columns; footnotes at the page foot, across it or under each column.
TWO_COLUMN_TOP = [
    Para("QAFQAZ MÜHACİRƏTİNİN AVROPA MƏTBUATI", BOLD, 14, 18),
    Para("Rauf Məmmədov*", BOLD, space_before=6),
    Para("*Bakı Dövlət Universiteti, Tarix fakültəsi"),
    Para("Xülasə: Məqalədə iki dünya müharibəsi arasında Varşava, Paris və Berlində nəşr olunan "
         "Qafqaz mühacirət jurnalları araşdırılır. Müəllif onların redaksiya siyasətini və oxucu "
         "dairəsini arxiv materialları əsasında təhlil edir.", space_before=8),
    Para("Açar sözlər: mühacirət, jurnal, Varşava, Paris"),
    Para("Abstract: The article studies the Caucasian émigré journals published in Warsaw, Paris "
         "and Berlin between the two world wars. The author analyses their editorial policy and "
         "readership on the basis of archival materials.", space_before=6),
    Para("Keywords: emigration, journal, Warsaw, Paris"),
]
TWO_COLUMN_BODY = [
    Para("Giriş", BOLD, space_before=10),
    Para("Qafqaz mühacirətinin mətbuatı iki dünya müharibəsi arasındakı dövrdə Avropanın bir neçə "
         "paytaxtında formalaşmışdır. Mühacirlər öz jurnallarında vətənlərinin müstəqilliyi ideyasını "
         "müdafiə edir, sovet rejiminin siyasətini tənqid edirdilər.{1} Bu nəşrlərin əksəriyyəti "
         "kiçik tirajla çıxırdı.", indent=15),
    Para("Varşavada nəşr olunan “Prometey” jurnalı Qafqaz, Ukrayna və Türküstan mühacirlərini bir "
         "araya gətirən ən mühüm tribuna idi. Jurnalın redaksiya heyətinə müxtəlif xalqların "
         "nümayəndələri daxil idi və hər nömrədə onların məqalələri dərc olunurdu.{2} Redaksiya "
         "Polşa hökumətindən müəyyən maddi dəstək alırdı, lakin bu dəstək heç vaxt kifayət etmirdi "
         "və jurnalın hər nömrəsi böyük çətinliklə çapa hazırlanırdı.", indent=15),
    Para("Parisdə çıxan qəzet və bülletenlər isə daha çox Fransa ictimaiyyətinə ünvanlanırdı. Onlar "
         "fransız dilində yazılır, Millətlər Cəmiyyətinin iclaslarından əvvəl diplomatlara "
         "göndərilirdi.{3} Bu fəaliyyət mühacirlərə Avropa siyasətçiləri ilə əlaqə yaratmağa imkan "
         "verirdi. Bülletenlərin bəzi nömrələri ingilis və alman dillərinə də tərcümə olunur, "
         "Londonda və Cenevrədə yayılırdı.", indent=15),
    Para("Berlin dövrü", BOLD, space_before=10),
    Para("Otuzuncu illərin ortalarında mühacir mərkəzlərinin bir hissəsi Berlinə köçdü. Burada nəşr "
         "olunan jurnal əvvəlki ənənəni davam etdirsə də, onun oxucu dairəsi xeyli daralmışdı.{4} "
         "Müharibənin başlanması ilə bu nəşrlərin əksəriyyəti dayandırıldı.", indent=15),
]
TWO_COLUMN_NOTES = [
    "{1}Айдын Балаев. Азербайджанская эмиграция в Европе. Москва, 2013, с.112.",
    "{2}Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, 1992, s.95.",
    "{3}Ahmet Karaca. Kafkas muhacirleri ve Avrupa. Ankara, 1998, s.41-42.",
    "{4}Georg von Mende. Der nationale Kampf der Russlandtürken. Berlin, 1936, S.17.",
]
# The article's last page: its closing paragraph fills the left column and runs a few lines
# into the right one.
TWO_COLUMN_END = [
    Para("Nəticə", BOLD),
    Para("Beləliklə, Qafqaz mühacirətinin jurnalları iki müharibə arasındakı illərdə xalqların "
         "müstəqillik ideyasını qoruyub saxlayan yeganə açıq tribuna olmuşdur. Onların səhifələrində "
         "dərc olunan məqalələr, sənədlər və xatirələr bu gün də tədqiqatçılar üçün əvəzsiz mənbədir. "
         "Mühacir jurnalistlərinin adları uzun illər unudulsa da, onların irsi indi yenidən "
         "öyrənilir.{5} Bu irsin sistemli şəkildə toplanması və nəşri gələcək araşdırmaların əsas "
         "vəzifəsidir, çünki arxivlərdə hələ də oxunmamış çoxlu sənəd qalır.", indent=15),
]
END_COLUMN_LINES = 10
TWO_COLUMN_END_NOTES = ["{5}Səbahəddin Şimşir. Azerbaycanın istiklal mücadelesi. İstanbul, 2006, s.39."]
# Room kept at the page foot for the notes, whichever way they are set.
NOTE_ROOM = 9 * NOTE_LEADING


def flow_columns(c: canvas.Canvas, paras: list[Para], top: float, bottom: float,
                 right_drop: float = 0.0) -> dict[int, list[str]]:
    """Set ``paras`` in two columns from baseline ``top`` down to ``bottom``, the left column
    first, the right one starting ``right_drop`` lower (its lines out of step with the left
    one's); returns the footnote numbers set in each column (1 left, 2 right)."""
    column, y = 1, top
    markers: dict[int, list[str]] = {1: [], 2: []}
    for para in paras:
        if y < top:
            y -= para.space_before
        lines = wrap(para.text, para.font, para.size, COLUMN_W, para.indent)
        for i, tokens in enumerate(lines):
            if y < bottom:
                if column == 2:
                    raise ValueError("the text does not fit in two columns")
                column, y = 2, top - right_drop
            indent = para.indent if i == 0 else 0.0
            left = LEFT + (column - 1) * (COLUMN_W + GUTTER) + indent
            draw_line(c, tokens, left, y, para.font, para.size, COLUMN_W - indent, justify=i < len(lines) - 1)
            markers[column] += [m for _, m in tokens if m]
            y -= para.leading
    return markers


def draw_column_notes(c: canvas.Canvas, notes: list[str], markers: dict[int, list[str]], layout: str,
                      rule: bool = True) -> None:
    """The notes across the page foot ("page"), each under the column of its marker ("column"),
    or flowing from the left column's foot on into the right one's ("flow")."""
    if layout == "page":
        draw_notes(c, notes, rule)
        return
    if layout == "column":
        parts = {column: note_lines([n for n in notes if MARKER.match(n).group(1) in numbers], COLUMN_W)
                 for column, numbers in markers.items()}
    else:
        lines = note_lines(notes, COLUMN_W)
        split = len(lines) // 2 + 1  # the left column takes one line more: a note breaks there
        parts = {1: lines[:split], 2: lines[split:]}
    for column, lines in parts.items():
        if lines:
            draw_note_lines(c, lines, rule, LEFT + (column - 1) * (COLUMN_W + GUTTER), COLUMN_W)


def make_two_column(path: Path, *, notes: str = "page", rule: bool = True, right_drop: float = 0.0,
                    end_lines: int = END_COLUMN_LINES) -> Path:
    """Two pages set in two columns: page 1 under a full-width title and abstracts, its notes at
    the foot (``notes``: see :func:`draw_column_notes`); page 2 the article's end, the left
    column ``end_lines`` + 1 lines long, the right one the rest."""
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
    draw_furniture(c, HEADER_1, 5)
    y = PAGE_H - TOP
    for para in TWO_COLUMN_TOP:
        y = draw_paragraph(c, para, y - para.space_before)
    markers = flow_columns(c, TWO_COLUMN_BODY, y - 16, BOTTOM + NOTE_ROOM, right_drop)
    draw_column_notes(c, TWO_COLUMN_NOTES, markers, notes, rule)
    c.showPage()
    draw_furniture(c, HEADER_2, 6)
    markers = flow_columns(c, TWO_COLUMN_END, PAGE_H - TOP, PAGE_H - TOP - end_lines * BODY_LEADING, right_drop)
    draw_column_notes(c, TWO_COLUMN_END_NOTES, markers, notes, rule)
    c.showPage()
    c.save()
    return path


# -- scanned pages -----------------------------------------------------------------------------

SCAN_LINES = [
    "Rəsulzadə mühacirətdə jurnallar nəşr etdirirdi.",
    "Он издавал журналы в Стамбуле и Варшаве.",
    "He published journals in Istanbul and Warsaw.",
]
SCAN_NOTE = "1 Mirzə Bala Məmmədzadə. Bakı, 1992, s.181."


def scan_image(lines: list[str], dpi: int = 200, size_pt: float = 12.0, note: str | None = None) -> Image.Image:
    """A small page (A6) of text as a scanner would give it: pixels only; ``note`` in small
    type at the foot."""
    width, height = round(105 / 25.4 * dpi), round(148 / 25.4 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(size_pt * dpi / 72))
    y = round(0.6 * dpi)
    for line in lines:
        draw.text((round(0.4 * dpi), y), line, font=font, fill=0)
        y += round(size_pt * 1.6 * dpi / 72)
    if note:
        small = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(0.7 * size_pt * dpi / 72))
        draw.text((round(0.4 * dpi), height - round(0.8 * dpi)), note, font=small, fill=0)
    return image


def make_scanned(path: Path, lines: list[str] = SCAN_LINES, dpi: int = 200, stamp: str | None = None,
                 note: str | None = None) -> Path:
    """Page 1 with a text layer, page 2 a scanned image with none (but ``stamp``, if given, as
    text at its foot, as archives stamp the scans they serve)."""
    register_fonts()
    w, h = 105 / 25.4 * 72, 148 / 25.4 * 72
    c = canvas.Canvas(str(path), pagesize=(w, h), invariant=1)
    c.setFont(REGULAR, 11)
    c.drawString(30, h - 50, "Mühacirət mətbuatı haqqında qeydlər.")
    c.showPage()
    c.drawImage(ImageReader(scan_image(lines, dpi, note=note)), 0, 0, w, h)
    if stamp:
        c.setFont(REGULAR, 6)
        c.drawString(20, 12, stamp)
    c.showPage()
    c.save()
    return path


def scan_pdf(path: Path, out: Path, dpi: int = 300, turn: float = 0.0, noise: float = 0.0, seed: int = 0) -> Path:
    """``path`` as a scanner gives it back: each page an image in grey at ``dpi``, turned by
    ``turn`` degrees, a ``noise`` share of its pixels flipped (seeded), slightly smoothed; no text."""
    rng = random.Random(seed)
    source = pypdfium2.PdfDocument(str(path))
    c = canvas.Canvas(str(out), invariant=1)
    for page in source:
        width, height = page.get_size()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if turn:
            image = image.rotate(turn, resample=Image.BILINEAR, fillcolor=255)
        if noise:
            pixels = image.load()
            for _ in range(round(noise * image.width * image.height)):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                pixels[x, y] = 255 - pixels[x, y]
            image = image.filter(ImageFilter.SMOOTH)
        c.setPageSize((width, height))
        c.drawImage(ImageReader(image), 0, 0, width, height)
        c.showPage()
    c.save()
    source.close()
    return out
