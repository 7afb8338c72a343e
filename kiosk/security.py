"""Staff PIN: a salted, slow hash in ``kiosk.toml``, and a limit on wrong guesses.

Pure apart from :func:`write_pin_hash`, which edits ``kiosk.toml`` in place (keeping staff's
comments) when ``kiosk set-pin`` runs. The PIN itself is never stored or logged.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

#: scrypt cost: about 50 ms and 16 MiB per check on a small PC; slow for guessing, fine for staff.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
PIN_PATTERN = re.compile(r"^[0-9]{4,12}$")


class PinError(ValueError):
    """A PIN or a stored hash is not acceptable; the message says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` for a PIN of 4 to 12 digits."""
    if not PIN_PATTERN.match(pin):
        raise PinError("the PIN must be 4 to 12 digits")
    # Imported here, not at the top: the kiosk checks a PIN only when staff ask for it, and these
    # modules (OpenSSL's hashlib above all) add about 4 ms to every start of the kiosk.
    import hashlib
    import secrets

    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_pin_hash(stored: str) -> None:
    """Raise :class:`PinError` unless ``stored`` is a hash made by :func:`hash_pin`."""
    _parse(stored)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise PinError("pin_hash is not a PIN hash: set it with 'kiosk set-pin'")
    try:
        n, r, p = (int(value) for value in parts[1:4])
        salt, digest = base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except ValueError:
        raise PinError("pin_hash is damaged: set it again with 'kiosk set-pin'") from None
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches the stored hash (constant-time comparison)."""
    if not stored or not PIN_PATTERN.match(pin):
        return False
    try:
        n, r, p, salt, digest = _parse(stored)
    except PinError:
        return False
    import hashlib  # see hash_pin
    import hmac

    candidate = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(digest))
    return hmac.compare_digest(candidate, digest)


@dataclass
class AttemptLimiter:
    """Wrong PINs lock staff exit for a while, doubling each time: 30 s, 60 s, 120 s …

    ``free_tries`` wrong PINs are allowed before the first lock. Times are passed in (seconds
    from a monotonic clock), which keeps this pure and testable.
    """

    free_tries: int = 3
    first_lock_seconds: float = 30.0
    max_lock_seconds: float = 15 * 60.0
    failures: int = 0
    locked_until: float = 0.0
    _locks: int = field(default=0, repr=False)

    def seconds_locked(self, now: float) -> float:
        """Seconds until another try is allowed (0 when a try is allowed now)."""
        return max(0.0, self.locked_until - now)

    def record_failure(self, now: float) -> None:
        """Count a wrong PIN; lock after every ``free_tries`` failures."""
        self.failures += 1
        if self.failures % self.free_tries == 0:
            lock = min(self.first_lock_seconds * 2**self._locks, self.max_lock_seconds)
            self._locks += 1
            self.locked_until = now + lock

    def record_success(self) -> None:
        """A right PIN clears the count."""
        self.failures = 0
        self._locks = 0
        self.locked_until = 0.0


_STAFF_TABLE = re.compile(r"^\s*\[\s*staff\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_PIN_LINE = re.compile(r"^(\s*)pin_hash\s*=.*$")


def write_pin_hash(config: Path, pin_hash: str) -> None:
    """Set ``[staff] pin_hash`` in ``config``, keeping every other line and comment as it is."""
    lines = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    new_line = f'pin_hash = "{pin_hash}"'
    in_staff = False
    staff_at: int | None = None
    for index, line in enumerate(lines):
        if _STAFF_TABLE.match(line):
            in_staff, staff_at = True, index
        elif _ANY_TABLE.match(line):
            in_staff = False
        elif in_staff and (match := _PIN_LINE.match(line)):
            lines[index] = match.group(1) + new_line
            break
    else:
        if staff_at is None:
            lines += ["", "[staff]", new_line]
        else:
            lines.insert(staff_at + 1, new_line)
    # Write a sibling file and rename it over the old one, so a crash never leaves half a file.
    temporary = config.with_name(config.name + ".new")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(config)
