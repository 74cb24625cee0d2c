"""notebooks/explore.ipynb runs from top to bottom on the sample corpus (nbclient, kernel python3)."""

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_explore_notebook_executes_and_shows_the_corpus(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("POLYCORPUS_BUILD", str(tmp_path / "build"))  # not the repository's corpus/build
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    raw = sorted(path.name for path in (ROOT / "corpus" / "raw").glob("*.txt"))
    assert f"built {raw}" in text  # every article of corpus/raw, the sample among them
    assert "Məqalə Məhəmməd Əmin Rəsulzadənin" in text  # the aligned abstract, side by side
    assert "PER" in text and "DATE" in text  # entity counts by label and language
    assert "az,en,ru" in text  # referents named in all three languages
    assert "Абуталыбов" in text  # the most cited work (fn 42, cited again as op. cit.)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the similarity heatmap and the entity chart
    assert (tmp_path / "build" / "bagirova2024" / "bagirova2024.tei.xml").exists()
