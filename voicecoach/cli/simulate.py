"""``voicecoach simulate``: a whole session on audio time, from a recording of the person,
and the summary line that says what it did."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from voicecoach.cli.options import SimulateOptions
from voicecoach.cli.outputs import check_log, check_output, session_inputs
from voicecoach.cli.status import ExitStatus, UsageError
from voicecoach.core.commands import Command
from voicecoach.core.words import counted
from voicecoach.storage.routine_files import resolve_routine

if TYPE_CHECKING:
    from voicecoach.drivers.simulate import SimulationResult


def simulate_session(options: SimulateOptions, *, limit: float | None = None) -> ExitStatus:
    """``voicecoach simulate``: run the session on audio time, log it, print a summary.

    A session still unfinished after ``limit`` audio seconds (default: the simulator's
    four hours; the person never said "resume", say) stops there: that is said, and the
    status is ERROR.
    """
    from voicecoach.audio.pcm import nothing_to_hear, peak_of
    from voicecoach.drivers.simulate import LIMIT_SECONDS, load_user_audio, simulate
    from voicecoach.model_store import ModelMissing, find_model
    from voicecoach.speech_in.vosk_model import ModelUnavailable, load_model
    from voicecoach.speech_out.espeak import check_speakable
    from voicecoach.speech_out.profiles import load_voice
    from voicecoach.storage.eventlog import EventLog

    if options.app_canceller and options.echo == 0:
        raise UsageError("--app-canceller cancels the narrator's echo, and there is none "
                         "(--echo is 0, as it is when not given): give --echo GAIN, such as "
                         "--echo 0.5 (a laptop's own speaker)")
    inputs = session_inputs(options.routine, options.session.voice)
    if options.user_audio:
        inputs.append(options.user_audio)
    check_log(options.log, inputs, what="simulation")  # even with --force
    check_output(options.log, force=options.force, what="simulation")
    routine = resolve_routine(options.routine, **options.session.routine_overrides())
    profile = load_voice(options.session.voice)
    check_speakable(profile)
    try:
        model = find_model(options.model)
        load_model(model)  # checked and loaded before any output is written
    except (ModelMissing, ModelUnavailable) as missing:
        print(f"voicecoach: {missing}", file=sys.stderr)
        return ExitStatus.ERROR
    user = load_user_audio(options.user_audio) if options.user_audio else None
    if options.user_audio and user is not None:
        silent = nothing_to_hear(len(user), peak_of(user))
        if silent:
            print(f"voicecoach: {options.user_audio} {silent}: the session runs with nobody "
                  "speaking", file=sys.stderr)
    limit = LIMIT_SECONDS if limit is None else limit
    started = time.perf_counter()
    log = EventLog(options.log.open("w", encoding="utf-8"), wall_clock=False)
    try:
        result = simulate(routine, profile, model, user,
                          options.echo, log, limit=limit,
                          app_canceller=options.app_canceller)
    finally:
        log.close()
    took = time.perf_counter() - started
    print(f"Simulated {result.duration / 60:.1f} minutes of session in {took:.1f} s; "
          f"{_simulated_outcome(result)}. {_simulated_hearing(result)}. Log: {options.log}",
          file=sys.stderr)
    if result.ended_paused:
        print("voicecoach: the recording ended with the session paused (no \"resume\" "
              "after the last \"pause\"); the simulation stopped there", file=sys.stderr)
        return ExitStatus.ERROR
    if result.hit_limit:
        state = "paused" if result.paused_at_end else "running"
        print(f"voicecoach: stopped at the {limit / 60:.4g}-minute limit: the session "
              f"was still {state}", file=sys.stderr)
        return ExitStatus.ERROR
    return ExitStatus.OK


def _simulated_outcome(result: SimulationResult) -> str:
    """How the simulated session ended, as its summary line says it."""
    from voicecoach.frontends.progress_text import clock_text

    if result.ended_paused or result.hit_limit:
        return "the session did not end"
    if result.summary.stopped:
        at = max((t for t, command, _ in result.commands if command == Command.STOP.value),
                 default=result.duration)
        return f"the person stopped the session at {clock_text(at)}"
    return "the session ran to its end"


def _simulated_hearing(result: SimulationResult) -> str:
    """What the listener made of the microphone, as the summary line says it."""
    taken = counted(len(result.commands), "command") + " taken"
    if result.unfit:
        taken += f" ({len(result.unfit)} of them not for that moment, so let be)"
    return (f"{taken}; heard and let go: {counted(result.narrators_heard, 'utterance')} "
            f"of the narrator's own, {result.others_rejected} other")
