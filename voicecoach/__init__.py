"""voicecoach: a voice-guided, hands-free stretching trainer for the terminal."""

__version__ = "0.1.0"
