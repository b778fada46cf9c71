"""Screenshots of the TUI in each state, at 80×24 and large, on a frozen fake clock.

Regenerate with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look at the
SVGs in tests/__snapshots__/ before accepting them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.fakes import FakeClock
from tests.support.tui_session import SnapCompare, advance_until, into_hold, make_app
from voicecoach.core.commands import Command
from voicecoach.core.session import PhaseKind
from voicecoach.frontends.tui import VoiceCoachApp
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.storage.progress import ProgressStore

SIZES = {"small": (80, 24), "large": (140, 40)}

Setup = Callable[[VoiceCoachApp, FakeClock, Any], Awaitable[None]]


async def start(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """Just started, the listener ready."""
    app.post_voice(Level(-42.0))


async def mid_hold(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """Twenty-odd seconds into the first hold, a command just heard."""
    advance_until(app, clock, into_hold, step=1.0)
    clock.advance(21)
    app.tick()
    app.post_voice(Level(-30.0))
    app.post_voice(Rejected("back pain", clock(), RejectReason.NOT_A_COMMAND))


async def mid_reps(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """Rep 7 of 10 of the hamstring glide."""
    advance_until(app, clock, lambda v: v.phase is PhaseKind.REPS and v.rep == 7, step=1.0)
    app.post_voice(Level(-25.0))


async def paused(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """Paused by voice in the middle of a hold."""
    advance_until(app, clock, into_hold, step=1.0)
    clock.advance(33)
    app.tick()
    app.post_voice(Heard(Command.PAUSE, "hold on", clock(), 0.93))
    await pilot.pause()
    assert app.runner.session.paused
    clock.advance(20)
    app.tick()


async def easier(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """Switched to the easier modification during a hold."""
    advance_until(app, clock, into_hold, step=1.0)
    clock.advance(5)
    app.tick()
    app.post_voice(Heard(Command.EASIER, "too much", clock(), 0.88))
    app.post_voice(Level(-48.0))
    await pilot.pause()
    assert app.runner.session.view().easier


async def no_microphone(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """No input device: the keys still work."""
    app.post_voice(ListenerStatus(ListenerState.NO_MICROPHONE, "no input device found"))
    advance_until(app, clock, into_hold, step=1.0)
    clock.advance(10)
    app.tick()


async def finished(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """The end: an exercise made easier, then one of its holds skipped."""
    app.key_command(Command.EASIER)
    advance_until(app, clock, into_hold, step=1.0)
    app.key_command(Command.NEXT)
    clock.advance(3600)
    app.tick()


STATES: dict[str, Setup] = {
    "start": start, "mid_hold": mid_hold, "mid_reps": mid_reps, "paused": paused,
    "easier": easier, "no_microphone": no_microphone, "finished": finished,
}


def prepared(setup: Setup, clock: FakeClock) -> Callable[[Any], Awaitable[None]]:
    """A snap_compare ``run_before`` that brings the running app into a state."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await setup(pilot.app, clock, pilot)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("state", STATES)
def test_state(snap_compare: SnapCompare, state: str, size: str) -> None:
    app, clock, _ = make_app(listener_status=ListenerStatus(ListenerState.LISTENING))
    assert snap_compare(app, terminal_size=SIZES[size],
                        run_before=prepared(STATES[state], clock))


@pytest.mark.parametrize("size", SIZES)
def test_high_contrast_mid_hold(snap_compare: SnapCompare, size: str) -> None:
    app, clock, _ = make_app(theme="high-contrast",
                             listener_status=ListenerStatus(ListenerState.LISTENING))
    assert snap_compare(app, terminal_size=SIZES[size], run_before=prepared(mid_hold, clock))


async def keys(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """"?" pressed: every key over the session, the spoken help captioned below."""
    await pilot.press("question_mark")


def test_keys_screen(snap_compare: SnapCompare) -> None:
    app, clock, _ = make_app(listener_status=ListenerStatus(ListenerState.LISTENING))
    assert snap_compare(app, terminal_size=SIZES["small"], run_before=prepared(keys, clock))


async def asking_stop(app: VoiceCoachApp, clock: FakeClock, pilot: Any) -> None:
    """q pressed mid-hold: the stop question over the session, paused behind it."""
    advance_until(app, clock, into_hold, step=1.0)
    clock.advance(21)
    app.tick()
    await pilot.press("q")


def test_stop_question(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, clock, _ = make_app(listener_status=ListenerStatus(ListenerState.LISTENING),
                             progress=ProgressStore(tmp_path))
    assert snap_compare(app, terminal_size=SIZES["small"],
                        run_before=prepared(asking_stop, clock))
