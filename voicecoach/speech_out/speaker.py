"""The speech-out port: :class:`Speaker`, and :class:`CaptionNarrator`, which shows lines
instead of saying them (``--mute``, and the audio narrator's stand-in while no output
opens). Callbacks run on the caller's thread; times are ``time.monotonic()`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from voicecoach.core.cues import SayKind
from voicecoach.speech_out.profiles import VoiceProfile

log = logging.getLogger(__name__)

LineStart = Callable[[str, float, float], None]
"""``on_line_start(text, start, expected_end)``: a line begins, and when it should end."""
LineEnd = Callable[[str, float], None]
"""``on_line_end(text, end)``: a line finished or was cut off."""

STALE_COUNT_SECONDS = 1.0
"""A count that cannot start within this long of being due is dropped, not said late."""
_DEFAULT_RATE = 170
"""Words per minute assumed by a caption narrator without a profile."""


SPEECH_LOST = "speech lost: the audio output stopped; showing captions until it is back"
SPEECH_BACK = "speech is back"
"""What the narrator tells when its output goes away and when it is back (each takes the
other's place among a screen's notices)."""


class Speaker(Protocol):
    """Something that speaks lines for the session: the one speech-out port.

    :class:`AudioNarrator` and :class:`CaptionNarrator` are speakers; the session runner
    (:class:`~voicecoach.drivers.live.SessionRunner`) says and silences lines through one,
    and whoever made it drains and closes it when the session ends.
    """

    def say(self, text: str, kind: SayKind) -> None:
        """Queue a line; returns at once. Lines are spoken in order."""

    def silence(self) -> None:
        """Cut off the current line at once and drop everything queued."""

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued line has been said; True if it was, in time."""

    def close(self) -> None:
        """Stop speaking and release the audio device."""

    @property
    def audible(self) -> bool:
        """True while lines are said aloud; False while they are only shown (``--mute``,
        or no sound output)."""

    @property
    def busy(self) -> bool:
        """True while a line is being said or waits to be (shown lines: for as long as
        they would take to say)."""


def stale_deadline(kind: SayKind, due: float) -> float | None:
    """When a line said at ``due`` goes stale: counts only; other lines never do."""
    return due + STALE_COUNT_SECONDS if kind is SayKind.COUNT else None


def call_back(callback: Callable[..., None] | None, *args: Any) -> None:
    """Run a listener's callback; a failing callback is logged, never fatal."""
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("speaker callback %r failed", callback)


class CaptionNarrator:
    """A speaker that shows lines instead of saying them (sound off, or no sound card).

    Each line calls ``on_caption(text)`` and ``print_fn(text)`` (either may be None), then
    ``on_line_start``/``on_line_end`` at once with the times it would take to say, estimated
    from ``profile`` and queued one after the other as real speech would be.
    """

    audible = False
    """Lines are only shown."""

    def __init__(
        self,
        profile: VoiceProfile | None = None,
        *,
        print_fn: Callable[[str], None] | None = print,
        on_caption: Callable[[str], None] | None = None,
        on_line_start: LineStart | None = None,
        on_line_end: LineEnd | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.profile = profile
        self._print = print_fn
        self._on_caption = on_caption
        self._on_line_start = on_line_start
        self._on_line_end = on_line_end
        self._clock = clock
        self._busy_until = 0.0
        self._closed = False

    def estimate(self, text: str) -> float:
        """Seconds the line would take to say."""
        if self.profile is not None:
            return self.profile.estimate_seconds(text)
        return len(text.split()) * 60.0 / _DEFAULT_RATE

    def say(self, text: str, kind: SayKind) -> None:
        """Show the line (if the profile wants it) and report its estimated timing."""
        if self._closed or (self.profile is not None and not self.profile.wants(kind, text)):
            return
        if not text.strip():
            return
        start = max(self._clock(), self._busy_until)
        end = start + self.estimate(text)
        self._busy_until = end
        call_back(self._on_caption, text)
        call_back(self._print, text)
        call_back(self._on_line_start, text, start, end)
        call_back(self._on_line_end, text, end)

    def silence(self) -> None:
        """Forget the estimated backlog: the next line starts now."""
        self._busy_until = self._clock()

    @property
    def busy(self) -> bool:
        """True until the lines shown would have been said."""
        return self._clock() < self._busy_until

    def drain(self, timeout: float = 5.0) -> bool:
        """Captions are shown at once: nothing to wait for."""
        return True

    def close(self) -> None:
        """Show nothing more."""
        self._closed = True
