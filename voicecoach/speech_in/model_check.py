"""Is a model folder safe to hand to Vosk? Checked before every load; verdicts cached.

Vosk (Kaldi and OpenFst, in C++) does not fail cleanly on damaged files: a truncated or
garbled ``graph/HCLr.fst`` logs an error, then the first grammar recognizer crashes the
whole process with SIGSEGV — no message, no keys, no saved progress. So before a load:

* **The model voicecoach installs** (the folder has the installer's marker file, or is
  named ``vosk-model-small-en-us-0.15``) is checked against the manifest: every file's
  size on every load (a ``stat`` each), and its SHA-256 (~70 MB; 70-100 ms with a warm
  page cache, more from a cold disk) only when some file's size or mtime changed since
  the last check that passed. A wrong file raises :class:`ModelInvalid` naming it and
  saying how to reinstall.
* **Any other model** (a user's own folder, or ours with files the manifest does not
  describe, which Vosk may read) cannot be checked that way, so it is tried once in a
  child process: a fresh ``python -c`` that loads it, builds a grammar recognizer and
  decodes a moment of silence, as a session does. A child killed by a signal means this
  model crashes Vosk; one that exits with an error means Vosk refuses it. Either way
  :class:`ModelInvalid` says so, with OpenFst's own error line when there is one.

Why ``subprocess`` with ``python -c`` rather than :mod:`multiprocessing`: the 'spawn' and
'forkserver' contexts re-import the parent's ``__main__`` (``python -m voicecoach``, a
Textual app, pytest), and a plain fork copies a process that may already run threads
(audio, the listener); a fresh interpreter importing only ``vosk`` inherits nothing, and
its exit status tells a signal (a negative return code) from a Python error. The child
asks to die with its parent (``PR_SET_PDEATHSIG``, set by the child itself: a
``preexec_fn`` is unsafe here, as the listener's thread starts it while others run) and
takes Ctrl-C like the parent does.

Verdicts are kept in the user cache folder (``model-checks/``, one small JSON file per
model folder), keyed by every file's relative path, size and mtime, so a session start
costs one walk of ``stat`` calls. Not in the model's own marker file: the folder may be
read-only or the user's own, and one cache serves both checks. Only lasting verdicts are
kept: a pass, a crash by a fault signal, or Vosk's refusal; a timeout, a kill or an
interruption is tried again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from voicecoach.model_store import (
    MANIFEST,
    MARKER,
    MODEL_NAME,
    FileSpec,
    ModelInvalid,
    resolve_model_path,
    verify_model,
)

__all__ = [
    "TRIAL_TIMEOUT",
    "cache_dir",
    "check_before_load",
    "check_model",
    "fingerprint",
    "trial_load",
]

OWN_EXTRAS = frozenset({"README", "uuid", MARKER})
"""Files the installed model holds besides the manifest's, none of which Vosk reads."""
MAX_FILES = 10_000
"""A folder with more files than this is not fingerprinted (so never cached)."""
TRIAL_TIMEOUT = 600.0
"""Seconds a trial load may take (a large model loads in well under a minute)."""
OK = "ok"
_FAULTS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGFPE, signal.SIGILL})

_TRIAL_CODE = """
import ctypes, os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
try:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG (Linux)
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[2]):
    sys.exit(4)
try:
    import vosk
except ImportError as error:
    print(f"vosk cannot be imported: {error}", file=sys.stderr)
    sys.exit(3)
try:
    model = vosk.Model(sys.argv[1])
    recognizer = vosk.KaldiRecognizer(model, 16000, '["yes", "no", "[unk]"]')
    recognizer.AcceptWaveform(bytes(16000))
    recognizer.FinalResult()
except Exception as error:
    print(f"Vosk: {error}", file=sys.stderr)
    sys.exit(10)
"""
_REFUSED = 10
_OTHER = f"Use another model folder, or install {MODEL_NAME} with `voicecoach model install`."

_checked: set[Path] = set()
_checked_lock = threading.Lock()


def check_before_load(folder: Path, manifest: Mapping[str, FileSpec] = MANIFEST) -> None:
    """Raise :class:`ModelInvalid` unless ``folder`` is safe to load in this process.

    :func:`check_model`, once per process per folder.
    """
    folder = Path(folder).resolve()
    with _checked_lock:
        if folder in _checked:
            return
        check_model(folder, manifest)
        _checked.add(folder)


def check_model(folder: Path, manifest: Mapping[str, FileSpec] = MANIFEST) -> None:
    """Raise :class:`ModelInvalid` unless ``folder`` is safe to load (see the module
    docstring); a verdict cached for the folder as it is now is reused."""
    folder = Path(folder).resolve()
    described = (folder / MARKER).is_file() or folder.name == MODEL_NAME
    if described and (problems := verify_model(folder, manifest, hashes=False)):
        raise ModelInvalid(_damaged(folder, problems))
    files = _files(folder)
    stamp = fingerprint(folder, files, manifest)
    verdict = _cached(folder, stamp) if stamp is not None else None
    if verdict == OK:
        return
    if described:
        if problems := verify_model(folder, manifest):
            raise ModelInvalid(_damaged(folder, problems))
        if files is not None and set(files) <= set(manifest) | OWN_EXTRAS:
            _store(folder, stamp, OK)
            return
    if verdict is not None:
        raise ModelInvalid(verdict)
    verdict, lasting = trial_load(folder)
    if lasting:
        _store(folder, stamp, verdict)
    if verdict != OK:
        raise ModelInvalid(verdict)


