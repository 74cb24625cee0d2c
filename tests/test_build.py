"""Folder builds: bad files reported one line each while the rest build, TEI beside the layers,
manifest, stamps (rebuild only what changed), atomic outputs, parallel and Dask runs."""

import json
import shutil

import pytest

from conftest import GOLD, SAMPLE, SHARED_SCHEMA
from polycorpus import formats
from polycorpus.cli import main as cli
from polycorpus.pipeline import MANIFEST, build_document, build_folder
from polycorpus.registry import stage
from polycorpus.tei.read import read_tei
from polycorpus.tei.validate import validate_files

FAST = ["structure", "notes"]


@stage("gold_alignment", requires=("sentences",), assigns=("alignment",))
def gold_alignment(doc) -> None:
    """Test stage: the gold beads, so that the build writes an alignment before the align stage exists."""
    doc.data["alignment"] = formats.read_alignment(GOLD / formats.ALIGNMENT)


def bad_inputs(folder):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "cyrillic.txt").write_bytes("Аннотация: Статья посвящена истории эмиграции.\n".encode("cp1251"))
    (folder / "turkish.txt").write_bytes("Özet: Bu makale göçmenlik tarihine ayrılmıştır. Çalışma ağırlıklı.\n"
                                         .encode("cp1254"))
    (folder / "noabstract.txt").write_text("Just a text.\n\nIt has two short paragraphs and no labels.\n",
                                           encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")


@pytest.fixture(scope="module")
def full_build(tmp_path_factory):
    """The sample with every default stage, next to six bad files, through the command line."""
    root = tmp_path_factory.mktemp("corpus")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw)
    bad_inputs(raw)
    code = cli(["build", str(raw), "--out", str(root / "build"), "--alignments", str(root / "alignments")])
    return root, code


