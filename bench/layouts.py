"""Layout robustness: every development article re-laid out in many random page layouts, built and scored.

    python bench/layouts.py [--layouts N] [--seed S] [--show K] [DOC ...]

From an article's gold (``tests/data/gold/<doc>/``) and raw text (``corpus/raw``) the generator
takes the article's content (front sections per language, headings, body sentences with the
note each one carries, notes or reference-list entries, in-text brackets) and sets it again as
pdftotext would print a page layout drawn at random: line width, hyphenation, page length,
paragraph breaks; running headers (none, one, alternating on even/odd pages), page numbers
(``22``, ``- 22 -``, ``Səh. 22``, ``с. 22``, ``p. 22``, inline left or right of the header,
on a line above or below it, or at the foot), with or without blank lines around them; note
separators (a long run of spaces, underscores, a short rule, blank lines, nothing); markers
(glued digits, superscript digits, a digit after a space, ``*``/``†`` restarting on every
page); notes running on to the next page; abstract order, place (all at the start, or the other
languages after the body), labels (every variant of ``labels.json``'s languages, with or
without a colon, on a line of their own); reference entries numbered ``N.``, ``N)``, ``[N]`` or
glued; and a broken font (a quarter of the layouts: every letter of a legacy Azerbaijani font
table of ``structure.mojibake``, the same length, so offsets hold). Every gold offset is carried through the generator, so each layout comes with its exact
gold. Each layout is built with the ``structure`` and ``notes`` stages and scored:

- notes: notes or reference-list entries found with their exact raw span;
- markers: markers found with their exact span and linked to the note of the right span (for a
  reference list: brackets with their exact span and cited numbers);
- headings, abstracts: a block of that kind with the gold's exact span (and language);
- sentence F1: exact raw spans of polycorpus's sentences (and one per note) against the gold;
- perfect: layouts where every note and marker is right.

Rows are per value of each transform family (a layout counts under each of its values), then
the total. The same seed gives the same layouts.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from polycorpus.document import Document
from polycorpus.evaluate.base import Counts, Signature, file_hash, set_counts, text_table
from polycorpus.pipeline import process
from polycorpus.segment import Segmenters, make_segmenter, sentence_spans
from polycorpus.structure.mojibake import corrupt, tables

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT / "tests" / "data" / "gold"
LABELS = json.loads((ROOT / "src" / "polycorpus" / "data" / "structure" / "labels.json").read_text("utf-8"))
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# note signs, numbered from 1 on every page: stars (*, **, ***) or the printers' order of signs
SIGNS = {"stars": [("*" * k) for k in range(1, 9)], "daggers": list("*†‡§‖¶")}
PAGE_NUMBERS = ["{n}", "- {n} -", "— {n} —", "Səh. {n}", "с. {n}", "p. {n}"]
JOURNALS = ["Tarix və onun problemləri, №{i}, {y}", "Вестник Бакинского университета, №{i}, {y}",
            "Journal of Caucasian Studies, Vol. {i}, {y}", "Elmi əsərlər, {y}, №{i}"]


# ---------------------------------------------------------------- the article's content

@dataclass
class Sentence:
    id: str
    lang: str
    part: str
    text: str  # white space folded, soft hyphens at line ends undone
    inner: list[tuple[int, int, tuple]] = field(default_factory=list)  # spans in text: in-text brackets
    marker: int | None = None  # the note whose marker follows the sentence
    before: str = ""  # note marks printed at the edges (author*, *affiliation)
    after: str = ""


@dataclass
class Article:
    name: str
    front: list[list[Sentence]]  # one section per language: title, front lines, abstract, keywords
    body: list[Sentence]  # headings and body sentences in reading order
    notes: list[tuple[int, str]]  # footnotes (n, text), or reference entries
    references: Sentence | None  # the reference list's heading, if the article has one
    reference_sentences: dict = field(default_factory=dict)


def _fold(raw: str, start: int, end: int, outside: set[int]) -> tuple[str, list[int]]:
    """The span's text with white space runs folded to one space and soft line-end hyphens undone,
    and the raw offset of each kept character; the raw offsets ``outside`` (page furniture and
    notes printed inside a sentence broken by a page) count as white space."""
    text, offsets = [], []
    # the sentence's first and last lines are its own
    inside = range(raw.find("\n", start, end) + 1 or end, raw.rfind("\n", start, end) + 1)
    outside = {i for i in outside if i in inside}
    i = start
    while i < end:
        ch = raw[i]
        if ch.isspace() or i in outside:
            j = i
            while j < end and (raw[j].isspace() or j in outside):
                j += 1
            hyphen = text and text[-1] == "-" and "\n" in raw[i:j]
            if hyphen and len(text) > 1 and text[-2].isalpha() and j < end and raw[j].islower():
                text.pop()
                offsets.pop()
            elif text:
                text.append(" ")
                offsets.append(i)
            i = j
            continue
        if ch == "-" and raw[i + 1:i + 2] == "\n" and text and text[-1].isalpha() and raw[i + 2:i + 3].islower():
            i += 2
            continue
        text.append(ch)
        offsets.append(i)
        i += 1
    return "".join(text).strip(), offsets


def _not_sentence_text(raw: str, items: list[dict]) -> set[int]:
    """Raw offsets of the lines that are no sentence's text though a sentence broken by a page
    spans them: the page's notes (by the gold) and its furniture (short lines set apart by blank
    lines; the generator does not use polycorpus's own furniture finder, which it measures)."""
    lines = raw.split("\n")
    starts, offset = [], 0
    for text in lines:
        starts.append(offset)
        offset += len(text) + 1
    outside: set[int] = set()
    for k, text in enumerate(lines):
        isolated = 0 < k < len(lines) - 1 and not lines[k - 1].strip() and not lines[k + 1].strip()
        if isolated and text.strip() and len(text.split()) <= 12:
            outside.update(range(starts[k], starts[k] + len(text)))
    for item in items:
        if "in_text" in item:
            continue
        first = starts[bisect_right(starts, item["start"]) - 1]
        outside.update(range(first, item["end"]))
    return outside


