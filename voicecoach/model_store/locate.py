"""Where the model is: ``--model``, else ``$VOICECOACH_MODEL``, else the default folder;
and whether what is there looks like a Vosk model."""

from __future__ import annotations

import os
from pathlib import Path

from voicecoach.model_store.errors import ModelMissing
from voicecoach.model_store.manifest import MODEL_NAME
from voicecoach.storage.paths import models_dir

__all__ = [
    "ENV_VAR",
    "default_model_dir",
    "find_model",
    "resolve_model_path",
    "structure_problems",
]

ENV_VAR = "VOICECOACH_MODEL"


def default_model_dir() -> Path:
    """The default install location: ``models_dir()/MODEL_NAME``."""
    return models_dir() / MODEL_NAME


def _resolve(explicit: Path | None) -> tuple[Path, str]:
    """The model path and how it was chosen ("--model", the env var, or "default")."""
    if explicit is not None:
        return Path(explicit), "--model"
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override), ENV_VAR
    return default_model_dir(), "default location"


def resolve_model_path(explicit: Path | None = None) -> Path:
    """The explicit path, else ``$VOICECOACH_MODEL``, else :func:`default_model_dir`."""
    return _resolve(explicit)[0]


def structure_problems(path: Path) -> list[str]:
    """What keeps ``path`` from looking like a Vosk model folder (empty = looks fine)."""
    if not path.is_dir():
        return ["no such folder" if not path.exists() else "not a folder"]
    missing = [rel for rel in ("am/final.mdl", "conf/model.conf") if not (path / rel).is_file()]
    graph = path / "graph"
    if not (
        (graph / "HCLG.fst").is_file()
        or ((graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file())
    ):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst and graph/Gr.fst)")
    return [f"missing {rel}" for rel in missing]


def _holds_other_things(path: Path) -> bool:
    """A folder with files in it and nothing of a model's (a folder it cannot list is not
    judged: the usual message follows)."""
    try:
        return path.is_dir() and any(path.iterdir()) and not any(
            (path / part).exists() for part in ("am", "conf", "graph"))
    except OSError:
        return False


def _model_inside(path: Path) -> Path | None:
    """A model folder right inside ``path`` (``models/`` given for
    ``models/vosk-model-small-en-us-0.15``), the one named as ours first."""
    try:
        folders = sorted((child for child in path.iterdir() if child.is_dir()),
                         key=lambda child: (child.name != MODEL_NAME, child.name))
        return next((child for child in folders if not structure_problems(child)), None)
    except OSError:  # a folder it may not look into is not judged: the usual message follows
        return None


def _is_empty(path: Path) -> bool:
    try:
        return path.is_dir() and not any(path.iterdir())
    except OSError:
        return False


def find_model(explicit: Path | None = None) -> Path:
    """The model folder to load, or :class:`ModelMissing` saying where we looked and what to run."""
    path, origin = _resolve(explicit)
    problems = structure_problems(path)
    if not problems:
        return path
    install = "voicecoach model install"
    if origin == "--model":
        install += f" --model {path}"
    if path.exists() and not path.is_dir():
        raise ModelMissing(f"{path} ({origin}) is a file, not a Vosk model folder: give the "
                           "folder that holds am/, conf/ and graph/.")
    inside = _model_inside(path)
    if inside is not None:
        raise ModelMissing(f"{path} ({origin}) is the folder around a Vosk model, not the "
                           f"model's own: give {inside}")
    if _holds_other_things(path):
        raise ModelMissing(
            f"{path} ({origin}) is not a Vosk model folder (no am/, conf/ or graph/): give a "
            f"model's folder, or install {MODEL_NAME} into a new one with "
            "`voicecoach model install --model DIR`.")
    what = "No Vosk speech model" if not path.exists() else "Incomplete Vosk speech model"
    if _is_empty(path):
        what, problems = "No Vosk speech model", ["an empty folder"]
    raise ModelMissing(
        f"{what} at {path} ({origin}): {'; '.join(problems)}. "
        f"Run `{install}` to install {MODEL_NAME} there (a 41 MB download, 71 MB on disk)."
    )
