"""The TUI driven by keys and by injected voice events, on a fake clock.

Every test checks the engine's state and what the screen shows.
"""

from __future__ import annotations

import asyncio
import functools
import re
import signal
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from tests.support.fakes import FakeClock
from tests.support.tui_session import (
    advance_until,
    into_hold,
    make_app,
    screen_text,
    shown_when_drawn,
)
from voicecoach.cli.resume import SAVED_BEFORE_WITH_KEY
from voicecoach.core.commands import PHRASES, Command
from voicecoach.core.session import ExerciseState, ExerciseStatus, PhaseKind, SegmentKind
from voicecoach.frontends.listener_words import listener_text
from voicecoach.frontends.tui import VoiceCoachApp
from voicecoach.frontends.tui.app import OBEYED_SHOWN_FOR
from voicecoach.frontends.tui.bigtext import BigText, render_lines
from voicecoach.frontends.tui.history import HistoryScreen
from voicecoach.frontends.tui.present import (
    OPTIONAL_HINTS,
    SPOKEN_HINTS,
    WAITING_FOR_NARRATOR,
    spoken_hints,
)
from voicecoach.frontends.tui.screens import ConfirmStop, KeysScreen, SummaryScreen, key_rows
from voicecoach.frontends.tui.widgets import ExerciseRow, HintBar, Meter, RoutineProgress
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.speech_in.listener import NO_MIC_HINT
from voicecoach.speech_out.speaker import SPEECH_BACK, SPEECH_LOST
from voicecoach.storage.progress import ProgressStore

SIZE = (100, 32)


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


def text_of(app: VoiceCoachApp, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector).render())


def heard(command: Command, text: str, clock: FakeClock) -> Heard:
    """A recognised phrase, as the listener thread would post it."""
    return Heard(command, text, clock(), 0.9)


async def send(app: VoiceCoachApp, pilot: Pilot[None], *, key: str | None = None,
               voice: Heard | Rejected | None = None) -> None:
    """Press ``key`` or post ``voice``, then let the app process it."""
    if key is not None:
        await pilot.press(key)
    if voice is not None:
        app.post_voice(voice)
    await pilot.pause()


@run_async
async def test_start_shows_exercise_step_and_routine() -> None:
    app, _clock, _speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        expected = ("Hip 90/90 Stretch — right side", "Introduction", "exercise 1 of 4",
                    "▶ Hip 90/90 Stretch", "· Adductor Rocks",
                    "Say: pause · resume · stop · next",
                    "“We'll start with your right side.”")  # the last: the caption
        shown = await shown_when_drawn(app, pilot, *expected)
        for text in expected:
            assert text in shown
        assert app.runner.session.view().segment_kind is SegmentKind.INTRO


@run_async
async def test_captions_only_the_counter_says_read_not_listen() -> None:
    app, clock, _speaker = make_app(spoken=False)
    async with app.run_test(size=SIZE) as pilot:
        advance_until(app, clock, lambda v: v.segment_kind is SegmentKind.STEP)
        await shown_when_drawn(app, pilot, "Step 1 of 6")
        assert text_of(app, "#phase-label") == "READ"


@pytest.mark.parametrize("by", ["key", "voice"])
@run_async
async def test_next_and_back(by: str) -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, **({"key": "n"} if by == "key"
                                  else {"voice": heard(Command.NEXT, "next", clock)}))
        view = app.runner.session.view()
        assert (view.segment_kind, view.step_number) == (SegmentKind.STEP, 1)
        assert text_of(app, "#step-label") == "Step 1 of 6  (A)"
        assert "fold your right leg in front of you" in text_of(app, "#step-text")
        await send(app, pilot, **({"key": "b"} if by == "key"
                                  else {"voice": heard(Command.BACK, "go back", clock)}))
        assert app.runner.session.view().segment_kind is SegmentKind.INTRO
        assert text_of(app, "#step-label") == "Introduction"


@pytest.mark.parametrize("by", ["key", "voice"])
@run_async
async def test_easier_shows_the_badge_and_harder_hides_it(by: str) -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)  # a step's text, which does not say it
        await pilot.pause()
        badge = app.screen.query_one("#easier-badge")
        assert not badge.display
        await send(app, pilot, **({"key": "e"} if by == "key"
                                  else {"voice": heard(Command.EASIER, "too much", clock)}))
        assert app.runner.session.view().easier
        assert badge.display
        assert "EASIER VERSION" in screen_text(app)
        assert "▶ Hip 90/90 Stretch  easier" in screen_text(app)
        assert any(line.startswith("Easier version:") for line in speaker.texts)
        summary = app.screen.query_one("#easier-summary", Static)
        assert summary.display  # in sight for the rest of the exercise, not said once only
        assert str(summary.render()) == ("Easier: " + app.runner.session.routine.exercises[0]
                                         .easier.summary)
        clock.advance(5)
        app.tick()
        await pilot.pause()
        assert summary.display and "Easier: Sit up on a folded towel" in screen_text(app)
        await send(app, pilot, **({"key": "h"} if by == "key"
                                  else {"voice": heard(Command.HARDER, "harder", clock)}))
        assert not app.runner.session.view().easier
        assert not badge.display and not summary.display
        assert "EASIER VERSION" not in screen_text(app)


@pytest.mark.parametrize("by", ["key", "voice"])
@run_async
async def test_repeat_reads_the_step_again(by: str) -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        step = app.runner.session.view().text
        clock.advance(3)
        app.tick()
        assert app.runner.session.view().phase_elapsed == pytest.approx(3)
        said = speaker.texts.count(step)
        await send(app, pilot, **({"key": "r"} if by == "key"
                                  else {"voice": heard(Command.REPEAT, "say again", clock)}))
        assert speaker.texts.count(step) == said + 1
        assert app.runner.session.view().phase_elapsed == 0.0
        assert step[:40] in text_of(app, "#caption")


