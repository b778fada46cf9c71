"""The ``voicecoach model install`` and ``voicecoach model info`` subcommands."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TextIO

from voicecoach.cli.options import ModelInfoOptions, ModelInstallOptions
from voicecoach.cli.status import ExitStatus
from voicecoach.core.words import counted
from voicecoach.model_store import (
    MODEL_NAME,
    InstallFailed,
    ModelError,
    ModelMissing,
    find_model,
    install_model,
    read_marker,
    resolve_model_path,
    verify_model,
)

_MB = 1_000_000


def render_bar(done: int, total: int, width: int = 30) -> str:
    """One progress line, e.g. ``[#####.....]  45% 18.3/41.2 MB`` (no total: ``18.3 MB``)."""
    if total <= 0:
        return f"{done / _MB:.1f} MB"
    fraction = min(max(done / total, 0.0), 1.0)
    filled = int(fraction * width)
    bar = "#" * filled + "." * (width - filled)
    return f"[{bar}] {fraction * 100:3.0f}% {done / _MB:.1f}/{total / _MB:.1f} MB"


class TextProgress:
    """A plain-text progress bar redrawn in place on ``stream``, plus phase lines.

    The bar is drawn only when ``enabled`` (the CLI: on a terminal); phase lines always are.
    """

    def __init__(self, stream: TextIO, *, enabled: bool, width: int = 30) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = width
        self._last: tuple[int, int] | None = None
        self._open = False

    def __call__(self, done: int, total: int) -> None:
        """Redraw when the shown figure (percent, or MB without a total) changes."""
        if not self.enabled:
            return
        key = (done * 100 // total, total) if total > 0 else (done // (_MB // 10), 0)
        if key == self._last:
            return
        self._last = key
        self.stream.write("\r" + render_bar(done, total, self.width))
        self.stream.flush()
        self._open = True

    def phase(self, text: str) -> None:
        """End any bar and print a line saying what happens next."""
        self.end()
        self.stream.write(text + "\n")
        self.stream.flush()

    def end(self) -> None:
        """Finish the bar's line, if one is showing."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
        self._open = False
        self._last = None


def _error(text: str) -> None:
    """An error on stderr with the one ``voicecoach:`` prefix every error line has."""
    print(f"voicecoach: {text}", file=sys.stderr)


def run_install(options: ModelInstallOptions) -> ExitStatus:
    """Install the model: OK on success, ERROR if every source failed, BAD_INPUT on other
    errors (a hostile or wrong zip, an unwritable folder)."""
    target = resolve_model_path(options.model)
    if not options.force and target.is_dir() and not verify_model(target):
        zip_given = options.from_zip
        if zip_given is not None and not zip_given.is_file():  # not left unsaid
            what = "a folder, not a zip" if zip_given.is_dir() else "no such file"
            _error(f"model install failed: {zip_given}: {what}")
            return ExitStatus.BAD_INPUT
        again = f"--force reinstalls it from {zip_given}" if zip_given else "--force reinstalls"
        print(f"{MODEL_NAME} is already installed and verified at {target} ({again})")
        return ExitStatus.OK
    bar = TextProgress(sys.stderr, enabled=sys.stderr.isatty())
    try:
        path = install_model(target, from_zip=options.from_zip, force=options.force,
                             progress=bar, on_phase=bar.phase)
    except InstallFailed as exc:
        bar.end()
        _error(str(exc))
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        bar.end()
        _error("model install interrupted; nothing was installed")
        return ExitStatus.INTERRUPTED
    except (ModelError, OSError) as exc:
        bar.end()
        _error(f"model install failed: {exc}")
        return ExitStatus.BAD_INPUT
    bar.end()
    print(f"Installed {MODEL_NAME} at {path} ({read_marker(path).get('source', '?')})")
    return ExitStatus.OK


def _folder_size(path: Path) -> tuple[int, int]:
    """(number of files, total bytes) under ``path``."""
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run_info(options: ModelInfoOptions) -> ExitStatus:
    """Print what model is installed and where: OK if it verifies, ERROR if it is missing or
    faulty, BAD_INPUT if it cannot be read."""
    try:
        path = find_model(options.model)
    except ModelMissing as exc:
        _error(str(exc))
        return ExitStatus.ERROR
    try:
        count, size = _folder_size(path)
        problems = verify_model(path)
    except OSError as exc:
        _error(f"cannot read the model at {path}: {exc}")
        return ExitStatus.BAD_INPUT
    marker = read_marker(path)
    source = marker.get("source", "unknown (no INSTALLED_FROM marker)")
    if "installed" in marker:
        source += f", installed {marker['installed']}"
    print(f"model:    {MODEL_NAME}")
    print(f"path:     {path.resolve()}")
    print(f"size:     {size / _MB:.1f} MB in {counted(count, 'file')}")
    print(f"source:   {source}")
    if not problems:
        print("verified: ok")
        return ExitStatus.OK
    default = path.resolve() == resolve_model_path(None).resolve()
    where = "" if default else f" --model {shlex.quote(str(path.resolve()))}"
    print(f"verified: {counted(len(problems), 'problem')} — run "
          f"`voicecoach model install --force{where}`")
    for problem in problems:
        print(f"  - {problem}")
    return ExitStatus.ERROR
