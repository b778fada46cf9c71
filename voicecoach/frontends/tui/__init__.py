"""The Textual front end; ``create_app`` builds it for the CLI and the tests."""

from voicecoach.frontends.tui.app import VoiceCoachApp, create_app

__all__ = ["VoiceCoachApp", "create_app"]
