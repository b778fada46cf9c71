"""A real terminal for tests: tmux, on a server of its own, running one shell."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path


class Tmux:
    """A detached tmux session running one command, on a tmux server of its own (which
    has the test's environment)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.name, *args], capture_output=True,
                              text=True, check=True).stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        """The pane's text, lines wrapped at its edge joined again."""
        return self.tmux("capture-pane", "-p", "-J", "-t", self.name)

    def show(self, variable: str) -> str:
        """A tmux format variable of the pane, e.g. ``alternate_on``."""
        return self.tmux("display-message", "-p", "-t", self.name,
                         f"#{{{variable}}}").strip()

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never went away:\n{self.screen()}")


@contextlib.contextmanager
def tmux_session(folder: Path, env: dict[str, str], size: tuple[int, int] = (100, 30)
                 ) -> Iterator[Tmux]:
    """A detached tmux session running bash in ``folder``, with ``env`` (and no user
    settings), killed at the end."""
    assert shutil.which("tmux"), "tmux is missing: apt-get install tmux (scripts/setup --test)"
    name = f"vc-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "-L", name, "-f", "/dev/null", "new-session", "-d", "-s", name,
                    "-c", str(folder), "-x", str(size[0]), "-y", str(size[1]),
                    "bash", "--norc", "--noprofile"], env=env, check=True)
    try:
        yield Tmux(name)
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], check=False)
