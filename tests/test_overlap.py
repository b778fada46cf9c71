"""The narrator's words taken out of an utterance; the person heard over the narrator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voicecoach.core.commands import Command
from voicecoach.speech_in.doubletalk import DoubleTalk
from voicecoach.speech_in.events import Heard, Rejected, RejectReason
from voicecoach.speech_in.judging import judge
from voicecoach.speech_in.overlap import (
    UNKNOWN,
    Word,
    split_narration,
    without_ringing_edges,
    words_of,
    words_said_around,
)


@dataclass(frozen=True)
class FakeLine:
    text: str
    start: float
    end: float

    @property
    def words(self) -> frozenset[str]:
        return words_of(self.text)

    def words_around(self, t0: float, t1: float) -> frozenset[str]:
        return words_said_around(self.text, self.start, self.end, t0, t1)


class Narration:
    def __init__(self, *lines: FakeLine) -> None:
        self.lines = lines

    def lines_during(self, t0: float, t1: float, tail: float = 0.0) -> Sequence[FakeLine]:
        return [line for line in self.lines if line.start <= t1 and t0 <= line.end + tail]


def test_a_count_merged_with_a_command_leaves_the_command() -> None:
    narration = Narration(FakeLine("Ten times. Begin.", 10.0, 11.5))
    words = [Word("ten", 10.1, 10.4), Word("times", 10.4, 10.8), Word("begin", 11.0, 11.4),
             Word("pause", 11.5, 11.9)]
    person, narrator = split_narration(words, narration, tail=0.35)
    assert [w.text for w in person] == ["pause"]
    assert [w.text for w in narrator] == ["ten", "times", "begin"]


def test_the_lines_word_is_the_narrators_even_when_the_person_may_have_said_it() -> None:
    narration = Narration(FakeLine("Paused. Take your time.", 5.0, 6.5))
    person, _ = split_narration([Word("pause", 5.1, 5.5)], narration, tail=0.35)
    assert person == []


def test_the_lines_word_is_the_persons_when_the_narrator_said_it_seconds_before() -> None:
    narration = Narration(FakeLine("Pause when you feel a good stretch in your glute, "
                                   "and hold there while breathing slowly.", 5.0, 11.0))
    person, _ = split_narration([Word("pause", 5.1, 5.5)], narration, tail=0.35)
    assert person == []
    person, _ = split_narration([Word("pause", 8.5, 8.9)], narration, tail=0.35)
    assert [w.text for w in person] == ["pause"]


def test_each_word_of_a_line_is_placed_by_its_letters_and_pauses() -> None:
    line = "Exercise one of four: Hip 90/90 Stretch. This gets deeper into the hips."
    assert words_said_around(line, 0.0, 6.0, 0.0, 0.1, slack=0.0) == {"exercise"}
    assert words_said_around(line, 0.0, 6.0, 5.5, 5.6, slack=0.0) == {"hips"}
    middle = words_said_around(line, 0.0, 6.0, 2.9, 3.1, slack=0.0)
    assert middle and middle <= {"stretch", "this"}
    assert words_said_around(line, 0.0, 6.0, 5.5, 5.6, slack=0.0, cut=3.0) == frozenset()


def test_outside_the_lines_nothing_is_taken() -> None:
    narration = Narration(FakeLine("Ten times. Begin.", 10.0, 11.5))
    words = [Word("ten", 20.0, 20.3), Word("pause", 20.3, 20.6)]
    person, narrator = split_narration(words, narration, tail=0.35)
    assert [w.text for w in person] == ["ten", "pause"] and narrator == []


def test_unknown_speech_inside_a_line_is_the_narrators() -> None:
    narration = Narration(FakeLine("Keep the spine straight.", 3.0, 5.0))
    words = [Word(UNKNOWN, 3.2, 4.0), Word("next", 4.2, 4.5)]
    person, _ = split_narration(words, narration, tail=0.35)
    assert [w.text for w in person] == ["next"]


def _blocks(signal: np.ndarray, size: int) -> list[np.ndarray]:
    return [signal[i:i + size] for i in range(0, len(signal), size)]


def test_double_talk_hears_the_person_over_the_echo_not_the_echo_alone() -> None:
    rate, size = 16000, 320
    rng = np.random.default_rng(1)
    seconds = 12
    reference = np.zeros(rate * seconds, dtype=np.float32)
    for start in range(0, seconds, 2):  # the narrator: 1.5 s lines, 0.5 s gaps
        reference[start * rate:int((start + 1.5) * rate)] = 0.2 * rng.standard_normal(
            int(1.5 * rate))
    delay = int(0.08 * rate)
    echo = np.concatenate([np.zeros(delay), 0.3 * reference[:-delay]]).astype(np.float32)
    person = np.zeros_like(reference)
    person[int(9.2 * rate):int(9.8 * rate)] = 0.1 * rng.standard_normal(int(0.6 * rate))
    mic = echo + person + 0.001 * rng.standard_normal(len(reference)).astype(np.float32)
    detector = DoubleTalk(block_seconds=size / rate)
    for index, (m, r) in enumerate(zip(_blocks(mic, size), _blocks(reference, size),
                                       strict=True)):
        detector.feed(m, r, (index + 1) * size / rate)
    assert detector.person_spoke(9.2, 9.8)
    assert not detector.person_spoke(6.0, 7.5)  # a line and its echo only
    assert not detector.person_spoke(4.0, 8.9, share=0.05)


def test_the_echo_gain_is_not_learnt_from_the_rooms_ringing_alone() -> None:
    """Counts: half a second of narrator, then the ringing envelope of it over noise. The
    ringing envelope is tiny, so noise over it looks like a huge echo gain; learnt from,
    it hid the person for seconds."""
    detector = DoubleTalk(block_seconds=0.02)
    rng = np.random.default_rng(4)
    at = 0.0
    for _count in range(8):  # "One." ... every 3 s
        for block in range(150):
            at += 0.02
            reference = 1e-2 if block < 25 else 0.0
            noise = 1e-6 * rng.uniform(0.3, 3.0)
            detector.feed_power(0.01 * reference + noise, reference, at)
    assert detector.echo_gain < 0.03  # the true gain is 0.01
    for _ in range(10):  # the person, 10 dB over the echo, during the next count
        at += 0.02
        detector.feed_power(1e-3, 1e-2, at)
    assert detector.person_spoke(at - 0.2, at)


def test_near_digital_silence_is_nobody_talking() -> None:
    """What an echo canceller leaves of the echo in a silent room is not the person."""
    detector = DoubleTalk(block_seconds=0.02)
    rng = np.random.default_rng(5)
    at = 0.0
    for block in range(600):  # words of 0.3 s and the room ringing between them
        at += 0.02
        reference = 1e-2 if block % 30 < 15 else 0.0
        residue = 10.0 ** rng.uniform(-9.0, -7.0) if block % 4 else 0.0
        detector.feed_power(residue, reference, at)
    assert not detector.person_spoke(0.0, at, share=0.01)


def test_a_rooms_ringing_after_a_count_can_be_read_away_from_the_edges() -> None:
    narration = Narration(FakeLine("Eight.", 10.0, 10.5))
    words = [Word("it", 10.3, 10.9), Word("stop", 11.4, 11.8), Word("now", 13.0, 13.2)]
    readings = [[w.text for w in r] for r in without_ringing_edges(words, narration)]
    assert readings == [["stop", "now"], ["now"]]


def test_played_power_is_averaged_over_the_microphones_block() -> None:
    from voicecoach.speech_in.played import PlayedAudio

    played = PlayedAudio()
    played.add(1.00, 1.01, np.full(160, 0.2))  # power 0.04
    played.add(1.01, 1.02, np.full(160, -0.2 ** 0.5 / 10 ** 0.5))  # power 0.02
    assert abs(played.power_during(1.00, 1.02) - 0.03) < 1e-6
    assert abs(played.power_during(1.01, 1.03) - 0.01) < 1e-6  # half of it silence
    assert played.power_during(2.0, 2.02) == 0.0


def test_played_samples_come_at_the_microphones_rate_with_silence_around() -> None:
    from voicecoach.speech_in.played import PlayedAudio

    played = PlayedAudio()
    ramp = np.arange(441, dtype=np.int16) * 64  # 10 ms at 44.1 kHz, as the speaker plays
    played.add(2.0, 2.01, ramp)
    got = played.samples_during(1.995, 320)  # 20 ms at 16 kHz from 5 ms before the chunk
    assert not got[:80].any() and not got[240:].any()
    expected = np.arange(160) * (441 / 160) * 64 / 32768
    assert np.allclose(got[80:240], expected, atol=1e-3)


def test_the_narrator_yields_when_the_person_talks_and_comes_back_after() -> None:
    from voicecoach.speech_in.bargein import DUCK_GAIN, BargeIn

    yielding = BargeIn(onset=0.06, release=0.7)
    block = 0.02
    verdicts = [False] * 5 + [True] * 30 + [False] * 50
    gains = [yielding.feed(talking, (i + 1) * block, block)
             for i, talking in enumerate(verdicts)]
    assert gains[:7] == [1.0] * 7  # one or two blocks of talk are not enough
    assert gains[8] == DUCK_GAIN  # the third block in a row: yield at once
    assert gains[35 + 30] == DUCK_GAIN  # 0.6 s after the person stopped: still down
    assert gains[35 + 36] == 1.0  # back up after 0.7 s of quiet
    assert yielding.ducks == 1


def test_the_reference_runs_on_unbroken_beside_jittery_blocks() -> None:
    from voicecoach.speech_in.played import PlayedAudio, ReferenceStream

    played = PlayedAudio()
    ramp = (np.arange(16000) / 16000).astype(np.float32)  # one second at 16 kHz
    played.add(10.0, 11.0, ramp)
    reference = ReferenceStream(played)
    starts = [10.0, 10.023, 10.038, 10.061]  # 20 ms blocks whose callbacks jitter
    blocks = np.concatenate([reference.block(start, np.zeros(320)) for start in starts])
    assert np.allclose(blocks, ramp[:1280], atol=1e-6)  # no sample lost or repeated
    assert reference.resyncs == 0
    later = reference.block(10.5, np.zeros(320))  # the streams restarted: 420 ms on
    assert reference.resyncs == 1
    assert np.allclose(later, ramp[8000:8320], atol=1e-6)


def vosk_words(*words: Word) -> list[dict[str, object]]:
    return [{"word": w.text, "conf": 1.0, "start": w.start, "end": w.end} for w in words]


def test_a_command_completed_by_the_narrators_word_is_heard_and_marked() -> None:
    """The person says "hold on" as the narrator says "Hold for twenty seconds.": one
    "hold" is decoded, the narrator's by its time, and "on" alone is no command."""
    narration = Narration(FakeLine("Hold for twenty seconds.", 30.0, 31.6))
    words = vosk_words(Word("hold", 30.0, 30.3), Word("on", 30.3, 30.6))
    event = judge(words, 31.0, 0.0, 0.3, narration)
    assert isinstance(event, Heard)
    assert (event.command, event.text, event.shares_narration) == (Command.PAUSE, "hold on",
                                                                  True)
    alone = judge(words, 31.0, 0.0, 0.3, None)  # no narration: an ordinary command
    assert isinstance(alone, Heard) and not alone.shares_narration


def test_a_narrators_command_word_never_completes_a_command() -> None:
    """The narrator's "Next" and a person's "done" heard as "one" are no "next one"."""
    narration = Narration(FakeLine("Next up: Knee Hugs.", 30.0, 31.5))
    words = vosk_words(Word("next", 30.0, 30.3), Word("one", 30.4, 30.7))
    assert judge(words, 31.0, 0.0, 0.3, narration) == Rejected(
        "one", 31.0, RejectReason.NOT_A_COMMAND)


def test_a_command_of_the_persons_own_words_is_not_marked() -> None:
    narration = Narration(FakeLine("Ten times. Begin.", 10.0, 11.5))
    words = vosk_words(Word("begin", 11.0, 11.4), Word("hold", 11.5, 11.8),
                       Word("on", 11.8, 12.1))
    event = judge(words, 12.5, 0.0, 0.3, narration)
    assert isinstance(event, Heard)
    assert (event.text, event.shares_narration) == ("hold on", False)
