"""The command line's arguments, subcommand by subcommand, and the values they take
(seconds, a gain, whole numbers): each subcommand's row in :mod:`voicecoach.cli.main`
names its ``add_*_arguments`` here."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from voicecoach.cli.options import DEFAULT_ROUTINE
from voicecoach.core.routine_rules import HOLD_SECONDS


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """Options that shape a session: voice, holds, reps, tempo."""
    parser.add_argument("--voice", metavar="NAME|FILE",
                        help="narrator profile: a name (see: voices) or a .toml file "
                             "(default: calm)")
    parser.add_argument("--hold", type=_hold_seconds, metavar="S|short|long",
                        help="seconds of every hold, or 'long' for two minutes, 'short' for "
                             "one (default: the routine's; back-pain's is 60)")
    parser.add_argument("--reps", type=_whole_number, metavar="N",
                        help="reps of every set (default: the routine's; back-pain's is 10)")
    parser.add_argument("--tempo", type=_number, metavar="S",
                        help="seconds per rep (default: the routine's; back-pain's is 3)")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``run`` (also used when no command is given)."""
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE, metavar="ROUTINE|FILE",
                        help="a built-in routine name or a routine file")
    add_session_arguments(parser)
    parser.add_argument("--no-tui", action="store_true",
                        help="plain terminal: captions printed, single keys")
    parser.add_argument("--log", type=Path, metavar="FILE.jsonl", help="write an event log")
    parser.add_argument("--resume", action="store_true",
                        help="carry on from the last unfinished session")
    parser.add_argument("--mute", action="store_true", help="captions only, no speech")
    parser.add_argument("--no-listen", action="store_true", help="keyboard only")
    parser.add_argument("--echo-cancel", choices=("auto", "app", "off"), default="auto",
                        metavar="auto|app|off",
                        help="cancel the narrator's echo in the sound server where it can "
                             "(auto: else in the app), only in the app, or not at all")
    parser.add_argument("--no-echo-cancel", dest="echo_cancel", action="store_const",
                        const="off", help="the same as --echo-cancel off")
    parser.add_argument("--model", type=Path, metavar="DIR", help="the Vosk model folder")
    parser.add_argument("--theme", choices=["dark", "high-contrast"], default="dark",
                        metavar="dark|high-contrast",
                        help="the screen's colours (default: dark)")


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routines", nargs="+", metavar="ROUTINE",
                        help="routine files (or built-in routines' names) to check")


def add_no_arguments(parser: argparse.ArgumentParser) -> None:
    """For subcommands that take none."""


def add_history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--chart", action="store_true",
                        help="also draw the last weeks: days stretched, minutes per week, "
                             "exercises done easier")


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE, metavar="ROUTINE",
                        help="a built-in routine name or a routine file (default: back-pain)")
    parser.add_argument("out", type=Path, metavar="OUT.wav", help="the WAV file to write")
    add_session_arguments(parser)
    parser.add_argument("--force", action="store_true", help="replace OUT.wav if it exists")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", type=Path, metavar="ARTICLE",
                        help="the article, as plain text or Markdown in UTF-8")
    parser.add_argument("-o", "--out", type=Path, metavar="ROUTINE.toml",
                        help="where to write the routine (default: NAME.toml here)")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


def add_install_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", type=Path, metavar="DIR",
                        help="install here instead of the default")
    parser.add_argument("--from-zip", type=Path, metavar="ZIP",
                        help="install from a downloaded zip")
    parser.add_argument("--force", action="store_true", help="reinstall even if present")


def add_info_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", type=Path, metavar="DIR",
                        help="the Vosk model folder to check")


def add_listen_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wav", type=Path, metavar="FILE",
                        help="read this file instead of the microphone (WAV, FLAC, Ogg or "
                             "MP3, any rate)")
    parser.add_argument("--json", action="store_true",
                        help="with --wav: one JSON line per command")
    parser.add_argument("--model", type=Path, metavar="DIR", help="the Vosk model folder")


def add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE, metavar="ROUTINE",
                        help="a built-in routine name or a routine file (default: back-pain)")
    parser.add_argument("--user-audio", type=Path, metavar="FILE",
                        help="the person's voice (WAV, FLAC, Ogg or MP3; default: silence)")
    parser.add_argument("--echo", type=_echo_gain, default=0.0, metavar="GAIN",
                        help="the narrator's level at the microphone, through a simulated "
                             "room (0.5: a laptop's own speaker; 0.1: what a canceller leaves; "
                             "default: 0, no echo)")
    parser.add_argument("--app-canceller", action="store_true",
                        help="cancel the echo in the app, as a session does when the sound "
                             "server has no echo canceller (use with --echo 0.5)")
    parser.add_argument("--log", type=Path, required=True, metavar="OUT.jsonl",
                        help="the event log to write, on audio time")
    parser.add_argument("--model", type=Path, metavar="DIR", help="the Vosk model folder")
    add_session_arguments(parser)
    parser.add_argument("--force", action="store_true", help="replace the log if it exists")


def _hold_seconds(text: str) -> float:
    """Seconds, or one of the words --hold takes ("long")."""
    words = dict(HOLD_SECONDS.words)
    if text.strip().casefold() in words:
        return words[text.strip().casefold()]
    try:
        return _number(text)
    except argparse.ArgumentTypeError:
        pass
    said = " or ".join(f"{word!r} ({seconds:g} s)" for word, seconds in words.items())
    problem = f"must be a number of seconds, {said}, got {text!r}"
    meant = difflib.get_close_matches(text.strip().casefold(), words, n=1)
    raise argparse.ArgumentTypeError(
        f"{problem}; did you mean {meant[0]!r}?" if meant else problem) from None


def _echo_gain(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:  # NaN fails too
        raise argparse.ArgumentTypeError(
            f"must be from 0 (no echo) to 1 (the narrator as loud as it plays), got {text}")
    return value


def _number(text: str) -> float:
    """A number as written: ``90`` stays a whole number, so an error says "got 90", not
    "got 90.0". Its bounds are the routine's, checked with them (one line, no usage)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _whole_number(text: str) -> int:
    """A whole number; its bounds are the routine's, checked with them."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
