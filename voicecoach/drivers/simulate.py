"""``voicecoach simulate``: a whole session on audio time, as fast as it can run.

A WAV file is the microphone. The narrator's lines are rendered for real and reach that
microphone through a room (:mod:`voicecoach.drivers.room`: a small speaker, a delay the app
is not told, reverberation) at ``echo`` gain, so the listener hears both the person and
the narrator, as live. The listener knows what the narrator played and when, never the
echo itself: it takes the narrator's words out of what it heard
(:mod:`voicecoach.speech_in.overlap`) and tells the person talking over the narrator from
the echo alone (:mod:`voicecoach.speech_in.doubletalk`). The engine gets the commands the
listener emits, through the same self-hearing filter as live, and the event log records
it all with ``t`` in audio seconds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from voicecoach.audio.files import read_audio
from voicecoach.audio.pcm import SAMPLE_RATE, power_of
from voicecoach.audio.resample import resample
from voicecoach.core.cues import CommandHandled, SayKind
from voicecoach.core.record import Summary
from voicecoach.core.routine import Routine
from voicecoach.core.session import Session, SessionSettings
from voicecoach.drivers.live import SessionRunner
from voicecoach.drivers.room import EchoPath, RoomEcho
from voicecoach.speech_in.events import Heard, Rejected, RejectReason
from voicecoach.speech_in.mic import BLOCK_SECONDS
from voicecoach.speech_out.profiles import VoiceProfile
from voicecoach.storage.eventlog import EventLog

LIMIT_SECONDS = 4 * 3600.0
"""Audio time after which a simulation stops, finished or not."""
CHUNK = BLOCK_SECONDS
"""Seconds of audio per step: the microphone's block size."""
SKIP_SILENCE_AFTER = 1.0
"""Seconds of exact digital silence after which chunks are not fed to the recognizer."""
PAUSED_AFTER_RECORDING = 10.0
"""Seconds after the person's recording ends in which a paused, silent session may still
be resumed (the recognizer finishing); past that nothing more can happen, so it stops."""


@dataclass
class NarrationTrack:
    """The narrator's output on audio time: lines play one after another, cut on Silence."""

    activity: object
    """The SpeechActivity the self-hearing filter reads."""
    queue: deque[tuple[str, np.ndarray, float | None]] = field(default_factory=deque)
    current: tuple[str, np.ndarray] | None = None
    position: int = 0

    def say(self, text: str, samples: np.ndarray, drop_after: float | None = None) -> None:
        """Queue a line (float32 samples at 16 kHz); skip it if it can't start by drop_after."""
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
                begin = start + filled / SAMPLE_RATE
                if drop_after is not None and begin > drop_after:
                    continue
                self.current, self.position = (text, samples), 0
                length = len(self.current[1]) / SAMPLE_RATE
                self.activity.line_started(self.current[0], begin, begin + length)  # type: ignore[attr-defined]
            text, samples = self.current
            n = min(frames - filled, len(samples) - self.position)
            out[filled:filled + n] = samples[self.position:self.position + n]
            filled += n
            self.position += n
            if self.position >= len(samples):
                self.activity.line_ended(text, start + filled / SAMPLE_RATE)  # type: ignore[attr-defined]
                self.current = None
        return out

    @property
    def busy(self) -> bool:
        """True while a line plays or waits."""
        return self.current is not None or bool(self.queue)


STOPPED_PAUSED = "recording ended with the session paused"
STOPPED_AT_LIMIT = "time limit"
"""Why a simulation stopped before its session finished, as its log says."""


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation did."""

    commands: list[tuple[float, str, str]]
    """(audio time, command, heard text) of every command the engine got."""
    rejected: list[tuple[float, str, RejectReason]]
    """(audio time, text, why) of what the listener heard and did not act on."""
    ignored: list[tuple[float, str]]
    """(audio time, command) dropped by the self-hearing filter."""
    duration: float
    """Audio seconds simulated."""
    summary: Summary
    """The session's summary."""
    hit_limit: bool = False
    """True when the session had not finished by the time limit (the person never said
    "resume", say): the simulation stopped there."""
    paused_at_end: bool = False
    """True when the session was paused as the simulation stopped."""
    ended_paused: bool = False
    """True when the person's recording ended with the session paused (no "resume" after
    the last "pause"): nothing more could happen, so the simulation stopped there."""
    unfit: list[tuple[float, str]] = field(default_factory=list)
    """(audio time, command) of the commands taken that made no sense at that moment
    ("harder" at the full version, "resume" while running): the session let them be."""

    @property
    def narrators_heard(self) -> int:
        """Utterances of the narrator's own words the listener heard and let go: commands
        the self-hearing filter dropped and what it rejected as the narrator's."""
        return len(self.ignored) + sum(
            reason is RejectReason.NARRATOR_SAID_IT for _, _, reason in self.rejected)

    @property
    def others_rejected(self) -> int:
        """Everything else heard and not acted on: no command, extra words, unsure, faint."""
        return sum(reason is not RejectReason.NARRATOR_SAID_IT for _, _, reason in self.rejected)


