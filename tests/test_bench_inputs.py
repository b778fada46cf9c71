"""The session benchmark's outside inputs: a person's own recordings in place of a voice
set, and rooms measured in place of simulated ones (``--voices FOLDER``, ``--room-irs``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
import soundfile

from benchmarks.rooms import RATE, measure_rt60, measured_room, measured_rooms
from benchmarks.session_bench import check_measured, person_track, voice_choice, voices_of
from benchmarks.voices import can_say, recorded_voices, speak
from voicecoach.core.commands import PHRASES, Command

NEEDED = (Command.PAUSE, Command.RESUME, Command.REPEAT, Command.EASIER, Command.HARDER,
          Command.NEXT, Command.BACK, Command.DONE, Command.STOP)


def burst(seconds: float, rate: int = 44_100, quiet: float = 0.3) -> np.ndarray:
    """A tone burst with ``quiet`` seconds of near-silence either side (a recording)."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * 220 * t)
    pad = np.zeros(int(quiet * rate))
    return np.concatenate([pad, tone, pad])


def record(folder: Path, name: str, seconds: float = 0.5) -> Path:
    """``name`` written into ``folder`` as a 44.1 kHz stereo 24-bit recording."""
    folder.mkdir(parents=True, exist_ok=True)
    audio = burst(seconds)
    soundfile.write(folder / name, np.stack([audio, audio], axis=1), 44_100, subtype="PCM_24")
    return folder / name


def one_of_each(folder: Path) -> None:
    """The first phrase of each command the benchmark says, recorded into ``folder``."""
    for command in NEEDED:
        record(folder, PHRASES[command][0].replace(" ", "-") + ".wav")


def test_speakers_are_the_folder_and_its_subfolders_with_recordings(tmp_path: Path) -> None:
    record(tmp_path, "pause.wav")
    record(tmp_path / "alice", "pause.flac")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "pause.txt").write_text("not audio")
    assert recorded_voices(tmp_path) == (f"rec:{tmp_path}", f"rec:{tmp_path / 'alice'}")


def test_a_recording_is_found_whatever_its_case_and_separators(tmp_path: Path) -> None:
    record(tmp_path, "Go_Back.WAV")
    record(tmp_path, "make-it-easier.flac")
    voice = f"rec:{tmp_path}"
    assert can_say(voice, "go back")
    assert can_say(voice, "make it easier")
    assert not can_say(voice, "back")
    assert can_say("festival:ked", "back"), "a synthesizer says anything"


def test_a_recording_is_read_at_the_benchmarks_rate_and_trimmed(tmp_path: Path) -> None:
    record(tmp_path, "pause.wav", seconds=0.5)
    clip = speak("pause", f"rec:{tmp_path}")
    assert len(clip) == pytest.approx(0.5 * RATE, abs=0.01 * RATE)
    assert float(np.max(np.abs(clip))) == pytest.approx(0.3, abs=0.02)


def test_a_silent_recording_is_refused_by_name(tmp_path: Path) -> None:
    soundfile.write(tmp_path / "stop.wav", np.zeros(8000), 16_000)
    with pytest.raises(ValueError, match=r"stop\.wav: silent"):
        speak("stop", f"rec:{tmp_path}")


def test_a_folder_of_recordings_is_a_voice_choice(tmp_path: Path) -> None:
    one_of_each(tmp_path / "bob")
    assert voice_choice(str(tmp_path)) == str(tmp_path)
    assert voices_of(str(tmp_path)) == (f"rec:{tmp_path / 'bob'}",)
    assert voices_of("heldout")[0].startswith("festival:")


def test_a_speaker_lacking_a_command_is_told_what_to_record(tmp_path: Path) -> None:
    one_of_each(tmp_path / "bob")
    (tmp_path / "bob" / "done.wav").unlink()
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        voice_choice(str(tmp_path))
    message = str(caught.value)
    assert f"{tmp_path / 'bob'}: done.wav or finished.wav" in message
    assert "pause" not in message


def test_neither_a_set_nor_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="neither a voice set"):
        voice_choice(str(tmp_path / "nowhere"))
    with pytest.raises(argparse.ArgumentTypeError, match="no recordings"):
        voice_choice(str(tmp_path))


# --- measured rooms -----------------------------------------------------------------------


