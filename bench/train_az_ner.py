"""Train and measure the Azerbaijani NER model, the DATE recogniser and the entity linking on the gold.

    python bench/train_az_ner.py                 # dates, linking, cross-validated NER table (minutes)
    python bench/train_az_ner.py --no-cv         # dates, linking and tests/data/az_heldout.txt only (seconds)
    python bench/train_az_ner.py --held-out F    # cache the held-out model predictions in F
    python bench/train_az_ner.py --loao          # leave-one-article-out NER table (both layouts held out)
    python bench/train_az_ner.py --loao --shipped   # the same table with the shipped model (before fit)

The gold entity spans are raw offsets; every gold sentence is read through the document's clean
view (soft hyphens and line breaks undone, as the structure stage does) and its gold entities are
mapped into sentence-relative clean offsets. The statistical model is only ever scored on
sections it was not trained on: the body is cut at its headings, one section is held out at a
time, and the abstract/title/headings form one more fold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from polycorpus.document import Document
from polycorpus.entities.training import NAME_LABELS, EPOCHS, Sentence, fit, gold_sentences, mark_line_ends, train_model
from polycorpus.evaluate.base import Counts, ScoreTable, Signature, file_hash, set_counts
from polycorpus.gold import development_articles, load_gold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024"
# Sentences written apart from the sample (other people, places, bodies), hand-annotated in [span|LABEL] markup.
HELD_OUT_TEXT = ROOT / "tests" / "data" / "az_heldout.txt"
RAW = ROOT / "corpus" / "raw"
GOLD_ROOT = ROOT / "tests" / "data" / "gold"
SEED = 0


def score_dates(sentences: list[Sentence]) -> dict[str, tuple[int, int, int]]:
    """Per language: (gold dates, spans found exactly, values correct among gold dates)."""
    from polycorpus.entities.dates import find_dates_in

    by_part: dict[tuple[str, str], list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_part[(sentence.lang, sentence.part)].append(sentence)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (lang, _), group in by_part.items():
        results = find_dates_in([s.text for s in group], lang)
        for sentence, found in zip(group, results):
            predicted = {(s, e): v for s, e, v in found}
            total = totals[lang]
            total[0] += len(sentence.dates)
            total[3] += len(predicted)
            for start, end, value in sentence.dates:
                if (start, end) in predicted:
                    total[1] += 1
                    total[2] += predicted[(start, end)] == value
    return {lang: tuple(v) for lang, v in sorted(totals.items())}


def score_spans(sentences: list[Sentence], predicted: dict[str, list[tuple[int, int, str]]]) -> dict[str, Counts]:
    """Strict counts per label (exact span and label), over the given sentences."""
    counts: dict[str, Counts] = defaultdict(Counts)
    for sentence in sentences:
        gold = set(sentence.entities)
        found = set(predicted.get(sentence.id, []))
        for label in NAME_LABELS:
            counts[label] += set_counts({g for g in gold if g[2] == label}, {f for f in found if f[2] == label})
    return counts


def print_table(title: str, counts: dict[str, Counts]) -> None:
    table = ScoreTable(("label",))
    total = Counts()
    for label in NAME_LABELS:
        table.add((label,), counts[label])
        total += counts[label]
    table.add(("all",), total)
    print(title)
    print(table.format())


def az_sentences(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if s.lang == "az"]


def sections(sentences: list[Sentence]) -> list[list[Sentence]]:
    """The az sentences cut into folds: the front matter and abstract, then one fold per body section."""
    heads = sorted(s.start for s in sentences if s.part == "heading")
    folds: list[list[Sentence]] = [[] for _ in range(len(heads) + 1)]
    for sentence in sentences:
        if sentence.part in ("title", "front", "abstract", "keywords"):
            folds[0].append(sentence)
        else:
            folds[max(1, sum(h <= sentence.start for h in heads))].append(sentence)
    return [fold for fold in folds if fold]


def model_spans(nlp, text: str) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


def held_out_predictions(az: list[Sentence], epochs: int = EPOCHS) -> dict[str, list[tuple[int, int, str]]]:
    """The model's spans for every sentence, from a model trained on the other sections."""
    predicted = {}
    for fold in sections(az):
        held = {s.id for s in fold}
        nlp = train_model([s for s in az if s.id not in held], epochs)
        predicted.update({s.id: model_spans(nlp, s.text) for s in fold})
    return predicted


