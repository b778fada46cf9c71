"""Where voicecoach keeps its files: a checkout's folders, or the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CHECKOUT_DIR = PACKAGE_DIR.parent
MODEL_NAME = "vosk-model-small-en-us-0.15"


def is_checkout() -> bool:
    """True when running from a source checkout (pyproject.toml beside the package)."""
    return (CHECKOUT_DIR / "pyproject.toml").is_file()


def user_data_dir() -> Path:
    """The per-user data directory (history, resume state, models for installs)."""
    override = os.environ.get("VOICECOACH_DATA")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("voicecoach")


def models_dir() -> Path:
    """Where models are installed: ``models/`` in a checkout, else the user data dir."""
    return CHECKOUT_DIR / "models" if is_checkout() else user_data_dir() / "models"


def voices_dirs() -> list[Path]:
    """Folders searched for narrator profiles, user's first."""
    dirs = [user_data_dir() / "voices"]
    if is_checkout():
        dirs.append(CHECKOUT_DIR / "voices")
    dirs.append(PACKAGE_DIR / "voice_profiles")  # an installed wheel's copy of voices/
    return dirs


def file_in_the_way(error: OSError) -> Path | None:
    """The file standing where the data folder (or a folder above it) should be, if that
    is why ``error`` happened."""
    if not isinstance(error, NotADirectoryError | FileExistsError) or not error.filename:
        return None
    path = Path(os.fsdecode(error.filename))
    data = user_data_dir()
    in_the_way = next((p for p in (path, *path.parents) if p.is_file()), None)
    if in_the_way is None or not (in_the_way == data or in_the_way in data.parents):
        return None
    return in_the_way
