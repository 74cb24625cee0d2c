"""TEI out and back in: the writer's output validates (shipped schema, TEI All, §10 checks), reads back
to the same layers, reads other tools' TEI, and refuses unsafe or malformed XML."""

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import GOLD, SAMPLE, SHARED_SCHEMA
from polycorpus import Document, InputError
from polycorpus.cli import main as cli
from polycorpus.gold import load_gold
from polycorpus.tei import tei, xml
from polycorpus.tei.read import RECORD_FIELDS, parse_tei, read_tei
from polycorpus.tei.validate import check_tree, compiled_schema, default_schema, validate_files
from polycorpus.tei.write import date_attributes, to_tei

SAMPLE_TEI = SHARED_SCHEMA.parent / "sample.tei.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def add_markers(doc: Document) -> None:
    """Footnote markers as the structure stage finds them: the number glued after a body sentence."""
    body = [s for s in doc.layer("sentences") if s.label == "body"]
    markers, pos = [], 0
    for item in doc.data["citations"]:
        n = str(item["n"])
        for s in body:
            found = re.match(rf"\s?({n})(?!\d)", doc.raw[s.end:s.end + 4]) if s.end >= pos else None
            if found:
                start = s.end + found.start(1)
                markers.append(doc.span(start, start + len(n), "marker", attrs={"n": item["n"]}))
                pos = start
                break
    doc.set_layer("marker", markers)


def add_blocks(doc: Document) -> None:
    """A blocks layer over the gold sentences: front matter, one block per abstract and keywords."""
    kinds = {"ru.title.1": "title", "ru.front.1": "author", "ru.front.2": "affiliation", "ru.front.3": "identifiers"}
    blocks, groups = [], {}
    for s in doc.layer("sentences"):
        if s.id in kinds:
            blocks.append(doc.span(s.start, s.end, kinds[s.id], lang=s.lang))
        elif s.label in ("abstract", "keywords"):
            groups.setdefault((s.label, s.lang), []).append(s)
        elif s.label == "heading":
            blocks.append(doc.span(s.start, s.end, "heading", lang=s.lang))
    for (label, lang), spans in groups.items():
        blocks.append(doc.span(spans[0].start, spans[-1].end, label, lang=lang))
    doc.set_layer("blocks", blocks)


@pytest.fixture(scope="module")
def annotated():
    doc = load_gold(SAMPLE, GOLD)
    add_markers(doc)
    add_blocks(doc)
    return doc


@pytest.fixture(scope="module")
def tei_file(annotated, tmp_path_factory):
    path = tmp_path_factory.mktemp("tei") / "bagirova2024.tei.xml"
    path.write_bytes(to_tei(annotated))
    return path


@pytest.fixture(scope="module")
def plain_tei_file(tmp_path_factory):
    """The gold layers alone: sentences grouped by part, no blocks, no markers."""
    path = tmp_path_factory.mktemp("plain") / "bagirova2024.tei.xml"
    path.write_bytes(to_tei(load_gold(SAMPLE, GOLD)))
    return path


@pytest.fixture(scope="session")
def tei_all():
    if not SHARED_SCHEMA.exists():
        pytest.skip("shared/schema/tei_all.rng is not available")
    return compiled_schema(str(SHARED_SCHEMA))


def test_markers_of_the_fixture_are_all_48_footnotes(annotated):
    assert [m.attrs["n"] for m in annotated.layer("marker")] == list(range(1, 49))


