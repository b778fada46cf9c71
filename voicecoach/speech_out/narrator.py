"""Narrators: say lines in order, cut them off at once, and tell listeners what is said when.

:class:`AudioNarrator` speaks through the sound card: one owner thread renders lines with
:class:`~voicecoach.speech_out.tts.Renderer` and plays them through a sounddevice output
stream. With no espeak-ng it says so once and carries on as a :class:`CaptionNarrator`,
which only shows the lines. With no output to open at the start, or when the output stops
mid-session (PortAudio's callback goes quiet: the sound server died), it says so, shows
lines as captions, and opens the output when a line comes and a sound server or device is
there (``before_open`` runs first). Callbacks run on the narrator's thread (or the
caller's, for a caption narrator), except ``on_played``, which runs on the audio
callback's; times are ``time.monotonic()`` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicecoach.audio.devices import no_default_output
from voicecoach.audio.pcm import Clip
from voicecoach.audio.resample import resample
from voicecoach.core.cues import SayKind
from voicecoach.speech_out.errors import SpeechUnavailable
from voicecoach.speech_out.output import OUTPUT_HINT, LinePlayer, PlayedCallback, Playing
from voicecoach.speech_out.profiles import VoiceError, VoiceProfile
from voicecoach.speech_out.speaker import (
    SPEECH_BACK,
    SPEECH_LOST,
    CaptionNarrator,
    LineEnd,
    LineStart,
    call_back,
    stale_deadline,
)
from voicecoach.speech_out.tts import Renderer

log = logging.getLogger(__name__)

OUTPUT_RETRY_SECONDS = 3.0
"""While the output is lost, try to open it again at most this often (when a line comes)."""


@dataclass
class _Line:
    text: str
    generation: int
    clip: Clip | None = None
    drop_after: float | None = None
    """A count not started by then is stale and skipped (monotonic seconds)."""


@dataclass(frozen=True)
class _Say:
    text: str
    generation: int
    drop_after: float | None = None


@dataclass(frozen=True)
class _Done:
    playing: Playing = field(compare=False)


@dataclass(frozen=True)
class _Drain:
    done: threading.Event = field(compare=False)


_SILENCE = "silence"
_CLOSE = "close"


class AudioNarrator:
    """Speaks lines through the sound card from one owner thread; see the module docstring.

    ``on_problem(message)`` is called once if speech or sound is unavailable (default: print
    to stderr); the narrator then shows captions through ``on_caption`` (or print).
    ``on_played(start, end, samples)`` hears, from the audio callback, each chunk
    the speaker plays and when (the listener tells the person from the echo with it).
    """

    def __init__(
        self,
        profile: VoiceProfile,
        *,
        output_device: int | str | None = None,
        on_line_start: LineStart | None = None,
        on_line_end: LineEnd | None = None,
        on_caption: Callable[[str], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
        cache_dir: Path | None = None,
        before_open: Callable[[], None] | None = None,
        on_played: PlayedCallback | None = None,
    ) -> None:
        self.profile = profile
        self._before_open = before_open
        self._on_played = on_played
        self._gain = 1.0
        self._lost_since: float | None = None
        self._retry_at = 0.0
        self._device = output_device
        self._on_line_start = on_line_start
        self._on_line_end = on_line_end
        self._on_caption = on_caption
        self._on_problem = on_problem
        self._cache_dir = cache_dir
        self._commands: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        """Guards the generation, and a line's handing over against the thread's finding
        itself idle."""
        self._idle = True
        """Nothing plays or waits to (the thread sets it, :meth:`say` clears it)."""
        self._generation = 0
        self._ready = threading.Event()
        self._voice_checked = threading.Event()
        self._voice_error: VoiceError | None = None
        self._closed = False
        self._problem: str | None = None
        self._renderer: Renderer | None = None
        self._player: LinePlayer | None = None
        self._captions: CaptionNarrator | None = None
        self._thread = threading.Thread(target=self._run, name="voicecoach-narrator", daemon=True)
        self._thread.start()

    # --- any thread -------------------------------------------------------------------

    def say(self, text: str, kind: SayKind) -> None:
        """Queue a line (dropped if the profile doesn't want it); returns at once."""
        if self._closed or not self.profile.wants(kind, text):
            return
        with self._lock:
            self._idle = False
            self._commands.put(_Say(text, self._generation,
                                    stale_deadline(kind, time.monotonic())))

    def silence(self) -> None:
        """Cut off the current line and drop queued or rendered lines."""
        with self._lock:
            self._generation += 1
        self._commands.put(_SILENCE)

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued line has been said; True if it was, in time."""
        if self._closed or not self._thread.is_alive():
            return True
        done = threading.Event()
        self._commands.put(_Drain(done))
        return done.wait(timeout)

    def close(self, timeout: float = 3.0) -> None:
        """Stop speaking, release the device and end the thread."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            self._generation += 1
        self._commands.put(_CLOSE)
        self._thread.join(timeout)

    def set_gain(self, gain: float) -> None:
        """Any thread: play at ``gain`` from now on (1.0 full; the listener turns the
        narrator down while the person talks over it)."""
        self._gain = gain
        player = self._player
        if player is not None:
            player.gain = gain

    def voice_error(self, timeout: float = 10.0) -> VoiceError | None:
        """Once the thread has tried the profile's voice: why espeak-ng cannot speak in
        it (an ``espeak_voice`` it does not have), or None."""
        self._voice_checked.wait(timeout)
        return self._voice_error

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Wait until the thread has set up; True when lines will be heard."""
        self._ready.wait(timeout)
        return self.audible

    @property
    def audible(self) -> bool:
        """True while lines go to the sound card (False: captions, while it is lost or
        never opened)."""
        return self._player is not None

    @property
    def busy(self) -> bool:
        """True while a line plays or waits to (or, in captions, would still be said)."""
        captions = self._captions
        return not self._idle or (captions is not None and captions.busy)

    @property
    def problem(self) -> str | None:
        """Why the narrator fell back to captions, if it did."""
        return self._problem

    def _current_generation(self) -> int:
        return self._generation

    # --- the owner thread -------------------------------------------------------------

    def _report(self, reason: str, hint: str | None = None) -> None:
        """Tell the user once that speech is off (and why), and switch to captions."""
        message = f"speech is off ({reason}); showing captions instead"
        if hint:
            message += f". To fix: {hint}"
        if self._player is not None:
            try:
                self._player.close()
            except Exception:
                log.exception("closing the audio output failed")
            self._player = None
        if self._captions is None:
            self._captions = CaptionNarrator(
                self.profile,
                print_fn=None if self._on_caption else print,
                on_caption=self._on_caption,
            )  # no line timings: nothing plays, so nothing can be heard by the mic
        if self._problem is None:
            self._problem = message
            if self._on_problem is None:
                print(f"voicecoach: {message}", file=sys.stderr)
            else:
                call_back(self._on_problem, message)

    def _set_up(self) -> None:
        try:
            self._renderer = Renderer(self.profile, cache_dir=self._cache_dir)
        except VoiceError as error:
            self._voice_error = error
            self._report(str(error))
            return
        except SpeechUnavailable as error:
            self._report(str(error))
            return
        finally:
            self._voice_checked.set()
        try:
            self._open_player()
        except ImportError:
            self._report("sounddevice is not installed", "pip install sounddevice")
        except OSError as error:  # the PortAudio library itself is missing
            self._report(f"PortAudio is missing: {error}", "apt install libportaudio2")
        except Exception as error:  # PortAudioError (no device), ValueError (unknown device)
            missing = self._device is None and no_default_output()  # not PortAudio's words
            self._wait_for_output(None if missing else f"no audio output: {error}")

    def _wait_for_output(self, reason: str | None) -> None:
        """No output to open at the start: captions until one opens (a sound server or a
        speaker that comes up later), tried again as lines come, as after a lost one."""
        now = time.monotonic()
        self._lost_since = now
        self._retry_at = now + OUTPUT_RETRY_SECONDS
        why = f" ({reason})" if reason else ""
        self._problem = (f"No speaker found: showing captions until one is there{why}."
                         f" To fix: {OUTPUT_HINT}")
        if self._on_problem is None:
            print(f"voicecoach: {self._problem}", file=sys.stderr)
        else:
            call_back(self._on_problem, self._problem)

    def _open_player(self) -> None:
        if self._before_open is not None:
            self._before_open()
        self._player = LinePlayer(self._device, 22050, self._current_generation, self._drained,
                                  self._on_played)
        self._player.gain = self._gain

    def _output_lost(self, now: float) -> None:
        """The sound server went away: captions until the output opens again."""
        if self._player is not None:
            with contextlib.suppress(Exception):
                self._player.close()
            self._player = None
        self._lost_since = now
        self._retry_at = now
        log.warning("the audio output stopped")
        call_back(self._on_problem, SPEECH_LOST)

    def _output_back(self, now: float) -> bool:
        """Try to reopen a lost output (at most every OUTPUT_RETRY_SECONDS); True if it is."""
        if now < self._retry_at:
            return False
        self._retry_at = now + OUTPUT_RETRY_SECONDS
        try:
            self._open_player()
        except Exception as error:  # still gone: PortAudio errors are plain exceptions
            log.info("the audio output is still gone: %s", error)
            return False
        log.info("the audio output is back after %.1f s", now - (self._lost_since or now))
        self._lost_since = None
        call_back(self._on_problem, SPEECH_BACK)
        return True

    def _drained(self, playing: Playing) -> None:
        """PortAudio's thread: the last sample of a line went to the device."""
        self._commands.put(_Done(playing))

    def _run(self) -> None:
        try:
            self._set_up()
        except Exception as error:  # never let set-up kill the session
            log.exception("narrator set-up failed")
            self._report(str(error))
        finally:
            self._voice_checked.set()
            self._ready.set()
        try:
            while True:
                try:
                    self._loop()
                    return
                except Exception as error:  # a bug must not silence the session: go on in captions
                    log.exception("narrator failed")
                    self._report(f"the narrator failed: {error}")
        finally:
            if self._player is not None:
                with contextlib.suppress(Exception):
                    self._player.close()
                self._player = None
            if self._renderer is not None:
                self._renderer.close()

    def _loop(self) -> None:
        pending: deque[_Line] = deque()
        current: Playing | None = None
        drains: list[threading.Event] = []
        while True:
            if current is not None:
                self._prepare(pending)
            command = self._next_command(current)
            now = time.monotonic()
            if isinstance(command, _Say):
                if self._captions is not None:
                    self._captions.say(command.text, SayKind.INFO)
                elif (self._lost_since is not None and current is None and not pending
                      and not self._output_back(now)):
                    self._show(command.text)  # at once, as captions are: no output yet
                else:
                    pending.append(_Line(command.text, command.generation,
                                         drop_after=command.drop_after))
            elif isinstance(command, _Done):
                if command.playing is current:
                    current.drained_at = now
            elif isinstance(command, _Drain):
                drains.append(command.done)
            elif command in (_SILENCE, _CLOSE):
                if current is not None:
                    self._cut(current, now)
                    current = None
                if self._captions is not None:
                    self._captions.silence()
                if command == _CLOSE:
                    return
            if current is not None and self._over(current, now):
                call_back(self._on_line_end, current.text, time.monotonic())
                if current.drained_at is None and self._player is not None \
                        and self._player.stalled(now):
                    self._output_lost(now)
                current = None
            if current is None:
                current = self._start_next(pending)
            if current is None and not pending:
                for done in drains:
                    done.set()
                drains.clear()
                with self._lock:
                    if self._commands.empty():
                        self._idle = True

    def _next_command(self, current: Playing | None) -> Any:
        """The next command, or None when the current line may have ended meanwhile."""
        timeout: float | None = None
        if current is not None:
            latency = self._player.latency if self._player else 0.0
            due = (
                current.drained_at + latency
                if current.drained_at is not None
                else current.expected_end + 2.0  # the stream stalled: give up on the line
            )
            timeout = max(0.0, due - time.monotonic())
        try:
            return self._commands.get(timeout=timeout)
        except queue.Empty:
            return None

    def _over(self, current: Playing, now: float) -> bool:
        latency = self._player.latency if self._player else 0.0
        if current.drained_at is not None:
            return now >= current.drained_at + latency
        return now >= current.expected_end + 2.0

    def _cut(self, current: Playing, now: float) -> None:
        if self._player is not None:
            try:
                self._player.cut()
            except Exception as error:
                self._report(f"the audio output failed: {error}", OUTPUT_HINT)
        call_back(self._on_line_end, current.text, now)

    def _prepare(self, pending: deque[_Line]) -> None:
        """Render the next queued line while the current one plays."""
        for line in pending:
            if line.generation == self._generation and line.clip is None:
                self._render(line)
                return

    def _render(self, line: _Line) -> None:
        if self._renderer is None:
            return
        try:
            line.clip = self._renderer.render(line.text)
        except (SpeechUnavailable, VoiceError) as error:
            self._report(str(error))
        except Exception as error:  # e.g. the temp folder vanished: captions beat a crash
            log.exception("rendering %r failed", line.text)
            self._report(f"rendering failed: {error}")

    def _start_next(self, pending: deque[_Line]) -> Playing | None:
        """Play the next line still wanted (same generation), or show it as a caption."""
        while pending:
            line = pending.popleft()
            if line.generation != self._generation:
                continue
            if line.drop_after is not None and time.monotonic() > line.drop_after:
                continue  # a count queued behind a long line: late, it would only confuse
            now = time.monotonic()
            if self._player is not None and self._player.stalled(now):
                self._output_lost(now)
            if self._lost_since is not None and not self._output_back(now):
                self._show(line.text)  # nothing plays: the mic can't hear it
                continue
            if line.clip is None:
                self._render(line)
            if self._captions is not None or self._player is None or line.clip is None:
                self._fallback_caption(line, pending)
                return None
            if line.generation != self._generation:
                continue  # silenced while rendering
            samples = line.clip.samples
            if self._player.rate != line.clip.sample_rate:
                samples = resample(samples, line.clip.sample_rate, self._player.rate)
            start = time.monotonic()
            end = start + self._player.latency + len(samples) / self._player.rate
            playing = Playing(line.text, line.generation, samples, start, end)
            call_back(self._on_caption, line.text)
            call_back(self._on_line_start, line.text, start, end)
            self._player.play(playing)
            return playing
        return None

    def _show(self, text: str) -> None:
        """A line as a caption while no output plays it."""
        if self._on_caption is None:
            print(text)
        else:
            call_back(self._on_caption, text)

    def _fallback_caption(self, line: _Line, pending: deque[_Line]) -> None:
        if self._captions is None:
            self._report("no speech")
        assert self._captions is not None
        for waiting in (line, *pending):
            if waiting.generation == self._generation:
                self._captions.say(waiting.text, SayKind.INFO)
        pending.clear()
