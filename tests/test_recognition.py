"""Command recognition on real espeak-ng speech with the real Vosk model.

Every phrase of :data:`voicecoach.core.commands.PHRASES` is spoken by five espeak voices, clean
and with pink noise at 10 dB SNR. Speed and latency figures live in
``benchmarks/listener_bench.py``; here only right/wrong.
"""

from __future__ import annotations

import ctypes
import json
from pathlib import Path

import numpy as np
import pytest
import vosk

from tests.support.speech import NARRATION, SESSION_LINES, add_noise, compose
from voicecoach.audio.pcm import SAMPLE_RATE
from voicecoach.core import script
from voicecoach.core.commands import PHRASES, Command
from voicecoach.core.plan import Phase, PhaseKind, Segment, SegmentKind
from voicecoach.speech_in.events import Heard, RecognitionEvent, Rejected, RejectReason
from voicecoach.speech_in.judging import AMBIGUOUS, judge
from voicecoach.speech_in.recognizer import DETECTOR_SETTLES, CommandRecognizer, recognize_pcm
from voicecoach.speech_in.vosk_model import ModelUnavailable, load_model, tuned_model_dir
from voicecoach.storage.routine_files import resolve_routine

pytestmark = [pytest.mark.audio, pytest.mark.vosk]

TEST_VOICES = ("en-us+f3", "en-gb", "en-us+m7", "en-gb-x-rp", "en-us+f2")
ALL_PHRASES = [(phrase, command) for command, items in PHRASES.items() for phrase in items]

# No (phrase, voice) pair is excused any more: espeak-gb-x-rp's clipped "done", which the
# first decoder hears as silence, is caught by the second look (test_second_look.py).
# Marginal words still exist: en-gb-x-rp's "skip" came out as "keep" for about one dither
# seed in eight (the benchmark's rounds count such misses); the decoder's dither is now
# drawn from its own seeded generator, so these tests decode the same in any order.
# ("go on" was dropped from the resume phrases: Vosk heard espeak's "hold on", a pause, as
# "go on", its opposite.)

NOISY_MIN_ACCURACY = 0.96
"""Tolerance at 10 dB SNR pink noise: the small model still loses a weak word ending now
and then ("stop"); the benchmark measures 98-99 % with the front end. Wrong commands are
not tolerated."""

NEGATIVES = (
    "lower back pain",
    "pause when you feel a good stretch",
    "next up active hamstring stretch",
    "keep your back straight",
    "hold for sixty seconds",
    "breathe slowly",
)


def heard(events: list[RecognitionEvent]) -> list[Heard]:
    return [e for e in events if isinstance(e, Heard)]


def per_phrase(
    model: Path, voice: str, snr: float | None, level: float = 0.1
) -> dict[str, list[Command]]:
    """The commands heard during each phrase, spoken by ``voice`` in sequence at RMS
    ``level``."""
    rec = compose([(phrase, voice) for phrase, _ in ALL_PHRASES], gap=1.5, level=level)
    if snr is not None:
        rec = add_noise(rec, snr, "pink", seed=TEST_VOICES.index(voice))
    recognizer = CommandRecognizer(model)
    events = heard(recognize_pcm(recognizer, rec.pcm()))
    bounds = [p.start for p in rec.placed[1:]] + [rec.seconds + 1]
    return {
        placed.text: [h.command for h in events if placed.start <= h.at < until]
        for placed, until in zip(rec.placed, bounds, strict=True)
    }


@pytest.fixture(scope="module")
def clean(model: Path) -> dict[str, dict[str, list[Command]]]:
    return {voice: per_phrase(model, voice, None) for voice in TEST_VOICES}


@pytest.fixture(scope="module")
def noisy(model: Path) -> dict[str, dict[str, list[Command]]]:
    return {voice: per_phrase(model, voice, 10.0) for voice in TEST_VOICES}


@pytest.mark.parametrize("voice", TEST_VOICES)
def test_every_phrase_clean_gives_its_command_once(
    clean: dict[str, dict[str, list[Command]]], voice: str
) -> None:
    wrong = {
        phrase: got
        for phrase, command in ALL_PHRASES
        if (got := clean[voice][phrase]) != [command]
    }
    assert wrong == {}


def test_every_phrase_is_right_in_at_least_three_voices(
    clean: dict[str, dict[str, list[Command]]],
) -> None:
    for phrase, command in ALL_PHRASES:
        right = [v for v in TEST_VOICES if clean[v][phrase] == [command]]
        assert len(right) >= 3, (phrase, right)


