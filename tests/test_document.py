import json

import pytest

from polycorpus import Document, Span
from polycorpus.document import SpanError
from polycorpus.errors import InputError
from polycorpus.io import atomic_open, read_text


def make_doc() -> Document:
    raw = "Bu mər-\nhələ idi.1 Yeni\n22\ncümlə ictimai-\nsiyasi."
    doc = Document("t", raw)
    hyphen = raw.index("-\nhələ")
    marker = raw.index("1 Yeni")
    page = raw.index("22\n")
    compound_break = raw.index("\nsiyasi")
    doc.set_layer("hyphen", [doc.span(hyphen, hyphen + 2)])
    doc.set_layer("marker", [doc.span(marker, marker + 1, attrs={"n": 1})])
    doc.set_layer("furniture", [doc.span(page, page + 3, "page_number")])
    doc.set_layer("linebreak", [doc.span(compound_break, compound_break + 1)])
    doc.set_layer("blocks", [doc.span(0, len(raw), "paragraph", lang="az")])
    return doc


def test_clean_view_applies_edits_and_maps_back_to_raw():
    doc = make_doc()
    block = next(doc.blocks("paragraph"))
    clean = doc.clean(block)
    assert clean.text == "Bu mərhələ idi. Yeni cümlə ictimai-siyasi."
    start = clean.text.index("mərhələ")
    raw_start, raw_end = clean.to_raw(start, start + len("mərhələ"))
    assert doc.raw[raw_start:raw_end] == "mər-\nhələ"
    end = clean.text.index("idi.") + 4
    assert doc.raw[clean.to_raw(0, end)[1] - 4:clean.to_raw(0, end)[1]] == "idi."
    assert doc.clean(block, keep_markers=True).text.startswith("Bu mərhələ idi.1 Yeni")


def test_clean_view_reads_only_the_pieces_of_a_block():
    raw = "one two\nFOOTNOTE\nthree"
    doc = Document("p", raw)
    block = doc.span(0, len(raw), "paragraph", attrs={"pieces": [(0, 7), (17, 22)]})
    assert doc.clean(block).text == "one two three"


def test_spans_are_checked_and_layers_not_silently_replaced():
    doc = Document("t", "abc")
    with pytest.raises(SpanError):
        doc.span(2, 9)
    with pytest.raises(SpanError):
        Span(3, 1)
    doc.set_layer("x", [doc.span(0, 1)])
    with pytest.raises(ValueError, match="exists already"):
        doc.set_layer("x", [])


def test_json_round_trip_is_deterministic():
    doc = make_doc()
    again = Document.from_json(json.loads(doc.dumps()))
    assert again.dumps() == doc.dumps()
    assert again.clean(next(again.blocks())).text == doc.clean(next(doc.blocks())).text


@pytest.mark.parametrize("content, problem", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ("Статья посвящена истории эмиграции".encode("cp1251"), "cp1251"),
])
def test_bad_input_is_one_line_naming_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_text(path)
    message = str(info.value)
    assert "bad.txt" in message and problem in message and "\n" not in message


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError):
        with atomic_open(target) as handle:
            handle.write("half")
            raise RuntimeError("stage failed")
    assert list(tmp_path.iterdir()) == []


def test_gold_layers_load_on_raw_offsets(gold_doc):
    sentences = gold_doc.layer("sentences")
    assert len(sentences) == 198
    first = next(s for s in sentences if s.id == "az.abstract.1")
    assert gold_doc.text(first).startswith("Məqalə Məhəmməd Əmin")
    assert {e.attrs["norm"] for e in gold_doc.layer("entities") if gold_doc.text(e) == "Rəsulzadənin"} == {"rasulzade"}
    assert gold_doc.data["alignment"][0] == {"az": ["az.abstract.1"], "en": ["en.abstract.1"], "ru": ["ru.abstract.1"]}


def test_range_index_gives_the_first_holder_in_the_given_order():
    from polycorpus.document import RangeIndex

    index = RangeIndex([(10, 20, "inner"), (0, 100, "outer"), (30, 40, "later")])
    assert index.holding(15) == "inner" and index.holding(25) == "outer" and index.holding(100) is None
    assert index.holding(12, 25) == "outer" and index.holding(31, 39) == "outer"  # listed before "later"


def test_a_span_inside_a_block_of_pieces_reads_only_the_pieces():
    doc = Document("d", "first half of a sen-\n1 A note.\nfurther text ends.")
    doc.set_layer("blocks", [doc.span(0, 49, "paragraph", attrs={"pieces": [(0, 21), (31, 49)]}),
                             doc.span(21, 31, "footnote")])
    doc.set_layer("hyphen", [doc.span(19, 21, "hyphen")])
    sentence = doc.span(6, 49, "body")
    assert doc.clean(sentence).text == "half of a senfurther text ends."
    assert doc.clean(doc.span(21, 31, "footnote")).text == "1 A note."
