"""Every development article built as a user builds it, scored by ``evaluate corpus`` against the
copied gold: per-article floors at the leave-one-article-out level (``bench/generalisation.py``,
README "Accuracy"), so a change that costs any one article fails here, not only one that costs the
sample. The shipped parts were fitted on these articles, so the build scores at or above its
leave-one-article-out figures; each floor is that figure less a small margin."""

from pathlib import Path

import pytest

from polycorpus.evaluate.corpus import evaluate_corpus
from polycorpus.gold import article_of
from polycorpus.pipeline import build_folder

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT / "tests" / "data" / "gold"

# (layer, figure) -> article -> floor: the leave-one-article-out figure of the README less 0.02
FLOORS = {
    ("sentences", "F1"): {"aliyeva2021": 0.97, "bagirova2024": 0.97, "kerimova2020": 0.97, "rzayev2019": 0.98},
    ("notes", "F1"): {"aliyeva2021": 0.98, "bagirova2024": 0.98, "kerimova2020": 0.98, "rzayev2019": 0.98},
    ("alignment", "worst strict"): {"aliyeva2021": 0.98, "bagirova2024": 0.98, "kerimova2020": 0.98, "rzayev2019": 0.98},
    ("entities", "strict"): {"aliyeva2021": 0.88, "bagirova2024": 0.94, "kerimova2020": 0.89, "rzayev2019": 0.91},
    ("entities", "linking"): {"aliyeva2021": 0.80, "bagirova2024": 0.86, "kerimova2020": 0.66, "rzayev2019": 0.76},
    ("citations", "fields"): {"aliyeva2021": 0.97, "bagirova2024": 0.96, "kerimova2020": 0.98, "rzayev2019": 0.98},
    ("citations", "exact"): {"aliyeva2021": 0.92, "bagirova2024": 0.95, "kerimova2020": 0.98, "rzayev2019": 0.98},
}


@pytest.fixture(scope="module")
def development_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("development") / "build"
    report = build_folder(RAW, out)
    assert report.failures == []
    return evaluate_corpus(GOLD, out)


def test_every_development_layout_is_built_and_scored(development_report):
    layouts = {p.name for p in GOLD.iterdir() if p.is_dir()}
    assert set(development_report.documents) == layouts
    assert development_report.not_built == []


@pytest.mark.parametrize("layer,figure", sorted(FLOORS))
def test_each_article_keeps_its_floor(development_report, layer, figure):
    below = []
    for layout, scores in sorted(development_report.documents.items()):
        article = article_of(layout)
        value = scores.figures().get(layer, {}).get(figure)
        floor = FLOORS[layer, figure][article]
        if value is None or value < floor:
            below.append(f"{layout}: {value} < {floor}")
    assert below == [], f"{layer} {figure} below the leave-one-article-out floor"
