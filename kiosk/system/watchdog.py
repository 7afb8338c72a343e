"""Tell systemd the kiosk is alive: ``READY=1`` after the first frame, then ``WATCHDOG=1``.

A unit with ``Type=notify`` and ``WatchdogSec=`` sets ``NOTIFY_SOCKET`` (and ``WATCHDOG_USEC``,
``WATCHDOG_PID``) in the kiosk's environment. The kiosk sends ``READY=1`` once its first screen
is drawn, and ``WATCHDOG=1`` every half of ``WATCHDOG_USEC`` from a timer of the app's own
event loop. A frozen kiosk (a loop stuck in a computation, a deadlock, a stopped process) stops
sending, and systemd restarts it after ``WatchdogSec=``; a crashed one is restarted by
``Restart=always`` anyway. Without ``NOTIFY_SOCKET`` (``make run``, tests, a developer's
terminal) nothing is sent and nothing is opened.

The protocol is a few lines (``man sd_notify``): one datagram of ``KEY=VALUE`` lines to the
AF_UNIX socket named in ``NOTIFY_SOCKET`` (a leading ``@`` means Linux's abstract namespace).
It is written here rather than taken from a library: the one small pure-Python package
(``sdnotify``) has had no release since 2017, and ``systemd-python`` needs libsystemd's
headers to build. The messages are fixed words: nothing about a visitor is ever sent, and the
socket reaches only the local systemd, never the network.

As ``sd_notify(unset_environment=1)`` does, the variables are removed from the environment
once read, so that no child process (espeak-ng) takes them for its own.
"""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

NOTIFY_VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


class Notifier:
    """The service manager's notification socket."""

    def __init__(self, address: str, watchdog_seconds: float | None) -> None:
        #: Where datagrams go: a path, or (abstract namespace) a name starting with a NUL byte.
        self.address = "\0" + address[1:] if address.startswith("@") else address
        #: systemd's watchdog time-out (None: no watchdog asked for).
        self.watchdog_seconds = watchdog_seconds
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        # Never wait on systemd: a full queue drops one heartbeat, not the kiosk's next frame.
        self._socket.setblocking(False)
        #: Heartbeats sent, for tests and the staff screen; failures, likewise.
        self.sent = 0
        self.failed = 0

    @classmethod
    def from_environment(
        cls, environ: MutableMapping[str, str] | None = None, pid: int | None = None
    ) -> Notifier | None:
        """The notifier systemd asked for, or None; removes the variables from ``environ``."""
        environ = os.environ if environ is None else environ
        address = environ.get("NOTIFY_SOCKET", "")
        usec = environ.get("WATCHDOG_USEC", "")
        watchdog_pid = environ.get("WATCHDOG_PID", "")
        for name in NOTIFY_VARIABLES:
            environ.pop(name, None)
        if not address or not (address.startswith(("/", "@"))):
            return None
        pid = os.getpid() if pid is None else pid
        # systemd names the process the watchdog is for: its main process. That is the kiosk
        # itself under kiosk.service, and the kiosk's ancestor cage under kiosk-cage.service
        # (cage -> foot -> kiosk; the unit needs NotifyAccess=all), where the kiosk is the one
        # that can tell whether the screen is alive. Any other process that inherited the
        # variables is not it (sd_watchdog_enabled() takes the main process only).
        if watchdog_pid and watchdog_pid not in {str(p) for p in ancestry(pid)}:
            return None
        seconds = int(usec) / 1_000_000 if usec.isdigit() and int(usec) > 0 else None
        return cls(address, seconds)

    @property
    def heartbeat_seconds(self) -> float | None:
        """How often to send ``WATCHDOG=1``: half the time-out, as ``man sd_watchdog_enabled``
        advises, so that one late heartbeat is not yet a restart."""
        return None if self.watchdog_seconds is None else self.watchdog_seconds / 2

    def notify(self, message: str) -> bool:
        """Send one message (``READY=1``, ``WATCHDOG=1``…); False if it could not be sent."""
        try:
            self._socket.sendto(message.encode("ascii"), self.address)
        except OSError:
            self.failed += 1
            return False
        self.sent += 1
        return True

    def ready(self) -> None:
        self.notify("READY=1")

    def heartbeat(self) -> None:
        self.notify("WATCHDOG=1")

    def close(self) -> None:
        self._socket.close()


def ancestry(pid: int) -> list[int]:
    """``pid`` and its parents up to (not including) PID 1, from /proc."""
    found: list[int] = []
    while pid > 1 and pid not in found:
        found.append(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
            pid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return found


@cache
def process_notifier() -> Notifier | None:
    """This process's notifier, read from its environment once: a kiosk that starts again in
    the same process after an error (a new app) finds the variables already removed."""
    return Notifier.from_environment()


def start(app: App[Any], environ: MutableMapping[str, str] | None = None) -> Notifier | None:
    """From the app's ``on_mount``: ``READY=1`` after the first frame, then a heartbeat on the
    app's own event loop (so that it stops when the loop stops). None when not under systemd.

    ``environ``: read from there instead of this process's environment (tests)."""
    notifier = process_notifier() if environ is None else Notifier.from_environment(environ)
    if notifier is None:
        return None
    app.call_after_refresh(notifier.ready)
    if notifier.heartbeat_seconds is not None:
        app.call_after_refresh(notifier.heartbeat)  # the first one at once
        app.set_interval(notifier.heartbeat_seconds, notifier.heartbeat)
    return notifier
