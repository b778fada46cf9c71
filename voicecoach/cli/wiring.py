"""Builds a live session: routine, narrator, listener, front end — and runs it.

This is the one place where the real speech in and out and the front end are chosen and
injected; everything it calls takes its I/O as arguments.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from voicecoach.cli.options import RunOptions
from voicecoach.cli.outputs import check_log, session_inputs
from voicecoach.cli.resume import (
    ROUTINE,
    resume_command,
    resume_refusal,
    routine_as_run,
    run_options_of,
    start_session,
    with_fitting_saved_options,
    with_key,
)
from voicecoach.cli.status import ExitStatus, UsageError
from voicecoach.core.cues import Say
from voicecoach.core.script import carry_on_offer, streak_line
from voicecoach.core.session import SessionSettings
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.plain_wrap import terminal_columns, wrapped_line
from voicecoach.frontends.progress_text import ending_line
from voicecoach.frontends.stderr_redirect import redirect_c_stderr
from voicecoach.model_store import ModelMissing, find_model
from voicecoach.speech_in.echo_cancel import EchoCanceller, hears_only_the_speaker
from voicecoach.speech_in.events import ListenerEvent, ListenerState, ListenerStatus
from voicecoach.speech_in.listener import Listener
from voicecoach.speech_in.played import PlayedAudio
from voicecoach.speech_in.selfhearing import SpeechActivity
from voicecoach.speech_out.narrator import AudioNarrator
from voicecoach.speech_out.output import output_available
from voicecoach.speech_out.profiles import VoiceError, VoiceProfile, load_voice
from voicecoach.speech_out.speaker import CaptionNarrator, Speaker
from voicecoach.storage.eventlog import EventLog
from voicecoach.storage.history_stats import opening_streak
from voicecoach.storage.paths import file_in_the_way, user_data_dir
from voicecoach.storage.progress import History, ProgressStore
from voicecoach.storage.routine_files import resolve_routine
from voicecoach.storage.session_lock import SessionLock

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Relay(Generic[T]):
    """Forwards events from adapter threads to whichever front end is running.

    Events that come before the front end is ready are kept, in order, and handed over
    when it connects.
    """

    def __init__(self) -> None:
        self._target: Callable[[T], None] | None = None
        self._early: list[T] = []
        self._lock = threading.Lock()

    def __call__(self, event: T) -> None:
        with self._lock:
            if self._target is None:
                self._early.append(event)
                return
            target = self._target
        target(event)

    def connect(self, target: Callable[[T], None]) -> None:
        """Send events to ``target`` from now on, starting with those that came early."""
        with self._lock:
            for event in self._early:
                target(event)
            self._early.clear()
            self._target = target


def say_streak(speaker: Speaker, history: History, now: datetime,
               log: EventLog | None = None) -> Say | None:
    """As a session starts, when there is history: one line about the streak, counting
    today ("Third day in a row."). It is encouragement, so a terse narrator leaves it out.

    ``now`` is the local date and time (aware); the engine itself never sees the date.
    Returns the line offered to the narrator, or None when there was no history.
    """
    try:
        entries = history.entries()
    except OSError as error:  # the session goes on; `voicecoach history` names the problem
        logger.warning("cannot read the history: %s", error)
        return None
    days = opening_streak(entries, now)
    if days is None:
        return None
    return say_aside(speaker, streak_line(days), log)


def say_aside(speaker: Speaker, line: Say, log: EventLog | None) -> Say:
    """Offer ``line`` to the narrator as the session opens, besides the engine's lines
    (and log it); returns it."""
    if log:
        log.cue(0.0, line)
    speaker.say(line.text, line.kind)
    return line


def run_session(options: RunOptions) -> ExitStatus:
    """``voicecoach run``: a guided session with speech out, voice in and a front end.

    It saves its place while it holds its routine's lock: a second session of the routine
    runs all the same, saving nothing and saying so, and refuses ``--resume`` (the place
    saved is the first one's, and still moves). Without any lock to be had (a folder that
    cannot be written) it saves as it can."""
    progress = ProgressStore()
    name = resolve_routine(options.routine).name
    refused = resume_refusal(name, progress) if options.resume else None
    if refused is not None:  # before anything opens: a sound module, a log, the lock
        raise UsageError(refused)
    with SessionLock(progress.lock_path_for(name)) as lock:
        unlocked: OSError | None = None
        try:
            saves = lock.take()
        except OSError as error:  # no lock to be had: it saves as it can, as before locks
            saves, unlocked = True, error
        if saves:
            status, carry_on = _run_session(options, progress, [], unlocked, lock.release)
            if carry_on:  # c pressed in the full screen: the saved session, as --resume
                status, _ = _run_session(replace(options, resume=True), progress, [],
                                         unlocked, lock.release)
            return status
        other = _another_session(name, lock.holder())
        if options.resume:
            raise UsageError(f"cannot resume: {other}, and the place saved is its own; quit "
                             "that one first (its place stays saved), or run without "
                             "--resume for a session that does not save")
        return _run_session(options, None, [f"{other}: this one will not save your place"],
                            None, None)[0]


def _another_session(routine_name: str, pid: int | None) -> str:
    """Names the session of ``routine_name`` that holds its lock (``pid``, if known)."""
    which = "" if pid is None else f" (pid {pid})"
    return f"another voicecoach session of '{routine_name}' is running{which}"


def _run_session(options: RunOptions, progress: ProgressStore | None, opening: list[str],
                 unlocked: OSError | None, release: Callable[[], None] | None
                 ) -> tuple[ExitStatus, bool]:
    """:func:`run_session` once it knows whether it saves (``progress``); ``opening``:
    what the start says of the saved session so far; ``unlocked``: why no lock could be
    had, if so (for the app's log); ``release``: lets go of the lock once the session
    has ended (a summary left open holds it no longer). Returns the exit status, and
    whether the person asked to carry on from the session saved before instead."""
    taken = None
    if options.resume and progress is not None:
        options, taken = with_fitting_saved_options(options, progress)
    if options.log:  # appended to, so never one of the files the session reads
        check_log(options.log, session_inputs(options.routine, options.session.voice),
                  what="session")
    if progress is not None:
        progress.run_options = {**run_options_of(options.session),
                                ROUTINE: routine_as_run(options.routine)}
    routine = resolve_routine(options.routine, **options.session.routine_overrides())
    profile = load_voice(options.session.voice)
    notices: Relay[str] = Relay()
    opening += [taken] if taken else []  # what the start says of the saved session
    log_dir = user_data_dir() / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=log_dir / "voicecoach.log", level=logging.INFO,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    except OSError as error:  # a diagnostic log, not worth a session
        logging.basicConfig(handlers=[logging.NullHandler()])
        in_the_way = file_in_the_way(error)
        why = (f"{in_the_way} is a file, not a folder: move it away" if in_the_way
               else error.strerror)
        notices(f"cannot keep the app's log in {log_dir} ({why}); the session goes on "
                "without it")
    # ALSA, PortAudio and Kaldi write to fd 2 (a flood while the sound server is down): to a
    # log, in the TUI and the plain terminal alike; our own messages still reach the terminal.
    redirect_c_stderr(log_dir / "native-stderr.log")
    if unlocked is not None:
        logger.warning("no lock on saving progress (%s): saving without one", unlocked)

    captions: Relay[str] = Relay()
    voice_events: Relay[ListenerEvent] = Relay()
    audible = not options.mute
    cancels = audible and options.listen and options.echo_cancel != "off"
    echo = (_start_echo_cancel(notices)
            if cancels and options.echo_cancel == "auto" and _output_available() else None)
    played = PlayedAudio() if audible and options.listen else None
    speaker, activity = _build_speaker(profile, captions, notices, audible, echo, played)
    try:
        unspeakable = speaker.voice_error() if isinstance(speaker, AudioNarrator) else None
        if unspeakable is not None:  # a profile to fix, not a session to run in silence
            raise unspeakable
        log = EventLog.open(options.log) if options.log else None  # only now: none left
    except (VoiceError, OSError):
        speaker.close()
        if echo is not None:
            echo.close()
        raise
    listener = (_build_listener(options.model, activity, voice_events, echo, played, speaker,
                                app_canceller=cancels and echo is None)
                if options.listen else None)

    clock = time.monotonic
    runner: SessionRunner | None = None
    try:
        session, replaces = start_session(
            routine, SessionSettings(speech_seconds=profile.estimate_seconds), progress,
            clock(), opening.append, resume=options.resume)
        history = History()
        runner = SessionRunner(session, speaker, clock, log=log, progress=progress,
                               history=history, on_problem=notices, on_finished=release,
                               replaces=replaces)
        say_streak(speaker, history, datetime.now().astimezone(), log)
        if listener is not None:
            listener.start()
        if options.tui and not sys.stdout.isatty():  # a full screen into a file or a pipe
            print_notice("the output is not a terminal: plain captions, as with --no-tui")
        carry_on = False
        if options.tui and sys.stdout.isatty():
            status, carry_on = _run_tui(runner, opening, notices, captions, voice_events,
                                        theme=options.theme, listening=options.listen)
        else:
            status = _run_terminal(runner, opening, notices, captions, voice_events,
                                   listening=options.listen)
        if carry_on:
            return status, True
        kept = progress is not None and progress.load(routine.name) is not None
        with contextlib.suppress(OSError):  # after SIGHUP: the terminal may be gone
            print(ending_line(runner.summary, reached=runner.moved_on
                              or runner.session.snapshot().segment > 0,
                              resume_command=resume_command(options) if kept else None,
                              in_history=runner.in_history, saving=progress is not None,
                              nothing_done=runner.nothing_done),
                  flush=True)
        return status, False
    finally:
        if runner is None or runner.summary is None:
            speaker.silence()  # quit mid-session (Ctrl+Q, Ctrl-C, kill): stop talking at once,
            # before the listener, which may be checking the streams' routing (pactl)
        if listener is not None:
            listener.stop()
        speaker.drain(timeout=5.0)  # let the closing line be heard
        speaker.close()
        if echo is not None:
            echo.close()
        if log:
            log.close()


def _output_available() -> bool:
    """Whether there is a speaker to play to now (the narrator says so when there is none,
    and speaks once there is)."""
    available, why = output_available()
    if not available:
        logger.warning("no audio output: %s", why)
    return available


def _build_speaker(profile: VoiceProfile, captions: Relay[str], notices: Relay[str],
                   audible: bool, echo: EchoCanceller | None,
                   played: PlayedAudio | None) -> tuple[Speaker, SpeechActivity]:
    """The narrator, and the records of what it plays that the listener checks against:
    its lines and their times (``activity``) and the samples it plays (``played``).

    Only real playback feeds them: captions make no sound the mic could hear.
    """
    activity = SpeechActivity()
    if not audible:
        return CaptionNarrator(profile, print_fn=None, on_caption=captions), activity
    return AudioNarrator(profile, on_problem=notices, on_caption=captions,
                         on_line_start=activity.line_started,
                         on_line_end=activity.line_ended,
                         before_open=echo.ensure if echo is not None else None,
                         on_played=played.add if played is not None else None), activity


def _start_echo_cancel(notices: Relay[str]) -> EchoCanceller | None:
    """The sound server's echo canceller, when the narrator speaks and the mic listens.

    Started before any audio stream opens: the streams pick their devices when they open.
    """
    echo = EchoCanceller()
    status = echo.start()
    if not echo.active:
        notices(status)
    return echo if echo.active else None


def _build_listener(model: Path | None, activity: SpeechActivity,
                    events: Relay[ListenerEvent], echo: EchoCanceller | None,
                    played: PlayedAudio | None, speaker: Speaker, *,
                    app_canceller: bool) -> Listener | None:
    """The microphone listener, or None (said as a no-model status) without a model."""
    try:
        model_path = find_model(model)
    except ModelMissing as missing:
        events(ListenerStatus(ListenerState.NO_MODEL, str(missing)))
        return None
    return Listener(model_path, on_event=events, activity=activity,
                    before_open=echo.ensure if echo is not None else None,
                    keep_routed=echo.adopt if echo is not None else None,
                    only_the_speaker=hears_only_the_speaker, played=played,
                    app_canceller=app_canceller,
                    on_gain=speaker.set_gain if isinstance(speaker, AudioNarrator) else None)


NOTICE_PREFIX = "voicecoach: "
"""Before each notice on stderr."""


def print_notice(notice: str) -> None:
    """A notice on stderr in ``--no-tui``, as ``voicecoach: …``. Notices come without the
    prefix (the TUI shows them as they are); this adds the one prefix they get (and, on a
    terminal, breaks a long one between words at its width)."""
    print(wrapped_line(NOTICE_PREFIX, notice, terminal_columns(sys.stderr)),
          file=sys.stderr, flush=True)


def _run_terminal(runner: SessionRunner, opening: list[str], notices: Relay[str],
                  captions: Relay[str], voice_events: Relay[ListenerEvent], *,
                  listening: bool) -> ExitStatus:
    from voicecoach.frontends.terminal import TerminalFrontEnd

    for notice in opening:
        print_notice(notice)
    notices.connect(print_notice)
    front = TerminalFrontEnd(runner, voice=listening,
                             columns=lambda: terminal_columns(sys.stdout))
    front.show_keys()  # before the captions said so far (the streak line)
    captions.connect(front.show_caption)
    voice_events.connect(front.post_voice)
    return ExitStatus(front.run())


def _run_tui(runner: SessionRunner, opening: list[str], notices: Relay[str],
             captions: Relay[str], voice_events: Relay[ListenerEvent], *, theme: str,
             listening: bool) -> tuple[ExitStatus, bool]:
    """The full screen; returns its exit status and whether c was pressed to carry on from
    the session saved before."""
    from voicecoach.frontends.tui.app import create_app

    off = ListenerStatus(ListenerState.OFF, "voice off: use the keys")
    status = None if listening else off
    keyed = [with_key(notice) for notice in opening]
    carry_on = any(keyed)
    if carry_on and listening:
        say_aside(runner.speaker, carry_on_offer(), runner.log)
    opening = [offer or notice for offer, notice in zip(keyed, opening, strict=True)]
    app = create_app(runner, clock=runner.clock, theme=theme, listener_status=status,
                     opening_notices=opening, carry_on_saved=carry_on)
    # Connected once the app runs, so early events reach a live message loop.
    app.on_ready += [lambda: notices.connect(app.add_notice),
                     lambda: captions.connect(app.post_caption),
                     lambda: voice_events.connect(app.post_voice),
                     lambda: app.quit_on(signal.SIGTERM, signal.SIGHUP)]
    app.run()
    for problem in runner.problems:  # the summary screen has closed: say it where it stays
        print_notice(problem)
    return ExitStatus(app.return_code or 0), app.carried_on
