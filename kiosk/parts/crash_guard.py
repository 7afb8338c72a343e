"""An error inside a screen starts the kiosk again calmly; errors in a row end it for systemd.

The app counts each error it recovers from (:meth:`CrashGuard.record`). More than
:data:`CRASH_LIMIT` within :data:`CRASH_WINDOW` seconds means the kiosk cannot help itself:
it exits with an error, and systemd (``Restart=always``) starts a fresh process.

Pure: the clock is passed in.
"""

from __future__ import annotations

from collections.abc import Callable

#: More errors than this within CRASH_WINDOW seconds: exit and let systemd restart the kiosk.
CRASH_LIMIT = 5
CRASH_WINDOW = 60.0


class CrashGuard:
    """Recent errors, and whether there were too many."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._times: list[float] = []

    def record(self) -> bool:
        """Count one error; True when there have been too many to go on."""
        now = self.clock()
        self._times = [t for t in self._times if now - t < CRASH_WINDOW]
        self._times.append(now)
        return len(self._times) > CRASH_LIMIT

    @property
    def recent(self) -> int:
        """Errors counted within the window (for the staff screen and tests)."""
        now = self.clock()
        return len([t for t in self._times if now - t < CRASH_WINDOW])
