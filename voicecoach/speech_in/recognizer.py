"""Spoken commands from audio: a Vosk grammar recognizer plus the rules that make it safe.

Pure pipeline: no threads, no devices. Feed 16-bit mono PCM with the audio time of each
chunk's end; get :class:`~voicecoach.speech_in.events.Heard` (act on it) and
:class:`~voicecoach.speech_in.events.Rejected` (show it, never act).

How it decides:

* **Grammar mode.** Vosk chooses among the command phrases, the filler words, a few
  ordinary words (:data:`DISTRACTORS`) and ``[unk]``; only a whole utterance that is a
  command phrase acts (:mod:`.judging`).
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
* **The model** is loaded once per process through a tuned view of its configuration
  (:mod:`.vosk_model`); utterances are judged by :mod:`.judging`.
* **Second look.** A short burst of speech the decoder turned into nothing at all is
  decoded once more, leaning harder on the sound (:mod:`voicecoach.speech_in.second_look`).
* **A fresh start in every quiet stretch.** The model's i-vector (its running estimate of
  the speaker and channel) keeps adapting between utterances, and through a long quiet
  stretch it adapts to the room's noise alone: a command said 25 s after the last one in
  pink noise was heard far worse than one said 2 s after it (reverberant rooms, 20 dB,
  the development voices: 55 % against 80 %; in silence, no difference). So once the
  person has been quiet for :data:`RESTART_EVERY` and the decoder holds no words (or only
  the narrator's), it is finalized, which starts its features and i-vector afresh, and
  again each :data:`RESTART_EVERY` the quiet lasts. Restarting each second gave 78 %, but
  lost clean phrases said 1.5 s apart (the last command's adaptation helps the next); each
  3 s keeps those and lifted the session benchmark's development row (RT60 0.5 s, 20 dB,
  echo 0.1) from 54 % to 61 %.
* Partial results come from the best path (``SetPartialWords`` is off: its lattice-based
  partials lag the audio by a second or more).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from voicecoach.audio.pcm import SAMPLE_RATE
from voicecoach.core.commands import LONGEST_PHRASE_WORDS, grammar_phrases, parse_phrase
from voicecoach.speech_in.cleanup import FrontEnd
from voicecoach.speech_in.decoder_time import DecoderTimeline
from voicecoach.speech_in.events import Heard, RecognitionEvent
from voicecoach.speech_in.judging import AMBIGUOUS, judge
from voicecoach.speech_in.loudness import LevelHistory
from voicecoach.speech_in.mic import BLOCK_SECONDS
from voicecoach.speech_in.overlap import NARRATION_TAIL, UNKNOWN, NarrationRecord, in_line
from voicecoach.speech_in.second_look import ACOUSTIC_SCALE, SecondLook
from voicecoach.speech_in.vosk_model import Dither, load_model

RESTART_EVERY = 3.0
"""Seconds of the person's quiet after which (and each time again) the idle decoder starts
afresh, so that its adaptation never learns a long stretch of noise alone."""
PERSON_LEVEL_HANGOVER = 0.2
"""Seconds after the person was last told apart from the narrator's echo in which the
front end still learns the speech level (the residual echo gate passes blocks 60 ms late,
and a word's tail follows): the echo alone must not set it. At the start of a session
the gated echo set it to -55 dBFS, so the first command came in lifted by the full
36 dB and was lost."""
DETECTOR_SETTLES = 3.0
"""Seconds of audio before the double-talk detector's verdicts count for the speech level:
until it (and a canceller before it) has learnt the echo, it takes the echo for the person
now and then, and behind the app's canceller the echo alone set the level for the first
command to lift it 26 dB (and the narrator's residue with it, heard as "wait")."""
RECENT_NARRATION = 4.0
"""Seconds of narration whose words a partial result is read without (the fast path)."""
JUST_SAID = 1.0
"""Seconds before now in which the narrator saying a word (give or take
:data:`~voicecoach.speech_in.overlap.WORD_SLACK`) makes that word at the end of a partial
result its own rather than the person's."""
DISTRACTORS: tuple[str, ...] = tuple(
    """
    the a and this are be then there here or will just all yes no thank thanks good great
    well nice very more less little bit three four five six seven nine ten eleven twelve
    fifteen twenty thirty sixty ninety hundred begin rest halfway seconds breathing
    slowly slow stretch stretches knee knees leg legs hip hips foot feet toes arm arms hands
    side sides floor ground spine body thigh chest shoulders head neck straight bent bend
    lean forward gently relax tight right down over under front slightly position exercise
    count times switch start easy
    """.split()
)
"""Ordinary words in the grammar besides the commands, so that short non-command speech
("Good.", "Halfway.", "Switch sides.", counts) decodes as itself instead of being forced
onto the nearest command; ``[unk]`` alone is too weak for that. Chosen by
``benchmarks/listener_bench.py``: words that pulled real commands away ("can" for
"commands", "not" for "that hurts", "eight" for "easier", "two", "to", "of", ...)
are left out. "easy" was too, until the front end: now it costs at most one "easier" in
twelve at 10 dB in rooms, and without it a person's "easy" was obeyed as "easier" 8
times in 9 (``benchmarks/remarks_bench.py``). "release" (of the count line "And
release.") is left out: in reverberant rooms a person's "repeat" came out as it
(``benchmarks/phrases_bench.py --voices tuning``: 10 times in 20, none without it); the
narrator's "release" is the narrator's by its time and its sound."""


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
        """What the narrator played when: its words are not the person's."""
        self.person_quiet_for = person_quiet_for
        """How long the person has been quiet, told apart from the narrator's echo (which
        keeps the front end's gate from ever hearing silence while a line plays)."""
        grammar = json.dumps([*grammar_phrases(), *extra_words, UNKNOWN])
        self._vosk = vosk.KaldiRecognizer(load_model(model_path), sample_rate, grammar)
        self._vosk.SetWords(True)
        self._front_end = FrontEnd(clean=clean_input)
        self._dither = Dither()
        self._second_look = (
            SecondLook(load_model(model_path, ACOUSTIC_SCALE), grammar, sample_rate)
            if second_look
            else None
        )
        self._levels = LevelHistory()
        self._fed = 0
        self._timeline = DecoderTimeline()
        self._restarted_at_quiet = 0.0
        """How long the person had been quiet when the decoder last started afresh."""

    def feed(self, chunk: bytes, at_end: float) -> list[RecognitionEvent]:
        """Take ``chunk`` (int16 mono), whose last sample is at audio time ``at_end``."""
        self._levels.add(chunk, at_end)
        events = self._decode(chunk, at_end) or self._restart_when_quiet(at_end)
        return [self._with_loudness(event) for event in events]

    def _with_loudness(self, event: RecognitionEvent) -> RecognitionEvent:
        """A command with how loud it was said (:mod:`.loudness`)."""
        if not isinstance(event, Heard) or event.start is None:
            return event
        end = event.end if event.end is not None else event.at
        return replace(event, loudness_db=self._levels.level_db(event.start, end))

    def _quiet_for(self) -> float:
        """How long the person has been quiet, by the front end's gate or, over the
        narrator's echo, by ``person_quiet_for``."""
        quiet = self._front_end.quiet_for
        if self.person_quiet_for is not None:
            quiet = max(quiet, self.person_quiet_for())
        return quiet

    def _restart_when_quiet(self, at_end: float) -> list[RecognitionEvent]:
        """Finalize the decoder each :data:`RESTART_EVERY` of the person's quiet, when it
        holds no words but the narrator's; whatever it still had is judged as usual."""
        quiet = self._quiet_for()
        if quiet < self._restarted_at_quiet:
            self._restarted_at_quiet = 0.0
        if quiet < self._restarted_at_quiet + RESTART_EVERY:
            return []
        self._restarted_at_quiet = quiet
        partial = json.loads(self._vosk.PartialResult()).get("partial", "")
        if self._without_narration(partial, at_end):
            return []
        return self._judge(self._vosk.FinalResult(), at_end)

    def _decode(self, chunk: bytes, at_end: float) -> list[RecognitionEvent]:
        person = self.person_quiet_for is None or (
            self._fed >= DETECTOR_SETTLES * self.sample_rate
            and self.person_quiet_for() < PERSON_LEVEL_HANGOVER)
        chunk = self._front_end.process(chunk, person)
        at_end -= self._front_end.pending / self.sample_rate
        if not chunk:
            return []
        self._fed += len(chunk) // 2
        self._timeline.follow(self._fed / self.sample_rate, at_end)
        if self._second_look is not None:
            self._second_look.add(chunk, self._front_end.gate, at_end)
        if self._vosk.AcceptWaveform(self._dither(chunk)):
            return self._judge(self._vosk.Result(), at_end)
        partial = json.loads(self._vosk.PartialResult()).get("partial", "")
        if not partial:
            return self._look_again(at_end)
        partial = self._persons_command(partial, at_end)
        if parse_phrase(partial) is None:
            return []
        wait = self.ambiguous_silence if partial in AMBIGUOUS else self.trailing_silence
        if self._quiet_for() < wait:
            return []
        return self._judge(self._vosk.FinalResult(), at_end)

    @property
    def input_gain_db(self) -> float:
        """How much the front end currently lifts the input (0 for a normal voice)."""
        return self._front_end.gain_db

    def finish(self) -> list[RecognitionEvent]:
        """End of the audio: judge whatever is still pending."""
        at_end = self._timeline.audio_time(self._fed / self.sample_rate)
        events = self._judge(self._vosk.FinalResult(), at_end) or self._look_again(
            at_end, audio_ended=True
        )
        return [self._with_loudness(event) for event in events]

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

    def _persons_command(self, partial: str, at_end: float) -> str:
        """A partial result as the fast path reads it: less the narrator's recent words
        (:meth:`_without_narration`), or else a command at its end after words of the
        narrator's, when the narrator did not just say the command's words itself ("back"
        seconds after the narrator's "Lying on your back")."""
        without = self._without_narration(partial, at_end)
        if self.narration is None or parse_phrase(without) is not None:
            return without
        words = [word for word in partial.split() if word != UNKNOWN]
        lines = self.narration.lines_during(at_end - RECENT_NARRATION, at_end, NARRATION_TAIL)
        said: set[str] = set()
        just_said: set[str] = set()
        for line in lines:
            said |= line.words
            just_said |= line.words_around(at_end - JUST_SAID, at_end)
        for length in range(1, min(len(words), LONGEST_PHRASE_WORDS) + 1):
            command, before = words[-length:], words[:-length]
            if (parse_phrase(" ".join(command)) is not None
                    and all(word in said for word in before)
                    and not any(in_line(word, just_said) for word in command)):
                return " ".join(command)
        return without

    def _judge(self, result: str, at_end: float) -> list[RecognitionEvent]:
        words = self._timeline.on_audio_time(json.loads(result).get("result", []))
        event = judge(words, at_end, 0.0, self.min_confidence, self.narration)
        if event is None:
            return []
        if self._second_look is not None:
            last = words[-1]
            self._second_look.settle(float(last["end"]) if "end" in last else None)
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
