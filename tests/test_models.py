"""Installing, finding and verifying the Vosk model, with real archives and a real HTTP server.

Small fake models (built here with zipfile, checked against a manifest made from them)
keep most tests fast; one test runs the real Maven route and loads the result in Vosk.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from voicecoach import model_store
from voicecoach.cli.model import TextProgress, render_bar, run_info, run_install
from voicecoach.cli.options import ModelInfoOptions, ModelInstallOptions
from voicecoach.cli.status import ExitStatus
from voicecoach.model_store import (
    MODEL_NAME,
    FileSpec,
    InstallFailed,
    MavenSource,
    ModelInvalid,
    ModelMissing,
    TargetInUse,
    UnsafeArchive,
    ZipSource,
    default_model_dir,
    find_model,
    install_model,
    read_marker,
    resolve_model_path,
    verify_model,
)
from voicecoach.storage.paths import models_dir

FAKE_FILES: dict[str, bytes] = {
    "README": b"fake model for tests\n",
    "am/final.mdl": bytes(range(256)) * 64,
    "conf/model.conf": b"--min-active=200\n",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "graph/HCLr.fst": b"H" * 5000,
    "graph/Gr.fst": b"G" * 7000,
    "ivector/final.ie": b"I" * 3000,
}
FAKE_MANIFEST = {
    rel: FileSpec(len(data), hashlib.sha256(data).hexdigest())
    for rel, data in FAKE_FILES.items()
    if rel != "README"
}
ZIP_ROOT = f"{MODEL_NAME}/"
AAR_ROOT = "assets/model-en-us/"
AAR_EXTRAS = {"R.txt": b"", "AndroidManifest.xml": b"<manifest/>", "classes.jar": b"PK"}


def build_archive(
    path: Path,
    root: str,
    *,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None,
    files: dict[str, bytes] | None = None,
) -> Path:
    """A zip (root = the model folder) or an aar (root = assets/model-en-us/) of a model."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if root == AAR_ROOT:
            for name, data in AAR_EXTRAS.items():
                zf.writestr(name, data)
            zf.writestr("model-en-us/am/", b"")  # the real aar has such empty folders too
        zf.writestr(root, b"")
        for rel, data in (FAKE_FILES if files is None else files).items():
            zf.writestr(root + rel, data)
        for entry, data in extra or []:
            zf.writestr(entry, data)
    return path


