"""Speech out: narrator profiles, text-to-speech, the speaker stream, the narrator."""
