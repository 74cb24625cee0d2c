"""TEI P5 out and back in: ``write.to_tei`` / ``write.write_tei``, ``read.read_tei``, ``validate.validate_files``.

The encoding follows ``shared/schema/CONVENTIONS.md``; the package's own RELAX NG schema
(``data/tei/polycorpus.rng``) is a strict subset of TEI All covering exactly what the writer makes.
"""

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Gold entity label <-> TEI element (CONVENTIONS §4).
LABEL_ELEMENTS = {"PER": "persName", "LOC": "placeName", "ORG": "orgName", "WORK": "title",
                  "EVENT": "eventName", "DATE": "date"}
ELEMENT_LABELS = {element: label for label, element in LABEL_ELEMENTS.items()}

# Sentence part (gold) <-> the front div that holds it; body parts live in body/div[@type=section].
FRONT_DIV_PARTS = {"title": "title", "byline": "front", "abstract": "abstract", "keywords": "keywords"}


def tei(tag: str) -> str:
    """Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{tag}"


def xml(attr: str) -> str:
    return f"{{{XML_NS}}}{attr}"
