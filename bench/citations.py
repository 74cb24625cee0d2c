"""Citation parsing leave-one-article-out, on gold strings and end to end, and on AnyStyle's Cyrillic references.

One run prints four tables and a signature:

1. **gold strings, leave-one-article-out**: for each development article (both layouts print the
   same notes, so one is read) the parsers run on the gold's raw footnotes or list entries, so the
   figure does not depend on structure recovery: field F1 per field, micro P/R/F1, exact records,
   back-references.
2. **end to end, leave-one-article-out**: each layout is taken through structure, notes and
   segment, then the citations stage with each parser, and scored against its gold (in-text
   citations and their pinpoints included).
3. **AnyStyle Cyrillic** (a benchmark, never training data), with the parts fitted on all articles.
4. the CRF's and the combination's per-field choice on all articles (what ``--ship`` would ship).

The parsers, refitted on the *other* articles for every fold:

- ``rules``: the cue-word grammar (no training). The rules were written reading the development
  footnotes, so on them this is a development figure, not a held-out one; AnyStyle is held out;
- ``crf``: the CRF labeller (:mod:`polycorpus.citations.labeller`, the rules' parse among its
  features) trained on the other articles' notes and entries;
- ``hybrid``: what ``polycorpus.citations.training.fit`` returns for the other articles — per field,
  the CRF or the rules, whichever wins leave-one-article-out among those articles.

AnyStyle's segment labels map to CSL fields: author → author, date → year of ``issued``, title →
title, journal and container-title → container-title, location → publisher-place, publisher →
publisher, volume → volume and issue (AnyStyle prints ``19 (1)`` as one volume), pages → page,
locator and number-of-pages (their numbers only), editor → editor, genre → genre, url → URL,
translator → translator; other labels (note, citation-number, edition, isbn, source) are not
scored. Values are compared as bags of word tokens (letters and digits, case folded), per field:
P/R/F1 over tokens, and a record is exact when every scored field's tokens agree.

    python bench/citations.py [--gold ../shared/gold] [--raw ../shared/corpus]
                              [--anystyle ../shared/external/anystyle_cyrillic.jsonl] [--ship]
    python bench/citations.py --audit    # the cues printed in one development article's notes only
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from polycorpus.citations import CitationParser, parse_items
from polycorpus.citations.labeller import PARAMS
from polycorpus.citations.stage import citations_stage
from polycorpus.citations.training import gold_records, fit
from polycorpus.evaluate.base import Counts, Signature, file_hash
from polycorpus.evaluate.citations import FIELDS, CitationScores, score_citations
from polycorpus.formats import read_citations

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT / ".." / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT / ".." / "shared")
SHIPPED = ROOT / "src" / "polycorpus" / "data" / "citations"
PARSERS = ("rules", "crf", "hybrid")


def articles(gold: Path, raw: Path) -> dict[str, list[tuple[Path, Path]]]:
    """Article -> its (raw file, gold folder) pairs; both layouts of an article are one article."""
    groups: dict[str, list[tuple[Path, Path]]] = {}
    for gold_dir in sorted(p for p in gold.iterdir() if (p / "citations.json").exists()):
        source = raw / f"{gold_dir.name}.txt"
        if source.exists():
            groups.setdefault(re.sub(r"-[a-z]$", "", gold_dir.name), []).append((source, gold_dir))
    return groups


def stage_configs(config: dict) -> dict[str, dict]:
    """The citations stage's settings for each parser, from what ``fit`` returned."""
    settings = config["citations"]
    model = str(Path(settings["labeller"]).parent / "labeller.crfsuite")
    return {"rules": {}, "crf": {"backend": "crf", "model": model}, "hybrid": settings}


def on_strings(records: list[dict], settings: dict) -> CitationScores:
    from polycorpus.citations.stage import make_parser

    base = [{k: r[k] for k in ("n", "raw") if k in r} for r in records]
    return score_citations(records, parse_items(base, make_parser(**settings)))


def before_citations(source: Path):
    """The layout taken through structure, notes and segment (the citations stage's input)."""
    from polycorpus.pipeline import process
    from polycorpus.sources import read_source

    return process(read_source(source), ["structure", "notes", "segment"], {})


def end_to_end(doc, gold_dir: Path, settings: dict) -> CitationScores:
    doc = copy.copy(doc)
    doc.data = copy.deepcopy(doc.data)
    doc.meta = copy.deepcopy(doc.meta)
    citations_stage(doc, **settings)
    return score_citations(read_citations(gold_dir / "citations.json"), doc.data["citations"])


