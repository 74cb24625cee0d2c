"""Structure recovery on the sample (against gold) and on synthetic articles of other layouts."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from polycorpus.cli import main as cli_main
from polycorpus.document import Document
from polycorpus.pipeline import process
from polycorpus.sources import read_source
from polycorpus.structure.hyphenation import keeps_hyphen, vocabulary
from polycorpus.tei.read import read_tei
from polycorpus.tei.write import write_tei

import pdfmaker
from conftest import GOLD, SAMPLE

RULE = " " * 43


@pytest.fixture(scope="module")
def sample(sample_raw):
    return process(Document("bagirova2024", sample_raw), ["structure", "notes"])


@pytest.fixture(scope="module")
def gold_sentences():
    return [json.loads(line) for line in (GOLD / "sentences.jsonl").read_text("utf-8").splitlines()]


def _span(sentences, part, lang=None):
    chosen = [s for s in sentences if s["part"] == part and (lang is None or s["lang"] == lang)]
    return min(s["start"] for s in chosen), max(s["end"] for s in chosen)


# -- the sample ------------------------------------------------------------------------------

def test_sample_footnotes_are_the_gold_notes(sample):
    gold = json.loads((GOLD / "citations.json").read_text("utf-8"))
    found = sample.data["citations"]
    assert [(c["id"], c["n"], c["start"], c["end"], c["raw"]) for c in found] == \
        [(c["id"], c["n"], c["start"], c["end"], c["raw"]) for c in gold]


def test_sample_markers_run_1_to_48_at_sentence_ends(sample, gold_sentences):
    markers = sample.layer("marker")
    assert [m.attrs["n"] for m in markers] == list(range(1, 49))
    assert all(sample.text(m) == str(m.attrs["n"]) for m in markers)
    ends = {s["end"] for s in gold_sentences}
    assert all(m.start in ends or m.start - 1 in ends for m in markers)


def test_sample_front_matter_blocks_match_gold(sample, gold_sentences):
    blocks = {(b.label, b.lang): (b.start, b.end) for b in sample.blocks()
              if b.label in ("abstract", "keywords", "title")}
    for lang in ("az", "en", "ru"):
        assert blocks[("abstract", lang)] == _span(gold_sentences, "abstract", lang)
    for lang in ("en", "ru"):  # the Russian keywords lost their label in extraction
        assert blocks[("keywords", lang)] == _span(gold_sentences, "keywords", lang)
    assert blocks[("title", "ru")] == _span(gold_sentences, "title")
    front = [(b.start, b.end) for b in sample.blocks("author", "affiliation", "identifiers")]
    assert front == [(s["start"], s["end"]) for s in gold_sentences if s["part"] == "front"]
    assert [b.label for b in sample.blocks("author", "affiliation", "identifiers")] == \
        ["author", "affiliation", "identifiers"]


def test_sample_headings_match_gold(sample, gold_sentences):
    headings = [(b.start, b.end, b.lang) for b in sample.blocks("heading")]
    assert headings == [(s["start"], s["end"], s["lang"]) for s in gold_sentences if s["part"] == "heading"]


def test_sample_paragraphs_read_clean(sample, gold_sentences):
    paragraphs = list(sample.blocks("paragraph"))
    texts = [sample.clean(p).text for p in paragraphs]
    joined = "\n".join(texts)
    for furniture in ("İradə Bağırova", "Məhəmməd Əmin Rəsulzadənin mühacirətdə....", "\n22\n", " 28 "):
        assert furniture not in joined
    assert "yaxın idi. Rəsulzadənin 140-illik" in joined  # marker 1 gone, the number 140 kept
    assert "edir”. 1925-ci" not in joined and "edir”." in joined
    assert "Canlı Şərq Dilləri Mərkəzi İnstitutunda işləməyə" in joined  # across a page and two notes
    assert "ən parlaq mərhələlərindən biri" in joined and "ictimai-siyasi" in joined
    assert "1924-cü ildə onun adı" in joined and "Fətəlibəyli-Düdənginski" in joined
    assert not re.search(r"[^\W\d_]- [^\W\d_]", joined)  # no line-end hyphen left unresolved
    # every gold body sentence lies in one paragraph's clean text, none in a footnote
    offsets = [set(sample.clean(p, keep_markers=True).offsets) for p in paragraphs]
    for s in gold_sentences:
        if s["part"] == "body":
            assert any(s["start"] in o and s["end"] - 1 in o for o in offsets), s["id"]


def test_sample_hyphens_and_homoglyphs(sample):
    kept = {sample.raw[s.start - 8:s.end + 3].split()[-2] for s in sample.layer("linebreak")}
    assert any("ictimai" in k for k in kept)
    notes = {b.attrs["n"]: b for b in sample.blocks("footnote")}
    assert "(1911-1992)" in sample.clean(notes[38]).text
    assert "Рамишвили" in sample.clean(notes[24]).text
    ru_abstract = next(b for b in sample.blocks("abstract") if b.lang == "ru")
    assert "освобождению своей родины" in sample.clean(ru_abstract).text  # Latin c mended
    assert "c.51" in sample.raw[notes[29].start:notes[29].end] and "с.51" in sample.clean(notes[29]).text
    assert "Yenə orada, c.74-77" in sample.clean(notes[22]).text  # a Latin word before: not mended


def test_sample_footnote_languages(sample):
    langs = {b.attrs["n"]: b.lang for b in sample.blocks("footnote")}
    assert langs[1] == "ru" and langs[2] == "ru" and langs[4] == "sv" and langs[25] == "tr"
    assert langs[26] == "az"  # "Yenə orada": a back-reference is in the language of its formula
    assert langs[30] == "az"
    assert langs[33] == "tr"  # Turkish spelling (Azerbaycan, no ə): not Azerbaijani
    assert langs[46] == "az" and langs[45] == "az"  # "Рамиз Абуталыбов. Göstərilən əsəri": the formula's


def test_inspect_prints_the_table(capsys):
    assert cli_main(["inspect", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "keywords     ru    4069   4120" in out
    assert "footnote     ru    6803   6976   1" in out
    assert "edits: marker 48" in out


# -- other layouts ---------------------------------------------------------------------------

OTHER_LAYOUT = f""" Abstract: This paper studies the diplomatic correspondence of the Azerbaijan Democratic 

Republic with the Paris Peace Conference between 1919 and 1920. It shows how the 
delegation argued for recognition, which partners it sought in Europe and why the 
Allied powers hesitated. The documents read here come from three archives and were 
never published before, so they change what we know about the young republic. 
Keywords: Paris Peace Conference, recognition, delegation, Azerbaijan Democratic Republic 

 
Xülasə: Məqalədə Azərbaycan Xalq Cümhuriyyətinin 1919-1920-ci illərdə Paris Sülh 
Konfransı ilə diplomatik yazışmaları araşdırılır. Nümayəndə heyətinin tanınma uğrunda 
hansı dəlillər gətirdiyi, Avropada hansı tərəfdaşlar axtardığı və müttəfiq dövlətlərin 
niyə tərəddüd etdiyi göstərilir. Burada oxunan sənədlər üç arxivdən götürülmüşdür və 
əvvəllər heç vaxt nəşr olunmamışdır, buna görə də gənc respublika haqqında bildiklərimizi 
dəyişir. 
Açar sözlər: Paris Sülh Konfransı, tanınma, nümayəndə heyəti, Azərbaycan Xalq Cümhuriyyəti 

 
THE DELEGATION IN PARIS, 1919-1920 

 
©2023    JOHN SMITH* 
 

*Baku State University, Faculty of History 
 ORCID: 0000-0002-1234-5678; e-mail: smith@example.org 

 
 Introduction 
The delegation arrived in Paris in the spring of 1919 and at once asked for a 
hearing before the Council of Four. Its members knew that the Austro-Hungarian 
empire had fallen and that the map of the whole region was being drawn anew.1 They 
also knew that independence would not be granted without a long and patient 
effort, and that the well-known reluctance of the British cabinet had to be met.2 

