"""Real espeak-ng speech through pyttsx3: audible, plausible lengths, cached, estimated."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.pcm import Clip
from voicecoach.audio.resample import resample
from voicecoach.speech_out.profiles import VoiceError, VoiceProfile, load_voice
from voicecoach.speech_out.tts import Renderer

pytestmark = pytest.mark.audio

SENTENCE = "Slowly bring your left knee up towards your chest, and breathe out."
# Not the lines the estimate was calibrated on (benchmarks/tts_calibration.py).
CHECK_LINES = [
    "Six",
    "Eleven",
    "Relax.",
    "Two more.",
    "Other side now.",
    "Hold it for 20 seconds.",
    "Roll onto your side and rest a moment.",
    "Cat cow. On hands and knees, round your back up, then let your belly sink.",
    "Reach your arms overhead, point your toes, and lengthen your whole body from "
    "fingertips to heels while you breathe slowly.",
]


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


@pytest.fixture(scope="module")
def calm() -> VoiceProfile:
    return load_voice("calm")


@pytest.fixture(scope="module")
def brisk() -> VoiceProfile:
    return load_voice("brisk")


@pytest.fixture(scope="module")
def renderers(calm: VoiceProfile, brisk: VoiceProfile) -> Iterator[dict[str, Renderer]]:
    made = {"calm": Renderer(calm), "brisk": Renderer(brisk)}
    yield made
    for renderer in made.values():
        renderer.close()


def test_rendered_line_is_speech(renderers: dict[str, Renderer], calm: VoiceProfile) -> None:
    clip = renderers["calm"].render(SENTENCE)
    assert clip.samples.dtype == np.int16
    assert clip.samples.ndim == 1
    assert clip.sample_rate == 22050
    assert rms(clip.samples) > 800, "espeak-ng produced (near) silence"
    words = len(SENTENCE.split())
    nominal = words / calm.rate * 60
    assert 0.6 * nominal < clip.duration < 1.6 * nominal
    assert not clip.samples.flags.writeable


def test_each_profile_keeps_its_speed(renderers: dict[str, Renderer]) -> None:
    """Regression: pyttsx3's runAndWait used to cancel pending rate changes now and then."""
    lengths: dict[str, set[float]] = {"calm": set(), "brisk": set()}
    for _ in range(6):
        for name, renderer in renderers.items():
            renderer._cache.clear()
            lengths[name].add(round(renderer.render(SENTENCE).duration, 1))
    assert len(lengths["calm"]) == 1 and len(lengths["brisk"]) == 1, lengths
    assert max(lengths["brisk"]) < 0.85 * min(lengths["calm"])


def test_cache_returns_the_same_clip(calm: VoiceProfile) -> None:
    renderer = Renderer(calm, cache_size=2)
    try:
        first = renderer.render("Switch sides.")
        assert renderer.render("Switch sides.") is first
        assert (renderer.renders, renderer.hits) == (1, 1)
        renderer.render("Five")
        renderer.render("Four")  # pushes "Switch sides." out of a 2-line cache
        assert renderer.render("Switch sides.") is not first
        assert renderer.renders == 4
    finally:
        renderer.close()


def test_disk_cache_survives_a_new_renderer(calm: VoiceProfile, tmp_path: Path) -> None:
    first = Renderer(calm, cache_dir=tmp_path)
    clip = first.render("Hold for ten seconds.")
    first.close()
    assert len(list(tmp_path.glob("*.wav"))) == 1
    second = Renderer(calm, cache_dir=tmp_path)
    try:
        again = second.render("Hold for ten seconds.")
        assert second.renders == 0
        assert np.array_equal(again.samples, clip.samples)
    finally:
        second.close()


@pytest.mark.parametrize("name", ["calm", "brisk"])
def test_estimate_is_never_short(
    renderers: dict[str, Renderer], name: str, calm: VoiceProfile, brisk: VoiceProfile
) -> None:
    profile = calm if name == "calm" else brisk
    for line in CHECK_LINES:
        real = renderers[name].render(line).duration
        estimate = profile.estimate_seconds(line)
        assert real <= estimate <= 2.5 * real, (line, real, estimate)


def test_blank_line_is_empty(renderers: dict[str, Renderer]) -> None:
    clip = renderers["calm"].render("  ")
    assert len(clip.samples) == 0 and clip.duration == 0.0


def test_rendering_prints_nothing(calm: VoiceProfile, capfd: pytest.CaptureFixture[str]) -> None:
    renderer = Renderer(calm)
    renderer.render("Nothing on the terminal, please.")
    renderer.close()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_unknown_espeak_voice_names_the_field(calm: VoiceProfile) -> None:
    import dataclasses

    # espeak-ng's command line takes "en-gb", its library (and so pyttsx3) does not.
    bad = dataclasses.replace(calm, espeak_voice="en-gb", source=Path("voices/odd.toml"))
    with pytest.raises(VoiceError,
                       match=r"voices/odd.toml: field 'espeak_voice': 'en-gb'.*en-gb-x-rp"):
        Renderer(bad)


def test_renderer_belongs_to_its_thread(renderers: dict[str, Renderer]) -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            renderers["calm"].render("From another thread.")
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)


def test_resample_keeps_duration_and_pitch() -> None:
    rate = 22050
    t = np.arange(rate) / rate
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    clip = Clip(tone, rate)
    for target in (16000, 44100, 48000):
        out = resample(clip.samples, clip.sample_rate, target)
        assert out.dtype == np.int16
        assert len(out) == pytest.approx(target, abs=1)
        spectrum = np.abs(np.fft.rfft(out.astype(np.float64)))
        peak_hz = np.argmax(spectrum) * target / len(out)
        assert peak_hz == pytest.approx(440, abs=2)
    assert np.array_equal(resample(clip.samples, clip.sample_rate, rate), tone)
