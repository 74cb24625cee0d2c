"""Building documents: run the registered stages in order, write every output, go on past bad files.

:func:`build_document` is the unit of work: one input file -> ``<out>/<doc>/`` (document.json, the
gold-format layers, ``<doc>.tei.xml``, ``stamp.json``) and ``<alignments>/<doc>.tsv``. It is a plain
function of picklable arguments returning a picklable :class:`DocResult`, so the same call runs
in-process, in a ``ProcessPoolExecutor`` (:func:`build_folder` with ``jobs > 1``) or on a Dask
cluster for corpora beyond one machine::

    from dask.distributed import Client
    client = Client("scheduler:8786")   # or LocalCluster()
    futures = client.map(build_document, files, out_root=out, stages=None, pure=False)
    results = client.gather(futures)
    write_manifest(out, results)

Every output of a document is written into a temporary folder beside its final place and moved
in only when all of it succeeded, so a failure never leaves half-written outputs. A document is
rebuilt only when its input, the stage settings or the polycorpus version changed (``stamp.json``).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .document import Document
from .errors import InputError, PolycorpusError
from .io import current_umask, read_text, write_json
from .outputs import write_outputs
from .registry import Stage, check_order
from .sources import doc_name, input_files, read_source

# Modules whose import registers the stages; each stage module registers itself with @stage.
STAGE_MODULES = (
    "polycorpus.structure",
    "polycorpus.segment",
    "polycorpus.align.stage",
    "polycorpus.citations.stage",
    "polycorpus.entities.stage",
)
DEFAULT_STAGES = ["structure", "notes", "segment", "align", "citations", "entities"]

MANIFEST = "manifest.json"
STAMP = "stamp.json"


def load_stages() -> None:
    for module in STAGE_MODULES:
        importlib.import_module(module)


def process(doc: Document, stages: list[str] | None = None, config: dict[str, Any] | None = None,
            timings: dict[str, float] | None = None) -> Document:
    """Run ``stages`` (default: all) on ``doc``; ``config[stage]`` overrides that stage's defaults.

    ``timings``, when given, receives the seconds each stage took.
    """
    config = config or {}
    for found in ordered_stages(stages):
        settings = found.defaults | config.get(found.name, {})
        started = time.perf_counter()
        found.func(doc, **settings)
        if timings is not None:
            timings[found.name] = time.perf_counter() - started
        doc.meta.setdefault("stages", {})[found.name] = settings
    return doc


def build_settings(stages: list[str] | None = None, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """What decides a build's outputs besides the input: the stages with their filled settings."""
    config = config or {}
    return {"polycorpus": __version__,
            "stages": [[s.name, s.defaults | config.get(s.name, {})] for s in ordered_stages(stages)]}


def ordered_stages(stages: list[str] | None = None) -> list[Stage]:
    """The stages to run (default: all), checked: an unknown stage or an unmet requirement is an
    InputError naming it and the stages in their order."""
    load_stages()
    try:
        return check_order(stages or DEFAULT_STAGES)
    except ValueError as exc:
        raise InputError(None, f"{exc} (the stages, in order: {', '.join(DEFAULT_STAGES)})") from None


@dataclass
class DocResult:
    """What happened to one input file (picklable; one manifest entry)."""

    source: str
    name: str
    status: str  # built, unchanged, failed (orphaned: in the manifest only, its input gone)
    input_sha256: str | None = None
    outputs: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # built, but something is missing (no abstract)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def build_document(path: str | Path, out_root: str | Path, stages: list[str] | None = None,
                   config: dict[str, Any] | None = None, alignments: str | Path | None = None,
                   force: bool = False) -> DocResult:
    """Build one file unless its stamp says nothing changed; a bad file gives a ``failed`` result."""
    started = time.perf_counter()
    path, out_root = Path(path), Path(out_root)
    result = DocResult(source=str(path), name=doc_name(path), status="failed")
    try:
        settings = build_settings(stages, config)
        result.stages = [name for name, _ in settings["stages"]]
        result.input_sha256 = _sha256(path)
        stamp = {"input_sha256": result.input_sha256, "settings": settings}
        folder = out_root / result.name
        if not force and _read_stamp(folder) == json.loads(json.dumps(stamp)):
            result.status = "unchanged"
            result.outputs = _listing(folder, out_root, alignments, result.name)
        else:
            doc = read_source(path)
            process(doc, stages, config, result.timings)
            result.warnings = list(doc.meta.get("warnings", []))
            result.outputs = _publish(doc, out_root, alignments, stamp, result.timings)
            result.status = "built"
    except PolycorpusError as exc:
        result.error = str(exc)
    except Exception as exc:  # one bad file never stops the others; the message names it
        result.error = f"{path}: {type(exc).__name__} in polycorpus: {exc}".splitlines()[0]
    result.seconds = time.perf_counter() - started
    return result