@pytest.mark.parametrize("by", ["key", "voice"])
@run_async
async def test_done_ends_a_hold_early(by: str) -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = advance_until(app, clock, into_hold)
        await pilot.pause()
        assert text_of(app, "#phase-label") == "HOLD"
        assert view.step_number == 4
        await send(app, pilot, **({"key": "d"} if by == "key"
                                  else {"voice": heard(Command.DONE, "done", clock)}))
        view = app.runner.session.view()
        assert (view.step_number, view.phase) == (5, PhaseKind.READING)
        assert text_of(app, "#step-label") == "Step 5 of 6  (D)"


@pytest.mark.parametrize("by", ["key", "voice"])
@pytest.mark.parametrize(("key", "command", "opening"), [
    ("t", Command.TIME_LEFT, "About "),
    ("question_mark", Command.HELP, "You can say: "),
])
@run_async
async def test_time_left_and_help_are_said_and_captioned(by: str, key: str, command: Command,
                                                         opening: str) -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, **({"key": key} if by == "key"
                                  else {"voice": heard(command, command.value, clock)}))
        assert speaker.texts[-1].startswith(opening)
        assert app.session_screen is not None  # "?" shows the keys screen over it
        caption = str(app.session_screen.query_one("#caption").render())
        assert caption.startswith(f"“{opening}")


@pytest.mark.parametrize("by", ["key", "voice"])
@run_async
async def test_pause_freezes_the_timer_shown(by: str) -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)
        clock.advance(12.2)
        app.tick()
        await pilot.pause()
        timer = app.screen.query_one("#clock", BigText)
        assert timer.value == "0:48"
        remaining = app.runner.session.view().phase_remaining
        banner = app.screen.query_one("#paused-banner")
        assert not banner.display
        await send(app, pilot, **({"key": "space"} if by == "key"
                                  else {"voice": heard(Command.PAUSE, "hold on", clock)}))
        assert app.runner.session.paused
        assert banner.display
        assert "PAUSED — say “resume” or press space" in screen_text(app)
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].startswith("space resume ")  # the footer
        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert app.runner.session.view().phase_remaining == remaining
        assert timer.value == "0:48"
        await send(app, pilot, **({"key": "space"} if by == "key"
                                  else {"voice": heard(Command.RESUME, "keep going", clock)}))
        assert not app.runner.session.paused
        assert not banner.display
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].startswith("space pause ")
        clock.advance(5)
        app.tick()
        await pilot.pause()
        assert timer.value == "0:43"


@run_async
async def test_reps_show_the_count() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = advance_until(app, clock, lambda v: v.phase is PhaseKind.REPS and v.rep == 7)
        await pilot.pause()
        assert view.exercise_name == "Active Hamstring Stretch"
        assert text_of(app, "#phase-label") == "REPS"
        assert app.screen.query_one("#clock", BigText).value == "7/10"
        assert app.screen.query_one("#phase-bar", Meter).fraction == pytest.approx(0.6, abs=0.02)
        assert "✓ Hip 90/90 Stretch" in screen_text(app)


class RoutineOnly(App[None]):
    """The routine list alone, to draw it before its rows are mounted."""

    def compose(self) -> ComposeResult:
        yield RoutineProgress()


@run_async
async def test_the_routine_list_shows_the_latest_state_even_before_its_rows_are_ready() -> None:
    first = (ExerciseStatus("Hip 90/90 Stretch", ExerciseState.CURRENT, False),
             ExerciseStatus("Adductor Rocks", ExerciseState.UPCOMING, False))
    later = (ExerciseStatus("Hip 90/90 Stretch", ExerciseState.DONE, False),
             ExerciseStatus("Adductor Rocks", ExerciseState.CURRENT, True))
    app = RoutineOnly()
    async with app.run_test(size=SIZE) as pilot:
        routine = app.query_one(RoutineProgress)
        routine.show(first)
        routine.show(later)  # the rows of the first call are not composed yet
        await pilot.pause()
        rows = [(str(row.query_one(".mark", Static).render()),
                 str(row.query_one(".name", Static).render()))
                for row in routine.query(ExerciseRow)]
        assert rows == [("✓", "Hip 90/90 Stretch"), ("▶", "Adductor Rocks  easier")]


async def hold_clock_after(pilot: Pilot[None], app: VoiceCoachApp, clock: FakeClock,
                           seconds: float) -> BigText:
    """Into the first hold and ``seconds`` on: the hold's clock on the session screen."""
    await pilot.pause()
    advance_until(app, clock, into_hold)
    clock.advance(seconds)
    app.tick()
    await pilot.pause()
    assert app.session_screen is not None
    return app.session_screen.query_one("#clock", BigText)


@pytest.mark.parametrize("answer", ["n", "escape"])
@run_async
async def test_q_pauses_while_it_asks_and_carrying_on_resumes(answer: str) -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        timer = await hold_clock_after(pilot, app, clock, 12.2)
        assert timer.value == "0:48"
        silences = speaker.silences
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        shown = screen_text(app)
        for line in ("Stop the session?", "Your place is not kept.",
                     "y or q = stop · n, space = carry on"):
            assert line in shown, (line, shown)  # whole, on one line, at 80 columns
        assert "Ctrl+Q" not in shown  # this session saves no place: Ctrl+Q keeps none
        # Paused as space pauses: the narrator cut off and told.
        assert app.runner.session.paused and not app.runner.session.finished
        assert speaker.silences == silences + 1
        assert speaker.texts[-1] == "Paused. Take your time."
        remaining = app.runner.session.view().phase_remaining
        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert app.runner.session.view().phase_remaining == remaining
        assert timer.value == "0:48"
        await pilot.press(answer)
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmStop)
        assert "Stop the session?" not in screen_text(app)
        assert not app.runner.session.finished and not app.runner.session.paused
        clock.advance(5)
        app.tick()
        await pilot.pause()
        assert timer.value == "0:43"


