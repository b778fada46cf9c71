"""The recognizer's front end on real espeak-ng speech: noise out, speech kept, level lifted."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.speech import add_noise, compose, noise, synthesize
from voicecoach.audio.pcm import SAMPLE_RATE, from_pcm16, to_pcm16
from voicecoach.speech_in.cleanup import PEAK, TARGET_DBFS, FrontEnd

pytestmark = [pytest.mark.audio]


def through(front_end: FrontEnd, audio: np.ndarray, chunk: int = 320,
            person: bool = True) -> np.ndarray:
    """``audio`` (float) fed in ``chunk``-sample pieces; the output as float."""
    pcm = to_pcm16(audio)
    pieces = (pcm[i : i + 2 * chunk] for i in range(0, len(pcm), 2 * chunk))
    out = b"".join(front_end.process(piece, person) for piece in pieces)
    return from_pcm16(out)


def dbfs(audio: np.ndarray) -> float:
    return 10.0 * float(np.log10(np.mean(audio.astype(np.float64) ** 2) + 1e-20))


def test_any_chunk_size_gives_whole_frames_in_order() -> None:
    front_end = FrontEnd()
    pcm = to_pcm16(np.zeros(1000, np.float32))
    sizes = [len(front_end.process(pcm[i : i + 74])) for i in range(0, len(pcm), 74)]
    assert all(size % 320 == 0 for size in sizes)
    assert sum(sizes) // 2 + front_end.pending == 1000
    assert front_end.pending == 1000 % 160


@pytest.mark.parametrize("kind", ["pink", "white"])
def test_steady_noise_is_taken_out_and_speech_kept(kind: str) -> None:
    """The suppressor needs about 3 s to learn a noise; then it takes 20 dB off."""
    rec = add_noise(compose([("pause", "en-us")], lead=5.0, tail=1.0), 10.0, kind)
    out = through(FrontEnd(), rec.audio)
    placed = rec.placed[0]
    before = slice(int(4.0 * SAMPLE_RATE), int(4.9 * SAMPLE_RATE))
    word = slice(int(placed.start * SAMPLE_RATE), int(placed.end * SAMPLE_RATE))
    assert dbfs(out[before]) < dbfs(rec.audio[before]) - 15  # the noise
    assert dbfs(out[word]) > dbfs(rec.audio[word]) - 3  # the word
    assert dbfs(out[word]) - dbfs(out[before]) > 25  # SNR from 10 dB to over 25


@pytest.mark.parametrize("lead", [0.0, 0.5])
def test_a_first_word_after_digital_silence_is_not_taken_for_noise(lead: float) -> None:
    clip = synthesize("pause", "en-us") * 0.5
    audio = np.concatenate([np.zeros(int(lead * SAMPLE_RATE), np.float32), clip,
                            np.zeros(SAMPLE_RATE // 2, np.float32)])
    out = through(FrontEnd(), audio)
    word = slice(int(lead * SAMPLE_RATE), int(lead * SAMPLE_RATE) + len(clip))
    assert dbfs(out[word]) > dbfs(audio[word]) - 3


def test_a_quiet_voice_is_lifted_to_the_target_and_never_clipped() -> None:
    phrases = [("next one", "en-gb"), ("make it easier", "en-gb")] * 4
    rec = add_noise(compose(phrases, level=10 ** (-50 / 20)), 30.0, "pink")
    front_end = FrontEnd()
    out = through(front_end, rec.audio)
    last = rec.placed[-1]
    word = out[int(last.start * SAMPLE_RATE) : int(last.end * SAMPLE_RATE)]
    assert dbfs(rec.audio[int(last.start * SAMPLE_RATE) : int(last.end * SAMPLE_RATE)]) < -48
    assert TARGET_DBFS - 6 < dbfs(word) < TARGET_DBFS + 2
    assert front_end.gain_db > 25
    assert float(np.abs(out).max()) * 32768 <= PEAK + 1


def test_speech_that_is_not_the_persons_sets_no_level() -> None:
    """The narrator's echo, quiet behind a canceller and gated, is speech too: learnt from,
    it lifted the person's first command by the full 36 dB. Then the person speaks."""
    quiet = add_noise(compose([("next one", "en-gb"), ("make it easier", "en-gb")] * 4,
                              level=10 ** (-50 / 20)), 30.0, "pink")
    front_end = FrontEnd()
    through(front_end, quiet.audio, person=False)
    assert front_end.speech_dbfs is None
    assert front_end.gain_db == 0.0
    voice = compose([("stop", "en-us"), ("resume", "en-us")] * 2, level=10 ** (-30 / 20))
    through(front_end, voice.audio)
    assert front_end.speech_dbfs is not None and front_end.speech_dbfs > -40
    assert 5 < front_end.gain_db <= 16 + 1


def test_a_loud_voice_is_not_turned_down() -> None:
    rec = compose([("stop", "en-us"), ("resume", "en-us")] * 3, level=10 ** (-8 / 20))
    front_end = FrontEnd()
    out = through(front_end, rec.audio)
    assert front_end.gain_db == 0.0
    assert abs(dbfs(out) - dbfs(rec.audio)) < 1.5


def test_noise_alone_is_not_lifted() -> None:
    """Without speech there is no speech level to follow: hiss stays hiss."""
    front_end = FrontEnd()
    through(front_end, 10 ** (-60 / 20) * noise("pink", 5 * SAMPLE_RATE, seed=1))
    assert front_end.gain_db == 0.0
