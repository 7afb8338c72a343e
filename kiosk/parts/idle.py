"""How long since a visitor last pressed a key or tapped: when to warn and reset.

The app notes every key and tap (:meth:`IdleWatch.note_activity`) and asks once a second
(:meth:`IdleWatch.check`). A plain interval and a timestamp rather than a resettable one-shot
timer: Textual's ``Timer.reset()`` only takes effect at the end of the current wait.

Pure: the clock is passed in, so tests move time by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

#: How often the app asks.
IDLE_CHECK_SECONDS = 1.0
#: A visitor who has not touched anything for this long is reading: a good moment for work
#: that must not land between a tap and its frame (see kiosk.parts.collector).
PAUSE_SECONDS = 1.0

#: What a check found: input lately, the first check of a pause, nothing new, or time's up.
IdleState = Literal["active", "paused", "idle", "timed_out"]


class IdleWatch:
    """Time since the last input, against ``idle_seconds`` (from ``kiosk.toml``)."""

    def __init__(self, clock: Callable[[], float], idle_seconds: float) -> None:
        self.clock = clock
        self.idle_seconds = idle_seconds
        self._last_activity = clock()
        self._pause_seen = False

    def note_activity(self) -> None:
        """A key or a tap: the visitor is here; the wait starts again."""
        self._last_activity = self.clock()
        self._pause_seen = False

    def idle_for(self) -> float:
        """Seconds since the last key or tap."""
        return self.clock() - self._last_activity

    def check(self) -> IdleState:
        """``timed_out`` once ``idle_seconds`` pass without input; ``paused`` once per pause,
        after :data:`PAUSE_SECONDS`; ``active`` before that; ``idle`` in between."""
        idle_for = self.idle_for()
        if idle_for >= self.idle_seconds:
            return "timed_out"
        if idle_for < PAUSE_SECONDS:
            return "active"
        if self._pause_seen:
            return "idle"
        self._pause_seen = True
        return "paused"
