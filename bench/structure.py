"""Structure recovery of every development layout against its gold, one row per layout and a total.

    python bench/structure.py [DOC ...]

Columns (right/of):
- notes: gold footnotes or reference-list entries found with the same number and the same raw
  span (text, number excluded); `raw`: the note's clean text equals the gold `raw`.
- markers: footnotes whose marker was found with that number, written as that number, right
  after the end of a gold sentence (at most one space between: `idi.1`, `edir”. 8`); for a
  reference list, in-text brackets (`[3, s.45]`) found with their exact span and cited numbers.
- headings, titles, abstracts, keywords: per (part, language) of the gold sentences (per heading
  for headings), a block of that kind and language spanning exactly from the first sentence's
  start to the last one's end.
- furniture: non-space characters of the paragraphs' clean text lying outside every gold body
  sentence (page numbers, running headers, note text, markers); the target is 0.
- body: gold body sentences whose first and last characters are in the clean text of one paragraph.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from polycorpus.evaluate.base import Signature, file_hash, text_table
from polycorpus.gold import load_gold
from polycorpus.pipeline import process
from polycorpus.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT / "tests" / "data" / "gold"
PARTS_TO_BLOCKS = {"title": ("title",), "abstract": ("abstract",), "keywords": ("keywords",), "heading": ("heading",)}
COLUMNS = ["notes", "raw", "markers", "title", "abstract", "keywords", "heading", "body", "furniture"]


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in RAW.glob("*.txt") if (GOLD / p.stem).is_dir())
    totals = defaultdict(lambda: [0, 0])
    rows = [["doc"] + COLUMNS]
    for name in names:
        row = score(RAW / f"{name}.txt", GOLD / name)
        rows.append([name] + [_cell(*row[c]) for c in COLUMNS])
        for c in COLUMNS:
            totals[c][0] += row[c][0]
            totals[c][1] += row[c][1]
    rows.append(["total"] + [_cell(*totals[c]) for c in COLUMNS])
    print(text_table(rows))
    print(Signature("STRUCTURE", {"gold": ",".join(f"{n}@{file_hash(GOLD / n)}" for n in names)}).format())
    return 0


def _cell(right: int, total: int) -> str:
    return f"{right}/{total}"


def score(raw_path: Path, gold_dir: Path) -> dict[str, tuple[int, int]]:
    gold = load_gold(raw_path, gold_dir)
    try:
        doc = process(read_source(raw_path), ["structure", "notes"])
    except Exception as error:  # a refused article scores nothing, and the table says so
        print(f"{raw_path.name}: {error}", file=sys.stderr)
        doc = None
    sentences = gold.layer("sentences")
    items = gold.data.get("citations", [])
    row = {c: (0, 0) for c in COLUMNS}
    wanted_parts = _part_groups(sentences)
    for part in PARTS_TO_BLOCKS:
        row[part] = (0, sum(k[0] == part for k in wanted_parts))
    row["notes"] = (0, len(items))
    row["raw"] = (0, len(items))
    row["markers"] = (0, len(_wanted_markers(items)))
    row["body"] = (0, sum(s.label == "body" for s in sentences))
    if doc is None:
        return row
    found = {(c["n"], c["start"], c["end"]) for c in doc.data["citations"]}
    row["notes"] = (sum((c["n"], c["start"], c["end"]) in found for c in items), len(items))
    texts = {c["n"]: c["raw"] for c in doc.data["citations"]}
    row["raw"] = (sum(texts.get(c["n"]) == c["raw"] for c in items), len(items))
    row["markers"] = markers(doc, items, sentences)
    row.update(parts(doc, wanted_parts))
    row["furniture"] = (furniture_left(doc, sentences), 0)
    row["body"] = body_covered(doc, sentences)
    return row


def _wanted_markers(items) -> set:
    brackets = {(t["start"], t["end"]) for item in items for t in item.get("in_text", [])}
    return brackets or {item["n"] for item in items}


def markers(doc, items, sentences) -> tuple[int, int]:
    wanted = _wanted_markers(items)
    if any(item.get("in_text") for item in items):  # a reference list: brackets and what they cite
        cited = defaultdict(set)
        for item in items:
            for t in item.get("in_text", []):
                cited[t["start"], t["end"]].add(item["n"])
        # a marker takes the spaces before its bracket along (see references.find_citations)
        found = {(m.start + len(doc.text(m)) - len(doc.text(m).lstrip()), m.end): m.attrs["n"]
                 for m in doc.layer("marker")}
        right = sum(set(_numbers(found.get(key))) == numbers for key, numbers in cited.items())
        return right, len(wanted)
    ends = {s.end for s in sentences}
    right = set()
    for marker in doc.layer("marker"):
        n = marker.attrs["n"]
        before = doc.raw[marker.start - 2:marker.start]
        after_sentence = marker.start in ends or (before[-1:] == " " and marker.start - 1 in ends)
        if doc.text(marker) == str(n) and after_sentence:
            right.add(n)
    return len(right & wanted), len(wanted)


def _numbers(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _part_groups(sentences) -> dict[tuple[str, str], list]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for s in sentences:
        if s.label in PARTS_TO_BLOCKS:
            groups[(s.label, s.lang) if s.label != "heading" else (s.label, s.id)].append(s)
    return groups


def parts(doc, groups) -> dict[str, tuple[int, int]]:
    blocks = {(b.label, b.lang, b.start, b.end) for b in doc.blocks()}
    row = {}
    for part, labels in PARTS_TO_BLOCKS.items():
        keys = [k for k in groups if k[0] == part]
        right = 0
        for key in keys:
            group = groups[key]
            span = (min(s.start for s in group), max(s.end for s in group))
            right += any((label, group[0].lang) + span in blocks for label in labels)
        row[part] = (right, len(keys))
    return row


def furniture_left(doc, sentences) -> int:
    body = {i for s in sentences if s.label == "body" for i in range(s.start, s.end)}
    left = 0
    for block in doc.blocks("paragraph"):
        clean = doc.clean(block)
        left += sum(1 for ch, o in zip(clean.text, clean.offsets) if not ch.isspace() and o not in body)
    return left


def body_covered(doc, sentences) -> tuple[int, int]:
    """Gold body sentences whose first and last characters lie in the clean text of one paragraph."""
    paragraphs = [set(doc.clean(block, keep_markers=True).offsets) for block in doc.blocks("paragraph")]
    body = [s for s in sentences if s.label == "body"]
    return sum(any(s.start in p and s.end - 1 in p for p in paragraphs) for s in body), len(body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
