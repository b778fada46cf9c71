"""The commands a person can give, by voice or key, and the phrases that mean them."""

from __future__ import annotations

import re
from enum import StrEnum

from voicecoach.core.words import and_list


class Command(StrEnum):
    """Everything the session engine can be told to do."""

    NEXT = "next"
    BACK = "back"
    PAUSE = "pause"
    RESUME = "resume"
    EASIER = "easier"
    HARDER = "harder"
    REPEAT = "repeat"
    STOP = "stop"
    DONE = "done"
    HELP = "help"
    SLOWER = "slower"
    FASTER = "faster"
    WHATS_NEXT = "whats-next"
    HOW_MANY_LEFT = "how-many-left"
    TIME_LEFT = "time-left"


PHRASES: dict[Command, tuple[str, ...]] = {
    Command.NEXT: ("next", "skip", "next one"),
    Command.BACK: ("back", "previous", "go back"),
    Command.PAUSE: ("pause", "wait", "hold on"),
    # Not "go on": Vosk hears a breathless "hold on" (pause) as "go on", its opposite.
    Command.RESUME: ("resume", "continue", "keep going"),
    # Not "too hard": in reverberant rooms it was heard as "harder", its opposite, and it
    # was missed far more often than "too much" (dev voices, RT60 0.5 s, 10 dB: 9 of 18
    # against 0 of 18).
    Command.EASIER: ("easier", "too much", "make it easier"),
    Command.HARDER: ("harder", "make it harder"),
    Command.REPEAT: ("repeat", "say again", "again"),
    # Not "quit": in reverberant rooms it was heard 5 times in 12 at 20 dB and once in 18
    # at 10 dB, and as "wait" (a pause) now and then (dev voices, RT60 0.5 s).
    Command.STOP: ("stop", "that hurts"),
    Command.DONE: ("done", "finished"),
    # Not "help": in reverberant rooms it was lost 9 times in 12 (heard as "how" or "no"),
    # and a person's "oh", "huh", "ugh" or "come on" was obeyed as it (dev voices, RT60
    # 0.5 s, 20 dB: 7 of the 20 remarks taken for commands once "how long" was gone).
    Command.HELP: ("commands",),
    # Not "slower": the small model hears it as "slow" plus a sound about a third of the
    # time (listener benchmark).
    Command.SLOWER: ("slow down", "go slower"),
    # Not "speed up": in reverberant rooms a voice's "skip" (next) came out as "speed up"
    # (dev voices, RT60 0.5 s: 2 of 12 at 20 dB, 2 of 18 at 10 dB; none without it).
    # Not "faster" alone: in rooms a person's "that's better" was heard as it (held-out
    # voices, RT60 0.5 s, 20 dB: 4 of 12), and in the session benchmark a "pause" said
    # over the narrator (its only command nobody gave on the held-out voices).
    Command.FASTER: ("go faster",),
    # Not "what's next" or "what's coming": in reverberant rooms a person's "pause" came out
    # as "what's", a word only those phrases brought into the grammar (dev voices, RT60
    # 0.5 s, 20 dB: "pause" lost 5 times in 12 with them, once with these; with "what
    # next" as well, 3 times). A person's "what's next" comes out as "what comes next" (4
    # espeak voices of 5) or, in rooms, mostly as "what next" (no command); never "next".
    Command.WHATS_NEXT: ("what comes next", "coming up"),
    Command.HOW_MANY_LEFT: ("how many left", "how many more"),
    # Not "how long": a person's "come on", "hang on" and "hello" were obeyed as it (dev
    # voices, RT60 0.5 s, 20 dB: 9 of the 28 remarks taken for commands).
    Command.TIME_LEFT: ("time left", "how much longer"),
}
"""The spoken phrases for each command; the first is the one shown to people."""

LONGEST_PHRASE_WORDS = max(len(phrase.split()) for phrases in PHRASES.values()
                           for phrase in phrases)
"""Words in the longest command phrase ("make it easier")."""

COMMAND_WORDS: frozenset[str] = frozenset(
    word for phrases in PHRASES.values() for phrase in phrases for word in phrase.split())
"""Every word of every command phrase."""

FILLER_WORDS: frozenset[str] = frozenset(
    {"please", "okay", "ok", "uh", "um", "er", "hmm", "now", "coach", "hey"}
)
"""Words that may surround a phrase without changing what it means."""

