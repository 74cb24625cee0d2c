"""The stanza backend: sentences from a stanza tokenizer model the user already has.

Nothing is downloaded. ``model_dir`` is either a stanza resources folder (as made by
``stanza.download(lang)``: ``resources.json`` and ``<lang>/tokenize/*.pt``), a folder holding a
tokenizer model ``<lang>/tokenize/*.pt`` or ``<lang>*.pt`` (one trained with
``python -m stanza.models.tokenizer --mode train``), or the model file itself. Without it,
stanza's own resources folder (``~/stanza_resources`` or ``$STANZA_RESOURCES_DIR``) is searched.
"""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from ..errors import ResourceError
from ..resources import STANZA_EMPTY_RESOURCES



def find_model(lang: str, model_dir: str | Path | None) -> tuple[Path, Path]:
    """``(resources folder, model file)`` of ``lang``'s tokenizer, or a ResourceError saying how to get one."""
    try:
        from stanza.resources.common import DEFAULT_MODEL_DIR
    except ImportError:
        raise ResourceError(None, "the stanza backend needs stanza: pip install 'polycorpus[stanza]'") from None
    folder = Path(model_dir or DEFAULT_MODEL_DIR).expanduser()
    if folder.is_file() and folder.suffix == ".pt":
        return folder.parent, folder
    found = sorted((folder / lang / "tokenize").glob("*.pt")) + sorted(folder.glob(f"{lang}*.pt"))
    if not found:
        raise ResourceError(folder, f"no stanza tokenizer model for {lang!r}; on a machine with internet run "
                                    f"python -c \"import stanza; stanza.download('{lang}', processors='tokenize')\" "
                                    f"and copy ~/stanza_resources here, or give a folder holding "
                                    f"{lang}/tokenize/<model>.pt (--stanza-dir)")
    return folder, found[0]


class StanzaSegmenter:
    """Sentence spans of plain text from a stanza tokenizer: ``split(text) -> [(start, end)]``."""

    name = "stanza"

    def __init__(self, lang: str, model_dir: str | Path | None = None) -> None:
        import stanza

        self.lang = lang
        folder, self.model = find_model(lang, model_dir)
        digest = hashlib.sha256(self.model.read_bytes()).hexdigest()[:8]
        self.signature = f"stanza-{stanza.__version__}:{self.model.name}@{digest}"
        with ExitStack() as stack:
            index = folder / "resources.json"
            if not index.is_file():
                index = stack.enter_context(resources.as_file(resources.files("polycorpus").joinpath(*STANZA_EMPTY_RESOURCES)))
            self.pipeline = stanza.Pipeline(lang, dir=str(folder), processors="tokenize",
                                            tokenize_model_path=str(self.model), resources_filepath=str(index),
                                            download_method=None, allow_unknown_language=True,
                                            logging_level="ERROR", use_gpu=False)

    def split(self, text: str) -> list[tuple[int, int]]:
        if not text.strip():
            return []
        return [(s.tokens[0].start_char, s.tokens[-1].end_char) for s in self.pipeline(text).sentences]
