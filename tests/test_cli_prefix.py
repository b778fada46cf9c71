"""Every line the command line writes to stderr about a problem carries one ``voicecoach:``
prefix, never two ("voicecoach: voicecoach: …")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_progress import SNAPSHOT
from voicecoach.cli.model import run_info
from voicecoach.cli.options import ModelInfoOptions
from voicecoach.cli.resume import build_session
from voicecoach.cli.status import ExitStatus
from voicecoach.cli.wiring import print_notice
from voicecoach.core.session import SessionSettings
from voicecoach.storage.progress import ProgressStore
from voicecoach.storage.routine_files import resolve_routine


def one_prefix_each(err: str) -> list[str]:
    lines = err.splitlines()
    assert lines, "nothing was said"
    for line in lines:
        assert line.startswith("voicecoach: "), line
        assert line.count("voicecoach:") == 1, line
    return lines


@pytest.mark.parametrize("saved, resume, said", [
    (None, True, "to resume"), (SNAPSHOT, False, "--resume"),
    (replace(SNAPSHOT, segment=10_000), True, "cannot be carried on")])
def test_session_notices_in_the_terminal_have_one_prefix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], saved: object,
        resume: bool, said: str) -> None:
    store = ProgressStore(tmp_path)
    if saved is not None:
        store.save(saved)  # type: ignore[arg-type]
    build_session(resolve_routine("back-pain"), SessionSettings(), store, 0.0, print_notice,
                  resume=resume)
    [line] = one_prefix_each(capsys.readouterr().err)
    assert said in line


def test_model_info_on_a_missing_model_has_one_prefix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_info(ModelInfoOptions(tmp_path / "none")) == ExitStatus.ERROR
    [line] = one_prefix_each(capsys.readouterr().err)
    assert "voicecoach model install --model" in line