def load_article(raw_path: Path, gold_dir: Path) -> Article:
    raw = raw_path.read_text("utf-8")
    records = sorted((json.loads(line) for line in (gold_dir / "sentences.jsonl").open(encoding="utf-8")),
                     key=lambda r: r["start"])
    items = json.loads((gold_dir / "citations.json").read_text("utf-8"))
    brackets = defaultdict(list)
    for item in items:
        for t in item.get("in_text", []):
            brackets[t["start"], t["end"]].append(item["n"])
    outside = _not_sentence_text(raw, items)
    sentences = []
    for r in records:
        if r["part"] == "footnote":
            continue
        text, offsets = _fold(raw, r["start"], r["end"], outside)
        s = Sentence(r["id"], r["lang"], r["part"], text)
        for (b_start, b_end), numbers in brackets.items():
            if r["start"] <= b_start < r["end"]:
                s.inner.append((offsets.index(b_start), offsets.index(b_end - 1) + 1, tuple(numbers)))
        s.before = raw[r["start"] - 1] if raw[r["start"] - 1:r["start"]] in ("*", "†") else ""
        s.after = raw[r["end"]] if raw[r["end"]:r["end"] + 1] in ("*", "†") else ""
        sentences.append(s)
    front: list[list[Sentence]] = []
    body: list[Sentence] = []
    for s in sentences:
        if s.part in ("title", "front", "abstract", "keywords") and not body:
            if not front or front[-1][-1].lang != s.lang or (s.part == "title" and front[-1][-1].part != "title"):
                front.append([])
            front[-1].append(s)
        elif s.part in ("heading", "body"):
            body.append(s)
        # abstracts printed after the body are moved to the front: the generator places them
        elif s.part in ("title", "front", "abstract", "keywords"):
            if not front[-1] or front[-1][-1].lang != s.lang:
                front.append([])
            front[-1].append(s)
    in_text = any(item.get("in_text") for item in items)
    references = None
    if in_text:
        first_entry = min(item["start"] for item in items)
        by_start = {s.id: r for s, r in zip(sentences, (r for r in records if r["part"] != "footnote"))}
        heads = [s for s in body if s.part == "heading" and by_start[s.id]["start"] < first_entry]
        references = heads[-1]
        body.remove(references)
    else:  # each note's marker follows a body sentence: "idi.1", "edir”. 8"
        expected = 1
        for s, r in zip(sentences, (r for r in records if r["part"] != "footnote")):
            found = re.match(r" ?(\d{1,3})(?!\d)", raw[r["end"]:r["end"] + 5])
            if s.part == "body" and found and int(found.group(1)) == expected:
                s.marker = expected
                expected += 1
    notes = [(item["n"], " ".join(item["raw"].split())) for item in items]
    return Article(raw_path.stem, front, body, notes, references)


