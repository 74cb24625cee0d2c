"""Validating TEI: RELAX NG (jing when installed, else lxml) plus the checks neither makes.

The schema is the package's own customisation (``data/tei/polycorpus.rng``) unless the caller
names another (``schema=``) or ``POLYCORPUS_TEI_SCHEMA`` points to one, e.g. TEI All
(``tei_all.rng``), which the package cannot ship. The extra checks are CONVENTIONS §10 and the
Schematron rules of TEI that matter here: every pointer resolves (``#id`` to an xml:id,
``source#char=`` to the source file), ``xml:id`` values are
unique, a ``link`` has two or more targets, no ``s`` inside an ``s``, every foot ``ref`` has its
``note`` and every foot ``note`` its ``ref``, an in-text citation ``ref[@type=bibl]`` points to
reference-list ``bibl`` entries, ``@when`` is not combined with ``@from``/``@to``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from lxml import etree

from ..errors import InputError, ResourceError
from . import tei, xml
from .read import CHAR_POINTER, parse_tei

SCHEMA_ENV = "POLYCORPUS_TEI_SCHEMA"
POINTER_ATTRIBUTES = ("ref", "target", "corresp", "domains")
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
JING_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|fatal): (?P<message>.*)$")


@dataclass(frozen=True)
class Problem:
    """One finding: ``file:line: message`` (``check`` is ``schema`` or the name of a rule)."""

    file: str
    line: int
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.check}] {self.message}"


def default_schema() -> Path:
    """The schema used when none is given: ``$POLYCORPUS_TEI_SCHEMA`` or the shipped customisation."""
    if os.environ.get(SCHEMA_ENV):
        return Path(os.environ[SCHEMA_ENV])
    return Path(str(resources.files("polycorpus") / "data" / "tei" / "polycorpus.rng"))


def validate_files(paths: Iterable[str | Path], schema: str | Path | None = None,
                   engine: str = "auto") -> list[Problem]:
    """All problems of ``paths``: schema errors, then polycorpus's checks (an empty list: valid).

    ``engine`` is ``jing``, ``lxml`` or ``auto`` (jing when it is on the PATH).
    """
    paths = [Path(p) for p in paths]
    schema = Path(schema) if schema else default_schema()
    if not schema.is_file():
        raise ResourceError(schema, "no such RELAX NG schema")
    if engine == "auto":
        engine = "jing" if shutil.which("jing") else "lxml"
    problems: list[Problem] = []
    trees = {}
    for path in paths:
        try:
            trees[path] = parse_tei(path)
        except InputError as exc:
            problems.append(Problem(str(path), 0, "xml", exc.problem))
    readable = [p for p in paths if p in trees]
    if engine == "jing":
        problems += _jing(schema, readable)
    else:
        validator = compiled_schema(str(schema.resolve()))
        for path in readable:
            if not validator.validate(trees[path]):
                problems += [Problem(str(path), e.line, "schema", e.message) for e in validator.error_log]
    for path in readable:
        problems += check_tree(trees[path], str(path))
    return problems


@functools.lru_cache(maxsize=4)
def compiled_schema(schema: str) -> etree.RelaxNG:
    """lxml's compiled schema, once per process (TEI All takes seconds to compile)."""
    try:
        return etree.RelaxNG(etree.parse(schema))
    except (etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
        raise ResourceError(schema, f"not a usable RELAX NG schema ({exc})") from None


def _jing(schema: Path, paths: list[Path]) -> list[Problem]:
    if not paths:
        return []
    result = subprocess.run(["jing", str(schema), *map(str, paths)], capture_output=True, text=True)
    problems = []
    for line in result.stdout.splitlines():
        found = JING_LINE.match(line)
        if found:
            problems.append(Problem(found["file"], int(found["line"]), "schema", found["message"]))
        elif line.strip():
            problems.append(Problem(str(schema), 0, "schema", line.strip()))
    if result.returncode and not problems:
        raise ResourceError("jing", f"failed (exit {result.returncode}): {result.stderr.strip()[:200]}")
    return problems


def check_tree(tree: etree._ElementTree, name: str) -> list[Problem]:
    """The checks RELAX NG does not make (CONVENTIONS §10)."""
    root = tree.getroot()
    problems: list[Problem] = []
    sources = {(e.text or "").strip() for e in root.iter(tei("idno")) if e.get("type") == "file"}
    ids: dict[str, etree._Element] = {}
    for element in root.iter():
        value = element.get(xml("id"))
        if value is None:
            continue
        if value in ids:
            problems.append(Problem(name, element.sourceline or 0, "unique-id", f"duplicate xml:id {value!r}"))
        ids.setdefault(value, element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        line = element.sourceline or 0
        for attribute in POINTER_ATTRIBUTES:
            for pointer in (element.get(attribute) or "").split():
                unresolved = _unresolved(pointer, ids, sources)
                if unresolved:
                    problems.append(Problem(name, line, "pointer", f"@{attribute} {pointer} {unresolved}"))
        local = etree.QName(element).localname
        if local == "link" and len((element.get("target") or "").split()) < 2:
            problems.append(Problem(name, line, "link-targets", "a link needs two or more targets"))
        if local == "s" and any(etree.QName(a).localname == "s" for a in element.iterancestors()):
            problems.append(Problem(name, line, "nested-s", "s inside another s"))
        if local == "date" and element.get("when") and any(
                element.get(a) for a in ("from", "to", "notBefore", "notAfter")):
            problems.append(Problem(name, line, "date", "@when combined with @from/@to/@notBefore/@notAfter"))
    problems += _footnote_links(root, ids, name)
    return problems


def _unresolved(pointer: str, ids: dict[str, etree._Element], sources: set[str]) -> str | None:
    """Why ``pointer`` does not resolve (None when it does): a ``#id`` names an xml:id of the file, a
    ``file#char=a,b`` pointer (RFC 5147) names the source of ``sourceDesc/idno[@type=file]`` with
    ``a <= b``, and anything else is an absolute URI (``scheme:…``)."""
    if pointer.startswith("#"):
        return None if pointer[1:] in ids else "points to no xml:id"
    found = CHAR_POINTER.match(pointer)
    if found:
        if int(found["start"]) > int(found["end"]):
            return "has its start after its end"
        if sources and found["file"] and unquote(found["file"]) not in sources:
            return f"names {unquote(found['file'])!r}, not the source file ({', '.join(sorted(sources))})"
        return None
    if URI_SCHEME.match(pointer):
        return None
    return "is neither a #id, a source#char= pointer nor an absolute URI (a file name with a space not escaped as %20?)"


def _footnote_links(root: etree._Element, ids: dict[str, etree._Element], name: str) -> list[Problem]:
    problems = []
    referenced: set[str] = set()
    for ref in root.iter(tei("ref")):
        if ref.get("type") != "foot":
            continue
        note = ids.get((ref.get("target") or "").lstrip("#"))
        if note is None or note.tag != tei("note"):
            problems.append(Problem(name, ref.sourceline or 0, "footnote", f"foot ref {ref.text!r} has no note"))
        else:
            referenced.add(note.get(xml("id")))
    for ref in root.iter(tei("ref")):
        if ref.get("type") == "bibl" and any(
                getattr(ids.get(t.lstrip("#")), "tag", None) != tei("bibl") for t in (ref.get("target") or "").split()):
            problems.append(Problem(name, ref.sourceline or 0, "citation",
                                    f"in-text citation {ref.text!r} points to no reference-list entry"))
    for note in root.iter(tei("note")):
        if note.get("place") not in ("foot", "bottom"):
            continue
        if note.get(xml("id")) not in referenced:
            problems.append(Problem(name, note.sourceline or 0, "footnote",
                                    f"foot note n={note.get('n')} has no ref in the text"))
    return problems
