"""Command line: parses arguments into typed options and runs the chosen subcommand.

Every subcommand is one row of :data:`COMMANDS`: its name, its help line, the arguments it
takes, and what runs it. Running a row reads the parsed arguments into the subcommand's
frozen options object (:mod:`voicecoach.cli.options`) and hands that to its handler, which
never sees argparse. Handlers are imported when they run, so ``voicecoach check`` does not
load the audio stack.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import select
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voicecoach import __version__
from voicecoach.audio.errors import AudioFormatError
from voicecoach.cli.first_word import TOP_OPTIONS, unknown_command, with_command
from voicecoach.cli.leftovers import parse_command_line
from voicecoach.cli.options import (
    DEFAULT_ROUTINE,
    CheckOptions,
    ExportOptions,
    ImportOptions,
    ListenOptions,
    ModelInfoOptions,
    ModelInstallOptions,
    RunOptions,
    SessionOptions,
    SimulateOptions,
)
from voicecoach.cli.status import ExitStatus, UsageError
from voicecoach.core.routine_rules import HOLD_SECONDS, RoutineError
from voicecoach.core.words import counted
from voicecoach.speech_out.errors import SpeechUnavailable
from voicecoach.speech_out.profiles import DEFAULT_VOICE, VoiceError
from voicecoach.storage.paths import file_in_the_way


@dataclass(frozen=True)
class Subcommand:
    """One row of a command table."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    """Declares the subcommand's arguments on its parser."""
    run: Callable[[argparse.Namespace], ExitStatus]
    """Reads the options from the parsed arguments and runs the handler."""


def main(argv: list[str] | None = None) -> ExitStatus:
    """Entry point: returns the process exit status."""
    names = _names(COMMANDS)
    args_list = with_command(sys.argv[1:] if argv is None else argv, names)
    parser = build_parser(intermixed="--" not in args_list)
    if args_list[0] not in (*names, *TOP_OPTIONS):
        parser.error(unknown_command(args_list[0], names))
    args = parse_command_line(parser, args_list)
    try:
        status = _find(COMMANDS, args.command).run(args)
    except BrokenPipeError as error:
        if _stdout_is_closed(error):
            return _reader_gone()
        return _cannot_use(error)
    except RoutineError as error:
        print(f"voicecoach: {_option_problem(error) or error}{_more_problems(error)}",
              file=sys.stderr)
        return ExitStatus.BAD_INPUT
    except (VoiceError, AudioFormatError, UsageError, SpeechUnavailable) as error:
        print(f"voicecoach: {error}", file=sys.stderr)
        return ExitStatus.BAD_INPUT
    except OSError as error:
        return _cannot_use(error)
    try:
        sys.stdout.flush()  # a reader gone shows here, not as Python's complaint at exit
    except BrokenPipeError:
        _reader_gone()
    return status


def _stdout_is_closed(error: BrokenPipeError) -> bool:
    """Whether ``error`` is stdout's reader gone, not a pipe the command opened itself
    (a --log into a pipe): it names no file, and stdout's pipe has no reader left."""
    if error.filename is not None:
        return False
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def _cannot_use(error: OSError) -> ExitStatus:
    """One line for a file or folder the command could not use."""
    where = f" {error.filename}" if error.filename else ""
    why = error.strerror or str(error)
    in_the_way = file_in_the_way(error)
    if in_the_way is not None:
        why = f"{in_the_way} is a file, not a folder: move it away"
    print(f"voicecoach: cannot use{where}: {why}", file=sys.stderr)
    return ExitStatus.BAD_INPUT


def _reader_gone() -> ExitStatus:
    """Stdout's reader stopped reading (``voicecoach history | head -1``): stop quietly,
    as Unix tools do, with status 0 (it got what it wanted). What is still buffered goes
    to /dev/null, so the flush at exit cannot complain either."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return ExitStatus.OK  # not a real file (a test's capture): nothing to flush at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
    return ExitStatus.OK


OVERRIDE_OPTIONS = {"hold_seconds": "--hold", "reps": "--reps", "rep_seconds": "--tempo"}
"""The command line's options for the routine values they override."""


