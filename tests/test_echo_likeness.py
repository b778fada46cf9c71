"""A burst of the narrator's residue is told from the person by its spectrum."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.speech import synthesize
from voicecoach.audio.pcm import SAMPLE_RATE, power_of
from voicecoach.speech_in.doubletalk import DoubleTalk

pytestmark = pytest.mark.audio

BLOCK = 320
DELAY = int(0.06 * SAMPLE_RATE)


def behind_a_canceller(burst_at: float, person_at: float,
                       person_voice: str = "flite:awb") -> tuple[np.ndarray, np.ndarray]:
    """The narrator (espeak) and the microphone behind a canceller: its residue 45 dB
    down, but 18 dB down for a tenth of a second at ``burst_at``; the person saying
    "stop" at ``person_at``, about as loud as the burst."""
    line = "Rest. Next up: Pelvic Tilts. Let both knees fall slowly to one side and back."
    reference = 0.3 * synthesize(line, "en-us", 160)
    echo = np.concatenate([np.zeros(DELAY, np.float32), reference[:-DELAY]])
    gain = np.full(len(echo), 10 ** (-45 / 20), np.float32)
    start = int(burst_at * SAMPLE_RATE)
    gain[start:start + SAMPLE_RATE // 10] = 10 ** (-18 / 20)
    mic = echo * gain + 1e-5 * np.random.default_rng(7).standard_normal(len(echo))
    person = synthesize("stop", person_voice, 160)
    person = person * (0.3 * 10 ** (-18 / 20) / np.sqrt(power_of(person)) * 0.5)
    at = int(person_at * SAMPLE_RATE)
    mic[at:at + len(person)] += person[:len(mic) - at]
    return mic.astype(np.float32), reference.astype(np.float32)


def verdicts(mic: np.ndarray, reference: np.ndarray, samples: bool) -> DoubleTalk:
    detector = DoubleTalk(block_seconds=BLOCK / SAMPLE_RATE)
    for index in range(len(mic) // BLOCK):
        m, r = (x[index * BLOCK:(index + 1) * BLOCK] for x in (mic, reference))
        at = (index + 1) * BLOCK / SAMPLE_RATE
        if samples:
            detector.feed(m, r, at)
        else:
            detector.feed_power(power_of(m), power_of(r), at)
    return detector


@pytest.mark.parametrize(("burst_at", "person_voice"),
                         [(0.8, "flite:awb"), (2.0, "flite:awb"), (2.5, "en-us")])
def test_a_burst_of_the_narrators_residue_is_not_the_person(burst_at: float,
                                                            person_voice: str) -> None:
    """The burst is the narrator's; the person is heard, even in the narrator's own voice
    (espeak's en-us): its "stop" has the narrator's spectrum, not its waveform."""
    mic, reference = behind_a_canceller(burst_at, person_at=4.2, person_voice=person_voice)
    by_loudness = verdicts(mic, reference, samples=False)
    by_sound = verdicts(mic, reference, samples=True)
    burst = (burst_at, burst_at + 0.25)
    assert by_loudness.person_share(*burst) > 0.25  # loud enough to pass for the person
    assert by_sound.person_share(*burst) == 0.0
    assert by_sound.echo_like > 0
    assert by_sound.person_spoke(4.2, 4.7)  # the person, over the same line, is heard
