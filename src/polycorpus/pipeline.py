"""Building documents: run the registered stages in order, write every layer, go on past bad files."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .document import Document
from .errors import PolycorpusError
from .outputs import write_layers
from .registry import check_order
from .sources import input_files, read_source

# Modules whose import registers the stages; each stage module registers itself with @stage.
STAGE_MODULES = (
    "polycorpus.structure",
    "polycorpus.segment",
    "polycorpus.citations.stage",
)
DEFAULT_STAGES = ["structure", "notes", "segment", "citations"]


def load_stages() -> None:
    for module in STAGE_MODULES:
        importlib.import_module(module)


def process(doc: Document, stages: list[str] | None = None, config: dict[str, Any] | None = None) -> Document:
    """Run ``stages`` (default: all) on ``doc``; ``config[stage]`` overrides that stage's defaults."""
    load_stages()
    config = config or {}
    for found in check_order(stages or DEFAULT_STAGES):
        settings = found.defaults | config.get(found.name, {})
        found.func(doc, **settings)
        doc.meta.setdefault("stages", {})[found.name] = settings
    return doc


def build_file(path: str | Path, out_root: str | Path, stages: list[str] | None = None,
               config: dict[str, Any] | None = None) -> Document:
    doc = process(read_source(path), stages, config)
    write_layers(doc, Path(out_root) / doc.name)
    return doc


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def build_folder(folder: str | Path, out_root: str | Path, stages: list[str] | None = None,
                 config: dict[str, Any] | None = None,
                 progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build every article of ``folder``; a file that fails is reported and the others go on."""
    report = BuildReport()
    files = input_files(folder)
    for i, path in enumerate(files, 1):
        try:
            build_file(path, out_root, stages, config)
            report.built.append(path.name)
        except PolycorpusError as exc:
            report.failures.append(str(exc))
        if progress:
            progress(f"[{i}/{len(files)}] {path.name}")
    return report


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
