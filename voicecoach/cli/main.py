"""Command line: parses arguments into typed options and runs the chosen subcommand.

Every subcommand is one row of :data:`COMMANDS`: its name, its help line, the arguments it
takes, and what runs it. Running a row reads the parsed arguments into the subcommand's
frozen options object (:mod:`voicecoach.cli.options`) and hands that to its handler, which
never sees argparse. Handlers are imported when they run, so ``voicecoach check`` does not
load the audio stack.
"""

from __future__ import annotations

import argparse
import io
import os
import select
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from voicecoach import __version__
from voicecoach.audio.errors import AudioFormatError
from voicecoach.cli.arguments import (
    add_check_arguments,
    add_export_arguments,
    add_history_arguments,
    add_import_arguments,
    add_info_arguments,
    add_install_arguments,
    add_listen_arguments,
    add_no_arguments,
    add_run_arguments,
    add_simulate_arguments,
)
from voicecoach.cli.first_word import TOP_OPTIONS, unknown_command, with_command
from voicecoach.cli.leftovers import parse_command_line
from voicecoach.cli.options import (
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
from voicecoach.core.routine_rules import RoutineError
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
    """" (and 2 more problems: voicecoach check neck.toml names them)", or ""."""
    if not error.others:
        return ""
    more = counted(len(error.others), "more problem")
    them = "it" if len(error.others) == 1 else "them"
    return f" (and {more}: voicecoach check {shlex.quote(error.file)} names {them})"


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


# --- arguments of subcommands with actions of their own ---------------------------------


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    _add_subcommands(parser, MODEL_ACTIONS, dest="model_command", metavar="ACTION",
                     required=True)



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
    from voicecoach.cli.simulate import simulate_session

    return simulate_session(SimulateOptions(
        routine=args.routine, log=args.log, session=session_options(args),
        user_audio=args.user_audio, echo=args.echo, app_canceller=args.app_canceller,
        model=args.model, force=args.force))


# --- the tables --------------------------------------------------------------------------

COMMANDS: tuple[Subcommand, ...] = (
    Subcommand("run", "run a guided session (the default)", add_run_arguments, _run),
    Subcommand("check", "validate routine files", add_check_arguments, _check),
    Subcommand("import", "turn a stretching article into a routine file",
               add_import_arguments, _import),
    Subcommand("routines", "list the built-in routines", add_no_arguments, _routines),
    Subcommand("voices", "list the narrator profiles", add_no_arguments, _voices),
    Subcommand("history", "list past sessions (--chart: the last weeks in charts)",
               add_history_arguments, _history),
    Subcommand("export", "render a whole guided session to a WAV file",
               add_export_arguments, _export),
    Subcommand("model", "install or inspect the speech model", _add_model_arguments, _model),
    Subcommand("listen", "microphone check, or recognize commands in a WAV",
               add_listen_arguments, _listen),
    Subcommand("simulate", "a whole session on audio time, from a file",
               add_simulate_arguments, _simulate),
)
"""Every subcommand, in the order ``voicecoach --help`` lists them."""

MODEL_ACTIONS: tuple[Subcommand, ...] = (
    Subcommand("install", "install the Vosk English model", add_install_arguments,
               _model_install),
    Subcommand("info", "say what model is installed and where", add_info_arguments,
               _model_info),
)
"""The actions of ``voicecoach model``."""