def cross_validate(az: list[Sentence], held_out: dict[str, list[tuple[int, int, str]]]) -> dict[str, dict[str, Counts]]:
    """Strict counts per combination strategy, on the model's held-out predictions."""
    from polycorpus.entities.az import AzRecognizer, Found, combine, model_may_add

    rules = AzRecognizer(model=False)
    by_rules = dict(zip([s.id for s in az], rules.find_many([s.text for s in az])))
    strategies: dict[str, dict[str, list]] = defaultdict(dict)
    for sentence in az:
        found_rules = [Found(*f, "rule") for f in by_rules[sentence.id]]
        found_model = [Found(*f, "model") for f in held_out[sentence.id]]
        strategies["rules (no training, but written while reading this sample: optimistic)"][sentence.id] = \
            by_rules[sentence.id]
        strategies["model"][sentence.id] = [(f.start, f.end, f.label) for f in found_model]
        strategies["rules+model"][sentence.id] = [(f.start, f.end, f.label) for f in combine(found_rules, found_model)]
        strategies["model+rules"][sentence.id] = [(f.start, f.end, f.label) for f in combine(found_model, found_rules)]
        shipped = combine(found_rules, [f for f in found_model if model_may_add(sentence.text, f)])
        strategies["rules+model-PER (shipped)"][sentence.id] = [(f.start, f.end, f.label) for f in shipped]
    return {name: score_spans(az, predicted) for name, predicted in strategies.items()}


def linking_accuracy(doc: Document | None = None) -> tuple[int, int, list[str]]:
    """(gold entities grouped exactly right, gold entities, wrong texts): the gold spans are
    linked by polycorpus and each is checked against the gold grouping."""
    from polycorpus.entities.linking import link_entities

    doc = doc or load_gold(SAMPLE, GOLD)
    mark_line_ends(doc)
    gold = [e for e in doc.layer("entities") if e.label != "DATE"]
    gold_norm = {(e.start, e.end): e.attrs["norm"] for e in gold}
    link_entities(doc)
    ours = {(e.start, e.end): e.attrs["norm"] for e in doc.layer("entities") if e.label != "DATE"}
    gold_groups: dict[str, set] = defaultdict(set)
    our_groups: dict[str, set] = defaultdict(set)
    for span, norm in gold_norm.items():
        gold_groups[norm].add(span)
        our_groups[ours[span]].add(span)
    wrong = [f"{doc.raw[s:e]!r} gold={gold_norm[(s, e)]} ours={ours[(s, e)]}" for s, e in gold_norm
             if gold_groups[gold_norm[(s, e)]] != our_groups[ours[(s, e)]]]
    return len(gold_norm) - len(wrong), len(gold_norm), wrong


def held_out_text_scores() -> dict[str, dict[str, Counts]]:
    """Strict counts of the rules and of the shipped recogniser on the held-out sentences."""
    from polycorpus.entities.az import AzRecognizer

    sentences = []
    for line in HELD_OUT_TEXT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, last = "", [], 0
        for match in re.finditer(r"\[([^|\]]+)\|(\w+)\]", line):
            text += line[last:match.start()]
            spans.append((len(text), len(text) + len(match.group(1)), match.group(2)))
            text += match.group(1)
            last = match.end()
        sentences.append(Sentence(f"held.{len(sentences)}", "az", "body", text + line[last:], spans, []))
    return {name: score_spans(sentences, dict(zip([s.id for s in sentences],
                                                   AzRecognizer(model=model).find_many([s.text for s in sentences]))))
            for name, model in (("rules", False), ("rules+model-PER (shipped)", True))}


