"""The commands' phrases and keys: each phrase means one command, each key one command."""

from __future__ import annotations

import pytest

from voicecoach.core.commands import (
    FILLER_WORDS,
    KEY_CHARS,
    KEYS,
    PHRASES,
    Command,
    command_word_note,
    command_words_in,
    grammar_phrases,
    key_label,
    normalize,
    parse_phrase,
)
from voicecoach.frontends.terminal import KEY_HELP, TERMINAL_KEYS

PACE = (Command.SLOWER, Command.FASTER, Command.WHATS_NEXT, Command.HOW_MANY_LEFT)


def test_every_command_has_phrases_and_a_key() -> None:
    assert set(PHRASES) == set(Command)
    assert set(KEYS.values()) == set(Command) - {Command.PAUSE, Command.RESUME}  # space


def test_no_phrase_means_two_commands() -> None:
    phrases = [phrase for items in PHRASES.values() for phrase in items]
    assert len(phrases) == len(set(phrases))
    assert all(normalize(phrase) == phrase for phrase in phrases)
    assert not FILLER_WORDS & {word for phrase in phrases for word in phrase.split()}


@pytest.mark.parametrize("command", PACE)
def test_the_pace_phrases_are_whole_phrases(command: Command) -> None:
    for phrase in PHRASES[command]:
        assert parse_phrase(phrase) is command
        assert parse_phrase(f"okay {phrase} please") is command
        assert phrase in grammar_phrases()


def test_how_many_left_and_time_left_do_not_collide() -> None:
    assert parse_phrase("how many left") is Command.HOW_MANY_LEFT
    assert parse_phrase("how many more") is Command.HOW_MANY_LEFT
    assert parse_phrase("time left") is Command.TIME_LEFT
    assert parse_phrase("how much longer") is Command.TIME_LEFT
    assert parse_phrase("how many") is None
    assert parse_phrase("left") is None
    assert parse_phrase("how many longer") is None


def test_words_people_say_to_themselves_are_no_phrases() -> None:
    """"how long" ("come on", "hang on", "hello" were heard as it) and "help" ("oh",
    "huh") were given up as phrases; their commands keep other phrases."""
    assert parse_phrase("how long") is None
    assert parse_phrase("help") is None
    assert parse_phrase("commands") is Command.HELP


def test_what_comes_next_is_not_next() -> None:
    assert parse_phrase("what comes next") is Command.WHATS_NEXT
    assert parse_phrase("What comes next?") is Command.WHATS_NEXT
    assert parse_phrase("coming up") is Command.WHATS_NEXT
    assert parse_phrase("next") is Command.NEXT
    assert parse_phrase("what next") is None


def test_no_phrase_brings_whats_into_the_grammar() -> None:
    """A person's "pause" in a reverberant room came out as "what's" (of "what's next")."""
    assert parse_phrase("what's next") is None
    assert "what's" not in {word for phrase in grammar_phrases() for word in phrase.split()}


def test_the_pace_keys_and_their_labels() -> None:
    assert {key: KEYS[key] for key in ("minus", "plus", "w", "l")} == {
        "minus": Command.SLOWER, "plus": Command.FASTER, "w": Command.WHATS_NEXT,
        "l": Command.HOW_MANY_LEFT}
    assert (KEY_CHARS["minus"], KEY_CHARS["plus"]) == ("-", "+")
    # The labels are the words to say: never "slower", "faster" or "what's next", which
    # are not commands.
    assert [key_label(c) for c in PACE] == ["slow down", "go faster", "what comes next",
                                            "how many left"]
    assert all(parse_phrase(key_label(c)) is c for c in Command)


def test_the_terminal_takes_one_character_per_key() -> None:
    assert all(len(char) == 1 for char in TERMINAL_KEYS)
    assert len(TERMINAL_KEYS) == len(KEYS)
    assert (TERMINAL_KEYS["-"], TERMINAL_KEYS["+"]) == (Command.SLOWER, Command.FASTER)
    assert (TERMINAL_KEYS["w"], TERMINAL_KEYS["l"]) == (Command.WHATS_NEXT,
                                                        Command.HOW_MANY_LEFT)
    assert "- slow down, + go faster, w what comes next, l how many left" in KEY_HELP


def test_command_words_in_a_line_are_its_one_word_phrases_in_order() -> None:
    assert command_words_in("Pause when you feel it, then roll back. Pause.") == [
        "pause", "back", "pause"]
    assert command_words_in("Keep going, slowly, and hold on.") == []
    assert command_words_in("Paused, then stopping against the wall.") == [
        "pause", "stop", "again"]
    assert command_words_in("Switch sides and REPEAT.") == ["repeat"]


def test_the_note_quotes_a_form_as_the_line_writes_it_with_its_command_word() -> None:
    """"backward" sounds like "back" and is noted, but the author looks for "backward" in
    the line: the note quotes that, then the command word."""
    tail = ", a spoken command: said as it is read, the person's own may be taken for " \
           "the narrator's"
    assert command_word_note("Lean backward, slowly.") == (
        'says "backward" (the command word "back")' + tail)
    assert command_word_note("Roll BACK.") == 'says "back"' + tail
    assert command_word_note("Back, then backward.") == (
        'says "back" and "backward" (the command word "back")' + tail)
    note = command_word_note("Paused, then stopping against the wall.")
    assert note is not None and note.startswith(
        'says "paused" (the command word "pause"), "stopping" (the command word "stop") '
        'and "against" (the command word "again"), spoken commands: ')
    assert command_word_note("Hold on, keep going.") is None
