"""Sentence segmentation: rule cases as one-line partitions, the stage on the sample, the CLI,
the evaluation, and the stanza backend with a tokenizer model trained here from gold sentences."""

from __future__ import annotations

import argparse
import re

import pytest
import spacy

from polycorpus import formats
from polycorpus.cli import main as cli_main
from polycorpus.document import Document, Span
from polycorpus.errors import ResourceError
from polycorpus.evaluate.segmentation import ALL, score_segmentation, sentence_counts
from polycorpus.pipeline import build_file, process
from polycorpus.segment import make_segmenter, segment, sentence_spans
from polycorpus.segment import spacy as segment_spacy
from polycorpus.segment.rules import Abbreviations, RuleSegmenter
from polycorpus.sources import read_source

from conftest import GOLD, SAMPLE

# One case per line, "|" at every boundary (razdel's test style).
CASES = {
    "az": [
        "Bu müddət ərzində o, Türkiyədə yaşamışdır. | Rəsulzadə geri dönmədi.",
        "Azərbaycan bu qurumda M.Ə. Rəsulzadə ilə təmsil olunmuşdu. | Hərəkatın məqsədi aydın idi.",
        "Bu əsərlər İ.Stalinin göstərişi ilə qadağan edildi. | Lakin o, yazmağa davam etdi.",
        "Kavkaz, Krım və s. xalqların nümayəndələri gəldi. | Sonra iclas başladı.",
        "Mövzular: AXC tarixi və s. | Yeni bir dövr başladı.",
        "Bax: Bakı, 1996, s. 162 və səh. 35. | Başqa mənbə yoxdur.",
        "O, XX əsrin əvvəllərində və II Dünya müharibəsində yaşadı. | 11-ci ordu gəldi.",
        "Türk tarixçiləri II. Dünya müharibəsini belə adlandırır.",
        "O yazır: “Biz arzu edirik. Amma o deyil. Nə üçün qəbul edilir?!”. | Sonra susdu.",
        "Son söz “Azərbaycan, Azərbaycan!” sözləri oldu. | Bu məlumdur.",
        "Eynilə heç bir aidiyyatı yoxdur... | Nə üçün belədir?",
        "O, “Kitab” adlı əsər [...] yazdı. | Əsər çap olundu.",
        "Bu tarix (?) Bakıda yazılıb (!) Tiflisdə yox. | Əsər çap olundu.",
        "Məktub 1924-cü ildə yazılıb (bunun 25-35 mini azərbaycanlı idi). | İlk legionlar yarandı.",
        "Sənəd 25.12.1924 tarixlidir. | Faiz 1.5 idi.",
        "Sənədlər arxivdə saxlanılır, f. 894, siy. 10, iş 52. | Bu məlumdur.",
        "Prof. Məmmədov və t.e.d. Ə.Əliyev bunu araşdırmışlar (bax: səh. 12). | Sonra yazdılar.",
    ],
    "ru": [
        "Статья посвящена эмиграции. | За это время он прожил во многих странах.",
        "Письмо А.М. Топчибаши было написано в 1926 г. | Затем он уехал в г. Париж.",
        "Это т.е. сказано в 1920-1922 гг. в Москве. | Он вернулся.",
        "Архив МВД: Ф. 3, оп. 3, д. 4, л. 2-5. | Других данных нет.",
        "Москва, 2007, с. 35 и стр. 40. | Документы и материалы.",
        "Они писали книги, статьи и т.д. | Журнал «Прометей» выходил в Париже.",
        "Он сказал: «Мы вернёмся. Это неизбежно». | Его не слушали.",
        "В XX в. Москва стала столицей.",
        "В 1926 г. Расулзаде уехал в Париж. | Делегация прибыла в янв. 1919 г.",
        "Это случилось в 1926 г. | Затем он уехал.",
        "По мирному договору 1813 г. Ширванское ханство отошло к России. | Так было до 1917 г. | Потом всё изменилось.",
    ],
    "en": [
        "The article covers the period from 1922 to 1955. | During this time, he lived in Turkey.",
        "See e.g. Smith, pp. 3-5, and cf. vol. 2. | The rest is lost.",
        "He wrote books, articles, etc. | Then he left.",
        "Rasulzade’s activity was fruitful. | He wrote a lot.",
        "They met Dr. Smith and J. R. Jones in Paris. | Nothing came of it.",
        "Why did it fail? | Nobody knows!",
        "1. The first point. | 2. The second point. | IV. The fourth.",
        "The file is in box 3, folder 12, sheet 4, cf. n. 5 above. | It was lost.",
    ],
}


