"""An article file's bytes as text: UTF-8 only. Anything else is refused with one line
naming the file: text in another encoding at its first byte that is not UTF-8, and a
file that is not text at all (audio, an image, a document) for what it is."""

from __future__ import annotations

import re

EXPECTED = "import reads a stretching article saved as plain text or Markdown, in UTF-8"
"""What import wants, said after a file that is not text."""
MOSTLY_NOT_TEXT = 0.3
"""Above this share of characters that are undecodable or control characters, a file is
not text in any encoding but binary data."""

_FORMATS = tuple((re.compile(magic, re.DOTALL), kind) for magic, kind in (
    (rb"RIFF.{4}WAVE", "WAV audio"),
    (rb"RIFF", "a RIFF file, such as AVI video"),
    (rb"%PDF-", "a PDF document"),
    (rb"\x89PNG", "a PNG image"),
    (rb"\xff\xd8\xff", "a JPEG image"),
    (rb"GIF8", "a GIF image"),
    (rb"PK\x03\x04", "a ZIP archive, such as a .docx document"),
    (rb"ID3", "MP3 audio"),
    (rb"OggS", "Ogg audio"),
    (rb"fLaC", "FLAC audio"),
    (rb"\x1f\x8b", "a gzip archive"),
    (rb"\x7fELF", "a program"),
))
"""The first bytes of common files that are not text, and what they are."""
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_NOT_TEXT = re.compile(r"[\ufffd\x00-\x08\x0e-\x1a\x1c-\x1f]")


class NotTextError(ValueError):
    """The article file is not UTF-8 text; ``str()`` is one line naming the file."""


def article_text(data: bytes, source: str) -> str:
    """``data`` read from the file ``source`` as UTF-8, without a byte-order mark.

    Raises :class:`NotTextError` for binary data or text in another encoding."""
    kind = _binary_kind(data)
    if kind is not None:
        raise NotTextError(f"{source}: not a text file ({kind}); {EXPECTED}")
    if data.startswith(_UTF16_MARKS):
        raise NotTextError(f"{source}: not UTF-8 text (UTF-16, by its byte-order mark; "
                           "save it as UTF-8)")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotTextError(f"{source}:{line}: not UTF-8 text (at byte offset {error.start} "
                           "of the file; save it as UTF-8)") from None


def _binary_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not text: a known format, or why it cannot be text."""
    for magic, kind in _FORMATS:
        if magic.match(data):
            return kind
    if data.startswith(_UTF16_MARKS):
        return None
    if b"\x00" in data:
        return "it has NUL bytes"
    decoded = data.decode("utf-8", errors="replace")
    if decoded and len(_NOT_TEXT.findall(decoded)) > MOSTLY_NOT_TEXT * len(decoded):
        return "most of its bytes are not text"
    return None