# ---------------------------------------------------------------- a random layout

@dataclass
class Layout:
    width: int
    hyphenate: float  # chance that a long word is broken at a line end
    page_lines: int
    paragraph: str  # blank | indent | both
    header: str  # none | same | alternate | journal
    page_number: str  # none | a format of PAGE_NUMBERS
    number_place: str  # inline-left | inline-right | above | below | foot
    furniture_gap: int  # blank lines around the furniture
    separator: str  # spaces | underscores | short | blank | none
    marker: str  # glued | superscript | space | stars | daggers (signs restarting on every page)
    note_number: str  # spaced | glued (the number at the note's start)
    run_on: float  # chance that a page's last note runs on to the next page
    front_place: str  # start | end (other languages after the body)
    front_order: list[int]
    labels: dict[str, tuple[str, str]]  # lang -> (abstract label, keywords label)
    colon: bool
    bare_label: bool  # the abstract's label on a line of its own
    author_all: bool  # the author block in every language section
    entry: str  # {n}. | {n}) | [{n}] | glued
    first_page: int

    def families(self) -> dict[str, str]:
        """The transform families and this layout's value in each (the bench's rows)."""
        return {"width": "narrow" if self.width < 70 else "wide" if self.width > 95 else "medium",
                "hyphenation": "none" if self.hyphenate == 0 else "some" if self.hyphenate < 0.5 else "most",
                "page": "short" if self.page_lines < 40 else "long",
                "header": self.header,
                "page number": "none" if self.page_number == "none" else f"{self.page_number.format(n='22')} {self.number_place}",
                "furniture gap": str(self.furniture_gap),
                "separator": self.separator,
                "marker": self.marker,
                "note number": self.note_number,
                "run-on": "yes" if self.run_on else "no",
                "abstracts": f"{self.front_place}{' +authors' if self.author_all else ''}",
                "labels": ("bare" if self.bare_label else "colon" if self.colon else "no colon"),
                "entries": self.entry.strip() if self.entry.endswith(" ") else self.entry + " glued"}


def random_layout(rng: random.Random, langs: list[str]) -> Layout:
    order = list(range(len(langs)))
    rng.shuffle(order)
    labels = {}
    for lang in sorted(set(langs)):
        abstract = LABELS["abstract"].get(lang, ["Abstract"]) + (LABELS["abstract"]["tr"][:1] if lang == "az" else [])
        keywords = LABELS["keywords"].get(lang, ["Keywords"]) + (LABELS["keywords"]["tr"][:1] if lang == "az" else [])
        labels[lang] = (rng.choice(abstract), rng.choice(keywords))
        if rng.random() < 0.3:
            labels[lang] = (labels[lang][0].upper(), labels[lang][1])
    return Layout(
        width=rng.randint(55, 110), hyphenate=rng.choice([0, 0.3, 0.9]), page_lines=rng.randint(30, 60),
        paragraph=rng.choice(["blank", "indent", "both"]), header=rng.choice(["none", "same", "alternate", "journal"]),
        page_number=rng.choice(["none"] + PAGE_NUMBERS), number_place=rng.choice(["inline-left", "inline-right", "above", "below", "foot"]),
        furniture_gap=rng.choice([0, 1, 2]), separator=rng.choice(["spaces", "underscores", "short", "blank", "none"]),
        marker=rng.choice(["glued", "superscript", "space", "stars", "daggers"]), note_number=rng.choice(["spaced", "glued"]),
        run_on=rng.choice([0, 0.5]), front_place=rng.choice(["start", "end"]), front_order=order, labels=labels,
        colon=rng.random() < 0.6, bare_label=rng.random() < 0.2, author_all=rng.random() < 0.3,
        entry=rng.choice(["{n}. ", "{n}) ", "[{n}] ", "{n}."]), first_page=rng.randint(1, 300))


