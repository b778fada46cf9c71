"""The pure core: commands, routines, cues, the plan, what the coach says, the session.

Nothing here reads a clock, a file, audio or a screen; time is passed in, routine files
are read by :mod:`voicecoach.storage.routine_files`.
"""