def partition(case: str) -> tuple[str, list[str]]:
    parts = [p.strip() for p in case.split("|")]
    return " ".join(parts), parts


@pytest.mark.parametrize("lang,case", [(lang, case) for lang, cases in CASES.items() for case in cases])
def test_rule_cases(lang, case):
    text, expected = partition(case)
    assert [text[s:e] for s, e in RuleSegmenter(lang).split(text)] == expected


@pytest.mark.parametrize("lang,case", [(lang, case) for lang, cases in CASES.items() for case in cases])
def test_spacy_pipeline_agrees_with_rules(lang, case):
    text, expected = partition(case)
    assert [text[s:e] for s, e in make_segmenter(lang).split(text)] == expected


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_glued_note_number_is_no_part_of_a_sentence(lang):
    # PDF text layers glue superscript note numbers to the stops: "idi.1 Rəsulzadə", "?!”.21"
    text = "Guya ona yaxın idi.1 Rəsulzadə yazır: “Nə üçün?!”.21 Son söz.3"
    for segmenter in (RuleSegmenter(lang), make_segmenter(lang)):
        assert [text[s:e] for s, e in segmenter.split(text)] == [
            "Guya ona yaxın idi.", "Rəsulzadə yazır: “Nə üçün?!”.", "Son söz."]
        # a note number set apart by a space at the end of a paragraph
        assert segmenter.split("Rəhbərlik edir”. 8") == [(0, len("Rəhbərlik edir”."))]


def test_trace_names_the_rule():
    text = "Azərbaycan M.Ə. Rəsulzadə ilə və s. kimi təmsil olunurdu. Bu belədir."
    decisions = [(text[d.end - 4:d.end], d.rule, d.split) for d in RuleSegmenter("az").trace(text)]
    assert decisions == [("M.Ə.", "initials", False), ("ə s.", "lower_right", False),
                         ("rdu.", "default", True)]


def test_abbreviation_lists_are_data():
    for lang, probe in (("az", "səh"), ("ru", "т.е"), ("en", "e.g")):
        abbreviations = Abbreviations.load(lang)
        assert probe in abbreviations.entries
    assert Abbreviations.load("ru").entries["гг"] == "numeric"
    assert Abbreviations.load("xx").entries == {}


def test_one_pipeline_per_language_made_anew_when_its_strings_pile_up(monkeypatch):
    first = make_segmenter("az").nlp
    assert make_segmenter("az").nlp is first and make_segmenter("ru").nlp is not first
    monkeypatch.setattr(segment_spacy, "MAX_STRINGS", len(first.vocab.strings))
    first("Lüğətdə olmayan təzə sözlər.")  # spaCy keeps the strings it reads
    assert make_segmenter("az").nlp is not first


def test_spacy_factory_in_a_users_pipeline():
    nlp = spacy.blank("ru")
    nlp.add_pipe("polycorpus_sentences")
    doc = nlp("Письмо М.Э. Расулзаде написано в 1924 г. Ответа не было.")
    assert [s.text for s in doc.sents] == ["Письмо М.Э. Расулзаде написано в 1924 г.", "Ответа не было."]


def test_sentences_map_back_to_raw_through_the_clean_view():
    # line-end hyphen, a glued footnote marker, initials across a line break; no structure stage
    raw = "Qafqaz Konfederasiyasının yaradıl-\nmasına qədər idi.1 Bu qurumda M.Ə. \nRəsulzadə də var idi. Başlıq"
    doc = Document("t", raw)
    hyphen = raw.index("-\n")
    marker = raw.index("1 Bu")
    doc.set_layer("hyphen", [Span(hyphen, hyphen + 2)])
    doc.set_layer("marker", [Span(marker, marker + 1, attrs={"n": 1})])
    heading = raw.index("Başlıq")
    doc.set_layer("blocks", [Span(0, heading - 1, "paragraph", "az"), Span(heading, len(raw), "heading", "az")])
    spans = sentence_spans(doc, {"az": make_segmenter("az")})
    assert [(doc.text(s), s.id) for s in spans] == [
        ("Qafqaz Konfederasiyasının yaradıl-\nmasına qədər idi.", "az.body.1"),
        ("Bu qurumda M.Ə. \nRəsulzadə də var idi.", "az.body.2"),
        ("Başlıq", "az.heading.1"),
    ]


