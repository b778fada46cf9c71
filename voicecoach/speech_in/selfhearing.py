"""Keep the narrator's own voice from triggering commands.

The microphone hears the narrator. The app knows exactly what the narrator says and when
(:class:`SpeechActivity`, fed by the narrator's line callbacks), so
:class:`SelfHearingFilter` ignores a command heard while a line plays (plus ``tail``
seconds for room echo and audio latency) when a word of what was recognized is one the
line says about then, alone or as the stem of a longer word ("Paused." blocks "pause";
where each word falls: :func:`~voicecoach.speech_in.overlap.words_said_around`): the
narrator reading "Pause when you feel a good stretch" or "Rest. Next up: child's pose"
cannot pause or skip, while a person saying "stop" over a line without the word "stop",
or "pause" seconds after the narrator said it, is obeyed.

Alternatives considered:

* Ignore everything during playback: safest, but then the person cannot stop the narrator
  mid-sentence ("that hurts" must work at any moment), and the narrator talks a lot.
* Echo cancellation *instead*: a session cancels the echo (in the sound server where it
  can, :mod:`voicecoach.speech_in.echo_cancel`, else in the app,
  :mod:`voicecoach.speech_in.app_canceller`) so that commands are heard over the
  narrator; but what a canceller leaves of the narrator still decodes as words now and
  then ("slowly stop?"), so this filter stays on with it.
* Raise the confidence bar during playback: Vosk's grammar-mode confidences are mostly
  1.0, so the bar would not separate anything.

The word test leaves one hole: narrator speech misheard as a command that shares no word
with the line. The recognizer closes most of it (ordinary words such as "good",
"halfway", "switch" and the counts are in its grammar, so they decode as themselves).

Times: the same clock for both sides — ``time.monotonic()`` live, audio time in tests
and simulations.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from voicecoach.core.commands import FILLER_WORDS, Command
from voicecoach.speech_in.events import Heard
from voicecoach.speech_in.overlap import (
    NARRATION_TAIL,
    in_line,
    words_of,
    words_said_around,
)

URGENT = frozenset({Command.STOP, Command.PAUSE})
"""Commands taken while the narrator speaks when there is no double-talk evidence.

The small model sometimes hears narration as a whole command sharing no word with it
("resume" in a long instruction, "stop" for "Stretch."). Where the filter has evidence
(:mod:`voicecoach.speech_in.doubletalk`: the microphone held more than the narrator's
echo explains), it decides for every command said over the narrator. Without it (no
record of what the speaker plays: captions only), only stop and pause are taken over
narration; anything else waits for a gap.
"""

PersonSpoke = Callable[[float, float], bool]
"""``person_spoke(t0, t1)``: whether the person was talking over the narrator then."""

LONGEST_COMMAND = 1.0
"""Seconds the longest command phrase takes. The decoder's first word can stretch back
over the quiet before it ("harder" from 9.5 s to 11.6 s, said at 11.1 s), so the evidence
that the person spoke is looked for in the utterance's last second only."""

OPEN_LINE_GRACE = 10.0
"""A line never reported as ended counts as playing this long after its expected end."""


@dataclass
class Line:
    """One narrator line."""

    text: str
    start: float
    end: float
    """When it ended, or when it is expected to end while still playing."""
    ended: bool = False
    planned_end: float | None = None
    """When it would end if played to the end (``end`` until it ends)."""

    @property
    def words(self) -> frozenset[str]:
        """Its words."""
        return words_of(self.text)

    def words_around(self, t0: float, t1: float) -> frozenset[str]:
        """Its words the narrator said about [t0, t1] (by where each falls in the line
        as planned; a cut line said none after it ended). Past its planned end, a line
        still playing is late by an unknown amount: all its words."""
        planned = self.end if self.planned_end is None else self.planned_end
        if not self.ended and t1 > planned:
            return self.words
        cut = self.end if self.ended and self.end < planned else None
        return words_said_around(self.text, self.start, planned, t0, t1, cut=cut)


class SpeechActivity:
    """Thread-safe record of what the narrator said when (the last ``keep`` seconds)."""

    def __init__(self, keep: float = 60.0):
        self.keep = keep
        self._lines: deque[Line] = deque()
        self._lock = threading.Lock()

    def line_started(self, text: str, start: float, expected_end: float) -> None:
        """The narrator began ``text`` at ``start``; it should end at ``expected_end``."""
        with self._lock:
            end = max(start, expected_end)
            self._lines.append(Line(text, start, end, planned_end=end))
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
                    found.append(Line(line.text, line.start, line.end, line.ended,
                                      line.planned_end))
            return found

    def speaking(self, at: float, tail: float = 0.0) -> bool:
        """True when a line is playing at ``at`` (or ended less than ``tail`` before)."""
        return bool(self.lines_during(at, at, tail))


class SelfHearingFilter:
    """Decides whether a heard command may be the narrator hearing itself."""

    def __init__(self, activity: SpeechActivity, tail: float = NARRATION_TAIL,
                 person_spoke: PersonSpoke | None = None):
        self.activity = activity
        self.tail = tail
        self.person_spoke = person_spoke
        """Double-talk evidence, where the session has the narrator's signal."""

    def allow(self, event: Heard) -> bool:
        """False when a line playing while ``event`` was spoken contains one of its words,
        or when a non-urgent command came over narration with no sign of the person. A
        command completed by the narrator's words needs that sign whatever it is."""
        t0 = event.start if event.start is not None else event.at
        t1 = event.end if event.end is not None else event.at
        spoken = words_of(event.text) - FILLER_WORDS
        playing = self.activity.lines_during(t0, t1, self.tail)
        if event.shares_narration:
            return self._person_spoke(t0, t1)
        if any(in_line(word, line.words_around(t0, t1)) for line in playing for word in spoken):
            return False
        if not playing:
            return True
        if self.person_spoke is not None:  # evidence decides, for every command
            return self._person_spoke(t0, t1)
        return event.command in URGENT

    def _person_spoke(self, t0: float, t1: float) -> bool:
        """Evidence that the person spoke in the utterance's last second; none without
        a record of what the speaker played."""
        if self.person_spoke is None:
            return False
        return self.person_spoke(max(t0, t1 - LONGEST_COMMAND), t1)
