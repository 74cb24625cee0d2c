"""Broken fonts: every development layout built as printed (clean), then written through a broken
font (:func:`polycorpus.structure.mojibake.corrupt`: the same length, so the gold offsets hold) and
built without the repair (corrupted) and with it (repaired). Prints sentence F1, note-span F1,
entity strict F1 and citation field F1 per layout, and the micro totals with their signatures.

    .venv/bin/python bench/mojibake.py [--gold tests/data/gold] [--raw corpus/raw] [--workdir DIR]
                                       [--fonts mac-glyph-order,issue-12,…] [--loao]

Fonts: ``mac-glyph-order`` (``İ Ş ş`` written ``Ġ ġ Ģ``, see tools/build_mojibake.py);
``issue-12`` (the substitutions issue 12 lists, ``Ġ``/``Đ`` for ``İ``, ``Ģ`` for ``Ş``, ``ġ`` for
``ş``, with the Cyrillic ``ә`` for ``ə`` in half the Latin words); ``issue-12+look-alikes`` (the
same and, in 5 % of the words, one letter in its look-alike of the other script, which the
homoglyph layer mends in the clean view and the citations keep as printed, as the gold does).
The alignment stage is left out (the font changes no offsets it scores).
``--loao`` refits the learned parts (entities, citations) without the held-out article, as
bench/generalisation.py does; without it the shipped parts are used (training figures, said so).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from polycorpus.evaluate.corpus import CorpusReport, evaluate_corpus
from polycorpus.gold import development_articles
from polycorpus.pipeline import build_folder
from polycorpus.structure import mojibake

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generalisation import fit_all  # noqa: E402

STAGES = ["structure", "notes", "segment", "citations", "entities"]
ISSUE_12 = {"Ġ": "İ", "Đ": "İ", "Ģ": "Ş", "ġ": "ş"}
FONTS = {
    "mac-glyph-order": {"encoding": "mac-glyph-order"},
    "issue-12": {"encoding": ISSUE_12, "schwa": 0.5},
    "issue-12+look-alikes": {"encoding": ISSUE_12, "schwa": 0.5, "homoglyphs": 0.05},
}
FIGURES = (("sentences", "F1"), ("notes", "F1"), ("entities", "strict"), ("citations", "fields"))


def conditions(fonts: list[str]) -> list[tuple[str, str | None, bool]]:
    """(name, font or None, repair) for every build."""
    found = [("clean", None, True)]
    for font in fonts:
        found += [(f"{font} corrupted", font, False), (f"{font} repaired", font, True)]
    return found


def build(sources: list[Path], font: str | None, repair: bool, folder: Path, config: dict, fold: str) -> None:
    staging = folder / f"input-{fold}"  # one per fold: build_folder builds every file it holds
    staging.mkdir(parents=True, exist_ok=True)
    for source in sources:
        text = source.read_text(encoding="utf-8")
        if font:
            text = mojibake.corrupt(text, **FONTS[font])
        (staging / source.name).write_text(text, encoding="utf-8")
    settings = {stage: dict(values) for stage, values in config.items()}
    settings.setdefault("structure", {})["repair_fonts"] = repair
    built = folder / f"build-{fold}"  # a build folder keeps only its input's documents
    report = build_folder(staging, built, stages=STAGES, config=settings, force=True)
    for failure in report.failures:
        print(f"  build failed: {failure}", file=sys.stderr)
    for source in sources:
        shutil.copytree(built / source.stem, folder / "out" / source.stem, dirs_exist_ok=True)


def table(reports: dict[str, CorpusReport]) -> str:
    names = list(next(iter(reports.values())).documents)
    header = ["layout", "figure"] + list(reports)
    rows = [header]
    for name in names + ["micro total"]:
        for layer, figure in FIGURES:
            cells = []
            for report in reports.values():
                scores = report.total if name == "micro total" else report.documents.get(name)
                value = scores.figures().get(layer, {}).get(figure) if scores else None
                cells.append("-" if value is None else f"{value:.3f}")
            rows.append([name, f"{layer} {figure}"] + cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/data/gold")
    parser.add_argument("--raw", type=Path, default=ROOT / "corpus/raw")
    parser.add_argument("--workdir", type=Path, help="where builds go (default: a temporary folder)")
    parser.add_argument("--fonts", default=",".join(FONTS), help=f"broken fonts (default: {','.join(FONTS)})")
    parser.add_argument("--loao", action="store_true", help="refit entities and citations per held-out article")
    args = parser.parse_args()
    fonts = [f for f in args.fonts.split(",") if f]
    unknown = [f for f in fonts if f not in FONTS]
    if unknown:
        parser.error(f"unknown font {unknown[0]!r} (known: {', '.join(FONTS)})")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="polycorpus-mojibake-"))
    articles = development_articles(args.gold, args.raw)
    sources = [raw for pairs in articles.values() for raw, _ in pairs]
    # a repair made in a clean layout is a false repair
    false = {s.stem: len(mojibake.find_repairs(s.read_text(encoding="utf-8"))) for s in sources}
    print("repairs made in the clean layouts: " + ", ".join(f"{k} {v}" for k, v in false.items()))
    builds = conditions(fonts)
    folds = articles.items() if args.loao else [("all", [p for ps in articles.values() for p in ps])]
    for held_out, pairs in folds:
        config = {}
        if args.loao:
            training = [p for article, others in articles.items() if article != held_out for p in others]
            print(f"fold {held_out}: fitting entities, citations", file=sys.stderr)
            config = fit_all(["entities", "citations"], training, workdir / "fits" / held_out, workdir / "fits" / "shared")
        for name, font, repair in builds:
            print(f"  building {held_out}: {name}", file=sys.stderr)
            build([raw for raw, _ in pairs], font, repair, workdir / name.replace(" ", "-"), config, held_out)
    reports = {name: evaluate_corpus(args.gold, workdir / name.replace(" ", "-") / "out") for name, _, _ in builds}
    parts = "leave-one-article-out (entities, citations refitted per article)" if args.loao else \
        "shipped parts, fitted on every article (training figures)"
    print(f"== broken fonts: clean vs corrupted vs repaired; {parts}")
    print(table(reports))
    for name, report in reports.items():
        print(f"{name}: {report.signature.format()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
