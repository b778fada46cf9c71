"""Audio files in, audio files out: every broken file is one clear error, FLAC/Ogg/MP3 and
streamed WAVs read, resampling keeps the sound, long files are read without their
original-rate copy, and the command line says one line for a bad file."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.support.routines import TINY_ROUTINE
from voicecoach.audio.errors import AudioFormatError
from voicecoach.audio.files import audio_duration, iter_audio, read_audio, read_clip, write_wav
from voicecoach.audio.pcm import SAMPLE_RATE, Clip, from_pcm16, rms_dbfs, to_int16, to_pcm16
from voicecoach.audio.resample import resample
from voicecoach.cli import listen as cli_listen
from voicecoach.cli.main import main

REPO = Path(__file__).resolve().parent.parent


def tone(hz: float, seconds: float, rate: int, level: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def peak_hz(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio.astype(np.float64) * np.hanning(len(audio))))
    return float(np.argmax(spectrum) * rate / len(audio))


def level_db_at(audio: np.ndarray, rate: int, hz: float) -> float:
    """Level of the ``hz`` component (±50 Hz), in dB relative to the strongest one."""
    spectrum = np.abs(np.fft.rfft(audio.astype(np.float64) * np.hanning(len(audio))))
    freqs = np.fft.rfftfreq(len(audio), 1 / rate)
    near = spectrum[np.abs(freqs - hz) <= 50].max()
    return 20 * float(np.log10(near / spectrum.max() + 1e-30))


def fmt_chunk(channels: int = 1, rate: int = 16000, bits: int = 16) -> bytes:
    align = channels * bits // 8
    return struct.pack("<HHIIHH", 1, channels, rate, rate * align, align, bits)


def riff(*chunks: tuple[bytes, bytes], riff_size: int | None = None) -> bytes:
    body = b"WAVE" + b"".join(
        name + struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1)
        for name, data in chunks
    )
    size = len(body) if riff_size is None else riff_size
    return b"RIFF" + struct.pack("<I", size) + body


SECOND = to_int16(tone(440, 1.0, 16000)).astype("<i2").tobytes()
GOOD = riff((b"fmt ", fmt_chunk()), (b"data", SECOND))

BROKEN = {
    "empty": b"",
    "text": b"This is a note about stretching, not a recording.\n" * 20,
    "riff-only": GOOD[:4],
    "header-cut-in-fmt": GOOD[:28],
    "fmt-of-4-bytes": riff((b"fmt ", fmt_chunk()[:4]), (b"data", SECOND)),
    "zero-bits": riff((b"fmt ", fmt_chunk(bits=0)), (b"data", SECOND)),
    "zero-rate": riff((b"fmt ", fmt_chunk(rate=0)), (b"data", SECOND)),
    "zero-channels": riff((b"fmt ", fmt_chunk(channels=0)), (b"data", SECOND)),
    "no-data-chunk": riff((b"fmt ", fmt_chunk())),
    "random-bytes": np.random.default_rng(7).integers(0, 256, 5000, np.uint8).tobytes(),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_one_error_naming_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.wav"
    path.write_bytes(BROKEN[name])
    for read in (read_audio, iter_audio, read_clip, audio_duration):
        with pytest.raises(AudioFormatError) as caught:
            read(path)
        message = str(caught.value)
        assert message.startswith(str(path) + ": "), message
        assert "\n" not in message


def test_the_errors_say_what_is_wrong(tmp_path: Path) -> None:
    said = {}
    for name in ("empty", "text", "zero-rate", "zero-bits"):
        path = tmp_path / f"{name}.wav"
        path.write_bytes(BROKEN[name])
        with pytest.raises(AudioFormatError) as caught:
            read_audio(path)
        said[name] = str(caught.value)
    assert "empty" in said["empty"]
    assert "not a WAV, FLAC, Ogg or MP3 file" in said["text"]
    assert "sample rate" in said["zero-rate"]
    assert "encoding" in said["zero-bits"]


def test_a_missing_file_is_the_usual_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_audio(tmp_path / "nowhere.wav")


@pytest.mark.parametrize("kind", ["FLAC", "OGG", "MP3"])
def test_compressed_files_read_back(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"tone.{kind.lower()}"
    soundfile.write(path, np.stack([tone(660, 2.0, 44100)] * 2, axis=1), 44100, format=kind)
    audio = read_audio(path)
    assert audio.dtype == np.float32
    assert len(audio) == pytest.approx(2 * SAMPLE_RATE, abs=0.05 * SAMPLE_RATE)
    assert peak_hz(audio, SAMPLE_RATE) == pytest.approx(660, abs=3)
    assert float(np.sqrt(np.mean(audio[4000:-4000] ** 2))) == pytest.approx(0.5 / np.sqrt(2),
                                                                           abs=0.03)


@pytest.mark.parametrize("riff_size", [0, 0xFFFFFFFF])
def test_a_streamed_wav_with_data_size_zero_reads_the_audio_there(
    tmp_path: Path, riff_size: int
) -> None:
    head = riff((b"fmt ", fmt_chunk()), (b"data", b""), riff_size=riff_size)
    path = tmp_path / "streamed.wav"
    path.write_bytes(head + SECOND)
    audio = read_audio(path)
    assert len(audio) == SAMPLE_RATE
    assert np.allclose(audio, read_audio(write(tmp_path / "whole.wav", GOOD)), atol=1e-6)
    assert audio_duration(path) == pytest.approx(1.0)
    assert len(read_clip(path).samples) == SAMPLE_RATE


def test_a_wav_whose_data_is_really_empty_reads_as_no_audio(tmp_path: Path) -> None:
    path = write(tmp_path / "nothing.wav", riff((b"fmt ", fmt_chunk()), (b"data", b"")))
    assert len(read_audio(path)) == 0
    assert list(iter_audio(path)) == []


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_resample_keeps_a_tones_frequency_and_length() -> None:
    for src, dst in ((44100, 16000), (22050, 16000), (16000, 48000), (8000, 16000)):
        out = resample(tone(1000, 1.0, src), src, dst)
        assert out.dtype == np.float32
        assert len(out) == dst
        assert peak_hz(out, dst) == pytest.approx(1000, abs=2)


def test_resample_lets_nothing_above_the_new_nyquist_alias_down() -> None:
    # 12 kHz at 44.1 kHz would fold to 4 kHz at 16 kHz; 1 kHz is the wanted sound.
    mixed = tone(1000, 1.0, 44100, 0.4) + tone(12000, 1.0, 44100, 0.4)
    out = resample(mixed, 44100, 16000)
    assert level_db_at(out, 16000, 1000) == pytest.approx(0.0, abs=0.1)
    assert level_db_at(out, 16000, 4000) < -50


def test_resample_of_int16_stays_int16() -> None:
    samples = to_int16(tone(440, 1.0, 22050))
    out = resample(samples, 22050, 16000)
    assert out.dtype == np.int16 and len(out) == 16000
    assert np.array_equal(resample(samples, 22050, 22050), samples)


def test_blocks_are_whole_and_add_up_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    left, right = tone(500, 3.3, 44100), tone(900, 3.3, 44100)
    soundfile.write(path, np.stack([left, right], axis=1), 44100, subtype="PCM_24")
    blocks = list(iter_audio(path, SAMPLE_RATE, block_seconds=0.02))
    assert {len(b) for b in blocks[:-1]} == {320}
    assert 0 < len(blocks[-1]) <= 320
    whole = read_audio(path)
    assert np.array_equal(np.concatenate(blocks), whole)
    expected = resample((left + right) / 2, 44100, SAMPLE_RATE)
    assert len(whole) == len(expected)
    assert np.max(np.abs(whole - expected)) < 1e-3


def test_a_long_stereo_file_is_read_without_its_original_rate_copy(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    seconds = 180
    with soundfile.SoundFile(path, "w", 44100, 2, "PCM_16") as out:
        chunk = np.stack([tone(300, 10.0, 44100)] * 2, axis=1)
        for _ in range(seconds // 10):
            out.write(chunk)
    result_bytes = seconds * SAMPLE_RATE * 4
    tracemalloc.start()
    try:
        audio = read_audio(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(audio) == seconds * SAMPLE_RATE
    # The file as float32 stereo at 44.1 kHz would be 5.5 times the result; as float64, 11.
    assert peak < 2 * result_bytes, f"peak {peak / 1e6:.1f} MB"


def test_clips_round_trip_through_wav_files(tmp_path: Path) -> None:
    clip = Clip(to_int16(tone(440, 0.5, 22050)), 22050)
    assert not clip.samples.flags.writeable
    path = tmp_path / "clip.wav.part"  # any file name: always written as WAV
    write_wav(path, clip)
    again = read_clip(path)
    assert again.sample_rate == 22050
    assert np.array_equal(again.samples, clip.samples)
    assert not again.samples.flags.writeable


def test_pcm_bytes_round_trip_clip_and_measure() -> None:
    audio = tone(440, 1.0, SAMPLE_RATE, level=0.9)
    pcm = to_pcm16(audio)
    assert len(pcm) == 2 * SAMPLE_RATE
    assert np.max(np.abs(from_pcm16(pcm) - audio)) < 1e-4
    assert from_pcm16(to_pcm16(np.array([2.0, -2.0], np.float32))).tolist() == pytest.approx(
        [32767 / 32768, -32767 / 32768])
    assert rms_dbfs(pcm) == pytest.approx(20 * np.log10(0.9 / np.sqrt(2)), abs=0.05)
    assert rms_dbfs(to_pcm16(np.zeros(100, np.float32))) == -120.0
    assert rms_dbfs(b"") == -120.0


@pytest.mark.vosk
def test_listen_shows_progress_for_a_long_file(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "quiet.flac"
    soundfile.write(path, np.zeros(3 * 48000, np.float32), 48000)
    monkeypatch.setattr(cli_listen, "LONG_FILE_SECONDS", 2.0)
    assert main(["listen", "--wav", str(path), "--model", str(model), "--json"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    *progress, nothing = err.splitlines()
    assert [line.split(": ")[2].split(" %")[0] for line in progress] == [
        str(p) for p in range(10, 101, 10)
    ]
    assert progress[-1] == "voicecoach listen: quiet.flac: 100 % (0:03 of 0:03)"
    assert nothing == ("voicecoach listen: quiet.flac: no command heard in 3.0 s (it is silent "
                       "all through)")


@pytest.mark.vosk
@pytest.mark.parametrize("command", ["listen", "simulate"])
def test_the_command_line_says_one_line_and_exits_2_for_a_bad_file(
    model: Path, tmp_path: Path, command: str
) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio\n" * 50)
    args = {
        "listen": ["listen", "--wav", str(bad)],
        "simulate": ["simulate", "--user-audio", str(bad), "--log", str(tmp_path / "x.jsonl")],
    }[command]
    result = subprocess.run([sys.executable, "-m", "voicecoach", *args, "--model", str(model)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("voicecoach: ") and str(bad) in lines[0]


# --- writing and opening files: OS errors name the file, nothing half-written is left ---


WRITE_WITH_TINY_FILE_LIMIT = """
import resource, signal, sys
from pathlib import Path
import numpy as np
from voicecoach.audio.files import write_wav
from voicecoach.audio.pcm import Clip

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write_wav(Path(sys.argv[1]), Clip(np.full(22050, 1000, np.int16), 22050))
except OSError as error:
    print(f"{type(error).__name__}|{error.filename}|{error.strerror}")