def test_phrases_in_noise_mostly_right_and_never_another_command(
    noisy: dict[str, dict[str, list[Command]]],
) -> None:
    pairs = [(p, c, v) for p, c in ALL_PHRASES for v in TEST_VOICES]
    right = sum(noisy[v][p] == [c] for p, c, v in pairs)
    misfires = {(p, v): noisy[v][p] for p, c, v in pairs if set(noisy[v][p]) - {c}}
    assert misfires == {}
    assert right / len(pairs) >= NOISY_MIN_ACCURACY, f"{right}/{len(pairs)}"


def test_a_quiet_far_voice_is_understood(model: Path) -> None:
    """-50 dBFS with a little room noise: someone on the floor, metres from a laptop. The
    front end lifts the voice once it has heard some speech (here: the first phrase)."""
    got = per_phrase(model, "en-gb", 30.0, level=10 ** (-50 / 20))
    pairs = ALL_PHRASES[1:]
    assert {p: got[p] for p, c in pairs if set(got[p]) - {c}} == {}
    assert sum(got[p] == [c] for p, c in pairs) >= len(pairs) - 1


def test_the_speech_level_is_learnt_only_from_the_person(model: Path) -> None:
    """Where the double-talk detector has not heard the person lately, what the microphone
    holds is the narrator's echo: the front end does not lift the input to its level."""
    rec = add_noise(compose([(line, "en-gb") for line in NARRATION[:3]],
                            level=10 ** (-50 / 20)), 30.0, "pink")
    echo_alone = CommandRecognizer(model, person_quiet_for=lambda: 5.0)
    recognize_pcm(echo_alone, rec.pcm())
    assert echo_alone.input_gain_db == 0.0
    person = CommandRecognizer(model, person_quiet_for=lambda: 0.0)
    pcm = rec.pcm()
    settling = int(DETECTOR_SETTLES * 0.9 * SAMPLE_RATE) * 2
    person.feed(pcm[:settling], settling / 2 / SAMPLE_RATE)
    assert person.input_gain_db == 0.0  # the detector's first verdicts are no evidence
    recognize_pcm(person, pcm[settling:], start=settling / 2 / SAMPLE_RATE)
    assert person.input_gain_db > 25


@pytest.mark.parametrize("voice", TEST_VOICES[:3])
def test_command_words_inside_sentences_are_not_commands(model: Path, voice: str) -> None:
    rec = compose([(text, voice) for text in NEGATIVES], gap=1.0)
    events = recognize_pcm(CommandRecognizer(model), rec.pcm())
    assert heard(events) == []
    assert any(isinstance(e, Rejected) for e in events)


NEAR_WORDS = {
    "easy": (("easy", "easy"), "easier", Command.EASIER),
    "faster": (("faster",), "go faster", Command.FASTER),
    "help": (("help",), "commands", Command.HELP),
    "how long": (("how long",), "time left", Command.TIME_LEFT),
}
"""Words people say that are close to a command and must not act, then the command's
phrase: "easy" said to oneself while stretching was obeyed as "easier" (8 times in 9 in
rooms); "faster" alone, "help" and "how long" are no phrases since a person's "that's
better", "oh" and "come on" were heard as them (benchmarks/remarks_bench.py)."""


@pytest.mark.parametrize("near", NEAR_WORDS)
@pytest.mark.parametrize("voice", TEST_VOICES)
def test_a_word_near_a_command_does_not_act(model: Path, voice: str, near: str) -> None:
    words, phrase, command = NEAR_WORDS[near]
    rec = compose([*((word, voice) for word in words), (phrase, voice)], gap=1.5)
    recognizer = CommandRecognizer(model)
    events = recognize_pcm(recognizer, rec.pcm())
    said_at = rec.placed[-1].start
    assert [(h.command, h.at > said_at) for h in heard(events)] == [(command, True)]
    assert any(isinstance(e, Rejected) and e.at < said_at for e in events)


def test_whats_next_said_the_usual_way_is_answered_and_never_skips(model: Path) -> None:
    """"what's" left the grammar (a person's "pause" was heard as it in reverberant rooms,
    benchmarks/phrases_bench.py); a person who still asks "what's next" is answered ("what
    comes next" is the nearest phrase) or not heard, and never skipped on as "next"."""
    answered = 0
    for voice in TEST_VOICES:
        rec = compose([("what's next", voice)], gap=1.5)
        got = [h.command for h in heard(recognize_pcm(CommandRecognizer(model), rec.pcm()))]
        assert got in ([], [Command.WHATS_NEXT]), (voice, got)
        answered += got == [Command.WHATS_NEXT]
    assert answered >= 3


