"""A CRF sequence labeller over footnote tokens (python-crfsuite), the learned alternative to the rules.

Tokens get one label each (AUTHOR, EDITOR, TRANSLATOR, TITLE, CONTAINER, GENRE, PLACE, EPLACE,
PUBLISHER, DATE, VOLUME, ISSUE, PAGES, SIZE, ARCHIVE, ARCHLOC, O) from features that include the same cue lists the rules use
and the rules' own parse (each field the rules read, projected back onto the tokens it came from,
as ``rule=TITLE`` on the token and its neighbours): the CRF learns where to trust the rules and
where the words say otherwise. The labelled spans become fields, and the rules' own helpers read
names, dates, pages, type and language from them. Training labels are the gold fields projected
back onto the raw footnote the same way.
It is measured leave-one-article-out (``bench/citations.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from . import names as nm
from .parser import CitationParser, Parsed, clean_pages

TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")
FIELD_LABELS = {"title": "TITLE", "container-title": "CONTAINER", "publisher-place": "PLACE", "event-place": "EPLACE",
                "publisher": "PUBLISHER", "archive": "ARCHIVE", "archive_location": "ARCHLOC", "genre": "GENRE"}
# a book's size: its number and the page cue after it ("245 s.", "320 с.")
SIZE = re.compile(r"(\d+)\s*(?:с|c|s|p|pp|S|стр|səh)\.?(?=\W|$)")
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def tokenize(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[^\W\d_]", lambda m: "X" if m.group().isupper() else "x", word)
    return re.sub(r"(.)\1+", r"\1\1", re.sub(r"\d", "d", shape))


def features(text: str, tokens: list[tuple[int, int, str]], parser: CitationParser) -> list[list[str]]:
    """crfsuite feature strings for each token of ``text``."""
    cues = parser.cues
    lists = {key: {w.lower() for cue in cues[key] for w in TOKEN.findall(cue)[:1]}
             for key in ("page", "places", "publisher", "conference", "document", "archive", "editor", "compiler",
                         "contributor", "in_container", "issue", "volume")}
    months = set(cues.months)
    base = []
    n = len(tokens)
    sentence = 0
    depth = quote = 0
    boundaries = [m.start() for m in re.finditer(r"(?<!\b\w)\.\s", text)]
    for i, (start, _, word) in enumerate(tokens):
        low = word.lower()
        before = sum(1 for b in boundaries if b < start)
        sentence = min(before, 4)
        after = min(len(boundaries) - before, 4)
        feats = [f"w={low}", f"shape={_shape(word)}", f"suf={low[-3:]}", f"pre={low[:3]}",
                 f"script={'cyr' if re.search('[а-яё]', low) else 'lat' if re.search('[a-zəğışöüç]', low) else 'o'}",
                 f"sent={sentence}", f"sent_end={after}", f"pos={5 * i // max(n, 1)}",
                 f"depth={min(depth, 1)}", f"quote={min(quote, 1)}"]
        if word.isdigit():
            feats.append("year" if re.fullmatch(r"1[5-9]\d\d|20\d\d", word) else f"num{min(len(word), 3)}")
        if low in months:
            feats.append("month")
        for key, words in lists.items():
            if low in words:
                feats.append(f"cue={key}")
        if len(word) == 1 and word.isupper() and i + 1 < n and tokens[i + 1][2] == ".":
            feats.append("initial")
        base.append(feats)
        if word in "([":
            depth += 1
        elif word in ")]":
            depth = max(0, depth - 1)
        elif word in "«“„":
            quote += 1
        elif word in "»”":
            quote = max(0, quote - 1)
    ruled = rule_labels(text, tokens, parser)
    out = []
    for i, feats in enumerate(base):
        row = list(feats) + [f"rule={ruled[i]}"]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                row += [f"{offset}:{f}" for f in base[j][:2]]
                if abs(offset) == 1:
                    row += [f"{offset}:{f}" for f in base[j][10:] if f.startswith(("cue", "month", "year", "initial"))]
                    row.append(f"{offset}:rule={ruled[j]}")
            else:
                row.append(f"{offset}:edge")
        out.append(row)
    return out


def rule_labels(text: str, tokens: list[tuple[int, int, str]], parser: CitationParser) -> list[str]:
    """The rules' parse of ``text`` as one label per token (``BACKREF`` for a back-reference)."""
    parsed = parser.parse(text)
    if parsed.backref:
        return ["BACKREF"] * len(tokens)
    return gold_labels(text, parsed.fields, tokens, parser)


