"""Is the person talking over the narrator? More sound at the microphone than the echo explains.

The app knows what it plays (the reference) but not the room: how loud its echo is at the
microphone, how late, or how long the room rings. This detector learns the first and
bounds the others, block by block, on signal power:

* **Echo envelope.** The reference's power, spread over the last :data:`MAX_DELAY` seconds
  (an echo comes that much later at most) and decaying like a room ringing out
  (:data:`RING_DB_PER_SECOND`).
* **Echo gain.** The ratio of microphone power to that envelope, learnt while the
  narrator plays (not while only its ringing envelope is left: there the envelope is
  tiny and noise alone gave ratios a hundred times the true gain, which then hid the
  person for seconds) and the person is not heard: a high percentile over the last
  :data:`GAIN_WINDOW` seconds (the envelope is an upper bound of the echo, so most ratios
  lie below the true gain). Learning stops while the person talks (the usual freeze in
  double talk), except at the very start and when "talking" lasts so long that it must be
  a louder echo (:data:`RELEARN_AFTER`).
* **Noise floor.** A low percentile of microphone power over the same window.

A block is the person's when its power is :data:`MARGIN_DB` above the echo it should
hold plus the noise floor, unless (given the samples) it sounds like a block the narrator
played within the echo's delay (:mod:`voicecoach.speech_in.echo_likeness`): a burst of a
canceller's residue, not the person. Times are audio times of each block's end, as everywhere in
speech in. Pure numpy, no device. The simulation feeds it the narration it mixes in; live,
the speaker stream reports what it plays (:class:`~voicecoach.speech_in.played.PlayedAudio`,
filled from the audio callback, read by the listener thread).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from voicecoach.audio.pcm import power_of
from voicecoach.speech_in.echo_likeness import EchoLikeness

MAX_DELAY = 0.25
"""Longest echo delay (output buffering, the room) the envelope allows for, seconds."""
RING_DB_PER_SECOND = 60.0 / 0.6
"""How fast the envelope decays after the reference stops: a room of RT60 0.6 s."""
GAIN_WINDOW = 8.0
"""Seconds of history the echo gain and the noise floor are learnt from."""
GAIN_PERCENTILE = 90.0
"""The echo gain is this percentile of microphone/envelope power ratios."""
FLOOR_PERCENTILE = 10.0
"""The noise floor is this percentile of microphone power."""
MARGIN_DB = 4.0
"""How far above the explained power a block must be to be the person's."""
BOOTSTRAP_BLOCKS = 25
"""The echo gain is learnt from every narration block until it has this many (0.5 s)."""
RELEARN_AFTER = 3.0
"""Seconds of "the person is talking" over narration after which it is taken for a louder
echo (the speaker turned up) and learnt from: nobody gives a command that long."""
PLAYING_SHARE = 0.1
"""The echo gain is learnt only from blocks where the reference itself (not the ringing
envelope) is at least this share of the envelope: the narrator is playing."""
TALK_ENOUGH = 0.15
"""Seconds of the person heard that are evidence enough in any stretch: a command's
syllables, more than the echo's rare misjudged blocks (none to two in a line)."""
QUIETEST_PERSON = 1e-6
"""Microphone power (-60 dBFS) below which nobody is talking, whatever the floor: an echo
canceller's output can be near digital silence, where its faint residue would otherwise
stand out from a floor of nothing."""
MIN_REFERENCE = 1e-7
"""Reference power (float, full scale 1.0) below which the narrator counts as silent."""


