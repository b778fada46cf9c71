"""Front ends: the Textual app and the plain terminal."""
