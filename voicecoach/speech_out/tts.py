"""Turn a line of text into audio samples with pyttsx3 on espeak-ng.

The :class:`Renderer` belongs to the thread that created it (the narrator thread): pyttsx3
keeps one engine per process and espeak-ng is process-global, so rendering from another
thread raises. What pyttsx3 2.99's espeak driver needs to be reliable (seen on Debian 12,
espeak-ng 1.51):

- Its ``save_to_file`` + ``runAndWait`` works and gives 22050 Hz mono 16-bit speech.
- It initialises espeak-ng in its asynchronous mode, where ``rate``/``pitch``/``volume``
  changes wait in espeak-ng's command queue; ``runAndWait`` calls ``espeak_Cancel`` whenever
  that queue is busy, which drops the pending changes and resets them, so a line would come
  out at the previous (or default) speed. The renderer therefore sets the properties and
  waits for espeak-ng to go idle before every line.
- An unknown voice does not raise: the driver reports it on pyttsx3's ``error`` topic and
  keeps the previous voice, so the renderer checks the voice list up front and listens for
  errors during a render.
- The driver prints "Audio saved to ..." on stdout (which would scribble over a TUI); the
  renderer routes that print to the log.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from pathlib import Path

import numpy as np

from voicecoach.audio.files import read_clip, write_wav
from voicecoach.audio.pcm import Clip
from voicecoach.speech_out.errors import SpeechUnavailable
from voicecoach.speech_out.espeak import open_engine, unknown_voice, voice_known
from voicecoach.speech_out.profiles import VoiceProfile

_ESPEAK_LOCK = threading.Lock()
"""espeak-ng is process-global: one render at a time, whichever Renderer asks."""
_IDLE_TIMEOUT = 5.0


class Renderer:
    """Renders lines for one profile, caching clips by (profile, text).

    Use it only from the thread that created it. ``cache_dir`` keeps WAV files across runs.
    """

    def __init__(
        self,
        profile: VoiceProfile,
        *,
        cache_size: int = 300,
        cache_dir: Path | None = None,
    ) -> None:
        self.profile = profile
        self.cache_size = cache_size
        self.cache_dir = cache_dir
        self.renders = 0
        """How many lines went through espeak-ng (cache misses)."""
        self.hits = 0
        """How many lines came from the memory or disk cache."""
        self._owner = threading.get_ident()
        self._cache: OrderedDict[tuple[VoiceProfile, str], Clip] = OrderedDict()
        self._errors: list[BaseException] = []
        self._engine, self._espeak = open_engine()
        voices = self._engine.getProperty("voices")
        if not voice_known(profile.espeak_voice, voices):
            raise unknown_voice(profile, voices)
        self._token = self._engine.connect("error", self._on_error)
        self._tmp = Path(tempfile.mkdtemp(prefix="voicecoach-tts-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self._tmp, True)
        if self._engine.isBusy():
            self._warm_up()

    def _warm_up(self) -> None:
        """Render one throwaway word: a fresh engine queues property changes until then."""
        with _ESPEAK_LOCK:
            self._engine.save_to_file("ready", str(self._tmp / "warm-up.wav"))
            self._engine.runAndWait()
            self._wait_idle()

    def _on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("pyttsx3 reported an error"))

    def close(self) -> None:
        """Drop the cache and temporary files; the engine stays for the process."""
        self._engine.disconnect(self._token)
        self._cache.clear()
        self._finalizer()

    def _disk_path(self, text: str) -> Path | None:
        if self.cache_dir is None:
            return None
        p = self.profile
        key = "\n".join(
            [p.espeak_voice, str(p.rate), f"{p.volume:.3f}", str(p.pitch), text]
        ).encode("utf-8")
        return self.cache_dir / f"{hashlib.sha256(key).hexdigest()[:32]}.wav"

    def render(self, text: str) -> Clip:
        """The spoken ``text``; blank text gives an empty clip."""
        if threading.get_ident() != self._owner:
            raise RuntimeError("a Renderer must be used by the thread that created it")
        key = (self.profile, text)
        clip = self._cache.get(key)
        if clip is not None:
            self._cache.move_to_end(key)
            self.hits += 1
            return clip
        disk = self._disk_path(text)
        if disk is not None and disk.is_file():
            clip = read_clip(disk)
            self.hits += 1
        else:
            clip = self._synthesize(text)
            if disk is not None and len(clip.samples):
                disk.parent.mkdir(parents=True, exist_ok=True)
                partial = disk.with_suffix(".part")
                write_wav(partial, clip)
                partial.replace(disk)
        self._cache[key] = clip
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return clip

    def _wait_idle(self) -> None:
        deadline = time.monotonic() + _IDLE_TIMEOUT
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise SpeechUnavailable("espeak-ng stayed busy for 5 s; is it stuck?")
            time.sleep(0.002)

    def _current(self, parameter: int) -> int:
        # pyttsx3's GetParameter binding drops espeak_GetParameter's ``current`` argument.
        return int(self._espeak.dll.espeak_GetParameter(parameter, 1))

    def _apply_profile(self) -> None:
        """Set voice, rate, volume and pitch, and wait until espeak-ng really uses them."""
        p = self.profile
        wanted = {
            self._espeak.RATE: p.rate,
            self._espeak.VOLUME: round(p.volume * 100),
            self._espeak.PITCH: 50 if p.pitch is None else p.pitch,
        }
        for _ in range(3):
            self._engine.setProperty("voice", p.espeak_voice)
            self._engine.setProperty("rate", p.rate)
            self._engine.setProperty("volume", p.volume)
            self._engine.setProperty("pitch", wanted[self._espeak.PITCH])
            self._wait_idle()  # espeak-ng applies them from its queue
            if all(self._current(param) == value for param, value in wanted.items()):
                return
        raise SpeechUnavailable(f"espeak-ng did not take the settings of voice {p.name!r}")

    def _synthesize(self, text: str) -> Clip:
        if not text.strip():
            return Clip(np.zeros(0, dtype=np.int16), 22050)
        out = self._tmp / "line.wav"
        out.unlink(missing_ok=True)
        with _ESPEAK_LOCK:
            self._errors.clear()
            self._wait_idle()
            self._apply_profile()
            self._engine.save_to_file(text, str(out))
            self._engine.runAndWait()
            self._wait_idle()
            errors = list(self._errors)
        if errors:
            raise SpeechUnavailable(f"espeak-ng failed to say {text!r}: {errors[0]}")
        if not out.is_file():
            raise SpeechUnavailable(f"pyttsx3 wrote no audio for {text!r}")
        clip = read_clip(out)
        out.unlink()
        self.renders += 1
        return clip
