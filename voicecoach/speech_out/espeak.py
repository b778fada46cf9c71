"""pyttsx3's espeak-ng engine and the voices it can select, without the audio stack:
``voicecoach voices`` checks every profile's voice with it in a few milliseconds, as a
:class:`~voicecoach.speech_out.tts.Renderer` checks its own before it renders."""

from __future__ import annotations

import logging
from typing import Any

from voicecoach.speech_out.errors import SpeechUnavailable
from voicecoach.speech_out.profiles import VoiceError, VoiceProfile

log = logging.getLogger(__name__)

INSTALL_HINT = "install espeak-ng (apt install espeak-ng) and pyttsx3 (pip install pyttsx3)"


def _quiet_print(*args: object, **_kwargs: object) -> None:
    log.debug("pyttsx3: %s", " ".join(str(arg) for arg in args))


def open_engine() -> tuple[Any, Any]:
    """pyttsx3's espeak engine and its low-level espeak-ng module, or SpeechUnavailable."""
    try:
        import pyttsx3
        from pyttsx3.drivers import _espeak
        from pyttsx3.drivers import espeak as espeak_driver
    except ImportError as error:
        raise SpeechUnavailable(f"pyttsx3 is not installed ({error}): {INSTALL_HINT}") from None
    except OSError as error:  # libespeak-ng.so.1 not found
        raise SpeechUnavailable(f"espeak-ng library not found ({error}): {INSTALL_HINT}") from None
    espeak_driver.print = _quiet_print  # the driver's stray stdout print (see tts.py)
    try:
        engine = pyttsx3.init("espeak")
    except Exception as error:
        raise SpeechUnavailable(f"could not start espeak-ng ({error}): {INSTALL_HINT}") from None
    return engine, _espeak


def selectable_voices() -> list[Any]:
    """The voices pyttsx3's espeak driver lists (each with an ``id`` and a ``name``)."""
    engine, _ = open_engine()
    return list(engine.getProperty("voices"))


def espeak_voice_ids() -> list[str]:
    """The voice names pyttsx3's espeak driver can select, e.g. ``gmw/en-us``."""
    return [voice.id for voice in selectable_voices()]


def voice_known(wanted: str, voices: list[Any]) -> bool:
    """Whether ``wanted`` (a profile's ``espeak_voice``) is one of ``voices``."""
    wanted = wanted.lower()
    for voice in voices:
        voice_id = str(voice.id).lower()
        if voice_id.startswith("mb/"):
            continue  # MBROLA voices are listed even when mbrola is not installed
        if wanted in (voice_id, voice_id.rsplit("/", 1)[-1], str(voice.name).lower()):
            return True
    return False


def check_speakable(profile: VoiceProfile) -> None:
    """Raise the profile's VoiceError when espeak-ng has no voice of its ``espeak_voice``
    (SpeechUnavailable when espeak-ng is not there at all): said before any work starts.
    From the thread that renders speech, as every use of the engine."""
    voices = selectable_voices()
    if not voice_known(profile.espeak_voice, voices):
        raise unknown_voice(profile, voices)


def unknown_voice(profile: VoiceProfile, voices: list[Any]) -> VoiceError:
    """The error for a profile whose ``espeak_voice`` is none of ``voices``."""
    english = sorted(
        str(v.id).rsplit("/", 1)[-1]
        for v in voices
        if str(v.id).rsplit("/", 1)[-1].startswith("en") and "mb/" not in str(v.id)
    )
    error = VoiceError(
        profile.source,
        "espeak_voice",
        f"{profile.espeak_voice!r} is not a voice espeak-ng has here; "
        f"its English ones: {', '.join(english)}",
    )
    try:
        return error.at_line(profile.source.read_text(encoding="utf-8")) if profile.source \
            else error
    except (OSError, UnicodeDecodeError):
        return error
