"""Document -> TEI P5, as ``shared/schema/CONVENTIONS.md`` lays it out.

What the author printed goes in ``<text>`` (front: title, byline, abstracts, keywords; body:
sections of ``head``/``p``; back: the footnotes and the printed reference list), what polycorpus
derives goes in ``<standOff>``
(entity registries, parsed citations, sentence alignment), linked by ``#id`` pointers. The writer
uses whatever layers the document has: blocks only, sentences only (grouped by their part), or all.

An article with a numbered reference list gets ``back/div[@type=bibliography]/listBibl/bibl`` (one
per entry, ``@corresp`` to its record) and each in-text citation (``[3, с. 70–72]``) after its
sentence as ``bibl[@type=citation]`` (``@corresp`` to the cited records' ``biblStruct``) >
``ref[@type=bibl]`` to the entries + ``citedRange`` (``bibl`` is invalid
inside ``s``, and the citation, like a footnote marker, is in no sentence of the gold).

Sentence and entity elements carry their raw offsets as ``@corresp="<source>#char=start,end"`` (the source file name %-escaped as a URI)
(RFC 5147, CONVENTIONS §10), so that reading the TEI back gives the same offsets. Output is
pretty-printed only between structural elements (never inside mixed content) and deterministic:
no dates, no dict-order dependence.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from lxml import etree

from .. import __version__
from ..document import Document, RangeIndex, Span
from ..io import atomic_open
from ..structure.footnotes import note_id, note_key
from . import LABEL_ELEMENTS, TEI_NS, tei, xml

# Block kind -> unit kind of the text; footnotes go to back, furniture and references nowhere.
BLOCK_UNITS = {"title": "title", "author": "byline", "affiliation": "byline", "identifiers": "byline",
               "abstract": "abstract", "keywords": "keywords", "heading": "heading", "paragraph": "paragraph"}
# Sentence part -> unit kind, for documents whose sentences have no blocks around them.
PART_UNITS = {"title": "title", "front": "byline", "abstract": "abstract", "keywords": "keywords",
              "heading": "heading", "body": "paragraph"}
FRONT_UNITS = ("title", "byline", "abstract", "keywords")

LANGUAGE_NAMES = {"az": "Azərbaycan dili", "en": "English", "ru": "Русский язык", "tr": "Türkçe",
                  "sv": "Svenska", "de": "Deutsch", "fr": "Français", "pl": "Polski", "uk": "Українська мова",
                  "ka": "ქართული", "fa": "فارسی", "ar": "العربية"}

# CSL-JSON fields of the footnote that cites a work, not of the work (GUIDELINES, citations).
CITATION_ONLY = {"id", "n", "raw", "start", "end", "locator", "ibid", "refers_to", "references", "note",
                 "in_text"}

# Elements between whose children white space is layout, not text.
STRUCTURAL = {
    "TEI", "teiHeader", "fileDesc", "titleStmt", "author", "affiliation", "publicationStmt", "sourceDesc",
    "encodingDesc", "appInfo", "application", "profileDesc", "langUsage", "textClass", "keywords",
    "text", "front", "body", "back", "div", "p", "head", "note", "standOff", "listPerson", "person",
    "listPlace", "place", "listOrg", "org", "listEvent", "event", "listBibl", "biblStruct", "analytic",
    "monogr", "imprint", "linkGrp", "bibl",
}

# Structural only while they hold sentences; with inline elements they are mixed content.
MIXED = {"p", "head", "bibl"}

NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
ORCID = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
W3C_DATE = re.compile(r"^(-?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?|--(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)$")
# ISO 8601 reduced precision that W3C dates cannot express: a century (19) or a decade (193).
ISO_REDUCED = re.compile(r"^\d{2,3}$")
# "ibid." and "op. cit." phrases of the article languages (az, tr, ru, en/la).
BACK_REFERENCE = re.compile(
    r"(Yenə orada|Yene orada|Göstərilən əsəri|Göstərilən əsər|Aynı eser|Aynı yerde|A\.g\.e\.|"
    r"Там же|Указ\. соч\.|Ibid\.?|Ibidem|Op\. cit\.)", re.IGNORECASE)
LABEL_PREFIX = re.compile(r"^[^\W\d][\w ]{0,30}:\s*")


@dataclass
class Unit:
    """A piece of printed text in reading order: a block, or sentences grouped like one."""

    kind: str
    lang: str | None
    span: Span
    sentences: list[Span] = field(default_factory=list)


@dataclass
class Counts:
    """What the writer had to leave out, recorded in ``doc.meta["tei"]``."""

    skipped_entities: int = 0
    skipped_links: int = 0
    skipped_targets: int = 0
    skipped_markers: int = 0
    unnormalised_dates: int = 0


def to_tei(doc: Document, offsets: bool = True) -> bytes:
    """The document as a TEI P5 file (UTF-8 bytes); records what was skipped in ``doc.meta["tei"]``."""
    writer = _Writer(doc, offsets)
    root = writer.build()
    _indent(root)
    doc.meta["tei"] = vars(writer.counts).copy()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def write_tei(doc: Document, path: str | Path, offsets: bool = True) -> Path:
    path = Path(path)
    data = to_tei(doc, offsets)
    with atomic_open(path, "wb") as handle:
        handle.write(data)
    return path


def safe_id(value: str) -> str:
    """An xml:id (NCName) for ``value``: itself when it is one, else a mended copy."""
    if NCNAME.match(value):
        return value
    mended = re.sub(r"[^\w.\-]", "_", value)
    return mended if NCNAME.match(mended) else f"_{mended}"


def date_attributes(norm: str | None) -> dict[str, str]:
    """CONVENTIONS §4: W3C ``when``, a span as ``from``/``to``, a century or decade as ``when-iso``."""
    if not norm:
        return {}
    if W3C_DATE.match(norm):
        return {"when": norm}
    if ISO_REDUCED.match(norm):
        return {"when-iso": norm}
    first, slash, last = norm.partition("/")
    if slash and W3C_DATE.match(first) and W3C_DATE.match(last):
        return {"from": first, "to": last}
    return {"n": norm}


class _Writer:
    def __init__(self, doc: Document, offsets: bool) -> None:
        self.doc = doc
        self.offsets = offsets
        self.source = doc.source or f"{doc.name}.txt"
        # the source as a URI reference: a space would split @corresp into two pointers
        self.source_uri = quote(self.source, safe="/:@!$&'()*+,;=-._~")
        self.counts = Counts()
        self.ids: set[str] = set()
        self.sentence_div: dict[str, str] = {}
        self.sentence_lang: dict[str, str | None] = {}
        self.sentence_ids: dict[Span, str] = {}
        self.markers = sorted(doc.layer("marker"))
        # where numbers restart on every page (or a later article's list starts again), a footnote or
        # entry block has its page: items find it by offset
        self.note_pages = {b.start: b.attrs["page"] for b in doc.blocks("footnote", "reference") if "page" in b.attrs}
        self.units = self._units()
        self.unit_markers = self._assign_markers()
        self.notes, self.entries = self._notes()
        self.note_by_key: dict[str, dict[str, Any]] = {}
        for note in self.notes:  # the first note of a key, as a scan in order would find it
            self.note_by_key.setdefault(str(note["key"]), note)
        self.entry_by_key = {str(e["key"]): e for e in self.entries}
        # raw end of an in-text citation -> its first cited place with a locator (the end, because
        # whether a citation's span starts with the space before it is a convention)
        self.places: dict[int, dict[str, Any]] = {}
        for entry in self.entries:
            for place in entry["item"].get("in_text", ()):
                if place.get("locator"):
                    self.places.setdefault(place.get("end"), place)
        self.list_heading: Unit | None = None
        self.entities = self._place_entities()
        self.records, self.record_of = self._records()
        self.entity_ids = self._entity_ids()

    # -- planning ------------------------------------------------------------------------------
    def _units(self) -> list[Unit]:
        sentences = [s for s in self.doc.layer("sentences") if s.label != "footnote"]
        for span in self.doc.layer("sentences"):
            self.sentence_ids[span] = self._unique(safe_id(span.id or f"{span.lang}.{span.label}.{span.start}"))
        units = [Unit(BLOCK_UNITS[b.label], b.lang, b) for b in self.doc.blocks(*BLOCK_UNITS)]
        find = RangeIndex((a, b, unit) for unit in units for a, b in _pieces(unit.span))
        loose: list[Span] = []
        for sentence in sentences:
            home = find.holding(sentence.start)
            if home is None:
                loose.append(sentence)
            else:
                home.sentences.append(sentence)
        units.extend(_group_sentences(loose, sorted(u.span.start for u in units)))
        return sorted(units, key=lambda u: u.span.start)

    def _assign_markers(self) -> dict[int, list[Span]]:
        """Each footnote marker goes to the last unit that starts before it (the text it follows)."""
        starts = [u.span.start for u in self.units]
        assigned: dict[int, list[Span]] = defaultdict(list)
        for marker in self.markers:
            i = bisect.bisect_right(starts, marker.start) - 1
            if i < 0:
                self.counts.skipped_markers += 1
            else:
                assigned[id(self.units[i])].append(marker)
        return assigned

    def _notes(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Footnotes and reference-list entries: number, raw span (block, for pieces), citation item, id.

        An item is an entry of the reference list when its block is a ``reference`` or the
        citations stage gave it ``in_text``.
        """
        blocks = {note_key(b.attrs.get("n"), b.attrs.get("page")): b
                  for b in self.doc.blocks("footnote", "reference")}
        items = {self._item_key(item): item for item in self.doc.data.get("citations", []) if "start" in item}
        notes, entries = [], []
        for key in sorted(set(blocks) | set(items), key=_note_order):
            n, page = (key[1], key[0]) if isinstance(key, tuple) else (key, None)
            if n is None:
                continue
            item = items.get(key, {})
            block = blocks.get(key) or self.doc.span(item["start"], item["end"], "footnote")
            entry = block.label == "reference" or "in_text" in item
            prefix = "ref" if entry else "fn"
            name = note_id(n, page) if page is not None else f"{prefix}{safe_id(str(n)).lstrip('_')}"
            (entries if entry else notes).append({
                "n": n, "key": key, "span": block, "item": item, "lang": block.lang or item.get("language"),
                "id": self._unique(name)})
        return notes, entries

    def _item_key(self, item: dict[str, Any]) -> Any:
        return note_key(item.get("n"), self.note_pages.get(item.get("start")))

    def _back_targets(self, items: list[dict[str, Any]]) -> dict[Any, Any]:
        """Note key of each ibid or op. cit. -> key of the note it refers to (its ``refers_to``).

        Where numbers restart on every page, ``refers_to`` (a printed number) is taken to be the
        latest earlier note so numbered that is not itself a back-reference.
        """
        targets = {}
        for k, item in enumerate(items):
            refers_to = item.get("refers_to")
            if refers_to is None or not self.note_pages:
                targets[self._item_key(item)] = refers_to
                continue
            earlier = next((e for e in reversed(items[:k]) if e.get("n") == refers_to and "refers_to" not in e), None)
            targets[self._item_key(item)] = self._item_key(earlier) if earlier else None
        return targets

    def _place_entities(self) -> dict[Any, list[Span]]:
        """Entities by the sentence, text-only unit or note holding them; the rest are counted."""
        homes: list[tuple[int, int, Any]] = []
        for unit in self.units:
            if unit.sentences:
                homes.extend((s.start, s.end, s) for s in unit.sentences)
            else:
                homes.extend((a, b, unit.span) for a, b in _pieces(unit.span))
        for note in self.notes + self.entries:
            homes.extend((a, b, note["span"]) for a, b in _pieces(note["span"]))
        homes.sort(key=lambda h: (h[0], h[1]))
        starts = [h[0] for h in homes]
        placed: dict[Any, list[Span]] = defaultdict(list)
        for entity in self.doc.layer("entities"):
            i = bisect.bisect_right(starts, entity.start) - 1
            while i >= 0 and homes[i][1] <= entity.start:
                i -= 1
            if i >= 0 and homes[i][0] <= entity.start and entity.end <= homes[i][1]:
                placed[homes[i][2]].append(entity)
            else:
                self.counts.skipped_entities += 1
        return placed

    def _records(self) -> tuple[list[tuple[str, dict[str, Any]]], dict[int, list[str]]]:
        """Distinct cited works (id, CSL item) and, per footnote number, the record ids it cites."""
        from ..citations.export import record_id

        by_signature: dict[str, str] = {}
        records: list[tuple[str, dict[str, Any]]] = []
        record_of: dict[Any, list[str]] = {}
        items = self.doc.data.get("citations", [])
        self.back_targets = self._back_targets(items)
        for item in items:
            key = self._item_key(item)
            if self.back_targets[key] in record_of:  # ibid and op. cit. share the earlier record
                record_of[key] = record_of[self.back_targets[key]][:1]
                continue
            ids = []
            for work in [item, *item.get("references", [])]:
                if not any(work.get(k) for k in ("title", "author", "container-title", "archive")):
                    continue
                signature = _signature(work)
                if signature not in by_signature:
                    by_signature[signature] = self._unique(safe_id(record_id(work)), suffixes="abcdefghijklmnopqrstuvwxyz")
                    records.append((by_signature[signature], work))
                ids.append(by_signature[signature])
            record_of[key] = ids
        return records, record_of

    def _entity_ids(self) -> dict[str, str]:
        """norm -> xml:id of its registry entry (the norm itself whenever it is a free NCName)."""
        ids = {}
        for norm in sorted({e.attrs.get("norm") for e in self.doc.layer("entities")
                            if e.label != "DATE" and e.attrs.get("norm")}):
            ids[norm] = self._unique(safe_id(norm))
        return ids

    def _unique(self, wanted: str, suffixes: Iterable[str] | None = None) -> str:
        candidate, k = wanted, 1
        letters = list(suffixes or ())
        while candidate in self.ids:
            k += 1
            candidate = f"{wanted}{letters[k - 2]}" if k - 2 < len(letters) else f"{wanted}.{k}"
        self.ids.add(candidate)
        return candidate

    # -- the tree ------------------------------------------------------------------------------
    def build(self) -> etree._Element:
        root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
        root.set(xml("id"), self._unique(safe_id(self.doc.name)))
        main_lang = self._main_language()
        if main_lang:
            root.set(xml("lang"), main_lang)
        header = self._header()
        text = self._text()
        root.append(header)
        root.append(text)
        standoff = self._standoff()
        if len(standoff):
            root.append(standoff)
        return root

    def _main_language(self) -> str | None:
        counts = Counter(u.lang for u in self.units if u.kind == "paragraph" and u.lang)
        counts = counts or Counter(s.lang for s in self.doc.layer("sentences") if s.lang)
        return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else None

    def _header(self) -> etree._Element:
        header = etree.Element(tei("teiHeader"))
        file_desc = _sub(header, "fileDesc")
        title_stmt = _sub(file_desc, "titleStmt")
        titles = [(u.lang, self._plain(u)) for u in self.units if u.kind == "title"]
        for lang, text in titles or [(None, self.doc.name)]:
            _sub(title_stmt, "title", text, type="main", **_lang(lang))
        self._author(title_stmt)
        _sub(_sub(file_desc, "publicationStmt"), "p",
             f"Built by polycorpus {__version__} from {self.source}.")
        bibl = _sub(_sub(file_desc, "sourceDesc"), "bibl")
        _sub(bibl, "idno", self.source, type="file")
        self._app_info(_sub(header, "encodingDesc"))
        profile = _sub(header, "profileDesc")
        usage = _sub(profile, "langUsage")
        for lang in self._languages():
            _sub(usage, "language", _language_name(lang), ident=lang)
        keywords = [(u.lang, self._plain(u)) for u in self.units if u.kind == "keywords"]
        if keywords:
            text_class = _sub(profile, "textClass")
            for lang, text in keywords:
                terms = [t.strip(" .") for t in re.split(r"[,;]", LABEL_PREFIX.sub("", text))]
                if any(terms):
                    kw = _sub(text_class, "keywords", **_lang(lang))
                    for term in filter(None, terms):
                        _sub(kw, "term", term)
        return header

    def _author(self, title_stmt: etree._Element) -> None:
        names = [(b.lang, self._clean_text(b)) for b in self.doc.blocks("author")]
        identifiers = " ".join(self._clean_text(b) for b in self.doc.blocks("identifiers"))
        affiliations = [(b.lang, self._clean_text(b)) for b in self.doc.blocks("affiliation")]
        if not names:
            return
        author = _sub(title_stmt, "author")
        for lang, text in names:
            name = re.sub(r"^©\s*\d{4}\s*", "", text).strip()
            persname = _sub(author, "persName", **_lang(lang))
            *given, family = name.split()
            if given:
                _sub(persname, "forename", " ".join(given)).tail = " "
            _sub(persname, "surname", family)
        for email in EMAIL.findall(identifiers):
            _sub(author, "email", email)
        for orcid in ORCID.findall(identifiers):
            _sub(author, "idno", orcid, type="ORCID")
        for lang, text in affiliations:
            _sub(_sub(author, "affiliation"), "orgName", text, **_lang(lang))

    def _app_info(self, encoding_desc: etree._Element) -> None:
        application = _sub(_sub(encoding_desc, "appInfo"), "application", ident="polycorpus", version=__version__)
        _sub(application, "label", "polycorpus")
        stages = self.doc.meta.get("stages", {})
        if not stages:
            _sub(application, "desc", "No annotation stages were run; layers as loaded.")
        for name in stages:
            # the stage's settings, then what it recorded about its backends (doc.meta[name])
            recorded = self.doc.meta.get(name)
            settings = _flat({**(stages[name] or {}), **(recorded if isinstance(recorded, dict) else {})})
            text = "; ".join(f"{k}={settings[k]}" for k in sorted(settings))
            _sub(application, "desc", f"{name}: {text}" if text else name, type="stage")

    def _languages(self) -> list[str]:
        langs = {u.lang for u in self.units} | {n["lang"] for n in self.notes + self.entries}
        langs |= {s.lang for layer in ("sentences", "entities") for s in self.doc.layer(layer)}
        return sorted(lang for lang in langs if lang)

    def _text(self) -> etree._Element:
        text = etree.Element(tei("text"))
        front = [u for u in self.units if u.kind in FRONT_UNITS]
        if front:
            self._front(_sub(text, "front"), front)
        body = [u for u in self.units if u.kind not in FRONT_UNITS]
        # the reference list's printed heading ("Список литературы") heads its div, not an empty section
        if self.entries and body and body[-1].kind == "heading" and body[-1].span.start < self.entries[0]["span"].start:
            self.list_heading = body.pop()
        self._body(_sub(text, "body"), body)
        if self.notes or self.entries:
            self._back(_sub(text, "back"))
        return text

    def _front(self, front: etree._Element, units: list[Unit]) -> None:
        current: tuple[str, str | None] | None = None
        div = None
        for unit in units:
            # consecutive byline blocks of one language share a div; every other block has its own
            if unit.kind != "byline" or current != ("byline", unit.lang):
                div = _sub(front, "div", type=unit.kind, **_lang(unit.lang))
                div.set(xml("id"), self._unique(f"{unit.kind}.{unit.lang or 'und'}"))
                current = (unit.kind, unit.lang)
            container = _sub(div, "head" if unit.kind == "title" else "p")
            self._fill_unit(container, unit, div.get(xml("id")))

    def _body(self, body: etree._Element, units: list[Unit]) -> None:
        div = None
        for unit in units:
            if div is None or unit.kind == "heading":
                div = _sub(body, "div", type="section")
                div.set(xml("id"), self._unique(f"sec.{len(body)}"))
                if unit.lang:
                    div.set(xml("lang"), unit.lang)
            container = _sub(div, "head" if unit.kind == "heading" else "p")
            self._fill_unit(container, unit, div.get(xml("id")))
        if div is None:
            _sub(body, "p")

    def _fill_unit(self, container: etree._Element, unit: Unit, div_id: str) -> None:
        """Sentences as ``s`` (footnote refs after them), or the unit's clean text if it has none."""
        markers = self.unit_markers.get(id(unit), [])
        if not unit.sentences:
            clean = self.doc.clean(unit.span)
            marks = self._entity_marks(unit.span, clean)
            marks += [(bisect.bisect_left(clean.offsets, m.start), None, ref)
                      for m in markers if (ref := self._ref(m)) is not None]
            _fill(container, clean.text, marks, self.counts)
            return
        pending = list(markers)
        for sentence in unit.sentences:
            while pending and pending[0].start < sentence.start:
                self._append_ref(container, pending.pop(0))
            element = _sub(container, "s")
            sid = self.sentence_ids[sentence]
            element.set(xml("id"), sid)
            self.sentence_div[sid] = div_id
            self.sentence_lang[sid] = sentence.lang
            if sentence.lang and sentence.lang != unit.lang:
                element.set(xml("lang"), sentence.lang)
            self._pointer(element, sentence)
            clean = self.doc.clean(sentence)
            _fill(element, clean.text, self._entity_marks(sentence, clean), self.counts)
        for marker in pending:
            self._append_ref(container, marker)

    def _append_ref(self, container: etree._Element, marker: Span) -> None:
        ref = self._ref(marker)
        if ref is not None:
            container.append(ref)

    def _ref(self, marker: Span) -> etree._Element | None:
        if isinstance(marker.attrs.get("n"), (list, tuple)):
            return self._citation(marker)
        key = note_key(marker.attrs.get("n"), marker.attrs.get("page"))
        note = self.note_by_key.get(str(key))
        if note is None or "ref" in note:
            self.counts.skipped_markers += 1
            return None
        note["ref"] = f"{note['id']}.ref"
        ref = etree.Element(tei("ref"), type="foot", target=f"#{note['id']}")
        ref.set(xml("id"), self._unique(note["ref"]))
        ref.text = str(marker.attrs.get("n"))
        self._pointer(ref, marker)
        return ref

    def _citation(self, marker: Span) -> etree._Element | None:
        """An in-text citation of the reference list: ``bibl[@type=citation]`` > ``ref[@type=bibl]`` to the
        entries, the printed pinpoint as ``citedRange`` (unit, from, to from the entry's ``in_text``)."""
        # a later article's citation names the page its list starts on, as its entries' keys do
        by_n = {str(n): self.entry_by_key[key] for n in marker.attrs["n"]
                if (key := str(note_key(n, marker.attrs.get("page")))) in self.entry_by_key}
        targets = [by_n[str(n)]["id"] for n in marker.attrs["n"] if str(n) in by_n]
        if not targets:
            self.counts.skipped_markers += 1
            return None
        from ..citations.intext import printed_pinpoint

        raw = self.doc.raw
        start = marker.start + len(raw[marker.start:marker.end]) - len(raw[marker.start:marker.end].lstrip())
        bibl = etree.Element(tei("bibl"), type="citation")
        # like a footnote's bibl, @corresp names the parsed records (biblStruct) it cites
        self._pointer(bibl, marker, dict.fromkeys(r for n in marker.attrs["n"] if str(n) in by_n
                                                  for r in self.record_of.get(by_n[str(n)]["key"], [])))
        ref = _sub(bibl, "ref", type="bibl", target=" ".join(f"#{t}" for t in targets))
        printed = printed_pinpoint(raw, marker.start, marker.end)
        if printed is None:
            ref.text = _folded(raw[start:marker.end])
            return bibl
        head = raw[start:printed[0]]
        cut = re.search(r"[,;:]\s*$", head)
        ref.text = _folded(head[:cut.start()] if cut else head)
        ref.tail = _folded(head[cut.start():]) if cut else None
        place = self.places.get(marker.end, {})
        cited = _sub(bibl, "citedRange", _folded(raw[printed[0]:printed[1]]), unit=place.get("label", "page"),
                     **_range(place.get("locator", "")))
        cited.tail = _folded(raw[printed[1]:marker.end]) or None
        return bibl

    def _entity_marks(self, home: Any, clean) -> list[tuple[int, int, etree._Element]]:
        marks = []
        for entity in self.entities.get(home, ()):
            found = clean.from_raw(entity.start, entity.end)
            if found is None:
                self.counts.skipped_entities += 1
                continue
            element = etree.Element(tei(LABEL_ELEMENTS.get(entity.label, "name")))
            norm = entity.attrs.get("norm")
            if entity.label == "DATE":
                attributes = date_attributes(norm)
                self.counts.unnormalised_dates += "n" in attributes
                for key, value in attributes.items():
                    element.set(key, value)
            else:
                if entity.label == "WORK" and entity.attrs.get("level"):
                    element.set("level", entity.attrs["level"])
                if entity.label not in LABEL_ELEMENTS:
                    element.set("type", entity.label)
                if norm:
                    element.set("ref", f"#{self.entity_ids[norm]}")
            if entity.lang and entity.lang != home.lang:
                element.set(xml("lang"), entity.lang)
            self._pointer(element, entity)
            marks.append((found[0], found[1], element))
        return marks

    def _pointer(self, element: etree._Element, span: Span, records: Iterable[str] = ()) -> None:
        """``@corresp``: the parsed records (``biblStruct`` ids) ``element`` cites, then its raw offsets."""
        pointers = [f"#{r}" for r in records]
        if self.offsets:
            pointers.append(f"{self.source_uri}#char={span.start},{span.end}")
        if pointers:
            element.set("corresp", " ".join(pointers))

    def _back(self, back: etree._Element) -> None:
        if self.notes:
            self._footnotes(_sub(back, "div", type="notes"))
        if self.entries:
            self._bibliography(_sub(back, "div", type="bibliography"))

    def _bibliography(self, div: etree._Element) -> None:
        """The reference list under its heading: ``bibl[@n][@xml:id]`` with the printed entry, ``@corresp``
        to its record (and to its raw offsets)."""
        if self.list_heading is not None:
            div.set(xml("id"), self._unique("bibliography"))
            if self.list_heading.lang:
                div.set(xml("lang"), self.list_heading.lang)
            self._fill_unit(_sub(div, "head"), self.list_heading, div.get(xml("id")))
        listbibl = _sub(div, "listBibl")
        for entry in self.entries:
            bibl = _sub(listbibl, "bibl", n=str(entry["n"]))
            bibl.set(xml("id"), entry["id"])
            if entry["lang"]:
                bibl.set(xml("lang"), entry["lang"])
            self._pointer(bibl, entry["span"], self.record_of.get(entry["key"], []))
            clean = self.doc.clean(entry["span"])
            _fill(bibl, clean.text, self._entity_marks(entry["span"], clean), self.counts)

    def _footnotes(self, div: etree._Element) -> None:
        find = RangeIndex((a, b, note) for note in self.notes for a, b in _pieces(note["span"]))
        note_sentences: dict[int, list[Span]] = defaultdict(list)
        for sentence in self.doc.layer("sentences"):
            note = find.holding(sentence.start) if sentence.label == "footnote" else None
            if note is not None:
                note_sentences[id(note)].append(sentence)
        for note in self.notes:
            element = _sub(div, "note", place="foot", n=str(note["n"]))
            element.set(xml("id"), note["id"])
            if "ref" in note:
                element.set("target", f"#{note['ref']}")
            if note["lang"]:
                element.set(xml("lang"), note["lang"])
            self._pointer(element, note["span"])
            item = note["item"]
            bibl = _sub(element, "bibl")
            if item.get("ibid"):
                bibl.set("type", "ibid")
            records = self.record_of.get(note["key"], [])
            if records:
                bibl.set("corresp", " ".join(f"#{r}" for r in records))
            clean = self.doc.clean(note["span"])
            marks = _cited_range(clean.text, item.get("locator")) + self._back_reference(clean.text, item)
            sentences = note_sentences.get(id(note), [])
            if not sentences:
                _fill(bibl, clean.text, self._entity_marks(note["span"], clean) + marks, self.counts)
                continue
            for sentence in sentences:
                s = _sub(bibl, "s")
                s.set(xml("id"), self.sentence_ids[sentence])
                self._pointer(s, sentence)
                sentence_clean = self.doc.clean(sentence)
                _fill(s, sentence_clean.text, self._entity_marks(sentence, sentence_clean), self.counts)
            # a sentence holds phrases only: the pinpoint and the back-reference follow it as
            # empty elements (the range in @from/@to, the note pointed to in @target)
            for _, _, element in marks:
                if element.tag != tei("citedRange") or element.get("from"):
                    bibl.append(element)

    def _back_reference(self, text: str, item: dict[str, Any]) -> list[tuple[int, int | None, etree._Element]]:
        """``ref[@type=ibid|op-cit]`` to the footnote an ibid or op. cit. points back to (CONVENTIONS §6)."""
        wanted = self.back_targets.get(self._item_key(item))
        target = self.note_by_key.get(str(wanted))
        if target is None:
            return []
        ref = etree.Element(tei("ref"), type="ibid" if item.get("ibid") else "op-cit", target=f"#{target['id']}")
        found = BACK_REFERENCE.search(text)
        return [(found.start(1), found.end(1), ref) if found else (0, None, ref)]

    def _standoff(self) -> etree._Element:
        standoff = etree.Element(tei("standOff"))
        self._registries(standoff)
        if self.records:
            from ..citations.export import to_biblstruct

            listbibl = _sub(standoff, "listBibl", type="citations")
            for record_id, work in self.records:
                listbibl.append(to_biblstruct(work, record_id))
        self._alignment(standoff)
        return standoff

    def _registries(self, standoff: etree._Element) -> None:
        """One entry per norm key, in the list of its most frequent label, names per language."""
        from ..entities.linking import registry

        names: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        labels: dict[str, Counter] = defaultdict(Counter)
        for entity in self.doc.layer("entities"):
            norm = entity.attrs.get("norm")
            if entity.label == "DATE" or not norm:
                continue
            labels[norm][entity.label] += 1
            names[norm][entity.lang or "und"][self._clean_text(entity)] += 1
        preferred = {key: record.get("name", {}) for records in registry(self.doc).values()
                     for key, record in records.items()}
        lists = {"PER": ("listPerson", "person", "persName"), "LOC": ("listPlace", "place", "placeName"),
                 "ORG": ("listOrg", "org", "orgName"), "EVENT": ("listEvent", "event", "label"),
                 "WORK": ("listBibl", "bibl", "title")}
        containers: dict[str, etree._Element] = {}
        for label, (list_tag, _, _) in lists.items():
            containers[label] = etree.Element(tei(list_tag), **({"type": "works"} if label == "WORK" else {}))
        for norm in sorted(labels):
            label = min(labels[norm], key=lambda lab: (-labels[norm][lab], lab))
            list_tag, entry_tag, name_tag = lists.get(label, lists["ORG"])
            entry = _sub(containers[label if label in lists else "ORG"], entry_tag)
            entry.set(xml("id"), self.entity_ids[norm])
            if self.entity_ids[norm] != norm:
                entry.set("n", norm)
            by_lang = preferred.get(norm) or {
                lang: min(forms, key=lambda f: (-forms[f], len(f), f)) for lang, forms in names[norm].items()}
            for lang in sorted(by_lang):
                _sub(entry, name_tag, by_lang[lang], **_lang(None if lang == "und" else lang))
        for label in lists:
            if len(containers[label]):
                standoff.append(containers[label])

    def _alignment(self, standoff: etree._Element) -> None:
        groups: dict[tuple[str, ...], list[etree._Element]] = {}
        for bead in self.doc.data.get("alignment", []):
            targets, shape = [], []
            for lang in _bead_langs(bead):
                ids = [i for i in bead.get(lang, []) if i in self.sentence_div]
                self.counts.skipped_targets += len(bead.get(lang, [])) - len(ids)
                targets.extend(ids)
                shape.append(str(len(ids)))
            if len(targets) < 2:
                self.counts.skipped_links += 1
                continue
            domains = tuple(dict.fromkeys(self.sentence_div[t] for t in targets))
            link = etree.Element(tei("link"), type="-".join(shape), target=" ".join(f"#{t}" for t in targets))
            score = bead.get("score")
            if isinstance(score, (int, float)) and 0 <= score <= 1:
                link.set("cert", f"{score:.4f}")
            groups.setdefault(domains, []).append(link)
        for domains, links in groups.items():
            group = _sub(standoff, "linkGrp", type="alignment", domains=" ".join(f"#{d}" for d in domains))
            group.extend(links)

    # -- text helpers --------------------------------------------------------------------------
    def _clean_text(self, span: Span) -> str:
        return self.doc.clean(span).text

    def _plain(self, unit: Unit) -> str:
        if unit.sentences:
            return " ".join(self._clean_text(s) for s in unit.sentences)
        return self._clean_text(unit.span)


