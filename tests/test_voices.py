"""Narrator profiles: the shipped ones load, broken ones name the file and the field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.routines import TINY_ROUTINE
from voicecoach.cli.status import ExitStatus
from voicecoach.core.cues import SayKind
from voicecoach.speech_out.profiles import (
    DEFAULT_VOICE,
    Chattiness,
    VoiceError,
    list_voices,
    load_voice,
)

GOOD = """
name = "{name}"
description = "test voice"
espeak_voice = "en-us"
rate = 160
volume = 0.8
pitch = 45
chattiness = "normal"
"""


def write_profile(folder: Path, name: str, text: str | None = None) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(GOOD.format(name=name) if text is None else text)
    return path


def test_shipped_profiles_load() -> None:
    voices = {profile.name: profile for profile in list_voices()}
    assert {"calm", "brisk"} <= set(voices)
    calm, brisk = voices["calm"], voices["brisk"]
    assert DEFAULT_VOICE == "calm"
    assert load_voice() == calm
    assert calm.chattiness is Chattiness.CHATTY
    assert brisk.chattiness is Chattiness.TERSE
    assert calm.rate < brisk.rate
    assert calm.pitch is not None and brisk.pitch is not None and calm.pitch < brisk.pitch
    assert calm.words_per_minute == calm.rate
    assert calm.source is not None and calm.source.name == "calm.toml"


def test_load_by_path(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "mine")
    profile = load_voice(path)
    assert (profile.name, profile.rate, profile.volume, profile.pitch) == ("mine", 160, 0.8, 45)
    assert load_voice(str(path)) == profile


def test_user_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICECOACH_DATA", str(tmp_path))
    (tmp_path / "voices").mkdir()
    write_profile(tmp_path / "voices", "calm")
    assert load_voice("calm").description == "test voice"
    names = [profile.name for profile in list_voices()]
    assert names.count("calm") == 1


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(VoiceError, match=r"no voice profile named 'shouty'.*calm"):
        load_voice("shouty")


def test_terse_drops_encouragement_only() -> None:
    brisk, calm = load_voice("brisk"), load_voice("calm")
    assert not brisk.wants(SayKind.ENCOURAGE, "Halfway there.")
    for kind in SayKind:
        assert calm.wants(kind, "Five.")
        if kind is not SayKind.ENCOURAGE:
            assert brisk.wants(kind, "Five.")
    assert not calm.wants(SayKind.INSTRUCTION, "   ")


def test_estimate_grows_with_text_and_shrinks_with_rate() -> None:
    calm, brisk = load_voice("calm"), load_voice("brisk")
    short, long = "Good.", "Lie on your back with your knees bent and your feet flat on the floor."
    assert calm.estimate_seconds("") == 0.0
    assert calm.estimate_seconds(" . ") == 0.0
    assert 0 < calm.estimate_seconds(short) < calm.estimate_seconds(long)
    assert brisk.estimate_seconds(long) < calm.estimate_seconds(long)
    assert calm.estimate_seconds("Rep 7 of 10.") > calm.estimate_seconds("Rep of.")
    assert calm.seconds_per_word == pytest.approx(0.95 * 60 / calm.rate)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (GOOD.format(name="bad") + "loudness = 3\n", "loudness", "unknown key"),
        (GOOD.format(name="bad").replace("espeak_voice =", "espeak_voise ="), "espeak_voise",
         "unknown key (known keys: name, description, espeak_voice, rate, volume, pitch, "
         "chattiness); did you mean 'espeak_voice'?"),
        (GOOD.format(name="bad").replace("rate = 160", 'rate = "fast"'), "rate",
         "must be a whole number, got the text 'fast'"),
        (GOOD.format(name="bad").replace("rate = 160", "rate = 160.5"), "rate",
         "must be a whole number, got 160.5"),
        (GOOD.format(name="bad").replace("rate = 160", "rate = 20"), "rate",
         "must be from 80 to 450 words per minute, got 20"),
        (GOOD.format(name="bad").replace("volume = 0.8", "volume = 1.5"), "volume",
         "must be from 0 to 1, got 1.5"),
        (GOOD.format(name="bad").replace("volume = 0.8", "volume = true"), "volume", "must be"),
        (GOOD.format(name="bad").replace("pitch = 45", "pitch = 140"), "pitch",
         "must be from 0 to 100, got 140"),
        (
            GOOD.format(name="bad").replace('"normal"', '"chirpy"'),
            "chattiness",
            "not one of chatty, normal, terse",
        ),
        (
            GOOD.format(name="bad").replace('espeak_voice = "en-us"\n', ""),
            "espeak_voice",
            "missing",
        ),
        (GOOD.format(name="sprecher_ü"), "name",
         "'sprecher_ü' is not a profile name: use lowercase ASCII letters a-z, digits 0-9, "
         "'-' or '_', beginning with a letter or digit, and the file's name to match"),
        (GOOD.format(name="bad\\n"), "name", "'bad\\n' is not a profile name: use lowercase"),
        (GOOD.format(name="other"), "name",
         "must be the file's name without .toml ('bad'), got 'other'"),
    ],
)
def test_broken_profile_names_file_and_field(
    tmp_path: Path, body: str, field: str, message: str
) -> None:
    path = write_profile(tmp_path, "bad", body)
    with pytest.raises(VoiceError) as caught:
        load_voice(path)
    assert caught.value.path == path
    assert caught.value.field == field
    assert str(path) in str(caught.value)
    line = next(number for number, text in enumerate(body.splitlines(), start=1)
                if text.startswith(f"{field} =")) if f"\n{field} =" in f"\n{body}" else None
    where = f"{path}:{line}" if line else f"{path}"
    assert str(caught.value) == f"{where}: field '{field}': {caught.value.problem}"
    assert message in caught.value.problem


@pytest.mark.parametrize(("body", "message"), [
    (b"name = \"x\"\n\nname = \n", ":3: TOML syntax error: Invalid value"),
    (b"name = \"x\"\nrate = 150 wpm\n",
     ":2: field 'rate': write the number plain, without a unit: rate = 150"),
    (b"", ": no fields; a profile gives at least name, description, espeak_voice and rate"),
    (b"# only a comment\n", ": no fields;"),
    (b"name = \"x\"\ndescription = \"caf\xe9\"\n",
     ":2: not UTF-8 text (at byte offset 29 of the file; save it as UTF-8)"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", ": not a voice profile file (WAV audio); a voice "
                                        "profile is a TOML file"),
])
def test_a_file_that_is_no_profile_is_named_with_its_line(
        tmp_path: Path, body: bytes, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(body)
    with pytest.raises(VoiceError) as caught:
        load_voice(path)
    assert str(caught.value).startswith(f"{path}{message}")


@pytest.mark.parametrize(("given", "message"), [
    ("calmm", "no voice profile named 'calmm' (available: brisk, calm); did you mean 'calm'?"),
    ("Brisk", "did you mean 'brisk'?"),
    ("{tmp}", "{tmp}: not a regular file (a folder); a voice profile is a TOML file"),
    ("{tmp}/take.wav", "{tmp}/take.wav: not a voice profile file (WAV audio)"),
    ("{tmp}/fifo.toml", "{tmp}/fifo.toml: not a regular file (a FIFO); a voice profile is"),
    ("take.mp3", "take.mp3: no such file"),
    ("brisk.toml", "brisk.toml: no such file; did you mean --voice brisk, the profile?"),
    ("calm.", "calm.: no such file; did you mean --voice calm, the profile?"),
])
def test_a_voice_given_wrong_says_what_was_given(
        tmp_path: Path, given: str, message: str) -> None:
    """A typo gets the profile meant; a file or folder is read as one, not as a name."""
    (tmp_path / "take.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    os.mkfifo(tmp_path / "fifo.toml")  # read, it would wait for a writer for ever
    with pytest.raises(VoiceError) as caught:
        load_voice(given.format(tmp=tmp_path))
    assert message.format(tmp=tmp_path) in str(caught.value)


@pytest.mark.parametrize("table", ["[[exercises]]", "[[exercise]]"])
def test_a_routine_file_given_as_a_voice_is_called_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str) -> None:
    """Not "field 'format': unknown key": the person gave the wrong file."""
    from voicecoach.cli.main import main

    routine = tmp_path / "t.toml"
    routine.write_text("format = 1\n" + TINY_ROUTINE.replace("[[exercises]]", table))
    assert main(["export", "back-pain", str(tmp_path / "t.wav"), "--voice", str(routine)]) \
        == ExitStatus.BAD_INPUT
    assert capsys.readouterr().err.endswith(
        f"voicecoach: {routine}: is a routine file, not a voice profile; give --voice a "
        "profile's name or file (voicecoach voices lists them)\n")
    assert not (tmp_path / "t.wav").exists()


def voices_listed_with(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str,
                       new: str) -> ExitStatus:
    """``voicecoach voices`` with the user's profile ``name``: GOOD with ``old`` made
    ``new``, in ``folder`` as the data folder."""
    from voicecoach.cli.main import main

    monkeypatch.setenv("VOICECOACH_DATA", str(folder))
    (folder / "voices").mkdir(exist_ok=True)
    write_profile(folder / "voices", name, GOOD.format(name=name).replace(old, new))
    return main(["voices"])


def test_one_broken_profile_is_named_and_the_good_ones_are_still_listed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    status = voices_listed_with(tmp_path, monkeypatch, "slow", "rate = 160", "rate = -20")
    assert status is ExitStatus.BAD_INPUT
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "brisk      Quick and to the point, no encouragement",
        "calm       Slow and low, with encouragement",
        "",
        f"Your own profiles go in {tmp_path / 'voices'}/ (NAME.toml; one named as a shipped "
        "profile takes its place)."]
    line = GOOD.splitlines().index("rate = 160") + 1
    assert err == (f"voicecoach: not usable: {tmp_path / 'voices' / 'slow.toml'}:{line}: "
                   "field 'rate': must be from 80 to 450 words per minute, got -20\n")
    assert load_voice("calm").name == "calm"  # a session with another voice still starts


def test_a_profile_whose_espeak_voice_is_not_installed_is_marked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from voicecoach.speech_out.tts import Renderer

    status = voices_listed_with(tmp_path, monkeypatch, "wrongname", '"en-us"',
                                '"xx-nonexistent"')
    assert status is ExitStatus.BAD_INPUT
    out, err = capsys.readouterr()
    listed = {line.split()[0]: line for line in out.splitlines()[:3]}
    assert listed["wrongname"] == (
        "wrongname  test voice (yours; espeak-ng has no voice 'xx-nonexistent')")
    assert "espeak-ng" not in listed["calm"] + listed["brisk"]
    assert err.startswith(f"voicecoach: not usable: {tmp_path / 'voices' / 'wrongname.toml'}:4: "
                          "field 'espeak_voice': 'xx-nonexistent' is not a voice espeak-ng has")
    with pytest.raises(VoiceError) as caught:
        Renderer(load_voice("wrongname"))  # what export and run say of it
    assert str(caught.value).startswith(  # GOOD's espeak_voice is on its line 4
        f"{tmp_path / 'voices' / 'wrongname.toml'}:4: field 'espeak_voice': 'xx-nonexistent' "
        "is not a voice espeak-ng has here; its English ones: en, ")


def test_a_session_in_a_voice_espeak_lacks_is_refused_before_it_starts(
        tmp_path: Path) -> None:
    """As export refuses it: not a whole session in silence with a notice on the screen."""
    import subprocess
    import sys

    voice = write_profile(tmp_path, "odd", GOOD.format(name="odd").replace('"en-us"', '"xx-no"'))
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY_ROUTINE)
    env = {**os.environ, "VOICECOACH_DATA": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "voicecoach", "run", str(routine), "--voice",
                          str(voice), "--no-tui", "--no-listen", "--log",
                          str(tmp_path / "events.jsonl")], env=env, capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert run.returncode == ExitStatus.BAD_INPUT
    assert run.stderr.startswith(f"voicecoach: {voice}:4: field 'espeak_voice': 'xx-no' is "
                                 "not a voice espeak-ng has here; its English ones: en, ")
    assert run.stdout == ""
    assert not (tmp_path / "data" / "history.jsonl").exists()
    assert not (tmp_path / "events.jsonl").exists()


def test_voices_marks_the_users_own_and_the_one_in_place_of_a_shipped_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "voices").mkdir()
    write_profile(tmp_path / "voices", "calm")
    assert voices_listed_with(tmp_path, monkeypatch, "mine", "", "") is ExitStatus.OK
    assert capsys.readouterr().out.splitlines()[:3] == [
        "brisk      Quick and to the point, no encouragement",
        "calm       test voice (yours, in place of the shipped one)",
        "mine       test voice (yours)"]


def test_a_profile_missing_several_fields_names_them_all_and_what_is_optional(
        tmp_path: Path) -> None:
    path = write_profile(tmp_path, "bare", 'name = "bare"\nrate = 150\n')
    with pytest.raises(VoiceError) as caught:
        load_voice(path)
    assert str(caught.value) == (
        f"{path}: fields missing: description and espeak_voice (a profile gives name, "
        "description, espeak_voice and rate; volume, pitch and chattiness are optional)")
