"""Staff PIN: a salted, slow hash in ``kiosk.toml``, and a limit on wrong guesses.

Pure apart from :func:`write_pin_hash`, which edits ``kiosk.toml`` in place (keeping staff's
comments) when ``kiosk set-pin`` runs. The PIN itself is never stored or logged.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from pathlib import Path

#: scrypt cost: about 50 ms and 16 MiB per check on a small PC; slow for guessing, fine for staff.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
#: PINs that can be checked: 4 to 12 digits (older kiosks allowed 4-digit PINs).
PIN_PATTERN = re.compile(r"^[0-9]{4,12}$")
#: PINs that can be set now: at least 6 digits (a million guesses, not ten thousand).
NEW_PIN_PATTERN = re.compile(r"^[0-9]{6,12}$")
#: The scrypt costs a stored hash may ask for. A hash with a huge cost would pass a check of
#: its shape and then fail (or stall the kiosk) when staff type a PIN; one too cheap would be
#: quick to guess offline. 128 * N * r bytes must stay within OpenSSL's default 32 MiB.
SCRYPT_N_RANGE = (2**12, 2**16)
SCRYPT_R_RANGE = (1, 16)
SCRYPT_P_RANGE = (1, 4)
SCRYPT_MAX_MEMORY = 32 * 1024 * 1024
SALT_BYTES = 16
DIGEST_BYTES = 32


class PinError(ValueError):
    """A PIN or a stored hash is not acceptable; the message says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` for a PIN of 6 to 12 digits."""
    if not NEW_PIN_PATTERN.match(pin):
        raise PinError("the PIN must be 6 to 12 digits")
    # Imported here, not at the top: the kiosk checks a PIN only when staff ask for it, and these
    # modules (OpenSSL's hashlib above all) add about 4 ms to every start of the kiosk.
    import hashlib
    import secrets

    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
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
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise PinError("pin_hash is damaged: set it again with 'kiosk set-pin'") from None
    allowed = (
        SCRYPT_N_RANGE[0] <= n <= SCRYPT_N_RANGE[1]
        and n & (n - 1) == 0
        and SCRYPT_R_RANGE[0] <= r <= SCRYPT_R_RANGE[1]
        and SCRYPT_P_RANGE[0] <= p <= SCRYPT_P_RANGE[1]
        and 128 * n * r <= SCRYPT_MAX_MEMORY
    )
    if not allowed:
        raise PinError(
            f"pin_hash asks for scrypt costs the kiosk does not allow (N={n}, r={r}, p={p}): "
            "set it again with 'kiosk set-pin'"
        )
    if len(salt) != SALT_BYTES or len(digest) != DIGEST_BYTES:
        raise PinError("pin_hash is damaged: set it again with 'kiosk set-pin'")
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
    #: How many times it has locked since the last right PIN (each lock lasts twice the last).
    locks: int = 0

    def seconds_locked(self, now: float) -> float:
        """Seconds until another try is allowed (0 when a try is allowed now)."""
        return max(0.0, self.locked_until - now)

    def record_failure(self, now: float) -> None:
        """Count a wrong PIN; lock after every ``free_tries`` failures."""
        self.failures += 1
        if self.failures % self.free_tries == 0:
            lock = min(self.first_lock_seconds * 2 ** min(self.locks, 20), self.max_lock_seconds)
            self.locks += 1
            self.locked_until = now + lock

    def record_success(self) -> None:
        """A right PIN clears the count."""
        self.failures = 0
        self.locks = 0
        self.locked_until = 0.0


_STAFF_TABLE = re.compile(r"^\s*\[\s*staff\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_PIN_LINE = re.compile(r"^(\s*)pin_hash\s*=.*$")


def write_pin_hash(config: Path, pin_hash: str) -> None:
    """Set ``[staff] pin_hash`` in ``config``, keeping every other line and comment as it is.

    Where ``config`` is a symbolic link (the Debian package's ``/opt/kiosk/kiosk.toml`` ->
    ``/etc/kiosk/kiosk.toml``), the file it points to is changed: renaming over the link
    would put a copy in its place that the next package upgrade replaces with the link again.
    """
    config = config.resolve()
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
    # The hash is a secret worth guessing against offline: the file is readable only by its
    # owner and, where it exists, the kiosk's group (the service runs as user kiosk).
    temporary = config.with_name(config.name + ".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
        group = kiosk_group()
        if group is not None and os.geteuid() == 0:
            os.fchown(file.fileno(), 0, group)
            os.fchmod(file.fileno(), 0o640)
    temporary.replace(config)


#: The group of the kiosk's service user (deploy/README.md creates user and group "kiosk").
KIOSK_GROUP = "kiosk"


def kiosk_group() -> int | None:
    """The kiosk service's group id, if that group exists on this computer."""
    import grp

    try:
        return grp.getgrnam(KIOSK_GROUP).gr_gid
    except KeyError:
        return None


def readable_by_others(config: Path) -> bool:
    """Whether users other than the owner and its group can read ``config``."""
    try:
        return bool(config.stat().st_mode & 0o004)
    except OSError:
        return False
