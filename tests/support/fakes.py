"""Small real stand-ins for tests: a clock you move by hand and a speaker that records.

Audio is not what UI tests test, so a speaker that writes down its lines is enough there;
the narrator has its own tests on real espeak-ng audio.
"""

from __future__ import annotations

from collections.abc import Callable

from voicecoach.core.cues import SayKind


class FakeClock:
    """A monotonic clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self.now += seconds


class RecordingSpeaker:
    """A narrator stand-in: records what it is told, and can pass lines on as captions."""

    def __init__(self, on_caption: Callable[[str | None], None] | None = None, *,
                 audible: bool = True) -> None:
        self.audible = audible
        """As a narrator that says lines aloud, or (False) one that only shows them."""
        self.lines: list[tuple[str, SayKind]] = []
        self.silences = 0
        self.closed = False
        self.on_caption = on_caption

    def say(self, text: str, kind: SayKind) -> None:
        """Record a line (and show it as the caption)."""
        self.lines.append((text, kind))
        if self.on_caption:
            self.on_caption(text)

    def silence(self) -> None:
        """Record a cut-off."""
        self.silences += 1
        if self.on_caption:
            self.on_caption(None)

    def drain(self, timeout: float = 5.0) -> bool:
        """Lines are recorded at once: nothing to wait for."""
        return True

    busy = False
    """Lines take no time: the session never waits for them."""

    def close(self) -> None:
        """Record the close."""
        self.closed = True

    @property
    def texts(self) -> list[str]:
        """The lines said, in order."""
        return [text for text, _ in self.lines]
