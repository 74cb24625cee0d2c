"""Parsed citations out: CSL-JSON for Zotero/pandoc, BibTeX (bibtexparser 2), TEI ``biblStruct``, a table.

The exports hold one record per distinct cited work: a footnote's further references are
flattened, back-references (which name no work of their own) and repeats are left out. The
gold-format ``citations.json`` (written by :mod:`polycorpus.outputs`) is the per-citation view: it
keeps every footnote, repeats and ibids included, in order; :func:`to_table` has one row per
reference of it. Pinpoints (``locator``, ``in_text``) belong to a citation, not to a work, so they
are in those two and not in the CSL, BibTeX and TEI records (TEI puts them in the citing
``bibl``'s ``citedRange``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

EXTENSIONS = ("n", "raw", "locator", "ibid", "refers_to", "start", "end", "references", "in_text")
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
PART_TYPES = ("chapter", "article-journal", "article-newspaper", "paper-conference", "personal_communication")
BIBTEX_TYPES = {"book": "book", "chapter": "incollection", "article-journal": "article", "article-newspaper": "article",
                "paper-conference": "inproceedings", "manuscript": "unpublished", "personal_communication": "misc",
                "thesis": "thesis", "webpage": "online"}  # the last two are biblatex's
# Cyrillic → Latin for record ids (BGN/PCGN-like, ASCII only).
CYRILLIC_ASCII = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                          ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                           "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
LATIN_EXTRA = {"ə": "a", "ı": "i", "ß": "ss", "ø": "o", "ł": "l"}


def works(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Distinct works cited by ``items`` (gold-format footnote items), first citation first."""
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        for record in [item] + list(item.get("references", [])):
            if not (record.get("title") or record.get("archive")):
                continue
            key = _work_key(record)
            if key not in seen:
                seen[key] = record
    return list(seen.values())


def _work_key(record: dict[str, Any]) -> str:
    names = ";".join(a.get("family", a.get("literal", "")) for a in record.get("author", []))
    return "|".join([names, _fold(record.get("title", "")), _fold(record.get("container-title", "")),
                     _fold(record.get("archive_location", "")), str(_year(record) or "")])


