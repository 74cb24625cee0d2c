"""TEI -> Document: polycorpus's own TEI back into layers, and TEI written by other tools.

Two ways to get offsets:

- **source mode**: when every sentence and mention carries a ``@corresp="<file>#char=start,end"``
  pointer (polycorpus writes them) and the source text is given, the document's ``raw`` is that
  source and every span keeps its original raw offsets: build -> write -> read is exact.
- **text mode** otherwise: ``raw`` is the TEI's own text (containers separated by blank lines,
  sentences by a space, footnote refs glued to the sentence before them as in print), and spans
  are offsets into it.

Round-trip guarantees (tests/test_tei.py): sentence ids, parts, languages and clean texts;
entity labels, norms and texts; alignment beads; footnote numbers, texts, ``ibid``/``refers_to``,
locators; reference-list entries (``back/div[@type=bibliography]/listBibl/bibl``), their in-text
citations (``bibl[@type=citation]``) read as markers and as each entry's ``in_text``; the parsed
record fields (type, authors, editors with ``role``, titles, imprint, pages, language, URL,
archive); raw offsets too in source mode. Not carried: CSL fields TEI has no place for here
(``recipient``, ``note``, ``event-place``, ``contributor``).

Reading is safe: no DTD loading, no entity expansion, no network, a size bound, and a document
that declares entities is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from ..document import Document, Span
from ..errors import InputError
from ..io import read_text
from ..structure.footnotes import note_key, page_of_note_id
from . import ELEMENT_LABELS, FRONT_DIV_PARTS, TEI_NS, tei, xml

MAX_BYTES = 50 * 1024 * 1024
CHAR_POINTER = re.compile(r"^(?P<file>[^#\s]*)#char=(?P<start>\d+),(?P<end>\d+)$")
DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\s>\[]+(?P<rest>[^>]*(?:\[.*?\][^>]*)?)>?", re.DOTALL)
EXTERNAL_ID = re.compile(r"\s+(SYSTEM|PUBLIC)\b")
ROOT_START = re.compile(r"<[A-Za-z_]")
NAME_TYPES = {"per": "PER", "person": "PER", "pers": "PER", "loc": "LOC", "place": "LOC", "org": "ORG",
              "organisation": "ORG", "organization": "ORG", "work": "WORK", "event": "EVENT", "date": "DATE",
              "misc": "MISC"}
MENTIONS = set(ELEMENT_LABELS) | {"name"}
RECORD_FIELDS = ("type", "author", "editor", "translator", "title", "container-title", "collection-title", "genre",
                 "publisher", "publisher-place", "issued", "container-issued", "volume", "issue", "page",
                 "number-of-pages", "language", "URL", "archive", "archive_location")


def parse_tei(path: str | Path, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """The file as an lxml tree, parsed safely; malformed or unsafe input is a one-line InputError.

    The bytes are checked before any parser (or validator) sees them: a DOCTYPE that names an
    external DTD (``SYSTEM``/``PUBLIC``) or declares entities is refused, because reading it would
    fetch a local file or URL (and a validator would echo its content in its messages).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    if size > max_bytes:
        raise InputError(path, f"file of {size} bytes is larger than the {max_bytes}-byte limit for TEI")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    refuse_external_references(path, data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"not well-formed XML (line {exc.lineno}: {exc.msg})") from None
    dtd = tree.docinfo.internalDTD
    if tree.docinfo.system_url or tree.docinfo.public_id:
        raise InputError(path, "the DOCTYPE names an external DTD; polycorpus does not load it (refused)")
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(path, "the document declares XML entities; polycorpus does not expand them (refused)")
    if tree.getroot().tag != tei("TEI"):
        raise InputError(path, f"not a TEI document (root element {tree.getroot().tag!r})")
    return tree