In its first memorandum the delegation described the economy of the country, its 
oil and its railways, and it promised free transit to every neighbour. The inde-
pendence of the republic, it argued, was the best guarantee of peace in the Austro-
Hungarian lands, and the memorandum was sent to all great powers in one week.3 The French 

{RULE}
1 Aydın Balayev. Azərbaycan milli demokratik hərəkatı. Bakı, 1990, s.45. 
2 Foreign Office. Memorandum on the Caucasus. London, 1919, p.12. 
3 Archives diplomatiques, Paris, dossier 14, 
 
Journal of Caucasus History                                     No. 3 (2023) 
 

 
15 

answer came late, and the delegation waited for it through the whole summer of 1919. 
In 1920. 3 delegates left Paris for London, where they met officials of the 
Foreign Office and of the War Office, but the answer there was a well-
known one: nothing could be decided before the peace treaties were signed.4 

 
 Conclusion 
The recognition de facto of January 1920 was the main success of the delegation, and 
it came too late to save the republic from the invasion of April 1920, as the 
delegates themselves wrote in their last reports to the government in Baku.5 

{RULE}
f.3, a letter of 12 May 1919. 
4 Ibid., p.14. 
5 Məmməd Əmin Rəsulzadə. Azərbaycan Cümhuriyyəti. İstanbul, 1923, s.88. 
 
Journal of Caucasus History                                     No. 3 (2023) 
 

 
16 
"""


@pytest.fixture(scope="module")
def other():
    return process(Document("smith2023", OTHER_LAYOUT), ["structure", "notes"])


def test_other_layout_front_matter(other):
    kinds = [(b.label, b.lang) for b in other.blocks() if b.label not in ("paragraph", "footnote", "furniture")]
    assert kinds[:8] == [("abstract", "en"), ("keywords", "en"), ("abstract", "az"), ("keywords", "az"),
                         ("title", "en"), ("author", "en"), ("affiliation", "en"), ("identifiers", "en")]
    assert [other.text(b) for b in other.blocks("heading")] == ["Introduction", "Conclusion"]
    assert other.text(next(other.blocks("author"))) == "©2023    JOHN SMITH"
    assert other.text(next(other.blocks("affiliation"))) == "Baku State University, Faculty of History"


def test_other_layout_notes_markers_and_furniture(other):
    notes = other.data["citations"]
    assert [c["n"] for c in notes] == [1, 2, 3, 4, 5]
    assert notes[2]["raw"] == "Archives diplomatiques, Paris, dossier 14, f.3, a letter of 12 May 1919."
    assert len(next(b for b in other.blocks("footnote") if b.attrs["n"] == 3).attrs["pieces"]) == 2
    assert [m.attrs["n"] for m in other.layer("marker")] == [1, 2, 3, 4, 5]
    # "In 1920. 3 delegates": a number after a sentence end, followed by lower case, is no marker
    assert all(other.raw[m.start:m.end + 10] != "3 delegates" for m in other.layer("marker"))
    headers = [other.text(f).strip() for f in other.blocks("furniture")]
    assert headers.count("15") == 1 and headers.count("16") == 1
    assert sum(h.startswith("Journal of Caucasus History") for h in headers) == 2


def test_other_layout_paragraph_across_page_and_hyphens(other):
    texts = [other.clean(b).text for b in other.blocks("paragraph")]
    second = texts[1]
    assert "The independence of the republic" in second  # soft hyphen: the word occurs joined
    assert "Austro-Hungarian lands" in second  # capital after the hyphen: a compound
    assert "The French answer came late" in second
    assert "Journal of Caucasus" not in second and "15" not in second and "Foreign Office. Memorandum" not in second
    assert "a well-known one" in second  # written with its hyphen on one line elsewhere
    assert "In 1920. 3 delegates" in second


REFERENCE_LIST = """Аннотация: В статье рассматривается история издания журнала «Кавказ» в Париже в 
1930-е годы. На основе архивных документов показано, как редакция журнала искала 
средства, каких авторов привлекала и почему журнал был закрыт накануне войны. Особое 
внимание уделено переписке редактора с представителями польского правительства. 
Ключевые слова: эмиграция, журнал «Кавказ», Париж, редакция, переписка 

 
Özet: Makalede 1930'lu yıllarda Paris'te yayımlanan «Kafkasya» dergisinin tarihi 
incelenmektedir. Arşiv belgelerine dayanarak derginin yayın kurulunun nasıl kaynak 
aradığı, hangi yazarları davet ettiği ve derginin savaştan önce neden kapandığı 
gösterilmektedir. Editörün Polonya hükümeti temsilcileriyle yazışmasına özel önem 
verilmektedir. 
göç, Kafkasya dergisi, Paris, yayın kurulu, yazışma 

 
 Введение 
Журнал «Кавказ» начал выходить в Париже в 1934 году и сразу стал заметным изданием 
кавказской эмиграции [1]. Его редактор стремился объединить авторов разных 
взглядов и публиковал материалы на нескольких языках [2, с.45]. Финансирование 
журнала обеспечивалось за счёт частных пожертвований и государственной помощи, 
что отмечают многие исследователи [1; 3]. 

Уже в 1936 году в редакции начались споры о политической линии журнала, и часть 
авторов перешла в другие издания [3, с.12-14]. 

 
Список литературы 
1. Мамулия Г. Кавказская конфедерация в официальных документах. Москва, 2012. 
2. Иванов И.И. История кавказской эмиграции во Франции. Санкт-Петербург, 
2005. 356 с. 
3. Smith J. The Caucasian emigration in interwar Europe. London, 2001. 
"""


def test_reference_list_entries_and_citations():
    doc = process(Document("ivanova2020", REFERENCE_LIST), ["structure", "notes"])
    assert [(c["n"], c["raw"]) for c in doc.data["citations"]][1] == \
        (2, "Иванов И.И. История кавказской эмиграции во Франции. Санкт-Петербург, 2005. 356 с.")
    assert [b.attrs["n"] for b in doc.blocks("reference")] == [1, 2, 3]
    assert [(doc.text(m).strip(), list(m.attrs["n"]), m.attrs["pinpoint"]) for m in doc.layer("marker")] == [
        ("[1]", [1], None), ("[2, с.45]", [2], "45"), ("[1; 3]", [1, 3], None), ("[3, с.12-14]", [3], "12-14")]
    first = doc.clean(next(doc.blocks("paragraph"))).text
    assert "изданием кавказской эмиграции. Его редактор" in first
    assert [doc.text(b) for b in doc.blocks("heading")] == ["Введение", "Список литературы"]


def test_unlabelled_keywords_after_their_abstract():
    doc = process(Document("ivanova2020", REFERENCE_LIST), ["structure"])
    keywords = [(b.lang, doc.text(b)) for b in doc.blocks("keywords")]
    assert keywords == [("ru", "эмиграция, журнал «Кавказ», Париж, редакция, переписка"),
                        ("tr", "göç, Kafkasya dergisi, Paris, yayın kurulu, yazışma")]
    assert doc.text(next(b for b in doc.blocks("abstract") if b.lang == "tr")).endswith("özel önem \nverilmektedir.")


def test_text_without_abstract_is_built_with_a_warning():
    body = OTHER_LAYOUT[OTHER_LAYOUT.index(" Introduction"):]
    doc = process(Document("noabstract", body, source="noabstract.txt"), ["structure", "notes"])
    [warning] = doc.meta["warnings"]
    assert warning.startswith("noabstract.txt: no abstract found")
    assert not list(doc.blocks("abstract"))
    assert [doc.text(b) for b in doc.blocks("heading")] == ["Introduction", "Conclusion"]
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]


def test_hyphenation_decisions_from_the_documents_vocabulary():
    text = "ictimai-siyasi həyat, sosial fikir, demokrat partiya, mərhələlərindən biri, кто-то"
    vocab = vocabulary(text)
    assert keeps_hyphen("ictimai", "siyasi", vocab)  # seen with its hyphen
    assert not keeps_hyphen("mər", "hələlərindən", vocab)  # seen joined
    assert keeps_hyphen("sosial", "demokrat", vocab)  # two words of the text
    assert keeps_hyphen("1924", "cü", vocab) and keeps_hyphen("1940", "1946", vocab)
    assert keeps_hyphen("Fətəlibəyli", "Düdənginski", vocab)  # a capital after the hyphen
    assert keeps_hyphen("где", "то", vocab)  # a Russian particle
    assert not keeps_hyphen("konfe", "rensiya", vocab)  # nothing says compound: a soft hyphen
    # compound patterns of the orthographies, when the text has no evidence either way
    assert keeps_hyphen("общественно", "политической", vocab) and not keeps_hyphen("эконо", "мических", vocab)
    assert keeps_hyphen("milli", "mənəvi", vocab) and not keeps_hyphen("səmərəli", "liyi", vocab)
    assert keeps_hyphen("üst", "üstə", vocab) and keeps_hyphen("self", "governing", vocab)
    assert not keeps_hyphen("ta", "tarları", vocab) and not keeps_hyphen("осво", "бождению", vocab)


BACK_MATTER = f"""AZƏRBAYCAN MÜHACİRƏTİ VƏ VARŞAVA 

