"""The Azerbaijani recogniser: inflection stripping, named rules on sentences it never saw, the shipped model."""

import re

import pytest

from polycorpus.entities.az import LABELS, AzRecognizer
from polycorpus.entities.inflection import az_stems, ru_stem


@pytest.mark.parametrize("case", [
    "Rəsulzadə|nin", "Türkiyə|də", "Varşava|da", "Azərbaycan|ın", "Komitə|sini", "Moskva|ya", "Paris|dəki",
    "Rusiya|sı", "Türkiyə|sinə", "SSRİ|-nin", "QİK|-dəki", "Berlin|dən", "Qafqaz|la", "Pilsudski|nin",
    "Sultanov|un", "İsveçrə|si", "Rəsulzadə|ni", "Polşa|ya", "Şimali Qafqaz|ın",
])
def test_az_stems_undo_suffixes_after_vowel_harmony(case):
    stem, suffix = case.split("|")
    word = stem + suffix
    assert az_stems(word)[0] == word
    assert stem.split()[-1] in az_stems(word.split()[-1])


@pytest.mark.parametrize("word, stem", [("Nazirliyinin", "Nazirlik"), ("Komissarlığının", "Komissarlıq"),
                                        ("Dərnəyinin", "Dərnək")])
def test_az_stems_harden_final_consonant(word, stem):
    assert stem in az_stems(word)


def test_az_stems_keep_harmony():
    assert "Paris" not in az_stems("Parisda")      # back-vowel suffix after a front-vowel stem
    assert "Moskva" not in az_stems("Moskvanin")
    assert az_stems("Bakı")[0] == "Bakı"


@pytest.mark.parametrize("word, stem", [("Турции", "Турц"), ("Кавказа", "Кавказ"), ("Исхаков", "Исхаков"),
                                        ("Москва", "Москв")])
def test_ru_stem(word, stem):
    assert ru_stem(word) == stem


def markup(text: str, spans) -> str:
    out, last = [], 0
    for start, end, label in spans:
        out.append(text[last:start] + f"[{text[start:end]}|{label}]")
        last = end
    return "".join(out) + text[last:]


# Sentences from outside the sample article, in one-line markup.
UNSEEN = [
    "[Nəriman Nərimanov|PER] 1920-ci ildə [Bakıda|LOC] [Azərbaycan İnqilab Komitəsinin|ORG] sədri oldu.",
    "[Cəlil Məmmədquluzadə|PER] “[Molla Nəsrəddin|WORK]” jurnalını [Tiflisdə|LOC] nəşr etdirirdi.",
    "[Üzeyir Hacıbəyli|PER] “[Leyli və Məcnun|WORK]” operasını 1908-ci ildə yazmışdır.",
    "[Fətəli xan Xoyski|PER] [Gəncədə|LOC] hökumətin sədri idi.",
    "[Birinci Dünya müharibəsi|EVENT] illərində [Osmanlı İmperiyası|LOC] [Qafqaz|LOC] cəbhəsində döyüşürdü.",
    "[Azərbaycan Milli Elmlər Akademiyasının Tarix İnstitutu|ORG] [Bakıda|LOC] yerləşir.",
    "[Ə.Topçubaşov|PER] [Parisdə|LOC] [Sülh Konfransında|EVENT] iştirak edirdi.",
    "[Hüseyn Cavid|PER] [Naxçıvanda|LOC] anadan olub, 1941-ci ildə [Sibirdə|LOC] vəfat edib.",
    "[Sovet İttifaqının|LOC] dağılmasından sonra [Azərbaycan|LOC] müstəqilliyini bərpa etdi.",
    "[Müsavat|ORG] partiyasının lideri [Türkiyəyə|LOC] köçdü.",
    "Onun “[Əsrimizin Siyavuşu|WORK]” əsəri [İstanbulda|LOC] çap olunub.",
    "[Almaniyanın|LOC] [Münhen|LOC] şəhərində “[Azərbaycan|WORK]” jurnalı nəşr olunurdu.",
    "Bu hadisədən sonra marşal [J.Pilsudski|PER] [Varşavaya|LOC] qayıtdı.",
    "[Mustafa Vəkilov|PER] ([Vəkilli|PER]) [SSRİ-nin|LOC] təzyiqi ilə [Ankaradan|LOC] getdi.",
    "[Qafqaz İstiqlal Komitəsi|ORG] ([QİK|ORG]) [Azərbaycan Xalq Cümhuriyyətinin|LOC] varisi sayılırdı.",
    "Sədr [Əlimərdan bəy Topçubaşov|PER] [Paris Sülh Konfransında|EVENT] heyətə rəhbərlik edirdi.",
    "[Mirzə Fətəli Axundov|PER] [Şəkidə|LOC] anadan olmuşdur.",
    "[Böyük Vətən müharibəsi|EVENT] illərində [Bakı|LOC] nefti cəbhəni təmin edirdi.",
    "[BMT Təhlükəsizlik Şurası|ORG] 1993-cü ildə dörd qətnamə qəbul etdi.",
]


