"""Small routine files for tests that need one on disk."""

TINY_ROUTINE = """\
name = "tiny"
title = "Tiny"

[[exercises]]
name = "Neck roll"
purpose = "Loosens the neck."

[exercises.easier]
summary = "Smaller circles."

[[exercises.steps]]
text = "Tilt your head."
hold = 5
"""
"""One exercise of one step with a 5-second hold."""