def load_user_audio(path: Path) -> np.ndarray:
    """An audio file as float32 mono samples at 16 kHz, read block by block (the file's own
    rate and channels are never held whole). Raises OSError or AudioFormatError."""
    return read_audio(path, SAMPLE_RATE)


class TrackSpeaker:
    """A Speaker that renders lines for real and queues them on the narration track."""

    def __init__(self, profile: Any, track: NarrationTrack, clock: Callable[[], float]) -> None:
        from voicecoach.speech_out.tts import Renderer

        self.profile = profile
        self.track = track
        self.clock = clock
        self.renderer = Renderer(profile)

    def say(self, text: str, kind: SayKind) -> None:
        """Render ``text`` and queue it at the current audio time."""
        from voicecoach.speech_out.speaker import stale_deadline

        if self.profile.wants(kind, text):
            clip = self.renderer.render(text)
            samples = resample(clip.samples / np.float32(32768), clip.sample_rate, SAMPLE_RATE)
            self.track.say(text, samples, stale_deadline(kind, self.clock()))

    def silence(self) -> None:
        """Cut the track now."""
        self.track.cut(self.clock())

    audible = True
    """Every line is played into the simulated room."""

    def drain(self, timeout: float = 5.0) -> bool:
        """Lines play on audio time, as the simulation advances it: nothing to wait for."""
        return True

    @property
    def busy(self) -> bool:
        """True while a line plays on the track or waits to."""
        return self.track.busy

    def close(self) -> None:
        """Release the renderer."""
        self.renderer.close()


