"""A damaged or foreign speech model is found before Vosk loads it: a clear message, never
a crash. Damaged copies of the real model keep its big unchanged files as symlinks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_models import FAKE_FILES, FAKE_MANIFEST, ZIP_ROOT, build_archive
from voicecoach.model_store import (
    MARKER,
    MODEL_NAME,
    ModelInvalid,
    find_model,
    install_model,
    verify,
)
from voicecoach.speech_in import model_check
from voicecoach.speech_in.events import ListenerEvent, ListenerState, ListenerStatus
from voicecoach.speech_in.listener import Listener
from voicecoach.speech_in.model_check import check_model
from voicecoach.speech_in.vosk_model import ModelUnavailable, load_model

REPO = Path(__file__).resolve().parents[1]
HCLR = "graph/HCLr.fst"
IE = "ivector/final.ie"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Verdicts go to a cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "voicecoach" / "model-checks"


def count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Wrap ``module.name`` so each call is recorded; the real function still runs."""
    real: Callable[..., object] = getattr(module, name)
    calls: list[object] = []

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


# --- the installed model, against the manifest (small fake models) -----------------------


def installed_fake(tmp_path: Path) -> Path:
    target = tmp_path / "m"
    install_model(
        target, from_zip=build_archive(tmp_path / "z.zip", ZIP_ROOT), manifest=FAKE_MANIFEST
    )
    return target


def test_installed_model_passes_and_the_next_check_hashes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    model = installed_fake(tmp_path)
    (model / "README").unlink()  # the installed model's own extras are allowed, not needed
    hashed = count_calls(monkeypatch, verify, "sha256_file")

    check_model(model, FAKE_MANIFEST)
    assert len(hashed) == len(FAKE_MANIFEST)
    assert len(list(own_cache.glob("*.json"))) == 1

    check_model(model, FAKE_MANIFEST)
    assert len(hashed) == len(FAKE_MANIFEST)  # size+mtime unchanged: the cached verdict

    later = time.time() + 5
    os.utime(model / "graph" / "Gr.fst", (later, later))
    check_model(model, FAKE_MANIFEST)
    assert len(hashed) == 2 * len(FAKE_MANIFEST)  # a file changed: hashed again


def test_same_size_garbage_is_caught_once_the_file_changed(tmp_path: Path) -> None:
    model = installed_fake(tmp_path)
    check_model(model, FAKE_MANIFEST)
    (model / "graph" / "HCLr.fst").write_bytes(os.urandom(len(FAKE_FILES["graph/HCLr.fst"])))

    with pytest.raises(ModelInvalid) as caught:
        check_model(model, FAKE_MANIFEST)

    assert str(caught.value) == (
        f"The speech model at {model} is damaged: graph/HCLr.fst: SHA-256 mismatch "
        "(corrupted or not the expected file). "
        f"Run `voicecoach model install --force --model {model}` to reinstall it."
    )


def test_sizes_are_checked_on_every_load_even_when_cached(tmp_path: Path) -> None:
    model = installed_fake(tmp_path)
    check_model(model, FAKE_MANIFEST)
    (model / "ivector" / "final.ie").unlink()
    with (model / "graph" / "Gr.fst").open("r+b") as f:
        f.truncate(100)

    with pytest.raises(
        ModelInvalid,
        match="is damaged: graph/Gr.fst: 100 bytes, expected 7000 "
        r"\(truncated\); ivector/final.ie: missing\. Run `voicecoach model install "
        "--force",
    ):
        check_model(model, FAKE_MANIFEST)


def test_a_damaged_copy_without_the_marker_is_not_offered_force(tmp_path: Path) -> None:
    model = installed_fake(tmp_path).rename(tmp_path / MODEL_NAME)
    (model / MARKER).unlink()  # unpacked by hand: named like ours, not installed by us
    (model / "am" / "final.mdl").write_bytes(b"x")

    with pytest.raises(ModelInvalid) as caught:
        check_model(model, FAKE_MANIFEST)

    assert "am/final.mdl: 1 bytes, expected 16384 (truncated)" in str(caught.value)
    assert str(caught.value).endswith(
        f"Move it away, then run `voicecoach model install --model {model}` to install it again."
    )


# --- the real model: damaged copies ------------------------------------------------------


def real_model() -> Path:
    return find_model(None).resolve()


def model_copy(tmp_path: Path, name: str, *, marker: bool) -> Path:
    """The real model as a folder of per-file symlinks (cheap), with or without the marker."""
    source = real_model()
    copy = tmp_path / name
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir():
            (copy / rel).mkdir(parents=True, exist_ok=True)
        elif marker or rel.as_posix() != MARKER:
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).symlink_to(path)
    return copy


def truncate(model: Path, rel: str, size: int = 10_000_000) -> None:
    data = (model / rel).read_bytes()[:size]
    (model / rel).unlink()
    (model / rel).write_bytes(data)


