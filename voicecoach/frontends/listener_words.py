"""What the listener's state reads as, in words, for every front end."""

from __future__ import annotations

import re

from voicecoach.core.commands import Command, key_label, normalize
from voicecoach.speech_in.events import ListenerState, ListenerStatus, Rejected, RejectReason

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


NEAR_MISSES: dict[str, Command] = {
    # "what's next" is no command (core/commands.py, PHRASES, says why); in rooms it
    # comes out as "what next". "what's" is no word of the grammar, but a person types it.
    "what next": Command.WHATS_NEXT,
    "what's next": Command.WHATS_NEXT,
    "whats next": Command.WHATS_NEXT,
    # "how long" is none either; "long" is no word of the grammar: "how longer".
    "how long": Command.TIME_LEFT,
    "how longer": Command.TIME_LEFT,
    "how many": Command.HOW_MANY_LEFT,  # both its phrases start so
    # "slower" comes out as "slow" and a sound; "faster" alone is no command.
    "slow": Command.SLOWER,
    "slower": Command.SLOWER,
    "faster": Command.FASTER,
}
"""What was heard (normalized) when a person came close to a command, and the command,
whose words a hint then offers. Only where one command is meant: not "how" (a lost
"help", or "how long", "how many"), not "go on" ("hold on" or "keep going"), and "help"
and "quit" come out as no words of the grammar ("…") or as a command ("wait")."""

HINTED: frozenset[RejectReason] = frozenset({RejectReason.NOT_A_COMMAND,
                                             RejectReason.EXTRA_WORDS})
"""Why a near miss was refused when it gets a hint: not the narrator's words, nor
someone's far fainter than the person's commands."""


def near_miss_hint(event: Rejected) -> str | None:
    """What to say instead of a near miss ("what next": 'say “what comes next”'), or
    None for anything else."""
    command = NEAR_MISSES.get(normalize(event.text)) if event.reason in HINTED else None
    return f"say “{key_label(command)}”" if command is not None else None