def symlink_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry that unpacks as a symbolic link (its content is the link's target)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def leftovers(folder: Path) -> list[str]:
    """Temporary install folders left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


@pytest.fixture(params=[ZIP_ROOT, AAR_ROOT], ids=["zip", "aar"])
def layout(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- installing from archives ------------------------------------------------------------


def test_install_from_archive_reroots_the_model(tmp_path: Path, layout: str) -> None:
    archive = build_archive(tmp_path / "model.bin", layout)
    target = tmp_path / "models" / "m"
    seen: list[tuple[int, int]] = []

    assert (
        install_model(
            target,
            from_zip=archive,
            manifest=FAKE_MANIFEST,
            progress=lambda d, t: seen.append((d, t)),
        )
        == target
    )

    assert verify_model(target, FAKE_MANIFEST) == []
    assert (target / "am" / "final.mdl").read_bytes() == FAKE_FILES["am/final.mdl"]
    assert not (target / "AndroidManifest.xml").exists()
    assert not (target / "assets").exists() and not (target / MODEL_NAME).exists()
    assert read_marker(target)["source"] == f"file {archive.resolve()}"
    assert read_marker(target)["archive_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    total = sum(len(d) for d in FAKE_FILES.values())
    assert seen[-1] == (total, total)
    assert leftovers(target.parent) == []


HOSTILE = {
    "absolute path": "/tmp/voicecoach-evil",
    "dot-dot at top": "../evil",
    "dot-dot inside the model": "{root}am/../../../evil",
    "backslash dot-dot": "{root}..\\..\\evil",
    "symlink out": "{root}am/link",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_archive_is_refused_and_leaves_nothing(
    tmp_path: Path, layout: str, kind: str
) -> None:
    name = HOSTILE[kind].format(root=layout)
    entry = symlink_entry(name) if kind == "symlink out" else zipfile.ZipInfo(name)
    archive = build_archive(tmp_path / "evil.zip", layout, extra=[(entry, b"../../../../../evil")])
    with zipfile.ZipFile(archive) as zf:  # the hostile name really is in the archive
        assert name in zf.namelist()
    target = tmp_path / "models" / "m"

    with pytest.raises(UnsafeArchive) as caught:
        install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)

    assert ("symbolic link" if kind == "symlink out" else "evil") in str(caught.value)
    assert not target.exists()
    assert leftovers(target.parent) == []
    assert not (tmp_path / "evil").exists() and not (tmp_path / "models" / "evil").exists()
    assert not Path("/tmp/voicecoach-evil").exists()


def test_hostile_archive_keeps_the_existing_model(tmp_path: Path) -> None:
    target = tmp_path / "m"
    install_model(
        target, from_zip=build_archive(tmp_path / "ok.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    evil = build_archive(tmp_path / "evil.zip", ZIP_ROOT, extra=[("../evil", b"x")])

    with pytest.raises(UnsafeArchive):
        install_model(target, from_zip=evil, manifest=FAKE_MANIFEST, force=True)

    assert verify_model(target, FAKE_MANIFEST) == []
    assert leftovers(tmp_path) == []


class Interrupt(KeyboardInterrupt):
    """Raised by a progress callback halfway through, as Ctrl-C would be."""


def test_interrupted_install_leaves_nothing(tmp_path: Path, layout: str) -> None:
    archive = build_archive(tmp_path / "model.zip", layout)
    target = tmp_path / "models" / "m"

    def progress(done: int, total: int) -> None:
        if done > total // 2:
            assert any(target.parent.glob(".m.partial-*/model/am/final.mdl"))  # midway for real
            raise Interrupt

    with pytest.raises(Interrupt):
        install_model(target, from_zip=archive, manifest=FAKE_MANIFEST, progress=progress)

    assert not target.exists()
    assert leftovers(target.parent) == []


def test_interrupted_reinstall_keeps_the_old_model(tmp_path: Path) -> None:
    archive = build_archive(tmp_path / "model.zip", ZIP_ROOT)
    target = tmp_path / "m"
    install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)
    before = read_marker(target)

    def progress(done: int, total: int) -> None:
        raise Interrupt

    with pytest.raises(Interrupt):
        install_model(
            target, from_zip=archive, manifest=FAKE_MANIFEST, force=True, progress=progress
        )

    assert verify_model(target, FAKE_MANIFEST) == [] and read_marker(target) == before
    assert leftovers(tmp_path) == []


def test_corrupt_archive_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for rel, data in FAKE_FILES.items():
            zf.writestr(ZIP_ROOT + rel, data)
    raw = bytearray(archive.read_bytes())
    at = raw.index(b"G" * 7000) + 3500
    raw[at : at + 4] = b"XXXX"  # damage graph/Gr.fst's data: its CRC no longer matches
    archive.write_bytes(bytes(raw))
    target = tmp_path / "m"

    with pytest.raises(ModelInvalid, match="corrupt"):
        install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)

    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_archive_without_a_model_or_not_a_zip_is_refused(tmp_path: Path) -> None:
    empty = build_archive(tmp_path / "empty.zip", ZIP_ROOT, files={"README": b"no model"})
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip")
    with pytest.raises(ModelInvalid, match="no Vosk model"):
        install_model(tmp_path / "m", from_zip=empty, manifest=FAKE_MANIFEST)
    with pytest.raises(ModelInvalid, match="not a readable zip"):
        install_model(tmp_path / "m", from_zip=junk, manifest=FAKE_MANIFEST)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.zip", "junk.zip"]


def test_model_failing_the_manifest_is_not_installed(tmp_path: Path) -> None:
    files = dict(FAKE_FILES, **{"graph/Gr.fst": b"G" * 6999})
    archive = build_archive(tmp_path / "model.zip", ZIP_ROOT, files=files)
    with pytest.raises(ModelInvalid, match=r"graph/Gr.fst: 6999 bytes, expected 7000"):
        install_model(tmp_path / "m", from_zip=archive, manifest=FAKE_MANIFEST)
    assert not (tmp_path / "m").exists()


def test_valid_model_is_kept_and_a_damaged_one_reinstalled(tmp_path: Path) -> None:
    archive = build_archive(tmp_path / "model.zip", ZIP_ROOT)
    target = tmp_path / "m"
    install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)
    (target / "keep-me").write_text("a valid install is left alone")

    install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)
    assert (target / "keep-me").exists()

    with (target / "graph" / "Gr.fst").open("r+b") as f:
        f.truncate(100)
    assert verify_model(target, FAKE_MANIFEST) == [
        "graph/Gr.fst: 100 bytes, expected 7000 (truncated)"
    ]
    install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)
    assert verify_model(target, FAKE_MANIFEST) == [] and not (target / "keep-me").exists()


def test_install_removes_temp_folders_of_dead_installs(tmp_path: Path) -> None:
    stale = tmp_path / ".m.partial-999999999-abc"  # no such process id
    (stale / "model").mkdir(parents=True)
    install_model(
        tmp_path / "m", from_zip=build_archive(tmp_path / "z.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    assert not stale.exists()


# --- the target: never a user's file or folder -------------------------------------------


def what_is_at(path: Path) -> dict[str, bytes | str]:
    """Everything under ``path`` (a file, a link or a folder), to compare before and after."""
    if path.is_symlink():
        return {"": f"link to {os.readlink(path)}"}
    if path.is_file():
        return {"": path.read_bytes()}
    return {
        p.relative_to(path).as_posix(): p.read_bytes() if p.is_file() else "folder"
        for p in sorted(path.rglob("*"))
    }


def users_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my-notes"
    (folder / "2024").mkdir(parents=True)
    (folder / "todo.txt").write_text("stretch daily\n")
    (folder / "2024" / "log.txt").write_text("day 1\n")
    return folder


def users_file(tmp_path: Path) -> Path:
    path = tmp_path / "thesis.odt"
    path.write_bytes(b"years of work")
    return path


def users_link(tmp_path: Path) -> Path:
    link = tmp_path / "link"
    link.symlink_to(users_folder(tmp_path))
    return link


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("make", [users_folder, users_file, users_link])
def test_install_refuses_what_the_user_has_at_the_target(
    tmp_path: Path, make: Callable[[Path], Path], force: bool
) -> None:
    target = make(tmp_path)
    before = what_is_at(target)
    archive = build_archive(tmp_path / "model.zip", ZIP_ROOT)

    with pytest.raises(TargetInUse) as caught:
        install_model(target, from_zip=archive, manifest=FAKE_MANIFEST, force=force)

    message = str(caught.value)
    assert f"will not install the model at {target}" in message
    assert "Pick another folder" in message and "nothing was changed" in message
    assert what_is_at(target) == before
    assert leftovers(tmp_path) == []


def test_install_goes_into_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    archive = build_archive(tmp_path / "z.zip", ZIP_ROOT)
    install_model(target, from_zip=archive, manifest=FAKE_MANIFEST)
    assert verify_model(target, FAKE_MANIFEST) == []
    assert read_marker(target)["source"] == f"file {archive.resolve()}"
    assert leftovers(tmp_path) == []


def test_installed_model_is_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "m"
    first = build_archive(tmp_path / "first.zip", ZIP_ROOT)
    second = build_archive(tmp_path / "second.zip", ZIP_ROOT)
    install_model(target, from_zip=first, manifest=FAKE_MANIFEST)
    (target / "notes.txt").write_text("inside the installed model")

    install_model(target, from_zip=second, manifest=FAKE_MANIFEST)
    assert read_marker(target)["source"] == f"file {first.resolve()}"
    assert (target / "notes.txt").exists()

    install_model(target, from_zip=second, manifest=FAKE_MANIFEST, force=True)
    assert read_marker(target)["source"] == f"file {second.resolve()}"
    assert verify_model(target, FAKE_MANIFEST) == [] and not (target / "notes.txt").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("via_env", [False, True], ids=["--model", "VOICECOACH_MODEL"])
def test_cli_install_over_a_users_file_exits_2_and_keeps_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    via_env: bool,
) -> None:
    target = users_file(tmp_path)
    if via_env:
        monkeypatch.setenv("VOICECOACH_MODEL", str(target))
    options = ModelInstallOptions(None if via_env else target, tmp_path / "unused.zip", force=True)

    assert run_install(options) == ExitStatus.BAD_INPUT

    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("voicecoach: ")
    assert f"will not install the model at {target}: it is a file" in err[0]
    assert target.read_bytes() == b"years of work"


# --- kill -9 of an install ---------------------------------------------------------------

FAKE_MVN = """#!/bin/sh
echo $$ > "$0.pid"
exec sleep 60
"""
"""A stand-in for a slow ``mvn``: says its process id, then waits (``exec`` keeps the id)."""


def process_state(pid: int) -> str | None:
    """The process's state letter from /proc (R, S, Z, ...), or None when it is gone."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat_line.rpartition(")")[2].split()[0]


def test_kill_9_of_an_install_ends_mvn_and_the_next_install_cleans_up(tmp_path: Path) -> None:
    mvn = tmp_path / "fake-mvn"
    mvn.write_text(FAKE_MVN)
    mvn.chmod(0o755)
    pid_file = Path(f"{mvn}.pid")
    target = tmp_path / "models" / "m"
    code = (
        "import sys; from pathlib import Path\n"
        "from voicecoach.model_store import MavenSource, install_model\n"
        "install_model(Path(sys.argv[1]), sources=[MavenSource(mvn=sys.argv[2])])\n"
    )
    repo = Path(__file__).resolve().parents[1]
    installer = subprocess.Popen([sys.executable, "-c", code, str(target), str(mvn)], cwd=repo)
    mvn_pid = 0
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text().strip()):
            assert installer.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        mvn_pid = int(pid_file.read_text())
        assert process_state(mvn_pid) in ("S", "R")  # the fake mvn is running
        assert leftovers(target.parent) != []

        installer.send_signal(signal.SIGKILL)
        installer.wait()

        deadline = time.monotonic() + 5
        while process_state(mvn_pid) not in (None, "Z", "X") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process_state(mvn_pid) in (None, "Z", "X"), "mvn outlived the killed install"
    finally:
        if installer.poll() is None:
            installer.kill()
        if mvn_pid and process_state(mvn_pid) not in (None, "Z", "X"):
            os.kill(mvn_pid, signal.SIGKILL)

    assert [p for p in leftovers(target.parent) if f".partial-{installer.pid}-" in p]
    install_model(
        target, from_zip=build_archive(tmp_path / "z.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    assert leftovers(target.parent) == []
    assert verify_model(target, FAKE_MANIFEST) == []


# --- verifying ---------------------------------------------------------------------------


def test_verify_reports_each_problem(tmp_path: Path) -> None:
    install_model(
        tmp_path / "m", from_zip=build_archive(tmp_path / "z.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    model = tmp_path / "m"
    (model / "conf" / "model.conf").unlink()
    (model / "graph" / "HCLr.fst").write_bytes(b"h" * 5000)
    (model / "ivector" / "final.ie").write_bytes(b"I" * 3001)

    assert verify_model(model, FAKE_MANIFEST) == [
        "conf/model.conf: missing",
        "graph/HCLr.fst: SHA-256 mismatch (corrupted or not the expected file)",
        "ivector/final.ie: 3001 bytes, expected 3000 (not the expected file)",
    ]
    assert verify_model(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: no such folder"]


def test_manifest_covers_the_files_vosk_reads() -> None:
    assert {"am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"} <= set(
        model_store.MANIFEST
    )
    assert 10 <= len(model_store.MANIFEST) <= 15


# --- the zip source over real HTTP on loopback -------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, folder it serves) for an HTTP server on 127.0.0.1."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_zip_source_downloads_and_checks_sha256(
    tmp_path: Path, http_root: tuple[str, Path]
) -> None:
    base, root = http_root
    archive = build_archive(root / "model.zip", ZIP_ROOT)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    source = ZipSource(url=f"{base}/model.zip", sha256=digest)
    target = tmp_path / "m"
    seen: list[tuple[int, int]] = []
    phases: list[str] = []

    install_model(
        target,
        sources=[source],
        manifest=FAKE_MANIFEST,
        progress=lambda d, t: seen.append((d, t)),
        on_phase=phases.append,
    )

    assert verify_model(target, FAKE_MANIFEST) == []
    assert read_marker(target)["source"] == f"zip {base}/model.zip"
    assert read_marker(target)["archive_sha256"] == digest
    size = archive.stat().st_size
    assert (size, size) in seen  # the download's own progress, with Content-Length
    assert phases[0] == f"downloading {base}/model.zip"
    assert leftovers(tmp_path) == []


def test_zip_source_refuses_a_sha256_mismatch(tmp_path: Path, http_root: tuple[str, Path]) -> None:
    base, root = http_root
    build_archive(root / "model.zip", ZIP_ROOT)
    source = ZipSource(url=f"{base}/model.zip", sha256="0" * 64)

    with pytest.raises(InstallFailed) as caught:
        install_model(tmp_path / "m", sources=[source], manifest=FAKE_MANIFEST)

    assert "SHA-256 mismatch" in str(caught.value) and f"{base}/model.zip" in str(caught.value)
    assert not (tmp_path / "m").exists()
    assert leftovers(tmp_path) == []


def test_failed_source_falls_back_to_the_next(tmp_path: Path, http_root: tuple[str, Path]) -> None:
    base, root = http_root
    build_archive(root / "model.zip", ZIP_ROOT)
    missing = ZipSource(url=f"{base}/gone.zip")
    good = ZipSource(url=f"{base}/model.zip", sha256=None)
    phases: list[str] = []

    install_model(
        tmp_path / "m", sources=[missing, good], manifest=FAKE_MANIFEST, on_phase=phases.append
    )

    assert read_marker(tmp_path / "m")["source"] == f"zip {base}/model.zip"
    assert any("gone.zip failed" in p and "404" in p for p in phases)


def test_when_every_source_fails_the_error_says_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a loopback port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sources: list[model_store.Source] = [
        ZipSource(url=f"http://127.0.0.1:{port}/model.zip"),
        MavenSource(mvn="voicecoach-test-no-such-mvn"),
    ]

    with pytest.raises(InstallFailed) as caught:
        install_model(tmp_path / "m", sources=sources)

    message = str(caught.value)
    assert f"zip http://127.0.0.1:{port}/model.zip: download failed" in message
    assert "Maven Central com.alphacephei:vosk-model-en:0.3.45:aar:" in message
    assert "`voicecoach-test-no-such-mvn` (Apache Maven) is not installed" in message
    assert "apt install maven" in message and "--from-zip PATH" in message
    assert model_store.ZIP_URL in message
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_advice_follows_what_failed_maven_that_ran_is_not_told_to_be_installed(
        tmp_path: Path) -> None:
    """A name that does not resolve is said so, not as "[Errno -2]"; Maven that ran and
    brought nothing gets its settings checked, not "install Apache Maven" (the real mvn,
    asked for an artifact Maven Central has not: it fails with or without a network)."""
    sources: list[model_store.Source] = [
        ZipSource(url="http://voicecoach-no-such-host.invalid/model.zip"),
        MavenSource(artifact="com.example.voicecoach:no-such-model:1.0:aar", timeout=120),
    ]
    with pytest.raises(InstallFailed) as caught:
        install_model(tmp_path / "m", sources=sources)
    message = str(caught.value)
    assert ("zip http://voicecoach-no-such-host.invalid/model.zip: download failed: "
            "voicecoach-no-such-host.invalid cannot be looked up: no network here, or no name "
            "server that knows it (") in message
    assert "mvn failed (exit 1): " in message
    assert message.endswith(
        "What you can do:\n"
        "  - check what Maven reaches (a proxy or a mirror in ~/.m2/settings.xml) and run "
        "`voicecoach model install` again, or\n"
        f"  - download {model_store.ZIP_URL} by hand (SHA-256 {model_store.ZIP_SHA256}) and "
        "run `voicecoach model install --from-zip PATH`.")
    assert "install Apache Maven" not in message


# --- finding the model -------------------------------------------------------------------


def test_default_and_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICECOACH_MODEL", raising=False)
    assert default_model_dir() == models_dir() / MODEL_NAME
    assert resolve_model_path() == default_model_dir()

    monkeypatch.setenv("VOICECOACH_MODEL", str(tmp_path / "env-model"))
    assert resolve_model_path() == tmp_path / "env-model"
    assert resolve_model_path(tmp_path / "explicit") == tmp_path / "explicit"

    with pytest.raises(ModelMissing) as caught:
        find_model()
    assert str(tmp_path / "env-model") in str(caught.value)
    assert "VOICECOACH_MODEL" in str(caught.value)

    installed = install_model(
        from_zip=build_archive(tmp_path / "z.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    assert installed == tmp_path / "env-model"
    assert find_model() == tmp_path / "env-model"


def test_find_model_errors_say_what_to_run(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(ModelMissing) as caught:
        find_model(missing)
    assert f"Run `voicecoach model install --model {missing}`" in str(caught.value)
    assert str(missing) in str(caught.value) and "no such folder" in str(caught.value)

    partial = tmp_path / "partial"
    (partial / "am").mkdir(parents=True)
    (partial / "am" / "final.mdl").write_bytes(b"x")
    with pytest.raises(ModelMissing, match=r"missing conf/model\.conf.*voicecoach model install"):
        find_model(partial)


def test_find_model_never_suggests_installing_into_a_file_or_someone_elses_folder(
        tmp_path: Path) -> None:
    a_file = tmp_path / "pause.wav"
    a_file.write_bytes(b"RIFF")
    with pytest.raises(ModelMissing) as caught:
        find_model(a_file)
    assert str(caught.value) == (f"{a_file} (--model) is a file, not a Vosk model folder: "
                                 "give the folder that holds am/, conf/ and graph/.")
    with pytest.raises(ModelMissing) as caught:
        find_model(tmp_path)  # holds pause.wav and nothing of a model
    assert "is not a Vosk model folder (no am/, conf/ or graph/)" in str(caught.value)
    assert f"--model {tmp_path}`" not in str(caught.value)


def test_find_model_given_the_folder_around_a_model_names_the_model_inside(
        tmp_path: Path) -> None:
    """``--model models`` for ``models/vosk-model-small-en-us-0.15``: the one to give."""
    inside = tmp_path / "vosk-model-small-en-us-0.15"
    for part in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
        (inside / part).parent.mkdir(parents=True, exist_ok=True)
        (inside / part).write_bytes(b"x")
    (tmp_path / "notes").mkdir()
    with pytest.raises(ModelMissing) as caught:
        find_model(tmp_path)
    assert str(caught.value) == (f"{tmp_path} (--model) is the folder around a Vosk model, "
                                 f"not the model's own: give {inside}")


def test_find_model_calls_an_empty_folder_empty(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing) as caught:
        find_model(tmp_path)
    assert str(caught.value).startswith(f"No Vosk speech model at {tmp_path} (--model): an "
                                        "empty folder. Run `voicecoach model install --model")


def test_find_model_without_arguments_points_at_plain_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICECOACH_MODEL", str(tmp_path / "env-model"))
    with pytest.raises(ModelMissing, match=r"Run `voicecoach model install` to install"):
        find_model()


# --- the command line --------------------------------------------------------------------


def test_cli_install_refuses_a_hostile_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = build_archive(
        tmp_path / "evil.zip", AAR_ROOT, extra=[(symlink_entry(AAR_ROOT + "x"), b"/etc")]
    )
    assert run_install(ModelInstallOptions(tmp_path / "m", archive)) == ExitStatus.BAD_INPUT
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("voicecoach: model install failed: archive entry")
    assert not (tmp_path / "m").exists()


def test_cli_install_refuses_a_zip_that_is_not_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = build_archive(tmp_path / "fake.zip", ZIP_ROOT)
    assert run_install(ModelInstallOptions(tmp_path / "m", archive)) == ExitStatus.BAD_INPUT
    assert "fails verification: am/final.mdl: 16384 bytes" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake.zip"]


def test_cli_info_on_a_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_info(ModelInfoOptions(tmp_path / "none")) == ExitStatus.ERROR
    assert "voicecoach model install --model" in capsys.readouterr().err


def damaged_copy(folder: Path) -> Path:
    """A copy of the installed model (links to its files) with ``graph/disambig_tid.int`` gone."""
    copy = folder / "copy"
    shutil.copytree(find_model(None), copy, copy_function=os.symlink)
    (copy / "graph" / "disambig_tid.int").unlink()
    return copy


def test_cli_info_counts_one_problem_in_the_singular(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VOICECOACH_MODEL", str(damaged_copy(tmp_path)))
    assert run_info(ModelInfoOptions(None)) == ExitStatus.ERROR
    out = capsys.readouterr().out
    assert "verified: 1 problem — run `voicecoach model install --force`\n" in out
    assert "graph/disambig_tid.int: missing" in out


def test_progress_bar_text() -> None:
    assert render_bar(18_540_000, 41_200_000, 10) == "[####......]  45% 18.5/41.2 MB"
    assert render_bar(41_200_000, 41_200_000, 4) == "[####] 100% 41.2/41.2 MB"
    assert render_bar(18_300_000, 0) == "18.3 MB"

    shown, hidden = io.StringIO(), io.StringIO()
    for stream, enabled in ((shown, True), (hidden, False)):
        bar = TextProgress(stream, enabled=enabled, width=4)
        bar(1, 4)
        bar(1, 4)
        bar(4, 4)
        bar.phase("verifying")
    assert shown.getvalue() == "\r[#...]  25% 0.0/0.0 MB\r[####] 100% 0.0/0.0 MB\nverifying\n"
    assert hidden.getvalue() == "verifying\n"


# --- the real thing ----------------------------------------------------------------------


@pytest.mark.vosk
def test_real_maven_route_installs_a_model_vosk_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mvn fetches the real aar (from ~/.m2 or Maven Central); Vosk then loads the result."""
    assert shutil.which("mvn"), "Apache Maven is needed: `sudo apt install maven`"
    target = tmp_path / "models" / MODEL_NAME
    phases: list[str] = []

    install_model(target, sources=[MavenSource()], on_phase=phases.append)

    assert "fetching from Maven Central with mvn…" in phases
    assert verify_model(target) == []
    assert read_marker(target)["archive_sha256"] == model_store.AAR_SHA256
    assert leftovers(target.parent) == []
    assert find_model(target) == target

    import vosk

    vosk.SetLogLevel(-1)
    recognizer = vosk.KaldiRecognizer(vosk.Model(str(target)), 16000)
    recognizer.AcceptWaveform(bytes(3200))
    assert "text" in recognizer.FinalResult()

    assert run_info(ModelInfoOptions(target)) == ExitStatus.OK
    out = capsys.readouterr().out
    assert f"path:     {target}" in out and "verified: ok" in out
    assert "source:   Maven Central com.alphacephei:vosk-model-en:0.3.45:aar" in out

    with (target / "am" / "final.mdl").open("r+b") as f:
        f.truncate(1000)
    assert verify_model(target) == ["am/final.mdl: 1000 bytes, expected 15962575 (truncated)"]
    assert run_info(ModelInfoOptions(target)) == ExitStatus.ERROR
    assert "am/final.mdl: 1000 bytes" in capsys.readouterr().out


def test_cli_info_on_a_damaged_model_elsewhere_names_its_folder_to_reinstall(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    damaged_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run_info(ModelInfoOptions(Path("copy"))) == ExitStatus.ERROR
    out = capsys.readouterr().out
    assert f"path:     {tmp_path / 'copy'}\n" in out
    assert ("verified: 1 problem — run `voicecoach model install --force --model "
            f"{tmp_path / 'copy'}`") in out


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_cli_install_from_a_zip_that_is_not_there_says_so_even_when_installed(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "model.zip"
    if kind == "folder":
        archive.mkdir()
    assert run_install(ModelInstallOptions(find_model(None), archive)) == ExitStatus.BAD_INPUT
    what = "a folder, not a zip" if kind == "folder" else "no such file"
    assert capsys.readouterr().err == f"voicecoach: model install failed: {archive}: {what}\n"