Leyla Məmmədova* 

*Bakı Dövlət Universiteti, Tarix fakültəsi 
e-mail: leyla@example.az 

Xülasə: Məqalədə otuzuncu illərdə Varşavada fəaliyyət göstərən Azərbaycan siyasi 
mühacirətinin təşkilatları araşdırılır. Müəllif arxiv sənədləri əsasında onların Polşa 
hökuməti ilə əlaqələrini, nəşrlərini və Qafqaz birliyi uğrunda apardıqları mübarizəni 
izləyir. Məqalədə ilk dəfə elmi dövriyyəyə daxil edilən məktublar da təhlil olunur. 
Açar sözlər: mühacirət, Varşava, Prometey, Qafqaz birliyi 

 
 Giriş 
Otuzuncu illərdə Varşava Qafqaz mühacirətinin əsas mərkəzlərindən birinə çevrildi. 
Polşa hökuməti Sovet İttifaqına qarşı mübarizə aparan xalqların nümayəndələrinə 
sığınacaq verir, onların nəşrlərini maliyyələşdirirdi.1 Bu siyasət Prometey hərəkatı 
adı ilə tanınırdı və onun məqsədi Sovet İttifaqının zəiflədilməsi idi.2 

Azərbaycan mühacirləri bu hərəkatda fəal iştirak edir, Varşavada jurnal və qəzetlər 
nəşr etdirirdilər. Onların arasında Məhəmməd Əmin Rəsulzadə xüsusi yer tuturdu, çünki 

{RULE}
1 Jerzy Borzęcki. The Soviet-Polish Peace of 1921. New Haven, 2008, p.45. 
2 Айдын Балаев. Мамед Эмин Расулзаде. Москва, 2009, с.88. 
 
 
Tarix və onun problemləri, 2021, №4                                            
 
 
47 

o, həm partiyanın lideri, həm də mühacirətin tanınmış ideoloqu idi.3 Rəsulzadənin 
məqalələri Polşa mətbuatında da dərc olunurdu. 

 
 Nəticə 
Varşava dövrü Azərbaycan mühacirətinin ən məhsuldar dövrlərindən biri oldu və 
onun ideyaları sonrakı nəsillər üçün də əhəmiyyətini saxladı. 

{RULE}
3 Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, 1992, s.181. 
 
 
Tarix və onun problemləri, 2021, №4                                            
 
 
48 

AZERBAIJANI EMIGRATION AND WARSAW 

Leyla Mammadova 

Abstract: The article examines the organisations of the Azerbaijani political 
emigration in Warsaw in the nineteen-thirties. On the basis of archival documents the 
author follows their relations with the Polish government, their publications and their 
struggle for the unity of the Caucasus. 
Keywords: emigration, Warsaw, Prometheus, unity of the Caucasus 

АЗЕРБАЙДЖАНСКАЯ ЭМИГРАЦИЯ И ВАРШАВА 

Лейла Мамедова 

