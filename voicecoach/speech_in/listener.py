"""The live listener: microphone → recognizer → events, on one thread that owns both.

The sounddevice callback only enqueues ``(pcm, monotonic time)``; the listener thread
feeds the :class:`~voicecoach.speech_in.recognizer.CommandRecognizer` (audio time = monotonic time,
the narrator's clock), drops commands the narrator said itself
(:class:`~voicecoach.speech_in.selfhearing.SelfHearingFilter`) and calls ``on_event`` with
each :data:`~voicecoach.speech_in.events.ListenerEvent`: Heard, Rejected, Level and
ListenerStatus.

Problems never raise: a missing model, no input device or a PortAudio error becomes one
:class:`~voicecoach.speech_in.events.ListenerStatus` with what to do (the session goes on
with the keyboard). If the audio stops arriving for ``stall_timeout`` seconds (the sound
server died), the stream is closed and reopened every ``retry_every`` seconds until it
works again; ``before_open`` runs before each attempt, and ``keep_routed`` after each
success and every :data:`ROUTE_EVERY` seconds of audio after it (the session uses them to
bring back the sound server's echo canceller after a restart and to keep its streams going
through it: an audio stack that ignores the session's choice of devices may open a moved
stream anew on the default device). With ``app_canceller`` (the sound
server has no canceller) each block first goes through the app's own
(:mod:`voicecoach.speech_in.app_canceller`), given what the speaker played then.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from voicecoach.audio.devices import no_default_input
from voicecoach.audio.pcm import from_pcm16, power_of, rms_dbfs, to_pcm16
from voicecoach.speech_in.app_canceller import AppCanceller
from voicecoach.speech_in.bargein import BargeIn
from voicecoach.speech_in.doubletalk import DoubleTalk
from voicecoach.speech_in.events import (
    Heard,
    Level,
    ListenerEvent,
    ListenerState,
    ListenerStatus,
    Rejected,
    RejectReason,
)
from voicecoach.speech_in.loudness import OwnVoice
from voicecoach.speech_in.mic import BLOCK_SECONDS, MicStream
from voicecoach.speech_in.overlap import NARRATION_TAIL
from voicecoach.speech_in.played import PlayedAudio, ReferenceStream
from voicecoach.speech_in.recognizer import CommandRecognizer
from voicecoach.speech_in.residual import ResidualEchoGate
from voicecoach.speech_in.selfhearing import SelfHearingFilter, SpeechActivity
from voicecoach.speech_in.vosk_model import ModelUnavailable

log = logging.getLogger(__name__)

ROUTE_EVERY = 5.0
"""Seconds of audio between two calls of ``keep_routed`` while listening."""
MIC_HINT = ("plug in a microphone or start PulseAudio/PipeWire, then it is picked up by "
            "itself")
"""What to do when there is no microphone."""
NO_MIC_HINT = f"{MIC_HINT}; meanwhile use the keys"
"""The same in a session, which has the keys to go on with."""
SPEAKER_ONLY = "no microphone found (only the speaker's own sound)"
"""Why there is no microphone when the input left is the speaker's monitor."""


