"""Reproducible decoding in tests.

Kaldi adds a little random noise (dither) to the audio before computing features, drawn
from the C library's ``rand()``. A word the model only just hears can then decode either
way depending on how many random numbers were drawn before it: on which tests ran first.
Seeding ``rand()`` before a recognition makes its result the same in any test order.
"""

from __future__ import annotations

import ctypes

_libc = ctypes.CDLL(None)


def seed_dither(seed: int = 1) -> None:
    """Reset the C library's random numbers, which Kaldi's dither draws from."""
    _libc.srand(seed)
