"""The sound server's echo canceller, so a person can say "stop" over the narrator.

The microphone hears the narrator. Two voices at once defeat the small recognizer: without
help, a command said over a line is lost. PulseAudio (and PipeWire's PulseAudio server)
ship an echo canceller, ``module-echo-cancel`` with WebRTC's canceller, the one browsers
use for calls. It sits in the sound server, so it sees exactly what goes to the speaker
and when it comes back through the microphone: the shared clock an in-app canceller
would lack. For a session voicecoach loads it between the default microphone and
speaker, points its own streams at it (``PULSE_SOURCE``/``PULSE_SINK``, read when a
stream opens), and unloads it at the end. A stream that opened elsewhere anyway (ALSA's
PipeWire plugin may ignore those variables) is moved onto it by :meth:`EchoCanceller.adopt`,
which the listener calls every few seconds: the audio stack may open a moved stream anew
on the default device (PortAudio through ALSA's PulseAudio plugin did, right after a
move). Nothing else on the machine changes: other programs keep the devices they had.

The canceller's own noise suppression and gain control are off: voicecoach's front end
does both, and WebRTC's analog gain control would move the microphone's system volume.

Where it cannot run (no ``pactl``, no PulseAudio/PipeWire server, or the default input
already cancels echo) the session goes on without it, and the self-hearing filter still
keeps the narrator from triggering commands.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import MutableMapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

SOURCE_NAME = "voicecoach_mic"
"""The echo-cancelled microphone voicecoach records from."""
SINK_NAME = "voicecoach_speaker"
"""The speaker voicecoach plays to; what goes here is cancelled from the microphone."""
AEC_ARGS = "analog_gain_control=0 digital_gain_control=0 noise_suppression=0"
"""WebRTC canceller options: echo cancelling only (see the module docstring)."""
PULSEAUDIO_ARGS = ("adjust_time=0",)
"""``module-echo-cancel`` options PulseAudio has (PipeWire's version may refuse them).

``adjust_time=0`` turns off the periodic resync meant for a microphone and speaker on
different clocks: with it on, each resync reset the canceller, and a "stop" said over
the narrator was lost (0 of 3 heard, against 2-3 of 3 without it); a laptop's built-in
microphone and speakers share one clock."""


@dataclass(frozen=True)
class ServerDevices:
    """The sound server's default speaker and microphone."""

    sink: str
    source: str


class EchoCanceller:
    """Loads ``module-echo-cancel`` for one session; :meth:`start`, then :meth:`close`.

    ``environ`` is the process environment the audio streams read (injected for tests);
    ``method`` and ``aec_args`` pick the canceller (the benchmark compares them).
    """

    def __init__(self, environ: MutableMapping[str, str] | None = None,
                 pactl: str | None = None, method: str = "webrtc",
                 aec_args: str = AEC_ARGS) -> None:
        self.environ = os.environ if environ is None else environ
        self.pactl = pactl or shutil.which("pactl")
        self.method = method
        self.aec_args = aec_args
        self._lock = threading.Lock()  # the narrator and the listener both call ensure()
        self.module: int | None = None
        self._wanted = False  # started, and not closed: keep it loaded
        self._saved: dict[str, str | None] = {}

    @property
    def active(self) -> bool:
        """True while the canceller is loaded and voicecoach's streams use it."""
        return self.module is not None

    def start(self) -> str:
        """Load the canceller and route voicecoach's audio through it.

        Returns a line for the person: that it is on, or why it is off. Never raises.
        """
        with self._lock:
            try:
                devices = self._prepare()
                self.module = self._load(devices)
            except EchoCancelUnavailable as why:
                log.info("echo cancelling off: %s", why)
                return _off(why)
            self._wanted = True
            self._route()
        log.info("echo cancelling on: module %s between %s and %s",
                 self.module, devices.source, devices.sink)
        return "echo cancelling on: you can say stop while the coach talks"

    def probe(self) -> str:
        """Whether a session could cancel echo here, as a line for the person; loads nothing."""
        try:
            devices = self._check()
        except EchoCancelUnavailable as why:
            return _off(why)
        return (f"echo cancelling available: a session puts it between {devices.source} "
                f"and {devices.sink}")

    def ensure(self) -> None:
        """Load the canceller again if the sound server lost it (it restarted).

        If that fails (the server is still down, or refuses) the streams get the default
        devices back so they can open, and the next call tries again."""
        with self._lock:
            if not self._wanted:
                return
            try:
                if self.module is not None and self._module_loaded(self.module):
                    return
                self.module = self._load(self._prepare())
                self._route()
                log.info("echo cancelling reloaded: module %s", self.module)
            except EchoCancelUnavailable as why:
                log.warning("echo cancelling lost for now: %s", why)
                self.module = None
                self._restore_environ()

    def adopt(self, pid: int | None = None) -> int:
        """Move this process's playback and recording streams onto the canceller where
        they opened elsewhere; returns how many moved. Never raises."""
        if not self.active:
            return 0
        pid = os.getpid() if pid is None else pid
        moved = 0
        try:
            for kind, target_kind, name, verb in (
                    ("sink-inputs", "sinks", SINK_NAME, "move-sink-input"),
                    ("source-outputs", "sources", SOURCE_NAME, "move-source-output")):
                targets = {row[1]: row[0] for row in self._rows(target_kind) if len(row) > 1}
                for stream, device in self._streams_of(kind, pid):
                    if name in targets and device != targets[name]:
                        self._pactl(verb, stream, name)
                        moved += 1
        except EchoCancelUnavailable as why:
            log.warning("could not move streams onto the echo canceller: %s", why)
        if moved:
            log.info("moved %d stream(s) onto the echo canceller", moved)
        return moved

    def close(self) -> None:
        """Unload the canceller and give the streams their default devices back."""
        with self._lock:
            module, self.module, self._wanted = self.module, None, False
        self._restore_environ()
        if module is not None:
            try:
                self._pactl("unload-module", str(module))
            except EchoCancelUnavailable as why:
                log.warning("could not unload echo canceller %s: %s", module, why)

    # --- pactl ---------------------------------------------------------------------------

    def _check(self) -> ServerDevices:
        """The devices to put the canceller between, or why it can't be done."""
        devices = self._defaults()
        if devices.source == f"{devices.sink}.monitor":
            raise EchoCancelUnavailable("the only input is the speaker's own monitor")
        drivers = dict(row[1:3] for row in self._rows("sources") if len(row) > 2)
        if drivers.get(devices.source) == "module-echo-cancel.c":
            raise EchoCancelUnavailable("the default microphone already cancels echo")
        return devices

    def _prepare(self) -> ServerDevices:
        """:meth:`_check`, after unloading a canceller a crashed session left behind."""
        devices = self._check()
        for row in self._rows("modules"):
            if len(row) > 2 and row[1] == "module-echo-cancel" and \
                    f"source_name={SOURCE_NAME}" in row[2]:
                log.info("unloading a canceller left by an earlier session: %s", row[0])
                self._pactl("unload-module", row[0])
        return devices

    def _load(self, devices: ServerDevices) -> int:
        common = (
            "load-module", "module-echo-cancel",
            f"source_master={devices.source}", f"sink_master={devices.sink}",
            f"source_name={SOURCE_NAME}", f"sink_name={SINK_NAME}",
            f"aec_method={self.method}", f'aec_args="{self.aec_args}"',
        )
        try:
            output = self._pactl(*common, *PULSEAUDIO_ARGS)
        except EchoCancelUnavailable as why:
            log.info("module-echo-cancel refused %s (%s); loading it without", PULSEAUDIO_ARGS, why)
            output = self._pactl(*common)
        try:
            return int(output.strip())
        except ValueError:
            raise EchoCancelUnavailable(f"unexpected answer from pactl: {output!r}") from None

    def _module_loaded(self, module: int | None) -> bool:
        return any(row[0] == str(module) for row in self._rows("modules"))

    def _defaults(self) -> ServerDevices:
        fields: dict[str, str] = {}
        for line in self._pactl("info").splitlines():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
        sink, source = fields.get("Default Sink", ""), fields.get("Default Source", "")
        if sink in ("", "(null)") or source in ("", "(null)"):
            raise EchoCancelUnavailable("the sound server has no default speaker or microphone")
        return ServerDevices(sink, source)

    def _streams_of(self, kind: str, pid: int) -> list[tuple[str, str]]:
        """(stream index, device index) of ``kind`` streams that process ``pid`` owns."""
        found: list[tuple[str, str]] = []
        stream = device = owner = ""
        for line in [*self._pactl("list", kind).splitlines(), "#end"]:
            text = line.strip()
            if "#" in line and not line.startswith((" ", "\t")):  # "Sink Input #12"
                if stream and owner == str(pid):
                    found.append((stream, device))
                stream, device, owner = text.rsplit("#", 1)[1], "", ""
            elif text.startswith(("Sink:", "Source:")):
                device = text.split(":", 1)[1].strip()
            elif text.startswith("application.process.id ="):
                owner = text.split("=", 1)[1].strip().strip('"')
        return found

    def _rows(self, kind: str) -> list[list[str]]:
        return [line.split("\t") for line in self._pactl("list", "short", kind).splitlines()]

    def _pactl(self, *args: str) -> str:
        if not self.pactl:
            raise EchoCancelUnavailable("pactl not found: apt install pulseaudio-utils")
        env = {k: v for k, v in self.environ.items() if k not in ("PULSE_SINK", "PULSE_SOURCE")}
        env["LC_ALL"] = "C"  # `pactl info` field names are translated
        try:
            result = subprocess.run([self.pactl, *args], env=env, capture_output=True,
                                    text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EchoCancelUnavailable(f"pactl failed: {error}") from None
        if result.returncode != 0:
            problem = (result.stderr.strip() or result.stdout.strip()).splitlines()
            if problem and problem[0].startswith("Connection failure"):
                raise EchoCancelUnavailable("no sound server running: neither PulseAudio "
                                            "nor PipeWire answers")
            raise EchoCancelUnavailable(problem[0] if problem else f"pactl {args[0]} failed")
        return result.stdout

    def _route(self) -> None:
        """Point streams opened from now on at the canceller."""
        for name, value in (("PULSE_SINK", SINK_NAME), ("PULSE_SOURCE", SOURCE_NAME)):
            self._saved.setdefault(name, self.environ.get(name))
            self.environ[name] = value

    def _restore_environ(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                self.environ.pop(name, None)
            else:
                self.environ[name] = value
        self._saved.clear()


def _off(why: Exception) -> str:
    return (f"echo cancelling off in the sound server ({why}): voicecoach cancels the "
            f"narrator's echo itself")


class EchoCancelUnavailable(RuntimeError):
    """The echo canceller cannot run here; the message says why."""


def hears_only_the_speaker() -> bool:
    """Whether the sound server records from the speaker's own monitor: the microphone went
    away (unplugged, its sink unloaded) and PulseAudio moved the recording there, where it
    hears nothing but the narrator. False when unsure (no sound server, no pactl)."""
    try:
        devices = EchoCanceller()._defaults()
    except EchoCancelUnavailable:
        return False
    return devices.source == f"{devices.sink}.monitor"
