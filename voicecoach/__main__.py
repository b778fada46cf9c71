"""``python -m voicecoach``: the command line, with Ctrl-C giving exit status 130."""

from __future__ import annotations

import sys

from voicecoach.cli.status import ExitStatus


def run() -> ExitStatus:
    """Run the CLI; Ctrl-C ends quietly with status 130."""
    try:
        from voicecoach.cli.main import main

        return main()
    except KeyboardInterrupt:
        print("\nvoicecoach: interrupted", file=sys.stderr)
        return ExitStatus.INTERRUPTED


if __name__ == "__main__":
    sys.exit(run())