def gold_labels(raw: str, record: dict[str, Any], tokens: list[tuple[int, int, str]], parser: CitationParser) -> list[str]:
    """Project a gold record's fields onto the tokens of its raw text (first match of each value)."""
    labels = ["O"] * len(tokens)
    taken: list[tuple[int, int]] = []

    def mark(start: int, end: int, label: str) -> None:
        for k, (s, e, _) in enumerate(tokens):
            if s >= start and e <= end and labels[k] == "O":
                labels[k] = label
        taken.append((start, end))

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    def find(value: str, label: str, from_: int = 0) -> None:
        pos = raw.find(value, from_)
        while pos >= 0 and not free(pos, pos + len(value)):
            pos = raw.find(value, pos + 1)
        if pos >= 0:
            mark(pos, pos + len(value), label)

    for key, label in FIELD_LABELS.items():
        if record.get(key):
            find(record[key], label)
    title_start = raw.find(record.get("title", "\0"))
    for role, label in (("author", "AUTHOR"), ("editor", "EDITOR"), ("translator", "TRANSLATOR")):
        for person in record.get(role, []):
            for part in (person.get("given"), person.get("family")):
                if part:
                    limit = title_start if role == "author" and title_start > 0 else len(raw)
                    pos = raw.find(part)
                    if 0 <= pos < limit and free(pos, pos + len(part)):
                        mark(pos, pos + len(part), label)
    for m in SIZE.finditer(raw):
        if record.get("number-of-pages") == m.group(1) and free(m.start(), m.end()):
            mark(m.start(), m.end(), "SIZE")
    for m in parser.re_volume.finditer(raw):
        if record.get("volume") == m.group(1) and free(m.start(), m.end()):
            mark(m.start(), m.end(), "VOLUME")
    for m in parser.re_page.finditer(raw):
        if free(m.start(), m.end()):
            mark(m.start(), m.end(), "PAGES")
    for m in parser.re_issue.finditer(raw):
        if record.get("issue") and free(m.start(), m.end()):
            mark(m.start(), m.end(), "ISSUE")
    for pattern in (parser.re_ydm, parser.re_ymd, parser.re_num, parser.re_dmy, parser.re_my, parser.re_year):
        for key in ("issued", "container-issued"):
            parts = (record.get(key) or {}).get("date-parts") or [[]]
            if not parts[0]:
                continue
            for m in pattern.finditer(raw):
                if str(parts[0][0]) in m.group(0) and free(m.start(), m.end()):
                    mark(m.start(), m.end(), "DATE")
    return labels


def train(examples: Iterable[tuple[str, dict[str, Any]]], path: str | Path, parser: CitationParser | None = None) -> None:
    """Train a model on ``(raw, gold record)`` pairs and write it to ``path``."""
    import pycrfsuite

    parser = parser or CitationParser()
    trainer = pycrfsuite.Trainer(verbose=False)
    for raw, record in examples:
        toks = tokenize(raw)
        trainer.append(features(raw, toks, parser), gold_labels(raw, record, toks, parser))
    trainer.set_params(PARAMS)
    trainer.train(str(path))


class CrfLabeller:
    """Parses reference strings with a trained CRF; back-references, type and language come from the rules."""

    def __init__(self, model_path: str | Path, parser: CitationParser | None = None) -> None:
        import pycrfsuite

        self.parser = parser or CitationParser()
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        self.version = f"crf-{Path(model_path).stem}"

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        toks = tokenize(text)
        labels = self.tagger.tag(features(text, toks, self.parser)) if toks else []
        out: list[tuple[str, int, int]] = []
        for (start, end, _), label in zip(toks, labels):
            if out and out[-1][0] == label:
                out[-1] = (label, out[-1][1], end)
            else:
                out.append((label, start, end))
        return [s for s in out if s[0] != "O"]

    def parse(self, text: str) -> Parsed:
        from .parser import squash

        text = squash(text)
        backref = self.parser.parse(text)
        if backref.backref:
            return backref
        f: dict[str, Any] = {}
        for label, start, end in self.spans(text):
            value = text[start:end].strip(" .,;:")
            if label in ("AUTHOR", "EDITOR", "TRANSLATOR"):
                people = _names(value, self.parser.stop_words)
                f.setdefault(label.lower(), []).extend(people)
            elif label == "SIZE":
                f.setdefault("number-of-pages", re.match(r"\d+", value).group())
            elif label == "VOLUME":
                m = re.search(r"\d+|[IVXLC]+", value)
                if m:
                    f.setdefault("volume", m.group())
            elif label == "DATE":
                self._date(value, f)
            elif label == "PAGES":
                m = re.search(r"\d+(?:\s*[-–—]\s*\d+)?", value)
                if m:
                    f["_pages"] = clean_pages(m.group())
            elif label == "ISSUE":
                m = re.search(r"\d+", value)
                if m:
                    f["issue"] = m.group()
            else:
                key = {v: k for k, v in FIELD_LABELS.items()}[label]
                f.setdefault(key, value)
        pages = f.pop("_pages", None)
        if pages:
            self.parser.place_pages(pages, f)
        f["type"] = self.parser.classify(f)
        self.parser.letter_names(f)
        lang = self.parser.language(f)
        if lang:
            f["language"] = lang
        return Parsed(f)

    def _date(self, value: str, f: dict[str, Any]) -> None:
        p = self.parser
        for pattern in (p.re_ydm, p.re_ymd, p.re_num, p.re_dmy, p.re_my):
            m = pattern.search(value)
            if m:
                f.setdefault("issued", {"date-parts": [p.date_parts(m)]})
                return
        m = p.re_year.search(value)
        if m:
            key = "container-issued" if "issued" in f else "issued"
            f[key] = {"date-parts": [[int(m.group(1))]]}


def _names(text: str, stop_words: frozenset[str]) -> list[dict[str, str]]:
    people, pos = [], 0
    while pos < len(text):
        found = nm.match_name(text + ".", pos, stop_words, single=not people)
        if not found:
            break
        people.append(found[0])
        joiner = nm.JOINER.match(text, found[1])
        if not joiner:
            break
        pos = joiner.end()
    if not people and text:
        words = text.split()
        people.append(nm.name(words[-1], " ".join(words[:-1])))
    return people
