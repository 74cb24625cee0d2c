"""What a page marks: built layers against gold, item by item (the scorers count the same matches)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..evaluate.alignment import project
from ..evaluate.citations import FIELDS, field_values
from ..formats import ALIGNMENT_LANGS

# A bead whose similarity is below this is shown as weak (scores are 0..1 cosine-like similarities).
WEAK_SCORE = 0.5


def bead_weakness(bead: Mapping[str, Any]) -> list[str]:
    """Why a built bead deserves a second look: the aligner flagged it weak (low confidence), a low
    score, a language left out (1-0), several sentences on a side."""
    reasons = []
    if bead.get("weak"):
        reasons.append("low confidence")
    if "score" in bead and bead["score"] < WEAK_SCORE:
        reasons.append("low score")
    if any(not bead.get(lang) for lang in ALIGNMENT_LANGS):
        reasons.append("1-0")
    if any(len(bead.get(lang, ())) > 1 for lang in ALIGNMENT_LANGS):
        reasons.append("many-to-one")
    return reasons


def bead_errors(bead: Mapping[str, Sequence[str]], gold: list[Mapping[str, Sequence[str]]]) -> list[str]:
    """The language pairs on which a built bead is not a gold bead (strict, as the alignment scorer projects)."""
    wrong = []
    for i, src in enumerate(ALIGNMENT_LANGS):
        for tgt in ALIGNMENT_LANGS[i + 1:]:
            mine = project([bead], src, tgt)
            if mine and mine[0] not in set(project(gold, src, tgt)):
                wrong.append(f"{src}-{tgt}")
    return wrong


def entity_status(entity: tuple[int, int, str], gold: Iterable[tuple[int, int, str]]) -> str:
    """``ok``, ``label`` (same offsets, other label), ``boundary`` (overlaps a gold span) or ``fp``."""
    start, end, label = entity
    status = "fp"
    for g_start, g_end, g_label in gold:
        if (g_start, g_end) == (start, end):
            return "ok" if g_label == label else "label"
        if g_start < end and start < g_end:
            status = "boundary"
    return status


def missed_entities(gold: Iterable[Mapping[str, Any]],
                    built: Iterable[tuple[int, int, str]]) -> list[Mapping[str, Any]]:
    """Gold spans that no built span overlaps (false negatives)."""
    built = list(built)
    return [g for g in gold if not any(s < g["end"] and g["start"] < e for s, e, _ in built)]


def field_rows(item: Mapping[str, Any], gold: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """One row per field that the item or its gold has: name, value, status (ok/wrong/fp/fn or ''), gold value."""
    rows = []
    for name in FIELDS:
        built, expected = field_values(item, name), field_values(gold or {}, name)
        if not built and not expected:
            continue
        status = ""
        if gold is not None:
            status = "ok" if built == expected else "fn" if not built else "fp" if not expected else "wrong"
        rows.append({"name": name, "value": "; ".join(sorted(built)), "status": status,
                     "gold": "; ".join(sorted(expected)) if status in ("wrong", "fn") else ""})
    return rows