def refuse_external_references(path: Path, data: bytes) -> None:
    """An InputError when the prolog has a DOCTYPE with an external identifier or entity declarations."""
    prolog = _prolog_text(data)
    doctype = DOCTYPE.search(prolog)
    if doctype is None:
        return
    if EXTERNAL_ID.match(doctype.group("rest")):
        raise InputError(path, "the DOCTYPE names an external DTD; polycorpus does not load it (refused)")
    if "<!ENTITY" in doctype.group("rest") or "%" in doctype.group("rest"):
        raise InputError(path, "the document declares XML entities; polycorpus does not expand them (refused)")


def _prolog_text(data: bytes) -> str:
    """The text before the root element, decoded as UTF-16 or UTF-8 (enough to read a DOCTYPE)."""
    head = data[:1 << 16]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and 0 in head[:2]):
        encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else (
            "utf-16-be" if head[0] == 0 else "utf-16-le")
        text = head[:len(head) // 2 * 2].decode(encoding, errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    root = ROOT_START.search(text)
    return text[:root.start()] if root else text


def read_tei(path: str | Path, source: str | Path | None = None) -> Document:
    """A Document from a TEI file; with ``source`` (the raw text file) offsets are the source's."""
    path = Path(path)
    root = parse_tei(path).getroot()
    name = root.get(xml("id")) or path.name.split(".")[0]
    return _Reader(root, name, path, source).read()


class _Reader:
    def __init__(self, root: etree._Element, name: str, path: Path, source: str | Path | None) -> None:
        self.root = root
        self.name = name
        self.path = path
        self.source = Path(source) if source else None
        self.registry = self._registry()
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Span] = []
        self.sentences: list[Span] = []
        self.entities: list[Span] = []
        self.markers: list[Span] = []
        self.notes: dict[str, dict[str, Any]] = {}
        self.entry_numbers = {e.get(xml("id")): _int(e.get("n")) for listbibl in root.iter(tei("listBibl"))
                              if _in_text(listbibl) for e in listbibl.iterchildren(tei("bibl"), tei("biblStruct"))
                              if e.get(xml("id"))}

    # -- mode ---------------------------------------------------------------------------------
    def _source_mode(self) -> str | None:
        """The source file name when all sentences and mentions carry char pointers."""
        text = self.root.find(tei("text"))
        if text is None or self.source is None:
            return None
        files = set()
        for element in text.iter(tei("s"), *(tei(m) for m in MENTIONS)):
            if etree.QName(element).localname in MENTIONS and not _in_text(element):
                continue
            found = CHAR_POINTER.match(element.get("corresp") or "")
            if not found:
                return None
            files.add(found["file"])
        return self.source.name if files else None

    def read(self) -> Document:
        text = self.root.find(tei("text"))
        source_name = self._source_mode()
        exact = source_name is not None
        for container, kind, part in self._containers(text):
            self._container(container, kind, part, exact)
        raw = read_text(self.source) if exact else "".join(self.parts)
        doc = Document(self.name, raw, source=source_name or self.path.name)
        for layer, spans in (("blocks", self.blocks), ("sentences", self.sentences),
                             ("entities", self.entities), ("marker", self.markers)):
            if spans:
                doc.set_layer(layer, spans)
        alignment = self._alignment()
        if alignment:
            doc.data["alignment"] = alignment
        citations = self._citations(doc)
        if citations:
            doc.data["citations"] = citations
        doc.meta["tei"] = {"read_from": self.path.name, "offsets": "source" if exact else "tei-text"}
        return doc

    # -- walking the text -----------------------------------------------------------------------
    def _containers(self, text: etree._Element | None):
        """(element, block kind, sentence part) for every container of printed text, in order."""
        if text is None:
            return
        for division in text:
            local = etree.QName(division).localname
            if local == "front":
                for div in division.iter(tei("div")):
                    kind = div.get("type") or "abstract"
                    part = FRONT_DIV_PARTS.get(kind, kind if kind in ("abstract", "keywords") else "front")
                    for child in div:
                        if child.tag in (tei("head"), tei("p"), tei("ab")):
                            yield child, _front_kind(kind, child), part
            elif local == "body":
                for child in division.iter(tei("head"), tei("p"), tei("ab")):
                    if any(a.tag in (tei("p"), tei("head"), tei("note")) for a in child.iterancestors()):
                        continue
                    heading = child.tag == tei("head")
                    yield child, "heading" if heading else "paragraph", "heading" if heading else "body"
            elif local == "back":
                for note in division.iter(tei("note")):
                    if note.get("place") in ("foot", "bottom", None):
                        yield note, "footnote", "footnote"
                for div in division.iter(tei("div")):
                    if div.find(tei("listBibl")) is not None:
                        for head in div.iterchildren(tei("head")):
                            yield head, "heading", "heading"
                for listbibl in division.iter(tei("listBibl")):
                    for entry in listbibl.iterchildren(tei("bibl"), tei("biblStruct")):
                        yield entry, "reference", "reference"

    def _container(self, element: etree._Element, kind: str, part: str, exact: bool) -> None:
        lang = _lang(element)
        start = self._open()
        sentences = list(element.iter(tei("s")))
        if sentences:
            for s in sentences:
                self._sentence(s, part, exact)
                for sibling in s.itersiblings():
                    if sibling.tag == tei("s"):
                        break
                    if sibling.tag == tei("ref") and sibling.get("type") == "foot":
                        self._marker(sibling, exact)
                    elif sibling.tag == tei("bibl") and sibling.get("type") == "citation":
                        self._citation(sibling, exact)
        else:
            self._mixed(element, exact)
        end = self.length
        attrs: dict[str, Any] = {}
        if kind in ("footnote", "reference"):
            attrs["n"] = _int(element.get("n"))
            page = page_of_note_id(element.get(xml("id")) or "")  # numbers restart on every page
            if page is not None:
                attrs["page"] = page
            self._note(element, start, end, exact)
        if exact:
            pointer = _char_pointer(element)
            covered = self.sentences[-len(sentences):] if sentences else []
            if pointer:
                start, end = pointer
            elif covered:
                start, end = covered[0].start, covered[-1].end
            else:
                return
        if end > start:
            self.blocks.append(Span(start, end, kind, lang, attrs=attrs))

    def _open(self) -> int:
        if self.parts:
            self._emit("\n\n")
        return self.length

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _sentence(self, element: etree._Element, part: str, exact: bool) -> None:
        lang = _lang(element)
        if self.parts and not self.parts[-1].endswith(("\n", " ")):
            self._emit(" ")
        start = self.length
        self._mixed(element, exact)
        end = self.length
        if exact:
            start, end = _char_pointer(element)
        sid = element.get(xml("id")) or f"{lang}.{part}.{len(self.sentences) + 1}"
        self.sentences.append(Span(start, end, part, lang, sid))

    def _mixed(self, element: etree._Element, exact: bool) -> None:
        """Emit the element's text with folded white space; mentions become entity spans."""
        self._text(element.text)
        for child in element:
            local = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if local in MENTIONS:
                self._mention(child, exact)
            elif local == "ref" and child.get("type") == "foot":
                self._marker(child, exact)
            elif local == "bibl" and child.get("type") == "citation":
                self._citation(child, exact)
            elif local and local != "s":
                self._mixed(child, exact)
            self._text(child.tail)

    def _text(self, text: str | None) -> None:
        if not text:
            return
        folded = re.sub(r"\s+", " ", text)
        if folded.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\n"))):
            folded = folded[1:]
        if folded:
            self._emit(folded)

    def _mention(self, element: etree._Element, exact: bool) -> None:
        start = self.length
        self._text("".join(element.itertext()))
        end = self.length
        if exact:
            start, end = _char_pointer(element)
        label = self._label(element)
        norm = self._norm(element, label)
        self.entities.append(Span(start, end, label, _lang(element), attrs={"norm": norm}))

    def _emit_marker(self, element: etree._Element, printed: str, exact: bool) -> tuple[int, int] | None:
        """Emit a marker's printed text; its offsets are the source pointer's when reading with the
        source (None if it has none), else its place in the emitted text."""
        start = self.length
        self._emit(printed or "*")
        if not exact:
            return start, self.length
        return _char_pointer(element)

    def _marker(self, element: etree._Element, exact: bool) -> None:
        position = self._emit_marker(element, "".join(element.itertext()).strip(), exact)
        if position is None:
            return
        start, end = position
        attrs: dict[str, Any] = {"n": _int(element.text)}
        page = page_of_note_id((element.get("target") or "").lstrip("#"))
        if page is not None:
            attrs["page"] = page
        self.markers.append(Span(start, end, "marker", attrs=attrs))

    def _citation(self, element: etree._Element, exact: bool) -> None:
        """An in-text citation of the reference list: a marker whose ``n`` lists the cited entries and
        whose ``pinpoint`` is the printed page(s) without the cue, as the structure stage makes them."""
        position = self._emit_marker(element, " ".join("".join(element.itertext()).split()), exact)
        if position is None:
            return
        start, end = position
        ref = element.find(tei("ref"))
        targets = (ref.get("target") or "").split() if ref is not None else []
        cited = element.find(tei("citedRange"))
        pinpoint = re.sub(r"^[^\W\d_]+\.\s*", "", " ".join(cited.itertext()).strip()) if cited is not None else None
        numbers = [self.entry_numbers[t.lstrip("#")] for t in targets if t.lstrip("#") in self.entry_numbers]
        attrs: dict[str, Any] = {"n": numbers, "pinpoint": pinpoint or None}
        page = page_of_note_id(targets[0].lstrip("#")) if targets else None  # a later article's list
        if page is not None:
            attrs["page"] = page
        self.markers.append(Span(start, end, "marker", attrs=attrs))

    def _label(self, element: etree._Element) -> str:
        local = etree.QName(element).localname
        if local == "name":
            kind = (element.get("type") or "misc").lower()
            return NAME_TYPES.get(kind, kind.upper())
        return ELEMENT_LABELS[local]

    def _norm(self, element: etree._Element, label: str) -> str | None:
        if label == "DATE":
            if element.get("when") or element.get("when-iso"):
                return element.get("when") or element.get("when-iso")
            if element.get("from") and element.get("to"):
                return f"{element.get('from')}/{element.get('to')}"
            return element.get("n")
        ref = (element.get("ref") or "").split()
        if ref and ref[0].startswith("#"):
            entry = self.registry.get(ref[0][1:])
            return entry.get("n") or ref[0][1:] if entry is not None else ref[0][1:]
        return ref[0] if ref else element.get("key")

    def _registry(self) -> dict[str, etree._Element]:
        standoff = self.root.find(tei("standOff"))
        return {e.get(xml("id")): e for e in (standoff.iter() if standoff is not None else ())
                if isinstance(e.tag, str) and e.get(xml("id"))}

    # -- notes and citations --------------------------------------------------------------------
    def _note(self, note: etree._Element, start: int, end: int, exact: bool) -> None:
        """The citation item of a footnote (``note``) or a reference-list entry (``bibl`` in ``listBibl``)."""
        bibl = note.find(tei("bibl")) if note.tag == tei("note") else note
        text = " ".join("".join(note.itertext()).split())
        if exact and _char_pointer(note):
            start, end = _char_pointer(note)
        item: dict[str, Any] = {"id": f"{self.name}-{note.get(xml('id')) or 'fn' + str(note.get('n'))}",
                                "n": _int(note.get("n")), "raw": text, "start": start, "end": end}
        if bibl is not None:
            item.update(self._record_fields(bibl))
            item["ibid"] = bibl.get("type") == "ibid"
            back = bibl.find(tei("ref"))
            if back is not None and back.get("type") in ("ibid", "op-cit"):
                target = self._notes_by_id().get((back.get("target") or "").lstrip("#"))
                if target is not None:
                    item["refers_to"] = _int(target.get("n"))
            cited = bibl.find(f".//{tei('citedRange')}")
            if cited is not None:
                low, high = cited.get("from"), cited.get("to")
                item["locator"] = (low if low == high else f"{low}-{high}") if low else cited.text
        if "language" not in item and _lang(note):
            item["language"] = _lang(note)
        if note.tag != tei("note"):  # a reference-list entry: its in-text citations are added later
            item["in_text"] = []
        self.notes[note.get(xml("id")) or str(note.get("n"))] = item

    def _notes_by_id(self) -> dict[str, etree._Element]:
        return {e.get(xml("id")): e for e in self.root.iter(tei("note")) if e.get(xml("id"))}

    def _record_fields(self, bibl: etree._Element) -> dict[str, Any]:
        records = [self.registry.get(p.lstrip("#")) for p in (bibl.get("corresp") or "").split()]
        records = [r for r in records if r is not None]
        if not records or bibl.get("type") == "ibid":
            return {}
        fields = record_to_csl(records[0])
        if len(records) > 1:
            fields["references"] = [record_to_csl(r) for r in records[1:]]
        return fields

    def _citations(self, doc: Document) -> list[dict[str, Any]]:
        """The notes' and entries' items; each entry gets ``in_text`` back from the in-text citations,
        made by the citations stage's own :func:`attach_in_text` from the markers read."""
        from ..citations.intext import attach_in_text

        items = list(self.notes.values())
        # a later article's list: its entries' ids name the page it starts on (structure.footnotes.note_id)
        pages = {item["start"]: page for name, item in self.notes.items()
                 if "in_text" in item and (page := page_of_note_id(name)) is not None}
        entries = {note_key(item["n"], pages.get(item["start"])) for item in items if "in_text" in item}
        if entries:
            attach_in_text(items, doc.layer("marker"), doc.raw, entries, doc.layer("sentences"), pages)
        return items

    # -- alignment ------------------------------------------------------------------------------
    def _alignment(self) -> list[dict[str, Any]]:
        lang_of = {s.id: s.lang for s in self.sentences}
        beads = []
        for group in self.root.iter(tei("linkGrp")):
            if group.get("type") not in ("alignment", "translation", None):
                continue
            for link in group.iter(tei("link")):
                bead: dict[str, Any] = {"az": [], "en": [], "ru": []}
                for target in (link.get("target") or "").split():
                    sid = target.lstrip("#")
                    bead.setdefault(lang_of.get(sid) or "und", []).append(sid)
                if link.get("cert"):
                    try:
                        bead["score"] = float(link.get("cert"))
                    except ValueError:
                        pass
                beads.append(bead)
        return beads


