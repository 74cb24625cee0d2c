"""The document model: one immutable raw text, spans that point into it, named layers.

Every annotation polycorpus makes is a :class:`Span` whose ``start``/``end`` are code-point
offsets into ``Document.raw`` (the file exactly as read), so any layer can be compared with
gold or traced back to the source. Derived text (de-hyphenated, without furniture or footnote
markers) is a :class:`CleanText` view that keeps a map back to raw offsets.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

SCHEMA_VERSION = 1

# Block kinds recovered by the structure stage (layer "blocks").
BLOCK_KINDS = (
    "title", "author", "affiliation", "identifiers", "abstract", "keywords", "heading",
    "paragraph", "footnote", "reference", "furniture",
)

# Layers whose spans are edits of the raw text, applied by the clean view.
# "hyphen": a soft line-end hyphen with its line break (deleted); "linebreak": the line break
# after a hyphen kept in a compound (deleted); "marker": a footnote marker (deleted);
# "furniture": running header, page number, footnote rule (deleted);
# "homoglyph": one character to read as attrs["char"]; "mojibake": the same, for a letter of a
# broken font (structure/mojibake.py).
EDIT_LAYERS = ("hyphen", "linebreak", "marker", "furniture", "homoglyph", "mojibake")
_REPLACING = ("homoglyph", "mojibake")


class SpanError(ValueError):
    """A span that does not fit its document."""


@dataclass(frozen=True, order=True)
class Span:
    """A labelled range ``raw[start:end]`` of a document; ``attrs`` holds layer-specific data."""

    start: int
    end: int
    label: str = ""
    lang: str | None = None
    id: str | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise SpanError(f"bad span offsets {self.start}..{self.end}")
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"start": self.start, "end": self.end}
        for key in ("label", "lang", "id"):
            value = getattr(self, key)
            if value:
                record[key] = value
        if self.attrs:
            record["attrs"] = dict(self.attrs)
        return record

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> "Span":
        return cls(record["start"], record["end"], record.get("label", ""), record.get("lang"),
                   record.get("id"), record.get("attrs", {}))


@dataclass
class CleanText:
    """Text derived from raw ranges, with ``offsets[i]`` = raw index of clean character i."""

    text: str
    offsets: list[int]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` covering clean characters ``start..end`` (end exclusive)."""
        if not (0 <= start < end <= len(self.text)):
            raise SpanError(f"clean range {start}..{end} outside 0..{len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def from_raw(self, raw_start: int, raw_end: int) -> tuple[int, int] | None:
        """Clean range of the characters whose raw index lies in ``raw_start..raw_end``."""
        import bisect

        start = bisect.bisect_left(self.offsets, raw_start)
        end = bisect.bisect_left(self.offsets, raw_end)
        return (start, end) if start < end else None


class RangeIndex:
    """Raw ranges ``(start, end, owner)`` found by bisection: :meth:`holding` gives the owner of the
    first range (in the given order) that holds a position or a range."""

    def __init__(self, ranges: Iterable[tuple[int, int, Any]]) -> None:
        self.ranges = sorted(((a, b, k, owner) for k, (a, b, owner) in enumerate(ranges)), key=lambda r: (r[0], r[2]))
        self.starts = [r[0] for r in self.ranges]
        self.longest = max((b - a for a, b, _, _ in self.ranges), default=0)

    def holding(self, start: int, end: int | None = None) -> Any:
        """The owner of the first range with ``a <= start < b`` (``end`` given: ``a <= start``, ``end <= b``)."""
        i = bisect.bisect_right(self.starts, start) - 1
        best = None
        while i >= 0 and self.starts[i] >= start - self.longest:
            a, b, order, owner = self.ranges[i]
            if a <= start and (start < b if end is None else end <= b) and (best is None or order < best[0]):
                best = (order, owner)
            i -= 1
        return best[1] if best else None


class Document:
    """A source text and its layers of spans (``blocks``, ``sentences``, ``entities``, …).

    ``data`` holds layers that are not spans (``alignment`` beads, ``citations`` records) and
    ``meta`` what the stages recorded about themselves (backends, versions, settings).
    """

    def __init__(self, name: str, raw: str, source: str | None = None) -> None:
        self.name = name
        self.raw = raw
        self.source = source
        self.layers: dict[str, list[Span]] = {}
        self.data: dict[str, Any] = {}
        self.meta: dict[str, Any] = {}
        self._indexes: dict[tuple[str, bool], tuple] = {}

    # -- spans -------------------------------------------------------------------------------
    def span(self, start: int, end: int, label: str = "", **kwargs: Any) -> Span:
        """A span checked against this document's raw text."""
        if end > len(self.raw):
            raise SpanError(f"{self.name}: span {start}..{end} beyond text length {len(self.raw)}")
        return Span(start, end, label, **kwargs)

    def text(self, span: Span) -> str:
        return self.raw[span.start:span.end]

    def set_layer(self, name: str, spans: Iterable[Span], overwrite: bool = False) -> None:
        """Store a layer, sorted; refuses to replace another stage's layer unless asked."""
        if name in self.layers and not overwrite:
            raise ValueError(f"{self.name}: layer {name!r} exists already")
        spans = sorted(spans)
        for span in spans:
            if span.end > len(self.raw):
                raise SpanError(f"{self.name}: {name} span {span.start}..{span.end} beyond text")
        self.layers[name] = spans

    def layer(self, name: str) -> list[Span]:
        return self.layers.get(name, [])

    def blocks(self, *kinds: str) -> Iterator[Span]:
        """Blocks of the given kinds (all blocks if none is given), in reading order."""
        for block in self.layer("blocks"):
            if not kinds or block.label in kinds:
                yield block

    # -- clean view --------------------------------------------------------------------------
    def clean(self, span: Span, keep_markers: bool = False) -> CleanText:
        """The span's text with the edit layers applied and white space folded to one space.

        A block may consist of several raw ``pieces`` (``attrs["pieces"]``: a paragraph that runs
        on after a page break and a footnote block); only those ranges are read. A span inside
        such a block (a sentence across the page break, a mention) reads only the block's pieces
        within it, so the notes and furniture between them are not its text.
        """
        pieces = span.attrs.get("pieces") or self._pieces_within(span)
        deleted: set[int] = set()
        joined: set[int] = set()  # last characters of hyphen edits: a word broken across pieces
        replaced: dict[int, str] = {}
        for layer in EDIT_LAYERS:
            if layer == "marker" and keep_markers:
                continue
            for edit in self._edits_within(layer, span):
                if layer in _REPLACING:
                    replaced[edit.start] = edit.attrs["char"]
                else:
                    deleted.update(range(edit.start, edit.end))
                    if layer in ("hyphen", "linebreak"):
                        joined.add(edit.end - 1)
        chars: list[str] = []
        offsets: list[int] = []
        for k, (piece_start, piece_end) in enumerate(pieces):
            for i in range(piece_start, piece_end):
                if i in deleted:
                    continue
                char = replaced.get(i, self.raw[i])
                if char.isspace():
                    if not chars or chars[-1] == " ":
                        continue
                    char = " "
                chars.append(char)
                offsets.append(i)
            # (an edit that runs on into the next piece, as a bracket broken by the page, is no break)
            across = k + 1 < len(pieces) and piece_end - 1 in deleted and pieces[k + 1][0] in deleted
            if chars and chars[-1] != " " and piece_end - 1 not in joined and not across:
                # pieces are separated by at least a line break in the source
                chars.append(" ")
                offsets.append(piece_end - 1 if piece_end > piece_start else piece_start)
        while chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        return CleanText("".join(chars), offsets)

    def _edits_within(self, layer: str, span: Span) -> Iterator[Span]:
        spans, starts, longest = self._index(layer)
        # spans are sorted by start: only those starting within ``longest`` before the span can reach it
        first = bisect.bisect_left(starts, span.start - longest)
        for edit in spans[first:bisect.bisect_left(starts, span.end)]:
            if edit.end > span.start:
                yield edit

    def _pieces_within(self, span: Span) -> list[tuple[int, int]]:
        """The parts of ``span`` inside the pieces of the block of pieces holding it (else all of it)."""
        blocks, starts, longest = self._index("blocks", pieced=True)
        i = bisect.bisect_right(starts, span.start) - 1
        while i >= 0 and starts[i] >= span.start - longest:
            block = blocks[i]
            if block.start <= span.start and span.end <= block.end:
                inside = [(max(a, span.start), min(b, span.end)) for a, b in block.attrs["pieces"]
                          if a < span.end and b > span.start]
                if inside:
                    return inside
            i -= 1
        return [(span.start, span.end)]

    def _index(self, layer: str, pieced: bool = False) -> tuple[list[Span], list[int], int]:
        """A layer's spans (only those with pieces if ``pieced``), their starts and the longest
        extent, kept while the layer is the same list of the same length (a build adds layers
        as it goes; the clean view runs once per block, sentence and mention)."""
        spans = self.layers.get(layer, [])
        key = (layer, pieced)
        found = self._indexes.get(key)
        if found is None or found[0] is not spans or found[1] != len(spans):
            chosen = [s for s in spans if s.attrs.get("pieces")] if pieced else spans
            chosen = sorted(chosen, key=lambda s: s.start)
            found = (spans, len(spans), chosen, [s.start for s in chosen],
                     max((s.end - s.start for s in chosen), default=0))
            self._indexes[key] = found
        return found[2], found[3], found[4]

    # -- JSON --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "name": self.name,
            "source": self.source,
            "raw": self.raw,
            "meta": self.meta,
            "layers": {name: [s.to_json() for s in spans] for name, spans in sorted(self.layers.items())},
            "data": self.data,
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> "Document":
        version = record.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"document.json schema_version {version!r}; this polycorpus reads {SCHEMA_VERSION}")
        doc = cls(record["name"], record["raw"], record.get("source"))
        doc.meta = dict(record.get("meta", {}))
        doc.data = dict(record.get("data", {}))
        for name, spans in record.get("layers", {}).items():
            doc.set_layer(name, (Span.from_json(s) for s in spans))
        return doc

    def dumps(self) -> str:
        """Deterministic JSON (sorted keys, no ASCII escaping)."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=1, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, set)):
        return list(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")
