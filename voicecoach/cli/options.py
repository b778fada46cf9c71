"""One frozen options object per subcommand: what the command line asked for, typed.

:mod:`voicecoach.cli.main` reads them from the parsed arguments; the handlers take them and
never see argparse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DEFAULT_ROUTINE = "back-pain"
"""The routine a command runs when none is named."""

EchoCancel = Literal["auto", "app", "off"]
"""Who cancels the narrator's echo in a session (see :attr:`RunOptions.echo_cancel`)."""


@dataclass(frozen=True)
class SessionOptions:
    """What shapes a session: the narrator's voice and the routine-level overrides."""

    voice: str
    """A narrator profile name, or a profile file."""
    hold: float | None = None
    """Seconds per hold, instead of the routine's."""
    reps: int | None = None
    """Reps per set, instead of the routine's."""
    tempo: float | None = None
    """Seconds per rep, instead of the routine's."""

    def routine_overrides(self) -> dict[str, float]:
        """The keyword overrides for :func:`~voicecoach.storage.routine_files.resolve_routine`."""
        overrides: dict[str, float] = {}
        if self.hold is not None:
            overrides["hold_seconds"] = self.hold
        if self.reps is not None:
            overrides["reps"] = self.reps
        if self.tempo is not None:
            overrides["rep_seconds"] = self.tempo
        return overrides


@dataclass(frozen=True)
class RunOptions:
    """``voicecoach run``: a guided session."""

    routine: str
    """A built-in routine name or a routine file."""
    session: SessionOptions
    tui: bool = True
    """The full-screen app; False: a plain terminal, captions printed, single keys."""
    log: Path | None = None
    """Where to write the event log, if anywhere."""
    resume: bool = False
    """Carry on from the last unfinished session."""
    mute: bool = False
    """Captions only, no speech."""
    listen: bool = True
    """Take voice commands (False: keyboard only)."""
    echo_cancel: EchoCancel = "auto"
    """Who cancels the narrator's echo: "auto" (the sound server's canceller where it can
    be loaded, else the app's own), "app" (the app's own only) or "off"."""
    model: Path | None = None
    """The Vosk model folder (None: the usual places)."""
    theme: str = "dark"
    """The app's colours: "dark" or "high-contrast"."""
    voice_given: bool = False
    """``--voice`` was given (a resumed session's saved voice does not replace it)."""


@dataclass(frozen=True)
class CheckOptions:
    """``voicecoach check``: validate routine files (or built-in routines)."""

    routines: tuple[str, ...]
    """Routine files, or built-in routines' names."""


@dataclass(frozen=True)
class ExportOptions:
    """``voicecoach export``: a whole session rendered to one WAV file."""

    routine: str
    out: Path
    session: SessionOptions
    force: bool = False
    """Replace ``out`` if it exists."""


@dataclass(frozen=True)
class SimulateOptions:
    """``voicecoach simulate``: a whole session on audio time, a WAV as the microphone."""

    routine: str
    log: Path
    """Where the event log goes."""
    session: SessionOptions
    user_audio: Path | None = None
    """The person's voice (WAV); None: silence."""
    echo: float = 0.0
    """The gain at which the narrator is mixed into the microphone."""
    app_canceller: bool = False
    """Cancel that echo in the app (as a session without the server's canceller does)."""
    model: Path | None = None
    force: bool = False
    """Replace the log if it exists."""


@dataclass(frozen=True)
class ImportOptions:
    """``voicecoach import``: an article turned into a routine file."""

    article: Path
    out: Path | None = None
    """Where the routine goes; None: ``NAME.toml`` in the current folder."""
    force: bool = False
    """Replace ``out`` if it exists."""


@dataclass(frozen=True)
class ListenOptions:
    """``voicecoach listen``: recognize commands in a WAV, or check the microphone live."""

    wav: Path | None = None
    """Read this file instead of the microphone."""
    as_json: bool = False
    """One JSON line per command."""
    model: Path | None = None


@dataclass(frozen=True)
class ModelInstallOptions:
    """``voicecoach model install``."""

    model: Path | None = None
    """Install here instead of the default."""
    from_zip: Path | None = None
    """Install from a downloaded zip."""
    force: bool = False
    """Reinstall even if present."""


@dataclass(frozen=True)
class ModelInfoOptions:
    """``voicecoach model info``."""

    model: Path | None = None
