"""Live, end to end, in real time: the installed command with a real (virtual) sound server.

A private PulseAudio server has two null sinks: the app speaks into ``speaker`` and
listens to ``mic_feed.monitor``. The test plays spoken commands into ``mic_feed`` and
watches the session react in its event log; it also records what the narrator said.
"""

from __future__ import annotations

import random
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support.pulse import RECORD_RATE, PulseServer, private_pulse_server, speech_windows
from tests.support.speech import synthesize, write_wav
from tests.support.tmux import tmux_session
from voicecoach.storage.eventlog import read_log

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.pulse, pytest.mark.vosk, pytest.mark.audio]


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[PulseServer]:
    folder = tmp_path / "pulse"
    folder.mkdir()
    with private_pulse_server(folder) as server:
        yield server


def phrase_wav(tmp_path: Path, text: str) -> Path:
    clip = synthesize(text, "en-us", 160) * 0.5
    audio = np.concatenate([np.zeros(8000, np.float32), clip, np.zeros(16000, np.float32)])
    return write_wav(tmp_path / f"{text.replace(' ', '-')}.wav", audio)


def wait_for(log: Path, predicate: Callable[[dict[str, Any]], bool],
             timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists():
            for record in read_log(log):
                if predicate(record):
                    return record
        time.sleep(0.1)
    records = read_log(log) if log.exists() else []
    raise AssertionError(f"never happened; the log has: {records[-12:]}")


def quiet_moment(log: Path, pulse: PulseServer, timeout: float = 30.0) -> None:
    """Wait until the narrator has finished its current lines (so it cannot mask us)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recording = pulse.record_speaker(log.with_suffix(".probe.wav"), 0.6)
        if (speech_windows(recording.wait(), RECORD_RATE, 0.02) < 300).all():
            return
    raise AssertionError("the narrator never went quiet")


def test_spoken_commands_drive_a_live_session(pulse: PulseServer, tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    app = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--hold", "20", "--reps", "3",
         "--voice", "brisk", "--log", str(log)],
        env=pulse.child_env(VOICECOACH_DATA=str(tmp_path / "data")),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(log, lambda r: r["event"] == "line_spoken")
        heard = pulse.record_speaker(tmp_path / "narrator.wav", 3.0).wait()
        assert (speech_windows(heard, RECORD_RATE, 0.02) > 300).sum() > 20, "no narration"

        quiet_moment(log, pulse)
        pulse.play_wav_into_mic(phrase_wav(tmp_path, "pause"))
        paused = wait_for(log, lambda r: r["event"] == "paused")
        command = wait_for(log, lambda r: r["event"] == "command")
        assert command["command"] == "pause" and command["source"] == "voice"
        assert command["heard"] == "pause" and command["t"] == paused["t"]

        quiet_moment(log, pulse)
        pulse.play_wav_into_mic(phrase_wav(tmp_path, "next"))
        wait_for(log, lambda r: r["event"] == "command" and r["command"] == "next")

        quiet_moment(log, pulse)
        pulse.play_wav_into_mic(phrase_wav(tmp_path, "that hurts"))
        finished = wait_for(log, lambda r: r["event"] == "finished")
        assert finished["stopped"] is True
        out, err = app.communicate(timeout=15)
        assert app.returncode == 0, err
        assert "[heard] that hurts -> stop" in out
        assert "Traceback" not in err
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_the_full_screen_obeys_spoken_commands_live(pulse: PulseServer, tmp_path: Path) -> None:
    """As a person uses it: the full screen in a real terminal, the narrator speaking and
    the listener hearing through the sound server; what is said shows across the room."""
    log = tmp_path / "live.jsonl"
    env = pulse.child_env(VOICECOACH_DATA=str(tmp_path / "data"), TERM="xterm-256color")
    run = (f"{shlex.quote(sys.executable)} -m voicecoach run --hold 20 --voice brisk "
           f"--log {log}; echo EXIT=$?")
    with tmux_session(REPO, env) as tmux:
        tmux.send(run, "Enter")
        screen = tmux.wait_for("Hip 90/90 Stretch")
        assert "No speaker found" not in screen and "no microphone" not in screen.lower()
        wait_for(log, lambda r: r["event"] == "line_spoken")

        quiet_moment(log, pulse)
        pulse.play_wav_into_mic(phrase_wav(tmp_path, "pause"))
        wait_for(log, lambda r: r["event"] == "paused")
        tmux.wait_for("heard: pause ✓")
        tmux.wait_for("PAUSED — say “resume” or press space")

        pulse.play_wav_into_mic(phrase_wav(tmp_path, "resume"))
        wait_for(log, lambda r: r["event"] == "resumed")
        tmux.wait_for("heard: resume ✓")
        tmux.wait_gone("PAUSED")

        quiet_moment(log, pulse)
        pulse.play_wav_into_mic(phrase_wav(tmp_path, "stop"))
        finished = wait_for(log, lambda r: r["event"] == "finished")
        assert finished["stopped"] is True
        tmux.wait_for("Stopped early")  # the end screen, over the session's
        tmux.send("q")
        screen = tmux.wait_for("EXIT=0")
    assert "Traceback" not in screen
    commands = [(r["command"], r["source"]) for r in read_log(log) if r["event"] == "command"]
    assert commands == [("pause", "voice"), ("resume", "voice"), ("stop", "voice")]


def narrator_speaking(pulse: PulseServer, path: Path, timeout: float = 30.0) -> None:
    """Return as soon as the narrator is in the middle of a line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        windows = speech_windows(pulse.record_speaker(path, 0.3).wait(), RECORD_RATE, 0.02)
        if (windows > 300).mean() > 0.8:
            return
    raise AssertionError("the narrator never spoke")


def room_between_speaker_and_mic(pulse: PulseServer) -> None:
    """The room: what the speaker plays reaches the microphone 40 ms later, 10 dB down."""
    pulse.pactl("load-module", "module-loopback", "source=speaker.monitor", "sink=mic_feed",
                "latency_msec=40")
    [room] = [row.split("\t")[0] for row in
              pulse.pactl("list", "short", "sink-inputs").splitlines()
              if row.split("\t")[3] == "module-loopback.c"]
    pulse.pactl("set-sink-input-volume", room, "0.316")  # linear: -10 dB


def start_session(pulse: PulseServer, tmp_path: Path, log: Path,
                  *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--hold", "20",
         "--voice", "brisk", "--log", str(log), *options],
        env=pulse.child_env(VOICECOACH_DATA=str(tmp_path / "data")),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def say_over_the_narrator(pulse: PulseServer, tmp_path: Path, log: Path, phrase: Path,
                          obeyed: str) -> list[float]:
    """Play ``phrase`` while the narrator speaks, up to six times (a person says it again
    when nothing happens), until the log has an ``obeyed`` event; how much of the first
    second of each try (its 0.5 s lead, then the word) the narrator was talking."""
    overlapped = []
    for attempt in range(6):
        narrator_speaking(pulse, tmp_path / "probe.wav")
        heard = pulse.record_speaker(tmp_path / f"during-{attempt}.wav", 1.0)
        pulse.play_wav_into_mic(phrase)
        windows = speech_windows(heard.wait(), RECORD_RATE, 0.02)
        # The phrase starts 0.5 s into its file; once the person speaks the narrator yields
        # (20 dB down), so whether it was talking is read from the first second: a whole
        # second, as a comma's pause can take most of the lead (0.6-0.8 when it talks).
        overlapped.append(float((windows[:50] > 300).mean()))
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline and not any(
                r["event"] == obeyed for r in read_log(log)):
            time.sleep(0.1)
        if any(r["event"] == obeyed for r in read_log(log)):
            break
    return overlapped


def obeyed_over_the_narrator(pulse: PulseServer, tmp_path: Path, word: str, obeyed: str,
                             *options: str) -> tuple[subprocess.Popen[str], Path, list[float]]:
    """Start a session, let the canceller learn the room, then say ``word`` over the
    narrator (:func:`say_over_the_narrator`) until the log has ``obeyed``. Returns the
    running app, its data folder and how much each try overlapped the narrator.

    A try can fall on the end of a line (the narrator talks in less than a fifth of the
    try's first second): when that one is obeyed, nothing was shown, and a fresh session
    tries again."""
    for run in range(3):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        log = folder / "live.jsonl"
        app = start_session(pulse, folder, log, *options)
        try:
            wait_for(log, lambda r: r["event"] == "line_spoken")
            time.sleep(3.0)  # the canceller learns the room while the coach talks
            overlapped = say_over_the_narrator(pulse, folder, log, phrase_wav(folder, word),
                                               obeyed)
        except BaseException:
            app.kill()
            app.wait()
            raise
        if not any(r["event"] == obeyed for r in read_log(log)):
            app.kill()
            out, err = app.communicate(timeout=10)
            server_log = pulse.log_path.read_text(errors="replace")[-2000:]
            raise AssertionError(f"{word!r} never obeyed over the narrator {overlapped}:\n"
                                 f"{out}\n{err[-2000:]}\nsound server:\n{server_log}")
        if overlapped[-1] > 0.2:
            return app, folder, overlapped
        app.send_signal(signal.SIGINT)  # quits as Ctrl-C does, unloading the canceller
        app.communicate(timeout=15)
    raise AssertionError(f"{word!r} was only ever obeyed as the narrator finished a line "
                         f"(the narrator talking in the last try's first second: {overlapped})")


def test_stop_said_over_the_narrator_is_obeyed_through_the_echo_canceller(
        pulse: PulseServer, tmp_path: Path) -> None:
    room_between_speaker_and_mic(pulse)
    app, folder, _ = obeyed_over_the_narrator(pulse, tmp_path, "stop", "finished")
    try:
        log = folder / "live.jsonl"
        finished = wait_for(log, lambda r: r["event"] == "finished", timeout=5)
        assert finished["stopped"] is True
        out, err = app.communicate(timeout=15)
        assert app.returncode == 0, err
        assert "[heard] stop -> stop" in out and "Traceback" not in err
        commands = [r["command"] for r in read_log(log) if r["event"] == "command"]
        assert commands == ["stop"]  # none from the echo
        assert "module-echo-cancel" not in pulse.pactl("list", "short", "modules")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_quitting_mid_line_stops_the_coach_at_once_and_unloads_the_canceller(
        pulse: PulseServer, tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    app = subprocess.Popen(
        [sys.executable, "-m", "voicecoach", "run", "--no-tui", "--voice", "brisk",
         "--log", str(log)],
        env=pulse.child_env(VOICECOACH_DATA=str(tmp_path / "data")),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(log, lambda r: r["event"] == "line_spoken")
        narrator_speaking(pulse, tmp_path / "probe.wav")  # the long first line has begun
        after = pulse.record_speaker(tmp_path / "after.wav", 3.0)
        app.send_signal(signal.SIGINT)  # Ctrl-C
        app.communicate(timeout=10)
        windows = speech_windows(after.wait(), RECORD_RATE, 0.02)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 130
    loud = np.nonzero(windows > 300)[0] * 0.02
    # At most 0.8 s more of the coach, none of it after 1.2 s (what the sound server had
    # buffered can come out in a blip as the canceller is unloaded, under a loaded CI).
    assert len(loud) * 0.02 < 0.8 and (len(loud) == 0 or loud[-1] < 1.2), (
        f"the coach went on talking: {len(loud) * 0.02:.2f} s of sound, until {loud[-1]:.2f} s")
    assert "module-echo-cancel" not in pulse.pactl("list", "short", "modules")


def test_any_command_said_over_the_narrator_is_obeyed_live(
        pulse: PulseServer, tmp_path: Path) -> None:
    """Not only stop and pause: "easier" over a line, heard beyond the echo (the speaker
    reports what it plays; the listener tells the person from the room's echo of it)."""
    room_between_speaker_and_mic(pulse)
    app, folder, overlapped = obeyed_over_the_narrator(pulse, tmp_path, "easier",
                                                       "variant_changed")
    try:
        records = read_log(folder / "live.jsonl")
        changed = [r for r in records if r["event"] == "variant_changed"]
        commands = [r["command"] for r in records if r["event"] == "command"]
        assert changed[0]["easier"] is True, (overlapped, commands)
        assert set(commands) == {"easier"}, commands
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_a_command_said_over_the_narrator_is_obeyed_through_the_apps_own_canceller(
        pulse: PulseServer, tmp_path: Path) -> None:
    """No canceller in the sound server (``--echo-cancel app`` loads none): the app cancels
    the echo itself, from what its speaker stream says it played and when."""
    room_between_speaker_and_mic(pulse)
    app, folder, overlapped = obeyed_over_the_narrator(pulse, tmp_path, "easier",
                                                       "variant_changed", "--echo-cancel", "app")
    try:
        assert "module-echo-cancel" not in pulse.pactl("list", "short", "modules")
        commands = [r["command"] for r in read_log(folder / "live.jsonl")
                    if r["event"] == "command"]
        assert set(commands) == {"easier"}, (overlapped, commands)  # none from the echo
        app_log = (folder / "data" / "logs" / "voicecoach.log").read_text()
        assert "the app cancels the echo itself" in app_log
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


COUNTED = '''
format = 1
name = "counted"
title = "Knee rocks, counted"
description = "A long step, then a long set of counted reps."
hold_seconds = 20
reps = 40
rep_seconds = 2.0
rest_seconds = 10

[[exercises]]
name = "Knee Rocks"
purpose = "Loosens the lower back."
easier = { summary = "Rock your knees only a little way to each side.", from_article = false }

[[exercises.steps]]
text = """Lie on your back with your knees bent and your feet flat on the floor, \\
arms out to the sides, and let your shoulders rest heavy on the ground."""

[[exercises.steps]]
text = "Let both knees fall slowly to one side and back to the middle, with my count."
reps = true

[[exercises]]
name = "Pelvic Tilts"
purpose = "Wakes up the muscles that support the lower back."
easier = { summary = "Tilt only a little, and breathe out as you do.", from_article = false }

[[exercises.steps]]
text = "Flatten your lower back into the floor by tightening your belly, then relax."
reps = true
'''
"""A routine whose second step counts forty reps, one every 2 s."""


def wall(record: dict[str, Any]) -> float:
    """A log record's wall-clock time, in seconds since the epoch."""
    return datetime.fromisoformat(record["wall"]).timestamp()


def say_until(pulse: PulseServer, log: Path, phrase: Path,
              obeyed: Callable[[dict[str, Any]], bool]) -> tuple[float, float]:
    """Play ``phrase`` into the microphone, again (up to three times, as a person would)
    until a log record after it satisfies ``obeyed``. Returns when the obeyed try was said
    and how much of the first try's first second (its 0.5 s lead, then the word) the
    narrator was talking (by a later try it may have yielded to the first): a whole
    second, as a comma's pause can take most of the lead."""
    talking = 0.0
    for attempt in range(3):
        said_at = time.time()
        heard = pulse.record_speaker(phrase.with_suffix(f".{attempt}.heard.wav"), 1.0)
        pulse.play_wav_into_mic(phrase)
        windows = speech_windows(heard.wait(), RECORD_RATE, 0.02)
        if attempt == 0:
            talking = float((windows[:50] > 300).mean())
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            if any(wall(r) > said_at and obeyed(r) for r in read_log(log)):
                return said_at, talking
            time.sleep(0.1)
    raise AssertionError(f"{phrase.stem!r} never obeyed; the log ends: {read_log(log)[-12:]}")


def test_commands_at_random_moments_over_a_line_and_during_counts_are_obeyed_live(
        pulse: PulseServer, tmp_path: Path) -> None:
    """A person on the floor: commands at moments drawn at random, over a step the coach
    reads and while it counts reps, through the sound server's echo canceller. Each is
    obeyed (said again when nothing happens, as a person does), and nothing else is."""
    room_between_speaker_and_mic(pulse)
    routine = tmp_path / "counted.toml"
    routine.write_text(COUNTED, encoding="utf-8")
    log = tmp_path / "live.jsonl"
    app = start_session(pulse, tmp_path, log, str(routine))
    moment = random.Random(2026)
    said: dict[str, tuple[float, float]] = {}

    def say(word: str, obeyed: Callable[[dict[str, Any]], bool]) -> None:
        said[word] = say_until(pulse, log, phrase_wav(tmp_path, word), obeyed)

    def counting() -> None:
        """Wait for the next count, then a random moment within its 2 s."""
        since = time.time()
        wait_for(log, lambda r: r["event"] == "line_spoken" and r["kind"] == "count"
                 and wall(r) > since)
        time.sleep(moment.uniform(0.0, 2.0))

    try:
        wait_for(log, lambda r: r.get("label") == "Knee Rocks, step 1")
        time.sleep(moment.uniform(1.0, 3.0))  # the canceller has learnt the room meanwhile
        narrator_speaking(pulse, tmp_path / "reading.wav")  # not between two sentences
        say("easier", lambda r: r["event"] == "variant_changed" and r["easier"])
        counting()
        say("pause", lambda r: r["event"] == "paused")
        time.sleep(moment.uniform(1.0, 3.0))
        say("resume", lambda r: r["event"] == "resumed")
        counting()
        say("next", lambda r: r.get("label", "").startswith(("Rest", "Pelvic Tilts")))
        time.sleep(moment.uniform(0.5, 3.0))
        say("stop", lambda r: r["event"] == "finished" and r["stopped"])
        _, err = app.communicate(timeout=15)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, err
    records = read_log(log)
    commands = [r["command"] for r in records if r["event"] == "command"]
    once = [c for i, c in enumerate(commands) if i == 0 or c != commands[i - 1]]
    assert once == ["easier", "pause", "resume", "next", "stop"], (commands, said)
    assert said["easier"][1] > 0.2, f"the coach was not reading the step: {said}"
    counts = [wall(r) for r in records if r["event"] == "line_spoken" and r["kind"] == "count"]
    for word in ("pause", "next"):
        at = said[word][0]
        assert any(0.0 <= at - t < 2.1 for t in counts), f"{word!r} was not said during counts"