# ---------------------------------------------------------------- setting the text

@dataclass(frozen=True)
class Anchor:
    key: tuple  # ("s", id, "start"|"end"), ("note", k, ...), ("marker", n, ...), ("bracket", k, ...)


@dataclass(frozen=True)
class Mark:
    n: int  # a note marker, written when the page is known


Atom = str | Anchor | Mark  # a character, a zero-width anchor, a marker


@dataclass
class Line:
    atoms: list = field(default_factory=list)
    marks: list[int] = field(default_factory=list)  # notes marked on this line
    heading: bool = False  # kept with the text below it (never a page's last line)

    def width(self) -> int:
        return sum(1 if isinstance(a, str) else 2 if isinstance(a, Mark) else 0 for a in self.atoms)


def _atoms(text: str, key: tuple, inner=()) -> list:
    """A sentence's characters with anchors at its edges and around its inner spans."""
    starts = defaultdict(list)
    ends = defaultdict(list)
    for k, (s, e, numbers) in enumerate(inner):
        starts[s].append(Anchor(("bracket", key[1], k, "start", numbers)))
        ends[e].append(Anchor(("bracket", key[1], k, "end", numbers)))
    atoms: list = [Anchor(key + ("start",))]
    for i, ch in enumerate(text):
        atoms += ends[i] + starts[i] + [ch]
    return atoms + ends[len(text)] + [Anchor(key + ("end",))]


def wrap(atoms: list, width: int, rng: random.Random, layout: Layout, indent: str = "",
         hanging: str = "") -> list[Line]:
    """Atoms set in lines of at most ``width`` characters, long words maybe hyphenated."""
    words, word = [], []
    for atom in atoms:
        if atom == " ":
            if word:
                words.append(word)
            word = []
        else:
            word.append(atom)
    if word:
        words.append(word)
    lines = [Line(list(indent))]
    for word in words:
        line = lines[-1]
        size = sum(1 for a in word if isinstance(a, str)) + sum(2 for a in word if isinstance(a, Mark))
        room = width - line.width() - (1 if line.width() > len(indent) else 0)
        if size > room and line.width() > len(hanging or indent):
            letters = [k for k in range(2, len(word) - 2)
                       if all(isinstance(a, str) and a.isalpha() for a in word[k - 2:k + 2])]
            fitting = [k for k in letters if sum(1 for a in word[:k] if isinstance(a, str)) + 1 <= room]
            if fitting and rng.random() < layout.hyphenate:
                k = max(fitting)
                line.atoms += [" "] + word[:k] + ["-"]
                word = word[k:]
            if rng.random() < 0.5:
                line.atoms.append(" ")  # pdftotext keeps a trailing space on many lines
            lines.append(Line(list(hanging)))
            line = lines[-1]
        if line.width() > len(hanging or indent) or (line is not lines[0] and line.width() > len(hanging)):
            line.atoms.append(" ")
        line.atoms += word
    for line in lines:
        line.marks = [a.n for a in line.atoms if isinstance(a, Mark)]
    return lines


def _marker_atoms(n: int, layout: Layout) -> list:
    return ([" "] if layout.marker == "space" else []) + [Anchor(("marker", n, "start")), Mark(n), Anchor(("marker", n, "end"))]


def _text_lines(text: str) -> list[Line]:
    return [Line(list(text))]


@dataclass
class Flow:
    """Lines of the running text (blank lines are empty), and the notes' lines by note number."""
    lines: list[Line] = field(default_factory=list)
    notes: dict[int, list[Line]] = field(default_factory=dict)

    def blank(self, count: int = 1) -> None:
        self.lines += [Line() for _ in range(count)]


