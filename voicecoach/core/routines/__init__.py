"""Built-in routines (package data)."""
