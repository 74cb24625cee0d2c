"""Footnotes → gold-format items: parse each base item, then resolve back-references.

An item keeps the gold's key order: id, n, type, the CSL fields, locator, language, ibid,
refers_to, references, in_text (entries of a reference list, :mod:`.intext`), raw, start, end.

An editor printed as a compiler (``Сост.``, ``Tərtib edən``, ``comp.``) stays in ``editor``, as the
gold has it, with the extension key ``"role": "compiler"`` on the person; the exports turn it into
CSL's ``compiler``, biblatex's ``editortype`` and TEI's ``editor[@role=compiler]``.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Protocol

from .parser import CitationParser, Parsed


class ReferenceParser(Protocol):
    """The rules (:class:`CitationParser`) or the CRF (:class:`.labeller.CrfLabeller`)."""

    version: str

    def parse(self, text: str) -> Parsed: ...

CSL_ORDER = ("type", "author", "editor", "translator", "contributor", "recipient", "title", "container-title",
             "collection-title", "genre", "publisher", "publisher-place", "event-place", "issued", "container-issued",
             "edition", "volume", "issue", "page", "number-of-pages", "archive", "archive_location", "URL", "accessed",
             "ISBN", "DOI", "note")
BASE_KEYS = ("id", "n", "raw", "start", "end")


def ordered(fields: dict[str, Any]) -> dict[str, Any]:
    """CSL fields in a fixed order, then the extensions (locator, language)."""
    record = {key: fields[key] for key in CSL_ORDER if key in fields}
    for key in ("locator", "language"):
        if key in fields:
            record[key] = fields[key]
    return record


def parse_reference(text: str, parser: CitationParser | None = None) -> dict[str, Any]:
    """One reference string as a CSL-JSON record (with ``locator``; further references in ``references``)."""
    parsed = (parser or CitationParser()).parse(text)
    record = ordered(parsed.fields)
    if parsed.backref:
        record["ibid"] = parsed.backref == "ibid"
    if "refers_to" in parsed.fields:
        record["refers_to"] = parsed.fields["refers_to"]
    if parsed.extra:
        record["references"] = [ordered(extra) for extra in parsed.extra]
    return record


def parse_items(items: Iterable[dict[str, Any]], parser: ReferenceParser | None = None) -> list[dict[str, Any]]:
    """Parse base items ``{id, n, raw, start, end}`` (footnotes or list entries) into gold-format items."""
    parser = parser or CitationParser()
    records, kinds = [], []
    for item in items:
        parsed = parser.parse(item["raw"])
        records.append(_item(item, parsed))
        kinds.append(parsed.backref)
    resolve_backrefs(records, kinds)
    return records


def parse_loose(lines: Iterable[str], parser: ReferenceParser | None = None) -> list[dict[str, Any]]:
    """One reference a line, as in a bibliography: no citing text points into these works, so the
    pages a line prints are the work's page range (``page``), not a pinpoint; a back-reference
    (``Там же. С. 45``) keeps its pinpoint."""
    items = parse_items([{"n": n, "raw": line} for n, line in enumerate(lines, 1)], parser)
    for item in items:
        if item["ibid"] or "refers_to" in item:
            continue
        for record in [item, *item.get("references", [])]:
            if "locator" in record and "page" not in record:
                record["page"] = record.pop("locator")
    return items


def _item(base: dict[str, Any], parsed: Parsed) -> dict[str, Any]:
    record: dict[str, Any] = {key: base[key] for key in ("id", "n") if key in base}
    fields = dict(parsed.fields)
    refers_to = fields.pop("refers_to", None)
    record.update(ordered(fields))
    record["ibid"] = parsed.backref == "ibid"
    if refers_to is not None:
        record["refers_to"] = refers_to
    if parsed.extra:
        record["references"] = [ordered(extra) for extra in parsed.extra]
    for key in ("raw", "start", "end"):
        if key in base:
            record[key] = base[key]
    return record


def _families(record: dict[str, Any]) -> set[str]:
    return {a.get("family", a.get("literal", "")).casefold() for a in record.get("author", [])}


def resolve_backrefs(records: list[dict[str, Any]], kinds: list[str | None]) -> None:
    """Point each ``Yenə orada``/``Там же`` to the footnote before it and each ``op. cit.`` to the latest
    earlier footnote by the same author; copy the target's type and language, keep what was printed."""
    target_of: dict[int, int] = {}  # index -> index of the full reference it stands for
    for i, (record, kind) in enumerate(zip(records, kinds)):
        if kind not in ("ibid", "op-cit") or i == 0:
            continue
        target = None
        if kind == "ibid":
            target = target_of.get(i - 1, i - 1)
        else:
            wanted = _families(record)
            for j in range(i - 1, -1, -1):
                if kinds[j] is None and (not wanted or wanted & _families(records[j])) \
                        and _may_hold(records[j], record.get("locator")):
                    target = j
                    break
        if target is None:
            continue
        target_of[i] = target
        source = records[target]
        record["refers_to"] = source.get("n", target + 1)
        for key in ("type", "language"):
            if key in source:
                record[key] = source[key]
        records[i] = _reordered(record)


def _may_hold(source: dict[str, Any], locator: str | None) -> bool:
    """Whether a pinpoint can lie in ``source``: not outside the page range of an article or chapter."""
    first = re.match(r"\d+", locator or "")
    pages = re.fullmatch(r"(\d+)-(\d+)", source.get("page", ""))
    return not (first and pages) or int(pages.group(1)) <= int(first.group()) <= int(pages.group(2))


def _reordered(record: dict[str, Any]) -> dict[str, Any]:
    head = {key: record[key] for key in ("id", "n") if key in record}
    tail = {key: record[key] for key in ("ibid", "refers_to", "references", "in_text", "raw", "start", "end")
            if key in record}
    middle = ordered({k: v for k, v in record.items() if k not in head and k not in tail})
    return head | middle | tail