@pytest.mark.parametrize("case", UNSEEN)
def test_rules_on_unseen_sentences(case):
    text = re.sub(r"\[([^|\]]+)\|\w+\]", r"\1", case)
    assert markup(text, AzRecognizer(model=False).find(text)) == case


def test_surname_known_from_elsewhere_in_the_document():
    texts = ["Heydər Bammat Parisdə yaşayırdı.", "Sonra Bammat Türkiyəyə getdi."]
    found = AzRecognizer(model=False).find_many(texts)
    assert (6, 12, "PER") in found[1]
    assert AzRecognizer(model=False).find(texts[1]) == [(13, 22, "LOC")]


def test_a_quoted_title_with_a_head_word_elsewhere_in_the_document_is_a_work():
    # rzayev2019: the opera is named with its head word once, bare after that
    texts = ["Bu illərdə Hacıbəyov yaradıcılığının zirvəsi sayılan “Koroğlu” operası \nüzərində işləyirdi.",
             "“Koroğlu” böyük uğur qazandı. Müslüm Maqomayev isə bu uğuru görə bilmədi:"]
    found = AzRecognizer(model=False).find_many(texts)
    assert (1, 8, "WORK") in found[1]
    assert (1, 8, "WORK") not in AzRecognizer(model=False).find(texts[1])


def test_not_entities():
    text = "Bu şəraitdə sovet hakimiyyəti azərbaycanlıları təqib edirdi, lakin onlar türk dilində yazırdılar."
    assert AzRecognizer(model=False).find(text) == []


def test_shipped_model_loads_and_finds_entities_in_unseen_text():
    recognizer = AzRecognizer()
    info = recognizer.model_info
    assert info["model"] == "az_ner" and info["sentences"] > 100 and "gold" in info
    assert recognizer.nlp.pipe_names == ["ner"]
    text = "1937-ci ildə Bakıda həbs olunan Hüseyn Cavid Sibirə sürgün edildi."
    spans, = recognizer.model_spans([text])
    assert spans and all(f.label in LABELS for f in spans)
    words = {(m.start(), m.end()) for m in re.finditer(r"\w+", text)}
    starts, ends = {s for s, _ in words}, {e for _, e in words}
    assert all(f.start in starts and f.end in ends for f in spans)
    assert {text[f.start:f.end] for f in spans} & {"Bakıda", "Hüseyn Cavid", "Sibirə"}
    # the combined recogniser keeps the rules' spans and adds the model's elsewhere
    assert set(AzRecognizer(model=False).find(text)) <= set(recognizer.find(text))


def test_fit_trains_a_model_the_entities_stage_reads_and_is_deterministic(tmp_path):
    """A tiny fit (one epoch, one article's 19 az sentences): the config points at a model that
    the recogniser loads; the same seed gives the same weights."""
    import json
    from pathlib import Path

    from polycorpus.entities.az import AzRecognizer
    from polycorpus.entities.training import fit

    root = Path(__file__).resolve().parents[1]
    articles = [(root / "corpus/raw/kerimova2020-a.txt", root / "tests/data/gold/kerimova2020-a")]
    first = fit(articles, tmp_path / "one", seed=0, epochs=1)
    second = fit(articles, tmp_path / "two", seed=0, epochs=1)
    model = Path(first["entities"]["az_model"])
    info = json.loads((model / "training.json").read_text(encoding="utf-8"))
    assert info["articles"] == ["kerimova2020-a"] and info["sentences"] == 19
    assert (model / "ner" / "model").read_bytes() == (Path(second["entities"]["az_model"]) / "ner" / "model").read_bytes()
    recognizer = AzRecognizer(model_dir=str(model))
    assert recognizer.nlp.meta["name"] == "az_ner"
