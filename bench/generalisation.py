"""Leave-one-article-out: polycorpus's accuracy on articles its learned parts have not seen.

For every development article (both layouts ``-a``/``-b`` of an article held out together), every
learned or tuned part — each ``polycorpus.<package>.training.fit`` — is fitted on the *other*
articles only, the held-out layouts are built with the config those fits return, and every layer
is scored with ``evaluate corpus``. Beside it, the same table for the build with the shipped
parts (fitted on every article: training figures, labelled as such).

    .venv/bin/python bench/generalisation.py [--gold tests/data/gold] [--raw corpus/raw] [--workdir DIR]
                                             [--parts entities,align,citations] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from polycorpus.evaluate.corpus import CorpusReport, DocumentScores, evaluate_corpus
from polycorpus.gold import article_of, development_articles
from polycorpus.pipeline import build_folder

ROOT = Path(__file__).resolve().parents[1]
# packages whose learned or tuned parts have a ``training.fit(articles, workdir, seed)``
LEARNED = ("entities", "align", "citations")


def fit_all(parts: list[str], training: list[tuple[Path, Path]], workdir: Path, shared: Path) -> dict:
    """Every part fitted on ``training`` in a folder of this fold's own: a model's path is part of
    the stage's settings, and a loaded model is reused by its settings, so folds never share one.
    Caches keyed by content (``*.npz`` embeddings) are carried from fold to fold through ``shared``."""
    config: dict = {}
    for part in parts:
        fit = importlib.import_module(f"polycorpus.{part}.training").fit
        folder, cache = workdir / part, shared / part
        folder.mkdir(parents=True, exist_ok=True)
        for stored in cache.glob("*.npz"):
            shutil.copy2(stored, folder / stored.name)
        started = time.perf_counter()
        for stage, settings in fit(training, folder, seed=0).items():
            config.setdefault(stage, {}).update(settings)
        print(f"  fitted {part} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        cache.mkdir(parents=True, exist_ok=True)
        for stored in folder.glob("*.npz"):
            shutil.copy2(stored, cache / stored.name)
    return config


def build(files: list[Path], out: Path, config: dict | None) -> None:
    staging = out.parent / f"{out.name}-input"
    staging.mkdir(parents=True, exist_ok=True)
    for path in files:  # build_folder reads a folder: link the held-out layouts into one
        link = staging / path.name
        if not link.exists():
            link.symlink_to(path.resolve())
    report = build_folder(staging, out, config=config)
    for failure in report.failures:
        print(f"  build failed: {failure}", file=sys.stderr)


def by_article(report: CorpusReport) -> CorpusReport:
    """The same report with one row per article (its layouts' counts added)."""
    documents: dict[str, DocumentScores] = {}
    for name, scores in report.documents.items():
        documents.setdefault(article_of(name), DocumentScores())
        documents[article_of(name)] += scores
    return CorpusReport(documents, report.total, report.signature, report.not_built)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/data/gold")
    parser.add_argument("--raw", type=Path, default=ROOT / "corpus/raw")
    parser.add_argument("--workdir", type=Path, help="where fits and builds go (default: a temporary folder)")
    parser.add_argument("--parts", default=",".join(LEARNED),
                        help=f"learned parts to refit per fold (default: {','.join(LEARNED)})")
    parser.add_argument("--json", type=Path, help="write both reports' figures as JSON")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="polycorpus-loao-"))
    articles = development_articles(args.gold, args.raw)
    for held_out, pairs in articles.items():
        print(f"fold {held_out}: fitting {', '.join(parts) or 'nothing'} on "
              f"{', '.join(a for a in articles if a != held_out)}", file=sys.stderr)
        training = [pair for article, others in articles.items() if article != held_out for pair in others]
        config = fit_all(parts, training, workdir / "fits" / held_out, workdir / "fits" / "shared")
        # each fold builds apart: a build folder rebuilds every input whose settings changed, so
        # one folder for all folds would rebuild the earlier folds with the last fold's models
        fold_build = workdir / "folds" / held_out
        build([raw for raw, _ in pairs], fold_build, config)
        (workdir / "loao").mkdir(parents=True, exist_ok=True)
        for raw, _ in pairs:
            link = workdir / "loao" / raw.stem
            if not link.exists():
                link.symlink_to((fold_build / raw.stem).resolve())
    build([raw for pairs in articles.values() for raw, _ in pairs], workdir / "shipped", None)
    loao = evaluate_corpus(args.gold, workdir / "loao")
    shipped = evaluate_corpus(args.gold, workdir / "shipped")
    print(f"== leave-one-article-out (refitted per fold: {', '.join(parts) or 'nothing'}) — polycorpus's accuracy")
    print(by_article(loao).format().split("\n\n")[0])
    print()
    print(loao.format())
    print()
    print("== shipped parts, fitted on every article (training figures)")
    print(by_article(shipped).format().split("\n\n")[0])
    if args.json:
        args.json.write_text(json.dumps({"loao": loao.to_dict(), "training": shipped.to_dict(),
                                         "refitted": parts}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
