"""Broken fonts (structure/mojibake.py): the sample article written through each legacy font is
read back letter for letter at the raw offsets, and clean documents are left as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from polycorpus.document import Document
from polycorpus.pipeline import process
from polycorpus.structure import mojibake

from conftest import ROOT

LAYOUTS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
ISSUE_12 = {"Ġ": "İ", "Đ": "İ", "Ģ": "Ş", "ġ": "ş"}  # the substitutions issue 12 lists


def repaired(text: str) -> str:
    return mojibake.read_through(text, mojibake.find_repairs(text))


@pytest.mark.parametrize("encoding", sorted(mojibake.tables().encodings))
def test_every_legacy_font_is_read_back(sample_raw, encoding):
    broken = mojibake.corrupt(sample_raw, encoding)
    assert len(broken) == len(sample_raw)
    assert sum(a != b for a, b in zip(broken, sample_raw)) > 300  # the font did break the text
    assert repaired(broken) == sample_raw


def test_mixed_substitutions_and_the_cyrillic_schwa_are_read_back(sample_raw):
    broken = mojibake.corrupt(sample_raw, ISSUE_12, schwa=0.5, seed=3)
    assert "Ġ" in broken and "Đ" in broken and "ә" in broken
    assert repaired(broken) == sample_raw


@pytest.mark.parametrize("name, share", [("bagirova2024", 0.25), ("rzayev2019-a", 0.1)])
def test_a_part_in_a_broken_font_is_read_back(name, share):
    # the notes or the reference list copied in a broken font into a clean article: the letters
    # the font lost are printed elsewhere, but its repaired words are the article's own words
    raw = (ROOT / "corpus" / "raw" / f"{name}.txt").read_text(encoding="utf-8")
    cut = int(len(raw) * (1 - share))
    broken = raw[:cut] + mojibake.corrupt(raw[cut:], "cp1254-contiguous")
    assert sum(a != b for a, b in zip(broken, raw)) > 30
    assert repaired(broken) == raw


def test_case_follows_the_word_and_the_document():
    # mac glyph order: ġ is Ş, Ģ is ş; a word's start takes the case the document gives the letter
    text = "ġuĢa Ģəhəri. Bu iĢ ġirvanda da görülür, iĢlər ġəkidə də var; ġUġA. " * 2
    assert repaired(text) == "Şuşa şəhəri. Bu iş Şirvanda da görülür, işlər Şəkidə də var; ŞUŞA. " * 2


@pytest.mark.parametrize("path", LAYOUTS, ids=lambda p: p.stem)
def test_clean_layouts_are_untouched(path):
    assert mojibake.find_repairs(path.read_text(encoding="utf-8")) == []


def test_foreign_names_in_a_clean_document_are_kept(sample_raw):
    # Maltese, Czech, Croatian and Icelandic names hold letters a broken font writes, but a clean
    # document has the letters they would stand for everywhere
    names = "\nĠużeppi Ġorġ, Šimek Šárka, Đurić Đorđe, Þórður Ýr. Nový Svět.\n"
    text = sample_raw + names * 3
    assert mojibake.find_repairs(text) == []


def test_foreign_names_in_an_english_text_are_kept(sample_raw):
    # an English text lacks İ and Ş everywhere, but its lines hold no Azerbaijani or Turkish
    # letter: they are no evidence of a broken font
    english = "\n".join(line for line in sample_raw.splitlines() if line.isascii())
    names = "\nJ. Šimek, Š. Šusta and Ġ. Ġrech, History of Bohemia. Dějiny. London, 1990.\n"
    assert mojibake.find_repairs(english + names * 3) == []


def test_legitimate_letters_in_a_broken_document_are_kept(sample_raw):
    # in a document whose font writes İ as Đ, the Croatian name keeps its Đ (ć is no Azerbaijani
    # letter, nor đ) and Turkish titles keep their Ğ/ğ
    broken = mojibake.corrupt(sample_raw, ISSUE_12) + "\nĐurić Đorđe. Doğu Anadolu. Ğ harfi.\n"
    fixed = repaired(broken)
    assert fixed.endswith("\nĐurić Đorđe. Doğu Anadolu. Ğ harfi.\n")
    assert fixed[:len(sample_raw)] == sample_raw
    assert "ğ" in sample_raw  # the article's ğ stayed through the round trip


def test_the_build_reads_the_repaired_text_at_raw_offsets(sample_raw):
    clean = process(Document("bagirova2024", sample_raw), ["structure", "notes", "segment"])
    broken_raw = mojibake.corrupt(sample_raw, "mac-glyph-order")
    broken = process(Document("bagirova2024", broken_raw), ["structure", "notes", "segment"])
    assert clean.layer("mojibake") == []
    edits = broken.layer("mojibake")
    assert edits and all(broken_raw[e.start] in "ĠġĢ" and sample_raw[e.start] == e.attrs["char"] for e in edits)
    # the same blocks and sentences, the same clean text, offsets into the broken raw file
    assert broken.layer("blocks") == clean.layer("blocks")
    assert broken.layer("sentences") == clean.layer("sentences")
    for a, b in zip(clean.layer("sentences"), broken.layer("sentences")):
        view, broken_view = clean.clean(a), broken.clean(b)
        assert broken_view.text == view.text and broken_view.offsets == view.offsets
    assert [c["raw"] for c in broken.data["citations"]] == [c["raw"] for c in clean.data["citations"]]
    assert broken.meta["structure"]["repaired_letters"]["Ģ→ş"] > 100


def test_the_repair_can_be_switched_off(sample_raw):
    broken_raw = mojibake.corrupt(sample_raw, "mac-glyph-order")
    doc = process(Document("bagirova2024", broken_raw), ["structure"], config={"structure": {"repair_fonts": False}})
    assert doc.layer("mojibake") == []
    assert any("Ġ" in doc.clean(b).text for b in doc.layer("blocks"))


def test_a_loose_reference_list_in_a_broken_font_is_parsed_as_the_clean_one(tmp_path, capsys):
    import argparse
    import json

    from polycorpus.commands import citations as command

    gold = json.loads((ROOT / "tests/data/gold/rzayev2019-a/citations.json").read_text(encoding="utf-8"))
    clean = "\n".join(c["raw"] for c in gold)
    broken = mojibake.corrupt(clean, "cp1254-as-cp1252")
    assert set("ÝÞý") <= set(broken)
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    outputs = []
    for name, text in (("clean", clean), ("broken", broken)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        assert command.main(parser.parse_args(["--refs", str(path)])) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[1] == outputs[0]