def _range(value: str) -> dict[str, str]:
    found = re.fullmatch(r"\s*(\d+)\s*(?:[-–—]\s*(\d+))?\s*", value)
    if not found:
        return {}
    return {"from": found.group(1), "to": found.group(2) or found.group(1)}


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _cited_range(text: str, locator: Any) -> list[tuple[int, int, etree._Element]]:
    """The printed pinpoint (the last occurrence of the locator) as ``citedRange``."""
    if not locator:
        return []
    locator = str(locator)
    found = None
    for found in re.finditer(rf"(?<!\d){re.escape(locator)}(?!\d)", text):
        pass
    if found is None:
        return []
    element = etree.Element(tei("citedRange"), unit="page", **_range(locator))
    return [(found.start(), found.end(), element)]


def _signature(work: dict[str, Any]) -> str:
    """Two citations are of one work when everything but the citing footnote's own fields agrees."""
    return json.dumps({k: v for k, v in work.items() if k not in CITATION_ONLY}, sort_keys=True, ensure_ascii=False)


def _bead_langs(bead: dict[str, Any]) -> list[str]:
    """az, en, ru first (CONVENTIONS §5), then any other language, sorted; a bead's languages are
    its keys holding sentence ids (the others are figures: score, confidence, weak)."""
    others = sorted(k for k, v in bead.items() if isinstance(v, list) and k not in ("az", "en", "ru"))
    return [lang for lang in ("az", "en", "ru") if lang in bead] + others


