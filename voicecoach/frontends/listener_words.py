"""What the listener's state reads as, in words, for every front end."""

from __future__ import annotations

import re

from voicecoach.speech_in.events import ListenerState, ListenerStatus

USE_THE_KEYS = "use the keys"
NO_KEYS_TO_USE = "the session goes on without commands (Ctrl-C quits)"
"""Where there are no keys either (the input is not a terminal)."""

LISTENER_STATES: dict[ListenerState, str] = {
    ListenerState.LISTENING: "listening",
    ListenerState.IGNORING: "coach speaking: stop or pause",
    ListenerState.NO_MICROPHONE: "no microphone",
    ListenerState.NO_MODEL: "no speech model",
    ListenerState.STARTING: "starting…",
    ListenerState.OFF: f"voice off — {USE_THE_KEYS}",
}
"""How each listener state reads on screen."""


def listener_text(status: ListenerStatus, *, keys: bool = True) -> str:
    """The listener's state as a line; for the problem states with their detail and a
    reminder that the keys still work (unless the detail says so already, or there are
    no ``keys``: the input is not a terminal), read as one sentence: "no speech model: no
    Vosk speech model at … — use the keys"."""
    text = LISTENER_STATES[status.state]
    if status.state.unavailable:
        if status.detail.startswith(text):  # "no microphone found: …", not twice
            text = status.detail
        elif status.detail:
            text += f": {_carried_on(status.detail)}"
        if not keys:
            text = re.sub(rf"\s*[;:—-]?\s*(meanwhile )?{USE_THE_KEYS}", "", text)
            text = f"{text.removesuffix('.')} — {NO_KEYS_TO_USE}"
        elif USE_THE_KEYS not in status.detail:
            text = f"{text.removesuffix('.')} — {USE_THE_KEYS}"
    return text


def _carried_on(detail: str) -> str:
    """A detail that opens with a sentence's capital ("No Vosk speech model at …") as it
    reads after a colon ("no Vosk …"); a name ("PortAudio", "ALSA") keeps its capitals."""
    first = detail.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return detail[0].lower() + detail[1:]
    return detail
