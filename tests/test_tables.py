"""Tables of a build or a corpus, and ``polycorpus export``."""

import pandas as pd
import pytest

from conftest import GOLD, SAMPLE
from polycorpus import InputError
from polycorpus.cli import main as cli
from polycorpus.gold import load_gold
from polycorpus.outputs import write_layers
from polycorpus import tables


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A build folder of two documents carrying the gold layers (the sample under two names)."""
    root = tmp_path_factory.mktemp("build")
    for name in ("bagirova2024", "copy2024"):
        doc = load_gold(SAMPLE, GOLD)
        doc.name = name
        write_layers(doc, root / name)
    return root


def test_one_document_and_the_whole_corpus(corpus):
    one = tables.sentences(corpus / "bagirova2024")
    both = tables.sentences(corpus)
    assert len(one) == 198 and len(both) == 396
    assert list(both["doc"].unique()) == ["bagirova2024", "copy2024"]
    row = one.set_index("id").loc["az.abstract.3"]
    assert row["part"] == "abstract" and row["lang"] == "az" and (row["start"], row["end"]) == (348, 572)
    docs = tables.documents(corpus)
    assert docs.loc[0, ["sentences", "entities", "footnotes", "beads"]].tolist() == [198, 738, 48, 8]
    assert docs.loc[0, "languages"] == "az,en,ru,sv,tr"


def test_alignments_put_the_languages_side_by_side(corpus):
    beads = tables.alignments(corpus / "bagirova2024")
    first = beads.iloc[0]
    assert first["shape"] == "1-1-1" and first["az_ids"] == "az.abstract.1"
    assert first["az"].startswith("Məqalə Məhəmməd Əmin") and first["en"].startswith("The article is devoted")
    assert first["ru"].startswith("Статья посвящена")
    keywords = beads[beads["en_ids"] == "en.keywords.1"].iloc[0]
    assert keywords["shape"] == "0-1-1" and keywords["az"] == ""


def test_entities_know_their_sentence_or_footnote(corpus):
    frame = tables.entities(corpus / "bagirova2024")
    assert len(frame) == 738
    counts = frame.groupby("label").size()
    assert counts["LOC"] == 278 and counts["DATE"] == 71
    first = frame.iloc[0]
    assert (first["text"], first["norm"], first["in"]) == ("Məhəmməd Əmin Rəsulzadənin", "rasulzade", "az.abstract.1")
    assert frame["in"].str.startswith("footnote.").sum() == 72


def test_citations_one_row_per_reference(corpus):
    frame = tables.citations(corpus / "bagirova2024")
    assert frame["n"].nunique() == 48 and frame.iloc[0]["doc"] == "bagirova2024"
    assert frame[frame["n"] == 26].iloc[0]["refers_to"] == 25


def test_export_csv_and_parquet(corpus, tmp_path):
    assert cli(["export", str(corpus), "--format", "parquet", "--out", str(tmp_path / "pq")]) == 0
    assert cli(["export", str(corpus), "--format", "csv", "--out", str(tmp_path / "csv")]) == 0
    for name in tables.TABLES:
        parquet = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / "csv" / f"{name}.csv")
        assert len(parquet) == len(csv) > 0
    assert pd.read_parquet(tmp_path / "pq" / "sentences.parquet")["text"].iloc[0].startswith("Məqalə")


def test_missing_build_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError, match="no such build folder"):
        tables.documents(tmp_path / "nowhere")
