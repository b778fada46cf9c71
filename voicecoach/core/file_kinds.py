"""What a file's first bytes say it is, when it is not text: audio, an image, a document
(one home for the article reader and the routine reader)."""

from __future__ import annotations

import re

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
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_NOT_TEXT = re.compile(r"[\ufffd\x00-\x08\x0e-\x1a\x1c-\x1f]")


def binary_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not text: a known format, or why it cannot be text."""
    for magic, kind in _FORMATS:
        if magic.match(data):
            return kind
    if data.startswith(UTF16_MARKS):
        return None
    if b"\x00" in data:
        return "it has NUL bytes"
    decoded = data.decode("utf-8", errors="replace")
    if decoded and len(_NOT_TEXT.findall(decoded)) > MOSTLY_NOT_TEXT * len(decoded):
        return "most of its bytes are not text"
    return None
