"""NER in one run: leave-one-article-out on the development articles, factRuEval-2016 beside natasha
alone, every post-rule on and off, and linking.

    python bench/ner.py                          # everything (a few minutes: one az fit per article)
    python bench/ner.py --workdir DIR            # keep the fitted az models in DIR and reuse them
    python bench/ner.py --skip factru            # parts: dev, factru, linking
    python bench/ner.py --variant polycorpus     # only these variants (all post-rules on: the quick run)

- **Development, leave one article out.** For each article (both layouts ``-a``/``-b`` held out
  together) the Azerbaijani model is refitted with :func:`polycorpus.entities.training.fit` on the
  other articles; the held-out layouts are built by the default stages up to ``entities`` and the
  entities stage is run once per variant: every post-rule on (``polycorpus``), each one off
  (``-rule``), and none (``backends alone``: natasha, en_core_web_sm and the az recogniser as
  they come, only mapped onto polycorpus's labels). Strict and partial F1 per language and
  label, pooled over the layouts, then strict F1 and end-to-end linking per layout (the share of
  gold names found at their offsets whose key groups them exactly with the found mentions of
  their referent: :func:`polycorpus.evaluate.ner.linking_counts`, as ``evaluate corpus`` scores).
- **factRuEval-2016** (``shared/external/factru2016_test.jsonl``): exact-span PER/LOC/ORG, each
  paragraph read as a Russian body block by the same entities stage and variants, beside
  natasha's own spans (no mapping at all). Predictions of other labels (WORK, EVENT, DATE) are
  not scored: factRuEval does not annotate them.
- **Linking**: on the gold spans (gold offsets and labels in, ``link_entities`` keys out) the pair
  F1 (pairs of mentions of one document given one key by the gold and by polycorpus).

A backend's answers for a text are computed once and reused by every variant (same text, same
answer: backends keep no state between texts).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from polycorpus.document import Document
from polycorpus.entities import stage as entities
from polycorpus.entities.linking import link_entities
from polycorpus.entities.training import EPOCHS, fit
from polycorpus.evaluate.base import Counts, Signature, file_hash
from polycorpus.evaluate.ner import SystemScore, score_system, span_records
from polycorpus.gold import development_articles, load_gold
from polycorpus.outputs import entity_records
from polycorpus.pipeline import DEFAULT_STAGES, process
from polycorpus.sources import read_source

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold"
RAW = ROOT / "corpus" / "raw"
FACTRU = ROOT.parent / "shared" / "external" / "factru2016_test.jsonl"
BEFORE_ENTITIES = DEFAULT_STAGES[:DEFAULT_STAGES.index("entities")]
LANGS = ("az", "ru", "en")
LABELS = ("PER", "LOC", "ORG", "WORK", "EVENT", "DATE")
NAMES = ("PER", "LOC", "ORG")
SEED = 0
PARTS = ("dev", "factru", "linking")


def variants(only: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Variant name -> the post-rules it applies (the variants named in ``only``, if any)."""
    out = {"polycorpus": entities.POST_RULES}
    out.update({f"-{rule}": tuple(r for r in entities.POST_RULES if r != rule) for rule in entities.POST_RULES})
    out["backends alone"] = ()
    return {name: rules for name, rules in out.items() if not only or name in only}


def remember_answers() -> None:
    """Make every backend the stage loads answer a text it has read before from memory."""
    load = entities._loaded_backend

    def loaded(name, options):
        ner = load(name, options)
        if not hasattr(ner, "answers"):
            ner.answers, predict = {}, ner.predict_many

            def predict_many(texts):
                new = [t for t in dict.fromkeys(texts) if t not in ner.answers]
                if new:
                    ner.answers.update(zip(new, (list(found) for found in predict(new))))
                return [ner.answers[t] for t in texts]
            ner.predict_many = predict_many
        return ner
    entities._loaded_backend = loaded


