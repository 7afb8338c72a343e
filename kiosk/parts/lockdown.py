"""Lockdown: what a visitor must never reach, and the way staff get out.

Visitors cannot leave the kiosk. Textual's own ways out (quit, the command palette,
screenshots, copying text, opening links …) are refused whatever key or link asks for them
(:data:`BLOCKED_ACTIONS`). Staff press F12 three times within a few seconds
(:class:`StaffKnock`) and type the PIN (:class:`PinGate`): a salted scrypt hash in
``kiosk.toml``, wrong guesses rate-limited and remembered across restarts.

Pure: no Textual, no I/O beyond what :class:`~kiosk.system.state.PinLockoutMemory` writes for staff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from kiosk.rules.pin import AttemptLimiter, verify_pin
from kiosk.system.state import PinLockoutMemory

#: Textual actions a visitor must never reach in kiosk mode, whatever key or link asks for them.
BLOCKED_ACTIONS = frozenset(
    {
        "quit",
        "help_quit",
        "command_palette",
        "screenshot",
        "deliver_screenshot",
        "suspend_process",
        "copy_text",
        "toggle_dark",
        "change_theme",
        "open_url",
        "show_keys",
        "hide_keys",
        "simulate_key",
    }
)

#: Staff press this key this many times within STAFF_KEY_WINDOW seconds to get the PIN prompt.
STAFF_KEY = "f12"
STAFF_KEY_PRESSES = 3
STAFF_KEY_WINDOW = 3.0

#: What checking a PIN can say.
PinVerdict = Literal["ok", "wrong", "locked"]


class StaffKnock:
    """Counts presses of the staff key; :meth:`press` is True on the knock that opens the
    PIN prompt (:data:`STAFF_KEY_PRESSES` within :data:`STAFF_KEY_WINDOW` seconds)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._times: list[float] = []

    def press(self) -> bool:
        """One press of the staff key; True when staff knocked."""
        now = self.clock()
        self._times = [t for t in self._times if now - t < STAFF_KEY_WINDOW]
        self._times.append(now)
        if len(self._times) < STAFF_KEY_PRESSES:
            return False
        self._times.clear()
        return True


class PinGate:
    """Checks staff PINs against the hash in ``kiosk.toml``, with wrong guesses rate-limited.

    ``memory`` keeps the count across restarts (None: in memory only, as in tests).
    """

    def __init__(
        self,
        pin_hash: str,
        clock: Callable[[], float],
        memory: PinLockoutMemory | None = None,
    ) -> None:
        #: The stored hash; empty means staff exit is off.
        self.pin_hash = pin_hash
        self.clock = clock
        self.memory = memory
        self.attempts = memory.load() if memory is not None else AttemptLimiter()

    @property
    def enabled(self) -> bool:
        """Whether a PIN is set (without one, staff exit is off)."""
        return bool(self.pin_hash)

    def seconds_locked(self) -> float:
        """Seconds until another PIN may be tried (0: now)."""
        return self.attempts.seconds_locked(self.clock())

    def check(self, pin: str) -> PinVerdict:
        """Check a PIN typed on the PIN screen."""
        now = self.clock()
        if self.attempts.seconds_locked(now) > 0:
            return "locked"
        right = verify_pin(pin, self.pin_hash)
        if right:
            self.attempts.record_success()
        else:
            self.attempts.record_failure(now)
        if self.memory is not None:
            self.memory.save(self.attempts)
        if right:
            return "ok"
        return "locked" if self.attempts.seconds_locked(now) > 0 else "wrong"
