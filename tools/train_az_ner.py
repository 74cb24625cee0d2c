"""Train the shipped Azerbaijani NER model (``src/polycorpus/data/models/az_ner``) on the
Azerbaijani gold of every development article (``tests/data/gold`` with ``corpus/raw``), through
the same ``polycorpus.entities.training.fit`` that ``bench/generalisation.py`` refits per fold.
The model's ``training.json`` records the articles, their gold hashes, the seed and this script.

    .venv/bin/python tools/train_az_ner.py [--epochs N]

Its leave-one-article-out figure is printed by ``bench/train_az_ner.py --loao`` (NER alone) and
``bench/generalisation.py`` (every layer).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from polycorpus.entities.az import MODEL_DIR
from polycorpus.entities.training import EPOCHS, fit
from polycorpus.evaluate.base import file_hash
from polycorpus.gold import development_articles

ROOT = Path(__file__).resolve().parents[1]
SEED = 0


def ship(epochs: int) -> Path:
    """Fit on every development article and replace the packaged model with the result."""
    articles = [pair for pairs in development_articles(ROOT / "tests/data/gold", ROOT / "corpus/raw",
                                                       "entities.jsonl").values() for pair in pairs]
    target = ROOT / "src" / "polycorpus" / Path(*MODEL_DIR)
    with tempfile.TemporaryDirectory() as work:
        trained = Path(fit(articles, Path(work), seed=SEED, epochs=epochs)["entities"]["az_model"])
        info = json.loads((trained / "training.json").read_text(encoding="utf-8"))
        info["gold"] = {raw.stem: file_hash(gold) for raw, gold in articles}
        info["script"] = "tools/train_az_ner.py"
        (trained / "training.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(trained, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    print("model written to", ship(parser.parse_args().epochs))


if __name__ == "__main__":
    main()
