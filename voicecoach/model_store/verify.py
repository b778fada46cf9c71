"""Checking a model folder against the manifest, and reading its install marker."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from voicecoach.model_store.manifest import MANIFEST, MARKER, FileSpec

__all__ = ["read_marker", "sha256_file", "verify_model"]


def sha256_file(path: Path) -> str:
    """The SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify_model(
    path: Path, manifest: Mapping[str, FileSpec] = MANIFEST, *, hashes: bool = True
) -> list[str]:
    """Problems found checking ``path`` against the manifest (empty = ok).

    Every file's presence and size is checked; its SHA-256 too unless ``hashes`` is False
    (the cheap check: a few ``stat`` calls instead of reading ~70 MB).
    """
    path = Path(path)
    if not path.is_dir():
        return [f"{path}: no such folder"]
    problems: list[str] = []
    for rel, spec in manifest.items():
        file = path / rel
        if not file.is_file():
            problems.append(f"{rel}: missing")
            continue
        size = file.stat().st_size
        if size != spec.size:
            why = "truncated" if size < spec.size else "not the expected file"
            problems.append(f"{rel}: {size} bytes, expected {spec.size} ({why})")
        elif hashes and sha256_file(file) != spec.sha256:
            problems.append(f"{rel}: SHA-256 mismatch (corrupted or not the expected file)")
    return problems


def read_marker(path: Path) -> dict[str, str]:
    """The ``key: value`` lines of the model's INSTALLED_FROM marker ({} if there is none)."""
    try:
        text = (Path(path) / MARKER).read_text(encoding="utf-8")
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields
