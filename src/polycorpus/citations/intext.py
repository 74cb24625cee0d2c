"""In-text citations of a numbered reference list (``[3]``, ``[3, s.45]``, ``[1; 4]``) attached to its entries.

The ``structure`` stage makes each in-text citation a ``marker`` span whose ``attrs["n"]`` is the
list of entry numbers it cites and ``attrs["pinpoint"]`` the printed page(s) after the cue, or
``None``. Here every entry's item gets ``in_text``, in the gold's format: one ``{"start", "end",
"text", "sentence", "locator"}`` per in-text citation, in text order, ``start``/``end`` being the
raw offsets of the bracket (the marker's leading spaces left out), ``text`` the bracket as printed,
``sentence`` the id of the sentence it stands in, and ``locator`` the pinpoint (``"45"``,
``"12-14"``), left out when nothing is pinpointed; a pinpoint that is a volume (``[2, т. 3]``)
also has ``"label": "volume"``. An entry that is never cited has ``in_text: []``.

A bracket citing several works separates them by ``;``, each with its own pinpoint
(``[1, s.17; 11]``: page 17 of entry 1, entry 11 without one). A pinpoint printed after several
numbers of one group (``[1, 4, s.45]``) belongs to the last of them, the only one it is printed next
to; the others are cited at that place without a locator.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..document import Span
from ..structure.footnotes import note_key

# cues that make a pinpoint a volume, not a page (``[2, т. 3]``, ``[2, vol. 3]``)
_VOLUME_CUE = re.compile(r"[,;:]\s*(?:т|vol)\.\s*[\dIVXivx]", re.I)
_PRINTED = re.compile(r"[,;:]\s*([^\W\d_]+\.\s*[^\];]*?)\s*[;\]]")
# one ``;`` group of a bracket: its numbers (``1``, ``1, 4``, ``2-4``), then maybe a cue and the pinpoint
_GROUP = re.compile(r"\s*(\d+(?:\s*[,–-]\s*\d+)*)(?:\s*[,:]\s*[^\W\d_]+\.\s*(.*?))?\s*")


def locator(pinpoint: str) -> str:
    """A printed pinpoint as a locator: dashes as ``-``, spaces dropped (``12 – 14`` → ``12-14``)."""
    return re.sub(r"\s+", "", re.sub(r"\s*[–—‐-]\s*", "-", pinpoint.strip())).strip(",")


def attach_in_text(items: list[dict[str, Any]], markers: Iterable[Span], raw: str, entries: set[Any],
                   sentences: Iterable[Span] = (), pages: dict[int, int] | None = None) -> None:
    """Add ``in_text`` to the items whose key is in ``entries`` (the reference list's keys: numbers,
    or ``(page, number)`` for a later article's list, see ``footnotes.note_key``), in place;
    ``pages``: the page of such a later list's items, by their start."""
    cited: dict[Any, list[dict[str, Any]]] = {key: [] for key in entries}
    sentences = sorted(sentences)
    for marker in sorted(markers):
        numbers = marker.attrs.get("n")
        if not isinstance(numbers, (list, tuple)):
            continue  # a footnote marker
        pinpoints = _group_pinpoints(raw[marker.start:marker.end], len(numbers), marker.attrs.get("pinpoint"))
        for i, n in enumerate(numbers):
            key = note_key(n, marker.attrs.get("page"))
            if key not in cited:
                continue
            start = marker.start + len(raw[marker.start:marker.end]) - len(raw[marker.start:marker.end].lstrip())
            place: dict[str, Any] = {"start": start, "end": marker.end, "text": raw[start:marker.end]}
            # the sentence it stands in: the last to begin before it (a citation printed after a sentence's
            # final stop, as TEI keeps it outside the <s>, still belongs to that sentence)
            sentence = next((s.id for s in reversed(sentences) if s.start <= start), None)
            if sentence:
                place["sentence"] = sentence
            if pinpoints[i]:
                place["locator"] = locator(pinpoints[i])
                if _VOLUME_CUE.search(raw, marker.start, marker.end):
                    place["label"] = "volume"
            cited[key].append(place)
    for k, item in enumerate(items):
        key = note_key(item.get("n"), (pages or {}).get(item.get("start")))
        if key in cited:
            items[k] = _with_in_text(item, cited[key])


def _group_pinpoints(printed: str, count: int, last: str | None) -> list[str | None]:
    """The pinpoint of each of the ``count`` numbers of the bracket ``printed``: a ``;`` group's pinpoint
    goes to its last number. A bracket this does not read keeps ``last`` (the structure stage's
    pinpoint) on its last number."""
    inner = printed.strip().strip("[]")
    out: list[str | None] = []
    for group in inner.split(";"):
        found = _GROUP.fullmatch(group)
        if not found:
            break
        size = sum(len(range(int(a), int(b) + 1)) if b else 1
                   for a, b in re.findall(r"(\d+)(?:\s*[–-]\s*(\d+))?", found.group(1)))
        out += [None] * (size - 1) + [found.group(2) or None]
    if len(out) != count:
        out = [None] * (count - 1) + [last] if count else []
    return out


def printed_pinpoint(raw: str, start: int, end: int) -> tuple[int, int] | None:
    """Raw offsets of the printed pinpoint, cue included (``s.45``, ``с. 70–72``), in the citation
    ``raw[start:end]``.

    For writers that wrap it (TEI ``citedRange``): the pinpoint follows the first separator that is
    followed by a cue word, and runs to the closing bracket or the ``;`` before the next work
    (``[1, s.17; 11]``: ``s.17``).
    """
    found = _PRINTED.search(raw, start, end)
    return (found.start(1), found.end(1)) if found else None


def _with_in_text(item: dict[str, Any], places: list[dict[str, Any]]) -> dict[str, Any]:
    """``item`` with ``in_text`` before its trailing ``raw``, ``start``, ``end``."""
    tail = ("raw", "start", "end")
    out = {k: v for k, v in item.items() if k not in tail and k != "in_text"}
    out["in_text"] = places
    out.update({k: item[k] for k in tail if k in item})
    return out
