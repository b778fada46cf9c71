"""Carrying a session on: the options it was run with, saved beside its progress and taken
back by ``--resume``; the session itself, resumed or new, with what the start says of the
saved one; and the command that resumes it."""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from voicecoach.cli.options import DEFAULT_ROUTINE, RunOptions, SessionOptions
from voicecoach.core import script
from voicecoach.core.plan import build_plan
from voicecoach.core.record import Snapshot
from voicecoach.core.routine import Routine
from voicecoach.core.routine_rules import RoutineError
from voicecoach.core.session import Session, SessionSettings
from voicecoach.speech_out.profiles import VoiceError, load_voice
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.routine_files import builtin_names, resolve_routine
from voicecoach.storage.session_lock import held_elsewhere

SAVED_BEFORE = ("to carry on from it, quit now and run again with --resume (this new "
                "session takes its place once it moves on a step)")
"""How the notice of a session saved before ends, said to a session started without
--resume (:func:`saved_before`)."""
SAVED_BEFORE_WITH_KEY = ("press c to carry on from it (this new session takes its place "
                         "once it moves on a step)")
"""The same in the full screen, where a key carries on from it (:func:`with_key`)."""


def saved_before(routine: Routine, snapshot: Snapshot) -> str:
    """The notice of the session saved before, with where it was ("Hip 90/90 Stretch,
    right side, step 2") when the routine still has that place."""
    plan = build_plan(routine)
    where = (f" at {script.segment_label(routine, plan[snapshot.segment])}"
             if 0 <= snapshot.segment < len(plan) else "")
    return f"an unfinished session was saved{where}: {SAVED_BEFORE}"


def with_key(notice: str) -> str | None:
    """``notice``, if it is :func:`saved_before`'s, told as the full screen offers it (the
    c key); else None."""
    if not notice.endswith(SAVED_BEFORE):
        return None
    return notice.removesuffix(SAVED_BEFORE) + SAVED_BEFORE_WITH_KEY

ROUTINE = "routine"
"""The saved options' key for the routine as run: a built-in's name or a file's full path
(so that another session can say how to resume it)."""


def run_options_of(session: SessionOptions) -> dict[str, str | float]:
    """What is saved beside the progress: the voice (a profile file by its full path, so
    that it is found from any folder), and each of hold, reps and tempo that was given."""
    voice = session.voice
    if voice.endswith(".toml") and Path(voice).is_file():
        voice = str(Path(voice).resolve())
    saved: dict[str, str | float] = {"voice": voice}
    for key, value in (("hold", session.hold), ("reps", session.reps),
                       ("tempo", session.tempo)):
        if value is not None:
            saved[key] = value
    return saved


def routine_as_run(routine: str) -> str:
    """``routine`` (a built-in's name or a file's path, as given) as saved beside the
    progress: a file by its full path, so that it is found from any folder."""
    return routine if routine in builtin_names() else str(Path(routine).resolve())


def _how_to_resume(name: str, saved: dict[str, str | float]) -> str:
    """How to carry on the unfinished session of routine ``name``, whose saved options
    are ``saved``: the command, when it says which routine file was run and it is there."""
    source = saved.get(ROUTINE)
    if not isinstance(source, str) or not source:
        return f"'{name}': name that routine or its file with --resume"
    if _gone(source):
        return f"'{name}', run from {source}, which is gone"
    words = ["voicecoach", "run"] + ([] if source == DEFAULT_ROUTINE else [source])
    return f"'{name}': `{shlex.join([*words, '--resume'])}`"


def _number(value: object) -> float | None:
    """``value`` if it is a finite number (a hand-edited file may hold anything)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def with_saved_options(options: RunOptions, saved: dict[str, str | float]
                       ) -> tuple[RunOptions, str | None]:
    """``options`` with what the saved session was run with, where the command line gave
    nothing (what it gave wins); and a notice naming what was taken, or None. Whether the
    values taken fit the routine is the caller's to check."""
    session = options.session
    taken: list[str] = []
    voice = saved.get("voice")
    if not options.voice_given and isinstance(voice, str) and voice != session.voice:
        session = replace(session, voice=voice)
        taken += ["--voice", voice]
    hold, reps, tempo = (_number(saved.get(key)) for key in ("hold", "reps", "tempo"))
    if session.hold is None and hold is not None:
        session = replace(session, hold=hold)
        taken += ["--hold", f"{hold:g}"]
    if session.reps is None and reps is not None and reps.is_integer():
        session = replace(session, reps=int(reps))
        taken += ["--reps", f"{reps:g}"]
    if session.tempo is None and tempo is not None:
        session = replace(session, tempo=tempo)
        taken += ["--tempo", f"{tempo:g}"]
    if not taken:
        return options, None
    return (replace(options, session=session),
            f"resuming with {shlex.join(taken)}, as the session was run")


def resume_command(options: RunOptions) -> str:
    """The command that carries on where ``options`` left off: the routine as it was given
    (a name or a file) and the options of how it was run (``--no-tui``, ``--mute``,
    ``--model``, ...), which are not saved; not ``--log``. Those that shape the session
    (``--voice``, ``--hold``, ``--reps``, ``--tempo``) are saved and ``--resume`` takes
    them back, so it reads as the history's command for the same session."""
    words = ["voicecoach", "run"]
    if options.routine != DEFAULT_ROUTINE:
        words.append(options.routine)
    return shlex.join([*words, *_how_it_ran(options), "--resume"])


