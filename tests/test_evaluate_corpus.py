"""`evaluate corpus`: every layer of every document against a tiny hand-made gold whose figures are worked out by hand."""

import json

import pytest

from polycorpus.cli import main as cli
from polycorpus.errors import InputError
from polycorpus.evaluate.corpus import evaluate_corpus
from polycorpus.evaluate.ner import evaluate_ner
from polycorpus.evaluate.segmentation import score_segmentation
from polycorpus.formats import write_alignment, write_citations
from polycorpus.io import write_jsonl


def sentence(id_, lang, start, end):
    return {"id": id_, "lang": lang, "part": "abstract", "start": start, "end": end, "text": "x"}


def entity(start, end, label, norm):
    return {"start": start, "end": end, "text": "x", "label": label, "lang": "az", "norm": norm}


BOOK = {"n": 1, "type": "book", "author": [{"family": "Soyadov", "given": "A."}], "title": "Kitab",
        "issued": {"date-parts": [[2001]]}, "raw": "Soyadov A. Kitab. 2001.", "start": 50, "end": 73}


@pytest.fixture
def folders(tmp_path):
    gold, build = tmp_path / "gold", tmp_path / "build"
    # document "one": every layer
    write_jsonl(gold / "one/sentences.jsonl", [sentence("a1", "az", 0, 10), sentence("a2", "az", 11, 20),
                                               sentence("e1", "en", 21, 30)])
    write_jsonl(build / "one/sentences.jsonl", [sentence("a1", "az", 0, 10), sentence("a2", "az", 11, 19),
                                                sentence("e1", "en", 21, 30), sentence("e2", "en", 31, 40)])
    write_alignment(gold / "one/alignment.tsv", [{"az": ["a1"], "en": ["e1"], "ru": ["r1"]},
                                                 {"az": ["a2"], "en": ["e2"], "ru": ["r2"]}])
    write_alignment(build / "one/alignment.tsv", [{"az": ["a1"], "en": ["e1"], "ru": ["r1"]},
                                                  {"az": ["a2"], "en": ["e2"]}, {"ru": ["r2"]}])
    write_jsonl(gold / "one/entities.jsonl", [entity(0, 5, "PER", "X"), entity(11, 15, "LOC", "Y")])
    write_jsonl(build / "one/entities.jsonl", [entity(0, 5, "PER", "X"), entity(11, 14, "LOC", "Y")])
    write_citations(gold / "one/citations.json", [BOOK])
    write_citations(build / "one/citations.json", [BOOK | {"title": "Kitab II"}])
    # document "two": sentences only, found exactly
    write_jsonl(gold / "two/sentences.jsonl", [sentence("a1", "az", 0, 10)])
    write_jsonl(build / "two/sentences.jsonl", [sentence("a1", "az", 0, 10)])
    # document "three": in the gold, not in the build
    write_jsonl(gold / "three/sentences.jsonl", [sentence("a1", "az", 0, 10)])
    return gold, build


def test_every_layer_has_the_figure_worked_out_by_hand(folders):
    gold, build = folders
    report = evaluate_corpus(gold, build)
    one = report.documents["one"].figures()
    # sentences: 2 of 3 gold spans found, 2 of 4 predicted right
    assert one["sentences"]["P"] == pytest.approx(0.5)
    assert one["sentences"]["R"] == pytest.approx(2 / 3)
    # az-en perfect; az-ru and en-ru: P 1/3 (one of three test beads), R 1/2 -> F1 0.4;
    # all pairs: P 4/8, R 4/6 -> F1 4/7
    alignment = one["alignment"]
    assert alignment["strict az-en"] == pytest.approx(1.0)
    assert alignment["strict az-ru"] == alignment["worst strict"] == pytest.approx(0.4)
    assert alignment["strict"] == pytest.approx(4 / 7)
    # entities: the LOC is cut short -> strict 1 of 2 both ways, partial both right
    assert one["entities"]["strict"] == pytest.approx(0.5)
    assert one["entities"]["partial"] == pytest.approx(1.0)
    assert one["entities"]["linking"] == pytest.approx(0.5)
    # citations: the span is right; of type, author, title, year, issued only the title is wrong
    assert one["notes"]["F1"] == pytest.approx(1.0)
    assert one["citations"]["fields"] == pytest.approx(0.8)
    assert one["citations"]["exact"] == 0.0
    assert "back-references" not in one["citations"]  # nothing to count
    # micro total over "one" and "two": 3 of 4 gold sentences, 3 of 5 predicted
    assert report.total.figures()["sentences"]["F1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert report.not_built == ["three"]
    assert set(report.to_dict()["documents"]) == {"one", "two"}


def test_figures_agree_with_the_per_layer_scorers(folders):
    gold, build = folders
    report = evaluate_corpus(gold, build)
    segmentation = score_segmentation(gold / "one", build)
    assert report.documents["one"].figures()["sentences"]["F1"] == pytest.approx(segmentation.overall.f1)
    ner = evaluate_ner(gold / "one", {"build": str(build / "one/entities.jsonl")}).systems[0]
    assert report.documents["one"].figures()["entities"]["strict"] == pytest.approx(ner.total("strict").f1)
    assert report.documents["one"].figures()["entities"]["partial"] == pytest.approx(ner.total("partial").f1)


def test_command_prints_rows_total_and_signature_and_writes_json(folders, tmp_path, capsys):
    gold, build = folders
    out = tmp_path / "scores.json"
    assert cli(["evaluate", "corpus", "--gold", str(gold), "--build", str(build), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert lines[0].startswith("document") and lines[1].startswith("one") and lines[3].startswith("micro total")
    assert "not in the build (not scored): three" in printed
    signature = lines[-1]
    assert signature.startswith("Corpus|gold:one@") and "+two@" in signature and "|v:" in signature
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["signature"] == signature.split(" = ")[0]
    assert figures["documents"]["two"]["sentences"]["F1"] == 1.0


def test_a_build_with_none_of_the_gold_documents_is_one_clear_error(folders, tmp_path, capsys):
    gold, _ = folders
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds none of the gold documents"):
        evaluate_corpus(gold, tmp_path / "empty")
    assert cli(["evaluate", "corpus", "--gold", str(gold), "--build", str(tmp_path / "nowhere")]) != 0
    assert "no such build folder" in capsys.readouterr().err