class DoubleTalk:
    """Follows microphone and reference power and says when the person is talking."""

    def __init__(self, block_seconds: float = 0.02, keep_seconds: float = 30.0) -> None:
        self.block_seconds = block_seconds
        self._delay_blocks = max(1, round(MAX_DELAY / block_seconds))
        self._ring = 10.0 ** (-RING_DB_PER_SECOND * block_seconds / 10.0)
        self._recent_ref: deque[float] = deque(maxlen=self._delay_blocks)
        self._envelope = 0.0
        window = max(10, round(GAIN_WINDOW / block_seconds))
        self._ratios: deque[float] = deque(maxlen=window)
        self._powers: deque[float] = deque(maxlen=window)
        self._verdicts: deque[tuple[float, bool]] = deque(maxlen=round(keep_seconds
                                                                        / block_seconds))
        self.floor = 0.0
        """The microphone's noise floor (power), as last estimated."""
        self.echo_gain = 0.0
        """Learnt echo power relative to the reference's (0 until learnt)."""
        self._last_talking: float | None = None
        self._last_at = 0.0
        self._talk_run = 0.0
        self._likeness = EchoLikeness(self._delay_blocks, MIN_REFERENCE)
        self.echo_like = 0
        """Blocks loud enough for the person that sounded like the narrator instead."""

    @property
    def narrating(self) -> bool:
        """True while the narrator's sound (or its ringing) may be at the microphone."""
        return self._envelope > MIN_REFERENCE

    def feed(self, mic: np.ndarray, reference: np.ndarray, at_end: float) -> bool:
        """One block of microphone and reference (float, same length); True if the
        person is talking in it."""
        return self.feed_power(power_of(mic), power_of(reference), at_end, mic, reference)

    def feed_power(self, mic_power: float, ref_power: float, at_end: float,
                   mic: np.ndarray | None = None, reference: np.ndarray | None = None) -> bool:
        """One block, as the mean square of the microphone and of the reference (float
        samples, full scale 1.0); True if the person is talking in it. With the block's
        samples (``mic`` and ``reference``), a loud block that sounds like what was just
        played is not the person."""
        self._recent_ref.append(ref_power)
        self._envelope = max(max(self._recent_ref), self._envelope * self._ring)
        self._powers.append(mic_power)
        floor = float(np.percentile(self._powers, FLOOR_PERCENTILE))
        self.floor = floor
        explained = self.echo_gain * self._envelope + floor
        loud = (mic_power > explained * 10.0 ** (MARGIN_DB / 10.0)
                and mic_power > QUIETEST_PERSON)
        if reference is not None:
            self._likeness.add_played(reference, ref_power)
        talking = loud
        if loud and mic is not None and self.narrating and self._likeness.sounds_played(mic):
            talking = False
            self.echo_like += 1
        playing = max(self._recent_ref) >= PLAYING_SHARE * self._envelope
        if self.narrating:
            self._talk_run = self._talk_run + self.block_seconds if loud else 0.0
            if playing and (not loud or len(self._ratios) < BOOTSTRAP_BLOCKS
                    or self._talk_run > RELEARN_AFTER):
                self._ratios.append(max(0.0, mic_power - floor) / self._envelope)
                self.echo_gain = float(np.percentile(self._ratios, GAIN_PERCENTILE))
        self._verdicts.append((at_end, talking))
        self._last_at = at_end
        if talking:
            self._last_talking = at_end
        return talking

    def quiet_for(self) -> float:
        """Seconds since the person was last heard beyond the echo (up to the last block)."""
        if self._last_talking is None:
            return self._last_at
        return self._last_at - self._last_talking

    def person_share(self, t0: float, t1: float) -> float:
        """Share of the blocks ending in [t0, t1] in which the person was talking."""
        inside = [talking for at, talking in self._verdicts
                  if t0 - self.block_seconds < at <= t1 + self.block_seconds]
        return sum(inside) / len(inside) if inside else 0.0

    def person_spoke(self, t0: float, t1: float, share: float = 0.3,
                     enough: float = TALK_ENOUGH) -> bool:
        """True when the person was talking in at least ``share`` of [t0, t1], or for
        ``enough`` seconds of it (a short word in a longer stretch)."""
        spoken = self.person_share(t0, t1)
        return spoken >= share or spoken * max(t1 - t0, 0.0) >= enough