def _option_problem(error: RoutineError) -> str | None:
    """An override out of bounds, told as the option the person typed ("--tempo: must be
    from 0.5 to 60 seconds, got 100"), not as a fault of the routine file."""
    option = OVERRIDE_OPTIONS.get(error.override or "")
    return f"{option}: {error.problem}" if option else None


def _more_problems(error: RoutineError) -> str:
    """" (and 2 more exercises at fault: voicecoach check neck.toml names them)", or ""."""
    if not error.others:
        return ""
    more = counted(len(error.others), "more exercise")
    them = "it" if len(error.others) == 1 else "them"
    return f" (and {more} at fault: voicecoach check {shlex.quote(error.file)} names {them})"


def build_parser(*, intermixed: bool = True) -> argparse.ArgumentParser:
    """The argument parser for every subcommand; ``intermixed``: a subcommand's options
    may stand between its arguments (not with ``--``, which argparse's intermixed parse
    does not keep)."""
    parser = argparse.ArgumentParser(
        prog="voicecoach",
        description="A voice-guided, hands-free stretching trainer. With no command, "
                    "runs the built-in back-pain routine; a routine alone runs it "
                    "(voicecoach neck.toml is voicecoach run neck.toml).",
    )
    parser.add_argument("--version", action="version", version=f"voicecoach {__version__}")
    _add_subcommands(parser, COMMANDS, dest="command", metavar="COMMAND",
                     parser_class=CommandParser if intermixed else argparse.ArgumentParser)
    return parser


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: its options may come before, between or after its
    arguments (``voicecoach export ROUTINE --voice brisk OUT.wav``), as argparse's
    intermixed parsing allows, except in one that has subcommands of its own."""

    _intermixing = False

    def parse_known_args(  # type: ignore[override]
            self, args: Sequence[str] | None = None,
            namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        """The arguments this parser knows, wherever its options stand, and the rest."""
        if self._intermixing or self._subparsers is not None:
            return super().parse_known_args(args, namespace)
        self._intermixing = True  # the intermixed parse calls this again, for each pass
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def _add_subcommands(parser: argparse.ArgumentParser, table: Sequence[Subcommand], *,
                     dest: str, metavar: str, required: bool = False,
                     parser_class: type[argparse.ArgumentParser] | None = None) -> None:
    sub = parser.add_subparsers(dest=dest, metavar=metavar, required=required,
                                parser_class=parser_class or type(parser))
    for command in table:
        command.add_arguments(sub.add_parser(command.name, help=command.help))


def _names(table: Sequence[Subcommand]) -> tuple[str, ...]:
    return tuple(command.name for command in table)


def _find(table: Sequence[Subcommand], name: str) -> Subcommand:
    for command in table:
        if command.name == name:
            return command
    raise AssertionError(f"unknown command {name}")


# --- arguments ---------------------------------------------------------------------------


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


def _add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routines", nargs="+", metavar="ROUTINE",
                        help="routine files (or built-in routines' names) to check")


def _add_no_arguments(parser: argparse.ArgumentParser) -> None:
    """For subcommands that take none."""


def _add_history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--chart", action="store_true",
                        help="also draw the last weeks: days stretched, minutes per week, "
                             "exercises done easier")


def _add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", nargs="?", default=DEFAULT_ROUTINE, metavar="ROUTINE",
                        help="a built-in routine name or a routine file (default: back-pain)")
    parser.add_argument("out", type=Path, metavar="OUT.wav", help="the WAV file to write")
    add_session_arguments(parser)
    parser.add_argument("--force", action="store_true", help="replace OUT.wav if it exists")


def _add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("article", type=Path, metavar="ARTICLE",
                        help="the article, as plain text or Markdown in UTF-8")
    parser.add_argument("-o", "--out", type=Path, metavar="ROUTINE.toml",
                        help="where to write the routine (default: NAME.toml here)")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    _add_subcommands(parser, MODEL_ACTIONS, dest="model_command", metavar="ACTION",
                     required=True)


def _add_install_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", type=Path, metavar="DIR",
                        help="install here instead of the default")
    parser.add_argument("--from-zip", type=Path, metavar="ZIP",
                        help="install from a downloaded zip")
    parser.add_argument("--force", action="store_true", help="reinstall even if present")


def _add_info_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", type=Path, metavar="DIR",
                        help="the Vosk model folder to check")


def _add_listen_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wav", type=Path, metavar="FILE",
                        help="read this file instead of the microphone (WAV, FLAC, Ogg or "
                             "MP3, any rate)")
    parser.add_argument("--json", action="store_true",
                        help="with --wav: one JSON line per command")
    parser.add_argument("--model", type=Path, metavar="DIR", help="the Vosk model folder")


def _add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
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


# --- options: the parsed arguments, typed ------------------------------------------------


def session_options(args: argparse.Namespace) -> SessionOptions:
    """What :func:`add_session_arguments` declared."""
    return SessionOptions(voice=args.voice or DEFAULT_VOICE, hold=args.hold, reps=args.reps,
                          tempo=args.tempo)


def run_options(args: argparse.Namespace) -> RunOptions:
    """What :func:`add_run_arguments` declared."""
    return RunOptions(routine=args.routine, session=session_options(args), tui=not args.no_tui,
                      log=args.log, resume=args.resume, mute=args.mute,
                      listen=not args.no_listen, echo_cancel=args.echo_cancel,
                      model=args.model, theme=args.theme, voice_given=args.voice is not None)


# --- handlers ----------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.wiring import run_session

    return run_session(run_options(args))


def _check(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import check_routine

    return check_routine(CheckOptions(routines=tuple(args.routines)), sys.stdout)


def _routines(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import list_routines

    return list_routines(sys.stdout)


def _voices(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import list_voices

    return list_voices(sys.stdout)


def _history(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import show_history

    return show_history(sys.stdout, chart=args.chart)


def _export(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import export_session

    return export_session(ExportOptions(routine=args.routine, out=args.out,
                                        session=session_options(args), force=args.force))


def _import(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import import_routine

    return import_routine(ImportOptions(article=args.article, out=args.out, force=args.force))


def _model(args: argparse.Namespace) -> ExitStatus:
    return _find(MODEL_ACTIONS, args.model_command).run(args)


def _model_install(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.model import run_install

    return run_install(ModelInstallOptions(model=args.model, from_zip=args.from_zip,
                                           force=args.force))


def _model_info(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.model import run_info

    return run_info(ModelInfoOptions(model=args.model))


def _listen(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.listen import run

    if args.json and args.wav is None:
        raise UsageError("--json needs --wav FILE: the live check shows a level meter")
    return run(ListenOptions(wav=args.wav, as_json=args.json, model=args.model))


def _simulate(args: argparse.Namespace) -> ExitStatus:
    from voicecoach.cli.commands import simulate_session

    return simulate_session(SimulateOptions(
        routine=args.routine, log=args.log, session=session_options(args),
        user_audio=args.user_audio, echo=args.echo, app_canceller=args.app_canceller,
        model=args.model, force=args.force))


# --- the tables --------------------------------------------------------------------------

COMMANDS: tuple[Subcommand, ...] = (
    Subcommand("run", "run a guided session (the default)", add_run_arguments, _run),
    Subcommand("check", "validate routine files", _add_check_arguments, _check),
    Subcommand("import", "turn a stretching article into a routine file",
               _add_import_arguments, _import),
    Subcommand("routines", "list the built-in routines", _add_no_arguments, _routines),
    Subcommand("voices", "list the narrator profiles", _add_no_arguments, _voices),
    Subcommand("history", "list past sessions (--chart: the last weeks in charts)",
               _add_history_arguments, _history),
    Subcommand("export", "render a whole guided session to a WAV file",
               _add_export_arguments, _export),
    Subcommand("model", "install or inspect the speech model", _add_model_arguments, _model),
    Subcommand("listen", "microphone check, or recognize commands in a WAV",
               _add_listen_arguments, _listen),
    Subcommand("simulate", "a whole session on audio time, from a file",
               _add_simulate_arguments, _simulate),
)
"""Every subcommand, in the order ``voicecoach --help`` lists them."""

MODEL_ACTIONS: tuple[Subcommand, ...] = (
    Subcommand("install", "install the Vosk English model", _add_install_arguments,
               _model_install),
    Subcommand("info", "say what model is installed and where", _add_info_arguments,
               _model_info),
)
"""The actions of ``voicecoach model``."""
