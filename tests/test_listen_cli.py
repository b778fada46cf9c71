"""``voicecoach listen``, WAV reading, the live listener's failure paths, stderr redirection.

Real espeak-ng speech and the real Vosk model; a private PulseAudio server for the live
microphone path.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.support.pulse import private_pulse_server
from tests.support.speech import compose, write_wav
from voicecoach.audio.files import read_audio
from voicecoach.audio.resample import resample
from voicecoach.cli.listen import SAY_A_COMMAND
from voicecoach.cli.main import main
from voicecoach.cli.status import ExitStatus
from voicecoach.model_store import ModelMissing, find_model
from voicecoach.speech_in.events import ListenerState, ListenerStatus
from voicecoach.speech_in.listener import Listener

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model() -> Path:
    try:
        return find_model(None)
    except ModelMissing as missing:
        pytest.fail(f"{missing} (needed by the listener tests)")


@pytest.fixture(scope="module")
def pause_wav(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A WAV with "lower back pain" then "pause"; returns it and the end of "pause"."""
    rec = compose([("lower back pain", "en-gb"), ("pause", "en-us+f3")], gap=1.5)
    path = write_wav(tmp_path_factory.mktemp("wav") / "pause.wav", rec.audio)
    return path, rec.placed[1].end


def run_listen(capsys: pytest.CaptureFixture[str], *, wav: Path, model: Path,
               as_json: bool = False) -> tuple[int, str, str]:
    """``voicecoach listen --wav WAV --model MODEL [--json]``, through the one CLI."""
    json_flag = ["--json"] if as_json else []
    status = main(["listen", "--wav", str(wav), "--model", str(model), *json_flag])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.audio
@pytest.mark.vosk
def test_json_prints_the_command_soon_after_the_word(
    capsys: pytest.CaptureFixture[str], model: Path, pause_wav: tuple[Path, float]
) -> None:
    path, word_end = pause_wav
    status, out, _ = run_listen(capsys, wav=path, as_json=True, model=model)
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 1, out
    line = lines[0]
    assert line["command"] == "pause"
    assert line["text"] == "pause"
    assert word_end <= line["at"] <= word_end + 0.2
    assert 0.0 < line["confidence"] <= 1.0


@pytest.mark.audio
@pytest.mark.vosk
def test_human_output_shows_rejected_speech_and_the_command(
    capsys: pytest.CaptureFixture[str], model: Path, pause_wav: tuple[Path, float]
) -> None:
    status, out, _ = run_listen(capsys, wav=pause_wav[0], model=model)
    assert status == 0
    lines = out.splitlines()
    assert any("heard:" in line and "?" in line for line in lines), out
    assert any("pause" in line and "heard:" not in line for line in lines), out


@pytest.mark.vosk
@pytest.mark.parametrize(("as_json", "said"), [(False, "no words recognized"),
                                               (True, "no command heard")])
def test_a_file_with_nothing_to_hear_says_so(
    capsys: pytest.CaptureFixture[str], model: Path, tmp_path: Path, as_json: bool, said: str
) -> None:
    hiss = np.random.default_rng(0).standard_normal(2 * 16000) * 10 ** (-60 / 20)
    quiet = write_wav(tmp_path / "quiet.wav", hiss.astype(np.float32))
    silent = write_wav(tmp_path / "silent.wav", np.zeros(16000, dtype=np.float32))
    empty = write_wav(tmp_path / "empty.wav", np.zeros(0, dtype=np.float32))
    for wav, ending in ((quiet, f"{said} in 2.0 s"),
                        (silent, f"{said} in 1.0 s (it is silent all through)"),
                        (empty, "holds no audio")):
        status, out, err = run_listen(capsys, wav=wav, as_json=as_json, model=model)
        assert status == 0
        assert out == ""
        assert err.splitlines() == [f"voicecoach listen: {wav.name}: {ending}"]


def test_json_without_a_file_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["listen", "--json"]) is ExitStatus.BAD_INPUT
    assert capsys.readouterr().err == (
        "voicecoach: --json needs --wav FILE: the live check shows a level meter\n")


