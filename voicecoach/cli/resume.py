"""Carrying a session on: the options it was run with, saved beside its progress and taken
back by ``--resume``; the session itself, resumed or new, with what the start says of the
saved one (and, for a new one, the saved one closed as it was, for the history once the new
one takes its place); a saved place that no longer fits its routine, set aside; and the
command that resumes it."""

from __future__ import annotations

import contextlib
import math
import shlex
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from voicecoach.cli.options import DEFAULT_ROUTINE, RunOptions, SessionOptions
from voicecoach.core import script
from voicecoach.core.commands import Command
from voicecoach.core.plan import build_plan
from voicecoach.core.record import Snapshot, Summary
from voicecoach.core.routine import Routine
from voicecoach.core.routine_rules import RoutineError
from voicecoach.core.session import Session, SessionSettings
from voicecoach.speech_out.profiles import VoiceError, load_voice
from voicecoach.storage.progress import OUTDATED, ProgressStore
from voicecoach.storage.routine_files import builtin_names, resolve_routine
from voicecoach.storage.session_lock import held_elsewhere

TAKES_ITS_PLACE = ("once this new session moves on a step, it takes that place and the "
                   "saved session goes into the history as it was, stopped early")
"""What becomes of the session saved before if a new one runs on (:func:`saved_before`)."""
SAVED_BEFORE = f"to carry on from it, quit now and run again with --resume ({TAKES_ITS_PLACE})"
"""How the notice of a session saved before ends, said to a session started without
--resume (:func:`saved_before`)."""
SAVED_BEFORE_WITH_KEY = f"press c or say “continue” to carry on from it ({TAKES_ITS_PLACE})"
"""The same in the full screen, where a key carries on from it (:func:`with_key`)."""


