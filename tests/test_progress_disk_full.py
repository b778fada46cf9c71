"""Saving progress when the disk refuses the write: the error names the progress file, no
temporary file is left behind and the progress saved before stays as it was.

The write fails for real in a child process whose file-size limit (RLIMIT_FSIZE) is a few
bytes: the kernel refuses the write as a full disk would (EFBIG instead of ENOSPC; the
code path is the same OSError)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_progress import SNAPSHOT
from voicecoach.storage.progress import ProgressStore

REPO = Path(__file__).resolve().parents[1]
SAVE_WITH_TINY_FILE_LIMIT = """
import resource, signal, sys
from dataclasses import replace
from pathlib import Path
from tests.test_progress import SNAPSHOT
from voicecoach.storage.progress import ProgressStore

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (8, 8))
try:
    ProgressStore(Path(sys.argv[1])).save(replace(SNAPSHOT, segment=9))
except OSError as error:
    print(f"{error.filename}|{error.strerror}")
"""


def test_a_failed_save_names_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.save(SNAPSHOT)
    saved = store.path_for(SNAPSHOT.routine).read_bytes()

    run = subprocess.run(
        [sys.executable, "-c", SAVE_WITH_TINY_FILE_LIMIT, str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip

    assert run.stdout.strip() == f"{store.path_for(SNAPSHOT.routine)}|File too large", run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [store.path_for("back-pain").name]
    assert store.path_for(SNAPSHOT.routine).read_bytes() == saved
    assert store.load(SNAPSHOT.routine) == SNAPSHOT
