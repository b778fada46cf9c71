"""Shared test configuration.

No test skips because a real part (espeak-ng, the Vosk model, PulseAudio, tmux) is
missing: the README's test command installs them all, so a missing part is a failure
that says how to install it.
"""

from __future__ import annotations

import pytest

from tests.support.dither import seed_dither


@pytest.fixture(autouse=True)
def reproducible_dither() -> None:
    """Every test decodes as it would alone, whatever ran before it."""
    seed_dither()
