"""Named entities and dates: backends per language, the ``entities`` stage, linking and exports.

Importing the package registers the NER backends by name (nothing heavy is imported until a
backend is loaded): ``spacy-en``, ``natasha``, ``stanza`` (Russian, user-supplied models) and
``az`` (polycorpus's Azerbaijani recogniser).
"""

from . import backends  # noqa: F401  (registers the "ner" backends)
