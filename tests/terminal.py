"""The kiosk in a real pseudo-terminal, read through a terminal emulator (pyte).

Textual's pilot runs the app headless, with its own driver; it never meets a terminal, its
bytes, its signals or its file descriptors. These tests start the real ``kiosk run`` process
on a pseudo-terminal, as systemd starts it on tty1 (stdin and stderr the terminal) or as a
developer's terminal does (stdout too), type bytes into it and read the screen back.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import pyte

ROOT = Path(__file__).resolve().parent.parent


class Terminal:
    """One kiosk process on a pseudo-terminal of ``columns`` x ``rows``.

    ``stdout``: where the process's stdout goes (None: the terminal itself, as in a developer's
    terminal; a file: as systemd's ``StandardOutput=journal`` would).
    """

    def __init__(
        self,
        args: list[str],
        *,
        columns: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        stdout: IO[bytes] | None = None,
        cwd: Path = ROOT,
    ) -> None:
        self.main, terminal = os.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        for name in [name for name in environment if name.startswith("TEXTUAL")]:
            environment.pop(name)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            stdin=terminal,
            stdout=stdout if stdout is not None else terminal,
            stderr=terminal,
            env=environment,
            cwd=cwd,
            start_new_session=True,  # its own session: the terminal becomes its controlling one
            close_fds=True,
        )
        os.close(terminal)
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        #: Every byte the kiosk wrote to the terminal.
        self.output = bytearray()

    def read(self, seconds: float = 0.05) -> None:
        """Take in whatever the kiosk wrote within ``seconds``."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.main], [], [], remaining)
            if not ready:
                break
            try:
                data = os.read(self.main, 65536)
            except OSError:  # the kiosk ended and the terminal closed
                break
            if not data:
                break
            self.output += data
            self.stream.feed(data)

    def text(self) -> str:
        """The screen as plain text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *needles: str, seconds: float = 30) -> str:
        """Wait until every one of ``needles`` is on the screen; return the screen."""
        deadline = time.monotonic() + seconds
        while True:
            self.read(0.1)
            flat = " ".join(self.text().split())
            if all(needle in flat for needle in needles):
                return self.text()
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {seconds} s: {needles}\n{self.text()}")
            if self.process.poll() is not None:
                self.read(0.2)
                raise AssertionError(
                    f"the kiosk ended (exit {self.process.returncode}) before {needles} showed:"
                    f"\n{self.text()}"
                )

    def type(self, data: bytes | str, settle: float = 0.3) -> None:
        """Type ``data`` (bytes as a keyboard or a mouse would send them), then read."""
        os.write(self.main, data.encode() if isinstance(data, str) else data)
        self.read(settle)

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def wait_exit(self, seconds: float = 15) -> int:
        """Wait for the kiosk to end, reading its last output; its exit code."""
        deadline = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.1)
        self.read(0.3)
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        os.close(self.main)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