Резюме: В статье исследуются организации азербайджанской политической эмиграции в 
Варшаве в тридцатые годы. На основе архивных документов автор прослеживает их 
отношения с польским правительством, их издания и борьбу за единство Кавказа. 
эмиграция, Варшава, Прометей, единство Кавказа 
"""


def test_abstracts_printed_after_the_body():
    doc = process(Document("mammadova2021", BACK_MATTER), ["structure", "notes"])
    front = [(b.label, b.lang, doc.text(b)[:20]) for b in doc.blocks()
             if b.label not in ("paragraph", "footnote", "furniture", "heading")]
    assert front == [
        ("title", "az", "AZƏRBAYCAN MÜHACİRƏT"), ("author", "az", "Leyla Məmmədova"),
        ("affiliation", "az", "Bakı Dövlət Universi"), ("identifiers", "az", "e-mail: leyla@exampl"),
        ("abstract", "az", "Məqalədə otuzuncu il"), ("keywords", "az", "mühacirət, Varşava, "),
        ("title", "en", "AZERBAIJANI EMIGRATI"), ("author", "en", "Leyla Mammadova"),
        ("abstract", "en", "The article examines"), ("keywords", "en", "emigration, Warsaw, "),
        ("title", "ru", "АЗЕРБАЙДЖАНСКАЯ ЭМИГ"), ("author", "ru", "Лейла Мамедова"),
        ("abstract", "ru", "В статье исследуются"), ("keywords", "ru", "эмиграция, Варшава, ")]
    paragraphs = [doc.clean(b).text for b in doc.blocks("paragraph")]
    assert len(paragraphs) == 3 and paragraphs[1].endswith("çünki o, həm partiyanın lideri, həm də mühacirətin "
                                                           "tanınmış ideoloqu idi. Rəsulzadənin məqalələri Polşa "
                                                           "mətbuatında da dərc olunurdu.")
    assert [b.lang for b in doc.blocks("footnote")] == ["en", "ru", "az"]
    assert all("Tarix və onun" not in p and "47" not in p for p in paragraphs)


def test_word_broken_at_the_foot_of_a_page_is_joined():
    text = OTHER_LAYOUT.replace("The French \n\n" + RULE, "The inde-\n\n" + RULE).replace(
        "answer came late, and", "pendence came late, and")
    doc = process(Document("broken", text), ["structure"])
    second = doc.clean(list(doc.blocks("paragraph"))[1]).text
    assert "great powers in one week. The independence came late" in second


def test_labels_on_lines_of_their_own():
    text = BACK_MATTER.replace("Abstract: The article", "ABSTRACT \n\n \nThe article").replace(
        "Keywords: emigration", "KEYWORDS \nemigration")
    doc = process(Document("mammadova2021", text), ["structure"])
    english = {b.label: doc.text(b) for b in doc.blocks("abstract", "keywords") if b.lang == "en"}
    assert english["abstract"].startswith("The article examines") and english["abstract"].endswith("Caucasus.")
    assert english["keywords"] == "emigration, Warsaw, Prometheus, unity of the Caucasus"


def test_markers_told_apart_from_decimals_pages_and_years():
    from polycorpus.structure.footnotes import find_markers
    from polycorpus.structure.layout import split_lines

    text = "It grew by 3.5 million in 1918.1 Then s.2 and idi.2 Next 12,3 and 1920. 3 men, olur.3 \nend"
    found = [(text[s - 4:e], n) for s, e, n in find_markers(text, split_lines(text), [1, 2, 3])]
    assert found == [("918.1", 1), ("idi.2", 2), ("lur.3", 3)]


def test_heading_followed_by_an_empty_line():
    text = OTHER_LAYOUT.replace(" Introduction \nThe delegation", "\n1. Introduction \n\nThe delegation")
    doc = process(Document("smith2023", text), ["structure"])
    assert [doc.text(b) for b in doc.blocks("heading")] == ["1. Introduction", "Conclusion"]
    assert doc.clean(next(doc.blocks("paragraph"))).text.startswith("The delegation arrived in Paris")


def test_indented_note_lines_stay_in_the_footnote_area():
    text = OTHER_LAYOUT.replace("\n2 Foreign Office.", "\n 2 Foreign Office.")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][1]["raw"] == "Foreign Office. Memorandum on the Caucasus. London, 1919, p.12."


def test_page_without_furniture_ends_the_footnote_area_where_the_text_goes_on():
    page_foot = " \nJournal of Caucasus History                                     No. 3 (2023) \n \n\n \n15 \n"
    text = OTHER_LAYOUT.replace("dossier 14, \n" + page_foot, "dossier 14, f.3. \n")
    text = text.replace(f"{RULE}\nf.3, a letter of 12 May 1919. \n", f"{RULE}\n")
    assert "\n15 \n" not in text and "f.3, a letter" not in text
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris, dossier 14, f.3."
    second = doc.clean(list(doc.blocks("paragraph"))[1]).text
    assert "in one week. The French answer came late, and the delegation waited" in second


def test_journal_imprint_above_the_title_is_furniture():
    doc = process(Document("mammadova2021", "Tarix və onun problemləri, 2021, №4 \n\n" + BACK_MATTER), ["structure"])
    first, second = list(doc.blocks())[:2]
    assert (first.label, doc.text(first)) == ("furniture", "Tarix və onun problemləri, 2021, №4")
    assert (second.label, doc.text(second)) == ("title", "AZƏRBAYCAN MÜHACİRƏTİ VƏ VARŞAVA")
    assert "Tarix və onun" not in " ".join(doc.clean(b).text for b in doc.blocks("title"))


def _front_and_headings(doc):
    front = [(b.label, doc.clean(b).text) for b in doc.blocks("title", "author", "affiliation")]
    return front, [doc.text(b) for b in doc.blocks("heading")]


def test_title_in_capitals_over_two_lines_between_the_abstracts():
    # a larger type runs the title over two lines that follow each other directly: its first line,
    # set apart above and followed by a long line, looks like a heading, but headings stand in the body
    title = "THE AZERBAIJANI DELEGATION AT THE PEACE \nCONFERENCE IN PARIS, 1919-1920 "
    doc = process(Document("smith2023", OTHER_LAYOUT.replace("THE DELEGATION IN PARIS, 1919-1920 ", title)),
                  ["structure", "notes"])
    front, headings = _front_and_headings(doc)
    assert front == [("title", "THE AZERBAIJANI DELEGATION AT THE PEACE CONFERENCE IN PARIS, 1919-1920"),
                     ("author", "©2023 JOHN SMITH"), ("affiliation", "Baku State University, Faculty of History")]
    assert headings == ["Introduction", "Conclusion"]
    assert [b.lang for b in doc.blocks("abstract")] == ["en", "az"] and len(list(doc.blocks("keywords"))) == 2
    assert len(list(doc.blocks("paragraph"))) == 3 and [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]


def test_title_in_small_letters_over_two_lines_above_the_author():
    title = "Azərbaycan siyasi mühacirəti və Varşava \nPrometey hərəkatının otuzuncu illəri "
    doc = process(Document("mammadova2021", BACK_MATTER.replace("AZƏRBAYCAN MÜHACİRƏTİ VƏ VARŞAVA ", title)),
                  ["structure"])
    front, headings = _front_and_headings(doc)
    assert front[:3] == [("title", "Azərbaycan siyasi mühacirəti və Varşava Prometey hərəkatının otuzuncu illəri"),
                         ("author", "Leyla Məmmədova"), ("affiliation", "Bakı Dövlət Universiteti, Tarix fakültəsi")]
    assert next(doc.blocks("title")).lang == "az"
    assert headings == ["Giriş", "Nəticə"]


def test_title_over_two_lines_in_the_back_matter():
    title = "AZERBAIJANI POLITICAL EMIGRATION AND \nWARSAW IN THE NINETEEN-THIRTIES "
    doc = process(Document("mammadova2021", BACK_MATTER.replace("AZERBAIJANI EMIGRATION AND WARSAW ", title)),
                  ["structure"])
    titles = [(b.lang, doc.clean(b).text) for b in doc.blocks("title")]
    assert titles[1] == ("en", "AZERBAIJANI POLITICAL EMIGRATION AND WARSAW IN THE NINETEEN-THIRTIES")
    assert len(titles) == 3 and [doc.text(b) for b in doc.blocks("heading")] == ["Giriş", "Nəticə"]


def test_pdf_furniture_hint_marks_a_header_printed_on_the_first_page_only():
    # no year or issue number tells this line from a title; the PDF reader saw it in the top margin
    raw = "Journal of Caucasus History \n\n\n" + BACK_MATTER
    doc = Document("mammadova2021", raw)
    doc.set_layer("pdf_furniture", [doc.span(0, raw.index(" \n"), "pdf_furniture")])
    process(doc, ["structure"])
    first, second = list(doc.blocks())[:2]
    assert (first.label, doc.text(first)) == ("furniture", "Journal of Caucasus History")
    assert (second.label, doc.text(second)) == ("title", "AZƏRBAYCAN MÜHACİRƏTİ VƏ VARŞAVA")
    assert "Journal" not in " ".join(doc.clean(b).text for b in doc.blocks("title", "author"))


# -- notes numbered from 1 on every page -----------------------------------------------------

def _page_foot(number: int) -> str:
    """The sample's page furniture: blank lines, the running header, the page number."""
    header = "İradə Bağırova                             Məhəmməd Əmin Rəsulzadənin mühacirətdə.... "
    return f"\n\n\n \n\n{header}\n\n \n\n{number} \n\n"


