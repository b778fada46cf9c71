"""The decoder's clock mapped onto the audio's, across gaps the decoder never saw."""

from __future__ import annotations

import pytest

from voicecoach.speech_in.decoder_time import GAP, DecoderTimeline


def fed(timeline: DecoderTimeline, chunks: list[tuple[float, float]]) -> DecoderTimeline:
    for decoder_end, audio_end in chunks:
        timeline.follow(decoder_end, audio_end)
    return timeline


def test_gapless_audio_keeps_one_offset() -> None:
    timeline = fed(DecoderTimeline(), [(0.1 * i, 100.0 + 0.1 * i) for i in range(1, 30)])
    assert timeline.audio_time(0.05) == pytest.approx(100.05)
    assert timeline.audio_time(2.5) == pytest.approx(102.5)


def across_a_gap() -> DecoderTimeline:
    """1 s fed, then the audio skips 2 s, then 1 s more."""
    chunks = [(0.1 * i, 0.1 * i) for i in range(1, 11)]
    chunks += [(1.0 + 0.1 * i, 3.0 + 0.1 * i) for i in range(1, 11)]
    return fed(DecoderTimeline(), chunks)


def test_times_before_a_gap_keep_the_offset_of_their_stretch() -> None:
    timeline = across_a_gap()
    assert timeline.audio_time(0.5) == pytest.approx(0.5)
    assert timeline.audio_time(1.5) == pytest.approx(3.5)


def test_a_word_is_timed_by_the_stretch_that_holds_its_middle() -> None:
    timeline = across_a_gap()
    # each word's edge reaches a frame across the gap, into the other stretch's silence
    words = [{"word": "three", "start": 0.6, "end": 1.05, "conf": 1.0},
             {"word": "four", "start": 0.97, "end": 1.5, "conf": 0.9}]
    assert timeline.on_audio_time(words) == [
        {"word": "three", "start": pytest.approx(0.6), "end": pytest.approx(1.05), "conf": 1.0},
        {"word": "four", "start": pytest.approx(2.97), "end": pytest.approx(3.5), "conf": 0.9}]


def test_rounding_in_the_callers_clock_is_not_a_gap() -> None:
    chunks = [(0.1 * i, 50.0 + 0.1 * i + (0.001 if i % 2 else 0.0)) for i in range(1, 20)]
    timeline = fed(DecoderTimeline(), chunks)
    assert timeline.audio_time(0.3) == pytest.approx(50.3, abs=0.002)


def test_small_gaps_that_add_up_open_a_stretch() -> None:
    # 20 ms lost after each of 5 chunks: none alone is a gap, all of them together are
    chunks, audio = [], 0.0
    for i in range(1, 11):
        audio += 0.1 + (0.02 if i <= 5 else 0.0)
        chunks.append((0.1 * i, audio))
    timeline = fed(DecoderTimeline(), chunks)
    # each time within GAP of where it was: the first chunk's middle was at 0.07 s
    assert timeline.audio_time(0.05) == pytest.approx(0.07, abs=GAP)
    assert timeline.audio_time(0.95) == pytest.approx(1.05)
