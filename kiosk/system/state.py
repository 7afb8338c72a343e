"""What the kiosk remembers across restarts: staff things only, never anything about a visitor.

Two small files, in the folder systemd gives the service (``StateDirectory=kiosk`` makes
``/var/lib/kiosk``, owned by the kiosk's user, mode 0700, and passes it in ``STATE_DIRECTORY``):

``last-good-kiosk.toml``  a copy of the last ``kiosk.toml`` that passed every check. A kiosk that
                          starts with a broken ``kiosk.toml`` runs on it (speech, languages,
                          idle times and the staff PIN as staff last had them) instead of on
                          safe defaults.
``pin-lockout.json``      how many wrong staff PINs were typed and until when the prompt is
                          locked, so that restarting the kiosk (or making it crash) does not
                          give a guesser fresh tries.

Without a state folder (``make run``, tests) nothing is written: broken settings fall back to
safe defaults, and the PIN prompt stays locked for the first :data:`START_LOCK_SECONDS` after
a start instead.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.rules.pin import AttemptLimiter

#: Where systemd says the service's state folder is (``StateDirectory=``).
STATE_DIRECTORY_VARIABLE = "STATE_DIRECTORY"
LAST_GOOD_SETTINGS = "last-good-kiosk.toml"
PIN_LOCKOUT = "pin-lockout.json"
#: With nowhere to remember wrong PINs, the prompt is locked this long after every start.
START_LOCK_SECONDS = 30.0
#: A state file larger than this is not the kiosk's: it is ignored.
MAX_STATE_BYTES = 64 * 1024


def state_folder(environ: dict[str, str] | os._Environ[str] | None = None) -> Path | None:
    """The service's state folder, if systemd gave it one (the first, if it gave several)."""
    value = (os.environ if environ is None else environ).get(STATE_DIRECTORY_VARIABLE, "")
    first = value.split(":")[0]
    return Path(first) if first else None


def _write(folder: Path, name: str, text: str) -> bool:
    """Write ``folder/name`` whole or not at all (a new file renamed over the old), mode 0600.
    Best effort: False when it cannot be written."""
    temporary = folder / f".{name}.{os.getpid()}.new"
    try:
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600
        )
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        temporary.replace(folder / name)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


def _read(folder: Path, name: str) -> str | None:
    try:
        path = folder / name
        if path.stat().st_size > MAX_STATE_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def save_good_settings(folder: Path | None, text: str) -> None:
    """Remember ``text`` (a ``kiosk.toml`` that passed every check), if there is a folder."""
    if folder is not None and _read(folder, LAST_GOOD_SETTINGS) != text:
        _write(folder, LAST_GOOD_SETTINGS, text)


def good_settings_text(folder: Path | None) -> str | None:
    """The last ``kiosk.toml`` that passed every check, if one was remembered."""
    return None if folder is None else _read(folder, LAST_GOOD_SETTINGS)


class PinLockoutMemory:
    """Keeps an :class:`~kiosk.rules.pin.AttemptLimiter` across restarts.

    The limiter counts on a monotonic clock, which starts again at every boot; the file holds
    the lock's end on the wall clock, turned back into monotonic time when it is read.
    """

    def __init__(
        self,
        folder: Path | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder
        self.clock = clock
        self.wall_clock = wall_clock

    def load(self) -> AttemptLimiter:
        """The limiter as the last run left it (or, with no folder, locked for a while)."""
        limiter = AttemptLimiter()
        if self.folder is None:
            limiter.locked_until = self.clock() + START_LOCK_SECONDS
            return limiter
        text = _read(self.folder, PIN_LOCKOUT)
        if text is None:
            return limiter
        try:
            saved = json.loads(text)
            failures, locks = int(saved["failures"]), int(saved["locks"])
            locked_until_wall = float(saved["locked_until"])
        except (ValueError, KeyError, TypeError, OverflowError):
            return limiter  # not ours, or damaged: start with a clean count
        limiter.failures = max(0, failures)
        limiter.locks = max(0, locks)
        remaining = min(locked_until_wall - self.wall_clock(), limiter.max_lock_seconds)
        if remaining > 0:
            limiter.locked_until = self.clock() + remaining
        return limiter

    def save(self, limiter: AttemptLimiter) -> None:
        """Remember the limiter's state (after every PIN typed)."""
        if self.folder is None:
            return
        remaining = max(0.0, limiter.locked_until - self.clock())
        data = {
            "failures": limiter.failures,
            "locks": limiter.locks,
            "locked_until": self.wall_clock() + remaining if remaining else 0.0,
        }
        _write(self.folder, PIN_LOCKOUT, json.dumps(data))