def build_file(path: str | Path, out_root: str | Path, stages: list[str] | None = None,
               config: dict[str, Any] | None = None) -> Document:
    """Build one file and return its document (errors propagate; used by tests and commands)."""
    doc = process(read_source(path), stages, config)
    _publish(doc, Path(out_root), None, None, {})
    return doc


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    results: list[DocResult] = field(default_factory=list)


def build_folder(folder: str | Path, out_root: str | Path, stages: list[str] | None = None,
                 config: dict[str, Any] | None = None, progress: Callable[[DocResult], None] | None = None,
                 jobs: int = 1, force: bool = False, alignments: str | Path | None = None) -> BuildReport:
    """Build every article of ``folder`` (``jobs`` processes); failures are collected, not raised.

    Writes ``<out_root>/manifest.json``; lists in the report keep the input order.
    """
    every = input_files(folder)
    out_root = Path(out_root)
    build_settings(stages, config)  # an unknown stage fails here, once, not per file
    kwargs = {"out_root": out_root, "stages": stages, "config": config, "alignments": alignments, "force": force}
    results: dict[str, DocResult] = {}

    def done(result: DocResult) -> None:
        results[result.source] = result
        if progress:
            progress(result)

    first: dict[str, Path] = {}
    for path in every:  # x.txt and x.pdf would both build into <out>/x/
        if first.setdefault(doc_name(path), path) != path:
            done(DocResult(str(path), doc_name(path), "failed", error=(
                f"{path}: same document name as {first[doc_name(path)].name}; rename one of them")))
    files = [p for p in every if str(p) not in results]
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            done(build_document(path, **kwargs))
    else:
        # workers live for the whole build, so each loads its models once
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                                 initargs=(max(1, (os.cpu_count() or 1) // jobs),)) as pool:
            futures = {pool.submit(build_document, path, **kwargs): path for path in files}
            for future in as_completed(futures):
                try:
                    done(future.result())
                except Exception as exc:  # a worker that died (killed, out of memory) fails its file only
                    path = futures[future]
                    done(DocResult(str(path), doc_name(path), "failed",
                                   error=f"{path}: worker failed ({type(exc).__name__}: {exc})".splitlines()[0]))
    ordered = [results[str(p)] for p in every]
    write_manifest(out_root, ordered, complete=Path(folder).is_dir())
    report = BuildReport(results=ordered)
    for result in ordered:
        name = Path(result.source).name
        {"built": report.built, "unchanged": report.unchanged}.get(result.status, []).append(name)
        if result.status == "failed":
            report.failures.append(result.error or f"{result.source}: failed")
    return report


def _start_worker(threads: int) -> None:
    """A worker's share of the cores for the math libraries (set before any model loads), then the stages.

    Each model library would otherwise start one thread per core in every worker, and ``jobs``
    workers on as many cores then spend their time contending.
    """
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "ORT_NUM_THREADS"):
        os.environ[variable] = str(threads)
    load_stages()
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


def write_manifest(out_root: str | Path, results: list[DocResult], complete: bool = False) -> Path:
    """``manifest.json``: per document its input hash, outputs, stages and status (earlier entries kept).

    An input that shares its document name with an earlier one builds nothing of its own; it is
    listed under ``conflicts`` and the document's entry stays the one that built it. With
    ``complete`` (``results`` cover every input of the folder), a document no input produces any
    more is marked ``orphaned`` and its folder moved out of the build, so that export skips it.
    """
    path = Path(out_root) / MANIFEST
    documents: dict[str, Any] = {}
    if path.exists():
        try:
            documents = json.loads(read_text(path)).get("documents", {})
        except (PolycorpusError, ValueError):
            documents = {}
    conflicts = []
    owners: dict[str, str] = {}
    for result in results:
        entry = asdict(result)
        entry["seconds"] = round(entry["seconds"], 3)
        entry["timings"] = {k: round(v, 3) for k, v in entry["timings"].items()}
        if owners.setdefault(result.name, result.source) != result.source:
            conflicts.append(entry)
        else:
            documents[result.name] = entry
    if complete:
        for name in sorted(set(documents) | _built_folders(Path(out_root))):
            if name not in owners:
                documents[name] = _orphan(Path(out_root), name, documents.get(name))
    manifest: dict[str, Any] = {"polycorpus": __version__, "documents": dict(sorted(documents.items()))}
    if conflicts:
        manifest["conflicts"] = conflicts
    write_json(path, manifest)
    return path


ORPHANED = ".orphaned"


def _built_folders(out_root: Path) -> set[str]:
    """Names of the document folders of a build (those with a stamp)."""
    if not out_root.is_dir():
        return set()
    return {p.name for p in out_root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / STAMP).exists()}


