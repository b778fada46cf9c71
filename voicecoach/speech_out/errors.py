"""Speech out's error, importable without loading the audio stack (the CLI catches it)."""

from __future__ import annotations


class SpeechUnavailable(RuntimeError):
    """pyttsx3 or espeak-ng is missing or unusable; the message says what to install."""
