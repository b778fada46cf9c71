"""Arguments no parser took, refused by the subcommand they were given to: its usage line,
and the option it likely means or the options it has (argparse's own message shows the
top-level usage and says only "unrecognized arguments")."""

from __future__ import annotations

import argparse
import difflib
import shlex
from typing import NoReturn

HELP_OPTIONS = ("-h", "--help")

OPTION_LIKENESS = 0.75
"""How alike an unknown option and a real one must be to suggest it (difflib's ratio):
"--vioce" is "--voice", "--mp3" is not "--tempo"."""


def parse_command_line(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace:
    """``args`` parsed; anything left over ends the program (status 2) with the message of
    the subcommand it was given to."""
    parsed, leftovers = parser.parse_known_args(args)
    if leftovers:
        refuse(innermost_parser(parser, parsed), leftovers)
    return parsed


def innermost_parser(parser: argparse.ArgumentParser,
                     parsed: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub)subcommand ``parsed`` ran: ``voicecoach model install``'s."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(parsed, action.dest, None) or "")
            if isinstance(chosen, argparse.ArgumentParser):
                return innermost_parser(chosen, parsed)
    return parser


def refuse(parser: argparse.ArgumentParser, leftovers: list[str]) -> NoReturn:
    """Ends the program with ``parser``'s usage and what is wrong with ``leftovers``."""
    parser.error(leftover_problem(parser, leftovers))


def leftover_problem(parser: argparse.ArgumentParser, leftovers: list[str]) -> str:
    """One line on the first leftover: an unknown option with the one it likely means (or
    the options there are), or an argument too many."""
    options = [option for action in parser._actions for option in action.option_strings
               if option not in HELP_OPTIONS]
    command = parser.prog.removeprefix("voicecoach ")
    after_dashes = leftovers[0] == "--" and len(leftovers) > 1
    first = leftovers[1] if after_dashes else leftovers[0]
    if after_dashes or not first.startswith("-") or first in ("-", "--"):
        where = " (after --, every word is an argument)" if after_dashes else ""
        return f"{shlex.quote(first)}: one argument too many for {command}{where}"
    written = first.split("=", 1)[0]
    if written in options:  # argparse leaves out the "--" it stopped reading options at
        return f"{written} came after --, where every word is an argument; put it before --"
    meant = difflib.get_close_matches(written, options, n=1, cutoff=OPTION_LIKENESS)
    if meant and meant[0] != written:
        return f"no option {written}; did you mean {meant[0]}?"
    if not options:
        return f"no option {written}: {command} takes none"
    return f"no option {written} (the options of {command}: {', '.join(options)})"
