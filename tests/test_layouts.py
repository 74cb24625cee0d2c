"""The layout bench's generator in the suite: random page layouts of development articles, built,
with every note (or reference entry) found at its exact span and every marker linked to it."""

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import layouts  # noqa: E402  (the bench reads the repository's raw texts and gold as the tests do)


@lru_cache(maxsize=None)
def article(name: str) -> layouts.Article:
    return layouts.load_article(layouts.RAW / f"{name}.txt", layouts.GOLD / name)


def built(name: str, seed: int, **fixed):
    generated = layouts.generate(article(name), seed, **fixed)
    return generated, layouts.build(generated)


def unbroken(text: str) -> str:
    """The letters of ``text`` without its line-end hyphens and white space."""
    return re.sub(r"\s+", "", re.sub(r"-[ \t]*\n", "", text))


def test_generated_gold_points_at_the_text():
    generated, _ = built("bagirova2024", 0)
    texts = {s.id: s.text for section in article("bagirova2024").front for s in section}
    texts.update({s.id: s.text for s in article("bagirova2024").body})
    checked = 0
    for sentence in generated.sentences:
        span = generated.raw[sentence["start"]:sentence["end"]]
        # the span reads the sentence (lines broken, maybe hyphenated), unless a page breaks it
        if sentence["id"] in texts and not re.search(r"\n\s*\n", span):
            checked += 1
            assert unbroken(span) == unbroken(texts[sentence["id"]])
    assert checked > 150
    notes = dict(article("bagirova2024").notes)
    for note in generated.notes:
        if not re.search(r"\n\s*\n", generated.raw[note["start"]:note["end"]]):
            assert unbroken(generated.raw[note["start"]:note["end"]]) == unbroken(notes[note["n"]])


@settings(max_examples=6, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6),
       marker=st.sampled_from(["glued", "superscript", "stars", "daggers"]),
       separator=st.sampled_from(["spaces", "underscores", "short", "blank"]),
       font=st.sampled_from(("none",) + layouts.FONTS))
def test_random_layouts_keep_every_note_and_marker(seed, marker, separator, font):
    generated, doc = built("bagirova2024", seed, marker=marker, separator=separator, font=font)
    found = {(c["start"], c["end"]) for c in doc.data["citations"]}
    assert [n for n in generated.notes if (n["start"], n["end"]) not in found] == []
    notes = {(b.attrs["n"], b.attrs.get("page")): (b.start, b.end) for b in doc.blocks("footnote")}
    linked = {(m.start, m.end): notes.get((m.attrs["n"], m.attrs.get("page"))) for m in doc.layer("marker")}
    spans = {n["n"]: (n["start"], n["end"]) for n in generated.notes}
    assert {n: span for n, span in generated.markers.items() if linked.get(span) != spans[n]} == {}


@settings(max_examples=3, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), entry=st.sampled_from(["{n}. ", "{n}) ", "[{n}] ", "{n}."]),
       font=st.sampled_from(("none",) + layouts.FONTS))
def test_random_layouts_keep_the_reference_list(seed, entry, font):
    generated, doc = built("rzayev2019-a", seed, entry=entry, font=font)
    found = {(c["start"], c["end"]) for c in doc.data["citations"]}
    assert [n for n in generated.notes if (n["start"], n["end"]) not in found] == []
    cited = {(m.start + len(doc.text(m)) - len(doc.text(m).lstrip()), m.end): tuple(m.attrs["n"])
             for m in doc.layer("marker")}
    # a bracket broken by a page (its furniture inside) is the one form the list's reader skips
    whole = {span: n for span, n in generated.brackets.items() if "\n\n" not in generated.raw[span[0]:span[1]]}
    assert {span: n for span, n in whole.items() if cited.get(span) != n} == {}


@pytest.mark.parametrize("name", ["aliyeva2021-a", "bagirova2024", "kerimova2020-a", "rzayev2019-a"])
def test_paragraphs_opened_by_an_indent_keep_the_headings_and_no_more(name):
    # a heading set apart by one empty line (or opening a page) has its paragraph indented below
    # it; a paragraph's indented first line that runs on into the next line is no heading
    for seed in range(2):
        for width in (60, 75):
            generated, doc = built(name, seed, paragraph="indent", width=width, font="none")
            gold = sorted((s["start"], s["end"]) for s in generated.sentences if s["part"] == "heading")
            assert sorted((b.start, b.end) for b in doc.blocks("heading")) == gold, (seed, width)