@run_async
async def test_q_twice_stops_and_the_count_stands_still_while_it_asks() -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, lambda v: v.phase is PhaseKind.REPS and v.rep == 7)
        await pilot.pause()
        active = app.runner.session.summary().active_seconds
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        clock.advance(20)
        app.tick()
        await pilot.pause()
        assert app.runner.session.view().rep == 7
        assert app.session_screen is not None
        assert app.session_screen.query_one("#clock", BigText).value == "7/10"
        await pilot.press("q")
        await pilot.pause()
        assert app.runner.session.finished and app.runner.session.view().stopped
        assert "Stopping here. Well done for what you did." in speaker.texts
        assert isinstance(app.screen, SummaryScreen)
        assert app.runner.summary is not None
        assert app.runner.summary.active_seconds == pytest.approx(active)  # the wait not counted


@pytest.mark.parametrize("key", ["n", "space"])  # space: the banner behind says "space"
@run_async
async def test_carrying_on_leaves_a_session_paused_before_the_question_paused(
        key: str) -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)
        await pilot.press("space")
        await pilot.pause()
        assert app.runner.session.paused
        said = list(speaker.texts)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        assert speaker.texts == said  # not paused twice
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmStop)
        assert app.runner.session.paused and not app.runner.session.finished
        assert speaker.texts == said
        assert app.screen.query_one("#paused-banner").display


@pytest.mark.parametrize(("command", "text", "paused"), [
    (Command.PAUSE, "hold on", True), (Command.RESUME, "keep going", False)])
@run_async
async def test_a_spoken_pause_or_resume_answers_the_question_and_holds(
        command: Command, text: str, paused: bool) -> None:
    """The question closes (it had stayed open over a session a spoken "resume" had set
    going, its footer saying "space resume"), and the spoken word decides."""
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmStop)
        await send(app, pilot, voice=heard(command, text, clock))
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmStop)
        assert app.runner.session.paused is paused
        assert app.runner.session.view().phase is PhaseKind.HOLD  # nothing else moved


@run_async
async def test_any_other_spoken_command_answers_the_question_and_is_obeyed() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)
        await pilot.press("q")
        await send(app, pilot, voice=heard(Command.EASIER, "easier", clock))
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmStop)
        assert app.runner.session.view().easier
        assert not app.runner.session.paused  # carried on, as "n" would


@run_async
async def test_spoken_commands_show_the_keys_and_the_next_command_closes_them() -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, voice=heard(Command.HELP, "commands", clock))
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)  # as ? shows them
        assert any(text.startswith("You can say") for text in speaker.texts)
        await send(app, pilot, voice=heard(Command.NEXT, "next", clock))
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)


@run_async
async def test_the_question_says_the_place_is_lost_only_once_one_is_saved(
        tmp_path: Path) -> None:
    progress = ProgressStore(tmp_path)
    app, _clock, _ = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")  # before the first step: a stop clears no saved place
        await pilot.pause()
        shown = screen_text(app)
        assert "Stop the session?" in shown and "Ctrl+Q = quit and keep your place" in shown
        assert "not kept" not in shown
        await pilot.press("n")
        await pilot.press("n")  # the first step: its place is saved
        await pilot.pause()
        assert progress.load("back-pain") is not None
        await pilot.press("q")
        await pilot.pause()
        assert "Your place is not kept." in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.runner.session.finished
        assert progress.load("back-pain") is None


@run_async
async def test_q_then_y_stops_and_shows_the_summary() -> None:
    app, _clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        assert not app.runner.session.finished
        await pilot.press("y")
        await pilot.pause()
        assert app.runner.session.finished and app.runner.session.view().stopped
        assert "Stopping here." in speaker.texts  # no praise: nothing was done yet
        assert isinstance(app.screen, SummaryScreen)
        assert "Stopped early" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_voice_stop_stops_without_asking() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, voice=heard(Command.STOP, "that hurts", clock))
        await pilot.pause()
        assert app.runner.session.finished
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, ConfirmStop) for s in app.screen_stack)


@run_async
async def test_voice_stop_while_the_question_is_open_stops() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await send(app, pilot, voice=heard(Command.STOP, "stop", clock))
        await pilot.pause()
        assert app.runner.session.finished
        assert isinstance(app.screen, SummaryScreen)
        assert not any(isinstance(s, ConfirmStop) for s in app.screen_stack)


@run_async
async def test_rejected_phrase_is_shown_dimmed() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, voice=heard(Command.EASIER, "easier", clock))
        line = app.screen.query_one("#heard")
        assert "heard: easier ✓" in screen_text(app)
        accepted = line.styles.color
        await send(app, pilot, voice=Rejected("done", clock(), RejectReason.NOT_A_COMMAND))
        assert "heard: easier ✓" in screen_text(app)  # the command obeyed stays a while
        clock.advance(OBEYED_SHOWN_FOR)
        await send(app, pilot, voice=Rejected("four", clock(), RejectReason.NARRATOR_SAID_IT))
        assert "heard: easier ✓" in screen_text(app)  # the narrator's words: never
        await send(app, pilot, voice=Rejected("back pain", clock(), RejectReason.NOT_A_COMMAND))
        assert "heard: back pain?" in screen_text(app)
        assert "heard: easier" not in screen_text(app)
        assert line.has_class("-rejected")
        assert line.styles.color != accepted
        assert line.styles.text_style.italic
        await send(app, pilot, voice=Rejected("next", clock(), RejectReason.FAINT))
        assert "heard: next? too faint" in screen_text(app)
        assert app.runner.session.view().easier  # nothing else happened


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@run_async
async def test_a_near_miss_says_in_the_panel_what_to_say(size: tuple[int, int]) -> None:
    """ "what next" is no command: under it, on a line of its own that the panel's width
    never breaks, the words that are one, not dimmed as what was heard is."""
    app, clock, _ = make_app(listener_status=ListenerStatus(ListenerState.LISTENING))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await send(app, pilot, voice=Rejected("what next", clock(), RejectReason.NOT_A_COMMAND))
        shown = await shown_when_drawn(app, pilot, "say “what comes next”")
        assert re.search(r"│ heard: what next\? *\n.*│ say “what comes next” *$", shown,
                         re.M), shown
        line = app.screen.query_one("#heard", Static)
        assert line.has_class("-rejected") and line.styles.text_style.italic
        content = line.render()
        assert isinstance(content, Content)
        hint = content.plain.index("say")
        assert [span.style for span in content.spans if span.start == hint] == [
            "not italic $foreground"]
        assert app.runner.session.view().segment_kind is SegmentKind.INTRO  # nothing done


