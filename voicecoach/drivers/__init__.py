"""Drivers that run a session on a clock: live, export (virtual clock), simulate (audio time)."""