def simulate(routine: Routine, profile: VoiceProfile, model_path: Path,
             user_audio: np.ndarray | None, echo: float, log: EventLog, *,
             limit: float = LIMIT_SECONDS, echo_path: EchoPath | None = None,
             double_talk: bool = True, barge_in: bool = True,
             app_canceller: bool = False, echo_gate: bool = True) -> SimulationResult:
    """Run ``routine`` spoken in ``profile``'s voice on audio time, ``user_audio`` as the
    microphone.

    The same SessionRunner as a live session routes the cues; only the clock (audio time),
    the speaker (the narration track) and the microphone (the file) differ. Stops after
    ``limit`` audio seconds even when the session has not finished (``hit_limit``).
    With ``app_canceller`` the app cancels the echo itself, as a live session does when
    the sound server has no canceller (:mod:`voicecoach.speech_in.app_canceller`): from
    what it played, never from the echo mixed in. With ``double_talk`` and ``echo_gate``
    the echo left where the person is not heard is turned down before the recognizer
    (:mod:`voicecoach.speech_in.residual`), as live.
    """
    from voicecoach.audio.timeline import StreamTimeline
    from voicecoach.speech_in.app_canceller import AppCanceller
    from voicecoach.speech_in.bargein import BargeIn
    from voicecoach.speech_in.doubletalk import DoubleTalk
    from voicecoach.speech_in.loudness import OwnVoice
    from voicecoach.speech_in.played import PlayedAudio, ReferenceStream
    from voicecoach.speech_in.recognizer import CommandRecognizer
    from voicecoach.speech_in.residual import ResidualEchoGate
    from voicecoach.speech_in.selfhearing import SelfHearingFilter, SpeechActivity

    activity = SpeechActivity()
    detector = DoubleTalk(CHUNK) if double_talk else None
    yielding = BargeIn() if detector is not None and barge_in else None
    gain = 1.0
    canceller = AppCanceller() if app_canceller else None
    # what the canceller is handed, as live: the played record read on the microphone's
    # time line, late enough that the echo comes after it
    played_record = PlayedAudio(keep=2.0) if canceller is not None else None
    speaker_line = StreamTimeline(SAMPLE_RATE)
    reference = ReferenceStream(played_record) if played_record is not None else None
    recognizer = CommandRecognizer(
        model_path, narration=activity,
        person_quiet_for=detector.quiet_for if detector is not None else None)
    self_hearing = SelfHearingFilter(
        activity, person_spoke=detector.person_spoke if detector is not None else None)
    own_voice = OwnVoice()
    room = echo_path if echo_path is not None else RoomEcho(echo)
    gate = ResidualEchoGate() if detector is not None and echo_gate else None
    raw_detector = DoubleTalk(CHUNK) if yielding is not None and canceller is not None else None
    track = NarrationTrack(activity)
    now = 0.0

    def clock() -> float:
        return now

    user = user_audio if user_audio is not None else np.zeros(0, dtype=np.float32)
    frames = int(SAMPLE_RATE * CHUNK)
    commands: list[tuple[float, str, str]] = []
    rejected: list[tuple[float, str, RejectReason]] = []
    ignored: list[tuple[float, str]] = []
    unfit: list[tuple[float, str]] = []
    speaker = TrackSpeaker(profile, track, clock)
    try:
        session = Session(routine, 0.0,
                          SessionSettings(speech_seconds=profile.estimate_seconds))
        runner = SessionRunner(session, speaker, clock, log=log)
        runner.start()
        index, quiet = 0, 0.0
        ended_paused = False
        while not session.finished and now < limit:
            if (session.paused and not track.busy
                    and now > len(user) / SAMPLE_RATE + PAUSED_AFTER_RECORDING):
                ended_paused = True
                break
            mic = np.zeros(frames, dtype=np.float32)
            mine = user[index:index + frames]
            mic[:len(mine)] = mine
            played = track.take(now, frames) * gain
            mic += room(played)
            if played_record is not None:
                at = speaker_line.place(now, frames)
                played_record.add(at, at + frames / SAMPLE_RATE, played)
            block_start = now
            index += frames
            now = index / SAMPLE_RATE
            heard_raw = False  # the person over the echo before the app's canceller
            if canceller is not None and reference is not None:
                if raw_detector is not None:
                    # by loudness alone, as live: before the canceller the echo is in
                    # every block, so the person's blocks sound like the narrator too
                    heard_raw = raw_detector.feed_power(power_of(mic), power_of(played), now)
                mic = canceller.process(mic, reference.block(block_start, mic))
            if detector is not None:
                talking = detector.feed(mic, played, now)
                if yielding is not None:
                    was = yielding.ducked
                    gain = yielding.feed((talking or heard_raw) and detector.narrating, now,
                                         CHUNK)
                    if yielding.ducked and not was:
                        log.write(now, "narrator_yielded")
            at = now
            if gate is not None and detector is not None:
                gated = gate.push(mic, now, talking, detector.narrating, detector.floor)
                mic, at = gated if gated is not None else (np.zeros_like(mic), now)
            quiet = quiet + CHUNK if not mic.any() else 0.0
            events = []
            if quiet <= SKIP_SILENCE_AFTER:  # past that, digital silence tells Vosk nothing
                pcm = (np.clip(mic, -1, 1) * 32767).astype(np.int16).tobytes()
                events = recognizer.feed(pcm, at)
            runner.tick()
            for event in events:
                if isinstance(event, Heard):
                    if not self_hearing.allow(event):
                        ignored.append((now, event.command.value))
                        log.write(now, "ignored_self", command=event.command.value,
                                  heard=event.text)
                        continue
                    if not own_voice.allow(event):
                        rejected.append((now, event.text, RejectReason.FAINT))
                        log.write(now, "rejected", heard=event.text, reason=RejectReason.FAINT)
                        continue
                    commands.append((now, event.command.value, event.text))
                    handled = runner.command(event.command, "voice", event.text)
                    if not any(isinstance(cue, CommandHandled) and cue.accepted
                               for cue in handled):
                        unfit.append((now, event.command.value))
                elif isinstance(event, Rejected):
                    rejected.append((now, event.text, event.reason))
                    log.write(now, "rejected", heard=event.text, reason=event.reason)
        if not session.finished:  # the log says why it ends with no "finished"
            log.write(now, "simulation_stopped",
                      reason=STOPPED_PAUSED if ended_paused else STOPPED_AT_LIMIT,
                      paused=session.paused)
        return SimulationResult(commands, rejected, ignored, now, session.summary(),
                                unfit=unfit,
                                hit_limit=not session.finished and not ended_paused,
                                paused_at_end=session.paused, ended_paused=ended_paused)
    finally:
        speaker.close()