def _section(flow: Flow, section: list[Sentence], layout: Layout, rng: random.Random, author: list[Sentence]) -> None:
    lang = section[0].lang
    parts = defaultdict(list)
    for s in section:
        parts[s.part].append(s)
    for s in parts["title"]:
        for piece in wrap(_atoms(s.text, ("s", s.id)), layout.width, rng, layout):
            piece.heading = True  # a title goes with what follows it
            flow.lines.append(piece)
        flow.blank()
    for s in parts["front"] or author:
        if s not in author and parts["front"] and s.part != "front":
            continue
        key = ("s", s.id) if s in parts["front"] else ("copy", s.id)
        lines = wrap(list(s.before) + _atoms(s.text, key) + list(s.after), layout.width, rng, layout)
        for line in lines:
            line.heading = True  # and so do the author block's lines
        flow.lines += lines
        flow.blank()
    abstract_label, keywords_label = layout.labels[lang]
    colon = ":" if layout.colon else ""
    if parts["abstract"]:
        atoms: list = []
        for s in parts["abstract"]:
            atoms += ([" "] if atoms else []) + _atoms(s.text, ("s", s.id))
        if layout.bare_label:
            flow.lines.append(Line(list(abstract_label)))
            flow.lines += wrap(atoms, layout.width, rng, layout)
        else:
            flow.lines += wrap(list(f"{abstract_label}{colon} ") + atoms, layout.width, rng, layout, indent=" ")
        flow.blank()
    for s in parts["keywords"]:
        flow.lines += wrap(list(f"{keywords_label}{':' if layout.colon or not layout.bare_label else ''} ")
                           + _atoms(s.text, ("s", s.id)), layout.width, rng, layout)
        flow.blank()
    flow.blank()


def _body(flow: Flow, article: Article, layout: Layout, rng: random.Random) -> None:
    paragraph: list = []

    def close() -> None:
        if paragraph:
            indent = "  " if layout.paragraph in ("indent", "both") else ""
            flow.lines.extend(wrap(paragraph, layout.width, rng, layout, indent=indent))
            if layout.paragraph in ("blank", "both"):
                flow.blank()
            paragraph.clear()

    for s in article.body:
        if s.part == "heading":
            close()
            if flow.lines and flow.lines[-1].atoms:
                flow.blank()
            # headings are set narrower than the text and never hyphenated
            heading = wrap(_atoms(s.text, ("s", s.id)), min(layout.width, 60), rng, replace(layout, hyphenate=0))
            for line in heading:
                line.heading = True
            flow.lines += heading
            continue
        if paragraph:
            paragraph.append(" ")
        paragraph += _atoms(s.text, ("s", s.id), s.inner)
        if s.marker is not None:
            paragraph += _marker_atoms(s.marker, layout)
        if rng.random() < 0.2:
            close()
    close()
    if article.references:
        flow.blank()
        flow.lines += wrap(_atoms(article.references.text, ("s", article.references.id)), layout.width, rng, layout)
        for k, (n, text) in enumerate(article.notes):
            number = layout.entry.format(n=n)
            flow.lines += wrap(list(number) + _atoms(text, ("note", k)), layout.width, rng, layout)
        flow.blank()
    else:
        for k, (n, text) in enumerate(article.notes):
            flow.notes[n] = wrap([Mark(-n)] + ([" "] if layout.note_number == "spaced" else [])
                                 + _atoms(text, ("note", k)), layout.width, rng, layout)


def _furniture(article: Article, layout: Layout, page: int) -> tuple[list[str], list[str]]:
    """The page's furniture lines above and below its text."""
    number = layout.page_number.format(n=layout.first_page + page) if layout.page_number != "none" else ""
    author = next((_capitalised(s.text.split(" ", 1)[-1]) for section in article.front for s in section
                   if s.part == "front" and "©" in s.text), "A. Author")
    title = next(s.text for section in article.front for s in section if s.part in ("title", "abstract"))
    short = " ".join(title.split()[:6]).rstrip(".,:") + "..."
    journal = JOURNALS[len(article.name) % len(JOURNALS)].format(i=2, y=2021)
    header = {"none": "", "same": short, "journal": journal,
              "alternate": author if (layout.first_page + page) % 2 == 0 else short}[layout.header]
    top, bottom = [], []
    if page == 0:
        header = ""  # the first page carries the title, not the running header
    if header and number and layout.number_place.startswith("inline"):
        gap = " " * max(4, layout.width - len(header) - len(number))
        top = [number + gap + header] if layout.number_place == "inline-left" else [header + gap + number]
    else:
        if header:
            top = [header]
        if number:
            if layout.number_place == "above" and header:
                top = [number] + top
            elif layout.number_place == "below" and header:
                top = top + [number]
            else:
                bottom = [number]
    return top, bottom


