"""Reliability: unsafe TEI refused, encodings read, stale outputs dropped, one-line errors, pointers
that resolve, sentence texts without the notes they span, same-stem inputs, lazy imports."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE
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
    if engine == "jing" and not __import__("shutil").which("jing"):
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
