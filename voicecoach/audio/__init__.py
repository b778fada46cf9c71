"""Audio primitives: PCM at 16 kHz, WAV files, resampling, levels."""
