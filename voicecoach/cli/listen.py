"""``voicecoach listen``: recognize commands in a WAV file, or check the microphone live.

``--wav FILE`` feeds the file through the same :class:`CommandRecognizer` as a session, in
microphone-sized chunks (20 ms) as fast as possible; any sample rate, channel count and
8/16/24/32-bit PCM or float WAV is converted to 16 kHz mono. ``--json`` prints one line per command:
``{"command": "pause", "text": "pause", "at": 12.43, "confidence": 0.97}`` where ``at``
is the audio time at which the command was emitted. Without ``--json``, rejected speech
is shown too (``heard: back pain?``). Without ``--wav``: a live microphone check until
Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from voicecoach.audio.pcm import AudioFormatError, read_wav, to_pcm16
from voicecoach.speech_in.recognizer import (
    SAMPLE_RATE,
    CommandRecognizer,
    Heard,
    ModelUnavailable,
    RecognitionEvent,
    Rejected,
    recognize_pcm,
)


def find_model_path(explicit: Path | None) -> Path:
    """The model folder (see :func:`~voicecoach.speech_in.models.find_model`).

    Raises ModelUnavailable.
    """
    from voicecoach.speech_in.models import ModelMissing, find_model

    try:
        return find_model(explicit)
    except ModelMissing as missing:
        raise ModelUnavailable(str(missing)) from missing


def format_event(event: RecognitionEvent, as_json: bool, since: float = 0.0) -> str | None:
    """One output line for ``event``, or None when it is not shown; times are shown
    relative to ``since``."""
    if isinstance(event, Heard):
        if as_json:
            return json.dumps(
                {"command": event.command.value, "text": event.text,
                 "at": round(event.at, 2), "confidence": round(event.confidence, 2)}
            )
        how = ", second look" if event.second_look else ""
        return f"{event.at - since:8.2f}  {event.command.value:<10} (heard \"{event.text}\", " \
               f"confidence {event.confidence:.2f}{how})"
    if as_json:
        return None
    return f"{event.at - since:8.2f}  heard: {event.text}?  ({event.reason})"


def listen_wav(path: Path, model: Path, as_json: bool, out: TextIO) -> int:
    """Recognize ``path``; prints the commands; returns the exit status."""
    try:
        audio = read_wav(path, SAMPLE_RATE)
    except (OSError, AudioFormatError) as error:
        print(f"voicecoach listen: cannot read {path}: {error}", file=sys.stderr)
        return 1
    recognizer = CommandRecognizer(model)
    for event in recognize_pcm(recognizer, to_pcm16(audio)):
        line = format_event(event, as_json)
        if line is not None:
            print(line, file=out, flush=True)
    return 0


def listen_live(model: Path, out: TextIO, stop: threading.Event | None = None) -> int:
    """Show the level, what is heard and the commands until Ctrl-C (or ``stop``)."""
    from voicecoach.speech_in.listener import Level, Listener, ListenerState

    stop = stop or threading.Event()
    meter = {"width": 0}
    started = time.monotonic()  # the listener's clock: shown as seconds since the start

    def show(event: object) -> None:
        if isinstance(event, Level):
            bar = "#" * max(0, min(30, int((event.rms_dbfs + 60) / 2)))
            lift = f" lifted {event.lift_db:+.0f} dB" if event.lift_db >= 1 else ""
            text = f"\rlevel {event.rms_dbfs:6.1f} dBFS |{bar:<30}|{lift:<16}"
            meter["width"] = len(text)
            out.write(text)
        else:
            if meter["width"]:
                out.write("\r" + " " * meter["width"] + "\r")
            if isinstance(event, ListenerState):
                out.write(f"[{event.state}] {event.detail}\n".replace(" \n", "\n"))
                if event.state == "no-model":
                    stop.set()
            elif isinstance(event, Heard | Rejected):
                out.write((format_event(event, False, started) or "") + "\n")
        out.flush()

    from voicecoach.speech_in.echo_cancel import EchoCanceller

    listener = Listener(model, on_event=show)
    print(EchoCanceller().probe(), file=out, flush=True)
    print("Listening. Say a command (\"pause\", \"next\", \"easier\"...). Ctrl-C to end.",
          file=out, flush=True)
    listener.start()
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        listener.stop()
        out.write("\n")
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry point for ``voicecoach listen`` (args: wav, json, model)."""
    try:
        model = find_model_path(getattr(args, "model", None))
        if getattr(args, "wav", None) is not None:
            return listen_wav(Path(args.wav), model, bool(getattr(args, "json", False)),
                              sys.stdout)
        return listen_live(model, sys.stdout)
    except ModelUnavailable as error:
        print(f"voicecoach listen: {error}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    """``python -m voicecoach.cli.listen [--wav FILE] [--json] [--model DIR]``."""
    parser = argparse.ArgumentParser(prog="voicecoach listen", description=__doc__)
    parser.add_argument("--wav", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model", type=Path)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
