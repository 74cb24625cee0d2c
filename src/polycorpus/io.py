"""Reading inputs and writing outputs atomically (write a temporary file, then rename)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[Any]:
    """Open a temporary file beside ``path``; it replaces ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes the file private; outputs follow the umask
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_text(path: str | Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)


def write_json(path: str | Path, value: Any) -> None:
    """Deterministic, human-readable JSON."""
    write_text(path, json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n")


def write_jsonl(path: str | Path, records: list[dict[str, Any]]) -> None:
    write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# Single-byte encodings of the article languages, tried when UTF-8 fails; the one whose
# decoding looks most like the language wins (see _decode_legacy).
LEGACY_ENCODINGS = ("cp1251", "cp1254")


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable or empty (blank) file is an InputError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror})") from None
    if not data.strip():
        raise InputError(path, "empty file")
    return data


def read_text(path: str | Path) -> str:
    """The file as text: UTF-8 (a byte-order mark dropped) or UTF-16 (with or without a BOM).

    Line ends CRLF become LF. Rejects empty and binary files; a legacy-encoded file (cp1251
    Cyrillic, cp1254 Turkish) is reported with the encoding it appears to be in.
    """
    path = Path(path)
    data = read_bytes(path)
    utf16 = _utf16_encoding(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise InputError(path, f"looks like UTF-16 but does not decode (invalid bytes at offset {exc.start})") from None
        text = text.lstrip("\ufeff")
        if "\x00" in text[:4096]:
            raise InputError(path, "binary file, not text")
        return text.replace("\r\n", "\n") if "\r\n" in text else text
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = _guess_legacy(data)
        hint = f"; it looks like {guess} (convert it with: iconv -f {guess} -t utf-8)" if guess else ""
        raise InputError(path, f"not UTF-8 (invalid byte at offset {exc.start}){hint}") from None
    return text.replace("\r\n", "\n") if "\r\n" in text else text


def _utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` for a UTF-16 BOM; ``utf-16-le``/``-be`` when, without one, the zero bytes (the high
    byte of every space, digit and Latin letter) fall on one side of the code units."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 1:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd > pairs * 0.02 and even * 10 < odd:
        return "utf-16-le"
    if even > pairs * 0.02 and odd * 10 < even:
        return "utf-16-be"
    return None


def _guess_legacy(data: bytes) -> str | None:
    """Name the legacy encoding under which most non-ASCII words read as words of its script.

    Any byte decodes in either code page, so count plausible words: under cp1251 a word whose
    letters are all Cyrillic, under cp1254 one whose non-ASCII letters are all Turkish ones.
    """
    turkish = set("çğıöşüÇĞİÖŞÜâîûÂÎÛ")
    scores = {}
    for encoding in LEGACY_ENCODINGS:
        words = [w for w in re.findall(r"[^\W\d_]+", data.decode(encoding, errors="replace")) if not w.isascii()]
        if encoding == "cp1251":
            scores[encoding] = sum(all("\u0400" <= c <= "\u04ff" for c in w) for w in words)
        else:
            scores[encoding] = sum(all(c.isascii() or c in turkish for c in w) for w in words)
    best = max(scores, key=scores.get)
    return best if scores[best] and list(scores.values()).count(scores[best]) == 1 else None