def test_sample_tei_is_valid_against_tei_all(tei_all, tei_file, plain_tei_file, tmp_path):
    blocks_only = Document("blocks", "Xülasə: Bir cümlə. İkinci.\n\nGiriş\n\nMətn burada.\n")
    blocks_only.set_layer("blocks", [blocks_only.span(0, 26, "abstract", lang="az"),
                                     blocks_only.span(28, 33, "heading", lang="az"),
                                     blocks_only.span(35, 47, "paragraph", lang="az")])
    (tmp_path / "b.xml").write_bytes(to_tei(blocks_only))
    for path in (tei_file, plain_tei_file, tmp_path / "b.xml"):
        tree = etree.parse(str(path))
        assert tei_all.validate(tree), tei_all.error_log.last_error
    assert validate_files([tmp_path / "b.xml"], engine="lxml") == []
    assert etree.parse(str(tmp_path / "b.xml")).xpath("//t:body//t:head/text()", namespaces=NS) == ["Giriş"]


def test_output_is_valid_against_the_shipped_schema_with_both_engines(tei_file, plain_tei_file):
    assert default_schema().name == "polycorpus.rng"
    assert validate_files([tei_file], engine="lxml") == []
    # without a marker layer the notes are attached to nothing: valid TEI, but the check says so
    problems = validate_files([plain_tei_file], engine="lxml")
    assert len(problems) == 48 and {p.check for p in problems} == {"footnote"}
    if shutil.which("jing"):
        assert validate_files([tei_file], engine="jing") == []
        assert validate_files([plain_tei_file], engine="jing") == problems


needs_shared_sample = pytest.mark.skipif(not SAMPLE_TEI.exists(), reason="shared/schema/sample.tei.xml is not available")


@needs_shared_sample
def test_shipped_schema_is_stricter_than_tei_all():
    # sample.tei.xml is valid TEI All but uses elements polycorpus never writes (address, docs' own bibl)
    problems = validate_files([SAMPLE_TEI], engine="lxml")
    assert any(p.check == "schema" for p in problems)
    assert not [p for p in problems if p.check != "schema"]


def test_output_is_deterministic(annotated, tei_file):
    again = load_gold(SAMPLE, GOLD)
    add_markers(again)
    add_blocks(again)
    assert to_tei(again) == tei_file.read_bytes() == to_tei(annotated)


def test_header_has_titles_author_keywords_and_every_language(tei_file):
    root = etree.parse(str(tei_file)).getroot()
    header = root.find("t:teiHeader", NS)
    assert header.findtext(".//t:titleStmt/t:title", namespaces=NS).startswith("ИЗ ИСТОРИИ")
    author = header.find(".//t:titleStmt/t:author", NS)
    assert author.findtext("t:persName/t:surname", namespaces=NS) == "БАГИРОВА"
    assert author.findtext("t:idno[@type='ORCID']", namespaces=NS) == "0000-0001-9071-5568"
    assert author.findtext("t:email", namespaces=NS) == "bagirovais@gmail.com"
    assert "Институт Истории" in author.findtext("t:affiliation/t:orgName", namespaces=NS)
    terms = header.xpath(".//t:keywords[@xml:lang='en']/t:term/text()", namespaces=NS)
    assert terms[:2] == ["Political emigration", "Caucasian Confederation"] and len(terms) == 5
    assert header.xpath(".//t:langUsage/t:language/@ident", namespaces=NS) == ["az", "en", "ru", "sv", "tr"]


