"""Spoken commands from audio: a Vosk grammar recognizer plus the rules that make it safe.

Pure pipeline: no threads, no devices. Feed 16-bit mono PCM with the audio time of each
chunk's end; get :class:`~voicecoach.speech_in.events.Heard` (act on it) and
:class:`~voicecoach.speech_in.events.Rejected` (show it, never act).

How it decides:

* **Grammar mode.** Vosk chooses among the command phrases, the filler words, a few
  ordinary words (:data:`DISTRACTORS`) and ``[unk]``. Only a whole utterance that
  normalizes to a phrase is a command (:func:`voicecoach.core.commands.parse_phrase`); an
  utterance with ``[unk]`` (speech outside the grammar) or another word is rejected even if
  it holds a command word, so "lower back pain" or "pause when you feel a good stretch"
  never act. Words below ``min_confidence`` reject too (grammar-mode confidences are
  mostly 1.0, so this only drops garbage).
* **Noise suppression first.** Every chunk goes through WebRTC's noise suppressor
  (:mod:`voicecoach.speech_in.cleanup`) before the gate and the decoder see it: steady noise (fans,
  hum) is what made the small model lose short words.
* **Fast path.** Vosk's own endpoint waits 0.5 s of silence. Instead, as soon as the
  partial result is a complete phrase *and* the cleaned audio has been quiet for
  ``trailing_silence`` (a small energy gate follows the noise floor), the utterance is
  finalized at once (``FinalResult``) and judged on its final words and confidences. So
  it fires about 0.15 s after the word ends, and once: the finalized utterance is gone
  from the decoder. A phrase that begins a longer phrase meaning something else (none
  today: "next" only grows into "next one"; "hold" and "go" are not phrases) waits
  ``ambiguous_silence`` instead, so prefix ambiguity only delays, never misfires. When
  the gate never sees silence (other people talking), Vosk's endpoint decides, later.
* **Tuned model view.** vosk 0.3.45 has no ``SetEndpointerDelays``/``SetEndpointerMode``.
  :func:`load_model` loads the model through a folder of symlinks whose
  ``conf/model.conf`` differs in two lines: ``--endpoint.silence-phones`` keeps only the
  SIL phones (by default the spoken-noise phones that ``[unk]`` uses count as silence, so
  0.5 s of unknown speech ends the utterance and the rest of the sentence becomes a new
  one: "keep your back straight" gave "keep [unk]" then "wait"); ``--frames-per-chunk``
  is lowered so partial results follow the audio every ~0.1 s instead of ~0.25 s. If the
  view cannot be made, the model folder is used as it is.
* **Second look.** A short burst of speech the decoder turned into nothing at all is
  decoded once more, leaning harder on the sound (:mod:`voicecoach.speech_in.second_look`).
* Partial results come from the best path (``SetPartialWords`` is off: its lattice-based
  partials lag the audio by a second or more).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from voicecoach.audio.pcm import SAMPLE_RATE
from voicecoach.core.commands import FILLER_WORDS, PHRASES, grammar_phrases, parse_phrase
from voicecoach.speech_in.cleanup import FrontEnd
from voicecoach.speech_in.events import Heard, RecognitionEvent, Rejected, RejectReason
from voicecoach.speech_in.mic import BLOCK_SECONDS
from voicecoach.speech_in.overlap import (
    NarrationRecord,
    Word,
    is_narrators,
    without_ringing_edges,
)
from voicecoach.speech_in.second_look import ACOUSTIC_SCALE, SecondLook

UNKNOWN = "[unk]"
NARRATION_TAIL = 0.35
"""Seconds after a narrator line ends during which its echo may still be heard."""
RECENT_NARRATION = 4.0
"""Seconds of narration whose words a partial result is read without (the fast path)."""
FRAMES_PER_CHUNK = 9
"""Decoder chunk in 10 ms frames; smaller = fresher partials, more CPU."""

TRAILING_JUNK = frozenset({"uh", "um", "er", "hmm", "hey"})
"""Fillers that may lead a command ("um, pause") but not end one: after a command they are
mostly the grammar soaking up other speech ("hold for sixty seconds" -> "go back hey")."""

DISTRACTORS: tuple[str, ...] = tuple(
    """
    the a and this are be then there here or will just all yes no thank thanks good great
    well nice very more less little bit three four five six seven nine ten eleven twelve
    fifteen twenty thirty sixty ninety hundred begin release rest halfway seconds breathing
    slowly slow stretch stretches knee knees leg legs hip hips foot feet toes arm arms hands
    side sides floor ground spine body thigh chest shoulders head neck straight bent bend
    lean forward gently relax tight right down over under front slightly position exercise
    count times switch start
    """.split()
)
"""Ordinary words in the grammar besides the commands, so that short non-command speech
("Good.", "Halfway.", "Switch sides.", counts) decodes as itself instead of being forced
onto the nearest command; ``[unk]`` alone is too weak for that. Chosen by
``benchmarks/listener_bench.py``: words that pulled real commands away ("can" for
"commands", "not" for "that hurts", "eight" for "easier", "two", "easy", "to", "of", ...)
are left out."""


class ModelUnavailable(RuntimeError):
    """The speech model is missing or cannot be loaded; the message says what to do."""


# --- the model --------------------------------------------------------------------------


def _silence_phones(model: Path, current: str) -> str | None:
    """``current`` (a colon list) without the spoken-noise phones, or None if unsure.

    ``graph/phones/word_boundary.int`` lists phones as ``id kind``; each ``nonword``
    phone starts a group (SIL with its position variants, then SPN with its own). The
    first group is SIL.
    """
    table = model / "graph" / "phones" / "word_boundary.int"
    try:
        rows = [line.split() for line in table.read_text().splitlines() if line.strip()]
        kinds = {int(row[0]): row[1] for row in rows}
        wanted = {int(x) for x in current.split(":") if x}
    except (OSError, ValueError, IndexError):
        return None
    first = min((pid for pid, kind in kinds.items() if kind == "nonword"), default=None)
    if first is None:
        return None
    sil = {first}
    pid = first + 1
    while kinds.get(pid) not in (None, "nonword"):
        sil.add(pid)
        pid += 1
    kept = sorted(wanted & sil)
    return ":".join(map(str, kept)) if kept and len(kept) < len(wanted) else None


def tuned_model_dir(
    model: Path, frames_per_chunk: int = FRAMES_PER_CHUNK, acoustic_scale: float | None = None
) -> Path:
    """A folder that reads as ``model`` but with the tuned ``conf/model.conf`` (and
    ``acoustic_scale`` in place of the model's own, when given).

    Made of symlinks under the temp dir, keyed by content, reused across runs. Returns
    ``model`` itself when its conf is not the expected Kaldi one or links can't be made.
    """
    model = Path(model).resolve()
    conf = model / "conf" / "model.conf"
    try:
        lines = conf.read_text().splitlines()
    except OSError:
        return model
    out: list[str] = []
    for line in lines:
        if line.startswith("--frames-per-chunk"):
            continue
        if acoustic_scale is not None and line.startswith("--acoustic-scale"):
            continue
        if line.startswith("--endpoint.silence-phones="):
            tuned = _silence_phones(model, line.split("=", 1)[1].strip())
            line = f"--endpoint.silence-phones={tuned}" if tuned else line
        out.append(line)
    out.append(f"--frames-per-chunk={frames_per_chunk}")
    if acoustic_scale is not None:
        out.append(f"--acoustic-scale={acoustic_scale}")
    text = "\n".join(out) + "\n"
    key = hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"voicecoach-vosk-{os.getuid()}"
    view = base / key
    if (view / "conf" / "model.conf").is_file():
        return view
    try:
        base.mkdir(mode=0o700, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=base, prefix=".new-"))
        for entry in model.iterdir():
            if entry.name != "conf":
                (staging / entry.name).symlink_to(entry)
        (staging / "conf").mkdir()
        for entry in (model / "conf").iterdir():
            if entry.name != "model.conf":
                (staging / "conf" / entry.name).symlink_to(entry)
        (staging / "conf" / "model.conf").write_text(text)
        try:
            staging.rename(view)
        except OSError:  # another process made it first
            if not (view / "conf" / "model.conf").is_file():
                raise
    except OSError:
        return model
    return view


_load_lock = threading.Lock()


@functools.cache
def _load(path: Path, acoustic_scale: float | None) -> Any:
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model.__new__(vosk.Model)
    # What Model.__del__ frees if __init__ is cut short (Ctrl-C lands as the C call
    # returns, before the handle is stored): NULL, which vosk_model_free ignores. Without
    # it, Ctrl-C while loading printed "Exception ignored in: Model.__del__".
    model._handle = vosk._ffi.NULL
    try:
        model.__init__(str(tuned_model_dir(path, acoustic_scale=acoustic_scale)))
    except Exception as error:  # vosk raises a bare Exception
        raise ModelUnavailable(
            f"could not load the speech model at {path} ({error}): "
            "run `voicecoach model install` to (re)install it"
        ) from error
    return model


def load_model(path: Path, acoustic_scale: float | None = None) -> Any:
    """The ``vosk.Model`` for ``path`` (decoding at ``acoustic_scale`` when given), loaded
    once per process and shared.

    The folder is checked first (:func:`~voicecoach.speech_in.model_check.check_before_load`:
    the installed model against its manifest, any other model by a trial load in a child
    process), because a damaged model crashes Vosk with SIGSEGV instead of raising. A
    model that fails raises :class:`ModelUnavailable` saying which file is wrong and what
    to run; the caller goes on without speech (the keys still work).
    """
    from voicecoach.speech_in.model_check import check_before_load
    from voicecoach.speech_in.models import ModelInvalid

    path = Path(path).resolve()
    if not (path / "am").is_dir() or not (path / "conf").is_dir():
        raise ModelUnavailable(
            f"no Vosk speech model at {path}: run `voicecoach model install`"
        )
    with _load_lock:
        try:
            check_before_load(path)
        except ModelInvalid as invalid:
            raise ModelUnavailable(str(invalid)) from invalid
        return _load(path, acoustic_scale)


# --- judging utterances -----------------------------------------------------------------


def _ambiguous_prefixes() -> frozenset[str]:
    """Phrases that begin a longer phrase of another command (none today)."""
    phrases = {phrase: command for command, items in PHRASES.items() for phrase in items}
    return frozenset(
        short
        for short, command in phrases.items()
        for long, other in phrases.items()
        if long.startswith(short + " ") and other != command
    )


AMBIGUOUS = _ambiguous_prefixes()


def display_text(words: Iterable[str]) -> str:
    """Recognized words for people: ``[unk]`` runs become "…"."""
    out: list[str] = []
    for word in words:
        if word == UNKNOWN:
            if not out or out[-1] != "…":
                out.append("…")
        else:
            out.append(word)
    return " ".join(out)


def judge(
    words: list[dict[str, Any]],
    at: float,
    offset: float,
    min_confidence: float,
    narration: NarrationRecord | None = None,
) -> RecognitionEvent | None:
    """The event for a final result's ``words`` (vosk dicts: word, conf, start, end).

    ``offset`` converts vosk's stream times to audio time. None for an empty result. With
    ``narration``, the narrator's words are taken out first (:mod:`.overlap`) and only the
    person's are judged; an utterance that was all narration is "narrator said it".
    """
    words = [w for w in words if w.get("word")]
    if not words:
        return None
    if narration is not None:
        person = _persons_words(words, offset, narration)
        if not person:
            return Rejected(display_text(str(w["word"]) for w in words), at,
                            RejectReason.NARRATOR_SAID_IT)
        words = _a_command_reading(person, offset, narration)
    names = [str(w["word"]) for w in words]
    text = display_text(names)
    if UNKNOWN in names:
        spoken = [n for n in names if n != UNKNOWN and n not in FILLER_WORDS]
        reason = RejectReason.EXTRA_WORDS if spoken else RejectReason.NOT_A_COMMAND
        return Rejected(text, at, reason)
    command = parse_phrase(" ".join(names))
    if command is None:
        return Rejected(text, at, RejectReason.NOT_A_COMMAND)
    if names[-1] in TRAILING_JUNK:
        return Rejected(text, at, RejectReason.EXTRA_WORDS)
    meaningful = [w for w in words if w.get("word") not in FILLER_WORDS] or words
    confidence = min(float(w.get("conf", 1.0)) for w in meaningful)
    if confidence < min_confidence:
        return Rejected(text, at, RejectReason.LOW_CONFIDENCE)
    start = float(words[0]["start"]) + offset if "start" in words[0] else None
    end = float(words[-1]["end"]) + offset if "end" in words[-1] else None
    return Heard(command, text, at, round(confidence, 3), start, end)


def _a_command_reading(words: list[dict[str, Any]], offset: float,
                       narration: NarrationRecord) -> list[dict[str, Any]]:
    """``words``, or the longest reading without words at its edges that overlap the
    narrator's ringing, if only that reading is a command (see :mod:`.overlap`)."""
    if parse_phrase(" ".join(str(w["word"]) for w in words)) is not None:
        return words
    timed = [_timed(w, offset) for w in words]
    for reading in without_ringing_edges(timed, narration):
        if parse_phrase(" ".join(w.text for w in reading)) is not None:
            first = timed.index(reading[0])
            return words[first:first + len(reading)]
    return words


def _timed(word: dict[str, Any], offset: float) -> Word:
    return Word(str(word["word"]), float(word.get("start", 0.0)) + offset,
                float(word.get("end", 0.0)) + offset)


def _persons_words(words: list[dict[str, Any]], offset: float,
                   narration: NarrationRecord) -> list[dict[str, Any]]:
    """The words of an utterance the narrator did not say (all of them without timings)."""
    if not all("start" in w and "end" in w for w in words):
        return words
    return [w for w in words if not is_narrators(_timed(w, offset), narration,
                                                  NARRATION_TAIL)]


# --- the recognizer ---------------------------------------------------------------------


class CommandRecognizer:
    """Turns a stream of PCM chunks into command events. Not thread-safe: one owner."""

    def __init__(
        self,
        model_path: Path,
        sample_rate: int = SAMPLE_RATE,
        *,
        min_confidence: float = 0.3,
        trailing_silence: float = 0.12,
        ambiguous_silence: float = 0.4,
        clean_input: bool = True,
        extra_words: Iterable[str] = DISTRACTORS,
        second_look: bool = True,
        narration: NarrationRecord | None = None,
        person_quiet_for: Callable[[], float] | None = None,
    ):
        import vosk

        self.sample_rate = sample_rate
        self.min_confidence = min_confidence
        self.trailing_silence = trailing_silence
        self.ambiguous_silence = ambiguous_silence
        self.narration = narration
        self.person_quiet_for = person_quiet_for
        """How long the person has been quiet, told apart from the narrator's echo (which
        keeps the front end's gate from ever hearing silence while a line plays)."""
        """What the narrator played when: its words are not the person's."""
        grammar = json.dumps([*grammar_phrases(), *extra_words, UNKNOWN])
        self._vosk = vosk.KaldiRecognizer(load_model(model_path), sample_rate, grammar)
        self._vosk.SetWords(True)
        self._front_end = FrontEnd(clean=clean_input)
        self._second_look = (
            SecondLook(load_model(model_path, ACOUSTIC_SCALE), grammar, sample_rate)
            if second_look
            else None
        )
        self._fed = 0
        self._offset = 0.0

    def feed(self, chunk: bytes, at_end: float) -> list[RecognitionEvent]:
        """Take ``chunk`` (int16 mono), whose last sample is at audio time ``at_end``."""
        chunk = self._front_end.process(chunk)
        at_end -= self._front_end.pending / self.sample_rate
        if not chunk:
            return []
        self._fed += len(chunk) // 2
        self._offset = at_end - self._fed / self.sample_rate
        if self._second_look is not None:
            self._second_look.add(chunk, self._front_end.gate, at_end)
        if self._vosk.AcceptWaveform(chunk):
            return self._judge(self._vosk.Result(), at_end)
        partial = json.loads(self._vosk.PartialResult()).get("partial", "")
        if not partial:
            return self._look_again(at_end)
        partial = self._without_narration(partial, at_end)
        if parse_phrase(partial) is None:
            return []
        wait = self.ambiguous_silence if partial in AMBIGUOUS else self.trailing_silence
        quiet = self._front_end.quiet_for
        if self.person_quiet_for is not None:
            quiet = max(quiet, self.person_quiet_for())
        if quiet < wait:
            return []
        return self._judge(self._vosk.FinalResult(), at_end)

    @property
    def input_gain_db(self) -> float:
        """How much the front end currently lifts the input (0 for a normal voice)."""
        return self._front_end.gain_db

    def finish(self) -> list[RecognitionEvent]:
        """End of the audio: judge whatever is still pending."""
        at_end = self._offset + self._fed / self.sample_rate
        return self._judge(self._vosk.FinalResult(), at_end) or self._look_again(
            at_end, audio_ended=True
        )

    def reset(self) -> None:
        """Drop the utterance in progress (e.g. after a gap in the audio)."""
        self._vosk.Reset()
        self._front_end.gate.reset()
        if self._second_look is not None:
            self._second_look.reset()

    def _without_narration(self, partial: str, at_end: float) -> str:
        """A partial result less the words of the narrator's recent lines (partials have
        no timings; the final result is judged on its timings)."""
        if self.narration is None:
            return partial
        lines = self.narration.lines_during(at_end - RECENT_NARRATION, at_end, NARRATION_TAIL)
        if not lines:
            return partial
        said: set[str] = set()
        for line in lines:
            said |= line.words
        return " ".join(word for word in partial.split()
                        if word != UNKNOWN and word not in said)

    def _judge(self, result: str, at_end: float) -> list[RecognitionEvent]:
        words = json.loads(result).get("result", [])
        event = judge(words, at_end, self._offset, self.min_confidence, self.narration)
        if event is None:
            return []
        if self._second_look is not None:
            last = words[-1]
            self._second_look.settle(float(last["end"]) + self._offset if "end" in last else None)
        return [event]

    def _look_again(self, at_end: float, audio_ended: bool = False) -> list[RecognitionEvent]:
        """A command from the second look at a burst the decoder has no words for; the
        decoder then drops that utterance, so the command comes once. Anything else the
        second look hears is left unsaid (the first decoder speaks for the burst)."""
        look = self._second_look
        taken = look.take(self._front_end.quiet_for, audio_ended=audio_ended) if look else None
        if taken is None:
            return []
        words, offset = taken
        event = judge(words, at_end, offset, self.min_confidence, self.narration)
        if not isinstance(event, Heard):
            return []
        if not audio_ended:
            self._vosk.FinalResult()
        return [replace(event, second_look=True)]


def recognize_pcm(
    recognizer: CommandRecognizer,
    pcm: bytes,
    chunk_seconds: float = BLOCK_SECONDS,
    start: float = 0.0,
) -> list[RecognitionEvent]:
    """Feed a whole recording in ``chunk_seconds`` pieces (as fast as possible)."""
    step = max(2, int(recognizer.sample_rate * chunk_seconds) * 2)
    events: list[RecognitionEvent] = []
    for i in range(0, len(pcm), step):
        chunk = pcm[i : i + step]
        events += recognizer.feed(chunk, start + (i + len(chunk)) / 2 / recognizer.sample_rate)
    return events + recognizer.finish()
