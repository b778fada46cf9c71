"""Builds a real session and app for the TUI tests: the built-in routine, a fake clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import PurePath
from typing import Any, Protocol, TypeVar

from textual.app import App
from textual.pilot import Pilot

from tests.support.fakes import FakeClock, RecordingSpeaker
from voicecoach.core.session import PhaseKind, Session, SessionView
from voicecoach.drivers.live import SessionRunner
from voicecoach.frontends.tui import VoiceCoachApp, create_app
from voicecoach.speech_in.events import ListenerStatus
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.routine_files import resolve_routine


def make_app(*, theme: str = "dark", listener_status: ListenerStatus | None = None,
             routine: str = "back-pain", opening_notices: tuple[str, ...] = (),
             progress: ProgressStore | None = None, spoken: bool = True,
             carry_on_saved: bool = False,
             ) -> tuple[VoiceCoachApp, FakeClock, RecordingSpeaker]:
    """A started session on the fake clock, its app, and the speaker (captions go to the
    app); ``progress``: where it saves its place (by default nowhere); ``spoken`` False:
    the lines are only shown, as with ``--mute``."""
    clock = FakeClock()
    speaker = RecordingSpeaker(audible=spoken)
    runner = SessionRunner(Session(resolve_routine(routine), clock()), speaker, clock,
                           progress=progress)
    app = create_app(runner, clock=clock, theme=theme, listener_status=listener_status,
                     opening_notices=opening_notices, carry_on_saved=carry_on_saved)
    speaker.on_caption = app.post_caption
    runner.start()
    return app, clock, speaker


def advance_until(app: VoiceCoachApp, clock: FakeClock,
                  done: Callable[[SessionView], bool], *, step: float = 0.5,
                  limit: float = 3600.0) -> SessionView:
    """Move the fake clock in small steps, ticking, until ``done(view)``."""
    waited = 0.0
    while not done(view := app.runner.session.view()):
        if waited >= limit:
            raise AssertionError(f"not reached in {limit} s; stuck at {view}")
        clock.advance(step)
        waited += step
        app.tick()
    return view


def into_hold(view: SessionView) -> bool:
    """The first hold has started."""
    return view.phase is PhaseKind.HOLD


ReturnType = TypeVar("ReturnType")


class SnapCompare(Protocol):
    """The ``snap_compare`` fixture of pytest-textual-snapshot: the function it returns
    (the plugin annotates it as taking only the app, leaving out the keyword arguments)."""

    def __call__(self, app: str | PurePath | App[Any], press: Iterable[str] = (),
                 terminal_size: tuple[int, int] = (80, 24),
                 run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
                 ) -> bool: ...


def screen_text(app: App[ReturnType]) -> str:
    """Everything on the terminal now, as plain text lines."""
    strips = app.screen._compositor.render_strips()  # the composed screen, modal included
    return "\n".join(strip.text for strip in strips)


async def shown_when_drawn(app: VoiceCoachApp, pilot: Pilot[None], *texts: str,
                           gone: bool = False) -> str:
    """The screen's text once every one of ``texts`` is on it (``gone``: once none is), as
    a machine may need more than one pause to draw a screen (a first app drew its
    heading a pause before its list of exercises); the screen as it is after a second, if
    that never comes."""
    for _ in range(20):
        await pilot.pause(0.05)
        shown = screen_text(app)
        if all((text in shown) is not gone for text in texts):
            break
    return screen_text(app)