def test_text_follows_the_conventions(tei_file):
    root = etree.parse(str(tei_file)).getroot()
    abstracts = root.xpath("//t:front/t:div[@type='abstract']", namespaces=NS)
    assert [(d.get(xml("lang")), d.get(xml("id"))) for d in abstracts] == [
        ("az", "abstract.az"), ("en", "abstract.en"), ("ru", "abstract.ru")]
    assert root.xpath("//t:s[@xml:id='az.body.41']", namespaces=NS)
    assert len(root.xpath("//t:s", namespaces=NS)) == 198
    century = root.xpath("//t:date[@when-iso='19']", namespaces=NS)[0]
    assert century.text == "XX əsrin"
    assert root.xpath("//t:date[@from='1920'][@to='1955']", namespaces=NS)
    assert root.xpath("//t:persName[@ref='#rasulzade']", namespaces=NS)
    # the marker follows its sentence, outside it, and points to the note in back
    ref = root.xpath("//t:ref[@type='foot'][@target='#fn1']", namespaces=NS)[0]
    assert ref.getprevious().tag == tei("s") and ref.text == "1"
    note = root.xpath("//t:back//t:note[@xml:id='fn1']", namespaces=NS)[0]
    assert note.get("place") == "foot" and note.get("n") == "1" and note.get("target") == "#fn1.ref"
    ibid = root.xpath("//t:note[@n='26']/t:bibl", namespaces=NS)[0]
    assert ibid.get("type") == "ibid" and ibid.find("t:ref", NS).get("target") == "#fn25"
    assert ibid.get("corresp") == root.xpath("//t:note[@n='25']/t:bibl/@corresp", namespaces=NS)[0]
    links = root.xpath("//t:standOff/t:linkGrp[@type='alignment']/t:link", namespaces=NS)
    assert len(links) == 8 and links[0].get("target") == "#az.abstract.1 #en.abstract.1 #ru.abstract.1"
    assert links[0].get("type") == "1-1-1"
    person = root.xpath("//t:listPerson/t:person[@xml:id='rasulzade']", namespaces=NS)[0]
    assert {p.get(xml("lang")) for p in person} >= {"az", "en", "ru"}


def test_round_trip_with_the_source_gives_back_every_layer_exactly(annotated, tei_file):
    back = read_tei(tei_file, source=SAMPLE)
    assert back.raw == annotated.raw and back.meta["tei"]["offsets"] == "source"
    assert [(s.start, s.end, s.label, s.lang, s.id) for s in back.layer("sentences")] == \
        [(s.start, s.end, s.label, s.lang, s.id) for s in annotated.layer("sentences")]
    entity = lambda e: (e.start, e.end, e.label, e.lang, e.attrs["norm"])  # noqa: E731
    assert sorted(map(entity, back.layer("entities"))) == sorted(map(entity, annotated.layer("entities")))
    assert [(m.start, m.end, m.attrs["n"]) for m in back.layer("marker")] == \
        [(m.start, m.end, m.attrs["n"]) for m in annotated.layer("marker")]
    ids = lambda beads: [{k: v for k, v in b.items() if k != "score" and v} for b in beads]  # noqa: E731
    assert ids(back.data["alignment"]) == ids(annotated.data["alignment"])
    fields = ("n", "start", "end", "ibid", "locator", "language")
    for got, want in zip(back.data["citations"], annotated.data["citations"], strict=True):
        assert {k: got.get(k) for k in fields} == {k: want.get(k) for k in fields}
        assert got.get("refers_to") == want.get("refers_to")
        assert got["raw"] == annotated.clean(annotated.span(want["start"], want["end"])).text
        if not want.get("refers_to"):
            for key in RECORD_FIELDS:
                assert got.get(key) == want.get(key), (want["n"], key)


def test_round_trip_without_the_source_keeps_texts_labels_and_norms(annotated, tei_file):
    back = read_tei(tei_file)
    assert back.meta["tei"]["offsets"] == "tei-text"
    assert [(back.text(s), s.id, s.label, s.lang) for s in back.layer("sentences")] == \
        [(annotated.clean(s).text, s.id, s.label, s.lang) for s in annotated.layer("sentences")]
    got = sorted((back.text(e), e.label, e.attrs["norm"]) for e in back.layer("entities"))
    want = sorted((annotated.clean(e).text, e.label, e.attrs["norm"]) for e in annotated.layer("entities"))
    assert got == want
    # footnote markers are glued to the sentence before them, as printed
    first = back.layer("marker")[0]
    assert back.text(first) == "1" and back.raw[first.start - 1] == "."


WORDS = st.text(alphabet="abcçdeəfgğhxıijkqlmnoöprsştuüvyzАБВабвгдеж", min_size=1, max_size=8)