def _capitalised(name: str) -> str:
    """``NƏRMİN ƏLİYEVA`` -> ``Nərmin Əliyeva`` (str.title() writes a dotted i̇ for İ)."""
    return " ".join(w[0] + w[1:].replace("İ", "i").replace("I", "ı").lower() for w in name.split())


@dataclass
class Generated:
    name: str
    raw: str
    sentences: list[dict]  # id, lang, part, start, end
    notes: list[dict]  # n, start, end
    markers: dict[int, tuple[int, int]]  # note n -> marker span
    brackets: dict[tuple[int, int], tuple]  # in-text bracket span -> cited numbers
    families: dict[str, str]


BROKEN_FONT_SHARE = 0.25
FONTS = tuple(tables().encodings)


def generate(article: Article, seed: int, **fixed) -> Generated:
    """The article set in the random layout of ``seed``; ``fixed`` sets some of its fields
    (``font``: a table of ``structure.mojibake`` or ``none``)."""
    rng = random.Random(f"{article.name}:{seed}")
    font = fixed.pop("font", None)
    langs = [section[0].lang for section in article.front]
    layout = replace(random_layout(rng, langs), **fixed)
    flow = Flow()
    sections = [article.front[k] for k in layout.front_order]
    author = [s for section in article.front for s in section if s.part == "front"]
    head = sections if layout.front_place == "start" else sections[:1]
    for k, section in enumerate(head):
        _section(flow, section, layout, rng, author if layout.author_all and k else [])
    _body(flow, article, layout, rng)
    if layout.front_place == "end":
        for section in sections[1:]:
            _section(flow, section, layout, rng, author if layout.author_all else [])
    pages = _paginate(flow, layout, rng)
    generated = _assemble(article, layout, pages)
    generated.families = layout.families()
    # drawn apart from the layout's own draws, so the layouts of a seed stay the same with it
    font_rng = random.Random(f"{article.name}:{seed}:font")
    font = font or (font_rng.choice(FONTS) if font_rng.random() < BROKEN_FONT_SHARE else "none")
    if font != "none":
        generated.raw = corrupt(generated.raw, font, seed=seed)
    generated.families["font"] = font
    if article.references:
        generated.families.pop("marker"), generated.families.pop("note number"), generated.families.pop("separator")
        generated.families.pop("run-on")
    else:
        generated.families.pop("entries")
    return generated


def _note_lines(zone: list[tuple[int, list[Line]]]) -> int:
    return sum(len(lines) for _, lines in zone)


def _paginate(flow: Flow, layout: Layout, rng: random.Random) -> list[tuple[list[Line], list[tuple[int, list[Line]]]]]:
    """Pages as (text lines, note zone: (n, lines) per note or piece of a note)."""
    pages = []
    body: list[Line] = []
    zone: list[tuple[int, list[Line]]] = []
    carried: list[tuple[int, list[Line]]] = []
    capacity = layout.page_lines - 6

    def close(last: bool = False) -> None:
        nonlocal body, zone, carried
        while body and not body[-1].atoms:
            body.pop()
        whole = carried + zone
        carried = []
        # a note runs on to the next page's foot (the last page keeps its notes whole)
        if whole and len(whole[-1][1]) >= 2 and not last and rng.random() < layout.run_on:
            n, lines = whole[-1]
            keep = len(lines) // 2
            whole[-1] = (n, lines[:keep])
            carried = [(n, lines[keep:])]
        pages.append((body, whole))
        body, zone = [], []

    for line in flow.lines:
        if not body and not line.atoms:
            continue
        new = [(n, flow.notes[n]) for n in line.marks if n in flow.notes]
        if body and len(body) + 1 + _note_lines(carried + zone + new) > capacity:
            kept = []
            while body and (body[-1].heading or not body[-1].atoms):  # a heading goes with its text
                kept.insert(0, body.pop())
            close()
            body = [k for k in kept if k.atoms]
            if not line.atoms:
                continue
        body.append(line)
        zone += new
    close(last=True)
    return pages