def loao(groups: dict[str, list[tuple[Path, Path]]], workdir: Path) -> tuple[dict, dict]:
    """Per article (gold strings) and per layout (end to end): parser -> scores, every part fitted without it."""
    strings: dict[str, dict[str, CitationScores]] = {}
    builds: dict[str, dict[str, CitationScores]] = {}
    for name, pairs in groups.items():
        started = time.perf_counter()
        rest = [p for other, ps in groups.items() if other != name for p in ps]
        configs = stage_configs(fit(rest, workdir / name, seed=0))
        held = gold_records(pairs)
        strings[name] = {p: on_strings(held, configs[p]) for p in PARSERS}
        for source, gold_dir in pairs:
            doc = before_citations(source)
            builds[gold_dir.name] = {p: end_to_end(doc, gold_dir, configs[p]) for p in PARSERS}
        print(f"  fold {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return strings, builds


def cell(values: list[str], width: int = 23) -> str:
    return f"{' / '.join(values):>{width}}"


def print_fields(table: dict[str, dict[str, CitationScores]]) -> None:
    names = list(table)
    print(f"{'field':18}" + "".join(f"{n[:21]:>23}" for n in names))
    for field in FIELDS:
        cells = []
        for n in names:
            counts = [table[n][p].fields[field] for p in PARSERS]
            cells.append([f"{c.f1:.2f}" if c.tp + c.fp + c.fn else "-" for c in counts])
        if any(v != "-" for c in cells for v in c):
            print(f"{field:18}" + "".join(cell(c) for c in cells))


def print_summary(table: dict[str, dict[str, CitationScores]], in_text: bool = False) -> None:
    rows = [("micro P", lambda s: f"{s.micro.precision:.3f}"), ("micro R", lambda s: f"{s.micro.recall:.3f}"),
            ("micro F1", lambda s: f"{s.micro.f1:.3f}"), ("exact", lambda s: f"{s.exact_accuracy:.3f}"),
            ("back-refs", lambda s: f"{s.backref_correct}/{s.backref_total}")]
    if in_text:
        rows.append(("in-text F1", lambda s: f"{s.pinpoints.f1:.3f}" if s.pinpoints.tp + s.pinpoints.fn else "-"))
    names = list(table)
    print(f"{'':18}" + "".join(f"{n[:21]:>23}" for n in names) + f"{'all':>26}")
    for label, get in rows:
        totals = {}
        for p in PARSERS:
            total = CitationScores()
            for n in names:
                total += table[n][p]
            totals[p] = get(total)
        print(f"{label:18}" + "".join(cell([get(table[n][p]) for p in PARSERS]) for n in names)
              + cell([totals[p] for p in PARSERS], 26))


# -- AnyStyle ------------------------------------------------------------------------------------
ANYSTYLE_FIELDS = {"author": ("author",), "date": ("year",), "title": ("title",), "journal": ("container-title",),
                   "container-title": ("container-title",), "location": ("publisher-place",),
                   "publisher": ("publisher",), "volume": ("volume",), "pages": ("page",),
                   "editor": ("editor",), "genre": ("genre",), "url": ("URL",), "translator": ("translator",)}
SCORED = sorted({f for fields in ANYSTYLE_FIELDS.values() for f in fields})
# the CSL fields a scored AnyStyle field is compared with
PREDICTED_AS = {"volume": ("volume", "issue"), "page": ("page", "locator", "number-of-pages")}


def tokens(text: str, numbers: bool = False) -> Counter:
    """Word tokens; ``numbers``: only the numbers (pages and volumes, their cues ``С.``/``Т.`` left out)."""
    found = re.findall(r"[^\W_]+", text.casefold())
    return Counter(t for t in found if not numbers or re.fullmatch(r"\d+[a-zа-я]?|[ivxlc]+", t))


def predicted_tokens(record: dict, field: str) -> Counter:
    if field == "year":
        parts = (record.get("issued") or {}).get("date-parts") or [[]]
        return Counter([str(parts[0][0])]) if parts[0] else Counter()
    out = Counter()
    for key in PREDICTED_AS.get(field, (field,)):
        value = record.get(key)
        if isinstance(value, list):
            for person in value:
                out += tokens(" ".join(filter(None, (person.get("given"), person.get("family"), person.get("literal")))))
        elif value:
            out += tokens(str(value), numbers=field in PREDICTED_AS)
    return out


def gold_tokens(reference: dict, field: str) -> Counter:
    out = Counter()
    for label, text in reference["segments"]:
        if field in ANYSTYLE_FIELDS.get(label, ()):
            out += tokens(text, numbers=field in PREDICTED_AS)
    if field == "year":
        years = [t for t in out if re.fullmatch(r"1[5-9]\d\d|20\d\d", t)]
        return Counter(years[:1])
    return out


def anystyle(path: Path, configs: dict[str, dict]) -> None:
    from polycorpus.citations.stage import make_parser

    references = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"== AnyStyle Cyrillic, {len(references)} references (token bags per field; fitted on all articles)")
    results = {}
    for name, settings in configs.items():
        parser = make_parser(**settings)
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
    print(f"{'field':18}" + "".join(f"{n:>10}" for n in configs))
    for f in SCORED:
        print(f"{f:18}" + "".join(f"{results[n][0][f].f1:>10.3f}" for n in configs))
    micro = {n: Counts() for n in configs}
    for n in configs:
        for counts in results[n][0].values():
            micro[n] += counts
    for label, get in (("micro P", lambda c: c.precision), ("micro R", lambda c: c.recall), ("micro F1", lambda c: c.f1)):
        print(f"{label:18}" + "".join(f"{get(micro[n]):>10.3f}" for n in configs))
    print(f"{'exact':18}" + "".join(f"{results[n][1] / len(references):>10.3f}" for n in configs))