@st.composite
def documents(draw):
    """Articles of 1-3 paragraphs of sentences, with entities inside sentences and beads."""
    raw, sentences, entities = "", [], []
    langs = ["az", "en", "ru"]
    for p in range(draw(st.integers(1, 3))):
        lang = langs[p % 3]
        for k in range(draw(st.integers(1, 4))):
            words = draw(st.lists(WORDS, min_size=1, max_size=6))
            start = len(raw)
            for i, word in enumerate(words):
                if draw(st.booleans()) and i < len(words):
                    label = draw(st.sampled_from(["PER", "LOC", "ORG", "WORK", "EVENT", "DATE"]))
                    norm = "1922" if label == "DATE" else draw(st.sampled_from(["x_a", "yb", "zz_1"]))
                    entities.append((len(raw), len(raw) + len(word), label, lang, norm))
                raw += word + (" " if i < len(words) - 1 else ".")
            sentences.append((start, len(raw), "abstract", lang, f"{lang}.abstract.{k + 1}"))
            raw += draw(st.sampled_from([" ", "\n", "  \n"]))
        raw += "\n\n"
    return raw, sentences, entities


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_round_trip_of_generated_documents(tmp_path, generated):
    raw, sentences, entities = generated
    source = tmp_path / "gen.txt"
    source.write_text(raw, encoding="utf-8")
    doc = Document("gen", raw, source="gen.txt")
    doc.set_layer("sentences", [doc.span(a, b, part, lang=lang, id=i) for a, b, part, lang, i in sentences])
    doc.set_layer("entities", [doc.span(a, b, label, lang=lang, attrs={"norm": norm})
                               for a, b, label, lang, norm in entities])
    by_lang = {}
    for s in sentences:
        by_lang.setdefault(s[3], []).append(s[4])
    doc.data["alignment"] = [{"az": by_lang.get("az", [])[:1], "en": by_lang.get("en", [])[:1],
                              "ru": by_lang.get("ru", [])[:1], "score": 0.5}]
    path = tmp_path / "gen.tei.xml"
    path.write_bytes(to_tei(doc))
    assert check_tree(parse_tei(path), "gen") == []
    back = read_tei(path, source=source)
    assert back.layer("sentences") == doc.layer("sentences")
    key = lambda e: (e.start, e.end, e.label, e.lang, e.attrs["norm"])  # noqa: E731
    assert sorted(map(key, back.layer("entities"))) == sorted(map(key, doc.layer("entities")))
    beads = doc.data["alignment"] if sum(len(v) for k, v in doc.data["alignment"][0].items() if k != "score") >= 2 else []
    assert back.data.get("alignment", []) == beads


def test_entities_across_sentences_or_overlapping_are_skipped_and_counted(tmp_path):
    doc = Document("x", "Bir iki. Üç dörd.")
    doc.set_layer("sentences", [doc.span(0, 8, "body", lang="az", id="az.body.1"),
                                doc.span(9, 17, "body", lang="az", id="az.body.2")])
    doc.set_layer("entities", [doc.span(4, 12, "PER", lang="az", attrs={"norm": "a"}),   # crosses the boundary
                               doc.span(0, 7, "ORG", lang="az", attrs={"norm": "b"}),
                               doc.span(4, 7, "LOC", lang="az", attrs={"norm": "c"})])  # nested in the ORG
    path = tmp_path / "x.xml"
    path.write_bytes(to_tei(doc))
    assert doc.meta["tei"]["skipped_entities"] == 2
    assert validate_files([path], engine="lxml") == []


def test_dates_follow_section_4():
    assert date_attributes("1922") == {"when": "1922"}
    assert date_attributes("1926-07-15") == {"when": "1926-07-15"}
    assert date_attributes("1920/1955") == {"from": "1920", "to": "1955"}
    assert date_attributes("19") == {"when-iso": "19"}
    assert date_attributes("around 1900") == {"n": "around 1900"}