def decaying_ir(rt60: float, lead: float = 0.03, rate: int = 48_000) -> np.ndarray:
    """A room's response as measured: ``lead`` seconds of silence, a direct spike of 1,
    then noise decaying 60 dB in ``rt60`` seconds, then a measurement's noise floor."""
    rng = np.random.default_rng(3)
    n = int(1.5 * rt60 * rate)
    t = np.arange(n) / rate
    tail = 0.05 * rng.standard_normal(n) * 10 ** (-3 * t / rt60)
    ir = np.zeros(int(lead * rate) + n + rate // 2)
    start = int(lead * rate)
    ir[start] = 1.0
    ir[start + 48: start + 48 + n] += tail[: len(ir) - start - 48]
    ir[start + 48 + n:] = 1e-7 * rng.standard_normal(len(ir) - start - 48 - n)
    return ir


def write_room(folder: Path, speaker: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    soundfile.write(folder / "person.wav", decaying_ir(0.5), 48_000, subtype="FLOAT")
    if speaker:
        soundfile.write(folder / "speaker.wav", decaying_ir(0.4), 48_000, subtype="FLOAT")


def test_rooms_are_the_folder_and_its_subfolders_with_a_person_response(tmp_path: Path) -> None:
    write_room(tmp_path / "kitchen")
    write_room(tmp_path / "lounge", speaker=False)
    (tmp_path / "other").mkdir()
    assert measured_rooms(tmp_path) == [tmp_path / "kitchen", tmp_path / "lounge"]


def test_a_measured_room_starts_at_its_direct_sound_scaled_to_the_distance(
        tmp_path: Path) -> None:
    write_room(tmp_path)
    room = measured_room(tmp_path, seed=7, distance=2.0)
    ir = room.person_ir
    peak = int(np.argmax(np.abs(ir)))
    travel = round(2.0 / 343.0 * RATE)
    assert peak == pytest.approx(travel + round(0.005 * RATE), abs=3), (
        "the measurement's leading silence is gone; the sound's travel time is kept")
    direct = ir[peak - RATE // 1000: peak + RATE // 1000 + 1]
    assert float(np.sqrt(np.sum(direct.astype(np.float64) ** 2))) == pytest.approx(0.5, rel=1e-3)
    assert room.rt60_measured == pytest.approx(0.5, abs=0.05)
    assert measure_rt60(room.speaker_ir) == pytest.approx(0.4, abs=0.05)
    assert len(ir) < travel + 1.2 * 0.5 * RATE, "the noise floor after the decay is cut"
    assert room.describe() == (
        f"measured room {tmp_path}, RT60 {room.rt60_measured:.2f} s, person at 2.0 m")


def test_a_measured_room_puts_the_persons_voice_in_the_room(tmp_path: Path) -> None:
    write_room(tmp_path)
    record(tmp_path / "voice", "pause.wav")
    room = measured_room(tmp_path, seed=7, distance=2.0)
    audio, said = person_track(room, [(1.0, Command.PAUSE)], (f"rec:{tmp_path / 'voice'}",),
                               -20.0, np.random.default_rng(1))
    assert [(s.text, s.command) for s in said] == [("pause", Command.PAUSE)]
    assert said[0].start == pytest.approx(1.0 + room.person_delay)
    loud = np.nonzero(np.abs(audio) > 1e-3)[0]
    assert loud[0] / RATE == pytest.approx(said[0].start, abs=0.01)
    assert loud[-1] / RATE > said[0].end + 0.2, "the room's tail rings on after the word"


def test_each_phrase_drawn_is_one_the_speaker_recorded(tmp_path: Path) -> None:
    write_room(tmp_path / "room")
    one_of_each(tmp_path / "voice")
    room = measured_room(tmp_path / "room", seed=7, distance=1.5)
    moments = [(2.0 * k, command) for k, command in enumerate(NEEDED * 3)]
    _, said = person_track(room, moments, (f"rec:{tmp_path / 'voice'}",), -20.0,
                           np.random.default_rng(2))
    assert {s.text for s in said} == {PHRASES[c][0] for c in NEEDED}


def bench_args(tmp_path: Path, **given: object) -> argparse.Namespace:
    values: dict[str, object] = {"room_irs": tmp_path, "rt60": None, "person_distance": 2.0,
                                 "echo": 0.1}
    values.update(given)
    return argparse.Namespace(**values)


def usage_error(args: argparse.Namespace, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        check_measured(argparse.ArgumentParser(prog="bench"), args)
    return capsys.readouterr().err.splitlines()[-1]


def test_measured_rooms_are_checked_before_any_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_measured(argparse.ArgumentParser(), bench_args(tmp_path, room_irs=None)) == []
    assert "no person.wav in it" in usage_error(bench_args(tmp_path), capsys)
    write_room(tmp_path / "a", speaker=False)
    assert "no speaker.wav (the laptop's speaker to its microphone) for the narrator's echo" \
        f" in: {tmp_path / 'a'}; or give --echo 0" in usage_error(bench_args(tmp_path), capsys)
    assert check_measured(argparse.ArgumentParser(), bench_args(tmp_path, echo=0.0)) == [
        tmp_path / "a"]
    assert "--rt60 is for simulated rooms" in usage_error(bench_args(tmp_path, rt60=0.5), capsys)
    (tmp_path / "a" / "speaker.wav").write_text("junk")
    assert f"{tmp_path / 'a' / 'speaker.wav'}: not a WAV" in usage_error(
        bench_args(tmp_path), capsys)


def test_a_recording_that_cannot_be_read_is_named_before_any_run(tmp_path: Path) -> None:
    one_of_each(tmp_path / "bob")
    (tmp_path / "bob" / "again.wav").write_text("not audio")
    soundfile.write(tmp_path / "bob" / "wait.wav", np.zeros(8000), 16_000)
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        voice_choice(str(tmp_path))
    lines = str(caught.value).splitlines()
    assert lines[0] == "recordings that cannot be used:"
    assert any(line.strip().startswith(f"{tmp_path / 'bob' / 'again.wav'}: not a WAV")
               for line in lines), lines
    assert f"  {tmp_path / 'bob' / 'wait.wav'}: silent" in lines
