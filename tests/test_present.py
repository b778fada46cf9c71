"""The session screen's words, worked out from the session's view without drawing it."""

from __future__ import annotations

from dataclasses import replace

from voicecoach.core.session import PhaseKind, SegmentKind, Session
from voicecoach.frontends.tui.present import phase_display
from voicecoach.storage.routine_files import resolve_routine


def test_a_step_of_one_rep_says_rep_in_the_singular() -> None:
    start = Session(resolve_routine("back-pain", reps=1), 0.0).view()
    reading = replace(start, segment_kind=SegmentKind.STEP, phase=PhaseKind.READING,
                      reps_total=1)
    assert phase_display(reading, None).label == "LISTEN — then 1 rep"
