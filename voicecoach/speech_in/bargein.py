"""Barge-in: the narrator yields the moment the person starts to speak.

Two voices at once defeat the small model; one voice and a quiet echo do not. So when the
double-talk detector (:mod:`voicecoach.speech_in.doubletalk`) hears the person over the
narrator for :data:`ONSET_SECONDS`, the narrator is turned down by :data:`DUCK_GAIN`
(about 20 dB) at once, and back up once the person has been quiet for
:data:`RELEASE_SECONDS`. A command is short: most of it then reaches the recognizer over
an echo 20 dB quieter. The line goes on underneath (it is not re-read: a person who wants
it again says "repeat").

Behind the app's own canceller the person is also listened for on the microphone as it
came, before cancelling (a second detector): the app's canceller once was WebRTC's AEC3,
which turns a person talking over the echo down with it, so on its output they were heard
late, and the narrator yielded late. Either verdict turns the narrator down: development
voices, raw echo (0.5) in a reverberant room, 66 % -> 71 % of commands obeyed with AEC3,
none nobody gave.

Pure: the listener (live) and the simulation feed it one verdict per microphone block
(the person heard while the narrator is at the microphone: a command said into silence
turns nothing down) and apply :attr:`BargeIn.gain` to what the speaker plays.
"""

from __future__ import annotations

ONSET_SECONDS = 0.06
"""How long the person must be heard over the narrator before it yields."""
RELEASE_SECONDS = 0.7
"""How long the person must have been quiet before the narrator comes back up."""
DUCK_GAIN = 0.1
"""The narrator's level while the person speaks (-20 dB)."""


class BargeIn:
    """Follows the double-talk verdicts and says how loud the narrator may be."""

    def __init__(self, onset: float = ONSET_SECONDS, release: float = RELEASE_SECONDS,
                 duck_gain: float = DUCK_GAIN) -> None:
        self.onset = onset
        self.release = release
        self.duck_gain = duck_gain
        self._talking_since: float | None = None
        self._last_talking = float("-inf")
        self._ducked = False
        self.ducks = 0
        """How many times the narrator yielded."""

    @property
    def gain(self) -> float:
        """The narrator's gain now: 1.0, or :attr:`duck_gain` while the person speaks."""
        return self.duck_gain if self._ducked else 1.0

    @property
    def ducked(self) -> bool:
        """True while the narrator is turned down."""
        return self._ducked

    def reset(self) -> None:
        """Back to full level, the person not heard."""
        self._talking_since = None
        self._last_talking = float("-inf")
        self._ducked = False

    def feed(self, talking: bool, at: float, block: float) -> float:
        """One block's verdict (the person heard beyond the echo, or not), ending at
        ``at`` and ``block`` seconds long; returns the gain for what is played next."""
        if talking:
            if self._talking_since is None:
                self._talking_since = at - block
            self._last_talking = at
            if not self._ducked and at - self._talking_since >= self.onset - 1e-9:
                self._ducked = True
                self.ducks += 1
        else:
            self._talking_since = None
            if self._ducked and at - self._last_talking >= self.release:
                self._ducked = False
        return self.gain
