"""Safe extraction: the model folder inside a zip or aar, unpacked only after every entry
is checked (no absolute paths, no ``..``, no links or special files, no clashes, no
oversized claims)."""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from voicecoach.model_store.errors import ModelInvalid, UnsafeArchive
from voicecoach.model_store.reporting import Progress

__all__ = ["MAX_UNPACKED", "extract_model"]

MAX_UNPACKED = 1 << 30
"""Refuse archives that claim to unpack to more than this many bytes."""
_CHUNK = 1 << 16


def _entry_parts(name: str) -> tuple[str, ...]:
    """The path components of an archive entry, refusing absolute paths and ``..``."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise UnsafeArchive(f"archive entry {name!r} has an absolute path")
    parts = tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
    if ".." in parts:
        raise UnsafeArchive(f"archive entry {name!r} climbs out of the folder with '..'")
    return parts


def _check_kind(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse symbolic links and special files: only plain files and folders are unpacked."""
    kind = stat.S_IFMT(info.external_attr >> 16)
    if stat.S_ISLNK(kind):
        link = zf.read(info).decode("utf-8", "replace")
        raise UnsafeArchive(
            f"archive entry {info.filename!r} is a symbolic link (to {link!r}); "
            "links could point outside the model folder, so none are unpacked"
        )
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchive(f"archive entry {info.filename!r} is not a plain file or folder")


def _plan(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Check every entry, then return the model folder's entries re-rooted at the model."""
    entries = []
    for info in zf.infolist():
        parts = _entry_parts(info.filename)
        _check_kind(zf, info)
        entries.append((info, parts))
    roots = {
        parts[:-2]
        for info, parts in entries
        if not info.is_dir() and parts[-2:] == ("am", "final.mdl")
    }
    if not roots:
        raise ModelInvalid("the archive holds no Vosk model (no am/final.mdl)")
    if len(roots) > 1:
        raise ModelInvalid("the archive holds more than one model; unpack it by hand")
    (root,) = roots
    plan = [
        (info, parts[len(root) :])
        for info, parts in entries
        if parts[: len(root)] == root and len(parts) > len(root)
    ]
    files = {rel for info, rel in plan if not info.is_dir()}
    folders = {rel[:i] for _, rel in plan for i in range(1, len(rel))}
    if len(files) != sum(1 for info, _ in plan if not info.is_dir()) or files & folders:
        raise UnsafeArchive("the archive has duplicate or clashing entries")
    if sum(info.file_size for info, _ in plan) > MAX_UNPACKED:
        raise UnsafeArchive(f"the archive claims to unpack to more than {MAX_UNPACKED} bytes")
    return plan


def extract_model(archive: Path, dest: Path, progress: Progress | None = None) -> None:
    """Unpack the model folder inside a zip or aar into ``dest`` (which must not exist yet).

    Every entry is checked before anything is written; the folder holding ``am/final.mdl``
    (``vosk-model-small-en-us-0.15/`` in the zip, ``assets/model-en-us/`` in the aar)
    becomes ``dest``. Entries outside it are ignored.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelInvalid(f"{archive} is not a readable zip or aar archive: {exc}") from exc
    with zf:
        plan = _plan(zf)
        total = sum(info.file_size for info, _ in plan if not info.is_dir())
        dest.mkdir()
        root = dest.resolve()
        done = 0
        for info, rel in plan:
            out = dest.joinpath(*rel)
            if not out.resolve().is_relative_to(root):
                raise UnsafeArchive(f"archive entry {info.filename!r} would land outside {dest}")
            if info.is_dir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, out.open("xb") as dst:
                    while chunk := src.read(_CHUNK):
                        dst.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise ModelInvalid(f"{archive} is corrupt at {info.filename!r}: {exc}") from exc
