"""The narrator's echo left where the person is not heard, turned down to the noise floor."""

from __future__ import annotations

import numpy as np

from voicecoach.speech_in.residual import HANGOVER, LOOKAHEAD, ResidualEchoGate

BLOCK = 320
FLOOR = 1e-6
"""Noise floor power (-60 dBFS)."""


def run(verdicts: list[tuple[bool, bool]], level: float = 0.1) -> list[float]:
    """Feed blocks of one level with (talking, narrating) verdicts; the gain each came
    out with, in order."""
    gate = ResidualEchoGate()
    block = np.full(BLOCK, level, dtype=np.float32)
    gains: list[float] = []
    for index, (talking, narrating) in enumerate(verdicts):
        out = gate.push(block, 0.02 * (index + 1), talking, narrating, FLOOR)
        if out is not None:
            gains.append(round(float(out[0][0]) / level, 4))
    return gains


def test_echo_alone_goes_down_to_the_floor_but_not_below_the_deepest_gain() -> None:
    gains = run([(False, True)] * 20)
    assert len(gains) == 20 - LOOKAHEAD
    assert all(abs(gain - 0.05) < 1e-6 for gain in gains)  # 0.1 -> floor is -40 dB: 0.05
    quiet = run([(False, True)] * 20, level=0.002)
    assert all(abs(gain - 0.5) < 1e-3 for gain in quiet)  # brought to the floor exactly


def test_outside_narration_nothing_changes() -> None:
    assert run([(False, False)] * 20) == [1.0] * (20 - LOOKAHEAD)


def test_a_word_passes_whole_with_its_soft_start_and_its_tail() -> None:
    verdicts = [(False, True)] * 10 + [(True, True)] * 5 + [(False, True)] * 20
    gains = run(verdicts)
    passed = [index for index, gain in enumerate(gains) if gain == 1.0]
    assert passed == list(range(10 - LOOKAHEAD, 15 + HANGOVER))
    assert gains[0] < 1.0 and gains[-1] < 1.0


def test_blocks_keep_their_own_times_and_a_reset_forgets_what_waited() -> None:
    gate = ResidualEchoGate()
    block = np.zeros(BLOCK, dtype=np.float32)
    times = [gate.push(block, at, False, False, FLOOR) for at in (0.02, 0.04, 0.06, 0.08)]
    assert times[:LOOKAHEAD] == [None] * LOOKAHEAD
    out = times[LOOKAHEAD]
    assert out is not None and out[1] == 0.02
    gate.reset()
    assert gate.push(block, 1.0, False, False, FLOOR) is None
