"""The ``structure`` and ``notes`` stages: blocks and edit layers of a PDF-extracted article."""

from __future__ import annotations

from collections import Counter

from ..document import Document, Span
from ..registry import stage
from . import blocks, footnotes, front, furniture, homoglyphs, hyphenation, mojibake, references
from .blocks import Unit
from ..langid import detect
from .layout import Line, ends_sentence, split_lines

_SHORT_BLOCK_WORDS = 4  # lingua cannot tell a short heading's language; it takes the body's
_BACK_MATTER_WORDS = 25  # a title or author line before an abstract printed after the body
_NOTE_HEAD = 80  # characters of a note that tell its language


@stage("structure", assigns=("blocks", "hyphen", "linebreak", "marker", "furniture", "homoglyph", "mojibake"),
       defaults={"repair_fonts": True})
def structure(doc: Document, repair_fonts: bool = True) -> None:
    """Recover the blocks of ``doc`` and the edits that give its clean text.

    ``repair_fonts``: read the letters of a broken font as the letters they stand for (layer
    ``mojibake``); the structure is then recovered from the repaired letters, at the raw offsets,
    and running headers are found with their look-alikes of the other script mended.
    """
    repairs = mojibake.find_repairs(doc.raw) if repair_fonts else []
    raw = mojibake.read_through(doc.raw, repairs)  # the structure reads the repaired letters
    lines = split_lines(raw)
    # a running header is the same line on every page when read with its look-alikes mended
    found_furniture = furniture.find_furniture(split_lines(mojibake.read_through(
        raw, homoglyphs.find_homoglyphs(raw, 0, len(raw)) if repair_fonts else [])), front.is_label)
    furniture.add_hints(lines, doc.layer("pdf_furniture"), found_furniture)
    # the author's mark and its *affiliation above the first label are front matter, not a note
    labels = [line.index for line in lines if front.label_of(line.text)]
    list_headings = [line.index for line in lines if front.is_references_heading(line.text)]
    reading = footnotes.read_numbered(raw, lines, found_furniture, labels[0] if labels else 0, labels, list_headings)
    zones, notes, marks = reading.zones, reading.notes, reading.markers
    if reading.per_page:  # said in the build's record (the TEI header) only where it is so
        doc.meta["structure"] = {"note_numbering": "per page"}
    skipped = set(found_furniture) | {i for zone in zones for i in zone}
    text = [line.index for line in lines if line.index not in skipped and not line.blank]

    stripped = {i: _without(raw, lines[i], marks) for i in text}
    gap = blocks.gaps(lines, text, skipped)
    headings = blocks.find_headings(lines, text, gap, stripped, front.is_label)
    units = blocks.group_units(lines, text, gap, stripped, headings, front.is_label)
    articles = _split_articles(units, lines, stripped)
    outside = {i for front_part, _, back_part in articles for unit in front_part + back_part
               if unit.kind == "heading" for i in unit.lines}
    if outside:  # headings stand in the body: before it, a "heading" is a title's first line
        units = blocks.group_units(lines, text, gap, stripped, headings - outside, front.is_label)
        articles = _split_articles(units, lines, stripped)
    front_units, body_units, back_units = ([u for article in articles for u in article[part]] for part in range(3))
    front_units = front.split_lists(lines, front.attach_bare_labels(lines, front_units))
    back_units = front.split_lists(lines, front.attach_bare_labels(lines, back_units))
    front.classify(raw, lines, front_units)
    front.classify(raw, lines, back_units)
    front_units = front.join_page_broken_abstracts(lines, front_units, skipped)
    back_units = front.join_page_broken_abstracts(lines, back_units, skipped)
    if not any(u.kind == "abstract" for u in front_units + back_units):  # built all the same, and said
        doc.meta.setdefault("warnings", []).append(
            f"{doc.source or doc.name}: no abstract found (no Xülasə/Abstract/Резюме/Özet label "
            "and no long unlabelled paragraph before the first heading)")
    # each article's reference list ends where the next article's front matter starts
    reference_lists = [_reference_list(body, lines) for _, body, _ in articles]
    body_units = [u for _, body, _ in articles for u in body if not any(u in found for found in reference_lists)]
    breaks = furniture.page_breaks(lines, skipped)
    if any(reference_lists):  # entry n is named fn{n}: a note beside a list is known by its page too
        _key_notes_by_page(notes, marks, breaks)

    spans = [_block(doc, lines, unit, skipped) for unit in front_units + body_units + back_units]
    spans += [_note_block(doc, note) for note in notes]
    # a later article's entries are keyed by the page their list starts on, as notes of a later
    # series are, so that every id names one entry; its in-text citations name that page too
    known: list[tuple[int, dict[str, int], set[int]]] = []  # (article start, key, entry numbers)
    for k, ((front_part, body, _), found) in enumerate(zip(articles, reference_lists)):
        if not found:
            continue
        heading, *listed = found
        spans.append(_block(doc, lines, heading, skipped))
        key = {"page": footnotes.page_of(breaks, lines[heading.lines[0]].start)} if known else {}
        entries = references.parse_entries(lines, [i for unit in listed for i in unit.lines])
        spans += [doc.span(e.start, e.end, "reference", attrs={"n": e.n} | key) for e in entries]
        known.append((lines[(front_part or body)[0].lines[0]].start if k else 0, key, {e.n for e in entries}))
    # a printed line's furniture is its text; a rule (white space) the whole line
    furniture_spans = [doc.span(*((lines[i].start, lines[i].end) if lines[i].blank
                                  else (lines[i].content_start, lines[i].content_end)),
                                "furniture", attrs={"kind": kind})
                       for i, kind in sorted(found_furniture.items())]
    furniture_spans += [Span(b.start, b.end, "furniture", attrs={"kind": "imprint"})
                        for b in spans if b.label == "furniture"]
    spans = _body_languages(raw, [b for b in spans if b.label != "furniture"]) + furniture_spans

    marker_spans = [doc.span(s, e, "marker", attrs=attrs) for s, e, attrs in marks]
    for block in spans:  # a citation links to the list of its own article
        own = [(key, numbers) for start, key, numbers in known if start <= block.start] \
            if block.label in ("paragraph", "heading") else []
        if own:
            key, numbers = own[-1]
            for s, e, cited, pinpoint in references.find_citations(raw, _pieces(block), numbers):
                marker_spans.append(doc.span(s, e, "marker", attrs={"n": cited, "pinpoint": pinpoint} | key))

    doc.set_layer("blocks", spans)
    doc.set_layer("furniture", [doc.span(s.start, s.end, "furniture") for s in furniture_spans])
    doc.set_layer("marker", marker_spans)
    _line_ends(doc, raw, spans)
    doc.set_layer("homoglyph", [doc.span(i, i + 1, "homoglyph", attrs={"char": ch})
                                for block in spans if block.label != "furniture"
                                for s, e in _pieces(block) for i, ch in homoglyphs.find_homoglyphs(raw, s, e)])
    doc.set_layer("mojibake", [doc.span(i, i + 1, "mojibake", attrs={"char": ch}) for i, ch in repairs])
    if repairs:  # said in the build's record only where a font was repaired
        letters = Counter(f"{doc.raw[i]}→{ch}" for i, ch in repairs)
        doc.meta.setdefault("structure", {})["repaired_letters"] = dict(sorted(letters.items()))


