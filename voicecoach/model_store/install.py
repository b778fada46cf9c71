"""Installing the model atomically: fetched or given archive -> a temporary folder beside
the target -> verified -> marked -> renamed into place; a user's files are never replaced."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from voicecoach.model_store.archive import extract_model
from voicecoach.model_store.errors import (
    InstallFailed,
    ModelError,
    ModelInvalid,
    SourceFailed,
    TargetInUse,
)
from voicecoach.model_store.locate import resolve_model_path
from voicecoach.model_store.manifest import MANIFEST, MARKER, FileSpec
from voicecoach.model_store.reporting import Phase, Progress, announce
from voicecoach.model_store.sources import DEFAULT_SOURCES, Fetched, Source
from voicecoach.model_store.verify import sha256_file, verify_model

__all__ = ["install_model"]


def _unpack_verified(
    fetched: Fetched,
    staged: Path,
    manifest: Mapping[str, FileSpec],
    progress: Progress | None,
    on_phase: Phase | None,
) -> None:
    """Extract into ``staged`` and check it against the manifest."""
    announce(on_phase, f"unpacking {fetched.archive.name}")
    extract_model(fetched.archive, staged, progress)
    announce(on_phase, "verifying the model files")
    problems = verify_model(staged, manifest)
    if problems:
        raise ModelInvalid(
            f"the model unpacked from {fetched.archive.name} fails verification: "
            + "; ".join(problems)
        )


def _write_marker(staged: Path, fetched: Fetched) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (staged / MARKER).write_text(
        f"source: {fetched.origin}\narchive_sha256: {fetched.sha256}\ninstalled: {stamp}\n",
        encoding="utf-8",
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _refuse_unsafe_target(target: Path) -> None:
    """Raise :class:`TargetInUse` unless installing at ``target`` can lose nothing of the
    user's: it must not exist, or be an empty folder, or a model this installer put there."""
    pick = "Pick another folder with --model (or VOICECOACH_MODEL); nothing was changed."
    if target.is_symlink():
        what = "a symbolic link"
    elif not target.exists():
        return
    elif not target.is_dir():
        what = "a file, not a model folder"
    elif (target / MARKER).is_file():
        return
    else:
        try:
            if next(target.iterdir(), None) is None:
                return
        except OSError as exc:
            raise TargetInUse(f"cannot look into {target}: {exc.strerror or exc}") from exc
        what = f"a folder with files voicecoach did not install (it has no {MARKER} file)"
    raise TargetInUse(f"will not install the model at {target}: it is {what}. {pick}")


def _remove_stale_partials(parent: Path, name: str) -> None:
    """Delete temp folders left by installs whose process died (e.g. killed with SIGKILL)."""
    pattern = re.compile(rf"^\.{re.escape(name)}\.partial-(\d+)-")
    for entry in parent.iterdir():
        match = pattern.match(entry.name)
        if match and int(match[1]) != os.getpid() and not _pid_alive(int(match[1])):
            shutil.rmtree(entry, ignore_errors=True)


def _move_into_place(staged: Path, target: Path, work: Path) -> None:
    """Rename ``staged`` to ``target``; an old target is moved into ``work`` first."""
    previous = None
    if target.exists() or target.is_symlink():
        previous = work / "previous"
        os.rename(target, previous)
    try:
        os.rename(staged, target)
    except BaseException:
        if previous is not None:
            os.rename(previous, target)
        raise


def install_model(
    target: Path | None = None,
    *,
    from_zip: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    on_phase: Phase | None = None,
    sources: Sequence[Source] | None = None,
    manifest: Mapping[str, FileSpec] = MANIFEST,
) -> Path:
    """Install the model at ``target`` (default :func:`resolve_model_path`) and return it.

    With ``from_zip`` only that local zip or aar is used; otherwise each source is tried
    in turn and :class:`InstallFailed` lists why each failed. A valid model already at the
    target is kept unless ``force``; a damaged one this installer put there is replaced.
    Anything else at the target (a file, a folder with other files, a link) is refused
    with :class:`TargetInUse`, ``force`` or not: a user's files are never deleted. Work
    happens in a temporary folder beside the target, removed on success, failure or
    interruption; the target changes only by a rename.
    """
    target = resolve_model_path(target)
    if not force and target.is_dir() and not verify_model(target, manifest):
        return target
    _refuse_unsafe_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(target.parent, target.name)
    work = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent)
    )
    try:
        staged = work / "model"
        if from_zip is not None:
            archive = Path(from_zip)
            if not archive.is_file():
                what = "a folder, not a zip" if archive.is_dir() else "no such file"
                raise ModelInvalid(f"{archive}: {what}")
            fetched = Fetched(archive, f"file {archive.resolve()}", sha256_file(archive))
            _unpack_verified(fetched, staged, manifest, progress, on_phase)
        else:
            fetched = _from_sources(
                sources or DEFAULT_SOURCES, work, staged, target, manifest, progress, on_phase
            )
        _write_marker(staged, fetched)
        _move_into_place(staged, target, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _from_sources(
    sources: Sequence[Source],
    work: Path,
    staged: Path,
    target: Path,
    manifest: Mapping[str, FileSpec],
    progress: Progress | None,
    on_phase: Phase | None,
) -> Fetched:
    """Try each source until one yields a verified model in ``staged``."""
    failures: list[tuple[str, str]] = []
    fixes: list[str] = []
    for number, source in enumerate(sources):
        attempt = work / f"source-{number}"
        attempt.mkdir()
        try:
            fetched = source.fetch(attempt, progress, on_phase)
            _unpack_verified(fetched, staged, manifest, progress, on_phase)
            return fetched
        except ModelError as exc:
            failures.append((source.label, str(exc)))
            if isinstance(exc, SourceFailed) and exc.fix:
                fixes.append(exc.fix)
            announce(on_phase, f"{source.label} failed: {exc}")
        finally:
            shutil.rmtree(attempt, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staged)
    raise InstallFailed(target, failures, fixes)