def _how_it_ran(options: RunOptions) -> list[str]:
    """The options of how a session is run that differ from the defaults."""
    defaults = RunOptions(options.routine, options.session)
    words = [flag for flag, given in (("--no-tui", not options.tui), ("--mute", options.mute),
                                      ("--no-listen", not options.listen)) if given]
    if options.echo_cancel != defaults.echo_cancel:
        words += ["--echo-cancel", options.echo_cancel]
    if options.model is not None:
        words += ["--model", str(options.model)]
    if options.theme != defaults.theme:
        words += ["--theme", options.theme]
    return words


def resume_refusal(routine_name: str, progress: ProgressStore) -> str | None:
    """Why ``--resume`` of ``routine_name`` is refused before anything opens: nothing of it
    is saved, but a session of another routine that ``--resume`` can carry on is (that
    one was likely meant). None otherwise: a session of it is saved, or none that could
    be resumed is (then it starts from the beginning, and says so)."""
    if progress.damage(routine_name) is not None or progress.load(routine_name) is not None:
        return None
    if not any(_resumable(name, progress) for name in progress.unfinished()):
        return None
    return (f"no unfinished session of '{routine_name}' to resume (there is one of "
            f"{_other_sessions(progress)}); to start '{routine_name}' from the beginning, "
            "run it without --resume")


def _resumable(name: str, progress: ProgressStore) -> bool:
    """Whether ``--resume`` can carry on the session saved of routine ``name``: no other
    session runs it, and the file it was run from, if known, is still there."""
    if held_elsewhere(progress.lock_path_for(name)):
        return False
    source = progress.saved_run_options(name).get(ROUTINE)
    return not (isinstance(source, str) and source and _gone(source))


def _gone(source: str) -> bool:
    """Whether the routine a session was run from (a built-in's name or a file's full
    path, as saved) is no longer there."""
    return source not in builtin_names() and not Path(source).is_file()


def unfinished_line(progress: ProgressStore) -> str | None:
    """For ``voicecoach history``: the sessions saved and not yet ended, which the history
    holds only once they end, and how to carry each on; None when there are none."""
    if not progress.unfinished():
        return None
    return (f"Unfinished, in the history once it ends: {_other_sessions(progress)}")


def _other_sessions(progress: ProgressStore) -> str:
    """Each routine with a session saved, and how to carry it on (or why it cannot be)."""
    return "; ".join(
        f"'{name}', running now in another session"
        if held_elsewhere(progress.lock_path_for(name))
        else _how_to_resume(name, progress.saved_run_options(name))
        for name in progress.unfinished())


def build_session(routine: Routine, settings: SessionSettings, progress: ProgressStore | None,
                  now: float, say: Callable[[str], None], *, resume: bool) -> Session:
    """A new session, or the saved one when ``resume`` (--resume) was asked and fits.

    A progress file that cannot be read is set aside (never overwritten by this session's
    saves) and said, with why. With no ``progress`` (another session of the routine saves
    it) the session is a new one and the saved progress is not touched."""
    if progress is None:
        return Session(routine, now, settings)
    damage = progress.damage(routine.name)
    if damage is not None:
        path = progress.path_for(routine.name)
        try:
            kept = f"it is kept as {progress.set_aside(routine.name).name}"
        except OSError as error:
            kept = f"it could not be set aside ({error.strerror}) and this session's saves fail"
        say(f"the saved progress {path} could not be read ({damage}); {kept}, and this "
            "session starts from the beginning")
        return Session(routine, now, settings)
    if resume:
        snapshot = progress.load(routine.name)
        if snapshot is not None:
            try:
                return Session.restore(routine, snapshot, now, settings)
            except ValueError as error:
                say(f"cannot resume ({error}); starting from the beginning")
        else:
            others = _other_sessions(progress)
            elsewhere = f" (there is one of {others})" if others else ""
            say(f"no unfinished session of '{routine.name}' to resume{elsewhere}; "
                "starting from the beginning")
    else:
        saved = progress.load(routine.name)
        if saved is not None:
            say(saved_before(routine, saved))
    return Session(routine, now, settings)


def with_fitting_saved_options(options: RunOptions, progress: ProgressStore
                        ) -> tuple[RunOptions, str | None]:
    """``--resume``: ``options`` with what the saved session was run with (where the command
    line gave nothing), and a notice saying so; the saved ones that no longer fit (a
    profile gone, a value out of bounds) are left out, and that is said instead."""
    saved = progress.saved_run_options(resolve_routine(options.routine).name)
    resumed, taken = with_saved_options(options, saved)
    if taken is None:
        return options, None
    try:
        resolve_routine(resumed.routine, **resumed.session.routine_overrides())
        load_voice(resumed.session.voice)
    except (RoutineError, VoiceError) as error:
        return options, (f"the options saved with the session no longer fit ({error}); "
                         "resuming with the ones given")
    return resumed, taken