@stage("notes", requires=("blocks",), assigns=("citations",))
def notes(doc: Document) -> None:
    """Base citation items (id, n, raw, start, end) of the footnotes or reference-list entries."""
    items = []
    # the gold's raw undoes line breaks and hyphenation but keeps the printed letters (look-alikes
    # of the other script too); those of a broken font are read repaired, as everywhere
    printed = mojibake.read_through(doc.raw, [(s.start, s.attrs["char"]) for s in doc.layer("mojibake")])
    for block in doc.blocks("footnote", "reference"):
        clean = doc.clean(block)
        text = "".join(ch if ch == " " else printed[o] for ch, o in zip(clean.text, clean.offsets))
        n, page = block.attrs["n"], block.attrs.get("page")
        # where numbers restart on every page, the id names the page (the number stays as printed)
        name = f"fn{n}" if page is None else footnotes.note_id(n, page)
        items.append({"id": f"{doc.name}-{name}", "n": n, "raw": text, "start": block.start, "end": block.end})
    doc.data["citations"] = items


def _key_notes_by_page(notes: list[footnotes.Note], marks: list[tuple[int, int, dict]], breaks: list[int]) -> None:
    """Give the notes not yet known by their page (the first series of running numbers) the page
    they start on, and their markers that page (in place)."""
    pages = {}
    for note in notes:
        if note.page is None:
            note.page = pages[note.n] = footnotes.page_of(breaks, note.start)
    for _, _, attrs in marks:
        if "page" not in attrs and attrs["n"] in pages:
            attrs["page"] = pages[attrs["n"]]


