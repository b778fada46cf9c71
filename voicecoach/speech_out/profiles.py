"""Narrator profiles: how the coach sounds (voice, speed, pitch) and how much it talks.

A profile is a TOML file ``<name>.toml`` in one of :func:`voicecoach.storage.paths.voices_dirs`
(the user's folder first, so a user file overrides a shipped one)::

    name = "calm"                 # must match the file name
    description = "Slow and warm" # shown in lists
    espeak_voice = "en-us"        # a voice espeak-ng has (espeak-ng --voices)
    rate = 150                    # words per minute (pyttsx3 ``rate``), 80..450
    volume = 0.9                  # 0..1
    pitch = 40                    # optional, 0..100 (espeak-ng's default is 50)
    chattiness = "chatty"         # "chatty" | "normal" | "terse"

``espeak_voice`` is a voice *file* name as in ``espeak-ng --voices`` (``en``, ``en-us``,
``en-gb-x-rp``, ``en-gb-scotland``, optionally prefixed ``gmw/``). Language-only names the
espeak-ng command accepts but its library does not (``en-gb``) fail when rendering.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from voicecoach.core.cues import SayKind
from voicecoach.core.routine_rules import looks_like_routine, shown_value, unknown_key
from voicecoach.core.routine_slips import syntax_slip
from voicecoach.core.words import and_list
from voicecoach.storage.paths import voices_dirs
from voicecoach.storage.text_files import UnreadableText, read_small_text

DEFAULT_VOICE = "calm"
"""The profile used when none is chosen."""

RATE_RANGE = (80, 450)
"""Words per minute espeak-ng can speak without its speed-up stage."""

# Calibration of espeak-ng's real durations (benchmarks/tts_calibration.py re-measures it).
# Durations scale with 60/rate; per line they cost a fixed overhead (including espeak-ng's
# end-of-line pause), a share per letter (a digit counts as 6 letters, since "7" is read
# "seven") and a pause per inner punctuation mark. The constants below are an upper envelope
# fitted on 30 coaching lines at 120..220 wpm with voice en-us: every line came out at least
# 5 % shorter than estimated, on average 29 % shorter.
_SLOTS_PER_LINE = 2.2
_SLOTS_PER_LETTER = 0.185
_SLOTS_PER_PAUSE = 1.8
_SLOTS_PER_WORD = 0.95
"""Measured word-slots per word for lines of ten words or more (0.88..0.94 at 120..220 wpm)."""


class Chattiness(StrEnum):
    """How much a narrator says beyond what is needed."""

    CHATTY = "chatty"
    """Everything, including encouragement."""
    NORMAL = "normal"
    """Everything, including encouragement (the engine may add fewer extras)."""
    TERSE = "terse"
    """Drops encouragement (``SayKind.ENCOURAGE``)."""


class VoiceError(ValueError):
    """A profile could not be found or is malformed; names the file, its line and the
    field, as a routine file's errors do (``calm.toml:4: field 'rate': …``)."""

    def __init__(self, path: Path | str | None, field_name: str | None, problem: str,
                 line: int | None = None) -> None:
        self.path = path
        self.field = field_name
        self.problem = problem
        self.line = line
        where = "" if path is None else f"{path}:{line}" if line else str(path)
        what = f"field '{field_name}': {problem}" if field_name else problem
        super().__init__(f"{where}: {what}" if where else what)

    def at_line(self, text: str) -> VoiceError:
        """The same error, with the line of its field in the profile's ``text``."""
        if self.field is None:
            return self
        pattern = re.compile(rf"\s*{re.escape(self.field)}\s*=")
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.match(line):
                return VoiceError(self.path, self.field, self.problem, number)
        return self


