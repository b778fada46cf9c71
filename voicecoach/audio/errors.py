"""What can go wrong with an audio file, importable without numpy or libsndfile (the
command line catches it on every run, and most runs never read audio)."""

from __future__ import annotations


class AudioFormatError(ValueError):
    """A file that is not audio :mod:`voicecoach.audio.files` can read; the message names
    the file and what is wrong with it."""