def fitted(article: str, train: list[tuple[Path, Path]], workdir: Path, epochs: int) -> str:
    """The az model fitted on ``train`` (reused from ``workdir`` when fitted on the same gold)."""
    folder = workdir / article
    stamp = folder / "gold.json"
    wanted = {raw.stem: file_hash(gold_dir) for raw, gold_dir in train} | {"epochs": epochs, "seed": SEED}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return str(folder / "az_ner")
    started = time.perf_counter()
    path = fit(train, folder, seed=SEED, epochs=epochs)["entities"]["az_model"]
    stamp.write_text(json.dumps(wanted, sort_keys=True))
    print(f"  fitted az without {article} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return path


def copy(doc: Document) -> Document:
    """A document with ``doc``'s layers and data, for one more run of the entities stage."""
    out = Document(doc.name, doc.raw, doc.source)
    out.layers, out.data, out.meta = dict(doc.layers), dict(doc.data), dict(doc.meta)
    return out


def dev_scores(gold: Path, raw: Path, workdir: Path, epochs: int,
               only: tuple[str, ...] = ()) -> dict[str, dict[str, SystemScore]]:
    """Variant -> layout -> score, leave one article out."""
    scores: dict[str, dict[str, SystemScore]] = defaultdict(dict)
    grouped = development_articles(gold, raw, "entities.jsonl")
    for article, held in grouped.items():
        train = [pair for other, pairs in grouped.items() if other != article for pair in pairs]
        model = fitted(article, train, workdir, epochs)
        for raw_file, gold_dir in held:
            prepared = process(read_source(raw_file), BEFORE_ENTITIES)
            gold_records = span_records(raw_file.stem, entity_records(load_gold(raw_file, gold_dir)))
            for name, rules in variants(only).items():
                doc = copy(prepared)
                entities.entities_stage(doc, az_model=model, rules=rules)
                scores[name][raw_file.stem] = score_system(name, gold_records,
                                                           span_records(doc.name, entity_records(doc)))
    return scores


def pooled(by_doc: dict[str, SystemScore]) -> SystemScore:
    total = SystemScore("pooled")
    for score in by_doc.values():
        total += score
    return total


def f1(counts: Counts) -> str:
    return f"{counts.f1:.3f}" if counts.tp + counts.fn + counts.fp else "  -  "


def print_labels(score: SystemScore, langs: tuple[str, ...], labels: tuple[str, ...]) -> None:
    """Strict and partial F1 (with gold counts) per language and label."""
    print(f"{'lang':5} {'match':8} " + " ".join(f"{label:>11}" for label in labels + ("all",)))
    for lang, match in itertools.product(langs, ("strict", "partial")):
        cells = []
        for label in labels + (None,):
            counts = score.total(match, lang, label, labels=None if label else labels)
            cells.append(f"{f1(counts):>5} ({counts.tp + counts.fn:>3})")
        print(f"{lang:5} {match:8} " + " ".join(cells))


def print_dev(scores: dict[str, dict[str, SystemScore]]) -> None:
    main = scores["polycorpus"]
    print("\n== development articles, leave one article out: polycorpus, pooled over the 7 layouts "
          "(F1, gold count in brackets)")
    print_labels(pooled(main), LANGS, LABELS)
    print("\n== strict F1 per layout (all labels); linking end to end: the share of gold names found at "
          "their offsets and grouped exactly with the found mentions of their referent")
    print(f"{'layout':16} {'all':>6} " + " ".join(f"{lang:>6}" for lang in LANGS) + f" {'partial':>7} {'linking':>7}")
    for layout, score in main.items():
        print(f"{layout:16} {score.total('strict').f1:6.3f} "
              + " ".join(f"{f1(score.total('strict', lang)):>6}" for lang in LANGS)
              + f" {score.total('partial').f1:7.3f} {score.link_accuracy:7.3f}")
    total = pooled(main)
    print(f"{'all':16} {total.total('strict').f1:6.3f} " + " ".join(f"{f1(total.total('strict', lang)):>6}" for lang in LANGS)
          + f" {total.total('partial').f1:7.3f} {total.link_accuracy:7.3f}")
    print("\n== post-rules on and off: strict F1 pooled per language (partial in brackets); "
          "a rule stays only if turning it off lowers ru and en")
    print(f"{'variant':16} " + " ".join(f"{lang:>14}" for lang in LANGS + ("all",)))
    for name, by_doc in scores.items():
        score = pooled(by_doc)
        cells = [(score.total("strict", lang), score.total("partial", lang)) for lang in LANGS + (None,)]
        print(f"{name:16} " + " ".join(f"{f1(s)} ({f1(p)})".rjust(14) for s, p in cells))


def factru_documents(path: Path) -> list[tuple[Document, list]]:
    """Each factRuEval document with one Russian body block per paragraph, and its gold records."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = Document(f"factru{record['id']}", record["text"])
        doc.set_layer("blocks", [doc.span(m.start(), m.end(), "body", lang="ru")
                                 for m in re.finditer(r"[^\n]+", doc.raw) if m.group().strip()])
        gold = [(doc.name, start, end, label, "ru", None) for start, end, label, *_ in record["spans"]]
        out.append((doc, gold))
    return out


def factru_scores(path: Path, only: tuple[str, ...] = ()) -> dict[str, SystemScore]:
    """Variant -> score on factRuEval, and natasha's own spans as ``natasha``."""
    documents = factru_documents(path)
    natasha = entities._loaded_backend("natasha", ())
    scores: dict[str, SystemScore] = defaultdict(lambda: SystemScore("factru"))
    for doc, gold in documents:
        blocks = [doc.text(b) for b in doc.blocks()]
        own = [(doc.name, b.start + s, b.start + e, label, "ru", None)
               for b, found in zip(doc.blocks(), natasha.predict_many(blocks)) for s, e, label in found]
        scores["natasha"] += score_system("natasha", gold, own)
        for name, rules in variants(only).items():
            ours = copy(doc)
            entities.entities_stage(ours, rules=rules, dates=False)
            predicted = [r for r in span_records(doc.name, entity_records(ours)) if r[3] in NAMES]
            scores[name] += score_system(name, gold, [r[:5] + (None,) for r in predicted])
    return dict(scores)


def print_factru(scores: dict[str, SystemScore]) -> None:
    print("\n== factRuEval-2016 test, exact span (strict) and overlap (partial) F1")
    print(f"{'system':16} " + " ".join(f"{label:>6}" for label in NAMES) + f" {'micro':>6} {'partial':>7}")
    for name, score in scores.items():
        print(f"{name:16} " + " ".join(f"{score.total('strict', 'ru', label).f1:6.3f}" for label in NAMES)
              + f" {score.total('strict').f1:6.3f} {score.total('partial').f1:7.3f}")


def pair_counts(keys: list[tuple[str, str, str]]) -> tuple[set, set]:
    """(gold pairs, predicted pairs) of mentions given one key, from (mention, gold key, our key)."""
    pairs: tuple[set, set] = (set(), set())
    for column, found in enumerate(pairs):
        groups: dict[str, list[str]] = defaultdict(list)
        for row in keys:
            groups[row[column + 1]].append(row[0])
        for members in groups.values():
            found.update(itertools.combinations(sorted(members), 2))
    return pairs


def linking(gold: Path, raw: Path) -> None:
    print("\n== linking on the gold spans: pairs of mentions given one key (gold vs polycorpus)")
    print(f"{'layout':16} {'mentions':>8} {'P':>6} {'R':>6} {'F1':>6}")
    total = Counts()
    for pairs in development_articles(gold, raw, "entities.jsonl").values():
        for raw_file, gold_dir in pairs:
            gold_doc = load_gold(raw_file, gold_dir)
            doc = process(read_source(raw_file), BEFORE_ENTITIES)
            names = [e for e in gold_doc.layer("entities") if e.label != "DATE"]
            doc.set_layer("entities", [doc.span(e.start, e.end, e.label, lang=e.lang) for e in names])
            link_entities(doc)
            ours = {(e.start, e.end, e.label): e.attrs["norm"] for e in doc.layer("entities")}
            rows = [(f"{e.start}:{e.end}", e.attrs["norm"], ours[(e.start, e.end, e.label)]) for e in names]
            gold_pairs, our_pairs = pair_counts(rows)
            counts = Counts(len(gold_pairs & our_pairs), len(our_pairs - gold_pairs), len(gold_pairs - our_pairs))
            total += counts
            print(f"{raw_file.stem:16} {len(names):8d} {counts.precision:6.3f} {counts.recall:6.3f} {counts.f1:6.3f}")
    print(f"{'all':16} {'':8} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--raw", type=Path, default=RAW)
    parser.add_argument("--factru", type=Path, default=FACTRU)
    parser.add_argument("--workdir", type=Path, help="keep the fitted az models here (reused when the gold is the same)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--skip", action="append", default=[], choices=PARTS)
    parser.add_argument("--variant", action="append", default=[], choices=list(variants()),
                        help="score only these variants (default: every one; polycorpus is always scored)")
    args = parser.parse_args()
    remember_answers()
    only = tuple(dict.fromkeys(["polycorpus", *args.variant])) if args.variant else ()
    fields = {"gold": f"dev@{file_hash(args.gold)}", "protocol": "leave-one-article-out",
              "az": f"fit(epochs={args.epochs},seed={SEED})", "rules": ",".join(entities.POST_RULES)}
    if "factru" not in args.skip and args.factru.is_file():
        fields["factru"] = f"{args.factru.stem}@{file_hash(args.factru)}"
    print(Signature("NER-bench", fields | {"match": "strict/partial"}).format(), flush=True)
    if "dev" not in args.skip:
        with tempfile.TemporaryDirectory() as scratch:
            workdir = args.workdir or Path(scratch)
            workdir.mkdir(parents=True, exist_ok=True)
            print_dev(dev_scores(args.gold, args.raw, workdir, args.epochs, only))
    if "factru" not in args.skip:
        if args.factru.is_file():
            print_factru(factru_scores(args.factru, only))
        else:
            print(f"\n(factRuEval left out: {args.factru} not found; pass --factru)")
    if "linking" not in args.skip:
        linking(args.gold, args.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
