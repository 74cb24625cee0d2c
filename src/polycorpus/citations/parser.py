"""One reference string → one CSL-JSON record, by the cue words of its tradition.

The reading order is the same in every tradition we meet (GOST, Azerbaijani, Turkish, Chicago-like
English): ``[authors]. title[. container][. editors][. place[: publisher]], year[, issue], pages``.
The parser peels that from both ends: back-reference cues first, then the pinpoint and whatever
follows it (an archive in parentheses, a second reference), archive locations, editors, dates,
the imprint, and finally splits what is left into title and container by the container cues
(``//``, ``In:``, ``к книге:``, conference words, an issue number or a newspaper date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..langid import detector
from . import names as nm
from .cues import QUOTES, Cues, load_cues

# Latin-script reference languages lingua chooses among (Azerbaijani is told by its ə first).
LATIN_REFERENCE_LANGUAGES = ("en", "tr", "de", "fr", "sv", "pl", "it", "es")

YEAR = r"(?<![\d./–-])(1[5-9]\d\d|20\d\d)(?![\d–-])"
# fields whose presence makes a text a reference rather than a comment
BIBLIOGRAPHIC = {"author", "editor", "container-title", "publisher", "publisher-place", "issued", "volume", "issue",
                 "archive", "archive_location"}
DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-"})
LETTERS = r"A-Za-zÀ-ÿА-Яа-яЁёƏəĞğİıŞş"
# ". " ends a bibliographic sentence unless it ends an initial or the next word is lower-case (an abbreviation)
# (a lower-case one-letter word before the period is an abbreviation such as "в.", "г.", and does end one)
SENTENCE_END = re.compile(r"(?<!\b[^\W\d_a-zа-яёəğışöüç])\.\s+(?=[^\sa-zа-яёəğışöüçß])")
# the statement of a thesis or its abstract: ru "дис. … канд. ист. наук", "автореф. дисс.", "АКД"; az
# "dis. … tarix üzrə fəlsəfə doktoru", "tarix üzrə fəlsəfə doktoru dis. … avtoreferatı", "avtoref."; en "PhD thesis"
THESIS = re.compile(r"[:/.]?\s*((?:[Аа]втореф(?:ерат)?\.?\s*)?(?:[Дд]исс?(?:ертации|ертация)?\.)\s*(?:…|\.\.\.)?\s*"
                    r"(?:на соискание\s+\S+\s+\S+\s+)?(?:канд|д-ра|докт?)\.?[^.]*?(?:\.\s*[^\W\d]+){0,3}\.?\s*наук\.?"
                    r"|[Aa]vtoref(?:erat)?\.?(?:\s*dis\.)?[^.,]*|[Dd]is\.\s*(?:…|\.\.\.)\s*[^,]*?(?:doktoru|nam\.|dok\.)"
                    r"|(?:[^\W\d]+\s+üzrə\s+)?(?:fəlsəfə|elmlər)\s+doktoru[^.:;]*?\s(?:dis(?:sertasiya(?:sı)?|\.))"
                    r"\s*(?:…|\.\.\.)?\s*(?:avtoreferatı)?"
                    r"|АКД|АДД|Ph\.?\s?D\.?\s+(?:thesis|dissertation)|(?:Doctoral|Master's)\s+(?:thesis|dissertation))")
SERIES = re.compile(r"(?i)(?<!\w)(?:сер(?:ия|\.)|seriya|seriyası|series|serisi)(?!\w)")
# "in N volumes", printed after the title: "В 6 т.", "в 3-х томах", "Altı cilddə", "in 3 vols."
IN_VOLUMES = re.compile(r"(?<=\.)\s+((?:[Вв]\s+\d+(?:-х)?\s+(?:т\.|томах)|[^\W\d]+\s+cilddə|[Ii]n\s+\w+\s+vol(?:s?\.|umes)))\.?(?=\s|$)")
# GOST separates the areas of a description by ". – " (also printed ".-", ". - ", "–" after a bracket)
GOST_AREA = re.compile(r"(?<=[.\])])\s*[–—-]\s*(?=[^\s–—-])")


@dataclass
class Parsed:
    """A parsed reference: the CSL fields, the back-reference kind, and the references printed after it."""

    fields: dict[str, Any] = field(default_factory=dict)
    backref: str | None = None  # "ibid" or "op-cit"
    extra: list[dict[str, Any]] = field(default_factory=list)


class CitationParser:
    """Parses reference strings; holds the cue lists and a lazily built language detector."""

    version = "rules-3"

    def __init__(self, cues: Cues | None = None) -> None:
        self.cues = cues or load_cues()
        c = self.cues
        # words that are never part of a personal name: genre, place, publisher words, articles
        self.stop_words = frozenset(
            [w for key in ("document", "letter", "places", "publisher", "conference", "archive") for w in c[key] if " " not in w]
            + [w.capitalize() for w in c["words"]])
        months = "|".join(re.escape(m) for m in sorted(c.months, key=len, reverse=True))
        self.re_dmy = re.compile(rf"(?<![\d.])(\d{{1,2}})\s+({months})\.?,?\s+(\d{{4}})(?![\d-])(?:\s*г\.)?", re.I)
        self.re_my = re.compile(rf"(?<![\w])({months})\s+(\d{{4}})(?![\d-])(?:\s*г\.)?", re.I)
        self.re_num = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d-])(?:\s*г\.)?")
        self.re_ydm = re.compile(rf"{YEAR}[,.]\s*(\d{{1,2}})\s+({months})\b\.?", re.I)
        self.re_ymd = re.compile(rf"{YEAR},\s*({months})\s+(\d{{1,2}})\b", re.I)
        self.re_year = re.compile(YEAR)
        pages = "|".join(re.escape(p) for p in c["page"])
        self.re_page = re.compile(rf"(?<![{LETTERS}])({pages})\.\s*(\d+[a-zа-я]?(?:\s*[-–—]\s*\d+[a-zа-я]?)?)(?!\d)")
        self.re_issue = re.compile(rf"(?<![\w])(?:{_alternatives(c['issue'], touch=True)})\s*(\d+(?:[-–/]\d+)?)")
        numbered = "|".join(re.escape(c.rstrip(".")) for c in c["issue"] + c["volume"] + c["page"])
        self.re_numbered = re.compile(rf"(?<![^\W\d_])(?:{numbered})\.?\s*$", re.I)
        self.re_volume = re.compile(rf"(?<![\w])(?:{_alternatives(c['volume'])})\s*(\d+|[IVXLC]+)\b")
        # an archive location starts with a fond number followed by the next key: "Ф.3, оп.3", "f.276, siy.9"
        self.re_archive_loc = re.compile(rf"(?<![\w])(?:{_alternatives(c['archive_fond'])})\.?\s*(?:[A-ZА-Я]?-?\d+[а-яa-z]?|[A-ZА-Я]{{2,6}})"
                                         rf"\s*[,.;]\s*(?:{_alternatives(c['archive_keys'])})(?![^\W\d])")
        # the folio or sheet cited at the end of an archive location is its locator ("л.15-16", "v.18")
        self.re_folio = re.compile(rf"[,.;]\s*(?:{_alternatives(c['archive_folio'])})\.\s*(\d+[a-zа-я]?(?:\s*[-–]\s*\d+[a-zа-я]?)?)\s*$")
        # abbreviated places without their final dot, as a sentence split leaves them (М, СПб)
        self.place_stems = frozenset(p[:-1] for p in c["places"] if p.endswith("."))
        self.honorifics = frozenset(w.lower() for w in c["honorifics"])
        # a role in brackets after the names it follows: "(ed.)", "(eds.)", "(сост.)", "(Hrsg.)"
        self.re_role_bracket = {
            key: re.compile(r"\(\s*(?:{})\s*\)".format("|".join(re.escape(w) for w in sorted(
                {cue.strip("()") for cue in c[key] if " " not in cue.strip("()")}, key=len, reverse=True))))
            for key in ("compiler", "editor")}
        self.backrefs = [(cue, "ibid") for cue in c["ibid"]] + [(cue, "op-cit") for cue in c["op_cit"]]
        self.backrefs.sort(key=lambda pair: -len(pair[0]))

    # -- entry points --------------------------------------------------------------------------
    def parse(self, text: str) -> Parsed:
        """Parse one footnote or reference-list entry (several references are split at ``;``)."""
        text = squash(text)
        # the printed number of a reference-list entry ("3. ", "[3] ") is not part of the reference
        text = re.sub(r"^\[?\d{1,3}[.\])]\s+(?=\D)", "", text)
        text = GOST_AREA.sub(" ", text)
        pinpoint = re.fullmatch(r"\[?(\d+)\s*[,:]\s*(?:[A-Za-zА-Яа-я]{1,3}\.)?\s*(\d+(?:\s*[-–]\s*\d+)?)\]?\.?", text)
        if pinpoint:
            return Parsed({"locator": pinpoint.group(2).translate(DASHES).replace(" ", ""),
                           "refers_to": int(pinpoint.group(1))}, backref="list")
        backref = self._backref(text)
        if backref:
            return backref
        parts = self._references(text)
        first = self._parse_chain(parts[0] if parts else text)
        for part in parts[1:]:
            more = self._parse_chain(part)
            first.extra.append(more.fields)
            first.extra.extend(more.extra)
        return first

    def _parse_chain(self, text: str) -> Parsed:
        """One reference and the references its pinpoint is followed by, each in ``extra``.

        Each reference is parsed on its own text, up to where the next one starts after its
        pinpoint, and in a loop, not recursively: a run-away note of thousands of references
        costs its length, not its length squared."""
        first: Parsed | None = None
        while text:
            pages, _ = self._pages(text)
            following = self._after_pages(text, pages.end())[1] if pages else None
            current = self._parse_one(text[:following[0]] if following else text)
            if first is None:
                first = current
            else:
                first.extra.append(current.fields)
            text = text[following[0]:following[1]] if following else ""
        return first or self._parse_one(text)

    def _references(self, text: str) -> list[str]:
        """The references of a footnote, split at ``;`` where the part before is a whole reference
        (it has a year or a page; ``Smith J.; Brown A. Title…`` is one reference with two authors)."""
        parts: list[str] = []
        pending = ""
        pieces = split_top_level(text, ";")
        for k, part in enumerate(pieces):
            pending = f"{pending};{part}" if pending else part
            # "London; New York: Routledge", "Library; Oxford: Ronald": a place and its colon start no reference
            imprint = k + 1 < len(pieces) and re.match(r"\s*([^.,:;]{1,30}):\s", pieces[k + 1])
            if imprint and self._place_like(imprint.group(1)):
                continue
            if self.re_year.search(pending) or self.re_page.search(pending) or len(pending) > 60:
                parts.append(pending)
                pending = ""
        if pending.strip(" ."):
            if parts:
                parts[-1] += ";" + pending
            else:
                parts.append(pending)
        return [p for p in parts if p.strip(" .")]

    # -- back references -----------------------------------------------------------------------
    def _backref(self, text: str) -> Parsed | None:
        for cue, kind in self.backrefs:
            m = re.search(rf"(?<![\w]){re.escape(cue)}(?![\w])", text, flags=re.I if cue[0].isupper() else 0)
            if not m:
                continue
            fields: dict[str, Any] = {}
            prefix = text[:m.start()].strip(" ,;:")
            if len(prefix) > 80:  # the cue of a later reference in the footnote, not of this one
                return None
            if prefix:
                authors, _ = nm.leading_names(prefix, self.stop_words, need_rest=False)
                if not authors and re.fullmatch(nm.WORD, prefix.rstrip(".")):
                    authors = [nm.name(prefix.rstrip("."))]
                if authors:
                    fields["author"] = authors
            page = self.re_page.search(text, m.end())
            folio = self.re_folio.search(text.rstrip(". "), m.end())
            bare = re.fullmatch(r"[.,:\s]*(\d+(?:\s*[-–]\s*\d+)?)\.?", text[m.end():].strip())
            if page:
                fields["locator"] = clean_pages(page.group(2))
            elif folio:
                fields["locator"] = clean_pages(folio.group(1))
            elif bare:  # Chicago: "Ibid., 113."
                fields["locator"] = clean_pages(bare.group(1))
            return Parsed(fields, backref=kind)
        return None

    # -- one reference -------------------------------------------------------------------------
    def _parse_one(self, text: str) -> Parsed:
        out = Parsed()
        f = out.fields
        text = self._see(text.strip(" ;"), f)
        text = self._web(text, f)
        # GOST's general material designation says what the item is, not what it is called
        text = re.sub(r"\s*\[\s*(?:Текст|Text|Электронный ресурс|Electronic resource|Мәтн|Mətn)\s*\]", "", text)
        text = self._identifiers(text, f)
        text, stated = self._language_note(text)
        text = self._series(text, f)
        text = self._thesis(text, f)
        text = self._chicago_imprint(text)
        text = self._short_note(text)
        text = self._chicago_journal(text, f)
        text = self._journal_numbers(text, f)
        pages, volume = self._pages(text)
        cut = len(text)
        if volume:
            f["volume"] = volume.group(2)
        if pages:
            cut = (volume or pages).start()
            archive, _ = self._after_pages(text, pages.end())
            if archive:
                f["archive"] = archive
        # GOST extent of a whole book ("350 с.") is not a pinpoint
        head = text[:cut].rstrip(" .,")
        extent = re.search(r"[.,]\s*(\d+)\s*(?:с|c|s|p|pp|S|стр|səh)\.?$", head)
        if extent:
            f["number-of-pages"] = extent.group(1)
            head = head[:extent.start()]
        loc = self.re_archive_loc.search(head) or self._named_archive(head)
        if loc:
            location = head[loc.start():].strip(" .,;")
            folio = self.re_folio.search(location)
            if folio:
                f.setdefault("locator", clean_pages(folio.group(1)))
                location = location[:folio.start()]
            f["archive_location"] = location.strip(" .,;")
            head = head[:loc.start()].rstrip(" :,.;")
            sentences = split_sentences(head)
            if sentences:  # (a location alone, "f.17, siy.1, iş 58.", names no archive)
                # a parenthesised abbreviation after the archive's name repeats it: "(РГАДА)"
                f["archive"] = re.sub(r"\s*\([A-ZА-ЯƏÜÖĞŞÇİ]{2,8}\)$", "", sentences[-1])
                head = head[: len(head) - len(sentences[-1])]
        authors, start = (nm.titled_author(head, self.honorifics) or nm.western_author(head)
                          or nm.leading_names(head, self.stop_words))
        # "А.М.Топчибаши и М.Э.Расулзаде: Переписка … Сост. С.Исхаков": a compiled edition whose
        # title names its subjects; they are not its authors
        if authors and head[:start].rstrip().endswith(":") and any(self._cue(head, c) for c in self.cues["compiler"]):
            authors, start = [], 0
        for key, pattern in self.re_role_bracket.items():
            role = pattern.match(head, start) if authors else None
            if role:  # "Иванов И.И. (сост.) Документы…": the names are the editors
                f["editor"] = [dict(p, role="compiler") if key == "compiler" else p for p in authors]
                authors, start = [], role.end()
                break
        if authors:
            f["author"] = authors
        body = head[start:]
        # author–date order (Harvard, APA, the AnyStyle lists): "Крейчова, Елена. 2013. Title…"
        # (Harvard prints the bracketed year with no stop after it: "Smith, J. (2010) 'Title'")
        dated = re.match(rf"\({YEAR}[a-zа-я]?\)[.,:]?\s+|{YEAR}[a-zа-я]?[.,:]\s+", body) if authors else None
        if dated:
            f["issued"] = {"date-parts": [[int(dated.group(1) or dated.group(2))]]}
            f["_author_date"] = True
            body = body[dated.end():]
        body = self._edition(body, f)
        body = self._editors(body, f)
        body = self._responsibility(body, f)
        body = self._volume_statement(body, f)
        genre = re.search(rf":\s*({_alternatives(self.cues['genre'])})\s*(?=[/.]|$)", body, re.I)
        if genre:  # "Title: məqalələr toplusu", "Title: сборник статей"
            f["genre"] = genre.group(1)
            body = body[:genre.start()] + body[genre.end():]
        in_volumes = IN_VOLUMES.search(body)
        if in_volumes:  # "В 6 т.", "Altı cilddə": a part of the title (GUIDELINES), not a volume
            body = body[:in_volumes.start()] + body[in_volumes.end():]
        body = self._strip_undated(body, f)
        self._body(body, f, pages is not None)
        if in_volumes and "title" in f:
            f["title"] = f"{f['title'].rstrip(' .')}. {in_volumes.group(1)}"
        if pages:
            self.place_pages(clean_pages(pages.group(2)), f)
        f["type"] = self.classify(f)
        if f["type"] == "book" and not (set(f) & BIBLIOGRAPHIC) and not pages:
            # nothing bibliographic: an explanatory note, kept as text
            f["type"] = "entry"
            f["note"] = " ".join(filter(None, (f.pop("note", None), f.pop("title", None))))
        self.letter_names(f)
        for key in ("title", "container-title", "publisher", "archive"):
            if key in f:
                f[key] = unquote(f[key])
                # "в XV в.", "1820 г.", "XIX вв.": the period of a final abbreviation is part of the title
                # (a Latin word of three letters is a word: "Empire and oil.")
                if re.search(r"(?<=\s)(?:[а-яё]{1,3}|[a-z]{1,2}|Co|Ltd|Inc)$", f[key]) and f"{f[key]}." in text:
                    f[key] += "."
                if not f[key]:
                    del f[key]
        lang = stated or self.language(f, text)
        if lang:
            f["language"] = lang
        return out

    def _web(self, text: str, f: dict[str, Any]) -> str:
        """A URL (``URL:``, ``Режим доступа:``) and its access date (``дата обращения: 12.03.2020``) are fields."""
        access = re.search(r"\(?\s*(?:дата обращения|accessed|erişim tarihi|müraciət tarixi|istinad tarixi)\s*:?\s*"
                           r"(\d{1,2})\.(\d{1,2})\.(\d{4})\s*\)?\.?", text, re.I)
        if access:
            f["accessed"] = {"date-parts": [[int(access.group(3)), int(access.group(2)), int(access.group(1))]]}
            text = text[:access.start()] + text[access.end():]
        url = re.search(r"(?:(?:URL|Режим доступа|Available at|Электронный ресурс)\s*:?\s*)?(https?://\S+|www\.\S+)", text, re.I)
        if url:
            f["URL"] = url.group(1).rstrip(".,;)")
            text = text[:url.start()].rstrip(" .–-") + text[url.end():]
            text = re.sub(r"\s*\[\s*(?:Электронный ресурс|Electronic resource)\s*\]", "", text)
        return text.strip()

    def _thesis(self, text: str, f: dict[str, Any]) -> str:
        """A thesis or its abstract (``дис. … канд. ист. наук``, ``автореф. дис.``, ``АКД``, ``dis. … fəl. dok.``,
        ``avtoref.``): ``type`` thesis, the statement as ``genre``."""
        m = THESIS.search(text)
        if not m:
            return text
        f["_thesis"] = True
        f["genre"] = m.group(1).strip(" .:;,") + ("." if m.group(1).rstrip().endswith(".") else "")
        return (text[:m.start()].rstrip(" :/") + ". " + text[m.end():].lstrip(" .:;,")).strip(" .")

    def _identifiers(self, text: str, f: dict[str, Any]) -> str:
        """A closing ISBN or DOI (``ISBN 978-5-02-033333-3``, ``DOI: 10.1234/abc``): fields, cut from the text."""
        while True:
            m = re.search(r"[.,;]?\s*(?:(ISBN)[:\s]*([\dXx][\dXx\s-]{8,16}[\dXx])|(DOI|doi)[:\s]*(10\.\d{4,}/\S+?))\.?$", text)
            if not m:
                return text
            f["ISBN" if m.group(1) else "DOI"] = re.sub(r"\s", "", m.group(2)) if m.group(1) else m.group(4)
            text = text[:m.start()].rstrip()

    def _edition(self, body: str, f: dict[str, Any]) -> str:
        """An edition statement after the title (``2-е изд., испр. и доп.``, ``2nd ed.``, ``3. Aufl.``,
        ``2-ci nəşr``): ``edition`` (its number), cut before the editor cues (``ed.``) can read it."""
        cues = "|".join(re.escape(c) for c in self.cues["edition"])
        if not cues:
            return body
        # the statement runs on in lower-case words ("испр. и доп.", "rev. and enl.")
        m = re.search(rf"(?:(?<=[.,]\s)|^)(\d{{1,2}})(?:-?[^\W\d]{{1,3}})?\.?(?:\s*[a-zа-яё]+\.)*\s*(?:{cues})(?![^\W\d])"
                      rf"(?:\s*,?\s*[a-zа-яёəğışöüç]+\.?(?=[\s,]|$))*", body)
        if not m:
            return body
        f["edition"] = m.group(1)
        return (body[:m.start()].rstrip(" ,.") + ". " + body[m.end():].lstrip(" .,")).strip(" .")

    def _series(self, text: str, f: dict[str, Any]) -> str:
        """GOST's series area, closing the description in parentheses (``– 320 с. – (Серия «Научная
        мысль»)``, ``(Seriya: Tarix)``, ``(Series in History; 12)``): ``collection-title``, without its word."""
        m = re.search(rf"\s*[–—-]?\s*\(\s*((?i:{SERIES.pattern[4:]})\s*[^()]+?)\s*\)\.?$", text)
        if not m:
            return text
        name = re.sub(r"\s*[;,]\s*(?:[^\W\d]{1,4}\.\s*)?(\d+)$", "", m.group(1))  # its number goes
        # the word is a label before a colon or a quoted name ("Серия «Научная мысль»"), else part of the name
        name = unquote(re.sub(rf"^(?i:{SERIES.pattern[4:]})\s*(?::\s*|(?=[{QUOTES}]))", "", name))
        f["collection-title"] = name
        return text[:m.start()].rstrip()

    def _language_note(self, text: str) -> tuple[str, str | None]:
        """A closing note of the work's language (``(на азерб. яз.)``, ``(rus dilində)``, ``(in Russian)``,
        ``(Türkçe)``): the text without it, and the language it names."""
        m = re.search(r"\s*[\[(]\s*(?:на\s+)?([^\W\d]+(?:\s[^\W\d]+)?)\.?\s*(?:яз(?:\.|ыке)|dilində|dilinde)?\s*[\])]\.?$"
                      r"|\s*[\[(]\s*in\s+([^\W\d]+)\s*[\])]\.?$", text)
        if not m:
            return text, None
        word = re.sub(r"^in\s+", "", (m.group(1) or m.group(2)).lower())
        if not re.search(r"яз|dilind|^in\s", m.group(0).strip(" ([").lower()) and word not in self.cues.languages:
            return text, None
        code = self.cues.languages.get(word) or next(
            (c for name, c in self.cues.languages.items() if word.startswith(name)), None)
        return (text[:m.start()].rstrip(), code) if code else (text, None)

    def _journal_name(self, text: str) -> tuple[str, str]:
        """A quoted journal name printed with the word for journal (``"Elm və həyat" jurnalı``,
        ``Журнал «Звезда»``, ``"Türk Yurdu" dergisi``): what precedes it, and the name alone."""
        words = "|".join(re.escape(w) for w in self.cues["journal"])
        q = f"[{QUOTES}]"
        m = (re.search(rf"(?:^|(?<=[\s.,])){q}([^{QUOTES}]+){q}\s+(?:{words})$", text) if words else None) or (
            re.search(rf"(?:^|(?<=[\s.,]))(?:{words})\s+{q}([^{QUOTES}]+){q}$", text) if words else None)
        if not m:
            return "", text
        return text[:m.start()].strip(" .,"), m.group(1).strip()

    def _short_note(self, text: str) -> str:
        """Chicago's short note, ``Yılmaz, Kafkasya Tarihi, 50.``: with no year and no page cue, a bare
        number after the last comma is the page cited."""
        m = re.search(r",\s*(\d{1,4}(?:\s*[-–]\s*\d{1,4})?)\.?$", text)
        if not m or self.re_year.search(text) or self.re_page.search(text) or self.re_numbered.search(text[:m.start()]):
            return text
        return f"{text[:m.start()]}, p. {m.group(1)}."

    def _chicago_journal(self, text: str, f: dict[str, Any]) -> str:
        """Chicago's journal numbers: ``Journal 5, no. 3 (1986): 25–40`` (volume, issue, year, pages)."""
        m = re.search(rf"\s(\d{{1,4}})(?:,\s*(?:no|No|nr|Nr)\.\s*(\d+(?:[-–/]\d+)?))?\s*\((?:[^\W\d]+\.?\s+)?{YEAR}\)"
                      rf"\s*:\s*(\d+(?:\s*[-–—]\s*\d+)?)\.?$", text)
        if not m:
            return text
        f["volume"] = m.group(1)
        if m.group(2):
            f["issue"] = m.group(2).translate(DASHES)
        f["issued"] = {"date-parts": [[int(m.group(3))]]}
        pages = clean_pages(m.group(4))
        f["page" if "-" in pages else "locator"] = pages
        return text[:m.start()].rstrip(" .,")

    def _journal_numbers(self, text: str, f: dict[str, Any]) -> str:
        """Volume, issue and page range printed without cues after a journal's name (``Journal 19 (2). 84 – 86``,
        ``Journal, 58 (1), 2011, 50-56``, ``Journal. 10 (1): 13-36``): the fields, and the text without them."""
        m = re.search(rf"(?:[,.]\s*|\s)(\d{{1,4}})\s*(?:\((\d+(?:[-–/]\d+)?)\)|,\s*(\d{{1,3}})(?=\s*,))?\s*[.,:]\s*"
                      rf"(?:{YEAR}\s*[.,]\s*)?(?:[сСsSpP]{{1,2}}\.\s*)?(\d+\s*[-–—]\s*\d+|\d+)\s*\.?$", text)
        if not m or self.re_year.fullmatch(m.group(1)) or not (m.group(2) or m.group(3) or "-" in m.group(5).translate(DASHES)):
            return text
        if self.re_numbered.search(text[:m.start(1)]):  # "sayı 44", "vol. 3", "№ 5": printed with their cues
            return text
        f["volume"] = m.group(1)
        if m.group(2) or m.group(3):
            f["issue"] = (m.group(2) or m.group(3)).translate(DASHES)
        if m.group(4):
            f["issued"] = {"date-parts": [[int(m.group(4))]]}
        f["page"] = clean_pages(m.group(5))
        return text[:m.start()].rstrip(" .,")

    def _named_archive(self, head: str) -> re.Match | None:
        """An archive named first and located by its own series: ``Archivio di Stato di Venezia (ASV),
        Senato, …, reg. 26, c. 112`` — the first comma part names an archive and nothing is dated."""
        parts = split_top_level(head, ",")
        if len(parts) < 2 or self.re_year.search(head):
            return None
        if not any(re.search(rf"(?<!\w){re.escape(cue)}", parts[0]) for cue in self.cues["archive"]):
            return None
        return re.compile(r"(?<=,)\s*\S").search(head, len(parts[0]))

    def _see(self, text: str, f: dict[str, Any]) -> str:
        """Drop a "see" cue (``См.:``, ``Bax:``, ``See``) and keep a comment before it as ``note``."""
        for cue in self.cues["see"]:
            m = re.search(rf"(?:^|(?<=[\s,.;:]))({re.escape(cue)})(?=\s)", text[:100])
            if m:
                comment = text[:m.start()].strip(" ,.;:")
                if comment:
                    f["note"] = comment
                return text[m.end():].strip(" :")
        return text

    def _chicago_imprint(self, text: str) -> str:
        """Chicago notes print the imprint in parentheses and a bare page after it (İSNAD: with its cue):
        ``Title (Cambridge: Cambridge University Press, 1985), 45.`` → GOST-like order with ``p.``."""
        m = re.search(r"\s\(([^()]*?(?:1[5-9]\d\d|20\d\d))\)\s*(?:,\s*(?:[^\W\d]{1,3}\.\s*)?(\d+(?:\s*[-–]\s*\d+)?))?\.?$",
                      text)
        if not m or not re.search(r":|,", m.group(1)):
            return text
        page = f", p. {m.group(2)}" if m.group(2) else ""
        return f"{text[:m.start()].rstrip(' ,')}. {m.group(1)}{page}."

    def _pages(self, text: str) -> tuple[re.Match | None, re.Match | None]:
        """The pinpoint (or page range) cue, and a volume printed with a page-like cue before it.
        Only the first cues are read: the text may run on into many more references."""
        kept: list[re.Match] = []
        matches = self.re_page.finditer(text)
        found = next(matches, None)
        while found and len(kept) < 2:
            following = next(matches, None)
            # an upper-case Latin C./S. before another page cue is Turkish Cilt/Sayı, not a page
            if not (found.group(1) in ("C", "S") and following):
                kept.append(found)
            found = following
        # "c.1, s.45": a Latin c. right before another page cue is a volume (cild, cilt)
        if len(kept) > 1 and kept[0].group(1) in ("c", "C") and not text[kept[0].end():kept[1].start()].strip(" ,.;"):
            return kept[1], kept[0]
        return (kept[0] if kept else None), None

    def _after_pages(self, text: str, end: int) -> tuple[str | None, tuple[int, int] | None]:
        """What follows the pinpoint that ends at ``end``: the archive named in parentheses after it,
        and the span of ``text`` holding another reference (None if what follows is none)."""
        start, stop = _stripped(text, end, len(text), " .,;")
        archive = None
        if start < stop and text[start] == "(":
            start += 1
            if text[stop - 1] == ")" and text.count("(", start, stop) < text.count(")", start, stop):
                stop -= 1
            pieces = split_top_level(text[start:stop], ",", maxsplit=1)
            if any(cue in pieces[0] for cue in self.cues["archive"]):
                archive = pieces[0].strip()
                start = start + len(pieces[0]) + 1 if len(pieces) > 1 else stop
        # (a closing bracket stays: "… С. 7 (на азерб. яз.)" is the next reference's language)
        start, _ = _stripped(text, start, stop, " .,;()")
        _, stop = _stripped(text, start, stop, " .,;")
        if stop - start > 15 and (self.re_page.search(text, start, stop) or self.re_year.search(text, start, stop)):
            return archive, (start, stop)
        return archive, None

    def _editors(self, body: str, f: dict[str, Any]) -> str:
        """Cut editor/compiler/contributor phrases out of ``body``, keeping the names they introduce."""
        body = self._editors_before_cue(body, f)
        roles = (("compiler", "editor"), ("translator", "translator"), ("editor", "editor"), ("contributor", "contributor"))
        for key, role in roles:
            for cue in self.cues[key]:
                m = self._cue(body, cue)
                if not m:
                    continue
                window = body[m.end(): m.end() + 80]
                found = nm.statement_names(window) or nm.names_in(window)
                if not found:
                    full = nm.FULL.match(window.lstrip(" ,:"))
                    if not full:
                        continue
                    words = [w for w in full.groups() if w]
                    found = [(nm.name(words[-1], " ".join(words[:-1])), 0, len(window) - len(window.lstrip(" ,:")) + full.end())]
                people = []
                for person, _, _ in found:
                    if key in ("contributor", "translator") or cue in self.cues["editor_genitive"]:
                        person = dict(person, family=nm.nominative(person["family"], "gen"))
                    if key == "compiler":
                        person = dict(person, role="compiler")
                    people.append(person)
                f.setdefault(role, []).extend(people)
                end = m.end() + found[-1][2]
                body = body[:m.start()].rstrip(" ,.;/") + ". " + body[end:].lstrip(" ,.;")
                break
        return body.strip(" .,;")

    def _responsibility(self, body: str, f: dict[str, Any]) -> str:
        """GOST's statement of responsibility after ``/`` (``История / И. И. Иванов, П. П. Петров. – М.``):
        its names are the work's authors, the heading having printed the first only."""
        for m in re.finditer(r"(?<!/)\s/\s(?!/)", body):
            found = nm.statement_names(body[m.end():])
            if not found:
                continue
            end = m.end() + found[-1][2]
            if not re.match(r"\s*(?:[.;,:]|//|$)", body[end:]):
                continue
            people = [person for person, _, _ in found]
            heading = {a.get("family") for a in f.get("author", [])}
            if not heading or heading & {p["family"] for p in people}:
                f["author"] = people
                return (body[:m.start()] + body[end:]).strip()
        return body

    def _editors_before_cue(self, body: str, f: dict[str, Any]) -> str:
        """Editors printed before their bracketed role (``In: Smith J. (ed.) Book``, ``Иванов И.И. (сост.)``):
        the names that run from a word start up to the bracket."""
        for key, pattern in self.re_role_bracket.items():
            m = pattern.search(body)
            if not m:
                continue
            head = body[:m.start()].rstrip()
            for start in [0] + [k.end() for k in re.finditer(r"(?<=\s)|(?<=[:/])", head) if k.end() > len(head) - 80]:
                found = nm.statement_names(head[start:])
                if found and start + found[-1][2] == len(head):
                    people = [dict(p, role="compiler") if key == "compiler" else p for p, _, _ in found]
                    f.setdefault("editor", []).extend(people)
                    return (head[:start].rstrip() + " " + body[m.end():].lstrip(" ,.;")).strip()
        return body

    def _volume_statement(self, body: str, f: dict[str, Any]) -> str:
        """A volume statement after the title (``Т. IV.``, ``Vol. II.``, ``Cilt I.``, ``III cild.``,
        ``I kitab.``) goes to ``volume``; a Roman numeral's period does not end a sentence, so it is
        found by its cue at a sentence start."""
        before = r"(?:(?<=\.\s)|(?<=\s/\s))"
        for pattern in (rf"{before}(?:{_alternatives(self.cues['volume'])})\s*(\d+|[IVXLC]+)\b\.?",
                        rf"{before}(\d+|[IVXLC]+)(?:-?[^\W\d]{{1,3}})?\s+(?:{_alternatives(self.cues['volume_after'])})\b\.?"):
            m = re.search(pattern, body)
            if m and "volume" not in f and not re.search(r"\d", body[m.end():m.end() + 3]):
                f["volume"] = m.group(1)
                return (body[:m.start()].rstrip(" /") + " " + body[m.end():].lstrip()).strip()
        return body

    @staticmethod
    def _cue(text: str, cue: str) -> re.Match | None:
        """``cue`` as a word of ``text``."""
        return re.search(rf"(?:(?<=[\s.,(])|^){re.escape(cue)}(?![\w])", text)

    def _strip_undated(self, body: str, f: dict[str, Any]) -> str:
        """Drop the cues of a missing date or place (``б.г.``, ``Б.м.``, ``n.d.``, ``s.l.``); without a
        place, what stands before the year is no place either."""
        stripped = body
        for key in ("unplaced", "undated"):
            for cue in self.cues[key]:
                before = stripped
                stripped = re.sub(rf"(?<!\w){re.escape(cue.rstrip('.'))}\.?(?!\w)", "", stripped)
                if key == "unplaced" and stripped != before:
                    f["_unplaced"] = True
        if stripped == body:  # nothing taken out: "М., Наука" keeps its stop and comma
            return body.strip(" .,;")
        return re.sub(r"\s*([.,])\s*[.,]+", r"\1", stripped).strip(" .,;")

    # -- the body: title, container, dates, imprint -------------------------------------------
    def _body(self, body: str, f: dict[str, Any], has_pages: bool) -> None:
        newspaper = self.re_ydm.search(body) or self.re_ymd.search(body)
        if not newspaper and any(self._cue(body, cue) for cue in self.cues["newspaper"]):
            newspaper = self.re_dmy.search(body)  # "“Azərbaycan” qəzeti, 12 mart 1919": the issue's day
        if newspaper:
            f["issued"] = {"date-parts": [self.date_parts(newspaper)]}
            f["_newspaper"] = True
            issue = self.re_issue.search(body, newspaper.end())
            if issue:
                f["issue"] = issue.group(1)
            zone = body[:newspaper.start()].rstrip(" ,.")
            for cue in self.cues["newspaper"]:  # "“Azərbaycan” qəzeti", "Газета «Баку»": the word for newspaper is no part of its name
                if cue[0].islower():
                    zone = re.sub(rf"\s+{re.escape(cue)}$", "", zone)
                else:
                    zone = re.sub(rf"^{re.escape(cue)}\s+(?=[{QUOTES}])", "", zone)
            if "//" in zone:  # "Нефть // Правда": an article in the newspaper
                self._title_container(zone, f)
            elif len(split_top_level(zone, ",")) == 1 and len(split_sentences(zone)) == 1:
                f["container-title"] = zone
            else:
                self._title_container(zone, f, container_last=True)
            return
        date = self._document_date(body)
        if date is not None:
            m, parts = date
            after = body[m.end():].strip(" .,;")
            if after:
                # a dated document inside a collection: title, date, [place]. collection
                f["issued"] = {"date-parts": [parts]}
                f["title"] = body[:m.start()].strip(" .,;")
                place: dict[str, Any] = {}
                after = self._event_place(after, place)
                rest = self._imprint(after, f, container=True)
                # a lone capitalised word before the imprint is the collection's title, not a place
                rest = rest or place.pop("event-place", "")
                f.update(place)
                if rest:
                    f["container-title"] = rest
                return
            f["issued"] = {"date-parts": [parts]}
            f["_dated"] = True
            body = body[:m.start()].strip(" .,;")
        zone = self._imprint(body, f)
        # a volume of a book with its imprint is no journal volume
        book = "publisher-place" in f or "publisher" in f
        self._title_container(zone, f, container_last="issue" in f or ("volume" in f and not book))

    def _document_date(self, body: str) -> tuple[re.Match, list[int]] | None:
        for pattern in (self.re_num, self.re_dmy, self.re_my):
            for m in pattern.finditer(body):
                if depth_at(body, m.start()) == 0:
                    return m, self.date_parts(m)
        return None

    def date_parts(self, m: re.Match) -> list[int]:
        groups = m.groups()
        if m.re is self.re_num:
            return [int(groups[2]), int(groups[1]), int(groups[0])]
        if m.re is self.re_dmy:
            return [int(groups[2]), self.cues.months[groups[1].lower()], int(groups[0])]
        if m.re is self.re_my:
            return [int(groups[1]), self.cues.months[groups[0].lower()]]
        if m.re is self.re_ydm:
            return [int(groups[0]), self.cues.months[groups[2].lower()], int(groups[1])]
        return [int(groups[0]), self.cues.months[groups[1].lower()], int(groups[2])]

    def _event_place(self, text: str, f: dict[str, Any]) -> str:
        bracket = re.match(r"\[([^\]]+)\]\s*[.,]?\s*", text)
        if bracket:
            f["event-place"] = bracket.group(1).strip()
            return text[bracket.end():]
        m = re.match(r"([^.,:;]+)[.,]\s+", text)
        if m and self._place_like(m.group(1)):
            f["event-place"] = m.group(1).strip()
            return text[m.end():]
        return text

    def _imprint(self, body: str, f: dict[str, Any], container: bool = False) -> str:
        """Take issue, volume, year, place and publisher from the end of ``body``; return the rest."""
        issued_key = "container-issued" if container else "issued"
        year = None
        for m in self.re_year.finditer(body):
            if depth_at(body, m.start()) == 0:
                year = m
        if year is None:
            year = re.search(r"\((1[5-9]\d\d|20\d\d)\)[\s.,]*$", body)  # Chicago: "vol. 12, no. 3 (1993)"
        if year is None:
            if f.get("_author_date"):  # the imprint has no year of its own
                return self._place_publisher(body.strip(" .,;:"), f)
            return body.strip(" .,;:")
        after = body[year.end():]
        issue = self.re_issue.search(after)
        volume = self.re_volume.search(after)
        leftover = after
        for found in (issue, volume):
            if found:
                leftover = leftover.replace(found.group(0), "")
        leftover = re.sub(r"\b(?:г|гг|y|il)\.?", "", leftover)
        if leftover.strip(" .,;:"):
            return body.strip(" .,;:")
        if issue:
            f["issue"] = issue.group(1).translate(DASHES)
        if volume:
            f["volume"] = volume.group(1)
        before = body[:year.start()].rstrip(" ,.:;")
        before = self._trailing_numbers(before, f)
        f.setdefault(issued_key, {"date-parts": [[int(year.group(1))]]})
        if "issue" in f:  # a journal: what precedes is its title, not an imprint
            return before
        return self._place_publisher(before, f)

    def _trailing_numbers(self, text: str, f: dict[str, Any]) -> str:
        """Volume and issue printed at the end of ``text`` (GOST "Т. 3. 1995", Chicago "vol. 12, no. 3 (1993)")."""
        while True:
            for key, pattern in (("issue", self.re_issue), ("volume", self.re_volume)):
                found = [m for m in pattern.finditer(text) if not text[m.end():].strip(" .,;:")]
                if found and key not in f:
                    f[key] = found[-1].group(1).translate(DASHES)
                    text = text[:found[-1].start()].rstrip(" ,.:;")
                    break
            else:
                return text

    def _place_publisher(self, before: str, f: dict[str, Any]) -> str:
        sentences = split_sentences(before)
        if not sentences or f.get("_unplaced"):
            return before
        last = sentences[-1]
        chunks = split_top_level(last, ",")
        place = publisher = None
        tail = chunks[-1].strip()
        colon = split_top_level(tail, ":", maxsplit=1)
        whole = split_top_level(last, ":", maxsplit=1)
        if len(whole) == 2 and self._place_like(whole[0]) and "," in whole[1]:  # "London: Longmans, Green and Co."
            place, publisher = whole[0].strip(), whole[1].strip()
            chunks = []
        elif len(colon) == 2 and self._place_like(colon[0]):
            place, publisher = colon[0].strip(), colon[1].strip()
            chunks.pop()
        elif self._publisher_like(tail) and len(chunks) > 1 and self._place_like(chunks[-2]):
            publisher, place = tail, chunks[-2].strip()
            del chunks[-2:]
        elif len(chunks) > 1 and self._known_place(chunks[-2]) and not self._known_place(tail) \
                and len(tail.split()) <= 4 and not re.search(r"\d", tail):
            # "Bakı, Elm, 1998", "М., Наука, 1990": a known place, then the publisher, without a colon
            publisher, place = tail, chunks[-2].strip()
            del chunks[-2:]
        elif self._place_like(tail):
            place = tail if tail not in self.place_stems else tail + "."
            chunks.pop()
        if place is None:
            return before
        f["publisher-place"] = place
        rest_sentences = sentences[:-1]
        if chunks:
            rest_sentences.append(", ".join(c.strip() for c in chunks))
        elif publisher is None and rest_sentences and self._publisher_like(rest_sentences[-1]) and len(rest_sentences) > 1:
            publisher = rest_sentences.pop()
        if publisher:
            # two imprints ("New York: Philosophical Library; Oxford: George Ronald"): the first is kept
            second = re.match(r"(.+?);\s*([^.,:;]{1,30}):\s*\S", publisher)
            if second and self._place_like(second.group(2)):
                publisher = second.group(1).strip()
            f["publisher"] = publisher
        return self._trailing_numbers(". ".join(s.strip(" .") for s in rest_sentences), f)

    def _known_place(self, text: str) -> bool:
        """A place of the cue lists (``Bakı``, ``М.``, ``Москва; Ленинград``)."""
        parts = [p.strip() for p in text.split(";")]
        return all(p in self.cues["places"] or p in self.place_stems for p in parts)

    def _place_like(self, text: str) -> bool:
        text = text.strip()
        if ";" in text:  # several places: "Москва; Ленинград"
            return all(self._place_like(part) for part in text.split(";"))
        if text in self.cues["places"] or text in self.place_stems:
            return True
        words = text.split()
        if not 1 <= len(words) <= 3 or any(q in text for q in QUOTES) or re.search(r"\d", text):
            return False
        if any(w in self.stop_words and w not in self.cues["places"] for w in words):
            return False
        return all(re.fullmatch(rf"{nm.WORD}\.?", w) or w in ("am", "on", "de", "upon") for w in words) and len(text) < 30

    def _publisher_like(self, text: str) -> bool:
        text = text.strip()
        return bool(text) and (text[0] in QUOTES or text[-1] in QUOTES
                               or any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text) for c in self.cues["publisher"]))

    def _title_container(self, zone: str, f: dict[str, Any], container_last: bool = False) -> None:
        zone = zone.strip(" .,;:")
        if not zone:
            return
        if "//" in zone:
            title, container = zone.split("//", 1)
            f["title"], f["container-title"] = title.strip(" .,"), self._journal_name(container.strip(" .,"))[1]
            return
        before, journal = self._journal_name(zone)
        if journal != zone:  # 'Title. "Azərbaycan" jurnalı', 'Журнал «Звезда»'
            f["container-title"] = journal
            if before:
                f["title"] = before
            return
        for cue in self.cues["in_container"]:
            if cue == "//":
                continue
            m = re.search(rf"(?:^|(?<=[.,]\s)|(?<=\s)){re.escape(cue)}(?:\s|$)" if not cue.endswith(":")
                          else rf"(?:^|(?<=[.,]\s)|(?<=\s)){re.escape(cue)}", zone)
            if m and (cue[0].islower() or m.start() == 0 or zone[m.start() - 2:m.start()] in (". ", ", ")):
                title = zone[:m.start()].strip(" .,:")
                container = zone[m.end():].strip(" .,:")
                if container:
                    f["container-title"] = container
                    f["_in"] = True
                    if title:
                        f["title"] = title
                    return
        # a quoted title, then its container: Chicago's "Title," Journal (the comma inside the quotes)
        quoted = re.match(rf"([{QUOTES}])([^{QUOTES}]+?)([{QUOTES}])[,.]?\s+(\S.*)$", zone)
        if quoted and quoted.group(2).endswith(","):
            f["title"], f["container-title"] = quoted.group(2).strip(" ,."), quoted.group(4).strip(" .,")
            return
        sentences = split_sentences(zone)
        for i, sentence in enumerate(sentences[1:], 1):
            if any(cue in sentence for cue in self.cues["conference"]):
                f["title"] = ". ".join(s.strip(" .") for s in sentences[:i])
                f["container-title"] = ". ".join(s.strip(" .") for s in sentences[i:])
                return
        if container_last:
            quoted = re.search(rf"[\s?!.,]([{QUOTES}][^{QUOTES}]+[{QUOTES}])$", zone)
            if quoted:
                f["title"], f["container-title"] = zone[:quoted.start() + 1].strip(" .,"), quoted.group(1)
                return
            if len(sentences) > 1:
                # a journal's series stays in its container: "Известия. Серия истории", "Xəbərlər. Humanitar elmlər seriyası"
                cut = -2 if len(sentences) > 2 and SERIES.search(sentences[-1]) else -1
                f["title"] = ". ".join(s.strip(" .") for s in sentences[:cut])
                f["container-title"] = ". ".join(s.strip(" .") for s in sentences[cut:])
                return
            chunks = split_top_level(zone, ",")
            # a journal's name after the title's comma is capitalised ("…, краев и областей" goes on the title)
            if len(chunks) > 1 and not chunks[-1].strip(" .,")[:1].islower():
                f["title"] = ",".join(chunks[:-1]).strip(" .,")
                f["container-title"] = chunks[-1].strip(" .,")
                return
        f["title"] = zone

    # -- types, pages, letters, language -------------------------------------------------------
    def classify(self, f: dict[str, Any]) -> str:
        title = f.get("title", "")
        if "archive" in f or "archive_location" in f:
            return "manuscript"
        if f.pop("_thesis", False):
            return "thesis"
        if "URL" in f and not set(f) & {"issue", "volume", "publisher", "publisher-place"}:
            return "webpage"
        if any(title.startswith(cue) for cue in self.cues["letter"]):
            return "personal_communication"
        container = f.get("container-title", "")
        if not container:
            return "book"
        if f.pop("_newspaper", False):
            return "article-newspaper"
        if "issue" in f or ("volume" in f and "publisher-place" not in f):
            return "article-journal"
        if any(cue in container for cue in self.cues["conference"]):
            return "paper-conference"
        if f.get("_dated") and not f.get("_in"):
            return "article-newspaper"
        return "chapter"

    def place_pages(self, pages: str, f: dict[str, Any]) -> None:
        """A range of a part inside its container is ``page``; any other pages are the pinpoint."""
        part = "container-title" in f and not f.get("_newspaper") and not f.get("_dated")
        f["page" if "-" in pages and part else "locator"] = pages

    def letter_names(self, f: dict[str, Any]) -> None:
        for key in [k for k in f if k.startswith("_")]:
            del f[key]
        if f["type"] != "personal_communication" or "author" in f:
            return
        found = [p for p, _, _ in nm.names_in(f.get("title", ""))]
        first_dative = next((i for i, p in enumerate(found) if nm.is_dative(p["family"])), len(found))
        senders = found[:first_dative]
        recipients = [dict(p, family=nm.nominative(p["family"], "dat")) for p in found[first_dative:]]
        if senders:
            f["author"] = [senders[0]]
            recipients = senders[1:] + recipients
        else:
            body = self._letter_body(f.get("title", ""))
            sender = nm.genitive_group(body) if body is not None else None
            if sender:
                f["author"] = [{"literal": sender}]
        if recipients:
            f["recipient"] = recipients

    def _letter_body(self, title: str) -> str | None:
        """What follows the letter cue of a title (``Письмо …``), or None."""
        for cue in self.cues["letter"]:
            if title.startswith(cue + " "):
                return title[len(cue) + 1:]
        return None

    def language(self, f: dict[str, Any], raw: str = "") -> str | None:
        """ISO 639-1 code of the reference text, from its title (else container, authors).

        ``raw``, the reference as printed, is read for its script and its Azerbaijani letters only
        when the fields say too little (``ЦГВИА. Ф. ВУА. Д. 4267``; ``“İrşad” qəzeti, 1908``).
        """
        text = f.get("title") or f.get("container-title") or f.get("archive") or f.get("note") or " ".join(
            a.get("family", "") for a in f.get("author", []))
        if not re.search(r"[a-zа-яəğışöüç]{3}", text):
            # an archive shelfmark or an abbreviated title: a Cyrillic reference is Russian (Ukrainian by its letters)
            fields = raw or " ".join(v for k, v in f.items() if isinstance(v, str) and k not in ("type", "genre"))
            fields = re.sub(r"\b[IVXLC]+\b", "", fields)  # Roman numbers (``Т. VII``) are no script
            if re.search(r"[А-Яа-яЁё]", fields) and not re.search(r"[A-Za-z]", fields):
                return "uk" if re.search(r"[ЄєЇїІі]", fields) else "ru"
            return None
        cyrillic = len(re.findall(r"[А-Яа-яЁё]", text))
        latin = len(re.findall(r"[A-Za-zÀ-ÿƏəĞğİıŞş]", text))
        if cyrillic >= latin:
            return "uk" if re.search(r"[ЄєЇїІі]", text) else "ru" if cyrillic else None
        # a short title says too little: read the container, publisher and place with it (same script only)
        if len(text.split()) < 6:
            more = [f.get(k, "") for k in ("container-title", "publisher", "publisher-place") if f.get(k) != text]
            text = " ".join([text] + [m for m in more if m and not re.search(r"[А-Яа-яЁё]", m)])
        if _azerbaijani(text) or (len(text.split()) < 4 and _azerbaijani(raw)):
            return "az"
        found = detector(LATIN_REFERENCE_LANGUAGES).detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None


