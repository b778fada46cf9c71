"""Commands far quieter than the person's are someone else's.

People talking elsewhere in the room, or a television, reach the microphone far quieter
than the person giving commands, and now and then a piece of their talk decodes as a
command phrase ("next", "stop"). In the session benchmark with other people talking
20 dB under the person (held-out voices), 4 of the 6 commands nobody gave came 18–22 dB
under the person's own commands of that session, which lay within 10 dB of each other.

So the recognizer notes how loud each command it hears is (:class:`LevelHistory`: the
loudest tenth of its 20 ms blocks, as fed to it), and :class:`OwnVoice` takes a command
only when it is no more than :data:`FAINT_DB` under the person's usual level: the median
of the last :data:`RECENT` commands taken. The first command of a session sets it. A
command refused as faint ("fainter than your commands") and said again within
:data:`SAID_AGAIN` seconds is taken: someone who moved much further away says it once
more, and after a few commands their new level is the usual one. Talk in the room gives
a run of different commands, not the same one twice ("easier", then "done" 7 s later),
and what is refused never moves the usual level.

Over the narrator too: there the double-talk evidence passes the room's talk for the
person, and with commands over the narrator left alone the row gave 6 again (the
narrator talks most of the time). An echo canceller turns the person down with the
echo (6–14 dB live, at most 9 dB behind the app's canceller in the benchmark), so a
command said over a loud narrator may need saying twice, as it often did already.

A first command from the room's talk, before the person has given one, sets the usual
level low, and is taken.
"""

from __future__ import annotations

import statistics
from collections import deque

import numpy as np

from voicecoach.audio.pcm import from_pcm16, power_of
from voicecoach.speech_in.events import Heard

FAINT_DB = 14.0
"""How far under the person's usual level a command is taken for someone else's."""
RECENT = 3
"""Commands taken whose median loudness is the person's usual level."""
SAID_AGAIN = 8.0
"""Seconds after a command refused as faint in which the same command, as faint, is
taken."""
KEEP_SECONDS = 20.0
"""Seconds of block loudness kept (longer than any utterance)."""
LOUDEST_SHARE = 90.0
"""An utterance's loudness is this percentile of its blocks' power: its voiced part."""


class LevelHistory:
    """The power of each chunk fed to the recognizer, by audio time."""

    def __init__(self, keep: float = KEEP_SECONDS) -> None:
        self.keep = keep
        self._blocks: deque[tuple[float, float]] = deque()

    def add(self, chunk: bytes, at_end: float) -> None:
        """Note ``chunk`` (int16 mono PCM) whose last sample is at ``at_end``."""
        samples = from_pcm16(chunk[: len(chunk) // 2 * 2])
        if samples.size == 0:
            return
        self._blocks.append((at_end, power_of(samples)))
        while self._blocks and self._blocks[0][0] < at_end - self.keep:
            self._blocks.popleft()

    def level_db(self, start: float, end: float) -> float | None:
        """Loudness of what was fed between ``start`` and ``end`` in dBFS, or None if
        nothing was."""
        powers = [power for at, power in self._blocks if start <= at <= end + 0.02]
        if not powers:
            return None
        return 10.0 * float(np.log10(max(float(np.percentile(powers, LOUDEST_SHARE)), 1e-12)))


class OwnVoice:
    """Refuses commands far fainter than the person's usual level. One per session."""

    def __init__(self, faint_db: float = FAINT_DB, recent: int = RECENT) -> None:
        self.faint_db = faint_db
        self._levels: deque[float] = deque(maxlen=recent)
        self._refused: Heard | None = None

    def allow(self, event: Heard) -> bool:
        """False when ``event`` is more than :attr:`faint_db` under the person's usual
        level, unless the same command was refused so just before; each command taken
        counts towards that level."""
        level = event.loudness_db
        if level is None:
            return True
        usual = statistics.median(self._levels) if self._levels else None
        last = self._refused
        taken = (usual is None or level >= usual - self.faint_db
                 or (last is not None and last.command == event.command
                     and event.at - last.at <= SAID_AGAIN))
        if taken:
            self._levels.append(level)
        self._refused = None if taken else event
        return taken
