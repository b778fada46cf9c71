"""Keep the narrator's own voice from triggering commands.

The microphone hears the narrator. The app knows exactly what the narrator says and when
(:class:`SpeechActivity`, fed by the narrator's line callbacks), so
:class:`SelfHearingFilter` ignores a command heard while a line plays (plus ``tail``
seconds for room echo and audio latency) when a word of what was recognized appears in
that line, alone or as the stem of a longer word ("Paused." blocks "pause"): the narrator
reading "Pause when you feel a good stretch" or "Rest. Next up: child's pose" cannot
pause or skip, while a person saying "stop" over a line without the word "stop" is obeyed
at once.

Alternatives considered:

* Ignore everything during playback: safest, but then the person cannot stop the narrator
  mid-sentence ("that hurts" must work at any moment), and the narrator talks a lot.
* Echo cancellation *instead*: an in-app canceller knows the exact signal it plays, but
  not the room's echo path, the output/input latency or the speakers' distortion, and
  needs a clock shared with the sound card that PortAudio does not give us. The sound
  server's canceller has that clock, and a session uses it where it can
  (:mod:`voicecoach.speech_in.echo_cancel`) so that "stop" is heard over the narrator; but it
  is not always there, and what it leaves of the narrator still decodes as words now
  and then ("slowly stop?"), so this filter stays on with it.
* Raise the confidence bar during playback: Vosk's grammar-mode confidences are mostly
  1.0, so the bar would not separate anything.

The word test leaves one hole: narrator speech misheard as a command that shares no word
with the line. The recognizer closes most of it (ordinary words such as "good",
"halfway", "switch" and the counts are in its grammar, so they decode as themselves).

Times: the same clock for both sides — ``time.monotonic()`` live, audio time in tests
and simulations.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass

from voicecoach.core.commands import FILLER_WORDS, Command
from voicecoach.speech_in.events import Heard

URGENT = frozenset({Command.STOP, Command.PAUSE})
"""The only commands taken while the narrator speaks: the person must be able to stop it.

Anything else said over the narrator waits for a pause in its speech (there are plenty):
the small model sometimes hears narration as a whole command sharing no word with it
("resume" in a long instruction), and only stop and pause are worth that risk.
"""

OPEN_LINE_GRACE = 10.0
"""A line never reported as ended counts as playing this long after its expected end."""


def words_of(text: str) -> frozenset[str]:
    """Lower-case words of ``text`` without punctuation."""
    return frozenset(re.findall(r"[a-z']+", text.lower()))


@dataclass
class Line:
    """One narrator line."""

    text: str
    start: float
    end: float
    """When it ended, or when it is expected to end while still playing."""
    ended: bool = False

    @property
    def words(self) -> frozenset[str]:
        """Its words."""
        return words_of(self.text)


class SpeechActivity:
    """Thread-safe record of what the narrator said when (the last ``keep`` seconds)."""

    def __init__(self, keep: float = 60.0):
        self.keep = keep
        self._lines: deque[Line] = deque()
        self._lock = threading.Lock()

    def line_started(self, text: str, start: float, expected_end: float) -> None:
        """The narrator began ``text`` at ``start``; it should end at ``expected_end``."""
        with self._lock:
            self._lines.append(Line(text, start, max(start, expected_end)))
            while self._lines and self._lines[0].end < start - self.keep:
                self._lines.popleft()

    def line_ended(self, text: str, end: float) -> None:
        """``text`` finished or was cut off at ``end``."""
        with self._lock:
            for line in reversed(self._lines):
                if not line.ended and line.text == text:
                    line.end, line.ended = max(line.start, end), True
                    return

    def lines_during(self, t0: float, t1: float, tail: float = 0.0) -> list[Line]:
        """Lines playing at some moment of [t0, t1], each extended by ``tail``."""
        with self._lock:
            found = []
            for line in self._lines:
                end = line.end if line.ended else line.end + OPEN_LINE_GRACE
                if line.start <= t1 and t0 <= end + tail:
                    found.append(Line(line.text, line.start, line.end, line.ended))
            return found

    def speaking(self, at: float, tail: float = 0.0) -> bool:
        """True when a line is playing at ``at`` (or ended less than ``tail`` before)."""
        return bool(self.lines_during(at, at, tail))


class SelfHearingFilter:
    """Decides whether a heard command may be the narrator hearing itself."""

    def __init__(self, activity: SpeechActivity, tail: float = 0.35):
        self.activity = activity
        self.tail = tail

    def allow(self, event: Heard) -> bool:
        """False when a line playing while ``event`` was spoken contains one of its words."""
        t0 = event.start if event.start is not None else event.at
        t1 = event.end if event.end is not None else event.at
        spoken = words_of(event.text) - FILLER_WORDS
        playing = self.activity.lines_during(t0, t1, self.tail)
        if playing and event.command not in URGENT:
            return False  # narration misheard as a command shares no word with it
        return not any(shares_a_word(spoken, line.words) for line in playing)


def shares_a_word(spoken: frozenset[str], line: frozenset[str]) -> bool:
    """True when a spoken word is in the line, alone or as a stem ("pause" in "paused",
    "back" in "backward", "quit" in "quite"): such words sound alike enough to be misheard."""
    return any(
        word == other or (len(word) >= 4 and other.startswith(word))
        for word in spoken
        for other in line
    )