def _orphan(out_root: Path, name: str, entry: dict[str, Any] | None) -> dict[str, Any]:
    """Move a document whose input is gone into ``<out>/.orphaned/<name>``; its manifest entry says so."""
    entry = dict(entry or {"source": None, "name": name})
    folder = out_root / name
    if folder.is_dir():
        target = out_root / ORPHANED / name
        target.parent.mkdir(exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(folder, target)
    entry["status"] = "orphaned"
    entry["outputs"] = []
    entry["error"] = f"{entry.get('source') or name}: no input produces this document any more (outputs in {ORPHANED}/)"
    return entry


def _publish(doc: Document, out_root: Path, alignments: str | Path | None, stamp: dict[str, Any] | None,
             timings: dict[str, float]) -> list[str]:
    """Write all outputs into a temporary folder, then move them into place together."""
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / doc.name
    staging = Path(tempfile.mkdtemp(prefix=f".{doc.name}.", dir=out_root))
    try:
        write_outputs(doc, staging, timings)
        tsv = None
        if alignments is not None and "alignment" in doc.data:
            tsv = staging / f".{doc.name}.alignment.tsv"
            tsv.write_text(_alignment_tsv(doc), encoding="utf-8")
        if stamp is not None:
            write_json(staging / STAMP, stamp)
        _share(staging, tsv)
        tsv_final = Path(alignments) / f"{doc.name}.tsv" if tsv else None
        if tsv_final:
            tsv_final.parent.mkdir(parents=True, exist_ok=True)
            moved = tsv_final.parent / tsv.name
            shutil.move(str(tsv), moved)  # same filesystem as its final place: the replace below is atomic
            tsv = moved
        old = None
        if final.exists():
            old = out_root / f".{doc.name}.old.{os.getpid()}"
            os.replace(final, old)
        os.replace(staging, final)
        if tsv_final:
            os.replace(tsv, tsv_final)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _listing(final, out_root, alignments, doc.name)


def _share(staging: Path, tsv: Path | None) -> None:
    """The staging folder (mkdtemp: 0700) and the TSV get the permissions of published outputs."""
    umask = current_umask()
    os.chmod(staging, 0o777 & ~umask)
    if tsv:
        os.chmod(tsv, 0o666 & ~umask)


def _alignment_tsv(doc: Document) -> str:
    """The alignment stage's readable TSV when it provides one, else the gold format."""
    try:
        from .align.stage import readable_tsv
    except ImportError:
        from .formats import alignment_tsv

        return alignment_tsv(doc.data["alignment"])
    return readable_tsv(doc)


def _listing(folder: Path, out_root: Path, alignments: str | Path | None, name: str) -> list[str]:
    files = [str(p.relative_to(out_root)) for p in sorted(folder.iterdir()) if p.name != STAMP] if folder.exists() else []
    if alignments is not None and (Path(alignments) / f"{name}.tsv").exists():
        files.append(str(Path(alignments) / f"{name}.tsv"))
    return files


def _read_stamp(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    return digest.hexdigest()