@needs_shared_sample
def test_reads_the_shared_sample_written_by_hand():
    doc = read_tei(SAMPLE_TEI)
    ids = [s.id for s in doc.layer("sentences")]
    assert ids[:3] == ["az.s1", "az.s2", "az.s3"] and "az.b10" in ids
    assert {s.label for s in doc.layer("sentences")} == {"abstract", "keywords", "body"}
    assert [doc.text(b) for b in doc.blocks("heading")][:2] == ["Giriş", "Moskva dövrünün yeni təfərrüatları"]
    first = doc.layer("sentences")[0]
    assert doc.text(first).startswith("Məqalə Məhəmməd Əmin Rəsulzadənin")
    rasulzade = [e for e in doc.layer("entities") if e.attrs["norm"] == "rasulzade"]
    assert doc.text(rasulzade[0]) == "Məhəmməd Əmin Rəsulzadənin" and rasulzade[0].label == "PER"
    century = next(e for e in doc.layer("entities") if doc.text(e) == "XX əsrin")
    assert century.attrs["norm"] == "19"
    assert doc.data["alignment"][0] == {"az": ["az.s1"], "en": ["en.s1"], "ru": ["ru.s1"]}
    notes = {c["n"]: c for c in doc.data["citations"]}
    assert notes[26]["ibid"] and notes[26]["refers_to"] == 25 and notes[26]["locator"] == "23-24"
    assert notes[2]["type"] == "chapter" and notes[2]["author"] == [{"family": "Исхаков", "given": "Салават"}]
    assert [m.attrs["n"] for m in doc.layer("marker")] == [1, 2, 5, 25, 26]


def test_reads_generic_names_and_bottom_notes(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body xml:lang="en"><p>'
        '<s xml:id="s1"><name type="PER">Ada</name> met <name type="LOC" ref="#paris">Paris</name>.</s>'
        '<ref type="foot" target="#n1">1</ref></p></body><back>'
        '<note place="bottom" n="1" xml:id="n1" xml:lang="fr">Voir ailleurs.</note></back></text></TEI>',
        encoding="utf-8")
    doc = read_tei(path)
    assert [(doc.text(e), e.label, e.attrs["norm"]) for e in doc.layer("entities")] == [
        ("Ada", "PER", None), ("Paris", "LOC", "paris")]
    assert doc.data["citations"][0]["raw"] == "Voir ailleurs." and doc.data["citations"][0]["language"] == "fr"
    assert doc.name == "other"


@pytest.mark.parametrize("content, problem", [
    ('<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&xxe;</p></body></text></TEI>', "entities"),
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
     '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;">]>'
     '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol4;</p></body></text></TEI>', "entities"),
    ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>broken</body></text></TEI>', "not well-formed"),
    ('<html><body/></html>', "not a TEI document"),
])
def test_unsafe_or_malformed_xml_is_one_line_input_error(tmp_path, content, problem):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_tei(path)
    assert problem in str(caught.value) and str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_size_bound(tmp_path, tei_file):
    with pytest.raises(InputError, match="larger than"):
        parse_tei(tei_file, max_bytes=1000)


def test_checks_that_relax_ng_does_not_make(tmp_path, tei_file):
    text = tei_file.read_text(encoding="utf-8")
    broken = text.replace('ref="#rasulzade"', 'ref="#nobody"', 1)
    broken = broken.replace('target="#az.abstract.1 #en.abstract.1 #ru.abstract.1"', 'target="#az.abstract.1"')
    broken = broken.replace('target="#fn1" xml:id="fn1.ref"', 'target="#fn99" xml:id="fn1.ref"')
    broken = broken.replace('<date when="1922"', '<date when="1922" from="1921" to="1923"', 1)
    broken = re.sub(r'(<s xml:id="az\.body\.1"[^>]*>)', r'\1<s xml:id="inner">x</s>', broken, count=1)
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    checks = sorted({p.check for p in check_tree(parse_tei(path), "broken")})
    assert checks == ["date", "footnote", "link-targets", "nested-s", "pointer"]
    foot = [str(p) for p in check_tree(parse_tei(path), "broken") if p.check == "footnote"]
    assert any("has no note" in f for f in foot) and any("n=1 has no ref" in f for f in foot)