# three pages of the sample's body, each page's notes numbered from 1; note 3 of page 2 runs on
# at the foot of page 3; note 1 of page 2 is an ibid of note 2 of page 1, note 3 of page 3 one
# of note 2 of page 3
PAGED_BODY = f""" Giriş 
Son dövrlərdə nəşr olunmuş yeni arxiv sənədlərində Məhəmməd Əminin 

mühacirət həyatı barədə maraqlı məqamlara rast gəlmək olur. Məsələn, 2007-ci ildə 
Moskvada işıq üzü görən Krasovitskayanın sovet milli elitaları haqqında kitabında 
Rəsulzadə sovet hakimiyyətinin “milli layihəsi”nin az qala tərəfdarı kimi təsvir 
olunmuşdur, çünki bolşeviklərin idealları guya ona yaxın idi.1 Rəsulzadənin 140-illik 
yubileyinə həsr olunmuş məqalələr toplusunda məşhur Moskva tarixçisi S.İsxakov 
bu fikri təkzib edərək, onun həqiqətən 1921-ci ildə Millətlər üzrə Xalq Komissar-
lığının orqanı olan “Jizn natsionalnostey” (Millətlərin həyatı) jurnalında işlədiyini 
dəqiq müəyyən edir.2 Rəsulzadə bir 
müddətdən sonra Şərqşünaslıq İnstitutuna çevrilən Canlı Şərq Dilləri Mərkəzi 

{RULE}
1 Тамара Юсуфовна Красовицкая. Национальные элиты как социокультурный 

феномен советской государственности (октябрь 1917-1923 г.). Документы и 
материалы. Москва, 2007, с.35. 

2 Салават Исхаков. Мамед Эмин Расулзаде в большевистской Москве. Новые 
данные к биографии (1920-1922 гг.). Bakı, 2024, s.180-187. 
{_page_foot(22)}İnstitutunda işləməyə başlayır və burada praktiki Osmanlı dilinin tədrisi ilə məşğul 
olur.1 

1922-ci ilin mayında Rəsulzadə “Qədim fars kommunistləri (Məzdəkilər)” 
adlı əlyazma hazırlayır, lakin onu Moskvada çap etdirə bilmir. Artıq 1922-ci ilin 
avqustunda Helsinqforsun (Helsinki) “Svenska Pressen” qəzetində İsveç dilində 
“Karl Marks Aypara altında” adlı böyük bir məqalə dərc olunur. Müəllif imzası 
olmasa da, məzmunu onun müəllifinin Məhəmməd Əmin olduğuna heç bir 
şübhə yeri qoymur.2 

 
Birinci Türkiyə dövrü 
Bir ay sonra 1922-ci ildə Türkiyəyə köçən Rəsulzadə bu ölkədə özünəməxsus 

enerjisi ilə fəaliyyət göstərməyə başlayır. 1923-cü ildə İzmirdə xüsusi mükafata 
layiq görülən “Azərbaycan Cümhuriyyəti” kitabı nəşr olunur. Kitabın ön sözünü onu 
yüksək qiymətləndirən Əli bəy Hüseynzadə yazmışdı.3 Eyni zamanda M.Ə.Rəsulzadə 
və onun tərəfdarları Müsavat partiyasının xarici bürosunu yaradırlar. 

{RULE}
1 Yenə orada, s.182. 
2 “Karl Marx underhalvsmanen”. Svenska Pressen, 1922, 8 August. II Beynəlxalq 

Rəsulzadə Qiraətləri, s.785-787. 
3 Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, “Nicat”, 
{_page_foot(23)}Həmin 1923-cü ildə M.Ə.Rəsulzadənin “Əsrimizin Səyavuşu” və “İstiqlal 
ideyası və gənclik” əsərləri İstanbulda nəşr olundu.1 Lakin konkret göstərişlərə 
baxmayaraq, sovet ideoloji maşını onun əsərlərinə qarşı ortalığa heç nə qoya bilmədi.2 

Məhz bu zaman Rəsulzadə İstanbulda Azərbaycan Komitəsini yaratdı, 1924-
cü ildə onun adı dəyişdirilərək İstiqlal Komitəsi qoyuldu. Rəsulzadənin sözlərinə 
görə, “forma və məzmun baxımından yeni ad daha münasib hesab edilir, çünki 
komitə mərkəzi təşkilat olmaqla həm ölkəmizin daxilində, həm də onun hüdud-
larından kənarda yerləşən eyniadlı digər təşkilatlara rəhbərlik edir”. 3 

{RULE}
1992, s.181. 
1 Səbahəddin Şimşir. Azerbaycanın istiklal mucadelesi. İstanbul, 2006, s.39. 
2 Джамиль Гасанлы, Эмиграция, которая еще продолжается, Зеркало, 2009, 31 января 
3 Там же. 
 1925-ci ildə Türkiyə ilə SSRİ arasında dostluq və bitərəflik müqaviləsi imza-
landı. 
"""

PAGED_NOTES = {  # (page, n) -> the note's text as the clean view gives it
    (1, 1): "Тамара Юсуфовна Красовицкая. Национальные элиты как социокультурный феномен советской "
            "государственности (октябрь 1917-1923 г.). Документы и материалы. Москва, 2007, с.35.",
    (1, 2): "Салават Исхаков. Мамед Эмин Расулзаде в большевистской Москве. Новые данные к биографии "
            "(1920-1922 гг.). Bakı, 2024, s.180-187.",
    (2, 1): "Yenə orada, s.182.",
    (2, 2): "“Karl Marx underhalvsmanen”. Svenska Pressen, 1922, 8 August. II Beynəlxalq Rəsulzadə "
            "Qiraətləri, s.785-787.",
    (2, 3): "Mirzə Bala Məmmədzadə. Milli Azərbaycan hərəkatı. Bakı, “Nicat”, 1992, s.181.",
    (3, 1): "Səbahəddin Şimşir. Azerbaycanın istiklal mucadelesi. İstanbul, 2006, s.39.",
    (3, 2): "Джамиль Гасанлы, Эмиграция, которая еще продолжается, Зеркало, 2009, 31 января",
    (3, 3): "Там же.",
}
# the words each marker is glued to, by (page, n)
PAGED_MARKERS = {(1, 1): "idi.", (1, 2): "edir.", (2, 1): "olur.", (2, 2): "qoymur.", (2, 3): "yazmışdı.",
                 (3, 1): "olundu.", (3, 2): "bilmədi.", (3, 3): "edir”. "}


@pytest.fixture(scope="module")
def paged_raw(sample_raw):
    front = sample_raw[:sample_raw.index(" Giriş \n")]  # title, author, abstracts and keywords
    return front + PAGED_BODY


@pytest.fixture(scope="module")
def paged(paged_raw):
    return process(Document("paged2024", paged_raw), ["structure", "notes"])


def test_notes_numbered_per_page_are_read_whole_with_their_page(paged):
    notes = list(paged.blocks("footnote"))
    assert {(b.attrs["page"], b.attrs["n"]): paged.clean(b).text for b in notes} == PAGED_NOTES
    assert len(notes) == len(PAGED_NOTES)  # none lost, none glued onto another
    items = paged.data["citations"]
    assert [item["id"] for item in items] == [f"paged2024-fn.p{p}.{n}" for p, n in PAGED_NOTES]
    assert [item["n"] for item in items] == [n for _, n in PAGED_NOTES]  # the printed numbers
    assert paged.meta["structure"] == {"note_numbering": "per page"}


def test_markers_of_per_page_notes_link_to_the_note_on_their_own_page(paged):
    markers = paged.layer("marker")
    notes = {(b.attrs["page"], b.attrs["n"]): b for b in paged.blocks("footnote")}
    assert [(m.attrs["page"], m.attrs["n"]) for m in markers] == list(PAGED_MARKERS)
    last = [max(b.start for b in notes.values() if b.attrs["page"] == p) for p in (1, 2, 3)]
    for marker in markers:
        key = (marker.attrs["page"], marker.attrs["n"])
        assert paged.raw[:marker.start].endswith(PAGED_MARKERS[key]) and paged.text(marker) == str(key[1])
        # the marker stands above its note, below the notes of the page before
        assert marker.start < notes[key].start
        assert key[0] == 1 or marker.start > last[key[0] - 2]
    text = " ".join(paged.clean(p).text for p in paged.blocks("paragraph"))
    assert "1924-cü ildə onun adı" in text and "140-illik" in text  # years and numbers stay


def test_continuous_numbering_is_not_taken_for_per_page(sample):
    assert "structure" not in sample.meta
    assert not any("page" in b.attrs for b in sample.blocks("footnote"))
    assert not any("page" in m.attrs for m in sample.layer("marker"))