SPOKEN_LINES = tuple(line for line in SESSION_LINES if line != "Paused.")
"""The engine's short lines; "Paused." really sounds like "pause" (the self-hearing filter
stops that one, see test_selfhearing.py)."""


@pytest.mark.parametrize(("voice", "lines"), [("en-gb", NARRATION), ("en-us+f3", SPOKEN_LINES)])
def test_narration_gives_no_commands(model: Path, voice: str, lines: tuple[str, ...]) -> None:
    rec = compose([(text, voice) for text in lines], gap=0.7)
    assert heard(recognize_pcm(CommandRecognizer(model), rec.pcm())) == []


def pace_answers() -> tuple[str, ...]:
    """What the coach says back to the pace commands, from the script itself."""
    routine = resolve_routine("back-pain")
    upcoming = [Segment(SegmentKind.SWITCH, 0, 1), Segment(SegmentKind.REST, 2),
                Segment(SegmentKind.INTRO, 2), Segment(SegmentKind.STEP, 1, 0, 1), None]
    reps = Phase(PhaseKind.REPS, 30.0)
    lines = [script.tempo_changed(3.5, slower=True), script.tempo_changed(2.5, slower=False),
             script.tempo_at_limit(6.0, slower=True), script.tempo_at_limit(1.5, slower=False),
             script.tempo_needs_reps(),
             *(script.whats_next_line(routine, segment, easier=False) for segment in upcoming),
             script.whats_next_line(routine, upcoming[3], easier=False, read_next=True),
             script.how_many_left_line(600.0, reps, 21.0, 3.0),
             script.how_many_left_line(600.0, reps, 28.0, 3.0),
             script.how_many_left_line(600.0, Phase(PhaseKind.HOLD, 60.0), 40.0, 3.0)]
    return tuple(line.text for line in lines)


@pytest.mark.parametrize("voice", TEST_VOICES)
def test_the_answers_to_the_pace_commands_give_no_commands(model: Path, voice: str) -> None:
    """"Faster: ..." or "Next: ..." would be heard as the command they open with."""
    rec = compose([(text, voice) for text in pace_answers()], gap=0.7)
    assert heard(recognize_pcm(CommandRecognizer(model), rec.pcm())) == []


def test_every_command_is_spoken_in_these_tests() -> None:
    """The pace commands too: the phrases are read from PHRASES, nothing is left out."""
    assert {command for _, command in ALL_PHRASES} == set(Command)
    pace = {"slow down", "go faster", "what comes next", "how many left"}
    assert pace <= {phrase for phrase, _ in ALL_PHRASES}


def test_no_double_fire_and_prefixes_only_delay(model: Path) -> None:
    sequence = ["next one", "next", "hold on", "go back", "stop", "okay pause", "keep going"]
    rec = compose([(text, "en-us+f3") for text in sequence], gap=0.8)
    events = heard(recognize_pcm(CommandRecognizer(model), rec.pcm()))
    assert [e.command for e in events] == [
        Command.NEXT, Command.NEXT, Command.PAUSE, Command.BACK, Command.STOP,
        Command.PAUSE, Command.RESUME,
    ]
    for event, placed in zip(events, rec.placed, strict=True):
        assert placed.end - 0.1 <= event.at < placed.end + 1.0
        assert event.start is not None and event.end is not None
        assert placed.start - 0.2 <= event.start < event.end <= placed.end + 0.2


def test_a_pause_inside_next_one_still_gives_one_next(model: Path) -> None:
    rec = compose([("next", "en-us+f3"), ("one", "en-us+f3")], gap=0.25)
    events = recognize_pcm(CommandRecognizer(model), rec.pcm())
    assert [e.command for e in heard(events)] == [Command.NEXT]


def test_silence_and_noise_alone_give_nothing(model: Path) -> None:
    rec = compose([], lead=5.0)
    assert recognize_pcm(CommandRecognizer(model), rec.pcm()) == []
    rng = np.random.default_rng(3)
    noise = (0.02 * rng.standard_normal(16000 * 5)).astype(np.float32)
    from voicecoach.audio.pcm import to_pcm16

    assert heard(recognize_pcm(CommandRecognizer(model), to_pcm16(noise))) == []


def test_times_follow_the_callers_clock(model: Path) -> None:
    rec = compose([("stop", "en-us+f3")])
    events = heard(recognize_pcm(CommandRecognizer(model), rec.pcm(), start=1000.0))
    assert len(events) == 1
    assert 1000.0 + rec.placed[0].end <= events[0].at <= 1000.0 + rec.placed[0].end + 0.25
    assert events[0].start is not None
    assert abs(events[0].start - (1000.0 + rec.placed[0].start)) < 0.2