def _damaged(folder: Path, problems: list[str]) -> str:
    where = "" if folder == resolve_model_path().resolve() else f" --model {folder}"
    if (folder / MARKER).is_file():
        fix = f"Run `voicecoach model install --force{where}` to reinstall it."
    else:
        fix = f"Move it away, then run `voicecoach model install{where}` to install it again."
    return f"The speech model at {folder} is damaged: {'; '.join(problems)}. {fix}"


# --- the trial load --------------------------------------------------------------------


def trial_load(folder: Path, timeout: float = TRIAL_TIMEOUT) -> tuple[str, bool]:
    """Load ``folder`` in a child process as a session would: (verdict, lasting).

    The verdict is ``"ok"`` or a message for people; ``lasting`` is False when the
    outcome says nothing about the model (a timeout, a kill, vosk not importable).
    Ctrl-C (SIGINT) during the trial raises KeyboardInterrupt.
    """
    command = [sys.executable, "-c", _TRIAL_CODE, str(folder), str(os.getpid())]
    try:
        run = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            errors="replace", timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"The speech model at {folder} did not load within {timeout:.0f} s", False
    except OSError as error:
        return f"Could not try the speech model at {folder}: {error}", False
    code = run.returncode
    if code == 0:
        return OK, True
    if code == -signal.SIGINT:
        raise KeyboardInterrupt
    why = _error_line(run.stderr)
    if code == _REFUSED:
        return f"Vosk cannot load the speech model at {folder}: {why}. {_OTHER}", True
    if code < 0:
        name = signal.Signals(-code).name
        crash = f"The speech model at {folder} crashes Vosk when it loads ({name})"
        if signal.Signals(-code) in _FAULTS:
            detail = f": {why}" if why else ""
            return f"{crash}{detail}. Its files are damaged or not a Vosk model. {_OTHER}", True
        return f"{crash}; out of memory?", False
    return f"Could not try the speech model at {folder}: {why or f'exit {code}'}", False


def _error_line(output: str) -> str:
    """The first error line in the child's stderr: Kaldi's or OpenFst's (they name the
    file), else Vosk's exception."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("ERROR", "Vosk:"))]
    first = (errors or [line for line in lines if not line.startswith("LOG")] or [""])[0]
    return re.sub(r"^ERROR( \(\S*\))?:? ", "", first)[:300]


# --- fingerprints and the cache ----------------------------------------------------------


def _files(folder: Path) -> dict[str, os.stat_result] | None:
    """Every file under ``folder`` (links followed, loops not) by relative path, or None
    when there are too many or the folder cannot be read."""
    found: dict[str, os.stat_result] = {}
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    try:
        while pending:
            current = pending.pop()
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            for entry in current.iterdir():
                if entry.is_dir():
                    pending.append(entry)
                elif entry.is_file():
                    found[entry.relative_to(folder).as_posix()] = entry.stat()
                if len(found) > MAX_FILES:
                    return None
    except OSError:
        return None
    return found


def fingerprint(
    folder: Path,
    files: Mapping[str, os.stat_result] | None = None,
    manifest: Mapping[str, FileSpec] = MANIFEST,
) -> str | None:
    """A digest of ``folder``, every file's relative path, size and mtime under it and the
    ``manifest`` it is checked against (None when the folder cannot be walked or is too
    big)."""
    files = _files(folder) if files is None else files
    if files is None:
        return None
    rows = sorted((rel, info.st_size, info.st_mtime_ns) for rel, info in files.items())
    expected = sorted((rel, spec.size, spec.sha256) for rel, spec in manifest.items())
    return hashlib.sha256(json.dumps([str(folder), rows, expected]).encode()).hexdigest()


def cache_dir() -> Path:
    """Where verdicts are kept: ``model-checks/`` in the user cache folder."""
    from platformdirs import user_cache_path

    return user_cache_path("voicecoach") / "model-checks"


def _cache_file(folder: Path) -> Path:
    return cache_dir() / f"{hashlib.sha256(str(folder).encode()).hexdigest()[:24]}.json"


def _cached(folder: Path, stamp: str) -> str | None:
    """The verdict stored for ``folder`` with this fingerprint, if any."""
    try:
        data = json.loads(_cache_file(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != stamp:
        return None
    verdict = data.get("verdict")
    return verdict if isinstance(verdict, str) else None


def _store(folder: Path, stamp: str | None, verdict: str) -> None:
    """Remember ``verdict`` for ``folder`` as it is now; a cache that cannot be written
    only costs a check next time."""
    if stamp is None:
        return
    target = _cache_file(folder)
    text = json.dumps({"folder": str(folder), "fingerprint": stamp, "verdict": verdict})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".check-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
