"""Review pages: the sample's page in a real headless browser, errors against gold marked in place,
escaping, determinism."""

import json
import re
import shutil
import subprocess

import pytest
from lxml import html

from conftest import GOLD, SAMPLE
from polycorpus import formats
from polycorpus.cli import main as cli
from polycorpus.document import Document
from polycorpus.review import write_review

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def select(tree, path: str):
    """Elements by an XPath where ``.name`` stands for "has the class name" (lxml without cssselect)."""
    return tree.xpath(re.sub(r"\.([\w-]+)", r"[contains(concat(' ', @class, ' '), ' \1 ')]", path))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built with every default stage; the build folder."""
    root = tmp_path_factory.mktemp("review")
    assert cli(["build", str(SAMPLE), "--out", str(root / "build"), "--alignments", str(root / "alignments")]) == 0
    return root / "build"


def test_review_writes_an_index_and_a_page_per_article_the_same_each_time(built, tmp_path):
    assert cli(["review", str(built), "--gold", str(GOLD.parent), "--out", str(tmp_path / "a")]) == 0
    write_review(built, tmp_path / "b", GOLD.parent)
    for name in ("index.html", "bagirova2024.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    index = html.fromstring((tmp_path / "a" / "index.html").read_text(encoding="utf-8"))
    assert [a.get("href") for a in index.xpath("//table[@id='articles']/tbody//a")] == ["bagirova2024.html"]
    page = (tmp_path / "a" / "bagirova2024.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "<link" not in page  # opens offline
    assert "Scores against gold" in page


def test_errors_against_gold_are_marked_where_they_are(built, tmp_path):
    gold = tmp_path / "gold" / "bagirova2024"
    shutil.copytree(GOLD, gold)
    entities = formats.read_entities(gold / formats.ENTITIES)
    built_entities = {(e["start"], e["end"], e["label"])
                      for e in formats.read_entities(built / "bagirova2024" / formats.ENTITIES)}
    dropped = next(e for e in entities if (e["start"], e["end"], e["label"]) in built_entities)
    formats.write_entities(gold / formats.ENTITIES, [e for e in entities if e is not dropped])
    items = formats.read_citations(gold / formats.CITATIONS)
    items[0]["title"] = "A title nobody parsed"
    formats.write_citations(gold / formats.CITATIONS, items)
    beads = formats.read_alignment(gold / formats.ALIGNMENT)
    beads[0] = {"az": beads[0]["az"], "en": [], "ru": beads[0]["ru"]}
    formats.write_alignment(gold / formats.ALIGNMENT, beads)
    write_review(built, tmp_path / "out", tmp_path / "gold")
    page = html.fromstring((tmp_path / "out" / "bagirova2024.html").read_text(encoding="utf-8"))
    false_positives = [el.text for el in select(page, "//span.ent.fp")]
    assert dropped["text"] in false_positives
    title = page.xpath(f"//div[@id='note-{items[0]['n']}']/table/tr")
    wrong = [row for row in title if row[0].text == "title"][0]  # field, value, gold
    assert wrong[1].get("class") == "wrong" and wrong[2].text == "A title nobody parsed"
    first_bead = select(page, "//tr.bead")[0]
    assert "bead-wrong" in first_bead.get("class")
    assert select(first_bead, ".//div.err")[0].text == "not gold: az-en, en-ru"
    assert f"{beads[0]['az'][0]} | – | {beads[0]['ru'][0]}" in select(page, "//p.err")[0].text


def test_every_input_text_is_escaped(tmp_path):
    raw = "<script>alert(1)</script> Bakı & <b>Gəncə</b>"
    doc = Document("tiny", raw)
    doc.set_layer("sentences", [doc.span(0, len(raw), "abstract", lang="az", id="az.abstract.1")])
    start = raw.index("Bakı")
    doc.set_layer("entities", [doc.span(start, start + 4, "LOC", lang="az", attrs={"norm": "<baku>"})])
    doc.data["alignment"] = [{"az": ["az.abstract.1"], "en": [], "ru": [], "score": 0.1}]
    (tmp_path / "build" / "tiny").mkdir(parents=True)
    (tmp_path / "build" / "tiny" / "document.json").write_text(doc.dumps(), encoding="utf-8")
    write_review(tmp_path / "build", tmp_path / "out")
    page = (tmp_path / "out" / "tiny.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>Gəncə" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;baku&gt;" in page
    tree = html.fromstring(page)
    assert select(tree, "//tr.bead.weak//div.mark")[0].text_content() == "⚠ low score, 1-0"


def test_the_sample_page_in_headless_chromium(built, tmp_path):
    browser = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if browser is None:
        pytest.skip("no chromium on PATH (.ci/run installs Debian's chromium when run as root)")
    write_review(built, tmp_path / "pages", GOLD.parent)
    url = (tmp_path / "pages" / "bagirova2024.html").as_uri()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1800"]
    dom = subprocess.run([browser, *flags, "--dump-dom", url],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    page = html.fromstring(dom)
    assert [th.text for th in select(page, "//table.beads//th")[1:4]] == ["az", "en", "ru"]
    beads = formats.read_alignment(built / "bagirova2024" / formats.ALIGNMENT)
    assert len(select(page, "//table.beads//tr.bead")) == len(beads)
    assert all(len(select(row, "td.lang")) == 3 for row in select(page, "//table.beads//tr.bead"))
    entities = formats.read_entities(built / "bagirova2024" / formats.ENTITIES)
    assert len(select(page, "//span.ent[@data-norm]")) == len(entities)
    notes = formats.read_citations(built / "bagirova2024" / formats.CITATIONS)
    assert len(select(page, "//div.note[@id]")) == len(notes)
    document = json.loads((built / "bagirova2024" / "document.json").read_text(encoding="utf-8"))
    assert len(select(page, "//a.cite")) == len(document["layers"].get("marker", []))
    shot = tmp_path / "bagirova2024.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", url], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_folder_without_a_build_is_a_one_line_error(tmp_path, capsys):
    assert cli(["review", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert str(tmp_path) in error and "no document.json" in error and error.count("\n") == 1
