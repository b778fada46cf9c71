"""The narrator's echo left in the microphone, turned down wherever the person is not heard.

An echo canceller leaves some of the narrator at the microphone (a tenth of its level after
a good one, more in double talk and while it re-learns the room). The decoder hears that
residue as words, and a command said over it merges with them into one utterance ("relax
okay just next"), or its own words come out wrong. Echo cancellers in telephony follow
their linear filter with a non-linear stage for this residue: where only the far end
talks, the near end's signal is suppressed to the noise floor.

:class:`ResidualEchoGate` does that on the double-talk detector's verdicts
(:mod:`voicecoach.speech_in.doubletalk`): while the narrator's sound may be at the
microphone, a block in which the person was not heard, nor shortly before (:data:`HANGOVER`,
a word's tail and the quiet inside "go back") or shortly after (:data:`LOOKAHEAD`, the soft
start of a word before it rises above the echo), is scaled down to the noise floor's level
(at least to :data:`DEEPEST`): noise stays noise, so the decoder's adaptation and the
noise suppressor see no pumping, and the echo drops into it. Blocks are passed on
:data:`LOOKAHEAD` blocks late for that look ahead (60 ms). Outside narration every block
passes as it came.

Measured by ``benchmarks/session_bench.py --quick --rooms 4 --voices dev`` (the echo a
canceller leaves, 0.1): a dry room 76 % -> 91 % of commands obeyed (p95 796 -> 226 ms); a
reverberant one (RT60 0.5 s, pink noise 20 dB) 63 % -> 76 %, commands nobody gave 2 -> 0.
Looking further ahead and holding on longer (100 ms, 200 ms) did no better.
Gating to a fixed -26 dB instead of the floor lost that room (63 % -> 39 %): the noise
switching on and off with the person threw the recognizer.
"""

from __future__ import annotations

from collections import deque

import numpy as np

LOOKAHEAD = 3
"""Blocks (20 ms) the gate looks ahead, and so delays what it passes."""
HANGOVER = 8
"""Blocks after the person was last heard that still pass."""
DEEPEST = 0.05
"""The lowest gain (-26 dB) an echo block is turned down to."""


class ResidualEchoGate:
    """Passes microphone blocks on :data:`LOOKAHEAD` blocks late, echo alone turned down."""

    def __init__(self, lookahead: int = LOOKAHEAD, hangover: int = HANGOVER,
                 deepest: float = DEEPEST) -> None:
        self.lookahead = lookahead
        self.deepest = deepest
        self._waiting: deque[tuple[np.ndarray, float, bool, bool, float]] = deque()
        self._heard: deque[bool] = deque(maxlen=hangover + 1)

    def push(self, block: np.ndarray, at: float, talking: bool, narrating: bool,
             floor: float) -> tuple[np.ndarray, float] | None:
        """Take one block (float samples) ending at audio time ``at``, with the detector's
        verdict for it, whether the narrator may be heard, and the noise floor (power).
        Returns the block :data:`LOOKAHEAD` blocks back and its time (None at first)."""
        self._waiting.append((block, at, talking, narrating, floor))
        if len(self._waiting) <= self.lookahead:
            return None
        block, at, talking, narrating, floor = self._waiting.popleft()
        self._heard.append(talking)
        person = any(self._heard) or any(later[2] for later in self._waiting)
        if not narrating or person:
            return block, at
        return block * self._gain(block, floor), at

    def _gain(self, block: np.ndarray, floor: float) -> float:
        """The gain that brings ``block`` down to the noise floor (never up, never below
        :data:`DEEPEST`)."""
        power = float(np.mean(np.square(block, dtype=np.float64)))
        if power <= floor:
            return 1.0
        return max(self.deepest, float(np.sqrt(floor / power)))

    def reset(self) -> None:
        """Forget waiting blocks (the microphone was reopened)."""
        self._waiting.clear()
        self._heard.clear()
