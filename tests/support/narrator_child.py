"""Run a real AudioNarrator in a child process by a plan, and report what happened.

sounddevice must be imported after ``PULSE_SERVER`` is set, so narrator tests run this file
as a subprocess: ``python -m tests.support.narrator_child '<plan json>'``. The plan::

    {"profile": "calm", "device": null, "steps": [["say", "Hello.", "instruction"],
     ["wait_started", 1, 10], ["sleep", 0.3], ["silence"], ["wait_ended", 1, 5]]}

(``["touch", PATH]`` and ``["wait_path", PATH, TIMEOUT]`` keep step with the test;
``["busy"]`` notes whether the narrator says it is still talking.)

prints one JSON object: ``output_available``, ``ready``, ``audible``, ``problems``,
``captions`` and ``events`` (line starts/ends and silences, in ``time.monotonic()``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from voicecoach.core.cues import SayKind
from voicecoach.speech_out.narrator import AudioNarrator
from voicecoach.speech_out.output import output_available
from voicecoach.speech_out.profiles import load_voice


def main(plan: dict[str, Any]) -> dict[str, Any]:
    """Follow the plan; return the report."""
    events: list[dict[str, Any]] = []
    problems: list[str] = []
    captions: list[str] = []
    changed = threading.Condition()

    def note(event: dict[str, Any]) -> None:
        with changed:
            events.append(event)
            changed.notify_all()

    def count(kind: str) -> int:
        return sum(1 for event in events if event["event"] == kind)

    def wait_for(kind: str, wanted: int, timeout: float) -> None:
        with changed:
            if not changed.wait_for(lambda: count(kind) >= wanted, timeout):
                raise TimeoutError(f"waited {timeout} s for {wanted} line {kind} events: {events}")

    available = output_available(plan.get("device"))
    narrator = AudioNarrator(
        load_voice(plan.get("profile", "calm")),
        output_device=plan.get("device"),
        on_line_start=lambda text, start, end: note(
            {"event": "started", "text": text, "t": start, "expected_end": end}
        ),
        on_line_end=lambda text, end: note({"event": "ended", "text": text, "t": end}),
        on_caption=captions.append,
        on_problem=problems.append,
    )
    ready = narrator.wait_ready(15)
    for step in plan["steps"]:
        action, *args = step
        if action == "say":
            narrator.say(args[0], SayKind(args[1]))
        elif action == "wait_started":
            wait_for("started", args[0], args[1])
        elif action == "wait_ended":
            wait_for("ended", args[0], args[1])
        elif action == "busy":  # whether the narrator says it is still talking
            note({"event": "busy", "busy": narrator.busy, "t": time.monotonic()})
        elif action == "drain":
            note({"event": "drained", "ok": narrator.drain(args[0]), "t": time.monotonic()})
        elif action == "sleep":
            time.sleep(args[0])
        elif action == "touch":  # tell the test a point was reached
            Path(args[0]).touch()
        elif action == "wait_path":  # wait for the test to reach a point
            deadline = time.monotonic() + args[1]
            while not Path(args[0]).exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{args[0]} never appeared")
                time.sleep(0.05)
        elif action == "silence":
            note({"event": "silence", "t": time.monotonic()})
            narrator.silence()
        else:
            raise ValueError(f"unknown step {step}")
    audible = narrator.audible
    narrator.close()
    return {
        "output_available": list(available),
        "ready": ready,
        "audible": audible,
        "problems": problems,
        "captions": captions,
        "events": events,
    }


def start(plan: dict[str, Any], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start the plan in a child process; :func:`report` collects what it printed."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.narrator_child", json.dumps(plan)],
        env=env, cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def report(child: subprocess.Popen[str], timeout: float = 60) -> dict[str, Any]:
    """Wait for a child from :func:`start` and return its report."""
    out, err = child.communicate(timeout=timeout)
    if child.returncode != 0:
        raise AssertionError(f"narrator child failed ({child.returncode}):\n{err}")
    lines = out.strip().splitlines()
    assert lines, f"narrator child printed nothing; stderr:\n{err}"
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr"] = err
    result["stdout"] = out
    return result


def run(plan: dict[str, Any], env: dict[str, str], timeout: float = 60) -> dict[str, Any]:
    """Run the plan in a child process with ``env``; raise with its stderr if it failed."""
    child = start(plan, env)
    try:
        return report(child, timeout)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
