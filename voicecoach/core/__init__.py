"""The pure core: commands, routines, cues, the plan, what the coach says, the session.

Nothing here reads a clock or touches audio or a screen; time is passed in. The only
I/O is reading routine files.
"""