@pytest.fixture(scope="session")
def segmented_sample():
    return process(read_source(SAMPLE), ["structure", "segment"])


def test_stage_on_the_sample(segmented_sample):
    doc = segmented_sample
    sentences = {s.id: doc.text(s) for s in doc.layer("sentences")}
    assert sentences["ru.title.1"].startswith("ИЗ ИСТОРИИ") and sentences["ru.title.1"].endswith("В ЭМИГРАЦИИ")
    assert "yaradıl-\nmasına" in sentences["az.abstract.3"]
    assert sentences["az.body.7"].endswith("guya ona yaxın idi.")
    body = [text for name, text in sentences.items() if name.startswith("az.body.")]
    assert any(text.startswith("Azərbaycan bu qurumda M.Ə. \nRəsulzadə") for text in body)
    assert any(text.endswith("qəbul edilir?!”.") for text in body)
    # each footnote is one sentence in its own language, numbered in the document's order
    notes = list(doc.blocks("footnote"))
    footnote_sentences = [s for s in doc.layer("sentences") if s.label == "footnote"]
    assert len(footnote_sentences) == len(notes) == 48
    assert [s.id for s in footnote_sentences[:2]] == [f"{notes[0].lang}.footnote.1.1", f"{notes[1].lang}.footnote.2.1"]
    assert all(note.start <= s.start < s.end <= note.end for note, s in zip(notes, footnote_sentences))
    assert doc.meta["segment"]["segmenters"]["az"].startswith("spacy-rules@")


def test_footnote_sentences_are_judged_only_by_a_gold_that_segments_footnotes():
    body = {"lang": "az", "part": "body", "start": 0, "end": 10}
    note = {"lang": "ru", "part": "footnote", "start": 20, "end": 30}
    wrong_note = {**note, "end": 25}
    without = sentence_counts([body], [body, wrong_note])[ALL, ALL]
    assert (without.tp, without.fp, without.fn) == (1, 0, 0)
    judged = sentence_counts([body, note], [body, wrong_note])[ALL, ALL]
    assert (judged.tp, judged.fp, judged.fn) == (1, 1, 1)


def test_score_against_gold_from_the_raw_article():
    score = score_segmentation(GOLD, raw=SAMPLE.parent)  # no build: structure + segment run here
    rows = {(r["lang"], r["part"]): r["f1"] for r in score.table.records()}
    for lang in ("az", "en", "ru"):
        assert rows[lang, "abstract"] == 1.0
    assert rows["az", "body"] >= 0.99
    signature = score.signature.format()
    assert signature.startswith("Seg-F1|gold:bagirova2024@") and "backend:spacy-rules@" in signature


