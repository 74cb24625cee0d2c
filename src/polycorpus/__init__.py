"""polycorpus: multilingual scholarly articles into research-grade corpora."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("polycorpus")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .document import CleanText, Document, Span  # noqa: E402
from .errors import InputError, PolycorpusError, ResourceError  # noqa: E402

__all__ = ["CleanText", "Document", "Span", "InputError", "PolycorpusError", "ResourceError", "__version__"]
