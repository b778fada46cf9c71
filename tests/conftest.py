"""Shared test configuration.

No test skips because a real part (espeak-ng, the Vosk model, PulseAudio, tmux) is
missing: the README's test command installs them all, so a missing part is a failure
that says how to install it.
"""