"""


def test_a_wav_written_to_a_missing_folder_is_an_os_error_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "x.wav"
    with pytest.raises(FileNotFoundError) as caught:
        write_wav(out, Clip(np.zeros(100, np.int16), 22050))
    assert caught.value.filename == str(out)


def test_a_wav_under_a_file_is_an_os_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    out = tmp_path / "notes.txt" / "x.wav"
    with pytest.raises(NotADirectoryError) as caught:
        write_wav(out, Clip(np.zeros(100, np.int16), 22050))
    assert caught.value.filename == str(out)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_write_the_disk_refuses_names_the_file_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    out.write_bytes(b"the user's old file")
    run = subprocess.run([sys.executable, "-c", WRITE_WITH_TINY_FILE_LIMIT, str(out)],
                         cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == f"OSError|{out}|File too large", run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["x.wav"]
    assert out.read_bytes() == b"the user's old file"


def test_a_written_wav_replaces_the_old_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    out.write_bytes(b"old" * 100_000)
    write_wav(out, Clip(np.full(100, 7, np.int16), 8000))
    assert np.array_equal(read_clip(out).samples, np.full(100, 7, np.int16))
    assert [p.name for p in tmp_path.iterdir()] == ["x.wav"]


def test_a_symbolic_link_loop_is_not_called_missing(tmp_path: Path) -> None:
    loop = tmp_path / "loop.wav"
    loop.symlink_to(loop)
    with pytest.raises(OSError) as caught:
        read_audio(loop)
    assert "symbolic links" in str(caught.value.strerror)
    assert caught.value.filename == str(loop)


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    # Opening it to read would wait for a writer forever: a child, so a hang is a failure.
    script = ("import sys; from voicecoach.audio.files import read_audio\n"
              "try:\n    read_audio(sys.argv[1])\nexcept ValueError as error:\n"
              "    print(error)")
    run = subprocess.run([sys.executable, "-c", script, str(fifo)], cwd=REPO,
                         capture_output=True, text=True, timeout=30, check=True)
    assert run.stdout.strip() == f"{fifo}: not a regular file, so not an audio file"


def test_export_to_a_missing_folder_says_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY_ROUTINE)
    out = tmp_path / "no-such-folder" / "x.wav"
    assert main(["export", str(routine), str(out), "--voice", "brisk"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"voicecoach: {out.parent}: no such folder; create it first"]  # no render
    assert "Traceback" not in "\n".join(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]