KEYS: dict[str, Command] = {
    "n": Command.NEXT,
    "b": Command.BACK,
    "e": Command.EASIER,
    "h": Command.HARDER,
    "r": Command.REPEAT,
    "d": Command.DONE,
    "q": Command.STOP,
    "question_mark": Command.HELP,
    "t": Command.TIME_LEFT,
    "minus": Command.SLOWER,
    "plus": Command.FASTER,
    "w": Command.WHATS_NEXT,
    "l": Command.HOW_MANY_LEFT,
}
"""Keyboard keys (Textual key names) for each command; space toggles pause/resume."""

KEY_CHARS: dict[str, str] = {"question_mark": "?", "minus": "-", "plus": "+"}
"""The character typed for Textual key names that are not the character itself."""


def key_label(command: Command) -> str:
    """A command's key's label, for footers and key help: the words to say for it, so a
    label never teaches a word that is not a command ("?" is "commands", not "help")."""
    return PHRASES[command][0]


_PHRASE_TO_COMMAND: dict[str, Command] = {
    phrase: command for command, phrases in PHRASES.items() for phrase in phrases
}


def normalize(text: str) -> str:
    """Lower-case ``text``, drop punctuation and filler words, squeeze spaces."""
    words = re.sub(r"[^a-z' ]+", " ", text.lower()).split()
    return " ".join(word for word in words if word not in FILLER_WORDS)


def parse_phrase(text: str) -> Command | None:
    """The command ``text`` says as a whole, or None.

    Only a whole utterance counts: "pause" is a command, "pause when you feel a good
    stretch" is not.
    """
    return _PHRASE_TO_COMMAND.get(normalize(text))


def is_form_of(word: str, other: str) -> bool:
    """Whether ``other`` is ``word`` or ``word`` inflected ("pause" in "paused", "back" in
    "backward", "resume" in "resuming", an "e" dropped before "-ing"): forms that sound
    alike enough to be misheard for each other. Words under four letters only as
    themselves."""
    if word == other:
        return True
    if len(word) < 4:
        return False
    if other.startswith(word):
        return True
    return word.endswith("e") and other.endswith("ing") and other.startswith(word[:-1])


_ONE_WORD_PHRASES = tuple(sorted(phrase for phrase in _PHRASE_TO_COMMAND if " " not in phrase))


def command_words_in(text: str) -> list[str]:
    """The one-word command phrases ``text`` says, alone or in a form of them ("pause",
    "Paused", "repeating"), in order. A narrator line with one competes with the person:
    their "pause", said as the narrator says it, is taken for the narrator's own word."""
    return [phrase for _, phrase in command_forms_in(text)]


def command_forms_in(text: str) -> list[tuple[str, str]]:
    """(word as ``text`` writes it, lower-cased; the one-word command phrase it says) for
    each command word in ``text``, alone or in a form ("backward", "back"), in order."""
    return [(word, phrase) for word in re.findall(r"[a-z']+", text.lower())
            for phrase in _ONE_WORD_PHRASES if is_form_of(phrase, word)]


def command_word_note(text: str) -> str | None:
    """The note on a narrator line ``text`` that says a command ('says "repeat", a spoken
    command: ...'), for `check` and `import`; None when it says none. A form of a command
    word is quoted as the line writes it, with the command word it sounds like ('says
    "backward" (the command word "back")'), so that the author finds it in the line."""
    phrases: dict[str, list[str]] = {}
    for word, phrase in command_forms_in(text):
        phrases.setdefault(word, []).append(phrase)
    if not phrases:
        return None
    words = []
    for word, said in phrases.items():
        forms = [f'"{phrase}"' for phrase in dict.fromkeys(said) if phrase != word]
        kind = "the command word" if len(forms) == 1 else "the command words"
        words.append(f'"{word}" ({kind} {and_list(forms)})' if forms else f'"{word}"')
    commands = {phrase for said in phrases.values() for phrase in said}
    noun = "a spoken command" if len(commands) == 1 else "spoken commands"
    return f"says {and_list(words)}, {noun}: said as it is read, the person's own may be " \
           "taken for the narrator's"


def grammar_phrases() -> list[str]:
    """Every command phrase plus the filler words, for a recognizer's grammar."""
    return sorted(_PHRASE_TO_COMMAND) + sorted(FILLER_WORDS - {"ok"})

