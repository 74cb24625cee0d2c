"""Citation parsing on the development articles' gold strings, leave-one-article-out, and on AnyStyle's Cyrillic references.

For each development article (both layouts print the same notes, so one is read) the parser runs on
the gold's raw footnotes or list entries, so the figure does not depend on structure recovery:
field F1 per field, micro P/R/F1, exact records and back-references, for three parsers:

- ``rules``: the cue-word grammar (no training);
- ``crf``: the CRF labeller trained on the *other* articles' notes and entries only;
- ``hybrid``: ``polycorpus.citations.training.fit`` on the other articles (the CRF for the fields it
  wins leave-one-article-out among them, the rules for the rest) — what the stage ships.

``--anystyle FILE`` also scores the 145 Cyrillic references of AnyStyle's parser data (a benchmark,
never training data). Its segment labels map to CSL fields: author → author, date → year of
``issued``, title → title, journal and container-title → container-title, location →
publisher-place, publisher → publisher, volume → volume and issue (AnyStyle prints ``19 (1)`` as one
volume), pages → page, locator and number-of-pages (their numbers only), editor → editor, genre → genre, url → URL, translator →
translator; other labels (note, citation-number, edition, isbn, source) are not scored. Values are
compared as bags of word tokens (letters and digits, case folded), per field: P/R/F1 over tokens,
and a record is exact when every scored field's tokens agree. ``--build DIR`` scores a build's
citations.json per layout, in-text citations included; ``--end-to-end`` runs structure, notes, segment
and citations on corpus/raw here and scores that. ``--ship`` trains on all articles into
``src/polycorpus/data/citations/labeller*`` when the hybrid wins.

    python bench/citations.py [--anystyle ../shared/external/anystyle_cyrillic.jsonl] [--build corpus/build | --end-to-end]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from polycorpus.citations import CitationParser, parse_items
from polycorpus.citations.labeller import CrfLabeller, train
from polycorpus.citations.training import gold_records, load, fit
from polycorpus.evaluate.base import Counts
from polycorpus.evaluate.citations import FIELDS, CitationScores, score_citations
from polycorpus.formats import read_citations

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold"
RAW = ROOT / "corpus" / "raw"
SHIPPED = ROOT / "src" / "polycorpus" / "data" / "citations"


def articles() -> dict[str, list[tuple[Path, Path]]]:
    groups: dict[str, list[tuple[Path, Path]]] = {}
    for gold_dir in sorted(GOLD.iterdir()):
        if (gold_dir / "citations.json").exists():
            name = gold_dir.name[:-2] if gold_dir.name[-2:] in ("-a", "-b") else gold_dir.name
            groups.setdefault(name, []).append((RAW / f"{gold_dir.name}.txt", gold_dir))
    return groups


def score(records: list[dict], parser) -> CitationScores:
    base = [{k: r[k] for k in ("n", "raw") if k in r} for r in records]
    return score_citations(records, parse_items(base, parser))


def loao(groups: dict[str, list[tuple[Path, Path]]], workdir: Path) -> dict[str, dict[str, CitationScores]]:
    rules = CitationParser()
    out: dict[str, dict[str, CitationScores]] = {}
    for name, pairs in groups.items():
        held = gold_records(pairs)
        rest = [p for other, ps in groups.items() if other != name for p in ps]
        fold = workdir / name
        fold.mkdir(parents=True, exist_ok=True)
        train(((r["raw"], r) for r in gold_records(rest)), fold / "crf.crfsuite", rules)
        config = fit(rest, fold, seed=0)
        out[name] = {"rules": score(held, rules), "crf": score(held, CrfLabeller(fold / "crf.crfsuite", rules)),
                     "hybrid": score(held, load(config["citations"]["labeller"]))}
    return out


def print_loao(table: dict[str, dict[str, CitationScores]]) -> None:
    parsers = ("rules", "crf", "hybrid")
    print("== parser on the gold strings, leave-one-article-out (field F1: rules / crf / hybrid)")
    names = list(table)
    print(f"{'field':18}" + "".join(f"{n[:16]:>22}" for n in names))
    for field in FIELDS:
        cells = []
        for n in names:
            counts = [table[n][p].fields[field] for p in parsers]
            cells.append(" / ".join(f"{c.f1:.2f}" if c.tp + c.fp + c.fn else "  - " for c in counts))
        if any("-" != c.strip()[:1] for c in cells):
            print(f"{field:18}" + "".join(f"{c:>22}" for c in cells))
    for label, get in (("micro F1", lambda s: f"{s.micro.f1:.3f}"), ("exact", lambda s: f"{s.exact_accuracy:.3f}"),
                       ("back-refs", lambda s: f"{s.backref_correct}/{s.backref_total}")):
        print(f"{label:18}" + "".join(f"{' / '.join(get(table[n][p]) for p in parsers):>22}" for n in names))
    for p in parsers:
        total = Counts()
        for n in names:
            total += table[n][p].micro
        print(f"{p}: micro over articles P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f}")


# -- AnyStyle ------------------------------------------------------------------------------------
ANYSTYLE_FIELDS = {"author": ("author",), "date": ("year",), "title": ("title",), "journal": ("container-title",),
                   "container-title": ("container-title",), "location": ("publisher-place",),
                   "publisher": ("publisher",), "volume": ("volume", "issue"), "pages": ("page", "locator"),
                   "editor": ("editor",), "genre": ("genre",), "url": ("URL",), "translator": ("translator",)}
SCORED = sorted({f for fields in ANYSTYLE_FIELDS.values() for f in fields} - {"issue", "locator"} | {"volume", "page"})


def tokens(text: str, numbers: bool = False) -> Counter:
    """Word tokens; ``numbers``: only the numbers (pages and volumes, their cues ``С.``/``Т.`` left out)."""
    found = re.findall(r"[^\W_]+", text.casefold())
    return Counter(t for t in found if not numbers or re.fullmatch(r"\d+[a-zа-я]?|[ivxlc]+", t))


def predicted_tokens(record: dict, field: str) -> Counter:
    if field == "year":
        parts = (record.get("issued") or {}).get("date-parts") or [[]]
        return Counter([str(parts[0][0])]) if parts[0] else Counter()
    keys = {"volume": ("volume", "issue"), "page": ("page", "locator", "number-of-pages")}.get(field, (field,))
    out = Counter()
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            for person in value:
                out += tokens(" ".join(filter(None, (person.get("given"), person.get("family"), person.get("literal")))))
        elif value:
            out += tokens(str(value), numbers=field in ("page", "volume"))
    return out


def gold_tokens(reference: dict, field: str) -> Counter:
    out = Counter()
    for label, text in reference["segments"]:
        mapped = ANYSTYLE_FIELDS.get(label, ())
        if field in mapped or (field == "page" and label == "pages") or (field == "volume" and label == "volume"):
            out += tokens(text, numbers=field in ("page", "volume"))
    if field == "year":
        years = [t for t in out if re.fullmatch(r"1[5-9]\d\d|20\d\d", t)]
        return Counter(years[:1])
    return out


def anystyle(path: Path, parsers: dict) -> None:
    references = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"== AnyStyle Cyrillic, {len(references)} references (token bags per field; not used for training)")
    results = {}
    for name, parser in parsers.items():
        fields = {f: Counts() for f in SCORED}
        exact = 0
        for reference in references:
            record = parse_items([{"n": 1, "raw": reference["text"]}], parser)[0]
            ok = True
            for f in SCORED:
                g, p = gold_tokens(reference, f), predicted_tokens(record, f)
                tp = sum((g & p).values())
                counts = Counts(tp, sum(p.values()) - tp, sum(g.values()) - tp)
                fields[f] += counts
                ok &= not (counts.fp or counts.fn)
            exact += ok
        results[name] = (fields, exact)
    print(f"{'field':18}" + "".join(f"{n:>12}" for n in parsers))
    for f in SCORED:
        print(f"{f:18}" + "".join(f"{results[n][0][f].f1:>12.3f}" for n in parsers))
    micro = {n: Counts() for n in parsers}
    for n in parsers:
        for counts in results[n][0].values():
            micro[n] += counts
    print(f"{'micro F1':18}" + "".join(f"{micro[n].f1:>12.3f}" for n in parsers))
    print(f"{'exact':18}" + "".join(f"{results[n][1] / len(references):>12.3f}" for n in parsers))


def end_to_end(build: Path | None, labeller: str | None) -> None:
    """Score each layout's citations from a build folder, or (without one) from structure → notes →
    segment → citations run here on corpus/raw (``labeller``: the fitted parser; default the rules)."""
    from polycorpus.pipeline import process
    from polycorpus.sources import read_source

    print(f"== end to end, {build or 'structure+notes+segment+citations on corpus/raw'}")
    for gold_dir in sorted(GOLD.iterdir()):
        if not (gold_dir / "citations.json").exists():
            continue
        if build:
            found = build / gold_dir.name / "citations.json"
            if not found.exists():
                continue
            predicted = read_citations(found)
        else:
            config = {"citations": {"labeller": labeller}} if labeller else {}
            doc = process(read_source(RAW / f"{gold_dir.name}.txt"), ["structure", "notes", "segment", "citations"], config)
            predicted = doc.data.get("citations", [])
        s = score_citations(read_citations(gold_dir / "citations.json"), predicted)
        pin = s.pinpoints
        pins = f"  in-text F1 {pin.f1:.3f}" if pin.tp + pin.fp + pin.fn else ""
        print(f"{gold_dir.name:16} field F1 {s.micro.f1:.3f}  exact {s.exact_accuracy:.3f}  "
              f"back-refs {s.backref_correct}/{s.backref_total}{pins}")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--anystyle", type=Path, help="anystyle_cyrillic.jsonl")
    args.add_argument("--build", type=Path, help="a build folder to score end to end")
    args.add_argument("--end-to-end", action="store_true", help="run structure → citations on corpus/raw and score it")
    args.add_argument("--ship", action="store_true", help="train on all articles and ship the labeller")
    options = args.parse_args()
    groups = articles()
    with tempfile.TemporaryDirectory() as tmp:
        print_loao(loao(groups, Path(tmp)))
        everything = [p for ps in groups.values() for p in ps]
        config = fit(everything, Path(tmp) / "all", seed=0)
        spec = Path(config["citations"]["labeller"])
        print(f"trained on all articles: CRF fields {json.loads(spec.read_text())['crf_fields']}")
        if options.anystyle:
            anystyle(options.anystyle, {"rules": CitationParser(), "hybrid": load(spec)})
        if options.ship and not json.loads(spec.read_text())["crf_fields"]:
            print("not shipped: the CRF wins no field leave-one-article-out, the stage keeps the rules")
        elif options.ship:
            for made in (spec, spec.parent / json.loads(spec.read_text())["model"]):
                shutil.copy(made, SHIPPED / made.name)
            print(f"shipped {SHIPPED / spec.name}")
    if options.build or options.end_to_end:
        end_to_end(options.build, None)


if __name__ == "__main__":
    main()