def loao(epochs: int, shipped: bool = False, verbose: bool = False) -> None:
    """Leave one article out: fit on the other articles, build and score the held-out layouts
    (``shipped``: score every layout with the shipped model instead, the figure before ``fit``)."""
    import tempfile

    from polycorpus.evaluate.ner import score_system, span_records
    from polycorpus.outputs import entity_records
    from polycorpus.pipeline import process
    from polycorpus.sources import read_source

    grouped = development_articles(GOLD_ROOT, RAW, "entities.jsonl")
    rows = []
    for name, held in grouped.items():
        train = [pair for other, pairs in grouped.items() if other != name for pair in pairs]
        with tempfile.TemporaryDirectory() as work:
            config = {} if shipped else fit(train, Path(work), seed=SEED, epochs=epochs)
            for raw, gold_dir in held:
                doc = process(read_source(raw), None, config)
                gold = span_records(raw.stem, entity_records(load_gold(raw, gold_dir)))
                score = score_system(raw.stem, gold, span_records(raw.stem, entity_records(doc)))
                if verbose:
                    print(f"\n== {raw.stem}")
                    print(score.table("strict").format())
                rows.append((raw.stem, score))
    model = "shipped model" if shipped else "model fitted on the other articles"
    print(Signature("NER-F1", {"match": "exact/partial", "protocol": "leave-one-article-out", "az": model,
                               "epochs": epochs, "seed": SEED}).format())
    print(f"{'layout':16} {'all':>6} {'az':>6} {'ru':>6} {'en':>6} {'partial':>7} " + " ".join(f"{l:>6}" for l in NAME_LABELS + ("DATE",)))
    for layout, score in rows:
        cells = [score.total("strict").f1] + [score.total("strict", lang=lang).f1 for lang in ("az", "ru", "en")]
        cells += [score.total("partial").f1] + [score.total("strict", label=label).f1 for label in NAME_LABELS + ("DATE",)]
        print(f"{layout:16} " + " ".join(f"{c:6.3f}" if i != 4 else f"{c:7.3f}" for i, c in enumerate(cells)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--verbose", action="store_true", help="list the wrongly linked entities")
    parser.add_argument("--held-out", help="JSON file caching the held-out model predictions (read if present)")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation (minutes)")
    parser.add_argument("--loao", action="store_true", help="leave-one-article-out NER table (fit on the others)")
    parser.add_argument("--shipped", action="store_true", help="with --loao: the shipped model on every layout")
    args = parser.parse_args(argv)
    if args.loao:
        loao(args.epochs, args.shipped, args.verbose)
        return 0
    sentences = gold_sentences(load_gold(SAMPLE, GOLD))
    gold_id = f"bagirova2024@{file_hash(GOLD)}"

    print(Signature("DATE", {"gold": gold_id}).format())
    print(f"{'lang':5} {'gold':>5} {'span':>5} {'value':>6} {'found':>6} {'value_acc':>9}")
    for lang, (gold, spans, values, found) in score_dates(sentences).items():
        print(f"{lang:5} {gold:5d} {spans:5d} {values:6d} {found:6d} {values / gold if gold else 0:9.3f}")
    right, total, wrong = linking_accuracy()
    print(Signature("LINK-ACC", {"gold": gold_id}).format(), f"= {right / total:.3f} ({right}/{total})")
    if args.verbose:
        print("\n".join(wrong))

    print()
    print(Signature("NER-F1", {"gold": f"az_heldout@{file_hash(HELD_OUT_TEXT)}", "match": "exact", "lang": "az"}).format())
    for name, counts in held_out_text_scores().items():
        print_table(f"az {name} on {HELD_OUT_TEXT.name} (sentences written apart from the sample)", counts)

    az = az_sentences(sentences)
    if args.no_cv:
        return 0
    print()
    print(Signature("NER-F1", {"gold": gold_id, "match": "exact", "lang": "az", "cv": f"sections{len(sections(az))}",
                               "epochs": args.epochs, "seed": SEED}).format())
    if args.held_out and Path(args.held_out).exists():
        held_out = {k: [tuple(x) for x in v] for k, v in json.loads(Path(args.held_out).read_text()).items()}
    else:
        held_out = held_out_predictions(az, args.epochs)
        if args.held_out:
            Path(args.held_out).write_text(json.dumps(held_out, ensure_ascii=False))
    scores = cross_validate(az, held_out)
    for name, counts in scores.items():
        print_table(f"az {name} (cross-validated by section)", counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