def _without(raw: str, line: Line, marks: list[tuple[int, int, dict]]) -> str:
    """A line's text with its note markers cut out."""
    text = raw[line.start:line.end]
    for start, end, _ in sorted(marks, reverse=True):
        if line.start <= start < line.end:
            text = text[:start - line.start] + text[end - line.start:]
    return text


def _split_articles(units: list[Unit], lines: list[Line],
                    stripped: dict[int, str]) -> list[tuple[list[Unit], list[Unit], list[Unit]]]:
    """Front matter, body and back matter of each article the file holds (an issue of a journal,
    or an article printed twice): back matter whose labels a body follows is a new article's."""
    front_part, body, back = _split_matter(units, lines, stripped)
    if _body_start(back, lines, stripped) is not None:
        return [(front_part, body, [])] + _split_articles(back, lines, stripped)
    return [(front_part, body, back)]


def _body_start(units: list[Unit], lines: list[Line], stripped: dict[int, str]) -> int | None:
    """The first heading after the first labelled abstract or keywords (the first heading if
    nothing is labelled) that running text follows; None if there is none."""
    labelled = [k for k, u in enumerate(units) if front.label_of(lines[u.lines[0]].text)]
    first = labelled[0] if labelled else 0
    return next((k for k, u in enumerate(units)
                 if u.kind == "heading" and k >= first and _opens_body(units, k, lines, stripped)), None)


def _split_matter(units: list[Unit], lines: list[Line],
                  stripped: dict[int, str]) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """Front matter, body and back matter (abstracts in other languages printed after the body).

    The body starts at the first heading after the first labelled abstract or keywords (at the
    first heading if nothing is labelled) that running text follows; labelled units after that
    open the back matter, with the short lines before them (that version's title and author).
    """
    labelled = [k for k, u in enumerate(units) if front.label_of(lines[u.lines[0]].text)]
    start = _body_start(units, lines, stripped)
    if start is None:  # no heading: the front matter ends with its last label
        start = labelled[-1] + 1 if labelled else 0
        return units[:start], units[start:], []
    later = [k for k in labelled if k > start]
    end = later[0] if later else len(units)
    while end > start + 1 and later and _short_line_unit(units[end - 1], lines):
        end -= 1
    return units[:start], units[start:end], units[end:]


def _opens_body(units: list[Unit], k: int, lines: list[Line], stripped: dict[int, str]) -> bool:
    """Whether the heading ``units[k]`` is followed by a paragraph (or a sub-heading), not by the
    rest of a title broken over lines (short, ending no sentence) or by a labelled unit."""
    if k + 1 == len(units):
        return False
    after = units[k + 1]
    if after.kind == "heading":
        return True
    text = " ".join(stripped[i].strip() for i in after.lines)
    if front.label_of(lines[after.lines[0]].text) or blocks.is_caps(text):
        return False
    return ends_sentence(text) or len(text.split()) > _BACK_MATTER_WORDS


def _short_line_unit(unit: Unit, lines: list[Line]) -> bool:
    """A title or author line of back matter: short and ending no sentence."""
    text = " ".join(lines[i].text.strip() for i in unit.lines)
    return len(text.split()) <= _BACK_MATTER_WORDS and not ends_sentence(text) and not front.is_references_heading(text)


def _reference_list(units: list[Unit], lines: list[Line]) -> list[Unit]:
    """The reference-list heading unit and the units after it, if the body ends with one."""
    for k, unit in enumerate(units):
        first = lines[unit.lines[0]].text
        if front.is_references_heading(first):
            unit.kind = "heading"
            if len(unit.lines) > 1:  # the first entry ran on into the heading's unit
                units.insert(k + 1, Unit(unit.lines[1:]))
                unit.lines = unit.lines[:1]
            return units[k:]
    return []


