"""Command line: parses arguments, builds the adapters, wires them, returns an exit status.

This is the one place where real speech in/out and the front end are chosen and
injected; everything it calls takes its I/O as arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from voicecoach import __version__
from voicecoach.core.routine import RoutineError
from voicecoach.speech_out.profiles import VoiceError

DEFAULT_ROUTINE = "back-pain"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="voicecoach",
        description="A voice-guided, hands-free stretching trainer. With no command, "
                    "runs the built-in back-pain routine.",
    )
    parser.add_argument("--version", action="version", version=f"voicecoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run a guided session (the default)")
    add_run_arguments(run)

    check = sub.add_parser("check", help="validate a routine file")
    check.add_argument("file", type=Path)

    sub.add_parser("routines", help="list the built-in routines")
    sub.add_parser("voices", help="list the narrator profiles")
    sub.add_parser("history", help="list past sessions")

    export = sub.add_parser("export", help="render a whole guided session to a WAV file")
    export.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE)
    export.add_argument("out", type=Path, metavar="OUT.wav")
    add_session_options(export)

    model = sub.add_parser("model", help="install or inspect the speech model")
    model_sub = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    install = model_sub.add_parser("install", help="install the Vosk English model")
    install.add_argument("--model", type=Path, help="install here instead of the default")
    install.add_argument("--from-zip", type=Path, help="install from a downloaded zip")
    install.add_argument("--force", action="store_true", help="reinstall even if present")
    info = model_sub.add_parser("info", help="say what model is installed and where")
    info.add_argument("--model", type=Path)

    listen = sub.add_parser("listen", help="microphone check, or recognize commands in a WAV")
    listen.add_argument("--wav", type=Path, help="read this file instead of the microphone")
    listen.add_argument("--json", action="store_true", help="one JSON line per command")
    listen.add_argument("--model", type=Path, help="the Vosk model folder")

    simulate = sub.add_parser("simulate", help="a whole session on audio time, from a file")
    simulate.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE)
    simulate.add_argument("--user-audio", type=Path, help="the person's voice (WAV)")
    simulate.add_argument("--echo", type=float, default=0.0, metavar="GAIN",
                          help="mix the narrator into the microphone at this gain")
    simulate.add_argument("--log", type=Path, required=True, metavar="OUT.jsonl")
    simulate.add_argument("--model", type=Path)
    add_session_options(simulate)
    return parser


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """Options that shape a session: voice, holds, reps, tempo."""
    parser.add_argument("--voice", default="calm", help="narrator profile (see: voices)")
    parser.add_argument("--hold", type=_hold_seconds, metavar="S",
                        help="seconds per hold, or 'long' for two minutes (default: 60)")
    parser.add_argument("--reps", type=_positive_int, metavar="N",
                        help="reps per set (default: 10)")
    parser.add_argument("--tempo", type=_positive_float, metavar="S",
                        help="seconds per rep (default: 3)")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``run`` (also used when no command is given)."""
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE,
                        help="a built-in routine name or a routine file")
    add_session_options(parser)
    parser.add_argument("--no-tui", action="store_true",
                        help="plain terminal: captions printed, single keys")
    parser.add_argument("--log", type=Path, metavar="FILE.jsonl", help="write an event log")
    parser.add_argument("--resume", action="store_true",
                        help="carry on from the last unfinished session")
    parser.add_argument("--mute", action="store_true", help="captions only, no speech")
    parser.add_argument("--no-listen", action="store_true", help="keyboard only")
    parser.add_argument("--no-echo-cancel", action="store_true",
                        help="don't load the sound server's echo canceller for the session")
    parser.add_argument("--model", type=Path, help="the Vosk model folder")
    parser.add_argument("--theme", choices=["dark", "high-contrast"], default="dark")


def _hold_seconds(text: str) -> float:
    presets = {"short": 60.0, "long": 120.0}
    if text in presets:
        return presets[text]
    return _positive_float(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the process exit status."""
    args_list = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in (
            "-h", "--help", "--version")):
        args_list = ["run", *args_list]
    args = parser.parse_args(args_list)
    try:
        return dispatch(args)
    except (RoutineError, VoiceError) as error:
        print(f"voicecoach: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"voicecoach: cannot use{where}: {error.strerror or error}", file=sys.stderr)
        return 2


def dispatch(args: argparse.Namespace) -> int:
    """Run the chosen subcommand."""
    command = args.command
    if command == "run":
        from voicecoach.cli.wiring import run_session

        return run_session(args)
    if command == "check":
        return check_routine(args.file, sys.stdout)
    if command == "routines":
        return list_routines(sys.stdout)
    if command == "voices":
        from voicecoach.speech_out.profiles import list_voices

        for profile in list_voices():
            print(f"{profile.name:<10} {profile.description}")
        return 0
    if command == "history":
        return show_history(sys.stdout)
    if command == "export":
        from voicecoach.drivers.export import run_export

        return run_export(args)
    if command == "model":
        from voicecoach.cli import model as cli_model

        return cli_model.run_install(args) if args.model_command == "install" \
            else cli_model.run_info(args)
    if command == "listen":
        from voicecoach.cli import listen as cli_listen

        return cli_listen.run(args)
    if command == "simulate":
        from voicecoach.drivers.simulate import run_simulate

        return run_simulate(args)
    raise AssertionError(f"unknown command {command}")


def routine_overrides(args: argparse.Namespace) -> dict[str, float]:
    """The routine-level overrides given on the command line."""
    overrides: dict[str, float] = {}
    if getattr(args, "hold", None):
        overrides["hold_seconds"] = args.hold
    if getattr(args, "reps", None):
        overrides["reps"] = args.reps
    if getattr(args, "tempo", None):
        overrides["rep_seconds"] = args.tempo
    return overrides


def check_routine(path: Path, out: TextIO) -> int:
    """``voicecoach check FILE``: validate, print a one-line verdict."""
    from voicecoach.core.routine import load_routine
    from voicecoach.core.session import Session

    routine = load_routine(path)
    minutes = Session(routine, 0.0).total_seconds() / 60
    out.write(f"{path}: ok — {routine.title}: {len(routine.exercises)} exercises, "
              f"about {minutes:.0f} minutes\n")
    return 0


def list_routines(out: TextIO) -> int:
    """``voicecoach routines``: built-in routines with exercise count and duration."""
    from voicecoach.core.routine import builtin_names, resolve_routine
    from voicecoach.core.session import Session

    for name in builtin_names():
        routine = resolve_routine(name)
        minutes = Session(routine, 0.0).total_seconds() / 60
        out.write(f"{name:<12} {len(routine.exercises)} exercises  ~{minutes:.0f} min  "
                  f"{routine.title}\n")
    return 0


def show_history(out: TextIO) -> int:
    """``voicecoach history``: past sessions, newest last."""
    from voicecoach.storage.progress import History

    entries = History().entries()
    if not entries:
        out.write("No sessions yet.\n")
        return 0
    for entry in entries:
        minutes = float(entry.get("active_seconds", 0)) / 60
        state = "stopped early" if entry.get("stopped") else "finished"
        done = len(entry.get("completed", []))
        easier = ", ".join(entry.get("easier", [])) or "-"
        out.write(f"{entry.get('ended', '?'):<26} {entry.get('routine', '?'):<12} "
                  f"{minutes:5.1f} min  {state:<13} done {done}  easier: {easier}\n")
    return 0