@pytest.mark.parametrize("name", ["aliyeva2021-a", "bagirova2024", "kerimova2020-a"])
def test_wide_text_keeps_the_headings_wrapped_at_their_own_narrower_measure(name):
    # the text set 90 characters wide, a heading at most 60: a long heading wraps far short of
    # the text's measure, its last line a word or two
    generated, doc = built(name, 0, width=90, font="none")
    gold = sorted((s["start"], s["end"]) for s in generated.sentences if s["part"] == "heading")
    assert any("\n" in generated.raw[start:end] for start, end in gold)
    assert sorted((b.start, b.end) for b in doc.blocks("heading")) == gold


def abstract_spans(generated) -> dict[str, tuple[int, int]]:
    """Each language's abstract in the generator's gold: from its first sentence to its last."""
    spans: dict[str, tuple[int, int]] = {}
    for s in generated.sentences:
        if s["part"] == "abstract":
            start, end = spans.get(s["lang"], (s["start"], s["end"]))
            spans[s["lang"]] = (min(start, s["start"]), max(end, s["end"]))
    return spans


@pytest.mark.parametrize("name, seed", [("aliyeva2021-b", 127), ("kerimova2020-b", 100000 * 100003 + 39)])
def test_a_finished_note_that_runs_on_glued_above_the_next_notes_keeps_its_cited_pages(name, seed):
    # nothing sets the notes apart from the text; a note that ended a sentence ("Vol. II.",
    # "1991.") goes on at the foot of the next page with one line citing pages ("– С.194.")
    generated, doc = built(name, seed)
    assert generated.families["separator"] == "none" and generated.families["run-on"] == "yes"
    found = {(c["start"], c["end"]) for c in doc.data["citations"]}
    missed = [n for n in generated.notes if (n["start"], n["end"]) not in found]
    assert missed == []
    assert any(re.search(r"\n\s*\n", generated.raw[n["start"]:n["end"]]) for n in generated.notes)


@pytest.mark.parametrize("name, seed", [("kerimova2020-a", 38), ("kerimova2020-a", 164), ("aliyeva2021-b", 92),
                                        ("aliyeva2021-a", 77)])
def test_an_abstract_broken_by_a_page_is_one_abstract(name, seed):
    # its labelled first line alone above the page number (38: not a running header), a page
    # without furniture breaking it in mid-sentence (164, 92: not a second abstract nor an
    # affiliation), its sentences on the next page holding commas (77: not unlabelled keywords)
    generated, doc = built(name, seed)
    have = {(b.lang, b.start, b.end) for b in doc.blocks("abstract")}
    gold = abstract_spans(generated)
    assert any(re.search(r"\n\s*\n", generated.raw[start:end]) for start, end in gold.values())
    assert {lang: span for lang, span in gold.items() if (lang,) + span not in have} == {}


def test_a_heading_set_apart_below_the_notes_of_a_page_without_furniture_opens_the_text():
    # bagirova2024 on pages with no header or page number, the page break one empty line: the
    # headings "Qafqaz Konfederasiyasının … rolu" and "Nəticə" stand right below a page's notes,
    # above their indented paragraphs (a note's lines are not indented)
    generated, doc = built("bagirova2024", 177)
    assert (generated.families["header"], generated.families["page number"]) == ("none", "none")
    gold = sorted((s["start"], s["end"]) for s in generated.sentences if s["part"] == "heading")
    assert sorted((b.start, b.end) for b in doc.blocks("heading")) == gold
    texts = {generated.raw[start:end] for start, end in gold}
    assert "Nəticə" in texts


@pytest.mark.parametrize("name, k", [("bagirova2024", 16), ("aliyeva2021-b", 113), ("aliyeva2021-b", 148)])
def test_a_finished_note_that_runs_on_below_the_last_paragraph_keeps_its_cited_pages(name, k):
    # nothing sets the notes apart from the text; a note that ended a sentence goes on at the
    # foot of the next page with one line citing pages ("– С.226.", "с.70."), glued below the
    # page's last paragraph, which stands apart from the paragraph above it
    generated, doc = built(name, 1 * 100003 + k)
    assert generated.families["separator"] == "none" and generated.families["run-on"] == "yes"
    found = {(c["start"], c["end"]) for c in doc.data["citations"]}
    assert [n["n"] for n in generated.notes if (n["start"], n["end"]) not in found] == []


def test_a_volume_number_in_a_note_run_on_marks_no_note():
    # aliyeva2021-a with notes marked by signs restarting on every page: the run-on line of a
    # note ("Social History of the Orient, 1960, vol. 3, no. 2, pp. 131-147.") glued above the
    # page's notes is no text holding note 3's marker
    generated, doc = built("aliyeva2021-a", 1 * 100003 + 70)
    assert generated.families["marker"] == "daggers"
    found = {(c["start"], c["end"]) for c in doc.data["citations"]}
    missed = [n for n in generated.notes if (n["start"], n["end"]) not in found]
    assert missed == []
    assert any("vol. 3" in generated.raw[n["start"]:n["end"]] for n in generated.notes)
