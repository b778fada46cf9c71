"""The pace keys in the TUI ("-" slower, "+" faster, "w" what's next, "l" how many left),
driven by Pilot on a fake clock, and the same commands by voice."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.fakes import FakeClock
from tests.support.tui_session import advance_until, make_app, screen_text
from voicecoach.core.commands import Command
from voicecoach.core.session import PhaseKind, SessionView
from voicecoach.frontends.tui import VoiceCoachApp
from voicecoach.speech_in.events import Heard

SIZE = (140, 40)


def in_reps(view: SessionView) -> bool:
    return view.phase is PhaseKind.REPS


def caption(app: VoiceCoachApp) -> str:
    return str(app.screen.query_one("#caption").render())


async def press_or_say(app: VoiceCoachApp, pilot: object, clock: FakeClock, by: str, key: str,
                       command: Command) -> None:
    """Press ``key``, or post ``command`` as heard, then let the app process it."""
    if by == "key":
        await pilot.press(key)  # type: ignore[attr-defined]
    else:
        app.post_voice(Heard(command, command.value, clock(), 0.9))
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("by", ["key", "voice"])
def test_slower_and_faster_change_the_count_and_are_said_back(by: str) -> None:
    async def run() -> None:
        app, clock, speaker = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            view = advance_until(app, clock, in_reps)
            assert (view.exercise_name, view.seconds_per_rep) == ("Active Hamstring Stretch", 3.0)
            await press_or_say(app, pilot, clock, by, "plus", Command.FASTER)
            assert speaker.texts[-1] == "A bit faster: two and a half seconds a rep."
            assert app.runner.session.view().seconds_per_rep == 2.5
            assert caption(app) == "“A bit faster: two and a half seconds a rep.”"
            await press_or_say(app, pilot, clock, by, "minus", Command.SLOWER)
            await press_or_say(app, pilot, clock, by, "minus", Command.SLOWER)
            assert speaker.texts[-1] == "A bit slower: three and a half seconds a rep."
            assert app.runner.session.view().seconds_per_rep == 3.5

    asyncio.run(run())


@pytest.mark.parametrize("by", ["key", "voice"])
def test_whats_next_and_how_many_left_are_said_without_moving(by: str) -> None:
    async def run() -> None:
        app, clock, speaker = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            advance_until(app, clock, in_reps)
            clock.advance(7.0)  # two reps at 3 s, the third under way
            app.tick()
            before = app.runner.session.view()
            await press_or_say(app, pilot, clock, by, "l", Command.HOW_MANY_LEFT)
            assert speaker.texts[-1] == "Eight reps to go."
            await press_or_say(app, pilot, clock, by, "w", Command.WHATS_NEXT)
            assert speaker.texts[-1] == (
                "After this, step four: If drawing your toes toward your face feels too intense,"
                " point them up at the ceiling instead.")
            after = app.runner.session.view()
            assert (after.segment_kind, after.side, after.rep) == (
                before.segment_kind, before.side, before.rep)

    asyncio.run(run())


def test_the_keys_screen_shows_the_pace_keys() -> None:
    async def run() -> None:
        app, _clock, _speaker = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            shown = screen_text(app)
            for key in ("-  slow down", "+  go faster", "w  what comes next",
                        "l  how many left"):
                assert key in shown, shown

    asyncio.run(run())
