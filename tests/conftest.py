"""Shared test configuration.

No test skips because a real part (espeak-ng, the Vosk model, PulseAudio, tmux) is
missing: the README's test command installs them all, so a missing part is a failure
that says how to install it.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from voicecoach.model_store import ModelMissing, find_model
from voicecoach.speech_in.second_look import ACOUSTIC_SCALE
from voicecoach.speech_in.vosk_model import load_model

# Ctrl-C as a person presses it: a suite started as a background job (`cmd &` in a script)
# inherits SIGINT ignored, and so would every program it starts, so the tests that press
# Ctrl-C in a running voicecoach would wait for it in vain. A handler here is reset to the
# default in each program the tests start.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def model() -> Path:
    """The installed Vosk model, both its decoders loaded once for every test."""
    try:
        path = find_model(None)
    except ModelMissing as missing:
        pytest.fail(str(missing))
    load_model(path)
    load_model(path, ACOUSTIC_SCALE)
    return path
