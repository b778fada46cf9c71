"""An article file's bytes as text: UTF-8 only. Anything else is refused with one line
naming the file: a file that is not text at all (audio, an image, a document) for what
it is, whatever its size; then a file too large for an article; then text in another
encoding at its first byte that is not UTF-8."""

from __future__ import annotations

from pathlib import Path

from voicecoach.core.file_kinds import UTF16_MARKS, binary_kind
from voicecoach.core.routine_rules import MAX_FILE_BYTES

EXPECTED = "import reads a stretching article saved as plain text or Markdown, in UTF-8"
"""What import wants, said after a file that is not text."""
MAX_ARTICLE_BYTES = MAX_FILE_BYTES
"""The largest article read: 1 MiB, as for a routine file."""


class ArticleFileError(ValueError):
    """The article file cannot be read as an article; ``str()`` is one line naming it."""


class NotTextError(ArticleFileError):
    """The article file is not UTF-8 text; ``str()`` is one line naming the file."""


def read_article_file(path: Path) -> str:
    """The text of the article file ``path``, a regular file, as :func:`article_text`
    reads it. A file that is not text is refused as such (a WAV is audio, not an article
    too large), one over :data:`MAX_ARTICLE_BYTES` as too large for an article."""
    with path.open("rb") as handle:
        data = handle.read(MAX_ARTICLE_BYTES + 1)  # enough to tell, never a whole video
    _refuse_binary(data, str(path))
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleFileError(f"{path}: too large for an article "
                               f"(over {MAX_ARTICLE_BYTES // 1024} KiB)")
    return article_text(data, str(path))


def article_text(data: bytes, source: str) -> str:
    """``data`` read from the file ``source`` as UTF-8, without a byte-order mark.

    Raises :class:`NotTextError` for binary data or text in another encoding."""
    _refuse_binary(data, source)
    if data.startswith(UTF16_MARKS):
        raise NotTextError(f"{source}: not UTF-8 text (UTF-16, by its byte-order mark; "
                           "save it as UTF-8)")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotTextError(f"{source}:{line}: not UTF-8 text (at byte offset {error.start} "
                           "of the file; save it as UTF-8)") from None


def _refuse_binary(data: bytes, source: str) -> None:
    """Raise :class:`NotTextError` when ``data`` is not text at all."""
    kind = binary_kind(data)
    if kind is not None:
        raise NotTextError(f"{source}: not a text file ({kind}); {EXPECTED}")
