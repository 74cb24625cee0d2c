"""Static HTML pages to read a build: one page per article, an index for the corpus, errors against gold in place."""

from .render import write_review

__all__ = ["write_review"]
