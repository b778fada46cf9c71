"""The listener keeps the session's streams on the echo canceller: ``keep_routed`` runs
when the microphone opens and every :data:`~voicecoach.speech_in.listener.ROUTE_EVERY`
seconds of audio after, so a stream the audio stack opened again on the default device
(tests/test_echo_cancel.py) is moved back within seconds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from voicecoach.speech_in import listener as listener_module
from voicecoach.speech_in.events import ListenerEvent
from voicecoach.speech_in.listener import ROUTE_EVERY, Listener
from voicecoach.speech_in.mic import MicStream

pytestmark = [pytest.mark.vosk]

SECONDS = 12.0
"""Audio the microphone gives in each opening."""


class QuietRoomMic(MicStream):
    """Each opening gives :data:`SECONDS` of near-silence at once, stamped as it would be
    live (20 ms blocks), continuing the time of the opening before."""

    def __init__(self, device: int | str | None = None) -> None:
        super().__init__(device)
        self.openings = 0
        self._at = 100.0

    def open(self) -> None:
        self.openings += 1
        self._stream = object()
        self.last_callback = time.monotonic()
        for _ in range(round(SECONDS / self.block_seconds)):
            self._at += self.block_seconds
            self.blocks.put((bytes(int(32000 * self.block_seconds)), self._at))

    def close(self) -> None:
        self._stream = None


def test_streams_are_routed_on_opening_and_every_few_seconds_after(
        model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mics: list[QuietRoomMic] = []

    def make_mic(device: int | str | None = None) -> QuietRoomMic:
        mics.append(QuietRoomMic(device))
        return mics[-1]

    monkeypatch.setattr(listener_module, "MicStream", make_mic)
    routed: list[float] = []
    events: list[ListenerEvent] = []
    listener = Listener(model, on_event=events.append,
                        keep_routed=lambda: routed.append(mics[0].blocks.qsize()))
    listener.start()
    deadline = time.monotonic() + 30.0
    while (not mics or not mics[0].blocks.empty()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    listener.stop()
    assert mics and mics[0].openings == 1 and mics[0].blocks.empty()
    # Once at the opening (all 12 s waiting), then at 5 s and 10 s of audio.
    assert len(routed) == 1 + int(SECONDS // ROUTE_EVERY)
    blocks = round(SECONDS / 0.02)
    assert routed[0] == blocks
    taken = [blocks - left for left in routed[1:]]  # blocks heard before each call
    assert all(abs(was - round(ROUTE_EVERY * k / 0.02)) <= 3
               for k, was in enumerate(taken, start=1)), taken
