"""``voicecoach listen``: recognize commands in a WAV file, or check the microphone live.

``--wav FILE`` feeds the file through the same :class:`CommandRecognizer` as a session, in
microphone-sized chunks (20 ms) as fast as possible, reading it as it goes; a WAV (any PCM
width or float), FLAC, Ogg or MP3 file of any sample rate and channel count is converted to
16 kHz mono, and a file longer than five minutes shows its progress on stderr. An
unreadable file raises OSError or AudioFormatError, which the command line turns into one
line. ``--json`` prints one line per command:
``{"command": "pause", "text": "pause", "at": 12.43, "confidence": 0.97}`` where ``at``
is the audio time at which the command was emitted. Without ``--json``, rejected speech
is shown too (``heard: back pain?``). Without ``--wav``: a live microphone check until
Ctrl-C.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import TextIO

from voicecoach.audio.files import audio_duration, iter_audio
from voicecoach.audio.pcm import SAMPLE_RATE, nothing_to_hear, peak_of, to_pcm16
from voicecoach.cli.options import ListenOptions
from voicecoach.cli.status import ExitStatus
from voicecoach.core.commands import Command, key_label
from voicecoach.frontends.listener_words import near_miss_hint
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerEvent,
    ListenerState,
    ListenerStatus,
    RecognitionEvent,
    Rejected,
)
from voicecoach.speech_in.mic import BLOCK_SECONDS
from voicecoach.speech_in.recognizer import CommandRecognizer
from voicecoach.speech_in.vosk_model import ModelUnavailable

LONG_FILE_SECONDS = 300.0
"""A ``--wav`` file longer than this shows its progress on stderr, every tenth of it."""
COMMAND_COLUMN = max(len(key_label(command)) for command in Command)
"""The width of the command column: the longest words shown for a command."""


def find_model_path(explicit: Path | None) -> Path:
    """The model folder (see :func:`~voicecoach.model_store.find_model`).

    Raises ModelUnavailable.
    """
    from voicecoach.model_store import ModelMissing, find_model

    try:
        return find_model(explicit)
    except ModelMissing as missing:
        raise ModelUnavailable(str(missing)) from missing


def format_event(event: RecognitionEvent, as_json: bool, since: float = 0.0) -> str | None:
    """One output line for ``event``, or None when it is not shown; times are shown
    relative to ``since``. A command reads as the words shown for it ("how many left"),
    in a column as wide as the longest; a near miss, with the words to say instead."""
    if isinstance(event, Heard):
        if as_json:
            return json.dumps(
                {"command": event.command.value, "text": event.text,
                 "at": round(event.at, 2), "confidence": round(event.confidence, 2)}
            )
        how = ", second look" if event.second_look else ""  # the words, as on screen
        return (f"{event.at - since:8.2f}  {key_label(event.command):<{COMMAND_COLUMN}} "
                f"(heard \"{event.text}\", confidence {event.confidence:.2f}{how})")
    if as_json:
        return None
    hint = near_miss_hint(event)  # "what next": say "what comes next"
    return (f"{event.at - since:8.2f}  heard: {event.text}?  ({event.reason})"
            + (f" — {hint}" if hint else ""))


def listen_wav(path: Path, model: Path, as_json: bool, out: TextIO) -> ExitStatus:
    """Recognize ``path`` as it is read; prints the commands; returns the exit status.

    Raises OSError or AudioFormatError for a file that cannot be read, before the model
    loads.
    """
    duration = audio_duration(path)
    blocks = iter_audio(path, SAMPLE_RATE, BLOCK_SECONDS)
    recognizer = CommandRecognizer(model)
    fed, tenths_shown, lines = 0, 0, 0

    def show(events: list[RecognitionEvent]) -> None:
        nonlocal lines
        for event in events:
            line = format_event(event, as_json)
            if line is not None:
                print(line, file=out, flush=True)
                lines += 1

    loudest = 0.0
    for block in blocks:
        fed += len(block)
        loudest = max(loudest, peak_of(block))
        show(recognizer.feed(to_pcm16(block), fed / SAMPLE_RATE))
        if duration > LONG_FILE_SECONDS and fed / SAMPLE_RATE >= (tenths_shown + 1) * duration / 10:
            tenths_shown += 1
            print(f"voicecoach listen: {path.name}: {10 * tenths_shown} % "
                  f"({_minutes(fed / SAMPLE_RATE)} of {_minutes(duration)})",
                  file=sys.stderr, flush=True)
    show(recognizer.finish())
    if not lines:  # on stderr: --json's output stays one command per line
        what = "no command heard" if as_json else "no words recognized"
        silent = nothing_to_hear(fed, loudest)
        said = f"{what} in {_duration(fed / SAMPLE_RATE)}" + (f" (it {silent})" if silent
                                                              else "")
        if not fed:
            said = str(silent)  # "holds no audio"
        print(f"voicecoach listen: {path.name}: {said}", file=sys.stderr, flush=True)
    return ExitStatus.OK


def wrapped(text: str, width: int | None) -> str:
    """``text`` in lines of at most ``width`` columns, broken at spaces (a word longer
    than a line stays whole); None: as it is (a pipe or a file)."""
    if width is None:
        return text
    return "\n".join(textwrap.wrap(text, max(1, width), break_long_words=False,
                                   break_on_hyphens=False)) or text


def terminal_width(out: TextIO) -> int | None:
    """The columns of the terminal ``out`` shows on; None when it is not a terminal."""
    try:
        return shutil.get_terminal_size().columns if out.isatty() else None
    except (AttributeError, OSError, ValueError):
        return None


def _minutes(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def _duration(seconds: float) -> str:
    """ "2.5 s" under a minute (a short clip is not "0:00"), else "1:05"."""
    return f"{seconds:.1f} s" if seconds < 60 else _minutes(seconds)


SAY_A_COMMAND = "Listening. Say a command (\"pause\", \"next\", \"easier\"...). Ctrl-C to end."
"""What the microphone check says once the microphone is open."""


def listen_live(model: Path, out: TextIO,
                stop: threading.Event | None = None) -> ExitStatus:
    """Show the level, what is heard and the commands until Ctrl-C (or ``stop``). "Say a
    command" comes once the microphone is open; ended without one ever opening, the check
    failed (:attr:`ExitStatus.ERROR`)."""
    from voicecoach.speech_in.listener import Listener

    stop = stop or threading.Event()
    meter = {"width": 0}
    heard_from = threading.Event()
    started = time.monotonic()  # the listener's clock: shown as seconds since the start

    def show(event: ListenerEvent) -> None:
        if isinstance(event, Level):
            bar = "#" * max(0, min(30, int((event.rms_dbfs + 60) / 2)))
            lift = f" lifted {event.lift_db:+.0f} dB" if event.lift_db >= 1 else ""
            text = f"\rlevel {event.rms_dbfs:6.1f} dBFS |{bar:<30}|{lift:<16}"
            meter["width"] = len(text)
            out.write(text)
        else:
            if meter["width"]:
                out.write("\r" + " " * meter["width"] + "\r")
            if isinstance(event, ListenerStatus):
                if event.state is ListenerState.LISTENING and not heard_from.is_set():
                    heard_from.set()
                    out.write(f"{SAY_A_COMMAND}\n")
                else:
                    said = f"[{event.state}] {event.detail}".rstrip()
                    out.write(wrapped(said, terminal_width(out)) + "\n")
                if event.state is ListenerState.NO_MODEL:
                    stop.set()
            elif isinstance(event, Heard | Rejected):
                out.write((format_event(event, False, started) or "") + "\n")
        out.flush()

    from voicecoach.speech_in.echo_cancel import EchoCanceller, hears_only_the_speaker

    listener = Listener(model, on_event=show, keys=False, only_the_speaker=hears_only_the_speaker)
    print(wrapped(EchoCanceller().probe(), terminal_width(out)), file=out, flush=True)
    listener.start()
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        listener.stop()
        out.write("\n")
    return ExitStatus.OK if heard_from.is_set() else ExitStatus.ERROR


def run(options: ListenOptions) -> ExitStatus:
    """``voicecoach listen``: a WAV file's commands, or the live microphone check."""
    try:
        model = find_model_path(options.model)
        if options.wav is not None:
            return listen_wav(options.wav, model, options.as_json, sys.stdout)
        return listen_live(model, sys.stdout)
    except ModelUnavailable as error:
        print(f"voicecoach listen: {error}", file=sys.stderr)
        return ExitStatus.ERROR