def _fold(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _year(record: dict[str, Any]) -> int | None:
    parts = (record.get("issued") or {}).get("date-parts") or [[]]
    return parts[0][0] if parts[0] else None


def ascii_key(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (Cyrillic transliterated, diacritics dropped)."""
    out = []
    text = re.sub(r"ə\b", "e", text.lower())  # Rəsulzadə → rasulzade, as it is spelled in English
    for char in text:
        char = CYRILLIC_ASCII.get(char, LATIN_EXTRA.get(char, char))
        out.append(unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode())
    return re.sub(r"[^a-z0-9]", "", "".join(out))


def record_id(item: dict[str, Any]) -> str:
    """``bib.<surname><year>`` (CONVENTIONS §9): first author, else first editor (or compiler), else first word
    of title or archive."""
    authors = item.get("author") or item.get("editor") or []
    head = ""
    if authors:
        head = authors[0].get("family") or authors[0].get("literal", "")
    if not ascii_key(head):
        words = (item.get("title") or item.get("archive") or "work").split()
        head = next((w for w in words if ascii_key(w)), "work")
    year = _year(item)
    return f"bib.{ascii_key(head)}{year or ''}"


def unique_ids(records: list[dict[str, Any]]) -> list[str]:
    """:func:`record_id` of each record, with a, b, … added where two works share one."""
    ids = [record_id(r) for r in records]
    counts: dict[str, int] = {}
    for key in ids:
        counts[key] = counts.get(key, 0) + 1
    used: dict[str, int] = {}
    out = []
    for key in ids:
        if counts[key] > 1:
            used[key] = used.get(key, 0) + 1
            key = f"{key}{chr(ord('a') + used[key] - 1)}"
        out.append(key)
    return out


# -- CSL-JSON ----------------------------------------------------------------------------------
def to_csl(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """CSL-JSON items for Zotero and pandoc: the distinct works, without polycorpus's extensions."""
    records = works(items)
    out = []
    for key, record in zip(unique_ids(records), records):
        csl = {"id": key.removeprefix("bib.")}
        csl.update({k: v for k, v in record.items() if k not in EXTENSIONS and k not in ("id", "editor")})
        editors = [p for p in record.get("editor", []) if p.get("role") != "compiler"]
        compilers = [_plain_name(p) for p in record.get("editor", []) if p.get("role") == "compiler"]
        csl.update({k: v for k, v in (("editor", [_plain_name(p) for p in editors]), ("compiler", compilers)) if v})
        out.append(csl)
    return out


def _plain_name(person: dict[str, str]) -> dict[str, str]:
    """A CSL name without polycorpus's ``role`` key."""
    return {k: v for k, v in person.items() if k != "role"}


# -- BibTeX ------------------------------------------------------------------------------------
def _bib_names(people: list[dict[str, str]]) -> str:
    return " and ".join(f"{p['family']}, {p['given']}" if p.get("given") else "{" + p.get("family", p.get("literal", "")) + "}"
                        for p in people)


def to_bibtex(items: Iterable[dict[str, Any]]) -> str:
    """BibTeX of the distinct works, built as bibtexparser 2 model objects and written by its writer."""
    import bibtexparser
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    library = Library()
    records = works(items)
    for key, record in zip(unique_ids(records), records):
        kind = record.get("type", "book")
        fields = []
        for csl, bib in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
            if record.get(csl):
                fields.append(Field(bib, _bib_names(record[csl])))
        if record.get("editor") and all(p.get("role") == "compiler" for p in record["editor"]):
            fields.append(Field("editortype", "compiler"))  # biblatex
        container = record.get("container-title")
        container_field = "journal" if kind.startswith("article") else "booktitle"
        values = [("title", record.get("title")), (container_field, container),
                  ("publisher", record.get("publisher")), ("address", record.get("publisher-place")),
                  ("year", _year(record)), ("volume", record.get("volume")), ("number", record.get("issue")),
                  ("pages", (record.get("page") or "").replace("-", "--") or None),
                  ("howpublished", record.get("archive")), ("note", record.get("archive_location")),
                  ("series", record.get("collection-title")), ("type", record.get("genre")),
                  ("pagetotal", record.get("number-of-pages")), ("url", record.get("URL")),
                  ("urldate", _when(record.get("accessed"))), ("edition", record.get("edition")),
                  ("isbn", record.get("ISBN")), ("doi", record.get("DOI")), ("langid", record.get("language"))]
        fields.extend(Field(k, str(v)) for k, v in values if v)
        library.add(Entry(BIBTEX_TYPES.get(kind, "misc"), key.removeprefix("bib."), fields))
    return bibtexparser.write_string(library)


# -- TEI ---------------------------------------------------------------------------------------
def _tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    from lxml import etree

    element = etree.SubElement(parent, _tei(tag), {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _person(parent: Any, tag: str, person: dict[str, str], role: str | None = None) -> None:
    holder = _sub(parent, tag, **({"role": role} if role else {}))
    if "literal" in person:
        _sub(holder, "orgName", person["literal"])
        return
    pers = _sub(holder, "persName")
    if person.get("given"):
        _sub(pers, "forename", person["given"]).tail = " "
    _sub(pers, "surname", person.get("family", ""))


def _when(date: dict[str, Any] | None) -> str | None:
    parts = (date or {}).get("date-parts") or [[]]
    if not parts[0]:
        return None
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts[0]))


def _scope(parent: Any, unit: str, value: str) -> None:
    bounds = value.split("-", 1)
    attrs = {"unit": unit}
    if all(b.isdigit() for b in bounds):
        attrs.update({"from": bounds[0], "to": bounds[-1]})
    _sub(parent, "biblScope", value, **attrs)


def to_biblstruct(item: dict[str, Any], xml_id: str | None = None) -> Any:
    """The TEI record of one work (CONVENTIONS §7): ``biblStruct``, or ``bibl`` for archival files and
    for works with nothing to put in an imprint."""
    from lxml import etree

    kind = item.get("type", "book")
    attrs = {XML_ID: xml_id or record_id(item)}
    if item.get("language"):
        attrs[XML_LANG] = item["language"]
    if kind == "manuscript" or "archive" in item or "archive_location" in item:
        return _manuscript(item, attrs)
    part = kind in PART_TYPES and bool(item.get("container-title"))
    # a dated document in a later edition: its own date goes in analytic, the edition's in the imprint
    own_date = _when(item.get("issued")) if part and "container-issued" in item else None
    imprint_date = _when(item.get("container-issued") or item.get("issued"))
    has_imprint = any([imprint_date, item.get("publisher-place"), item.get("publisher"), item.get("volume"),
                       item.get("issue"), item.get("page"), item.get("number-of-pages"), item.get("URL")])
    if not has_imprint:
        return _plain_bibl(item, attrs)
    root = etree.Element(_tei("biblStruct"), {"type": kind, **attrs}, nsmap={None: TEI_NS})
    if part:
        analytic = _sub(root, "analytic")
        for person in item.get("author", []):
            _person(analytic, "author", person)
        if item.get("title"):
            _sub(analytic, "title", item["title"], level="a", **({"type": "desc"} if kind == "personal_communication" else {}))
        if own_date:
            _sub(analytic, "date", own_date, when=own_date)
        if item.get("DOI"):
            _sub(analytic, "idno", item["DOI"], type="DOI")
    monogr = _sub(root, "monogr")
    if not part:
        for person in item.get("author", []):
            _person(monogr, "author", person)
    title = item.get("container-title") if part else item.get("title")
    level = "j" if kind in ("article-journal", "article-newspaper") and part else "m"
    _sub(monogr, "title", title or "", level=level)
    for person in item.get("editor", []):
        _person(monogr, "editor", person, person.get("role"))
    for person in item.get("translator", []):
        _person(monogr, "editor", person, "translator")
    for key in ("ISBN", "DOI"):  # a DOI goes in analytic when there is one
        if item.get(key) and not (key == "DOI" and part):
            _sub(monogr, "idno", item[key], type=key)
    if item.get("edition"):
        _sub(monogr, "edition", item["edition"], n=item["edition"])
    imprint = _sub(monogr, "imprint")
    if item.get("publisher-place"):
        _sub(imprint, "pubPlace", item["publisher-place"])
    if item.get("publisher"):
        _sub(imprint, "publisher", item["publisher"])
    if imprint_date:
        _sub(imprint, "date", imprint_date[:4], when=imprint_date)
    for key, unit in (("volume", "volume"), ("issue", "issue"), ("page", "page")):
        if item.get(key):
            _scope(imprint, unit, item[key])
    if item.get("accessed"):
        _sub(imprint, "date", _when(item["accessed"]), type="access", when=_when(item["accessed"]))
    if item.get("number-of-pages"):
        extent = _sub(monogr, "extent")
        _sub(extent, "measure", item["number-of-pages"], unit="pages", quantity=item["number-of-pages"])
    if item.get("collection-title"):
        _sub(_sub(root, "series"), "title", item["collection-title"], level="s")
    if item.get("genre"):
        _sub(root, "note", item["genre"], type="genre")
    if item.get("URL"):
        _sub(root, "ptr", target=item["URL"])
    return root


def _plain_bibl(item: dict[str, Any], attrs: dict[str, str]) -> Any:
    from lxml import etree

    root = etree.Element(_tei("bibl"), {"type": item.get("type", "book"), **attrs}, nsmap={None: TEI_NS})
    for person in item.get("author", []):
        _person(root, "author", person)
    if item.get("title"):
        _sub(root, "title", item["title"], level="a" if item.get("container-title") else "m")
    if item.get("container-title"):
        _sub(root, "title", item["container-title"], level="m")
    return root


def _manuscript(item: dict[str, Any], attrs: dict[str, str]) -> Any:
    from lxml import etree

    root = etree.Element(_tei("bibl"), {"type": "manuscript", **attrs}, nsmap={None: TEI_NS})
    for person in item.get("author", []):
        _person(root, "author", person)
    if item.get("title"):
        _sub(root, "title", item["title"])
    ms = _sub(root, "msIdentifier")
    _sub(ms, "repository", item.get("archive") or "")
    if item.get("archive_location"):
        _sub(ms, "idno", item["archive_location"])
    return root


def to_list_bibl(items: Iterable[dict[str, Any]]) -> Any:
    """``listBibl[@type=citations]`` with one record per distinct work."""
    from lxml import etree

    root = etree.Element(_tei("listBibl"), {"type": "citations"}, nsmap={None: TEI_NS})
    records = works(items)
    for key, record in zip(unique_ids(records), records):
        root.append(to_biblstruct(record, key))
    return root


def write_exports(items: list[dict[str, Any]], folder: str | Path) -> list[Path]:
    """``citations.csl.json`` (CSL-JSON) and ``citations.bib`` (BibTeX) of the works cited, in ``folder``."""
    from ..io import write_json, write_text

    csl, bib = Path(folder) / "citations.csl.json", Path(folder) / "citations.bib"
    write_json(csl, to_csl(items))
    write_text(bib, to_bibtex(items))
    return [csl, bib]


# -- table -------------------------------------------------------------------------------------
def to_table(items: Iterable[dict[str, Any]]) -> Any:
    """One row per reference (a footnote's further references get their own rows, ``part`` 2, 3, …).

    For the entries of a reference list, ``cited`` counts the in-text citations pointing to the
    entry and ``cited_locators`` lists their pinpoints in text order (``"45; 12-14"``).
    """
    import pandas as pd

    rows = []
    for item in items:
        for part, record in enumerate([item] + list(item.get("references", [])), 1):
            rows.append({
                "n": item.get("n"), "part": part, "type": record.get("type"),
                "author": "; ".join(" ".join(filter(None, (a.get("family") or a.get("literal"), a.get("given"))))
                                    for a in record.get("author", [])),
                "title": record.get("title"), "container": record.get("container-title"),
                "place": record.get("publisher-place"), "publisher": record.get("publisher"), "year": _year(record),
                "volume": record.get("volume"), "issue": record.get("issue"), "page": record.get("page"),
                "locator": record.get("locator"), "archive": record.get("archive"),
                "archive_location": record.get("archive_location"), "language": record.get("language"),
                "ibid": item.get("ibid", False) if part == 1 else False,
                "refers_to": item.get("refers_to") if part == 1 else None,
                **(_cited(item) if part == 1 else {"cited": None, "cited_locators": None}),
            })
    return pd.DataFrame(rows).astype({"n": "Int64", "year": "Int64", "refers_to": "Int64", "cited": "Int64"})


def _cited(item: dict[str, Any]) -> dict[str, Any]:
    if "in_text" not in item:
        return {"cited": None, "cited_locators": None}
    locators = [place["locator"] for place in item["in_text"] if "locator" in place]
    return {"cited": len(item["in_text"]), "cited_locators": "; ".join(locators) or None}
