"""Carrying a session on: the options it was run with, saved beside its progress and taken
back by ``--resume``, and the command that resumes it."""

from __future__ import annotations

import shlex
from dataclasses import replace

from voicecoach.cli.options import DEFAULT_ROUTINE, RunOptions, SessionOptions
from voicecoach.speech_out.profiles import DEFAULT_VOICE


def run_options_of(session: SessionOptions) -> dict[str, str | float]:
    """What is saved beside the progress: the voice, and each of hold, reps and tempo
    that was given."""
    saved: dict[str, str | float] = {"voice": session.voice}
    for key, value in (("hold", session.hold), ("reps", session.reps),
                       ("tempo", session.tempo)):
        if value is not None:
            saved[key] = value
    return saved


def with_saved_options(options: RunOptions, saved: dict[str, str | float]
                       ) -> tuple[RunOptions, str | None]:
    """``options`` with what the saved session was run with, where the command line gave
    nothing (a voice other than the default, a hold, reps or a tempo wins); and a notice
    naming what was taken, or None."""
    session = options.session
    taken: list[str] = []
    voice = saved.get("voice")
    if session.voice == DEFAULT_VOICE and isinstance(voice, str) and voice != DEFAULT_VOICE:
        session = replace(session, voice=voice)
        taken += ["--voice", voice]
    hold, reps, tempo = (saved.get(key) for key in ("hold", "reps", "tempo"))
    if session.hold is None and isinstance(hold, int | float):
        session = replace(session, hold=float(hold))
        taken += ["--hold", f"{hold:g}"]
    if session.reps is None and isinstance(reps, int | float) and reps == int(reps):
        session = replace(session, reps=int(reps))
        taken += ["--reps", f"{reps:g}"]
    if session.tempo is None and isinstance(tempo, int | float):
        session = replace(session, tempo=float(tempo))
        taken += ["--tempo", f"{tempo:g}"]
    if not taken:
        return options, None
    return (replace(options, session=session),
            f"resuming with {shlex.join(taken)}, as the session was run")


def resume_command(options: RunOptions) -> str:
    """The command that carries on where ``options`` left off: the routine as it was given
    (a name or a file) and the options that shape the session."""
    words = ["voicecoach", "run"]
    if options.routine != DEFAULT_ROUTINE:
        words.append(options.routine)
    words += [word for key, value in run_options_of(options.session).items()
              if key != "voice" or value != DEFAULT_VOICE
              for word in (f"--{key}", value if isinstance(value, str) else f"{value:g}")]
    return shlex.join([*words, "--resume"])