def audit(groups: dict[str, list[tuple[Path, Path]]]) -> None:
    """Every cue of ``data/citations``: in how many development articles' notes and entries it is printed.

    A cue printed in one article only is checked by hand: it stays when it is a word of the
    language or the tradition (a month, a role, ``Ф.``), and goes or is generalised when it names
    one work, publisher or institution that footnote happened to print.
    """
    import importlib.resources

    notes = {name: [r["raw"] for r in gold_records(pairs)] for name, pairs in groups.items()}
    folder = importlib.resources.files("polycorpus") / "data" / "citations"
    print("== cue audit: cues printed in the notes of one development article only (list, cue, notes)")
    unseen = total = 0
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json") or path.name.startswith("labeller"):
            continue
        for key, values in json.loads(path.read_text(encoding="utf-8")).items():
            if not isinstance(values, (list, dict)):
                continue
            for cue in values:
                end = r"(?!\w)" if cue[-1:].isalnum() else ""
                pattern = re.compile(rf"(?<!\w){re.escape(cue)}{end}", re.I if key == "months" else 0)
                found = {n: sum(1 for raw in raws if pattern.search(raw)) for n, raws in notes.items()}
                found = {n: k for n, k in found.items() if k}
                total += 1
                unseen += not found
                if len(found) == 1:
                    print(f"  {path.stem}.{key:14} {cue!r:28} {found}")
    print(f"  {total} cues, {unseen} printed in no development note (from the tradition, not the articles)")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--gold", type=Path, default=SHARED / "gold", help="gold folder, one subfolder per layout")
    args.add_argument("--raw", type=Path, default=SHARED / "corpus", help="the layouts' raw articles (<name>.txt)")
    args.add_argument("--anystyle", type=Path, default=SHARED / "external" / "anystyle_cyrillic.jsonl")
    args.add_argument("--ship", action="store_true", help="ship the fit on all articles when the CRF wins a field")
    args.add_argument("--audit", action="store_true", help="only list the cues printed in one article's notes")
    options = args.parse_args()
    groups = articles(options.gold, options.raw)
    if not groups:
        sys.exit(f"{options.gold}: no gold citations.json with a raw article in {options.raw}")
    if options.audit:
        return audit(groups)
    with tempfile.TemporaryDirectory() as tmp:
        strings, builds = loao(groups, Path(tmp))
        print("== gold strings, leave-one-article-out (field F1: rules / crf / hybrid)")
        print_fields(strings)
        print_summary(strings)
        print("== end to end (structure, notes, segment, citations), leave-one-article-out (rules / crf / hybrid)")
        print_summary(builds, in_text=True)
        config = fit([p for ps in groups.values() for p in ps], Path(tmp) / "all", seed=0)
        spec = json.loads(Path(config["citations"]["labeller"]).read_text(encoding="utf-8"))
        if options.anystyle.exists():
            anystyle(options.anystyle, stage_configs(config))
        print(f"fitted on all articles: the CRF for {config['citations']['crf_fields'] or 'no field'}; "
              f"margins (crf - rules, tp-fp-fn) {spec['margins']}; articles won by the CRF {spec['wins']}")
        if options.ship and not config["citations"]["crf_fields"]:
            print("not shipped: the CRF wins no field leave-one-article-out, the stage keeps the rules")
        elif options.ship:
            for made in ("labeller.json", spec["model"]):
                shutil.copy(Path(config["citations"]["labeller"]).parent / made, SHIPPED / made)
            print(f"shipped {SHIPPED / 'labeller.json'}")
    rules = CitationParser()
    print(Signature("CITATIONS", {
        "gold": "+".join(f"{d.name}@{file_hash(d / 'citations.json')}" for ps in groups.values() for _, d in ps),
        "anystyle": file_hash(options.anystyle) if options.anystyle.exists() else None,
        "protocol": "loao-article", "parsers": "+".join(PARSERS), "rules": rules.version, "cues": rules.cues.version,
        "crf": "c1={c1},c2={c2},it={max_iterations}".format(**PARAMS), "seed": 0,
        "norm": "ws+hyphen+quotes"}).format())


if __name__ == "__main__":
    main()