def test_bad_files_fail_one_line_each_and_the_sample_still_builds(full_build, capsys):
    root, code = full_build
    assert code == 1
    manifest = json.loads((root / "build" / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert manifest["bagirova2024"]["status"] == "built"
    errors = {name: entry["error"] for name, entry in manifest.items() if entry["status"] == "failed"}
    assert sorted(errors) == ["binary", "broken", "cyrillic", "empty", "turkish"]
    # an article without an abstract is built, and the manifest says what is missing
    assert manifest["noabstract"]["status"] == "built" and "no abstract" in manifest["noabstract"]["warnings"][0]
    assert "empty file" in errors["empty"] and "binary" in errors["binary"]
    assert "cp1251" in errors["cyrillic"] and "cp1254" in errors["turkish"]
    assert "PDF" in errors["broken"]
    for name, error in errors.items():
        assert name in error and "\n" not in error
    # nothing of the failed files, no temporary folders
    assert sorted(p.name for p in (root / "build").iterdir()) == ["bagirova2024", MANIFEST, "noabstract"]


def test_build_writes_tei_beside_the_layers_and_it_validates(full_build):
    root, _ = full_build
    folder = root / "build" / "bagirova2024"
    names = {p.name for p in folder.iterdir()}
    assert {"bagirova2024.tei.xml", "document.json", "sentences.jsonl", "citations.json", "stamp.json"} <= names
    tei = folder / "bagirova2024.tei.xml"
    assert validate_files([tei]) == []
    if SHARED_SCHEMA.exists() and shutil.which("jing"):
        assert validate_files([tei], schema=SHARED_SCHEMA, engine="jing") == []
    # the TEI reads back to the build's own layers
    built = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    back = read_tei(tei, source=SAMPLE)
    assert [s.to_json() for s in back.layer("sentences")] == built["layers"]["sentences"]
    entry = json.loads((root / "build" / MANIFEST).read_text(encoding="utf-8"))["documents"]["bagirova2024"]
    assert entry["stages"][:2] == ["structure", "notes"] and "tei" in entry["timings"]
    assert "bagirova2024/bagirova2024.tei.xml" in entry["outputs"] and len(entry["input_sha256"]) == 64


def test_only_changed_documents_are_rebuilt(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / "a.txt")
    shutil.copy(SAMPLE, raw / "b.txt")
    out = tmp_path / "build"
    assert build_folder(raw, out, FAST).built == ["a.txt", "b.txt"]
    again = build_folder(raw, out, FAST)
    assert again.built == [] and again.unchanged == ["a.txt", "b.txt"]
    (raw / "b.txt").write_text(SAMPLE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_folder(raw, out, FAST).built == ["b.txt"]
    assert build_folder(raw, out, ["structure"]).built == ["a.txt", "b.txt"]  # other settings
    assert build_folder(raw, out, ["structure"], force=True).built == ["a.txt", "b.txt"]


def test_a_failure_while_writing_leaves_the_previous_outputs_untouched(tmp_path, monkeypatch):
    out = tmp_path / "build"
    assert build_document(SAMPLE, out, FAST).status == "built"
    before = {p.name: p.read_bytes() for p in (out / "bagirova2024").iterdir()}

    def broken_writer(doc, path, offsets=True):
        path.write_text("<TEI half-written", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("polycorpus.tei.write.write_tei", broken_writer)
    result = build_document(SAMPLE, out, FAST, force=True)
    assert result.status == "failed" and "No space left on device" in result.error and str(SAMPLE) in result.error
    assert {p.name: p.read_bytes() for p in (out / "bagirova2024").iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["bagirova2024"]


def test_alignment_tsv_is_written_with_the_build(tmp_path):
    report = build_folder(SAMPLE, tmp_path / "build", ["structure", "notes", "segment", "gold_alignment"],
                          alignments=tmp_path / "alignments")
    assert report.built == ["bagirova2024.txt"]
    tsv = (tmp_path / "alignments" / "bagirova2024.tsv").read_text(encoding="utf-8")
    assert "az.abstract.1" in tsv and "ru.keywords.1" in tsv
    tei = (tmp_path / "build" / "bagirova2024" / "bagirova2024.tei.xml").read_text(encoding="utf-8")
    assert '<link type="1-1-1" target="#az.abstract.1 #en.abstract.1 #ru.abstract.1"' in tei


def test_two_jobs_build_the_same_bytes_as_one(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("one", "two", "three"):
        shutil.copy(SAMPLE, raw / f"{name}.txt")
    (raw / "empty.txt").write_bytes(b"")
    serial = build_folder(raw, tmp_path / "serial", FAST, jobs=1)
    parallel = build_folder(raw, tmp_path / "parallel", FAST, jobs=2)
    assert serial.built == parallel.built == ["one.txt", "three.txt", "two.txt"]
    assert serial.failures == parallel.failures and "empty file" in parallel.failures[0]
    for name in ("one", "two", "three"):
        for file in ("document.json", f"{name}.tei.xml"):
            assert (tmp_path / "serial" / name / file).read_bytes() == (tmp_path / "parallel" / name / file).read_bytes()


def test_the_per_document_function_runs_on_dask(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / "x.txt")
    (raw / "bad.txt").write_bytes(b"\x00\x01")
    files = sorted(raw.iterdir())
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        futures = client.map(build_document, files, out_root=tmp_path / "build", stages=FAST, pure=False)
        results = client.gather(futures)
    assert [(r.name, r.status) for r in results] == [("bad", "failed"), ("x", "built")]
    local = build_document(raw / "x.txt", tmp_path / "local", FAST)
    assert (tmp_path / "build" / "x" / "x.tei.xml").read_bytes() == (tmp_path / "local" / "x" / "x.tei.xml").read_bytes()
    assert local.status == "built"


def test_two_inputs_with_one_document_name_are_not_mixed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE, raw / "x.txt")
    shutil.copy(SAMPLE, raw / "x.text")
    report = build_folder(raw, tmp_path / "build", FAST)
    assert report.built == ["x.text"]  # the first in name order
    assert report.failures == [f"{raw / 'x.txt'}: same document name as x.text; rename one of them"]


def test_a_build_elsewhere_keeps_its_alignments_beside_its_outputs(tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "elsewhere"
    assert cli(["build", str(SAMPLE), "--out", str(out), "--stages", "structure,notes,segment,gold_alignment"]) == 0
    assert (out / "alignments" / "bagirova2024.tsv").is_file()
    assert list(cwd.iterdir()) == []
    # the alignments folder is not a document: a rebuild neither orphans nor exports it
    assert cli(["build", str(SAMPLE), "--out", str(out), "--stages", "structure,notes,segment,gold_alignment"]) == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["documents"]
    assert sorted(manifest) == ["bagirova2024"]