@dataclass(frozen=True)
class VoiceProfile:
    """How the narrator sounds and how much it says."""

    name: str
    """Profile name, same as its file name without ``.toml``."""
    description: str
    """One line for people."""
    espeak_voice: str
    """espeak-ng voice file name, e.g. ``en-us``."""
    rate: int
    """Speaking rate in words per minute (pyttsx3 ``rate``)."""
    volume: float = 1.0
    """Loudness, 0..1."""
    pitch: int | None = None
    """espeak-ng pitch 0..100, or None for the voice's default."""
    chattiness: Chattiness = Chattiness.NORMAL
    """How much to say."""
    source: Path | None = field(default=None, compare=False)
    """The file it was loaded from."""

    @property
    def words_per_minute(self) -> int:
        """The nominal speaking rate (same as ``rate``)."""
        return self.rate

    @property
    def seconds_per_word(self) -> float:
        """Measured seconds per word for a long instruction line (short lines cost more)."""
        return _SLOTS_PER_WORD * 60.0 / self.rate

    def estimate_seconds(self, text: str) -> float:
        """A conservative (slightly long) estimate of how long espeak-ng takes to say ``text``.

        Includes espeak-ng's short end-of-line pause; 0 for a line with nothing to say.
        """
        letters = len(re.findall(r"[^\W\d_]", text))
        digits = len(re.findall(r"\d", text))
        if letters + digits == 0:
            return 0.0
        pauses = len(re.findall(r"[.,:;!?]", text.rstrip(".!? \t\n")))
        slots = (
            _SLOTS_PER_LINE + _SLOTS_PER_LETTER * (letters + 6 * digits) + _SLOTS_PER_PAUSE * pauses
        )
        return slots * 60.0 / self.rate

    def wants(self, kind: SayKind, text: str) -> bool:
        """Whether this narrator says a line of ``kind``: terse drops encouragement.

        Blank lines are never wanted. Chatty and normal keep every line.
        """
        if not text.strip():
            return False
        return not (self.chattiness is Chattiness.TERSE and kind is SayKind.ENCOURAGE)


_FIELDS: dict[str, tuple[type | tuple[type, ...], bool]] = {
    "name": (str, True),
    "description": (str, True),
    "espeak_voice": (str, True),
    "rate": (int, True),
    "volume": ((int, float), False),
    "pitch": (int, False),
    "chattiness": (str, False),
}
"""Each field's TOML type and whether it is required."""

_REQUIRED = [key for key, (_, required) in _FIELDS.items() if required]
_REQUIRED_WORDS = and_list(_REQUIRED)
_OPTIONAL_WORDS = and_list([key for key in _FIELDS if key not in _REQUIRED])
_NUMBER_WITH_UNIT = re.compile(r"\s*([A-Za-z_]+)\s*=\s*(-?\d+(?:\.\d+)?)\s*[^\W\d_%]+\s*")
"""``rate = 150 wpm``: a number written with a unit, which TOML cannot read."""

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""A profile name, whole (``fullmatch``): ASCII only, as it is a file name too."""
_NAME_RULE = ("lowercase ASCII letters a-z, digits 0-9, '-' or '_', beginning with a "
              "letter or digit")
_VOICE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_() .-]*$")


_TYPE_WORDS = {int: "a whole number", float: "a number", str: "text in quotes"}


def _check_type(path: Path, key: str, value: Any) -> None:
    expected, _ = _FIELDS[key]
    if isinstance(value, bool) or not isinstance(value, expected):
        wanted = "a number" if isinstance(expected, tuple) else _TYPE_WORDS[expected]
        got = f"the text {value!r}" if isinstance(value, str) else shown_value(value)
        raise VoiceError(path, key, f"must be {wanted}, got {got}")


def profile_from_dict(data: dict[str, Any], path: Path) -> VoiceProfile:
    """Validate a parsed profile; ``path`` is named in errors (and must match ``name``)."""
    if looks_like_routine(data):
        raise VoiceError(path, None, "is a routine file, not a voice profile; give --voice a "
                                     "profile's name or file (voicecoach voices lists them)")
    for key in data:
        if key not in _FIELDS:
            raise VoiceError(path, key, unknown_key(key, list(_FIELDS)))
    missing = [key for key in _REQUIRED if key not in data]
    if len(missing) > 1:
        raise VoiceError(path, None, f"fields missing: {and_list(missing)} (a profile gives "
                                     f"{_REQUIRED_WORDS}; {_OPTIONAL_WORDS} are optional)")
    if missing:
        raise VoiceError(path, missing[0], "missing")
    for key in _FIELDS:
        if key in data:
            _check_type(path, key, data[key])
    name = data["name"]
    if not _NAME_RE.fullmatch(name):
        raise VoiceError(path, "name", f"{name!r} is not a profile name: use {_NAME_RULE}, "
                                       "and the file's name to match")
    if path.suffix == ".toml" and name != path.stem:
        raise VoiceError(path, "name", f"must be the file's name without .toml "
                                       f"({path.stem!r}), got {name!r}")
    if not _VOICE_RE.match(data["espeak_voice"]):
        raise VoiceError(path, "espeak_voice", f"{data['espeak_voice']!r} is not a voice name")
    rate = data["rate"]
    low, high = RATE_RANGE
    if not low <= rate <= high:
        raise VoiceError(path, "rate", f"must be from {low} to {high} words per minute, "
                                       f"got {rate}")
    volume = float(data.get("volume", 1.0))
    if not (math.isfinite(volume) and 0.0 <= volume <= 1.0):
        raise VoiceError(path, "volume", f"must be from 0 to 1, got {volume:g}")
    pitch = data.get("pitch")
    if pitch is not None and not 0 <= pitch <= 100:
        raise VoiceError(path, "pitch", f"must be from 0 to 100, got {pitch}")
    chattiness_text = data.get("chattiness", Chattiness.NORMAL.value)
    try:
        chattiness = Chattiness(chattiness_text)
    except ValueError:
        allowed = ", ".join(c.value for c in Chattiness)
        raise VoiceError(
            path, "chattiness", f"{chattiness_text!r} is not one of {allowed}"
        ) from None
    return VoiceProfile(
        name=name,
        description=data["description"],
        espeak_voice=data["espeak_voice"],
        rate=rate,
        volume=volume,
        pitch=pitch,
        chattiness=chattiness,
        source=path,
    )


MAX_PROFILE_BYTES = 64 * 1024
"""A profile is a few lines; anything far bigger is some other file."""

def read_voice_text(path: Path) -> str:
    """The text of a profile file (:func:`~voicecoach.storage.text_files.read_small_text`:
    a regular file of UTF-8, at most :data:`MAX_PROFILE_BYTES`)."""
    try:
        return read_small_text(path, limit=MAX_PROFILE_BYTES, kind="voice profile")
    except UnreadableText as unreadable:
        raise VoiceError(path, None, unreadable.problem, unreadable.line) from None


def load_voice_file(path: Path) -> VoiceProfile:
    """Load and validate one profile file."""
    text = read_voice_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        slip = syntax_slip(text, str(error))
        unit = _NUMBER_WITH_UNIT.fullmatch(slip.source)
        if unit:
            key, number = unit.groups()
            raise VoiceError(path, key, f"write the number plain, without a unit: "
                                        f"{key} = {number}", slip.line) from None
        raise VoiceError(path, None, slip.plain(text), slip.line) from None
    except (RecursionError, ValueError) as error:
        raise VoiceError(path, None, f"unreadable TOML: {error}") from None
    if not data:
        raise VoiceError(path, None, f"no fields; a profile gives at least "
                                     f"{_REQUIRED_WORDS} (see the README's \"Narrator profiles\")")
    try:
        return profile_from_dict(data, path)
    except VoiceError as error:
        raise error.at_line(text) from None


def _looks_like_path(name_or_path: str | Path) -> bool:
    """A path, not a profile's name: a name has no "/" and no "." (``calm``)."""
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or "/" in text or "." in text