def saved_before(routine: Routine, snapshot: Snapshot, how_to_resume: str | None = None
                 ) -> str:
    """The notice of the session saved before, with where it was ("Hip 90/90 Stretch,
    right side, step 2") in ``routine``, the one it was run from. ``how_to_resume``: its
    command, when it was run from another file of the same name (``--resume`` of this
    one cannot carry it on)."""
    plan = build_plan(routine)
    where = (f" at {script.segment_label(routine, plan[snapshot.segment])}"
             if 0 <= snapshot.segment < len(plan) else "")
    if how_to_resume is not None:
        return (f"an unfinished session of another routine of this name was saved{where}: "
                f"{how_to_resume} carries it on ({TAKES_ITS_PLACE})")
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
    are ``saved``: the command, when it says which routine file was run and it is there
    (or, saved by an earlier version that did not say, ``name`` is a built-in's)."""
    source = _source(name, saved)
    if source is None:
        return f"'{name}': name that routine or its file with --resume"
    if _gone(source):
        return f"'{name}', run from {source}, which is gone"
    return f"'{name}': {_resume_words(source)}"


def _resume_words(source: str) -> str:
    """The command that carries on the session run from ``source`` (a built-in's name or a
    file's full path), quoted as the terminal shows commands."""
    words = ["voicecoach", "run"] + ([] if source == DEFAULT_ROUTINE else [source])
    return f"`{shlex.join([*words, '--resume'])}`"


def _source(name: str, saved: dict[str, str | float]) -> str | None:
    """Where the session saved of routine ``name`` was run from (a built-in's name or a
    file's full path), as its saved options ``saved`` say; saved by an earlier version
    that did not say, the built-in of that name if there is one; else None."""
    source = saved.get(ROUTINE)
    if isinstance(source, str) and source:
        return source
    return name if name in builtin_names() else None


def _routine_saved_from(name: str, progress: ProgressStore, running: Routine | None = None
                        ) -> Routine | None:
    """The routine the session saved of routine ``name`` was run from, as it is now, with
    the hold, reps and tempo it was run with (without them if they no longer fit): its file,
    or the built-in; ``running`` (a routine of that name) when the saved options do not say
    where it was run from. None when that routine cannot be had (its file gone, or no
    longer a routine)."""
    saved = progress.saved_run_options(name)
    source = saved.get(ROUTINE)
    if not (isinstance(source, str) and source) and running is not None:
        return running
    source = _source(name, saved)
    if source is None:
        return None
    as_run, _ = with_saved_options(RunOptions(source, SessionOptions("")), saved)
    for overrides in (as_run.session.routine_overrides(), {}):
        try:
            return resolve_routine(source, **overrides)
        except (RoutineError, OSError):
            continue
    return None


def _unfit(routine: Routine, snapshot: Snapshot) -> str | None:
    """Why ``snapshot`` cannot be carried on in ``routine`` (edited since it was saved, or
    another routine of its name), or None when it can."""
    try:
        Session.restore(routine, snapshot, 0.0)
    except ValueError as error:
        return str(error)
    return None


def _outdated(name: str, progress: ProgressStore) -> str | None:
    """Why the session saved of routine ``name`` no longer fits the routine it was run
    from, or None: it fits, or there is no telling (that routine cannot be had)."""
    snapshot = progress.load(name)
    routine = _routine_saved_from(name, progress) if snapshot is not None else None
    if snapshot is None or routine is None:
        return None
    return _unfit(routine, snapshot)


def _set_aside_outdated(name: str, progress: ProgressStore) -> str:
    """Sets aside the session saved of routine ``name``, which no longer fits its routine,
    so that nothing offers it again; how it is kept (or why it could not be)."""
    try:
        return f"it is kept as {progress.set_aside(name, OUTDATED).name}"
    except OSError as error:
        return f"it could not be set aside ({error.strerror})"


def set_aside_outdated(progress: ProgressStore) -> list[str]:
    """For ``voicecoach history``: each session saved (and not running now) that can no
    longer be carried on, its routine edited since, set aside; what to say of each."""
    said: list[str] = []
    for name in progress.unfinished():
        if held_elsewhere(progress.lock_path_for(name)):
            continue  # the place of a session running now: its own to write
        why = _outdated(name, progress)
        if why is None:
            continue
        source = _source(name, progress.saved_run_options(name))
        where = f" (run from {source})" if source and source not in builtin_names() else ""
        said.append(f"the unfinished session of '{name}'{where} cannot be carried on ({why}); "
                    f"{_set_aside_outdated(name, progress)}")
    return said


def closed(routine: Routine, snapshot: Snapshot, ended: float | None) -> Summary:
    """The session ``snapshot`` saved, of ``routine``, ended where it was as a stop would
    have ended it (stopped early, with what it did): for the history, once a new session
    takes its place. ``ended``: when its place was last saved (seconds since the epoch).
    Raises ValueError when the snapshot does not fit ``routine``."""
    session = Session.restore(routine, snapshot, 0.0)
    session.handle(Command.STOP, 0.0)
    when = (None if ended is None
            else datetime.fromtimestamp(ended, UTC).isoformat(timespec="seconds"))
    return replace(session.summary(), ended=when)


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
    session runs it, and the file it was run from, if known, is still there and still
    fits it (not edited since)."""
    if held_elsewhere(progress.lock_path_for(name)):
        return False
    source = progress.saved_run_options(name).get(ROUTINE)
    if isinstance(source, str) and source and _gone(source):
        return False
    return _outdated(name, progress) is None


def _gone(source: str) -> bool:
    """Whether the routine a session was run from (a built-in's name or a file's full
    path, as saved) is no longer there."""
    return source not in builtin_names() and not Path(source).is_file()


def unfinished_line(progress: ProgressStore) -> str | None:
    """For ``voicecoach history``: the sessions saved and not yet ended, which the history
    holds only once they end, and how to carry each on; None when there are none."""
    sessions = _other_sessions(progress)
    return f"Unfinished, in the history once it ends: {sessions}" if sessions else None


def _other_sessions(progress: ProgressStore) -> str:
    """Each routine with a session saved, and how to carry it on (or why it cannot be);
    not one that no longer fits its routine (edited since), which nothing carries on."""
    said: list[str] = []
    for name in progress.unfinished():
        if held_elsewhere(progress.lock_path_for(name)):
            said.append(f"'{name}', running now in another session")
        elif _outdated(name, progress) is None:
            said.append(_how_to_resume(name, progress.saved_run_options(name)))
    return "; ".join(said)


def build_session(routine: Routine, settings: SessionSettings, progress: ProgressStore | None,
                  now: float, say: Callable[[str], None], *, resume: bool) -> Session:
    """:func:`start_session`'s session alone."""
    return start_session(routine, settings, progress, now, say, resume=resume)[0]


def start_session(routine: Routine, settings: SessionSettings, progress: ProgressStore | None,
                  now: float, say: Callable[[str], None], *, resume: bool
                  ) -> tuple[Session, Summary | None]:
    """A new session, or the saved one when ``resume`` (--resume) was asked and fits; and,
    for a new one, the unfinished session saved before it, closed as it was (stopped
    early), which goes into the history once the new one saves its place over it (None
    when there is none).

    A progress file that cannot be read is set aside (never overwritten by this session's
    saves) and said, with why; so is one that no longer fits the routine it was run from
    (edited since): it is never offered again. With no ``progress`` (another session of
    the routine saves it) the session is a new one and the saved progress is not
    touched."""
    fresh = Session(routine, now, settings)
    if progress is None:
        return fresh, None
    damage = progress.damage(routine.name)
    if damage is not None:
        path = progress.path_for(routine.name)
        try:
            kept = f"it is kept as {progress.set_aside(routine.name).name}"
        except OSError as error:
            kept = f"it could not be set aside ({error.strerror}) and this session's saves fail"
        say(f"the saved progress {path} could not be read ({damage}); {kept}, and this "
            "session starts from the beginning")
        return fresh, None
    snapshot = progress.load(routine.name)
    if snapshot is None:
        if resume:
            others = _other_sessions(progress)
            there = f" (there is one of {others})" if others else ""
            say(f"no unfinished session of '{routine.name}' to resume{there}; "
                "starting from the beginning")
        return fresh, None
    saved = progress.saved_run_options(routine.name)
    this, source = progress.run_options.get(ROUTINE), saved.get(ROUTINE)
    elsewhere = isinstance(this, str) and isinstance(source, str) and source not in ("", this)
    own = (_routine_saved_from(routine.name, progress) if elsewhere  # another file's
           else _routine_saved_from(routine.name, progress, running=routine)) or routine
    unfit = _unfit(routine, snapshot)
    how = (_resume_words(source) if elsewhere and isinstance(source, str)
           and own is not routine and _unfit(own, snapshot) is None else None)
    if unfit is not None and how is None:  # nothing carries it on: set aside, never offered
        say(f"the unfinished session saved before cannot be carried on ({unfit}); "
            f"{_set_aside_outdated(routine.name, progress)}, and this session starts from "
            "the beginning")
        return fresh, None
    if resume and unfit is None:
        return Session.restore(routine, snapshot, now, settings), None
    if resume:  # run from another file of this name, which carries it on
        say(f"cannot resume ({unfit}; {how} carries it on); starting from the beginning")
    else:
        say(saved_before(own, snapshot, how if unfit is not None else None))
    replaced = None
    with contextlib.suppress(ValueError):
        replaced = closed(own, snapshot, progress.saved_at(routine.name))
    return fresh, replaced


def with_fitting_saved_options(options: RunOptions, progress: ProgressStore
                        ) -> tuple[RunOptions, str | None]:
    """``--resume``: ``options`` with what the saved session was run with (where the command
    line gave nothing), and a notice saying so; the saved ones that no longer fit (a
    profile gone, a value out of bounds) are left out, and that is said instead."""
    routine = resolve_routine(options.routine)
    snapshot = progress.load(routine.name)
    if snapshot is None or _unfit(routine, snapshot) is not None:
        return options, None  # nothing to carry on here: the saved options neither
    resumed, taken = with_saved_options(options, progress.saved_run_options(routine.name))
    if taken is None:
        return options, None
    try:
        resolve_routine(resumed.routine, **resumed.session.routine_overrides())
        load_voice(resumed.session.voice)
    except (RoutineError, VoiceError) as error:
        return options, (f"the options saved with the session no longer fit ({error}); "
                         "resuming with the ones given")
    return resumed, taken
