"""OCR of page images with the tesseract command-line program (Debian ``tesseract-ocr``).

Only the binary is used, through :mod:`subprocess`: no Python binding to install, and the
version that produced the text goes into ``doc.meta``. Words come back with their boxes in
image pixels so the PDF reader can lay them out like a text layer.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ResourceError

if TYPE_CHECKING:
    from PIL.Image import Image

# Environment variable naming the tesseract program (a path or a command name).
TESSERACT_ENV = "POLYCORPUS_TESSERACT"
DEFAULT_LANGUAGES = ("aze", "rus", "eng")
# Debian package per tesseract language, for the install hint.
LANGUAGE_PACKAGES = {"aze": "tesseract-ocr-aze", "rus": "tesseract-ocr-rus", "eng": "tesseract-ocr-eng"}


@dataclass(frozen=True)
class OcrWord:
    """One recognised word; box in pixels; ``line`` identifies its line across the page."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    line: tuple[int, int, int]  # (block, paragraph, line) numbers from tesseract
    conf: float


@dataclass(frozen=True)
class Tesseract:
    """A located tesseract program and the languages it will be run with."""

    program: str
    version: str
    languages: tuple[str, ...]

    def recognise(self, image: "Image") -> list[OcrWord]:
        """The words of ``image`` in tesseract's reading order."""
        with tempfile.TemporaryDirectory(prefix="polycorpus-ocr-") as tmp:
            png = Path(tmp) / "page.png"
            image.save(png)
            result = _run([self.program, str(png), "stdout", "-l", "+".join(self.languages), "tsv"])
        return parse_tsv(result)


def find_tesseract(command: str | None = None) -> str | None:
    """The tesseract program to run: ``command``, else $POLYCORPUS_TESSERACT, else ``tesseract``;
    None when it is not installed."""
    return shutil.which(command or os.environ.get(TESSERACT_ENV) or "tesseract")


def load_tesseract(program: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Tesseract:
    """Check that ``program`` runs and has every language; ResourceError says what to install."""
    version = (_run([program, "--version"]).splitlines() or ["tesseract (version unknown)"])[0].strip()
    # --list-langs prints a heading line, then one language per line.
    installed = {line.strip() for line in _run([program, "--list-langs"]).splitlines()[1:]}
    missing = [lang for lang in languages if lang not in installed]
    if missing:
        packages = " ".join(LANGUAGE_PACKAGES.get(lang, f"tesseract-ocr-{lang}") for lang in missing)
        raise ResourceError(program, f"tesseract has no language data for {'+'.join(missing)}; install {packages}")
    return Tesseract(program, version, tuple(languages))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Words (level 5 rows with text) of tesseract's TSV output."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text:
            continue
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        words.append(OcrWord(text, left, top, left + width, top + height,
                             (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                             float(row["conf"])))
    return words


def _run(argv: list[str]) -> str:
    # One thread: deterministic, and polite on a shared machine.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    except OSError as exc:
        raise ResourceError(argv[0], f"cannot run tesseract ({exc.strerror})") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ResourceError(argv[0], f"tesseract failed (exit {done.returncode}): {last}")
    # tesseract 3 printed --version and --list-langs on stderr
    return done.stdout or done.stderr