def test_words_said_before_a_gap_in_the_audio_keep_their_own_time(model: Path) -> None:
    """Audio that resumes 3 s on (a feeder that skipped silence, a microphone that lost
    blocks): a word said before it is timed where it was said, not 3 s late."""
    rec = compose([("stop", "en-us+f3")], tail=0.0)
    recognizer = CommandRecognizer(model)
    step = int(0.1 * SAMPLE_RATE)
    pcm = rec.pcm()
    events: list[RecognitionEvent] = []
    for first in range(0, len(pcm) // 2, step):
        chunk = pcm[2 * first: 2 * (first + step)]
        events += recognizer.feed(chunk, first / SAMPLE_RATE + len(chunk) / 2 / SAMPLE_RATE)
    later = rec.placed[0].end + 3.0
    for index in range(10):
        events += recognizer.feed(bytes(2 * step), later + (index + 1) * 0.1)
    stops = heard(events)
    assert [event.command for event in stops] == [Command.STOP]
    assert stops[0].start is not None and stops[0].end is not None
    assert abs(stops[0].start - rec.placed[0].start) < 0.2
    assert stops[0].end < rec.placed[0].end + 0.2

# --- the pure rules ---------------------------------------------------------------------


def w(word: str, conf: float = 1.0, start: float = 0.0, end: float = 0.3) -> dict[str, object]:
    return {"word": word, "conf": conf, "start": start, "end": end}


def test_judge_rules() -> None:
    assert judge([], 1.0, 0.0, 0.3) is None
    ok = judge([w("okay"), w("pause", 0.9)], 1.0, 10.0, 0.3)
    assert isinstance(ok, Heard)
    assert (ok.command, ok.text, ok.confidence, ok.start) == (Command.PAUSE, "okay pause", 0.9,
                                                               10.0)
    extra = judge([w("pause"), w("[unk]"), w("[unk]")], 1.0, 0.0, 0.3)
    assert extra == Rejected("pause …", 1.0, RejectReason.EXTRA_WORDS)
    assert judge([w("[unk]")], 1.0, 0.0, 0.3) == Rejected("…", 1.0, RejectReason.NOT_A_COMMAND)
    assert judge([w("back"), w("good")], 1.0, 0.0, 0.3) == Rejected("back good", 1.0,
                                                                   RejectReason.NOT_A_COMMAND)
    assert judge([w("stop", 0.2)], 1.0, 0.0, 0.3) == Rejected("stop", 1.0,
                                                              RejectReason.LOW_CONFIDENCE)


def test_no_phrase_is_an_ambiguous_prefix_today() -> None:
    assert frozenset() == AMBIGUOUS


def test_tuned_model_view_changes_only_the_conf(model: Path) -> None:
    view = tuned_model_dir(model)
    conf = (view / "conf" / "model.conf").read_text().splitlines()
    assert "--endpoint.silence-phones=1:2:3:4:5" in conf
    assert any(line.startswith("--frames-per-chunk=") for line in conf)
    original = (model / "conf" / "model.conf").read_text().splitlines()
    assert [x for x in conf if "silence-phones" not in x and "frames-per-chunk" not in x] == [
        x for x in original if "silence-phones" not in x
    ]
    assert (view / "am" / "final.mdl").resolve() == (model / "am" / "final.mdl").resolve()
    mfcc = (view / "conf" / "mfcc.conf").read_text()
    assert mfcc == (model / "conf" / "mfcc.conf").read_text().rstrip("\n") + "\n--dither=0\n"
    lenient = (tuned_model_dir(model, acoustic_scale=2.0) / "conf" / "model.conf").read_text()
    assert [x for x in lenient.splitlines() if "acoustic-scale" in x] == ["--acoustic-scale=2.0"]
    assert lenient.replace("--acoustic-scale=2.0\n", "") == "\n".join(
        x for x in conf if "acoustic-scale" not in x
    ) + "\n"


def test_a_model_without_mfcc_conf_keeps_its_tuned_view(model: Path, tmp_path: Path) -> None:
    """Another model's features (fbank): the view is made all the same, its own features'
    conf left as it is (Kaldi's dither then stays)."""
    other = tmp_path / "other-model"
    (other / "conf").mkdir(parents=True)
    for entry in model.iterdir():
        if entry.name != "conf":
            (other / entry.name).symlink_to(entry.resolve())
    (other / "conf" / "model.conf").write_text((model / "conf" / "model.conf").read_text())
    (other / "conf" / "fbank.conf").write_text("--num-mel-bins=40\n")
    view = tuned_model_dir(other)
    assert view != other.resolve()
    assert any(line.startswith("--frames-per-chunk=")
               for line in (view / "conf" / "model.conf").read_text().splitlines())
    assert (view / "conf" / "fbank.conf").read_text() == "--num-mel-bins=40\n"
    assert not (view / "conf" / "mfcc.conf").exists()


def test_what_is_heard_does_not_hang_on_the_c_librarys_random_numbers(model: Path) -> None:
    """Kaldi's own dither draws from ``rand()``, which every thread shares: a quiet, noisy
    "pause" then decoded with other confidences after each ``srand``. The model view turns
    it off and the recognizer adds its own, seeded: the same audio, the same words."""
    libc = ctypes.CDLL(None)
    rec = add_noise(compose([("pause", "en-gb"), ("next", "en-us+f3")], gap=1.5), 10.0, "pink")
    pcm = rec.pcm()
    decoded = []
    for seed in (1, 2, 3):
        libc.srand(seed)
        decoded.append(recognize_pcm(CommandRecognizer(model), pcm))
    assert heard(decoded[0]), decoded[0]
    assert decoded[1] == decoded[0] and decoded[2] == decoded[0]
    raw = vosk.KaldiRecognizer(vosk.Model(str(model)), 16000)
    raw.SetWords(True)
    confidences = []
    for seed in (1, 2):
        libc.srand(seed)
        raw.AcceptWaveform(pcm)
        confidences.append(json.loads(raw.FinalResult()).get("result"))
    assert confidences[0] != confidences[1], "Kaldi's own dither no longer varies: drop ours"


def test_grammar_words_all_exist_in_the_model(model: Path) -> None:
    from voicecoach.core.commands import grammar_phrases
    from voicecoach.speech_in.recognizer import DISTRACTORS

    vosk_model = load_model(model)
    words = {word for phrase in [*grammar_phrases(), *DISTRACTORS] for word in phrase.split()}
    assert [x for x in sorted(words) if vosk_model.vosk_model_find_word(x) < 0] == []


def test_no_routine_word_that_took_a_command_is_in_the_grammar() -> None:
    """"release" (the count line "And release.") took a person's "repeat" in reverberant
    rooms 10 times in 20 (benchmarks/phrases_bench.py --voices tuning); "what's" took
    "pause" (see test_commands.py)."""
    from voicecoach.core.commands import grammar_phrases
    from voicecoach.speech_in.recognizer import DISTRACTORS

    words = {word for phrase in [*grammar_phrases(), *DISTRACTORS] for word in phrase.split()}
    assert {"release", "what's"} & words == set()


def test_a_missing_model_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="voicecoach model install"):
        CommandRecognizer(tmp_path / "nothing-here")


