from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "raw" / "bagirova2024.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "bagirova2024"
SHARED_SCHEMA = ROOT.parent / "shared" / "schema" / "tei_all.rng"


@pytest.fixture(scope="session")
def sample_raw() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold_doc():
    """The sample article carrying the gold layers (a fresh copy per session; do not mutate)."""
    from polycorpus.gold import load_gold

    return load_gold(SAMPLE, GOLD)