def test_build_of_per_page_notes_writes_valid_tei_with_unique_ids(paged_raw, tmp_path):
    from lxml import etree

    from polycorpus.pipeline import build_file
    from polycorpus.tei.read import read_tei
    from polycorpus.tei.validate import validate_files

    source = tmp_path / "paged2024.txt"
    source.write_text(paged_raw, encoding="utf-8")
    doc = build_file(source, tmp_path / "build", config={"align": {"encoder": "length"}})
    folder = tmp_path / "build" / "paged2024"
    tei_file = folder / "paged2024.tei.xml"
    assert validate_files([tei_file], engine="lxml") == []  # schema, unique xml:ids, note/ref pairs
    if shutil.which("jing"):
        assert validate_files([tei_file], engine="jing") == []
    items = json.loads((folder / "citations.json").read_text("utf-8"))
    assert len({item["id"] for item in items}) == len(items) == len(PAGED_NOTES)
    root = etree.parse(str(tei_file)).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    notes = {n.get("{http://www.w3.org/XML/1998/namespace}id"): n for n in root.iterfind(".//t:note", ns)}
    assert [(n.get("n"), key) for key, n in notes.items()] == [(str(n), f"fn.p{p}.{n}") for p, n in PAGED_NOTES]
    refs = [(r.text, r.get("target")) for r in root.iterfind(".//t:ref[@type='foot']", ns)]
    assert refs == [(str(n), f"#fn.p{p}.{n}") for p, n in PAGED_MARKERS]
    # an ibid points back to the note before it, on its own page or the page before
    ibids = {note_id: n.find(".//t:ref[@type='ibid']", ns).get("target") for note_id, n in notes.items()
             if n.find(".//t:ref[@type='ibid']", ns) is not None}
    assert ibids == {"fn.p2.1": "#fn.p1.2", "fn.p3.3": "#fn.p3.2"}
    back = read_tei(tei_file, source=source)
    assert [(m.start, m.end, dict(m.attrs)) for m in back.layer("marker")] == \
        [(m.start, m.end, dict(m.attrs)) for m in doc.layer("marker")]
    assert [(b.start, b.end, dict(b.attrs)) for b in back.blocks("footnote")] == \
        [(b.start, b.end, {k: v for k, v in b.attrs.items() if k != "pieces"}) for b in doc.blocks("footnote")]
    assert [item["id"] for item in back.data["citations"]] == [item["id"] for item in items]


def test_running_note_going_on_with_a_date_at_the_next_page_is_not_a_restart():
    # one note on page 1 that runs on to page 2 with "1 May 1919", then notes 2 and 3: read as
    # restarting, "1 May" would be a note of its own, and it would have no marker
    text = OTHER_LAYOUT.replace("anew.1 They", "anew. They").replace("met.2", "met.")
    text = text.replace("in one week.3 The", "in one week.1 The").replace("signed.4", "signed.2")
    text = text.replace("Baku.5", "Baku.3")
    text = text.replace("1 Aydın Balayev. Azərbaycan milli demokratik hərəkatı. Bakı, 1990, s.45. \n"
                        "2 Foreign Office. Memorandum on the Caucasus. London, 1919, p.12. \n"
                        "3 Archives diplomatiques, Paris, dossier 14, \n",
                        "1 Archives diplomatiques, Paris, dossier 14, a letter of \n")
    text = text.replace("f.3, a letter of 12 May 1919. \n4 Ibid., p.14. \n5 Məmməd", "1 May 1919. \n2 Ibid., p.14. \n3 Məmməd")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [(c["id"], c["raw"]) for c in doc.data["citations"]][:2] == [
        ("smith2023-fn1", "Archives diplomatiques, Paris, dossier 14, a letter of 1 May 1919."),
        ("smith2023-fn2", "Ibid., p.14.")]
    assert [dict(m.attrs) for m in doc.layer("marker")] == [{"n": 1}, {"n": 2}, {"n": 3}]


def test_per_page_markers_find_the_notes_below_them_past_a_number_alone_in_mid_page(paged_raw):
    # "2" alone between empty lines looks like a page number: the page count goes up there, but
    # the markers after it still belong to the notes at the foot of their page
    text = paged_raw.replace("şübhə yeri qoymur.2 \n\n", "şübhə yeri qoymur.2 \n\n2 \n\n")
    doc = process(Document("paged2024", text), ["structure", "notes"])
    notes = [(b.attrs["page"], b.attrs["n"]) for b in doc.blocks("footnote")]
    markers = [(m.attrs["page"], m.attrs["n"]) for m in doc.layer("marker")]
    assert markers == notes and len(notes) == len(PAGED_NOTES)
    assert all(doc.raw[:m.start].endswith(word) for m, word in zip(doc.layer("marker"), PAGED_MARKERS.values()))
    assert notes[-1][0] == 4  # the lone number counted as a page break
    assert [doc.clean(b).text for b in doc.blocks("footnote")] == list(PAGED_NOTES.values())


def test_narrow_columns_wrapped_heading_and_heading_over_a_short_first_line(tmp_path, monkeypatch):
    # columns of ~35 characters: the first heading's paragraph opens with an indented line much
    # shorter than a full one, and the second heading wraps over two lines
    body = list(pdfmaker.TWO_COLUMN_BODY)
    body[0] = pdfmaker.Para("Mətbuatın yaranması", pdfmaker.BOLD, space_before=10)
    body[1] = pdfmaker.Para("Məmməd Əmin Rəsulzadənin silahdaşlarının yaratdığı " + body[1].text, indent=15)
    body[4] = pdfmaker.Para("Berlin dövründə mühacir jurnallarının taleyi", pdfmaker.BOLD, space_before=10)
    monkeypatch.setattr(pdfmaker, "TWO_COLUMN_BODY", body)
    doc = process(read_source(pdfmaker.make_two_column(tmp_path / "narrow.pdf")), ["structure", "notes"])
    headings = list(doc.blocks("heading"))
    assert [doc.clean(b).text for b in headings] == [
        "Mətbuatın yaranması", "Berlin dövründə mühacir jurnallarının taleyi", "Nəticə"]
    assert doc.raw[headings[1].start:headings[1].end].count("\n") == 1  # read from two lines
    first_line = doc.raw[headings[0].end + 1:].split("\n")[0]
    assert first_line.startswith("Məmməd Əmin") and len(first_line) < 28
    paragraphs = [doc.clean(b).text for b in doc.blocks("paragraph")]
    assert [p.split()[0] for p in paragraphs] == ["Məmməd", "Varşavada", "Parisdə", "Otuzuncu", "Beləliklə,"]


# -- the development layouts (corpus/raw and tests/data/gold) --------------------------------
DEVELOPMENT = SAMPLE.parent
DEV_GOLD = GOLD.parent


@pytest.mark.parametrize("name", ["aliyeva2021-a", "aliyeva2021-b", "kerimova2020-a", "kerimova2020-b"])
def test_development_footnotes_and_markers_are_the_gold_ones(name):
    doc = process(read_source(DEVELOPMENT / f"{name}.txt"), ["structure", "notes"])
    gold = json.loads((DEV_GOLD / name / "citations.json").read_text("utf-8"))
    found = [(c["n"], c["start"], c["end"]) for c in doc.data["citations"]]
    assert found == [(c["n"], c["start"], c["end"]) for c in gold]
    # every note has one marker, its number as printed, in the running text before the note
    markers = {m.attrs["n"]: m for m in doc.layer("marker")}
    assert sorted(markers) == [c["n"] for c in gold]
    assert all(doc.text(markers[c["n"]]) == str(c["n"]) and markers[c["n"]].start < c["start"] for c in gold)


@pytest.mark.parametrize("name", ["rzayev2019-a", "rzayev2019-b"])
def test_development_reference_list_entries_and_brackets(name):
    doc = process(read_source(DEVELOPMENT / f"{name}.txt"), ["structure", "notes"])
    gold = json.loads((DEV_GOLD / name / "citations.json").read_text("utf-8"))
    assert [(c["n"], c["start"], c["end"]) for c in doc.data["citations"]] == \
        [(c["n"], c["start"], c["end"]) for c in gold]
    cited = {}
    for item in gold:
        for place in item["in_text"]:
            cited.setdefault((place["start"], place["end"]), []).append(item["n"])
    # a bracket's marker takes the spaces before it along
    found = {(m.start + len(doc.text(m)) - len(doc.text(m).lstrip()), m.end): sorted(m.attrs["n"])
             for m in doc.layer("marker")}
    assert found == {span: sorted(numbers) for span, numbers in cited.items()}


