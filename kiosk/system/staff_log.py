"""What staff see when something happens: one line in the journal, never on the visitor's screen.

Textual's default crash report is a traceback with local variables, which could hold a
visitor's answers; in kiosk mode the kiosk writes only the error's type and where it happened.

Where a line goes is decided by where the kiosk runs, because Textual draws the visitor's screen
on the process's stderr (fd 2) and anything else written to that terminal lands on top of it:

1. Under systemd with stdout (or stderr) connected to the journal (``StandardOutput=journal``;
   systemd says so in ``JOURNAL_STREAM``): that stream (``kiosk-serve.service``).
2. A stderr that is not a terminal (a pipe, a file, a test's capture, a served kiosk's pipe to
   its server): stderr.
3. Under systemd with no journal stream but a terminal: the system log socket, which is the
   journal. This is ``kiosk.service``, whose stdout and stderr are both tty1 (Textual draws on
   stderr and reads the screen's size from stdout), and ``kiosk-cage.service``, where the kiosk
   runs inside foot, whose terminal is the screen.
4. Otherwise (``make run`` in a terminal): while the kiosk holds the screen
   (:func:`holding_the_screen`), lines are kept (at most :data:`MAX_HELD_LINES`) and printed
   when the screen is given back; at any other time, stderr.

Every line is one line: control characters (a staff file could hold terminal escapes) are
replaced and long lines are cut at :data:`MAX_LINE_LENGTH`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

#: The kiosk package (this module is in its system/ folder).
PACKAGE_DIR = Path(__file__).resolve().parents[1]

#: Longer lines are cut: a staff file can hold a line of any length.
MAX_LINE_LENGTH = 1000
#: Lines kept while the screen is in use on a plain terminal; more are counted, not kept.
MAX_HELD_LINES = 200
#: The system log socket (journald's, on a systemd machine).
SYSLOG_SOCKET = Path("/dev/log")


def describe_error(error: BaseException) -> str:
    """``ValueError in kiosk/screens/selfcheck.py:120 (show_result)``: no message, no values.

    The exception's message is left out on purpose: it can quote data, such as an answer.
    """
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if Path(frame.filename).resolve().is_relative_to(PACKAGE_DIR)]
    if not (ours or frames):
        return type(error).__name__
    frame = (ours or frames)[-1]
    file = Path(frame.filename).resolve()
    # Inside the project: the path from its top; anywhere else (Textual, Python): the name only.
    top = PACKAGE_DIR.parent
    where = file.relative_to(top) if file.is_relative_to(top) else Path(file.name)
    return f"{type(error).__name__} in {where}:{frame.lineno} ({frame.name})"


def one_line(message: str) -> str:
    """``message`` as a single printable line of at most :data:`MAX_LINE_LENGTH` characters."""
    cleaned = "".join(
        character if character.isprintable() else ("?" if character not in "\n\t" else " ")
        for character in message
    )
    if len(cleaned) > MAX_LINE_LENGTH:
        cleaned = cleaned[: MAX_LINE_LENGTH - 1] + "…"
    return cleaned


class _StaffLog:
    """Chooses where staff lines go (see the module docstring) and holds them when needed."""

    def __init__(self) -> None:
        self.screen_held = False
        self.held: list[str] = []
        self.dropped = 0
        self._syslog_open = False

    def write(self, line: str, stream: TextIO | None) -> None:
        if stream is not None:
            _print(line, stream)
            return
        journal = _journal_stream()
        if journal is not None:
            _print(line, journal)
        elif not _is_terminal(sys.__stderr__):
            _print(line, sys.__stderr__ or sys.stderr)
        elif os.environ.get("INVOCATION_ID") and SYSLOG_SOCKET.exists():
            self._syslog(line)
        elif self.screen_held:
            if len(self.held) < MAX_HELD_LINES:
                self.held.append(line)
            else:
                self.dropped += 1
        else:
            _print(line, sys.__stderr__ or sys.stderr)

    def _syslog(self, line: str) -> None:
        import syslog  # only where it is used: cage + foot

        if not self._syslog_open:
            syslog.openlog("kiosk", syslog.LOG_PID, syslog.LOG_DAEMON)
            self._syslog_open = True
        syslog.syslog(syslog.LOG_NOTICE, line)

    def release(self) -> None:
        """The screen is given back: print what was held."""
        self.screen_held = False
        held, self.held = self.held, []
        for line in held:
            _print(line, sys.__stderr__ or sys.stderr)
        if self.dropped:
            _print(f"kiosk: … and {self.dropped} more line(s)", sys.__stderr__ or sys.stderr)
            self.dropped = 0


def _journal_stream() -> TextIO | None:
    """stdout or stderr, if systemd connected it to the journal (``JOURNAL_STREAM=dev:inode``)."""
    expected = os.environ.get("JOURNAL_STREAM")
    if not expected:
        return None
    for stream in (sys.__stdout__, sys.__stderr__):
        if stream is None:
            continue
        try:
            status = os.fstat(stream.fileno())
        except (OSError, ValueError):
            continue
        if f"{status.st_dev}:{status.st_ino}" == expected:
            return stream
    return None


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (OSError, ValueError):
        return False


def _print(line: str, stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):  # a closed or gone stream: nothing to do
        print(line, file=stream, flush=True)


_LOG = _StaffLog()


def log_line(message: str, stream: TextIO | None = None) -> None:
    """One line for staff: ``kiosk: message``, where the module docstring says.

    ``stream`` forces a destination (tests, and the server's per-page lines).
    """
    _LOG.write(one_line(f"kiosk: {message}"), stream)


@contextlib.contextmanager
def holding_the_screen() -> Iterator[None]:
    """While the kiosk draws on this terminal: lines that would land on the screen are held and
    printed when it is given back (only where no journal or log file takes them)."""
    _LOG.screen_held = True
    try:
        yield
    finally:
        _LOG.release()


#: At most this many problems are written to the log in one go (the rest are counted).
MAX_PROBLEMS_LOGGED = 50


def log_problems(intro: str, problems: Sequence[object]) -> None:
    """``intro``, then each problem on a line of its own, at most :data:`MAX_PROBLEMS_LOGGED`."""
    log_line(intro)
    for problem in problems[:MAX_PROBLEMS_LOGGED]:
        log_line(str(problem))
    if len(problems) > MAX_PROBLEMS_LOGGED:
        log_line(f"… and {len(problems) - MAX_PROBLEMS_LOGGED} more problem(s)")
