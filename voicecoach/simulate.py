"""``voicecoach simulate``: a whole session on audio time, as fast as it can run.

A WAV file is the microphone. The narrator's lines are rendered for real and mixed into
that microphone at ``echo`` gain (the room hears the speaker), so the listener hears both
the person and the narrator, exactly as live. The engine gets the commands the listener
emits, through the same self-hearing filter as live, and the event log records it all
with ``t`` in audio seconds.
"""

from __future__ import annotations

import argparse
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voicecoach.cues import Cue, Say, Silence
from voicecoach.engine import Session, SessionSettings
from voicecoach.eventlog import EventLog
from voicecoach.routine import Routine

RATE = 16000
CHUNK = 0.05
"""Seconds of audio per step: the listener's block size."""
SKIP_SILENCE_AFTER = 1.0
"""Seconds of exact digital silence after which chunks are not fed to the recognizer."""


@dataclass
class NarrationTrack:
    """The narrator's output on audio time: lines play one after another, cut on Silence."""

    activity: object
    """The SpeechActivity the self-hearing filter reads."""
    queue: deque[tuple[str, np.ndarray, float | None]] = field(default_factory=deque)
    current: tuple[str, np.ndarray] | None = None
    position: int = 0

    def say(self, text: str, samples: np.ndarray, drop_after: float | None = None) -> None:
        """Queue a line (float32 samples at RATE); skip it if it can't start by drop_after."""
        self.queue.append((text, samples, drop_after))

    def cut(self, now: float) -> None:
        """Stop the current line at ``now`` and drop the queue."""
        if self.current is not None:
            self.activity.line_ended(self.current[0], now)  # type: ignore[attr-defined]
        self.current, self.position = None, 0
        self.queue.clear()

    def take(self, start: float, frames: int) -> np.ndarray:
        """The next ``frames`` samples of narration, from audio time ``start``."""
        out = np.zeros(frames, dtype=np.float32)
        filled = 0
        while filled < frames:
            if self.current is None:
                if not self.queue:
                    break
                text, samples, drop_after = self.queue.popleft()
                begin = start + filled / RATE
                if drop_after is not None and begin > drop_after:
                    continue
                self.current, self.position = (text, samples), 0
                length = len(self.current[1]) / RATE
                self.activity.line_started(self.current[0], begin, begin + length)  # type: ignore[attr-defined]
            text, samples = self.current
            n = min(frames - filled, len(samples) - self.position)
            out[filled:filled + n] = samples[self.position:self.position + n]
            filled += n
            self.position += n
            if self.position >= len(samples):
                self.activity.line_ended(text, start + filled / RATE)  # type: ignore[attr-defined]
                self.current = None
        return out

    @property
    def busy(self) -> bool:
        """True while a line plays or waits."""
        return self.current is not None or bool(self.queue)


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation did."""

    commands: list[tuple[float, str, str]]
    """(audio time, command, heard text) of every command the engine got."""
    rejected: list[tuple[float, str]]
    """(audio time, text) of what the listener heard and did not act on."""
    ignored: list[tuple[float, str]]
    """(audio time, command) dropped by the self-hearing filter."""
    duration: float
    """Audio seconds simulated."""
    summary: dict[str, object]
    """The session's summary."""


def load_user_audio(path: Path) -> np.ndarray:
    """A WAV file as float32 mono samples at 16 kHz."""
    from voicecoach.audio_input import read_wav

    return read_wav(path, RATE)


def simulate(routine: Routine, voice: str, model_path: Path, user_audio: np.ndarray | None,
             echo: float, log: EventLog, *, limit: float = 4 * 3600) -> SimulationResult:
    """Run ``routine`` on audio time with ``user_audio`` as the microphone."""
    from voicecoach.narrator import stale_deadline
    from voicecoach.recognizer import CommandRecognizer, Heard, Rejected
    from voicecoach.selfhearing import SelfHearingFilter, SpeechActivity
    from voicecoach.tts import Renderer, resample
    from voicecoach.voices import load_voice

    profile = load_voice(voice)
    renderer = Renderer(profile)
    recognizer = CommandRecognizer(model_path)
    activity = SpeechActivity()
    self_hearing = SelfHearingFilter(activity)
    track = NarrationTrack(activity)
    session = Session(routine, 0.0, SessionSettings(speech_seconds=profile.estimate_seconds))
    user = user_audio if user_audio is not None else np.zeros(0, dtype=np.float32)
    frames = int(RATE * CHUNK)
    commands: list[tuple[float, str, str]] = []
    rejected: list[tuple[float, str]] = []
    ignored: list[tuple[float, str]] = []

    def dispatch(cues: list[Cue], now: float) -> None:
        for cue in cues:
            log.cue(now, cue)
            if isinstance(cue, Say) and profile.wants(cue.kind, cue.text):
                clip = renderer.render(cue.text)
                track.say(cue.text, resample(clip, RATE).astype(np.float32) / 32768,
                          stale_deadline(cue.kind, now))
            elif isinstance(cue, Silence):
                track.cut(now)

    try:
        dispatch(session.tick(0.0), 0.0)
        index, now, quiet = 0, 0.0, 0.0
        while not session.finished and now < limit:
            mic = np.zeros(frames, dtype=np.float32)
            mine = user[index:index + frames]
            mic[:len(mine)] = mine
            mic += echo * track.take(now, frames)
            index += frames
            now = index / RATE
            quiet = quiet + CHUNK if not mic.any() else 0.0
            events = []
            if quiet <= SKIP_SILENCE_AFTER:  # past that, digital silence tells Vosk nothing
                pcm = (np.clip(mic, -1, 1) * 32767).astype(np.int16).tobytes()
                events = recognizer.feed(pcm, now)
            dispatch(session.tick(now), now)
            for event in events:
                if isinstance(event, Heard):
                    if not self_hearing.allow(event):
                        ignored.append((now, event.command.value))
                        log.write(now, "ignored_self", command=event.command.value,
                                  heard=event.text)
                        continue
                    commands.append((now, event.command.value, event.text))
                    log.write(now, "command", command=event.command.value, source="voice",
                              heard=event.text, confidence=round(event.confidence, 3))
                    dispatch(session.handle(event.command, now), now)
                elif isinstance(event, Rejected):
                    rejected.append((now, event.text))
                    log.write(now, "rejected", heard=event.text, reason=event.reason)
        return SimulationResult(commands, rejected, ignored, now, session.summary())
    finally:
        renderer.close()


def run_simulate(args: argparse.Namespace) -> int:
    """The ``simulate`` subcommand."""
    import time

    from voicecoach.cli import routine_overrides
    from voicecoach.models import ModelMissing, find_model
    from voicecoach.routine import resolve_routine

    routine = resolve_routine(args.routine, **routine_overrides(args))
    try:
        model = find_model(args.model)
    except ModelMissing as missing:
        print(f"voicecoach: {missing}", file=sys.stderr)
        return 1
    user = load_user_audio(args.user_audio) if args.user_audio else None
    started = time.perf_counter()
    args.log.parent.mkdir(parents=True, exist_ok=True)
    log = EventLog(args.log.open("w", encoding="utf-8"), wall_clock=False)
    try:
        result = simulate(routine, args.voice, model, user, args.echo, log)
    finally:
        log.close()
    took = time.perf_counter() - started
    print(f"Simulated {result.duration / 60:.1f} minutes of session in {took:.1f} s: "
          f"{len(result.commands)} commands, {len(result.rejected)} rejected, "
          f"{len(result.ignored)} self-heard and ignored. Log: {args.log}", file=sys.stderr)
    return 0