def test_development_headings_are_the_gold_ones():
    # aliyeva2021-a: "Şirvanşahlar dövləti XV əsrdə: I Xəlilullahdan ..." is set apart by one empty
    # line like a paragraph and nearly as wide as the text; its topic and subtitle make it a title
    for name in ("aliyeva2021-a", "aliyeva2021-b", "kerimova2020-a", "rzayev2019-b"):
        doc = process(read_source(DEVELOPMENT / f"{name}.txt"), ["structure"])
        gold = [json.loads(line) for line in (DEV_GOLD / name / "sentences.jsonl").read_text("utf-8").splitlines()]
        wanted = [(s["start"], s["end"]) for s in gold if s["part"] == "heading"]
        assert [(b.start, b.end) for b in doc.blocks("heading")] == wanted, name


def test_an_abstract_a_page_breaks_is_one_abstract_per_language():
    # rzayev2019-b: the Azerbaijani abstract's first paragraph ends its page; the running header
    # and page number stand between it and the rest on the next page
    name = "rzayev2019-b"
    doc = process(read_source(DEVELOPMENT / f"{name}.txt"), ["structure"])
    gold = [json.loads(line) for line in (DEV_GOLD / name / "sentences.jsonl").read_text("utf-8").splitlines()]
    wanted = {}
    for s in gold:
        if s["part"] == "abstract":
            start, end = wanted.get(s["lang"], (s["start"], s["end"]))
            wanted[s["lang"]] = (min(start, s["start"]), max(end, s["end"]))
    assert {b.lang: (b.start, b.end) for b in doc.blocks("abstract")} == wanted
    assert len(list(doc.blocks("abstract"))) == 3
    assert all("Tural Rzayev" not in doc.clean(b).text for b in doc.blocks("abstract"))


def test_running_header_printed_on_many_pages_is_furniture_above_the_title():
    doc = process(read_source(DEVELOPMENT / "rzayev2019-b.txt"), ["structure"])
    journal = doc.raw[:doc.raw.index("\n")]
    assert [doc.text(b) for b in doc.blocks("furniture")][0] == journal
    assert all(journal not in doc.text(b) for b in doc.blocks("title"))


def test_page_number_with_the_word_for_page_is_furniture(other):
    text = OTHER_LAYOUT.replace("\n15 \n", "\nSəh. 15 \n").replace("\n16 \n", "\n- 16 -\n")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [doc.clean(b).text for b in doc.blocks("paragraph")] == [other.clean(b).text for b in other.blocks("paragraph")]
    assert {"Səh. 15", "- 16 -"} <= {doc.text(b) for b in doc.blocks("furniture")}


def test_note_zone_without_a_rule_line_before_it_goes_on_after_an_indented_line():
    # a note's second line set in by a space is no page start when the next note follows
    text = OTHER_LAYOUT.replace("3 Archives diplomatiques, Paris, dossier 14, \n",
                                "3 Archives diplomatiques, Paris, \n dossier 14, \n")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris, dossier 14, f.3, a letter of 12 May 1919."


def test_lost_note_number_resynchronises(other):
    # note 2's number lost by the extraction: note 1 takes its text, notes 3-5 are found all the same
    text = OTHER_LAYOUT.replace("\n2 Foreign Office.", "\nForeign Office.")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 3, 4, 5]
    expected = {c["n"]: (c["start"], c["end"]) for c in other.data["citations"] if c["n"] > 2}
    shift = len("2 ")
    assert {c["n"]: (c["start"] + shift, c["end"] + shift) for c in doc.data["citations"] if c["n"] > 2} == expected


def test_note_continuation_starting_with_a_number_and_comma_is_no_note():
    text = OTHER_LAYOUT.replace("3 Archives diplomatiques, Paris, dossier 14, \n",
                                "3 Archives diplomatiques, Paris, dossier \n14, \n")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]


def test_marker_opening_a_line_after_a_sentence_end_opens_a_note_area_without_a_rule():
    # "anew. \n1 They": the marker wrapped to the start of a line; the notes below it follow the
    # text with no rule line, so they are notes only if that marker is seen above them
    text = OTHER_LAYOUT.replace("drawn anew.1 They \nalso knew", "drawn anew. \n1 They also knew")
    text = text.replace(f"\n{RULE}\n1 Aydın", "\n1 Aydın", 1)
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    first = next(m for m in doc.layer("marker") if m.attrs["n"] == 1)
    assert doc.raw[first.start - 7:first.end + 5] == "anew. \n1 They"


def test_article_printed_twice_starts_its_note_numbers_again(sample_raw):
    # an issue file (or a file holding an article twice): the second copy's notes 1-48 are notes
    # of their own, known by page and number, not one 40 000-character note glued onto note 48;
    # its titles and headings, printed once per copy, are no running headers: each copy has the
    # furniture of the article
    doc = process(Document("twice", sample_raw + "\n\n" + sample_raw), ["structure", "notes"])
    notes = list(doc.blocks("footnote"))
    assert [b.attrs["n"] for b in notes] == list(range(1, 49)) * 2
    shift = len(sample_raw) + 2
    assert [(b.start + shift, b.end + shift) for b in notes[:48]] == [(b.start, b.end) for b in notes[48:]]
    assert all("page" not in b.attrs for b in notes[:48]) and all("page" in b.attrs for b in notes[48:])
    items = doc.data["citations"]
    assert len({item["id"] for item in items}) == 96
    keys = [(m.attrs["n"], m.attrs.get("page")) for m in doc.layer("marker")]
    assert keys == [(b.attrs["n"], b.attrs.get("page")) for b in notes]
    furniture = [(b.start, b.end) for b in doc.blocks("furniture")]
    once = process(Document("once", sample_raw), ["structure"])
    assert furniture == [(b.start + k * shift, b.end + k * shift) for k in (0, 1) for b in once.blocks("furniture")]


def test_marker_set_off_by_a_space_opening_the_next_page_follows_the_sentence_above():
    # the page's text ends with a sentence whose marker, set off by a space, wrapped past the
    # notes and the furniture to open page 2 ("15 \n\n3 The French"): it marks note 3
    text = OTHER_LAYOUT.replace("in one week.3 The French \n", "in one week. \n").replace(
        "\nanswer came late, and", "\n3 The French answer came late, and")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    third = next(m for m in doc.layer("marker") if m.attrs["n"] == 3)
    assert doc.raw[third.start - 5:third.end + 4] == "15 \n\n3 The"


def test_note_running_on_to_a_page_whose_notes_follow_the_text_directly():
    # no rule and no empty line above page 2's notes: the line that ends note 3 stands right
    # below the text, and goes to note 3 (its first part stopped short of a sentence end)
    text = OTHER_LAYOUT.replace(f"Baku.5 \n\n{RULE}\nf.3, a letter", "Baku.5 \nf.3, a letter")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris, dossier 14, f.3, a letter of 12 May 1919."
    assert doc.clean(list(doc.blocks("paragraph"))[-1]).text.endswith("to the government in Baku.")


def test_note_stopping_at_an_abbreviation_runs_on_below_the_next_page_text():
    # note 3 stops at "Vol." (an abbreviation never ends a sentence): the line right below page
    # 2's text that ends a sentence is the rest of note 3, not the text's last line
    text = OTHER_LAYOUT.replace("3 Archives diplomatiques, Paris, dossier 14, \n",
                                "3 Archives diplomatiques, Paris. Vol. \n").replace(
        f"Baku.5 \n\n{RULE}\nf.3, a letter", "Baku.5 \n14, f.3, a letter")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris. Vol. 14, f.3, a letter of 12 May 1919."


