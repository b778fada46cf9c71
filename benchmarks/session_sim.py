"""``voicecoach.drivers.simulate.simulate`` with what the session benchmark needs of it.

Three things a plain ``simulate`` run does not give, added from outside for now:

* **An echo path.** The benchmark's callable turns each block of narration into its echo
  at the microphone (:class:`benchmarks.rooms.EchoPath`: loudspeaker, room, unknown
  latency, unit gain), scaled by ``echo``. ``simulate`` has the hook now::

      simulate(..., echo_path: Callable[[np.ndarray], np.ndarray] | None = None)
      # in the loop: played = track.take(now, frames); mic += echo_path(played)

  (the path includes the gain; called once per block, in order, silent blocks too, so a
  stateful path lets its tail ring out). With an older ``simulate`` that mixed
  ``echo * track.take(...)``, :func:`run_session` wraps ``NarrationTrack.take`` instead.
* **When each line really played** (lines queue behind each other, and a cut ends one
  early), from the ``SpeechActivity`` the narration track reports to. Asked of
  ``simulate``: ``SimulationResult.played: list[tuple[str, float, float]]`` (text, start,
  end in audio seconds), or ``line_played`` events in the log.
* **Listener CPU**: thread CPU time spent in ``CommandRecognizer.feed``. Asked of
  ``simulate``: ``SimulationResult.listener_cpu`` (seconds).

Each wrapper is undone when the run ends; if ``simulate`` grows the hook, it is used instead.
"""

from __future__ import annotations

import contextlib
import inspect
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

EchoPathFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class PlayedLine:
    """A narrator line as it played: from its first to its last sample (or its cut)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class SessionRun:
    """What one simulated session did."""

    commands: list[tuple[float, str, str]]
    """(audio time, command, heard text) of every command the engine got."""
    duration: float
    played: list[PlayedLine]
    listener_cpu: float
    """Thread CPU seconds inside the recognizer."""
    log: list[dict[str, Any]]
    """The event log's records."""
    finished: bool
    """True when the session ended (by stop or at its end) before the time limit."""


@contextlib.contextmanager
def _patched(owner: Any, name: str, make: Callable[[Any], Any]) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, make(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def run_session(routine: Any, narrator: str, model: Path, microphone: np.ndarray, echo: float,
                echo_path: EchoPathFn | None, log_path: Path, limit: float,
                app_canceller: bool = False, echo_gate: bool = True) -> SessionRun:
    """Simulate ``routine`` narrated by profile ``narrator`` with ``microphone`` as the
    person's side of the microphone and the narrator's echo through ``echo_path``; with
    ``app_canceller``, the app cancels that echo itself (its CPU counts as the listener's);
    without ``echo_gate``, the residual echo gate is off (for comparison)."""
    from voicecoach.drivers import simulate as sim
    from voicecoach.speech_in import recognizer as rec
    from voicecoach.speech_in import selfhearing
    from voicecoach.storage.eventlog import EventLog, read_log

    played: list[PlayedLine] = []
    starts: dict[str, list[float]] = {}
    cpu = [0.0]

    def started(original: Any) -> Any:
        def line_started(self: Any, text: str, start: float, expected_end: float) -> None:
            starts.setdefault(text, []).append(start)
            original(self, text, start, expected_end)
        return line_started

    def ended(original: Any) -> Any:
        def line_ended(self: Any, text: str, end: float) -> None:
            if starts.get(text):
                played.append(PlayedLine(text, starts[text].pop(0), end))
            original(self, text, end)
        return line_ended

    def timed(original: Any) -> Any:
        def work(self: Any, *args: Any) -> Any:
            before = time.thread_time()
            try:
                return original(self, *args)
            finally:
                cpu[0] += time.thread_time() - before
        return work

    def echoed(original: Any) -> Any:
        def take(self: Any, start: float, frames: int) -> np.ndarray:
            block = original(self, start, frames)
            return block if echo_path is None else echo_path(block)
        return take

    parameters = inspect.signature(sim.simulate).parameters
    first = next(iter(parameters))
    voice: Any = narrator
    if first == "profile" or "profile" in parameters:
        from voicecoach.speech_out.profiles import load_voice

        voice = load_voice(narrator)
    extra: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(selfhearing.SpeechActivity, "line_started", started))
        stack.enter_context(_patched(selfhearing.SpeechActivity, "line_ended", ended))
        stack.enter_context(_patched(rec.CommandRecognizer, "feed", timed))
        if app_canceller:
            from voicecoach.speech_in.app_canceller import AppCanceller

            stack.enter_context(_patched(AppCanceller, "process", timed))
            extra["app_canceller"] = True
        if not echo_gate:
            extra["echo_gate"] = False
        if "echo_path" in parameters:  # simulate adds echo_path(block) as it is: no gain
            path = echo_path
            extra["echo_path"] = (None if path is None
                                  else lambda block: echo * path(block))
        elif echo_path is not None:
            stack.enter_context(_patched(sim.NarrationTrack, "take", echoed))
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = EventLog(log_path.open("w", encoding="utf-8"), wall_clock=False)
        try:
            result = sim.simulate(routine, voice, model, microphone, echo, log, limit=limit,
                                  **extra)
        finally:
            log.close()
    lines = getattr(result, "played", None)
    if lines is not None:
        played = [PlayedLine(text, start, end) for text, start, end in lines]
    listener_cpu = getattr(result, "listener_cpu", None)
    records = read_log(log_path)
    finished = any(r.get("event") == "finished" for r in records)
    return SessionRun(list(result.commands), float(result.duration),
                      sorted(played, key=lambda line: line.start),
                      cpu[0] if listener_cpu is None else float(listener_cpu), records,
                      finished)
