"""What staff see when something goes wrong: one line on stderr, never a visitor's answer.

Textual's default crash report is a traceback with local variables, which could hold a
visitor's answers; in kiosk mode the kiosk writes only the error's type and where it happened.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import TextIO

PACKAGE_DIR = Path(__file__).resolve().parent


def describe_error(error: BaseException) -> str:
    """``ValueError in kiosk/screens/selfcheck.py:120 (show_result)``: no message, no values.

    The exception's message is left out on purpose: it can quote data, such as an answer.
    """
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if Path(frame.filename).resolve().is_relative_to(PACKAGE_DIR)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(error).__name__
    try:
        where = Path(frame.filename).resolve().relative_to(PACKAGE_DIR.parent)
    except ValueError:
        where = Path(frame.filename).name  # type: ignore[assignment]
    return f"{type(error).__name__} in {where}:{frame.lineno} ({frame.name})"


def log_line(message: str, stream: TextIO | None = None) -> None:
    """One line for staff on the process's real stderr (the journal, under systemd).

    ``sys.__stderr__`` rather than ``sys.stderr``: while the app runs, Textual replaces
    ``sys.stderr`` with a capture that would swallow the line.
    """
    target = stream or sys.__stderr__ or sys.stderr
    print(f"kiosk: {message}", file=target, flush=True)