def test_page_without_furniture_opening_with_the_marker_of_the_next_note_is_text():
    # page 1 has no furniture and its text ends "in one week."; page 2 opens with that sentence's
    # marker set off by a space ("3 The French"): note 3's number, but no marker 3 stands above
    # page 1's notes, so the line is page 2's text and note 3 is the one at page 2's foot
    page_break = re.search(r"3 Archives diplomatiques, Paris, dossier 14, \n.*?\nanswer came", OTHER_LAYOUT, re.S)
    text = (OTHER_LAYOUT[:page_break.start()] + "\n3 The French answer came" + OTHER_LAYOUT[page_break.end():]).replace(
        "in one week.3 The French \n", "in one week. \n").replace(
        f"{RULE}\nf.3, a letter", f"{RULE}\n3 Archives diplomatiques, Paris, dossier 14, f.3, a letter")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["raw"][:20] for c in doc.data["citations"]] == [
        "Aydın Balayev. Azərb", "Foreign Office. Memo", "Archives diplomatiqu", "Ibid., p.14.", "Məmməd Əmin Rəsulzad"]
    third = next(m for m in doc.layer("marker") if m.attrs["n"] == 3)
    assert doc.raw[third.start - 1:third.end + 4] == "\n3 The"


def test_bracket_broken_by_a_page_is_one_citation():
    # "[3," at a page foot, the running header and page number, then "с.12-14]." on the next page
    sentence = ("Artıq 1936-cı ildə redaksiyada jurnalın siyasi xətti barədə mübahisələr başladı və \n"
                "müəlliflərin bir hissəsi başqa nəşrlərə keçdi [3, \n\nJournal of Caucasus History \n\n12 \n\n"
                "с.12-14]. \n")
    text = REFERENCE_LIST.replace("Уже в 1936 году в редакции начались споры о политической линии журнала, и часть \n"
                                  "авторов перешла в другие издания [3, с.12-14]. \n", sentence)
    doc = process(Document("ivanova2020", text), ["structure", "notes"])
    last = doc.layer("marker")[-1]
    assert doc.text(last).strip().startswith("[3,") and doc.text(last).endswith("с.12-14]")
    assert (list(last.attrs["n"]), last.attrs["pinpoint"]) == ([3], "12-14")
    paragraph = next(b for b in doc.blocks("paragraph") if b.start <= last.start < b.end)
    assert doc.clean(paragraph).text.endswith("başqa nəşrlərə keçdi.")


def test_indented_paragraph_above_a_note_area_without_a_rule_is_no_note_running_on():
    # note 3 ends on page 1; on page 2 a paragraph set in and starting with a year stands right
    # above the notes (no rule): it is text, not the end of note 3
    text = OTHER_LAYOUT.replace("3 Archives diplomatiques, Paris, dossier 14, \n", "3 Archives diplomatiques, Paris, dossier 14. \n")
    text = text.replace(f"Baku.5 \n\n{RULE}\nf.3, a letter of 12 May 1919. \n",
                        "Baku.5 \n\n  1921 brought the end of the delegation's work in Paris. \n")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris, dossier 14."
    assert doc.clean(list(doc.blocks("paragraph"))[-1]).text == "1921 brought the end of the delegation's work in Paris."


def test_note_running_on_below_the_blank_run_that_sets_the_notes_apart():
    # page 2's notes set apart from the text by a run of empty lines (no rule); the first line
    # there has no number and starts with a capital after note 3's full stop: it is note 3's end
    text = OTHER_LAYOUT.replace("3 Archives diplomatiques, Paris, dossier 14, \n", "3 Archives diplomatiques, Paris, dossier 14. \n")
    text = text.replace(f"Baku.5 \n\n{RULE}\nf.3, a letter", "Baku.5 \n\n\n\nF.3, a letter")
    doc = process(Document("smith2023", text), ["structure", "notes"])
    assert [c["n"] for c in doc.data["citations"]] == [1, 2, 3, 4, 5]
    assert doc.data["citations"][2]["raw"] == "Archives diplomatiques, Paris, dossier 14. F.3, a letter of 12 May 1919."


def test_article_printed_twice_has_a_reference_list_per_copy(tmp_path):
    # each copy's list ends where the next copy's front matter starts; the second list's entries
    # are keyed by the page it starts on (ids unique), are not read as footnotes (the first
    # list's numbers are no markers of theirs), and the second copy's citations link to it
    text = (DEVELOPMENT / "rzayev2019-a.txt").read_text(encoding="utf-8")
    doc = process(Document("twice", text + "\n\n" + text), ["structure", "notes"])
    entries = list(doc.blocks("reference"))
    assert [b.attrs["n"] for b in entries] == list(range(1, 23)) * 2 and not list(doc.blocks("footnote"))
    shift = len(text) + 2
    assert [(b.start + shift, b.end + shift) for b in entries[:22]] == [(b.start, b.end) for b in entries[22:]]
    page = entries[22].attrs["page"]
    assert all("page" not in b.attrs for b in entries[:22]) and all(b.attrs["page"] == page for b in entries[22:])
    assert len({item["id"] for item in doc.data["citations"]}) == 44
    cited = [m for m in doc.layer("marker") if isinstance(m.attrs["n"], list)]
    assert [m.attrs.get("page") for m in cited] == [None] * 47 + [page] * 47
    assert all(m.start >= shift for m in cited[47:])
    # the citations stage gives each entry the citations of its own copy
    cited_doc = process(Document("twice", doc.raw), ["structure", "notes", "citations"])
    places = [[place["start"] for place in item["in_text"]] for item in cited_doc.data["citations"]]
    assert places[22:] == [[start + shift for start in starts] for starts in places[:22]] and places[0]
    # in TEI: every entry an id of its own, and the second copy's citations point to its list
    tei = tmp_path / "twice.tei.xml"
    write_tei(doc, tei)
    back = read_tei(tei, source=None)
    assert [(b.attrs["n"], b.attrs.get("page")) for b in back.blocks("reference")] == \
        [(b.attrs["n"], b.attrs.get("page")) for b in entries]
    assert [(m.attrs["n"], m.attrs.get("page")) for m in back.layer("marker")] == \
        [(m.attrs["n"], m.attrs.get("page")) for m in cited]


def test_article_printed_twice_keeps_the_headings_of_its_second_copy(sample_raw):
    # the second copy's labelled abstracts open a new article's front matter and body, not the
    # first copy's back matter: its headings stay headings
    doc = process(Document("twice", sample_raw + "\n\n" + sample_raw), ["structure"])
    once = process(Document("once", sample_raw), ["structure"])
    shift = len(sample_raw) + 2
    expected = [(b.label, b.start + k * shift, b.end + k * shift) for k in (0, 1) for b in once.blocks()
                if b.label in ("heading", "abstract", "keywords")]
    assert [(b.label, b.start, b.end) for b in doc.blocks() if b.label in ("heading", "abstract", "keywords")] == expected


def test_a_note_at_the_foot_of_a_reference_list_page_is_read():
    # rzayev2019-a with a note added: its marker after the list's last citation, the note below a
    # rule at the foot of the page the list goes on over; it is a note (known by its page, as
    # entry 1 is fn1), not the tail of entry 18, and the list keeps its 22 entries
    text = (DEVELOPMENT / "rzayev2019-a.txt").read_text(encoding="utf-8")
    text = text.replace("ehtiyac duyur [2; \n13]. \n", "ehtiyac duyur [2; \n13].1 \n")
    note = "Rzayev E.T. Şirvan XV əsrin əvvəllərində: I Şeyx İbrahimin hakimiyyəti. Bakı: Elm, 2009, s.58."
    at = text.index("\n19. Collins R.")
    text = text[:at] + "\n____________________\n1 " + note + "\n" + text[at:]
    doc = process(Document("noted", text), ["structure", "notes"])
    [found] = doc.blocks("footnote")
    assert doc.text(found) == note and "page" in found.attrs
    [marker] = [m for m in doc.layer("marker") if not isinstance(m.attrs["n"], list)]
    assert (text[marker.start - 4:marker.end], marker.attrs) == ("13].1", found.attrs)
    entries = list(doc.blocks("reference"))
    assert [b.attrs["n"] for b in entries] == list(range(1, 23))
    assert doc.text(entries[17]).endswith("№7. С.60-66.")
    assert len({item["id"] for item in doc.data["citations"]}) == 23