@pytest.mark.audio
@pytest.mark.vosk
def test_any_wav_format_is_converted(
    capsys: pytest.CaptureFixture[str], model: Path, pause_wav: tuple[Path, float], tmp_path: Path
) -> None:
    audio = read_audio(pause_wav[0])
    stereo = tmp_path / "stereo44k.wav"
    with wave.open(str(stereo), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(4)
        out.setframerate(44100)
        mono = resample(audio, 16000, 44100)
        both = np.repeat((mono * 2**30).astype("<i4"), 2)
        out.writeframes(both.tobytes())
    status, out_text, _ = run_listen(capsys, wav=stereo, as_json=True, model=model)
    assert status == 0
    (line,) = [json.loads(x) for x in out_text.splitlines()]
    assert line["command"] == "pause"
    assert pause_wav[1] <= line["at"] <= pause_wav[1] + 0.25


def write_float_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    data = audio.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_read_wav_reads_integer_pcm_of_every_width(tmp_path: Path, width: int) -> None:
    t = np.arange(22050) / 22050
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    path = tmp_path / f"tone{width}.wav"
    scale = 2 ** (8 * width - 1) - 1
    ints = np.round(tone * scale).astype(np.int64)
    if width == 1:
        raw = (ints + 128).astype(np.uint8).tobytes()
    else:
        raw = b"".join(int(v).to_bytes(width, "little", signed=True) for v in ints)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(width)
        out.setframerate(22050)
        out.writeframes(raw)
    got = read_audio(path)
    assert len(got) == 16000
    assert abs(float(np.sqrt(np.mean(got**2))) - 0.5 / np.sqrt(2)) < 0.02


def test_read_wav_reads_float_and_rejects_junk(tmp_path: Path) -> None:
    audio = np.full(8000, 0.25, np.float32)
    write_float_wav(tmp_path / "f.wav", audio, 8000)
    got = read_audio(tmp_path / "f.wav")
    assert len(got) == 16000
    assert abs(float(np.median(got)) - 0.25) < 1e-3
    (tmp_path / "junk.wav").write_bytes(b"not a wav at all")
    with pytest.raises(ValueError, match="not a WAV"):
        read_audio(tmp_path / "junk.wav")


@pytest.mark.vosk
def test_unreadable_wav_is_one_message_and_status_2(
    capsys: pytest.CaptureFixture[str], model: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF0000WAVEjunk")
    status, out, err = run_listen(capsys, wav=junk, as_json=True, model=model)
    assert status == 2
    assert out == ""
    assert err.startswith("voicecoach: ") and len(err.strip().splitlines()) == 1
    assert "junk.wav" in err


def test_missing_model_says_to_install_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run_listen(capsys, wav=tmp_path / "x.wav", model=tmp_path / "no-model")
    assert status == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "voicecoach model install" in err


# --- the live listener ------------------------------------------------------------------


def collect(listener_events: list[object], until: float, state: ListenerState) -> ListenerStatus:
    deadline = time.monotonic() + until
    while time.monotonic() < deadline:
        for event in list(listener_events):
            if isinstance(event, ListenerStatus) and event.state is state:
                return event
        time.sleep(0.05)
    raise AssertionError(f"no {state} state in {listener_events}")


@pytest.mark.vosk
def test_no_microphone_is_one_state_with_a_hint_not_a_crash(model: Path) -> None:
    events: list[object] = []
    listener = Listener(model, on_event=events.append, device="voicecoach-no-such-mic",
                        retry_every=0.2)
    listener.start()
    try:
        state = collect(events, 20, ListenerState.NO_MICROPHONE)
        time.sleep(1.0)  # several retries happen meanwhile
    finally:
        listener.stop()
    assert "microphone" in state.detail
    assert [e for e in events if isinstance(e, ListenerStatus)] == [state]


@pytest.mark.vosk
def test_the_microphone_check_without_a_microphone_says_what_to_do(
        model: Path, tmp_path: Path) -> None:
    """``voicecoach listen`` with no sound server: one plain line on what to do, without
    PortAudio's "Error querying device -1" and without the session's "use the keys"."""
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-sound-server",
           "VOICECOACH_MODEL": str(model)}
    child = subprocess.Popen([sys.executable, "-m", "voicecoach", "listen"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             cwd=REPO)
    assert child.stdout is not None
    lines: list[str] = []
    too_long = threading.Timer(30, child.kill)  # a child that falls silent fails the test
    too_long.start()
    try:
        for line in child.stdout:
            lines.append(line)
            if line.startswith("[no-microphone]"):
                break
    finally:
        too_long.cancel()
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=15)
    assert child.returncode == ExitStatus.ERROR  # ended without a microphone: the check failed
    assert SAY_A_COMMAND + "\n" not in lines  # nothing to say it to
    state = lines[-1]
    assert state == ("[no-microphone] no microphone found: plug in a microphone or start "
                     "PulseAudio/PipeWire, then it is picked up by itself\n"), lines


def test_missing_model_is_a_no_model_state(tmp_path: Path) -> None:
    events: list[object] = []
    listener = Listener(tmp_path / "nothing", on_event=events.append)
    listener.start()
    state = collect(events, 10, ListenerState.NO_MODEL)
    listener.stop()
    assert "voicecoach model install" in state.detail


LIVE_CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from voicecoach.speech_in.listener import Listener
    from voicecoach.speech_in.selfhearing import SpeechActivity

    def show(event):
        fields = {k: (v.value if hasattr(v, "value") else v) for k, v in vars(event).items()}
        print(json.dumps({"type": type(event).__name__, **fields}), flush=True)

    listener = Listener(Path(sys.argv[1]), on_event=show, activity=SpeechActivity(),
                        retry_every=0.5)
    listener.start()
    time.sleep(float(sys.argv[2]))
    listener.stop()
    print(json.dumps({"type": "end"}), flush=True)
    """
)


def start_live_child(model: Path, seconds: float, env: dict[str, str]) -> subprocess.Popen[str]:
    env = {**env, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", LIVE_CHILD, str(model), str(seconds)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
    )


class Lines:
    """Reads a child's JSON lines on a thread, so the test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]):
        self.items: list[dict[str, object]] = []
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.items.append(json.loads(line))

    def wait_for(self, timeout: float, after: int = 0, **fields: object) -> dict[str, object]:
        """The first line from index ``after`` on that has ``fields``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in list(self.items)[after:]:
                if all(item.get(k) == v for k, v in fields.items()):
                    return item
            time.sleep(0.05)
        raise AssertionError(f"nothing like {fields} in {self.items}")


@pytest.mark.pulse
@pytest.mark.audio
@pytest.mark.vosk
def test_live_microphone_hears_a_command_and_survives_the_server_restarting(
    model: Path, tmp_path: Path
) -> None:
    rec = compose([("lower back pain", "en-gb"), ("pause", "en-us+f3")], gap=1.0)
    wav = write_wav(tmp_path / "say.wav", rec.audio)
    with private_pulse_server(tmp_path) as pulse:
        child = start_live_child(model, 45, pulse.child_env())
        lines = Lines(child)
        try:
            lines.wait_for(20, type="ListenerStatus", state=ListenerState.LISTENING)
            pulse.play_wav_into_mic(wav)
            heard = lines.wait_for(5, type="Heard")
            assert heard["command"] == "pause"
            assert any(item["type"] == "Level" for item in lines.items)
            assert [i for i in lines.items if i["type"] == "Heard"] == [heard]
            pulse.stop()  # the sound server dies mid-session
            state = lines.wait_for(10, type="ListenerStatus", state=ListenerState.NO_MICROPHONE)
            assert "microphone" in str(state["detail"])

            (tmp_path / "again").mkdir()
            with private_pulse_server(tmp_path / "again", runtime=pulse.runtime) as again:
                back = lines.items.index(state) + 1
                lines.wait_for(15, after=back, type="ListenerStatus", state=ListenerState.LISTENING)
                again.play_wav_into_mic(wav)
                heard = lines.wait_for(5, after=back, type="Heard")
                assert heard["command"] == "pause"
        finally:
            child.kill()
            child.wait()


class Output:
    """Collects a child's stdout on a thread, character by character (the level meter
    rewrites its line with carriage returns, so lines never end)."""

    def __init__(self, process: subprocess.Popen[str]):
        self.text = ""
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        while char := process.stdout.read(1):
            self.text += char

    def wait_for(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            assert time.monotonic() < deadline, f"no {needle!r} in {self.text[-500:]!r}"
            time.sleep(0.05)


@pytest.mark.pulse
@pytest.mark.audio
@pytest.mark.vosk
def test_the_microphone_check_lifts_a_quiet_voice_and_shows_the_command(
    model: Path, tmp_path: Path
) -> None:
    """``voicecoach listen`` as a user runs it, with someone speaking at -50 dBFS."""
    quiet = 10 ** (-50 / 20)
    phrases = [("next one", "en-gb"), ("make it easier", "en-gb"), ("keep going", "en-gb"),
               ("pause", "en-us+f3")]
    wav = write_wav(tmp_path / "quiet.wav", compose(phrases, gap=1.0, level=quiet).audio)
    with private_pulse_server(tmp_path) as pulse:
        child = subprocess.Popen(
            [sys.executable, "-m", "voicecoach", "listen"],
            env={**pulse.child_env(), "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path,
        )
        output = Output(child)
        try:
            output.wait_for("level", 30)
            pulse.play_wav_into_mic(wav)
            output.wait_for("(heard \"pause\"", 5)
            output.wait_for("lifted +", 5)
        finally:
            child.send_signal(2)  # Ctrl-C
            child.wait(timeout=10)
    assert child.returncode == ExitStatus.OK  # the microphone opened: the check passed
    lines = [line.split("\r")[-1] for line in output.text.splitlines()]
    assert lines[1] == SAY_A_COMMAND
    commands = [line.split()[1] for line in lines if "(heard" in line]
    assert commands[-1] == "pause"
    assert set(commands) <= {"next", "easier", "resume", "pause"}
    lift = float(output.text.rsplit("lifted +", 1)[1].split()[0])
    assert 20 <= lift <= 36
    assert lines[0] == ("echo cancelling available: a session puts it between "
                        "mic_feed.monitor and speaker")


def test_c_stderr_goes_to_the_log_and_python_stderr_to_the_terminal(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "native.log"
    code = textwrap.dedent(
        f"""
        import os, sys
        from voicecoach.frontends.stderr_redirect import redirect_c_stderr
        assert redirect_c_stderr({str(log)!r}) is not None
        os.write(2, b"ALSA lib pcm.c: noise from C\\n")
        print("our message", file=sys.stderr)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=30, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "our message" in result.stderr
    assert "noise from C" not in result.stderr
    assert "noise from C" in log.read_text()