def commands_after_long_noise(model: Path) -> int:
    """Phrases said 15 s apart in pink noise at 5 dB SNR: how many give their command."""
    said = [(p, "en-gb") for c in (Command.PAUSE, Command.NEXT, Command.BACK, Command.DONE)
            for p in PHRASES[c]][:10]
    rec = add_noise(compose(said, gap=15.0), 5.0, "pink")
    events = heard(recognize_pcm(CommandRecognizer(model), rec.pcm()))
    right = 0
    for index, placed in enumerate(rec.placed):
        until = rec.placed[index + 1].start if index + 1 < len(rec.placed) else float("inf")
        got = [h.command for h in events if placed.start <= h.at < until]
        right += got == [dict(ALL_PHRASES)[placed.text]]
    return right


def test_a_command_after_a_long_stretch_of_noise_is_heard(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The idle decoder starts afresh in every quiet stretch, so its adaptation never
    learns the noise alone; without that, most of these were lost (3 of 10)."""
    assert commands_after_long_noise(model) >= 8
    monkeypatch.setattr("voicecoach.speech_in.recognizer.RESTART_EVERY", float("inf"))
    assert commands_after_long_noise(model) <= 5


def test_a_view_folder_someone_else_could_write_is_not_trusted(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    base = tmp_path / f"voicecoach-vosk-{os.getuid()}"
    assert tuned_model_dir(model).parent == base  # made by us, private: used
    base.chmod(0o777)
    assert tuned_model_dir(model) == model.resolve()
    base.chmod(0o700)
    assert tuned_model_dir(model).parent == base
    other = tmp_path / "elsewhere"
    other.mkdir(mode=0o700)
    base.rename(tmp_path / "old")
    base.symlink_to(other)
    assert tuned_model_dir(model) == model.resolve()
