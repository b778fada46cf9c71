"""Benchmarks: scripts that print numbers (see README.md)."""
