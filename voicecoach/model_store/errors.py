"""The model store's errors: each message is meant for people and says what to do."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voicecoach.model_store.manifest import MODEL_NAME, ZIP_SHA256, ZIP_URL

__all__ = [
    "InstallFailed",
    "ModelError",
    "ModelInvalid",
    "ModelMissing",
    "SourceFailed",
    "TargetInUse",
    "UnsafeArchive",
]


class ModelError(Exception):
    """Base class for model problems; the message is meant for people."""


class ModelMissing(ModelError):
    """No usable model where we looked; the message says what to run."""


class UnsafeArchive(ModelError):
    """An archive entry would land outside the target folder, or is not a plain file."""


class ModelInvalid(ModelError):
    """An archive is unreadable, holds no model, or the unpacked model fails verification."""


class TargetInUse(ModelError):
    """The install target holds something that is not a voicecoach-installed model."""


class SourceFailed(ModelError):
    """One source could not deliver the model archive; ``fix`` says what would let it."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


class InstallFailed(ModelError):
    """Every source failed; ``failures`` holds (source label, reason) pairs, ``fixes``
    what would let a source deliver, for the sources that know (each said once)."""

    def __init__(self, target: Path, failures: Sequence[tuple[str, str]],
                 fixes: Sequence[str] = ()) -> None:
        self.target = target
        self.failures = list(failures)
        lines = [f"Could not install {MODEL_NAME} into {target}:"]
        lines += [f"  - {label}: {reason}" for label, reason in self.failures]
        lines += ["What you can do:"]
        lines += [f"  - {fix}, or" for fix in dict.fromkeys(fixes)]
        lines += [f"  - download {ZIP_URL} by hand (SHA-256 {ZIP_SHA256})"
                  " and run `voicecoach model install --from-zip PATH`."]
        super().__init__("\n".join(lines))