def test_validate_command(tei_file, tmp_path, capsys):
    assert cli(["validate", str(tei_file)]) == 0
    bad = tmp_path / "bad.xml"
    bad.write_text(tei_file.read_text(encoding="utf-8").replace('<langUsage>', '<langUsage><oops/>'), encoding="utf-8")
    assert cli(["validate", str(tei_file), str(bad)]) == 1
    out = capsys.readouterr().out
    assert str(bad) in out and str(tei_file) not in out


def test_validate_against_tei_all_from_the_environment(tei_file, monkeypatch):
    if not SHARED_SCHEMA.exists() or not shutil.which("jing"):
        pytest.skip("needs tei_all.rng and jing (lxml's compile of TEI All is tested once, above)")
    monkeypatch.setenv("POLYCORPUS_TEI_SCHEMA", str(SHARED_SCHEMA))
    assert default_schema() == SHARED_SCHEMA
    assert validate_files([tei_file, SAMPLE_TEI]) == []


# -- an article citing a numbered reference list ([3, с. 70–72]) ---------------------------------
# The citations tests' article, with entry 5 repeating entry 1 (as sloppy lists do) and cited once.
RU_ARTICLE = (Path(__file__).parent / "data" / "articles" / "ru2020.txt").read_text(encoding="utf-8").replace(
    "[1, с.12]. \n", "[1, с.12]. Документы переизданы [5, с. 3]. \n") + (
    "5. Мамулия Г. Кавказская конфедерация в официальных документах. Москва: Наука, \n2012. 356 с. \n")


@pytest.fixture(scope="module")
def reference_list(tmp_path_factory):
    """The article (entry 5 repeats entry 1, as sloppy lists do), its TEI file and its source."""
    from polycorpus.pipeline import process

    folder = tmp_path_factory.mktemp("reflist")
    source = folder / "ru2020.txt"
    source.write_text(RU_ARTICLE, encoding="utf-8")
    doc = process(Document("ru2020", RU_ARTICLE, source=source.name),
                  ["structure", "notes", "segment", "citations"])
    path = folder / "ru2020.tei.xml"
    path.write_bytes(to_tei(doc))
    return doc, path, source


def test_in_text_citations_follow_their_sentence(reference_list):
    doc, path, _ = reference_list
    assert doc.meta["tei"]["skipped_markers"] == 0
    root = etree.parse(str(path)).getroot()
    paragraph = root.xpath("//t:body//t:p[t:bibl]", namespaces=NS)[0]
    layout = [(etree.QName(e).localname, e.get(xml("id")) or "".join(e.itertext())) for e in paragraph]
    assert layout == [("s", "ru.body.1"), ("bibl", "[1]"), ("s", "ru.body.2"), ("bibl", "[2, с.40]"),
                      ("bibl", "[1; 3]"), ("s", "ru.body.3"), ("bibl", "[3, с. 70–72]"), ("s", "ru.body.4"),
                      ("bibl", "[4, p. 15]"), ("bibl", "[1, с.12]"), ("s", "ru.body.5"), ("bibl", "[5, с. 3]")]
    cited = paragraph[6]
    assert cited.get("type") == "citation"
    assert etree.tostring(cited[0], encoding="unicode", with_tail=False).endswith('target="#ref3">[3</ref>')
    assert (cited[1].get("unit"), cited[1].get("from"), cited[1].get("to"), cited[1].text, cited[1].tail) == \
        ("page", "70", "72", "с. 70–72", "]")
    several = paragraph[4]
    assert several[0].get("target") == "#ref1 #ref3" and several.find("t:citedRange", NS) is None