def _group_sentences(sentences: list[Span], block_starts: list[int]) -> list[Unit]:
    """Units for sentences outside any block: consecutive sentences of one part and language
    with no block between them."""
    units: list[Unit] = []
    for sentence in sorted(sentences):
        kind = PART_UNITS.get(sentence.label, "paragraph")
        last = units[-1] if units else None
        between = last and bisect.bisect_left(block_starts, last.span.end) < bisect.bisect_left(
            block_starts, sentence.start)
        if last and last.kind == kind and last.lang == sentence.lang and kind != "heading" and not between:
            last.sentences.append(sentence)
            last.span = Span(last.span.start, sentence.end, kind, last.lang)
        else:
            units.append(Unit(kind, sentence.lang, Span(sentence.start, sentence.end, kind, sentence.lang),
                              [sentence]))
    return units


def _pieces(span: Span) -> list[tuple[int, int]]:
    return [tuple(p) for p in span.attrs.get("pieces") or [(span.start, span.end)]]


def _note_order(key: Any) -> tuple[bool, int, tuple[int, str]]:
    page, n = key if isinstance(key, tuple) else (0, key)
    return n is None, page, _number(n)


def _number(value: Any) -> tuple[int, str]:
    text = str(value)
    return (int(text), "") if text.isdigit() else (10**9, text)