def find_voice(name: str) -> Path | None:
    """The file a profile name resolves to (user folder first), or None."""
    for folder in voices_dirs():
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    return None


def voice_path(name_or_path: str | Path) -> Path | None:
    """The profile file a name or a path stands for (None: no profile of that name)."""
    if _looks_like_path(name_or_path):
        return Path(name_or_path)
    name = str(name_or_path)
    return find_voice(name) if _NAME_RE.fullmatch(name) else None


def load_voice(name_or_path: str | Path = DEFAULT_VOICE) -> VoiceProfile:
    """Load a profile by name (searching :func:`voices_dirs`) or by path to a TOML file."""
    path = voice_path(name_or_path)
    if path is None:
        name = str(name_or_path)
        names = [profile.name for profile in list_voices()]
        meant = difflib.get_close_matches(name.lower(), names, n=1)
        hint = f"; did you mean {meant[0]!r}?" if meant else ""
        raise VoiceError(None, None, f"no voice profile named {name!r} "
                                     f"(available: {', '.join(names) or 'none'}){hint}")
    if not path.exists() and "/" not in str(name_or_path):  # a name with a slip in it?
        names = [profile.name for profile in list_voices()]
        meant = difflib.get_close_matches(path.stem.lower(), names, n=1)
        if meant:
            raise VoiceError(path, None, f"no such file; did you mean --voice {meant[0]}, "
                                         "the profile?")
    return load_voice_file(path)


def scan_voices() -> tuple[list[VoiceProfile], list[VoiceError]]:
    """Every profile found, by name, and the problem of each file that is not one; a
    user's file hides a shipped one of the same name."""
    seen: dict[str, Path] = {}
    for folder in voices_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                seen.setdefault(path.stem, path)
    profiles, problems = [], []
    for name in sorted(seen):
        try:
            profiles.append(load_voice_file(seen[name]))
        except VoiceError as error:
            problems.append(error)
    return profiles, problems


def list_voices() -> list[VoiceProfile]:
    """Every good profile found, by name (a broken file costs only itself)."""
    return scan_voices()[0]
