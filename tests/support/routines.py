"""Small routine files for tests (on disk or parsed in place)."""

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

NECK_ROUTINE = """\
name = "neck"
title = "Neck"
hold_seconds = 3
reps = 2
rep_seconds = 2
rest_seconds = 5

[[exercises]]
name = "Neck tilt"
purpose = "Loosens the neck."
sides = ["right", "left"]
[exercises.easier]
summary = "Tilt only halfway."
[[exercises.steps]]
text = "Sit tall and tilt your head toward your {side} shoulder."
hold = true
[[exercises.steps]]
text = "Turn to face the other way."
switch = true

[[exercises]]
name = "Shoulder roll"
purpose = "Loosens the shoulders."
[exercises.easier]
summary = "Smaller circles."
[[exercises.steps]]
text = "Roll your shoulders with my count."
reps = true
"""
"""The user walkthrough's routine, as in the README: a hold on each side (3 s),
then a set of reps (2)."""

ANOTHER_EXERCISE = """
[[exercises]]
name = "Chin tuck"
purpose = "Straightens the neck."
[exercises.easier]
summary = "Smaller tucks."
[[exercises.steps]]
text = "Tuck your chin."
hold = true
"""
"""An exercise to add to a routine file: the file edited since a session of it was saved."""
