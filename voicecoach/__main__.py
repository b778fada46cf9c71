"""``python -m voicecoach``: the command line, with Ctrl-C giving exit status 130."""

from __future__ import annotations

import sys

from voicecoach.cli.status import ExitStatus


def run() -> ExitStatus:
    """Run the CLI; Ctrl-C ends quietly with status 130. A process whose sound libraries
    then hang in their shutdown is ended all the same (:mod:`voicecoach.cli.exit_watchdog`)."""
    from voicecoach.cli.exit_watchdog import end_if_stuck

    try:
        from voicecoach.cli.main import main

        status = main()
    except KeyboardInterrupt:
        print("\nvoicecoach: interrupted", file=sys.stderr)
        status = ExitStatus.INTERRUPTED
    end_if_stuck(status)
    return status


if __name__ == "__main__":
    sys.exit(run())
