"""``python -m voicecoach``: the command line, with Ctrl-C giving exit status 130."""

from __future__ import annotations

import sys


def run() -> int:
    """Run the CLI; Ctrl-C ends quietly with status 130."""
    try:
        from voicecoach.cli.main import main

        return main()
    except KeyboardInterrupt:
        print("\nvoicecoach: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run())