def record_to_csl(record: etree._Element) -> dict[str, Any]:
    """A ``biblStruct`` (or plain ``bibl``) record as CSL-JSON fields."""
    fields: dict[str, Any] = {}
    if record.get("type"):
        fields["type"] = record.get("type")
    analytic = record.find(tei("analytic"))
    monogr = record.find(tei("monogr"))
    if monogr is None:  # a plain bibl
        for role in ("author", "editor"):
            people = [_person(e) for e in record.findall(tei(role))]
            if people:
                fields[role] = people
        for title in record.findall(tei("title")):
            key = "title" if title.get("level") in ("a", "m", None) and "title" not in fields else "container-title"
            fields[key] = title.text or ""
        identifier = record.find(tei("msIdentifier"))
        if identifier is not None:
            fields["archive"] = identifier.findtext(tei("repository")) or ""
            if identifier.find(tei("idno")) is not None:
                fields["archive_location"] = identifier.findtext(tei("idno"))
    else:
        holder = analytic if analytic is not None else monogr
        for role in ("author", "editor"):
            people = [_person(e) for e in holder.findall(tei(role)) if e.get("role") != "translator"]
            people += [_person(e) for e in monogr.findall(tei(role)) if e.get("role") != "translator"] \
                if holder is not monogr else []
            if people:
                fields[role] = people
        translators = [{k: v for k, v in _person(e).items() if k != "role"}
                       for e in monogr.findall(tei("editor")) if e.get("role") == "translator"]
        if translators:
            fields["translator"] = translators
        measure = monogr.find(f"{tei('extent')}/{tei('measure')}[@unit='pages']")
        if measure is not None:
            fields["number-of-pages"] = measure.get("quantity") or measure.text or ""
        genre = record.find(f"{tei('note')}[@type='genre']")
        if genre is not None:
            fields["genre"] = genre.text or ""
        if analytic is not None:
            if analytic.find(tei("title")) is not None:
                fields["title"] = analytic.find(tei("title")).text or ""
            fields["container-title"] = monogr.find(tei("title")).text or ""
        elif monogr.find(tei("title")) is not None and monogr.find(tei("title")).text:
            fields["title"] = monogr.find(tei("title")).text
        imprint = monogr.find(tei("imprint"))
        if imprint is not None:
            for tag, key in (("pubPlace", "publisher-place"), ("publisher", "publisher")):
                if imprint.find(tei(tag)) is not None:
                    fields[key] = imprint.find(tei(tag)).text or ""
            date = next((d for d in imprint.findall(tei("date")) if d.get("type") != "access"), None)
            if date is not None and date.get("when"):
                fields["issued"] = _date_parts(date.get("when"))
            for scope in imprint.findall(tei("biblScope")):
                fields[scope.get("unit")] = scope.text or ""
        # a dated document in a later edition: its own date in analytic, the edition's in the imprint
        own = analytic.find(tei("date")) if analytic is not None else None
        if own is not None and own.get("when"):
            if "issued" in fields:
                fields["container-issued"] = fields["issued"]
            fields["issued"] = _date_parts(own.get("when"))
        series = record.find(tei("series"))
        if series is not None and series.find(tei("title")) is not None:
            fields["collection-title"] = series.find(tei("title")).text or ""
        ptr = record.find(tei("ptr"))
        if ptr is not None:
            fields["URL"] = ptr.get("target")
    if record.get(xml("lang")):
        fields["language"] = record.get(xml("lang"))
    return fields