def _block(doc: Document, lines: list[Line], unit: Unit, skipped: set[int]) -> Span:
    runs = blocks.pieces(lines, unit, skipped)
    if "text_end" in unit.attrs:
        runs[-1][1] = unit.attrs["text_end"]
    attrs = {"pieces": runs} if len(runs) > 1 else {}
    return doc.span(runs[0][0], runs[-1][1], unit.kind, lang=unit.lang, attrs=attrs)


def _note_block(doc: Document, note: footnotes.Note) -> Span:
    attrs = {"n": note.n}
    if note.page is not None:
        attrs["page"] = note.page
    if len(note.pieces) > 1:
        attrs["pieces"] = note.pieces
    return doc.span(note.start, note.end, "footnote", attrs=attrs)


def _pieces(block: Span) -> list[tuple[int, int]]:
    return [tuple(p) for p in block.attrs.get("pieces") or [(block.start, block.end)]]


def _body_languages(raw: str, spans: list[Span]) -> list[Span]:
    """Language of the body blocks and notes by lingua; short blocks take the body's language."""
    sized: list[tuple[Span, str, str | None]] = []
    for block in spans:
        text = " ".join(raw[s:e] for s, e in _pieces(block))
        notes = block.label in ("footnote", "reference")
        sized.append((block, text, block.lang or (None if notes else detect(text))))
    weights: dict[str, int] = {}
    for block, text, lang in sized:
        if block.label == "paragraph" and lang:
            weights[lang] = weights.get(lang, 0) + len(text)
    main = max(weights, key=weights.get) if weights else None
    result = []
    for block, text, lang in sized:
        if block.label in ("heading", "paragraph") and len(text.split()) <= _SHORT_BLOCK_WORDS and main:
            lang = _same_script(text, main, lang)
        elif block.label in ("footnote", "reference"):
            lang = _note_language(text)
        result.append(Span(block.start, block.end, block.label, lang, block.id, block.attrs))
    return result


def _note_language(text: str) -> str | None:
    """A note's language is its reference's: the one of its head (author, title), not of the
    container or the place names that may follow; a back-reference (``Yenə orada``, ``Hasan
    Rumlu. Göstərilən əsəri``) is in the language of its formula."""
    if cue := front.back_reference_language(text):
        return cue
    first, dot, rest = text.partition(". ")
    if dot and rest and _author_like(first):
        text = rest  # a person's name tells little about the language of the work
    head = text[:_NOTE_HEAD]
    return detect(head[:head.rfind(" ")] if len(text) > _NOTE_HEAD and " " in head else head)


def _author_like(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 3 and all(w[0].isupper() and w.replace(".", "").isalpha() for w in words)


def _same_script(text: str, main: str, guess: str | None) -> str | None:
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text) > len(text) / 2
    return main if cyrillic == (main == "ru") else guess


def _line_ends(doc: Document, raw: str, spans: list[Span]) -> None:
    """Layers ``hyphen`` (soft hyphens with their line break) and ``linebreak`` (kept hyphens)."""
    vocab = hyphenation.vocabulary(raw)
    soft, kept = [], []
    for block in spans:
        if block.label == "furniture":
            continue
        runs = _pieces(block)
        for start, end in runs:
            for hyphen, following, left, right in hyphenation.line_end_hyphens(raw, start, end):
                if hyphenation.keeps_hyphen(left, right, vocab):
                    kept.append(doc.span(hyphen + 1, following, "linebreak"))
                else:
                    soft.append(doc.span(hyphen, following, "hyphen"))
        for (_, end), (start, next_end) in zip(runs, runs[1:]):
            # a word broken at the foot of a page: the clean view joins the pieces after an edit
            # that ends the piece (a zero-length line break where the hyphen stays)
            words = hyphenation.page_break_hyphen(raw, end, start, next_end)
            if words and hyphenation.keeps_hyphen(*words, vocab):
                kept.append(doc.span(end, end, "linebreak"))
            elif words:
                soft.append(doc.span(end - 1, end, "hyphen"))
    doc.set_layer("hyphen", soft)
    doc.set_layer("linebreak", kept)
