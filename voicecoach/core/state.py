"""Where a session is in its plan and what has been done so far (owned by the Session)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SessionState:
    """The session's mutable state; only the Session changes it."""

    segment: int = 0
    """Index of the current segment in the plan."""
    phase: int = 0
    """Index of the current phase in that segment."""
    elapsed: float = 0.0
    """Active seconds into the current phase."""
    paused: bool = False
    """True while paused."""
    paused_at: float = 0.0
    """When the pause began (the session's clock)."""
    finished: bool = False
    """True once the session has ended."""
    stopped: bool = False
    """True when it ended early, by "stop"."""
    stopped_at: int | None = None
    """The segment (index) "stop" was said in."""
    active_seconds: float = 0.0
    """Seconds spent not paused, over the whole session."""
    easier: set[int] = field(default_factory=set)
    """Exercises (indices) on their easier modification."""
    completed: set[int] = field(default_factory=set)
    """Segments (indices) run to their end."""
    skipped: set[int] = field(default_factory=set)
    """Step segments (indices) cut short."""
    tempo: dict[int, float] = field(default_factory=dict)
    """Exercises (indices) whose reps are counted at another tempo than the routine's,
    set by voice: seconds per rep."""
    done: dict[int, float] = field(default_factory=dict)
    """Step segments (indices) whose hold or reps ended (on time or by "done"): the
    seconds held (paused time excluded) or the reps completed."""