def test_reference_list_is_a_bibliography_of_entries_pointing_to_records(reference_list):
    _, path, _ = reference_list
    root = etree.parse(str(path)).getroot()
    assert not root.xpath("//t:note", namespaces=NS)
    (div,) = root.xpath("//t:back/t:div[@type='bibliography']", namespaces=NS)
    assert "".join(div.find("t:head", NS).itertext()).strip() == "Список литературы"  # not in body
    assert [h.get(xml("id")) for h in root.xpath("//t:body//t:head/t:s", namespaces=NS)] == ["ru.heading.1"]
    entries = div.xpath("t:listBibl/t:bibl", namespaces=NS)
    assert [(e.get("n"), e.get(xml("id"))) for e in entries] == [(str(n), f"ref{n}") for n in range(1, 6)]
    assert entries[2].text.startswith("А.М.Топчибаши и М.Э.Расулзаде: Переписка")
    records = [e.get("corresp").split()[0] for e in entries]
    start = RU_ARTICLE.index("А.М.Топчибаши")
    end = RU_ARTICLE.index("2012. \n4.") + len("2012.")
    assert entries[2].get("corresp") == f"#bib.iskhakov2012 ru2020.txt#char={start},{end}"
    # entry 5 is the same work as entry 1, cited at other places: one record for both
    assert records[4] == records[0] == "#bib.mamuliya2012"
    assert len(root.xpath("//t:standOff/t:listBibl[@type='citations']/*", namespaces=NS)) == 4


def test_reference_list_tei_is_valid(reference_list, tei_all, tmp_path):
    _, path, _ = reference_list
    tree = etree.parse(str(path))
    assert tei_all.validate(tree), tei_all.error_log
    assert validate_files([path]) == []
    assert validate_files([path], engine="lxml") == []
    broken = tmp_path / "broken.tei.xml"
    broken.write_bytes(path.read_bytes().replace(b'target="#ref4"', b'target="#bib.smith2001"'))
    assert [p.check for p in validate_files([broken])] == ["citation"]


@pytest.mark.parametrize("with_source", [True, False])
def test_reference_list_round_trip_keeps_entries_and_pinpoints(reference_list, with_source):
    doc, path, source = reference_list
    back = read_tei(path, source=source if with_source else None)
    want = [item for item in doc.data["citations"] if "in_text" in item]
    got = back.data["citations"]
    assert [item["n"] for item in got] == [1, 2, 3, 4, 5]
    for mine, theirs in zip(got, want, strict=True):
        for key in RECORD_FIELDS:
            assert mine.get(key) == theirs.get(key), (theirs["n"], key)
        assert [p.get("locator") for p in mine["in_text"]] == [p.get("locator") for p in theirs["in_text"]]
        assert {p.get("label") for p in mine["in_text"]} == {p.get("label") for p in theirs["in_text"]}
    assert got[2]["editor"][0]["role"] == "compiler"
    assert [b.attrs["n"] for b in back.blocks("reference")] == [1, 2, 3, 4, 5]
    sentence = (lambda s: (s.id, s.label, s.start, s.end)) if with_source else (lambda s: (s.id, s.label, back.text(s)))
    assert [sentence(s) for s in back.layer("sentences")] == \
        [(s.id, s.label, s.start, s.end) if with_source else (s.id, s.label, doc.clean(s).text)
         for s in doc.layer("sentences")]
    markers = [(m.attrs["n"], m.attrs["pinpoint"]) for m in back.layer("marker")]
    assert markers == [(m.attrs["n"], m.attrs["pinpoint"]) for m in doc.layer("marker")]
    if with_source:
        assert got == [{**item, "id": f"ru2020-ref{item['n']}"} for item in want]
        assert [(m.start, m.end) for m in back.layer("marker")] == [(m.start, m.end) for m in doc.layer("marker")]
    else:
        assert [back.raw[p["start"]:p["end"]] for p in got[2]["in_text"]] == ["[1; 3]", "[3, с. 70–72]"]