def _flat(settings: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested settings as ``key.sub`` -> text, lists comma-joined."""
    flat: dict[str, str] = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return flat


def _language_name(lang: str) -> str:
    if lang in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[lang]
    import pycountry

    found = pycountry.languages.get(alpha_2=lang) or pycountry.languages.get(alpha_3=lang)
    return found.name if found else lang


def _lang(lang: str | None) -> dict[str, str]:
    return {xml("lang"): lang} if lang else {}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tei(tag))
    for key, value in attrs.items():
        element.set(key, value)
    if text is not None:
        element.text = text
    return element


def _fill(parent: etree._Element, text: str, marks: list[tuple[int, int | None, etree._Element]],
          counts: Counts) -> None:
    """Write ``text`` into ``parent`` with inline elements over clean ranges; ``end`` None = a point.

    Marks that overlap an earlier one are left out (entities are not nested) and counted.
    """
    last: etree._Element | None = None
    cursor = 0
    # at one position: points first, then the longer range
    for start, end, element in sorted(marks, key=lambda m: (m[0], m[1] is not None, -(m[1] or m[0]))):
        if start < cursor:
            if element.get("type") == "foot":
                counts.skipped_markers += 1
            elif element.tag != tei("citedRange"):
                counts.skipped_entities += 1
            continue
        _append_text(parent, last, text[cursor:start])
        if end is not None:
            element.text = text[start:end]
            cursor = end
        else:
            cursor = start
        parent.append(element)
        last = element
    _append_text(parent, last, text[cursor:])


def _append_text(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _indent(element: etree._Element, level: int = 0) -> None:
    """Two-space indentation between the children of structural elements with no text of their own."""
    local = etree.QName(element).localname
    if not len(element) or local not in STRUCTURAL:
        return
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        return
    if local in MIXED and any(etree.QName(child).localname not in ("s", "ref", "bibl") for child in element):
        return
    if local == "bibl" and element.get("type") == "citation":  # an in-text citation is phrase-level
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        child.tail = pad
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level