@pytest.mark.pulse
@pytest.mark.vosk
def test_a_microphone_gone_is_no_microphone_not_the_speaker_heard(tmp_path: Path) -> None:
    """With the microphone gone the sound server moves the recording to the speaker's own
    monitor: that is said as no microphone (it had said "listening" and heard the coach's
    words), and listening comes back with the microphone."""
    with private_pulse_server(tmp_path) as pulse:
        child = subprocess.Popen(
            [sys.executable, "-m", "voicecoach", "listen"],
            env={**pulse.child_env(), "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp_path)
        output = Output(child)
        try:
            output.wait_for("level", 30)
            [module] = [row.split("\t")[0] for row in
                        pulse.pactl("list", "short", "modules").splitlines()
                        if "sink_name=mic_feed" in row]
            pulse.pactl("unload-module", module)
            assert pulse.pactl("get-default-source").strip() == "speaker.monitor"
            output.wait_for("no microphone found (only the speaker's own sound)", 15)
            seen = len(output.text)
            pulse.pactl("load-module", "module-null-sink", "sink_name=mic_feed")
            pulse.pactl("set-default-source", "mic_feed.monitor")
            deadline = time.monotonic() + 20
            while "level" not in output.text[seen:]:
                assert time.monotonic() < deadline, output.text[-500:]
                time.sleep(0.1)
        finally:
            child.send_signal(2)  # Ctrl-C
            child.wait(timeout=10)


def test_commands_heard_line_up_under_each_other_as_the_words_shown_for_them() -> None:
    """Not "how-many-left" pushing its line out of the column."""
    from voicecoach.cli.listen import format_event
    from voicecoach.core.commands import Command
    from voicecoach.speech_in.events import Heard

    lines = [format_event(Heard(command, text, 12.5, 0.91), False) or ""
             for command, text in ((Command.PAUSE, "pause"),
                                   (Command.HOW_MANY_LEFT, "how many more"),
                                   (Command.WHATS_NEXT, "coming up"), (Command.HELP, "commands"))]
    assert lines[1] == '   12.50  how many left   (heard "how many more", confidence 0.91)'
    assert "  what comes next (heard" in lines[2] and "  commands        (heard" in lines[3]
    assert len({line.index("(heard") for line in lines}) == 1, lines


def test_a_long_line_of_the_microphone_check_wraps_between_words() -> None:
    from voicecoach.cli.listen import wrapped

    line = ("echo cancelling available: a session puts it between "
            "alsa_input.pci-0000_00_1f.3.analog-stereo and speaker")
    assert wrapped(line, 80).splitlines() == [
        "echo cancelling available: a session puts it between",
        "alsa_input.pci-0000_00_1f.3.analog-stereo and speaker"]
    assert wrapped(line, None) == line  # a pipe gets it on one line
    assert wrapped("no microphone", 5) == "no\nmicrophone"


def test_a_near_miss_heard_says_the_words_to_say() -> None:
    """As the session's screens do: "what next" is no command, "what comes next" is."""
    from voicecoach.cli.listen import format_event
    from voicecoach.speech_in.events import Rejected, RejectReason

    near = Rejected("what next", 3.0, RejectReason.NOT_A_COMMAND)
    assert format_event(near, False) == ("    3.00  heard: what next?  (not a command) — "
                                         "say “what comes next”")
    assert format_event(near, True) is None  # --json: commands only
    other = Rejected("back pain", 3.0, RejectReason.NOT_A_COMMAND)
    assert format_event(other, False) == "    3.00  heard: back pain?  (not a command)"