def test_segment_command(tmp_path, capsys):
    path = tmp_path / "ru.txt"
    text = "Письмо А.М.Топчибаши \nнаписано в 1926 г. Затем т.е. позже он уехал.\n\nНовый абзац"
    path.write_text(text, encoding="utf-8")
    assert cli_main(["segment", "--lang", "ru", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Письмо А.М.Топчибаши написано в 1926 г.", "Затем т.е. позже он уехал.", "Новый абзац"]


def test_evaluate_command_prints_table_and_signature(tmp_path, capsys):
    from polycorpus.evaluate import segmentation

    build_file(SAMPLE, tmp_path, ["structure", "segment"])
    parser = argparse.ArgumentParser()
    segmentation.add_arguments(parser)
    assert segmentation.main(parser.parse_args(["--gold", str(GOLD), "--build", str(tmp_path)])) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:5] == ["lang", "part", "P", "R", "F1"]
    assert out[-1].startswith("Seg-F1|gold:bagirova2024@") and float(out[-1].rsplit("= ", 1)[1]) >= 0.99


# -- stanza: a tiny tokenizer trained here with stanza's own training entry point ----------------
TOKEN = re.compile(r"\w+(?:[-’']\w+)*|[^\w\s]")


def clean_sentence(text: str) -> str:
    return " ".join(re.sub(r"(\w)-\n\s*(\w)", r"\1\2", text).split())


def token_labels(sentence: str) -> str:
    """stanza's character labels: 1 ends a token, 2 ends the sentence's last token, 0 elsewhere."""
    labels = ["0"] * len(sentence)
    tokens = list(TOKEN.finditer(sentence))
    for token in tokens:
        labels[token.end() - 1] = "1"
    labels[tokens[-1].end() - 1] = "2"
    return "".join(labels)


@pytest.fixture(scope="session")
def stanza_model_dir(tmp_path_factory):
    """An az tokenizer trained for a few seconds on the gold body sentences (the abstracts are held out)."""
    tokenizer = pytest.importorskip("stanza.models.tokenizer")
    import torch

    folder = tmp_path_factory.mktemp("stanza")
    sentences = [clean_sentence(r["text"]) for r in formats.read_sentences(GOLD / formats.SENTENCES)
                 if (r["lang"], r["part"]) == ("az", "body")]
    paragraphs = [sentences[i:i + 4] for i in range(0, len(sentences), 4)]

    def write(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    write("train.txt", "".join(" ".join(p) + "\n\n" for p in paragraphs))
    write("train.toklabels", "".join("0".join(map(token_labels, p)) + "\n\n" for p in paragraphs))
    write("dev.txt", "".join(" ".join(p) + "\n\n" for p in paragraphs[:2]))
    write("dev.toklabels", "".join("0".join(map(token_labels, p)) + "\n\n" for p in paragraphs[:2]))
    write("mwt.json", "[]")
    names = ("train.txt", "train.toklabels", "dev.txt", "dev.toklabels", "mwt.json")
    path = {name: str(folder / name) for name in names}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny model: threads only contend for the CPU
    try:
        tokenizer.main(["--mode", "train", "--lang", "az", "--shorthand", "az_tiny", "--cpu", "--seed", "7",
                        "--txt_file", path["train.txt"], "--label_file", path["train.toklabels"],
                        "--dev_txt_file", path["dev.txt"], "--dev_label_file", path["dev.toklabels"],
                        "--mwt_json_file", path["mwt.json"], "--conll_file", str(folder / "dev.conllu"),
                        "--save_dir", str(folder / "az" / "tokenize"), "--save_name", "tiny.pt",
                        "--steps", "150", "--eval_steps", "50", "--batch_size", "16", "--hidden_dim", "32",
                        "--emb_dim", "16", "--max_seqlen", "100"])
    finally:
        torch.set_num_threads(threads)
    return folder


def test_stanza_backend_with_a_trained_model(stanza_model_dir):
    segmenter = make_segmenter("az", "stanza", model_dir=str(stanza_model_dir))
    assert segmenter.signature.startswith("stanza-") and "tiny.pt@" in segmenter.signature
    text = "Bu müddət ərzində o, Türkiyədə yaşamışdır. Rəsulzadə Azərbaycana qayıtmadı. O, kitablar yazdı."
    spans = segmenter.split(text)
    assert spans and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(text[s:e] == text[s:e].strip() and s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_stanza_backend_in_the_stage(stanza_model_dir, segmented_sample):
    doc = segmented_sample
    az_only = Document(doc.name, doc.raw)  # the az abstract alone keeps the test fast
    for layer, spans in doc.layers.items():
        if layer != "sentences":
            az_only.set_layer(layer, [s for s in spans
                                      if layer != "blocks" or (s.lang, s.label) == ("az", "abstract")])
    segment(az_only, backend="stanza", model_dir=str(stanza_model_dir))
    sentences = az_only.layer("sentences")
    gold = {(r["start"], r["end"]) for r in formats.read_sentences(GOLD / formats.SENTENCES)
            if (r["lang"], r["part"]) == ("az", "abstract")}
    predicted = {(s.start, s.end) for s in sentences if s.label == "abstract"}
    assert len(predicted & gold) >= 3  # held-out abstract: the tiny model finds real boundaries
    assert az_only.meta["segment"]["segmenters"]["az"].startswith("stanza-")


def test_missing_stanza_model_says_how_to_get_one(tmp_path):
    pytest.importorskip("stanza")
    with pytest.raises(ResourceError, match=r"stanza\.download\('ru'"):
        make_segmenter("ru", "stanza", model_dir=str(tmp_path))