class Listener:
    """Listens on a thread of its own until :meth:`stop`."""

    def __init__(
        self,
        model_path: Path,
        *,
        on_event: Callable[[ListenerEvent], None],
        activity: SpeechActivity | None = None,
        device: int | str | None = None,
        clock: Callable[[], float] = time.monotonic,
        stall_timeout: float = 2.0,
        retry_every: float = 3.0,
        level_every: float = 0.2,
        before_open: Callable[[], None] | None = None,
        keep_routed: Callable[[], object] | None = None,
        only_the_speaker: Callable[[], bool] | None = None,
        played: PlayedAudio | None = None,
        on_gain: Callable[[float], None] | None = None,
        app_canceller: bool = False,
        keys: bool = True,
    ):
        self.model_path = Path(model_path)
        self.played = played
        """What the speaker played: with it the narrator's words are taken out of what is
        heard and any command can be said over the narrator."""
        self.app_canceller = app_canceller
        """Cancel the narrator's echo in the app (needs ``played``): the sound server
        has no canceller."""
        self.on_gain = on_gain
        """Told the narrator's gain when it should yield to the person (barge-in) and when
        it may come back up; needs ``played``."""
        self.keys = keys
        """Whether the person has keys to go on with when the voice fails (a session does;
        ``voicecoach listen`` does not): the listener's messages point to them."""
        self.on_event = on_event
        self.activity = activity
        self.device = device
        self.clock = clock
        self.stall_timeout = stall_timeout
        self.retry_every = retry_every
        self.level_every = level_every
        self.before_open = before_open
        self.keep_routed = keep_routed
        self.only_the_speaker = only_the_speaker
        """Asked before the microphone opens and every :data:`ROUTE_EVERY` after: True when
        the input is only the speaker's own sound (the microphone gone), which is then no
        microphone, not "listening" to the narrator."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status: ListenerStatus | None = None

    def start(self) -> None:
        """Start listening (returns at once)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="voicecoach-listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop listening and release the microphone."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # --- the thread ---------------------------------------------------------------------

    def _emit(self, event: ListenerEvent) -> None:
        try:
            self.on_event(event)
        except Exception:  # a broken consumer must not kill the listener
            log.exception("listener event handler failed")

    def _set_state(self, state: ListenerState, detail: str = "") -> None:
        new = ListenerStatus(state, detail)
        if new != self._status:
            self._status = new
            self._emit(new)

    def _run(self) -> None:
        detector = DoubleTalk(BLOCK_SECONDS) if self.played is not None else None
        try:
            recognizer = CommandRecognizer(
                self.model_path,
                narration=self.activity if detector is not None else None,
                person_quiet_for=detector.quiet_for if detector is not None else None)
        except ModelUnavailable as error:
            self._set_state(ListenerState.NO_MODEL, str(error))
            return
        except Exception as error:  # vosk missing or broken
            self._set_state(ListenerState.NO_MODEL, f"speech recognition unavailable: {error}")
            return
        guard = (SelfHearingFilter(self.activity,
                                   person_spoke=detector.person_spoke if detector else None)
                 if self.activity is not None else None)
        mic = MicStream(self.device)
        yielding = BargeIn()
        canceller = self._app_canceller()
        try:
            self._loop(recognizer, guard, mic, detector, yielding, canceller)
        except Exception as error:  # a bug must not leave the screen saying "listening"
            log.exception("the listener failed")
            self._set_state(ListenerState.NO_MICROPHONE,
                            f"voice stopped ({_short(error)})"
                            + (": use the keys" if self.keys else ""))
        finally:
            mic.close()
            self._narrator_back_up(yielding)

    @property
    def _mic_hint(self) -> str:
        return NO_MIC_HINT if self.keys else MIC_HINT

    def _app_canceller(self) -> AppCanceller | None:
        if not self.app_canceller or self.played is None:
            return None
        try:
            canceller = AppCanceller()
        except Exception:  # a broken install costs the canceller, not the microphone
            log.exception("the app's echo canceller could not start")
            return None
        log.info("no echo canceller in the sound server: the app cancels the echo itself")
        return canceller

    def _hears_only_the_speaker(self) -> bool:
        if self.only_the_speaker is None:
            return False
        try:
            return self.only_the_speaker()
        except Exception:  # a hook must not cost the microphone
            log.exception("only_the_speaker hook failed")
            return False

    def _open(self, mic: MicStream) -> bool:
        if self._hears_only_the_speaker():
            self._set_state(ListenerState.NO_MICROPHONE,
                            f"{SPEAKER_ONLY}: {self._mic_hint}")
            return False
        try:
            if self.before_open is not None:
                self.before_open()
            mic.open()
        except Exception as error:  # PortAudio errors are plain exceptions
            mic.close()
            missing = self.device is None and no_default_input()
            reason = "no microphone found" if missing else _short(error)
            self._set_state(ListenerState.NO_MICROPHONE, f"{reason}: {self._mic_hint}")
            return False
        self._route()
        return True

    def _route(self) -> None:
        if self.keep_routed is not None:
            try:
                self.keep_routed()
            except Exception:  # a hook must not cost the microphone
                log.exception("keep_routed hook failed")

    def _barge_in(self, yielding: BargeIn, talking: bool, at: float) -> None:
        """Turn the narrator down while the person talks over it, and back up after."""
        was = yielding.gain
        gain = yielding.feed(talking, at, BLOCK_SECONDS)
        if gain != was:
            self._tell_gain(gain)

    def _lose(self, mic: MicStream, yielding: BargeIn, reason: str) -> None:
        """The microphone is gone (``reason``): close it, bring the narrator back up, say
        so, and wait before trying it again."""
        mic.close()
        self._narrator_back_up(yielding)
        self._set_state(ListenerState.NO_MICROPHONE, f"{reason}: {self._mic_hint}")
        self._stop.wait(self.retry_every)

    def _narrator_back_up(self, yielding: BargeIn) -> None:
        """The microphone is gone or the listener stops: never leave the narrator down."""
        if yielding.ducked:
            yielding.reset()
            self._tell_gain(1.0)

    def _tell_gain(self, gain: float) -> None:
        if self.on_gain is None:
            return
        try:
            self.on_gain(gain)
        except Exception:  # the narrator's problem must not cost the microphone
            log.exception("on_gain failed")

    def _loop(
        self, recognizer: CommandRecognizer, guard: SelfHearingFilter | None, mic: MicStream,
        detector: DoubleTalk | None = None, yielding: BargeIn | None = None,
        canceller: AppCanceller | None = None,
    ) -> None:
        yielding = yielding or BargeIn()
        gate = ResidualEchoGate() if detector is not None else None
        raw_detector = (DoubleTalk(BLOCK_SECONDS)  # barge-in behind the app's canceller
                        if canceller is not None else None)
        reference = (ReferenceStream(self.played)
                     if canceller is not None and self.played is not None else None)
        own_voice = OwnVoice()
        level_due = 0.0
        route_due: float | None = None
        level_pcm: list[bytes] = []
        while not self._stop.is_set():
            if not mic.is_open:
                if not self._open(mic):
                    self._stop.wait(self.retry_every)
                    continue
                recognizer.reset()
                route_due = None
                if gate is not None:
                    gate.reset()
                self._set_state(ListenerState.LISTENING)
            try:
                pcm, at = mic.blocks.get(timeout=0.2)
            except queue.Empty:
                if self.clock() - mic.last_callback > self.stall_timeout:
                    self._lose(mic, yielding, "the audio input stopped")
                continue
            if route_due is None:  # just opened, and routed
                route_due = at + ROUTE_EVERY
            elif at >= route_due:
                if self._hears_only_the_speaker():
                    self._lose(mic, yielding, SPEAKER_ONLY)
                    continue
                self._route()
                route_due = at + ROUTE_EVERY
            raw_power: float | None = None
            if canceller is not None and reference is not None:
                heard = from_pcm16(pcm)
                raw_power = power_of(heard)
                played = reference.block(at - BLOCK_SECONDS, heard)
                pcm = to_pcm16(canceller.process(heard, played))
            to_decode: tuple[bytes, float] | None = (pcm, at)
            if detector is not None and self.played is not None:
                samples = from_pcm16(pcm)
                played_power = self.played.power_during(at - BLOCK_SECONDS, at)
                played_samples = self.played.samples_during(at - BLOCK_SECONDS, len(samples))
                talking = detector.feed_power(power_of(samples), played_power, at,
                                              samples, played_samples)
                heard_raw = (raw_detector is not None and raw_power is not None
                             and raw_detector.feed_power(raw_power, played_power, at))
                self._barge_in(yielding, (talking or heard_raw) and detector.narrating, at)
                if gate is not None:
                    gated = gate.push(samples, at, talking, detector.narrating, detector.floor)
                    to_decode = None if gated is None else (to_pcm16(gated[0]), gated[1])
            for event in recognizer.feed(*to_decode) if to_decode is not None else []:
                if isinstance(event, Heard) and guard is not None and not guard.allow(event):
                    event = Rejected(event.text, event.at, RejectReason.NARRATOR_SAID_IT)
                if isinstance(event, Heard) and not own_voice.allow(event):
                    event = Rejected(event.text, event.at, RejectReason.FAINT)
                self._emit(event)
            level_pcm.append(pcm)
            if at >= level_due:
                level = rms_dbfs(b"".join(level_pcm))
                self._emit(Level(round(level, 1), round(recognizer.input_gain_db, 1)))
                level_pcm.clear()
                level_due = at + self.level_every
                if self.activity is not None and detector is None:  # else: all commands
                    speaking = self.activity.speaking(at, NARRATION_TAIL)
                    self._set_state(ListenerState.IGNORING if speaking
                                    else ListenerState.LISTENING)


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:160]