_SEPARATORS = {"spaces": [" " * 44], "underscores": ["_" * 20], "short": ["_____"], "blank": ["", "", ""], "none": []}


def _assemble(article: Article, layout: Layout, pages) -> Generated:
    out: list[str] = []
    anchors: dict[tuple, int] = {}
    position = 0
    symbols: dict[int, str] = {}

    def emit(line: Line, marker_text=None) -> None:
        nonlocal position
        text = []
        for atom in line.atoms:
            if isinstance(atom, Anchor):
                anchors[atom.key] = position + len("".join(text))
            elif isinstance(atom, Mark):
                text.append(marker_text(atom.n))
            else:
                text.append(atom)
        joined = "".join(text)
        out.append(joined)
        position += len(joined) + 1

    def plain(text: str) -> None:
        emit(Line(list(text)))

    def marker_text(n: int) -> str:
        n = abs(n)  # (a note's own number at the start of its text is written -n)
        if layout.marker in SIGNS:
            return symbols[n]
        return str(n).translate(SUPERSCRIPT) if layout.marker == "superscript" else str(n)

    for page, (body, zone) in enumerate(pages):
        top, bottom = _furniture(article, layout, page)
        on_page = [n for line in body for n in line.marks]
        for k, n in enumerate(on_page):
            signs = SIGNS.get(layout.marker, [])
            symbols[n] = signs[k] if k < len(signs) else "*" * (k + 1)
        for text in top:
            plain(text)
            for _ in range(layout.furniture_gap):
                plain("")
        for line in body:
            emit(line, marker_text)
        if zone:
            for text in _SEPARATORS[layout.separator]:
                plain(text)
            for _, lines in zone:
                for line in lines:
                    emit(line, marker_text)
        for text in bottom:
            for _ in range(max(1, layout.furniture_gap)):
                plain("")
            plain(text)
        if page + 1 < len(pages):
            for _ in range(max(1, layout.furniture_gap)):
                plain("")
    raw = "\n".join(out) + "\n"
    sentences = []
    for key, start in anchors.items():
        if key[0] == "s" and key[2] == "start":
            lang, part = key[1].split(".")[:2]
            sentences.append({"id": key[1], "lang": lang, "part": part, "start": start, "end": anchors[key[:2] + ("end",)]})
    notes = []
    for k, (n, _) in enumerate(article.notes):
        notes.append({"n": n, "start": anchors[("note", k, "start")], "end": anchors[("note", k, "end")]})
        if not article.references:
            sentences.append({"id": f"x.footnote.{n}.1", "lang": "und", "part": "footnote",
                              "start": notes[-1]["start"], "end": notes[-1]["end"]})
    markers = {key[1]: (start, anchors[("marker", key[1], "end")]) for key, start in anchors.items()
               if key[0] == "marker" and key[2] == "start"}
    brackets = {(start, anchors[key[:3] + ("end", key[4])]): key[4] for key, start in anchors.items()
                if key[0] == "bracket" and key[3] == "start"}
    for s in sentences:
        assert s["start"] <= s["end"], s
    return Generated(article.name, raw, sorted(sentences, key=lambda s: s["start"]), notes, markers, brackets, {})


# ---------------------------------------------------------------- building and scoring

COLUMNS = ["notes", "markers", "headings", "abstracts", "sentences"]


def build(generated: Generated) -> Document:
    return process(Document(name=generated.name, raw=generated.raw), ["structure", "notes"])


