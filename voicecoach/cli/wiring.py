"""Builds a live session: routine, narrator, listener, front end — and runs it."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from voicecoach.core.routine import Routine, resolve_routine
from voicecoach.core.session import Session, SessionSettings
from voicecoach.drivers.live import SessionRunner
from voicecoach.storage.eventlog import EventLog
from voicecoach.storage.paths import user_data_dir
from voicecoach.storage.progress import History, ProgressStore

logger = logging.getLogger(__name__)


class Relay:
    """Forwards events from adapter threads to whichever front end is running.

    Events that come before the front end is ready are kept, in order, and handed over
    when it connects.
    """

    def __init__(self) -> None:
        self._target: Callable[[Any], None] | None = None
        self._early: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        with self._lock:
            if self._target is None:
                self._early.append(event)
                return
            target = self._target
        target(event)

    def connect(self, target: Callable[[Any], None]) -> None:
        """Send events to ``target`` from now on, starting with those that came early."""
        with self._lock:
            for event in self._early:
                target(event)
            self._early.clear()
            self._target = target


def build_session(args: argparse.Namespace, routine: Routine, settings: SessionSettings,
                  progress: ProgressStore, now: float, say: Callable[[str], None]) -> Session:
    """A new session, or the saved one when --resume was asked and fits."""
    if args.resume:
        snapshot = progress.load()
        if snapshot and snapshot.get("routine") == routine.name:
            try:
                return Session.restore(routine, snapshot, now, settings)
            except (KeyError, TypeError, ValueError) as error:
                say(f"voicecoach: cannot resume ({error}); starting from the beginning")
        else:
            say("voicecoach: no unfinished session to resume; starting from the beginning")
    elif (saved := progress.load()) and saved.get("routine") == routine.name:
        say("voicecoach: an unfinished session was saved; `voicecoach run --resume` "
            "carries on from it")
    return Session(routine, now, settings)


def run_session(args: argparse.Namespace) -> int:
    """``voicecoach run``: a guided session with speech out, voice in and a front end."""
    from voicecoach.cli.main import routine_overrides
    from voicecoach.speech_out.profiles import load_voice

    routine = resolve_routine(args.routine, **routine_overrides(args))
    profile = load_voice(args.voice)
    log_dir = user_data_dir() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=log_dir / "voicecoach.log", level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    notices = Relay()
    if not args.no_tui:
        from voicecoach.frontends.stderr_redirect import redirect_c_stderr

        redirect_c_stderr(log_dir / "native-stderr.log")

    log = EventLog.open(args.log) if args.log else None
    captions = Relay()
    voice_events = Relay()
    audible = not args.mute and _output_available(notices)
    echo = _start_echo_cancel(args, notices) if audible else None
    speaker, activity = _build_speaker(args, profile, captions, notices, audible, echo)
    listener = None if args.no_listen else _build_listener(args, activity, voice_events, echo)

    clock = time.monotonic
    progress = ProgressStore()
    runner: SessionRunner | None = None
    try:
        session = build_session(args, routine,
                                SessionSettings(speech_seconds=profile.estimate_seconds),
                                progress, clock(), notices)
        runner = SessionRunner(session, speaker, clock, log=log, progress=progress,
                               history=History())
        if listener is not None:
            listener.start()
        if args.no_tui:
            return _run_terminal(runner, notices, captions, voice_events)
        return _run_tui(args, runner, notices, captions, voice_events, listener)
    finally:
        if listener is not None:
            listener.stop()
        if runner is None or runner.summary is None:
            speaker.silence()  # quit mid-session (Ctrl+Q, Ctrl-C): stop talking at once
        speaker.drain(timeout=5.0)  # let the closing line be heard
        speaker.close()
        if echo is not None:
            echo.close()
        if log:
            log.close()


def _output_available(notices: Relay) -> bool:
    """Whether there is a speaker to play to; says so when there is none."""
    from voicecoach.speech_out.output import output_available

    available, why = output_available()
    if not available:
        logger.warning("no audio output: %s", why)
        notices("No speaker found: showing captions only.")
    return available


def _build_speaker(args: argparse.Namespace, profile: Any, captions: Relay,
                   notices: Relay, audible: bool, echo: Any = None) -> tuple[Any, Any]:
    """The narrator, and the record of what it plays that the listener checks against.

    Only real playback feeds that record: captions make no sound the mic could hear.
    """
    from voicecoach.speech_in.selfhearing import SpeechActivity
    from voicecoach.speech_out.narrator import AudioNarrator, CaptionNarrator

    activity = SpeechActivity()
    if not audible:
        return CaptionNarrator(profile, print_fn=None, on_caption=captions), activity
    return AudioNarrator(profile, on_problem=notices, on_caption=captions,
                         on_line_start=activity.line_started,
                         on_line_end=activity.line_ended,
                         before_open=echo.ensure if echo is not None else None), activity


def _start_echo_cancel(args: argparse.Namespace, notices: Relay) -> Any:
    """The sound server's echo canceller, when the narrator speaks and the mic listens.

    Started before any audio stream opens: the streams pick their devices when they open.
    """
    if args.no_listen or args.no_echo_cancel:
        return None
    from voicecoach.speech_in.echo_cancel import EchoCanceller

    echo = EchoCanceller()
    status = echo.start()
    if not echo.active:
        notices(status)
    return echo if echo.active else None


def _build_listener(args: argparse.Namespace, activity: Any, events: Relay,
                    echo: Any = None) -> Any:
    from voicecoach.speech_in.listener import Listener, ListenerState
    from voicecoach.speech_in.models import ModelMissing, find_model

    try:
        model_path = find_model(args.model)
    except ModelMissing as missing:
        events(ListenerState("no-model", str(missing)))
        return None
    return Listener(model_path, on_event=events, activity=activity,
                    before_open=echo.ensure if echo is not None else None,
                    after_open=echo.adopt if echo is not None else None)


def _run_terminal(runner: SessionRunner, notices: Relay, captions: Relay,
                  voice_events: Relay) -> int:
    from voicecoach.frontends.terminal import TerminalFrontEnd

    notices.connect(lambda notice: print(f"voicecoach: {notice}", file=sys.stderr))
    front = TerminalFrontEnd(runner)
    captions.connect(lambda text: text and print(f"  \N{SPEAKING HEAD IN SILHOUETTE} {text}"))
    voice_events.connect(front.post_voice)
    return front.run()


def _run_tui(args: argparse.Namespace, runner: SessionRunner, notices: Relay,
             captions: Relay, voice_events: Relay, listener: Any) -> int:
    from voicecoach.frontends.tui.app import create_app
    from voicecoach.speech_in.listener import ListenerState

    state = ListenerState("off", "voice off: use the keys") if args.no_listen else None
    app = create_app(runner, clock=runner.clock, theme=args.theme, listener_state=state)
    # Connected once the app runs, so early events reach a live message loop.
    app.on_ready += [lambda: notices.connect(app.notices.append),
                     lambda: captions.connect(app.post_caption),
                     lambda: voice_events.connect(app.post_voice)]
    app.run()
    return app.return_code or 0

