"""Speech in: microphone clean-up, the recognizer, self-hearing, the listener, the model."""