def garble(model: Path, rel: str) -> None:
    size = (model / rel).stat().st_size
    (model / rel).unlink()
    (model / rel).write_bytes(os.urandom(size))


def remove(model: Path, rel: str) -> None:
    (model / rel).unlink()


DAMAGE: dict[str, tuple[Callable[[Path, str], None], str]] = {
    "truncated-HCLr": (truncate, HCLR),
    "garbled-HCLr": (garble, HCLR),
    "missing-final.ie": (remove, IE),
}
INSTALLED_SAYS = {
    "truncated-HCLr": "graph/HCLr.fst: 10000000 bytes, expected 22416994 (truncated)",
    "garbled-HCLr": "graph/HCLr.fst: SHA-256 mismatch",
    "missing-final.ie": "ivector/final.ie: missing",
}
FOREIGN_SAYS = {
    "truncated-HCLr": "crashes Vosk when it loads (SIGSEGV)",
    "garbled-HCLr": "crashes Vosk when it loads (SIGSEGV)",
    "missing-final.ie": "Vosk cannot load the speech model",
}


@pytest.fixture
def silence_wav(tmp_path: Path) -> Path:
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    return path


@pytest.mark.vosk
@pytest.mark.parametrize("installed", [True, False], ids=["installed", "users-own"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_listen_on_a_damaged_model_says_what_is_wrong_and_does_not_crash(
    tmp_path: Path, silence_wav: Path, damage: str, installed: bool
) -> None:
    spoil, rel = DAMAGE[damage]
    model = model_copy(tmp_path, "BAD", marker=installed)
    spoil(model, rel)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))

    run = subprocess.run(
        [sys.executable, "-m", "voicecoach", "listen", "--wav", str(silence_wav),
         "--model", str(model)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert run.returncode in (1, 2), run.stderr  # not -11 (SIGSEGV), not 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("voicecoach"), run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert str(model) in lines[0]
    if installed:
        assert INSTALLED_SAYS[damage] in lines[0]
        assert f"Run `voicecoach model install --force --model {model}`" in lines[0]
    else:
        assert FOREIGN_SAYS[damage] in lines[0]
        assert "HCLr.fst" in lines[0] or damage == "missing-final.ie"


@pytest.mark.vosk
def test_a_users_model_that_crashes_vosk_is_tried_once_then_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = model_copy(tmp_path, "mine", marker=False)
    garble(model, HCLR)
    trials = count_calls(monkeypatch, model_check, "trial_load")

    for _ in range(2):
        with pytest.raises(ModelUnavailable, match=r"crashes Vosk when it loads \(SIGSEGV\)"):
            load_model(model)  # this process would have died here before
    assert len(trials) == 1

    garble(model, HCLR)  # changed again: tried again
    with pytest.raises(ModelInvalid, match="SIGSEGV"):
        check_model(model)
    assert len(trials) == 2


@pytest.mark.vosk
def test_a_good_model_of_the_users_own_passes_its_trial_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = model_copy(tmp_path, "mine", marker=False)
    trials = count_calls(monkeypatch, model_check, "trial_load")
    check_model(model)
    check_model(model)
    assert len(trials) == 1
    check_model(real_model())  # ours: checked by the manifest, no trial
    assert len(trials) == 1


@pytest.mark.vosk
def test_the_listener_reports_no_model_and_the_session_goes_on(tmp_path: Path) -> None:
    model = model_copy(tmp_path, "mine", marker=False)
    truncate(model, HCLR)
    events: list[ListenerEvent] = []
    got = threading.Event()

    def on_event(event: ListenerEvent) -> None:
        events.append(event)
        if isinstance(event, ListenerStatus) and event.state is ListenerState.NO_MODEL:
            got.set()

    listener = Listener(model, on_event=on_event)
    listener.start()
    try:
        assert got.wait(120), events
    finally:
        listener.stop()
    (status,) = [e for e in events if isinstance(e, ListenerStatus)]
    assert "crashes Vosk" in status.detail and "HCLr.fst" in status.detail


# --- Ctrl-C while the model loads --------------------------------------------------------

LOAD_THEN_SAY = """
import sys
from voicecoach.speech_in.model_check import check_before_load
from voicecoach.speech_in.vosk_model import load_model
check_before_load(sys.argv[1])
print("loading", flush=True)
load_model(sys.argv[1])
print("loaded", flush=True)
"""


@pytest.mark.vosk
def test_ctrl_c_while_the_model_loads_leaves_no_ignored_exception(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    landed = 0
    for delay in (0.0, 0.05, 0.1, 0.2, 0.3):
        child = subprocess.Popen(
            [sys.executable, "-c", LOAD_THEN_SAY, str(real_model())],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert child.stdout is not None
        assert child.stdout.readline() == "loading\n"
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert "Exception ignored" not in err and "__del__" not in err, err
        if "loaded" not in out:
            assert err.rstrip().endswith("KeyboardInterrupt"), err
            landed += "vosk_model_new" in err
    assert landed, "no Ctrl-C landed while Vosk was loading; the test proved nothing"