def score(generated: Generated, doc: Document, segmenters) -> dict[str, Counts | tuple[int, int]]:
    found = {(c["start"], c["end"]) for c in doc.data.get("citations", [])}
    notes = (sum((n["start"], n["end"]) in found for n in generated.notes), len(generated.notes))
    blocks = {(b.attrs.get("n"), b.attrs.get("page")): (b.start, b.end) for b in doc.blocks("footnote", "reference")}
    if generated.brackets:
        got = {(m.start + len(doc.text(m)) - len(doc.text(m).lstrip()), m.end): tuple(m.attrs["n"])
               for m in doc.layer("marker") if isinstance(m.attrs.get("n"), list)}
        markers = (sum(got.get(span) == numbers for span, numbers in generated.brackets.items()), len(generated.brackets))
    else:
        spans = {n["n"]: (n["start"], n["end"]) for n in generated.notes}
        linked = {(m.start, m.end): blocks.get((m.attrs.get("n"), m.attrs.get("page"))) for m in doc.layer("marker")}
        markers = (sum(linked.get(span) == spans[n] for n, span in generated.markers.items()), len(generated.markers))
    have = {(b.label, b.lang, b.start, b.end) for b in doc.blocks()}
    headings = [s for s in generated.sentences if s["part"] == "heading"]
    heading_score = (sum(("heading", s["lang"], s["start"], s["end"]) in have for s in headings), len(headings))
    groups = defaultdict(list)
    for s in generated.sentences:
        if s["part"] == "abstract":
            groups[s["lang"]].append(s)
    abstracts = (sum(("abstract", lang, min(s["start"] for s in g), max(s["end"] for s in g)) in have
                     for lang, g in groups.items()), len(groups))
    predicted = [(s.start, s.end) for s in sentence_spans(doc, segmenters)]
    predicted += [(b.start, b.end) for b in doc.blocks("footnote")]
    counts = set_counts(((s["start"], s["end"]) for s in generated.sentences), predicted)
    return {"notes": notes, "markers": markers, "headings": heading_score, "abstracts": abstracts, "sentences": counts}


def run(names: list[str], layouts: int, seed: int, show: int = 0) -> tuple[list[list[str]], str]:
    articles = [load_article(RAW / f"{name}.txt", GOLD / name) for name in names]
    segmenters = Segmenters(lambda lang: make_segmenter(lang, "spacy"))
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    failures = []
    for k in range(layouts):
        article = articles[k % len(articles)]
        generated = generate(article, seed * 100003 + k)
        try:
            doc = build(generated)
            result = score(generated, doc, segmenters)
        except Exception as error:  # a refused layout scores nothing, and the failures say so
            result = {"notes": (0, len(generated.notes)), "markers": (0, len(generated.markers or generated.brackets)),
                      "headings": (0, 1), "abstracts": (0, 1), "sentences": Counts(fn=len(generated.sentences))}
            print(f"{generated.name} layout {k}: {type(error).__name__}: {error}", file=sys.stderr)
        perfect = result["notes"][0] == result["notes"][1] and result["markers"][0] == result["markers"][1]
        if not perfect:
            failures.append((k, generated, result))
        keys = [("article", article.name)] + list(generated.families.items()) + [("total", "")]
        for key in keys:
            row = rows[key]
            for column in ("notes", "markers", "headings", "abstracts"):
                row[column][0] += result[column][0]
                row[column][1] += result[column][1]
            row["sentences"][0] += 0
            row.setdefault("counts", Counts())
            row["counts"] += result["sentences"]
            row["perfect"][0] += perfect
            row["perfect"][1] += 1
    table = [["family", "value", "layouts", "perfect"] + COLUMNS]
    for (family, value), row in sorted(rows.items(), key=lambda kv: (kv[0][0] == "total", kv[0])):
        table.append([family, value, str(row["perfect"][1]), f"{row['perfect'][0] / row['perfect'][1]:.1%}"]
                     + [f"{row[c][0]}/{row[c][1]}" for c in COLUMNS[:-1]] + [f"{row['counts'].f1:.3f}"])
    for k, generated, result in failures[:show]:
        print(f"--- {generated.name} layout {k}: " + ", ".join(f"{c} {result[c][0]}/{result[c][1]}"
                                                               for c in ("notes", "markers")) + f" {generated.families}")
    signature = Signature("LAYOUTS", {"seed": seed, "layouts": layouts,
                                      "gold": ",".join(f"{n}@{file_hash(GOLD / n)}" for n in names)}).format()
    return table, signature


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", help="articles (default: every development layout with gold)")
    parser.add_argument("--layouts", type=int, default=200, help="random layouts in all (articles take turns)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many failing layouts' families")
    args = parser.parse_args(argv)
    names = args.docs or sorted(p.stem for p in RAW.glob("*.txt") if (GOLD / p.stem).is_dir())
    table, signature = run(names, args.layouts, args.seed, args.show)
    print(text_table(table))
    print(signature)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