def _date_parts(when: str) -> dict[str, Any]:
    return {"date-parts": [[int(p) for p in when.split("-") if p]]}


def _person(element: etree._Element) -> dict[str, str]:
    persname = element.find(tei("persName"))
    holder = persname if persname is not None else element
    forename, surname = holder.find(tei("forename")), holder.find(tei("surname"))
    if surname is None:
        person = {"literal": " ".join("".join(holder.itertext()).split())}
    else:
        person = {"family": surname.text or ""}
        if forename is not None:
            person["given"] = forename.text or ""
    if element.get("role"):  # an editor who compiled the edition (сост.)
        person["role"] = element.get("role")
    return person


def _front_kind(div_type: str, element: etree._Element) -> str:
    if div_type == "title":
        return "title"
    if div_type == "byline":
        text = "".join(element.itertext())
        return "identifiers" if re.search(r"ORCID|@|\d{4}-\d{4}-\d{4}", text) else "author"
    return div_type if div_type in ("abstract", "keywords") else "paragraph"


def _in_text(element: etree._Element) -> bool:
    return any(a.tag == tei("text") for a in element.iterancestors())


def _char_pointer(element: etree._Element) -> tuple[int, int] | None:
    for pointer in (element.get("corresp") or "").split():
        found = CHAR_POINTER.match(pointer)
        if found:
            return int(found["start"]), int(found["end"])
    return None


def _lang(element: etree._Element) -> str | None:
    for candidate in (element, *element.iterancestors()):
        if candidate.get(xml("lang")):
            return candidate.get(xml("lang"))
    return None


def _int(value: Any) -> Any:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else (text or None)


__all__ = ["MAX_BYTES", "TEI_NS", "parse_tei", "read_tei", "record_to_csl"]