def _azerbaijani(text: str) -> bool:
    """Latin-script Azerbaijani: its ə, or q/x (letters Turkish lacks) beside the Turkic ğ, ı, ş."""
    low = text.lower()
    return "ə" in low or bool(re.search(r"[qx]", low) and re.search(r"[ğış]", low))


def _alternatives(cues: tuple[str, ...], touch: bool = False) -> str:
    """A regex alternation of cue words; with ``touch`` a one-letter cue (``N``) must touch its number (``N305``)."""
    return "|".join(re.escape(c) + (r"(?=\s?\d)" if touch and len(c) == 1 and c.isalpha() else "") for c in cues)


# -- string helpers ----------------------------------------------------------------------------
def squash(text: str) -> str:
    """White space folded; a line-end hyphen with its break removed."""
    text = re.sub(r"(?<=\w)-\s*\n\s*(?=[a-zа-яəğışöüç])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _stripped(text: str, start: int, stop: int, chars: str) -> tuple[int, int]:
    """The span ``text[start:stop]`` without ``chars`` at its ends (``str.strip`` without the copy)."""
    while start < stop and text[start] in chars:
        start += 1
    while stop > start and text[stop - 1] in chars:
        stop -= 1
    return start, stop


def clean_pages(pages: str) -> str:
    return re.sub(r"\s+", "", pages.translate(DASHES))


def unquote(text: str) -> str:
    """Remove quotes around the whole text, and an opening quote left unclosed."""
    text = text.strip(" .,;:")
    pairs = {"«": "»", "“": "”", "„": "“", '"': '"', "‘": "’"}
    while len(text) > 1 and text[0] in pairs and text.endswith(pairs[text[0]]) and balanced(text[1:-1]):
        text = text[1:-1].strip()
    # straight single quotes around a whole title (Harvard: 'Oil and empire'), not an apostrophe inside it
    if re.fullmatch(r"'[^']+'", text):
        text = text[1:-1].strip()
    if text[:1] in pairs and not balanced(text):
        text = text[1:].strip()
    if text[-1:] in pairs.values() and not balanced(text) and text[-1] not in pairs:
        text = text[:-1].strip()
    return text


def balanced(text: str) -> bool:
    return text.count("«") == text.count("»") and text.count("“") == text.count("”")


def depth_at(text: str, pos: int) -> int:
    """Parenthesis depth at ``pos``."""
    return max(0, text[:pos].count("(") - text[:pos].count(")")) + max(0, text[:pos].count("[") - text[:pos].count("]"))


def split_top_level(text: str, sep: str, maxsplit: int = -1) -> list[str]:
    """Split at ``sep`` outside parentheses and quotes."""
    parts, depth, quote, start = [], 0, 0, 0
    quotes = balanced(text)  # an unclosed quote (a misprint) must not swallow the rest
    i = 0
    while i < len(text):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char in "«“„" and quotes:
            quote += 1
        elif char in "»”" and quotes:
            quote = max(0, quote - 1)
        elif text.startswith(sep, i) and depth == 0 and quote == 0:
            parts.append(text[start:i])
            start = i + len(sep)
            if len(parts) == maxsplit:  # the rest is one part: no need to read it
                break
        i += 1
    parts.append(text[start:])
    return parts


_ABBREVIATIONS: set[str] = set()


def _abbreviations() -> set[str]:
    """One-word publisher abbreviations of the cue lists (``Тип.``, ``Изд.``, ``Yay.``): a name goes on after them."""
    if not _ABBREVIATIONS:
        _ABBREVIATIONS.update(w for w in load_cues()["publisher"] if w.endswith(".") and " " not in w)
    return _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """Bibliographic sentences: split at ``. `` that does not end an initial or ``г.``."""
    pieces, start = [], 0
    for m in SENTENCE_END.finditer(text):
        word = re.search(r"\S+$", text[:m.start()])
        if word and word.group() + "." in _abbreviations():
            continue
        if depth_at(text, m.start()) == 0:
            pieces.append(text[start:m.start()])
            start = m.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]