@run_async
async def test_listener_level_and_states() -> None:
    app, _clock, _ = make_app(listener_status=ListenerStatus(ListenerState.LISTENING))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert text_of(app, "#listener-state") == "listening"
        app.post_voice(Level(-20.0))
        await pilot.pause()
        assert app.screen.query_one("#mic-level", Meter).fraction == pytest.approx(2 / 3)
        app.post_voice(ListenerStatus(ListenerState.IGNORING, "narrator speaking"))
        await pilot.pause()
        assert "coach speaking: stop or pause" in screen_text(app)
        app.post_voice(ListenerStatus(ListenerState.NO_MICROPHONE, "no input device"))
        await pilot.pause()
        assert text_of(app, "#listener-state") == "no microphone: no input device — use the keys"
        assert app.screen.query_one("#mic-level", Meter).fraction == 0.0


@run_async
async def test_with_voice_off_the_screen_offers_only_keys() -> None:
    app, _clock, _ = make_app(listener_status=ListenerStatus(ListenerState.OFF,
                                                             "voice off: use the keys"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(HintBar).display
        await send(app, pilot, key="space")
        assert app.runner.session.paused
        text = screen_text(app)
        assert "PAUSED — press space to carry on" in text
        assert "say “resume”" not in text and "Say:" not in text


@run_async
async def test_without_a_microphone_the_screen_offers_keys_until_one_turns_up() -> None:
    app, _clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.post_voice(ListenerStatus(ListenerState.NO_MICROPHONE, "no input device"))
        await pilot.pause()
        assert not app.screen.query_one(HintBar).display
        await send(app, pilot, key="space")
        text = screen_text(app)
        assert "PAUSED — press space to carry on" in text and "say “resume”" not in text
        said = list(speaker.texts)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert speaker.texts == said  # "You can say: …" would not be heard
        assert "say the words" not in screen_text(app)
        await pilot.press("escape")
        app.post_voice(ListenerStatus(ListenerState.LISTENING))
        await pilot.pause()
        assert app.screen.query_one(HintBar).display
        assert "say “resume”" in screen_text(app)


@run_async
async def test_the_listeners_own_hint_to_use_the_keys_is_not_said_twice() -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert text_of(app, "#listener-state") == "starting…"
        detail = f"the audio input stopped: {NO_MIC_HINT}"
        app.post_voice(ListenerStatus(ListenerState.NO_MICROPHONE, detail))
        await pilot.pause()
        assert text_of(app, "#listener-state") == f"no microphone: {detail}"
        assert text_of(app, "#listener-state").count("use the keys") == 1
        app.post_voice(ListenerStatus(ListenerState.NO_MODEL, "no Vosk speech model"))
        await pilot.pause()
        assert text_of(app, "#listener-state") == (
            "no speech model: no Vosk speech model — use the keys")


@run_async
async def test_events_from_other_threads_arrive() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def listener_thread() -> None:
            app.post_caption("Breathe slowly.")
            app.post_voice(Heard(Command.NEXT, "next", clock(), 0.8))

        worker = threading.Thread(target=listener_thread)
        worker.start()
        worker.join()
        await pilot.pause()
        await pilot.pause()
        assert app.runner.session.view().step_number == 1
        assert "heard: next ✓" in screen_text(app)
        app.post_caption(None)
        await pilot.pause()
        assert text_of(app, "#caption") == ""


@run_async
async def test_the_interval_timer_ticks_the_session() -> None:
    app, clock, _ = make_app()
    app.tick_interval = 0.02
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.advance(4)
        for _ in range(100):  # the timer fires every 0.02 s; a loaded machine is slower
            await pilot.pause(0.02)
            if app.runner.session.view().phase_elapsed == pytest.approx(4):
                break
        assert app.runner.session.view().phase_elapsed == pytest.approx(4)


@run_async
async def test_finished_summary_then_exit() -> None:
    app, clock, speaker = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        advance_until(app, clock, into_hold)
        await pilot.press("n")
        clock.advance(3600)
        app.tick()
        await pilot.pause()
        assert app.runner.session.finished and not app.runner.session.view().stopped
        assert isinstance(app.screen, SummaryScreen)
        shown = screen_text(app)
        assert "The end of the routine — 3 of 4 done, well done for those" in shown
        assert "Well done!" not in shown  # one exercise skipped: not the whole routine
        assert re.search(r"Easier +none", shown)  # switched to it, then skipped: not done
        # the left side's hold ran out: partly done
        assert re.search(r"Skipped +Hip 90/90 Stretch \(partly done, made easier\)", shown)
        assert re.search(r"Done +Active Hamstring Stretch, Adductor Rocks", shown)
        assert "Adductor Rocks" in shown
        assert "That's the end of the routine. Well done for what you did." in speaker.texts
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_notices_from_the_cli_are_shown() -> None:
    app, _clock, _ = make_app()
    app.notices = ["voicecoach: no audio output (no sound card); showing captions only"]
    notice = "no audio output (no sound card); showing captions only"
    async with app.run_test(size=SIZE) as pilot:
        assert notice in await shown_when_drawn(app, pilot, notice)


LONG_NOTICES = ["No speaker found: showing captions only.",
                "an unfinished session was saved; quit now (Ctrl+Q) and add --resume to carry "
                "on from it; this new session takes its place once it moves on a step"]


@run_async
async def test_at_20_by_10_the_notices_leave_the_counter_in_view() -> None:
    app, clock, _ = make_app()
    app.notices = list(LONG_NOTICES)
    async with app.run_test(size=(20, 10)) as pilot:
        await pilot.pause()
        advance_until(app, clock, into_hold)
        await pilot.pause()
        shown = screen_text(app).splitlines()
        clock_widget = app.screen.query_one("#clock", BigText)
        digits = render_lines(clock_widget.value, 1)
        assert clock_widget.value and len(digits) == 3
        at = next(i for i, line in enumerate(shown) if digits[0].strip() in line)
        assert [line.strip() for line in shown[at:at + 3]] == [d.strip() for d in digits], shown
        assert "HOLD" in shown[at - 1]
        notices = [line for line in shown if "unfinished" in line or "speaker" in line]
        assert notices == [" an unfinished ses… "], shown  # the newest, one line


@run_async
async def test_notices_are_capped_newest_first() -> None:
    app, _clock, _ = make_app()
    app.notices = [f"notice number {n}" for n in range(1, 8)]
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await shown_when_drawn(app, pilot, "notice number 7")
        assert "notice number 7" in shown and "notice number 3" in shown
        assert "notice number 2" not in shown
        assert shown.index("notice number 7") < shown.index("notice number 3")


SAVED = ("an unfinished session was saved: to carry on from it, quit now and run again with "
         "--resume (this new session takes its place once it moves on a step)")
NO_SPEAKER = ("No speaker found: showing captions until one is there. To fix: connect a sound "
              "card or run PulseAudio/PipeWire (with libasound2-plugins for ALSA) to hear the "
              "coach")


@run_async
async def test_what_the_start_said_of_the_saved_session_stays_in_sight_until_a_step() -> None:
    """A long device notice that comes later never pushes it out; once the session moves
    on, its advice ("quit now") is past, and it goes."""
    app, _clock, _ = make_app(opening_notices=(SAVED,))
    app.notices = [NO_SPEAKER, NO_SPEAKER.replace("Error", "error")]
    async with app.run_test(size=(80, 24)) as pilot:
        lines = (await shown_when_drawn(app, pilot, "No speaker found")).splitlines()
        assert lines[1].strip().startswith("an unfinished session was saved: to carry on")
        assert "--resume" in lines[2]
        assert sum("No speaker found" in line for line in lines) == 1
        await pilot.press("n")
        assert "unfinished" not in await shown_when_drawn(app, pilot, "unfinished", gone=True)
        await pilot.press("b")  # back where it started: the advice is still past
        await pilot.pause()
        assert app.runner.session.snapshot().segment == 0
        assert "unfinished" not in await shown_when_drawn(app, pilot, "unfinished", gone=True)


@run_async
async def test_on_a_small_screen_the_saved_session_comes_before_the_microphone() -> None:
    """40x12: one notice line, and the choice to make now (quit and resume) is it, not the
    missing microphone's line, which comes back once the session moves on."""
    app, _clock, _ = make_app(opening_notices=(SAVED,))
    async with app.run_test(size=(40, 12)) as pilot:
        app.post_voice(ListenerStatus(ListenerState.NO_MICROPHONE, "no input device"))
        lines = (await shown_when_drawn(app, pilot, "an unfinished session")).splitlines()
        assert "no microphone" not in "\n".join(lines)
        await pilot.press("n")
        assert "no microphone" in await shown_when_drawn(app, pilot, "no microphone")


@run_async
async def test_c_closes_the_app_to_carry_on_from_the_saved_session_until_a_step() -> None:
    app, _clock, _ = make_app(opening_notices=(SAVED_BEFORE_WITH_KEY,), carry_on_saved=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_when_drawn(app, pilot, "to carry on from it")
        await pilot.press("c")
        await pilot.pause()
    assert app.carried_on and app.return_code == 0

    app, _clock, _ = make_app(opening_notices=(SAVED_BEFORE_WITH_KEY,), carry_on_saved=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")  # moved on: its place is saved over the other's
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running and not app.carried_on


@run_async
async def test_a_spoken_continue_carries_on_from_the_saved_session_while_it_is_offered(
        ) -> None:
    """Hands-free, as c: "continue" (a resume phrase) while the new session runs; paused,
    it resumes the new session as ever."""
    app, clock, _ = make_app(opening_notices=(SAVED_BEFORE_WITH_KEY,), carry_on_saved=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_when_drawn(app, pilot, "say “continue” to carry on from it")
        app.post_voice(Heard(Command.RESUME, "continue", clock(), 0.8))
        await pilot.pause()
    assert app.carried_on and app.return_code == 0

    app, clock, _ = make_app(opening_notices=(SAVED_BEFORE_WITH_KEY,), carry_on_saved=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        app.post_voice(Heard(Command.RESUME, "continue", clock(), 0.8))
        await pilot.pause()
        assert app.is_running and not app.carried_on and not app.runner.session.paused


@run_async
async def test_the_exercise_in_progress_stays_current_after_a_skip() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(app, pilot, voice=heard(Command.NEXT, "skip", clock))
        await send(app, pilot, voice=heard(Command.NEXT, "skip", clock))
        assert app.runner.session.view().exercises[0].state == "current"
        assert "▶ Hip 90/90 Stretch" in screen_text(app)
        assert "✗" not in screen_text(app)


def footer_labels(app: VoiceCoachApp) -> list[tuple[str, int]]:
    """Each footer entry as "key label", with the column just past its end."""
    keys = app.screen.query_one(Footer).query(FooterKey)
    return [(f"{key.key_display} {key.description}", key.region.right) for key in keys]


@pytest.mark.parametrize("finished", [False, True])
@run_async
async def test_at_80_columns_every_footer_label_is_whole(finished: bool) -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if finished:
            clock.advance(3600)
            app.tick()
            await pilot.pause()
        labels = footer_labels(app)
        footer = screen_text(app).splitlines()[-1]
        assert labels
        for label, right in labels:
            assert right <= 80 and label in footer, (label, footer)


@run_async
async def test_the_summary_footer_names_the_history_key() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(3600)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "H history" in screen_text(app).splitlines()[-1]


def say_line(app: VoiceCoachApp) -> str:
    """The "Say:" hints as one string."""
    return str(app.screen.query_one("#hints").render())


@pytest.mark.parametrize(("size", "pace_shown"), [((140, 40), True), ((80, 24), False)])
@run_async
async def test_the_say_line_names_the_pace_commands_when_they_fit(
        size: tuple[int, int], pace_shown: bool) -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        said = say_line(app)
        assert said.startswith("Say: pause")
        assert ("slow down" in said and "go faster" in said) is pace_shown, said
        for command in set(SPOKEN_HINTS) - set(OPTIONAL_HINTS):
            assert PHRASES[command][0] in said, said
        assert "\n" not in said.strip()


@run_async
async def test_a_say_line_too_long_for_one_row_wraps_between_phrases() -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(HintBar).region
        lines = screen_text(app).splitlines()[bar.y:bar.bottom]
        said = [line[bar.x:bar.right].strip() for line in lines if line.strip()]
        assert len(said) > 1, said  # it does not fit on one row at 60 columns
        words = " ".join(said)
        for command in set(SPOKEN_HINTS) - set(OPTIONAL_HINTS):
            assert PHRASES[command][0] in words, said  # never cut inside a phrase
        assert all(not row.startswith("·") for row in said), said


def test_the_say_hints_keep_the_order_and_drop_the_optional_last_first() -> None:
    words, separator = spoken_hints(200)
    assert words == [PHRASES[command][0] for command in SPOKEN_HINTS]
    assert separator == " · "
    assert words.index("stop") < words.index("next") and words[-1] == "commands"
    three, separator = spoken_hints(139)
    assert "what comes next" in three and "how many left" not in three and separator == " · "
    assert spoken_hints(103) == (spoken_hints(97)[0], " · ")  # no tighter for the optional
    assert spoken_hints(10)[0] == spoken_hints(78)[0]  # the others never drop


@run_async
async def test_question_mark_says_the_commands_and_shows_every_key() -> None:
    app, _clock, speaker = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert speaker.texts[-1].startswith("You can say: ")
        shown = screen_text(app)
        assert "Keys — or say the words" in shown
        # Each key with the words to say for it: never a word that is not a command.
        for key, label in [("space", "pause · resume"), ("q", "stop"), ("t", "time left"),
                           ("-", "slow down"), ("+", "go faster"), ("w", "what comes next"),
                           ("l", "how many left"), ("?", "commands"),
                           ("H", "history \\(a key only\\)"),
                           ("Ctrl+Q", "quit, place kept \\(a key only\\)")]:
            assert re.search(rf"(^|\s){re.escape(key)}  {label}", shown, re.M), (key, shown)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)


@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
@run_async
async def test_on_a_small_screen_the_keys_screen_cuts_no_label(size: tuple[int, int]) -> None:
    """Side by side without "(a key only)" where that fits (60 columns), else one list that
    scrolls (40x12): never a label cut at the right edge."""
    app, _clock, _ = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        shown = screen_text(app)
        footer, others = key_rows(voice=True, terse=True)
        rows = footer + others
        seen = [label for key, label in rows
                if re.search(rf"(^|\s){re.escape(key)}  {re.escape(label)}(\s|$)", shown, re.M)]
        if size == (60, 20):
            assert seen == [label for _, label in rows], shown
        else:
            assert seen == [label for _, label in rows[:len(seen)]] and len(seen) >= 8, shown
            box = app.screen.query_one("#keys-box").region
            assert box.right <= size[0]
        assert "(a key only)" not in shown


@run_async
async def test_at_40x14_the_arrow_keys_scroll_the_keys_screen_to_its_last_keys() -> None:
    """Its last rows (w, l, H, Ctrl+Q) were cut, and every key closed the screen: now the
    border says how to see them, ↑↓, page and home/end keys scroll, other keys still act."""
    app, _clock, _ = make_app()
    async with app.run_test(size=(40, 14)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        footer, others = key_rows(voice=True, terse=True)
        rows = footer + others

        def seen() -> list[str]:
            return [label for key, label in rows if re.search(
                rf"(^|\s){re.escape(key)}  {re.escape(label)}(\s|$)", screen_text(app), re.M)]

        shown = screen_text(app)
        assert "Ctrl+Q" not in shown and "Keys — or say the words · ↑↓ more" in shown
        assert "press a key to use it · esc closes" in shown
        await pilot.press("end")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert seen()[-4:] == ["what comes next", "how many left", "history",
                               "quit, place kept"], screen_text(app)
        await pilot.press("home", "down")
        await pilot.pause()
        assert seen()[0] == "next"  # one row down from the top
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert seen()[-1] == "quit, place kept"
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)
        assert app.runner.session.view().step_number == 1


@run_async
async def test_where_the_keys_screen_shows_every_key_an_arrow_key_closes_it() -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert "↑↓" not in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)


@run_async
async def test_without_voice_the_question_mark_shows_the_keys_and_says_nothing() -> None:
    app, _clock, speaker = make_app(listener_status=ListenerStatus(ListenerState.OFF))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = list(speaker.texts)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert speaker.texts == said  # no "You can say: …"
        shown = screen_text(app)
        assert "say the words" not in shown
        for key, label in [("space", "pause"), ("t", "time left"), ("-", "slow down"),
                           ("?", "commands"), ("H", "history"),
                           ("Ctrl+Q", "quit, place kept")]:
            assert re.search(rf"(^|\s){re.escape(key)}  {label}\s", shown, re.M), (key, shown)


@run_async
async def test_a_key_on_the_keys_screen_closes_it_and_does_what_it_does() -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)
        assert app.runner.session.view().step_number == 1
        await pilot.press("question_mark")
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


@run_async
async def test_a_small_terminal_still_shows_a_missing_model_and_every_stop_key() -> None:
    app, _clock, _ = make_app(listener_status=ListenerStatus(
        ListenerState.NO_MODEL, "no Vosk speech model at /nowhere"))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "no speech model: no Vosk speech model" in shown  # the side panel is gone
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        for key, label in [("space", "pause"), ("q", "stop"), ("d", "done"),
                           ("?", "commands")]:
            assert re.search(rf"(^|\s){re.escape(key)}  {label}", shown, re.M), (key, shown)
        assert "press a key to use it" in shown
    app, _clock, _ = make_app(listener_status=ListenerStatus(
        ListenerState.NO_MODEL, "no Vosk speech model at /nowhere"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notices = app.screen.query_one("#notices")
        assert not notices.display, "with the side panel in view it is said there only"


@run_async
async def test_a_signal_it_quits_on_ends_it_as_ctrl_q_does() -> None:
    app, _clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.quit_on(signal.SIGTERM)
        signal.raise_signal(signal.SIGTERM)  # handled in the app's event loop
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.02)
    assert app.return_code == 128 + signal.SIGTERM
    assert not app.runner.finished  # quit mid-session: nothing stopped or counted


@run_async
async def test_the_roomy_layout_follows_the_size_the_terminal_has_now() -> None:
    """Not the size before the last resize: a big terminal shows big text at once."""
    app, _clock, _speaker = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.has_class("-large")
        for size, large in (((160, 50), True), ((100, 30), False), ((160, 50), True)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.has_class("-large") is large, size


@run_async
async def test_ctrl_c_leaves_as_ctrl_q_does_keeping_the_place(tmp_path: Path) -> None:
    """Not Textual's "press ctrl+q to quit" note over the caption, the session running."""
    progress = ProgressStore(tmp_path)
    app, _clock, _speaker = make_app(progress=progress)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")  # the first step: its place is saved
        await pilot.pause()
        saved = progress.load("back-pain")
        assert saved is not None
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.runner.session.finished  # left, not stopped
    assert app.return_code == 0
    assert progress.load("back-pain") == saved  # the place is kept, as Ctrl+Q keeps it


@run_async
async def test_at_fifty_columns_the_exercise_and_the_time_left_are_whole() -> None:
    """The routine's side column gives way below 60 columns: beside it the title and the
    header were cut ("Hip 90/90 Stretch — ri…")."""
    app, _clock, _speaker = make_app()
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "Hip 90/90 Stretch — right side" in shown
        assert "min left" in shown
        assert "ROUTINE" not in shown


@run_async
async def test_speech_back_takes_the_place_of_speech_lost_among_the_notices() -> None:
    """They had piled up: "speech lost" stayed on screen under "speech is back"."""
    app, clock, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for notice in (SPEECH_LOST, SPEECH_BACK, SPEECH_LOST, SPEECH_BACK):
            app.add_notice(notice)
        clock.advance(0.2)
        app.tick()
        await pilot.pause()
        shown = screen_text(app)
        assert shown.count("speech is back") == 1 and "speech lost" not in shown
        app.add_notice(SPEECH_LOST)
        clock.advance(0.2)
        app.tick()
        await pilot.pause()
        shown = screen_text(app)
        assert "speech lost" in shown and "speech is back" not in shown


def shown_in(app: VoiceCoachApp, selector: str) -> list[str]:
    """The screen's lines where the widget ``selector`` is drawn, as they show."""
    region = app.screen.query_one(selector).region
    lines = screen_text(app).splitlines()[region.y:region.bottom]
    return [line[region.x:region.right].rstrip() for line in lines]


async def easier_in_a_hold(app: VoiceCoachApp, clock: FakeClock, pilot: Pilot[None]) -> None:
    """Five seconds into the first hold, then e."""
    await pilot.pause()
    advance_until(app, clock, into_hold)
    clock.advance(5)
    app.tick()
    await pilot.press("e")
    await shown_when_drawn(app, pilot, " EASIER ")


@run_async
async def test_at_60x20_the_easier_badge_shortens_and_the_title_keeps_to_two_lines() -> None:
    """ "EASIER VERSION" beside "Hip 90/90 Stretch — right side" wrapped it to three."""
    app, clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await easier_in_a_hold(app, clock, pilot)
        title = shown_in(app, "#title-row")
        assert len(title) == 2 and title[0].rstrip().endswith("EASIER"), title
        assert "EASIER VERSION" not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await shown_when_drawn(app, pilot, "EASIER VERSION")
        title = shown_in(app, "#title-row")
        assert title[0].strip().startswith("Hip 90/90 Stretch — right side"), title


@run_async
async def test_at_60x20_the_clock_stays_whole_when_the_easier_version_comes_in() -> None:
    """The step's text and the easier version's give way (a line each, ending with "…"):
    they had pushed the counter down until only the top 2 of its 5 rows showed."""
    app, clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await easier_in_a_hold(app, clock, pilot)
        timer = app.screen.query_one("#clock", BigText)
        assert timer.value == "0:55" and timer.region.height == 5
        digits = [line.strip() for line in render_lines(timer.value, 2)]
        assert [line.strip() for line in shown_in(app, "#clock")] == digits
        assert shown_in(app, "#phase-label")[0].strip() == "HOLD"
        step, summary = shown_in(app, "#step-text"), shown_in(app, "#easier-summary")
        assert step and summary and step[-1].endswith("…") and summary[-1].endswith("…")
        assert summary[0].strip().startswith("Easier: Sit up")


@run_async
async def test_at_60x20_a_step_cut_short_ends_with_an_ellipsis_after_a_whole_word() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await easier_in_a_hold(app, clock, pilot)
        await pilot.press("h")  # back to the step alone, the caption still long
        await shown_when_drawn(app, pilot, "EASIER VERSION", gone=True)
        step = app.runner.session.view().text
        lines = [line.strip() for line in shown_in(app, "#step-text") if line.strip()]
        assert len(lines) > 1 and lines[-1].endswith("…"), lines
        shown = " ".join(lines).removesuffix("…")
        assert step.startswith(shown) and step[len(shown)] in " ,.", (shown, step)


@run_async
async def test_at_60x20_the_footer_shows_only_the_keys_that_fit_whole() -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        keys = app.screen.query_one(Footer).query(FooterKey)
        shown = [f"{key.key_display} {key.description}" for key in keys if key.display]
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip() == " ".join(shown), footer  # no "h harde"
        assert shown[:3] == ["space pause", "q stop", "? commands"]
        assert "d done" not in shown
        advance_until(app, clock, into_hold)
        await pilot.press("d")  # a key left out works all the same
        await pilot.pause()
        assert app.runner.session.view().phase is PhaseKind.READING


@run_async
async def test_at_60x20_the_summary_shows_every_row_and_how_to_leave_without_a_scrollbar(
        ) -> None:
    app, clock, _ = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.key_command(Command.EASIER)
        advance_until(app, clock, into_hold)
        app.key_command(Command.NEXT)
        clock.advance(3600)
        app.tick()
        shown = await shown_when_drawn(app, pilot, "press q or enter to exit")
        assert isinstance(app.screen, SummaryScreen)
        for line in ("press q or enter to exit", "Not reached  none",
                     "Skipped      Hip 90/90 Stretch (partly done,",
                     "             made easier)"):
            assert line in shown, shown
        box = app.screen.query_one("#summary-box")
        inside = [line[box.region.x + 1:box.region.right - 1]
                  for line in shown.splitlines()[box.region.y + 1:box.region.bottom - 1]]
        assert not any(set("▁▂▃▄▅▆▇") & set(line) for line in inside), shown


@run_async
async def test_the_clock_says_it_waits_for_the_coach_while_it_stands_still() -> None:
    """"repeat" in a hold: the hold stands still while the step is read again, and the
    counter, dimmed, says why; the sign goes once the hold goes on, and never shows while
    paused (the banner says that)."""
    app, clock, speaker = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        timer = await hold_clock_after(pilot, app, clock, 10)
        running = timer.styles.color
        assert WAITING_FOR_NARRATOR not in screen_text(app)
        await pilot.press("r")
        speaker.busy = True  # still reading the step over the hold
        clock.advance(4)
        app.tick()
        shown = await shown_when_drawn(app, pilot, WAITING_FOR_NARRATOR)
        assert app.runner.session.view().waiting_for_narrator
        assert WAITING_FOR_NARRATOR in shown and timer.value == "0:50"
        assert timer.styles.color != running  # dimmed
        await pilot.press("space")
        assert WAITING_FOR_NARRATOR not in await shown_when_drawn(
            app, pilot, WAITING_FOR_NARRATOR, gone=True)
        assert "PAUSED" in screen_text(app)
        await pilot.press("space")
        speaker.busy = False  # said: what is left is said, and then the hold goes on
        for _ in range(10):
            clock.advance(1)
            app.tick()
        assert not app.runner.session.view().waiting_for_narrator
        assert WAITING_FOR_NARRATOR not in await shown_when_drawn(
            app, pilot, WAITING_FOR_NARRATOR, gone=True)
        assert timer.value != "0:50" and timer.styles.color == running


NO_MODEL_HERE = ("No Vosk speech model at /work/tui28-scratch/data/empty (--model): no such "
                 "folder. Run `voicecoach model install` to install vosk-model-small-en-us-0.15"
                 " there (a 41 MB download, 71 MB on disk).")


@run_async
async def test_at_80_columns_the_missing_model_note_breaks_only_at_spaces_or_separators(
        ) -> None:
    """Not "…/emp|ty" or "en-us-0|.15": a path or a name longer than the side column
    breaks after a "/" or "-"."""
    status = ListenerStatus(ListenerState.NO_MODEL, NO_MODEL_HERE)
    app, _clock, _ = make_app(listener_status=status)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_when_drawn(app, pilot, "no speech model")
        lines = [line.strip() for line in shown_in(app, "#listener-state") if line.strip()]
        joined = ""
        for line in lines:  # (the side column may cut the last lines, as before)
            joined += line if joined.endswith(("/", "-")) or not joined else f" {line}"
        assert listener_text(status).startswith(joined) and len(lines) > 8, lines
        assert "/work/tui28-scratch/" in lines  # the path starts a line
        assert "vosk-model-small-en-us-" in lines  # and breaks after a "-"
