"""Start-up time and peak memory: each run a fresh process in a real 80x24 pseudo-terminal.

Every run spawns ``benchmarks/startup_child.py`` (see its docstring for exactly where the clock
stops) with a new pseudo-terminal as its stdin, stdout and stderr, sized 80x24 with
``TIOCSWINSZ``. The parent reads the terminal's output as a terminal emulator would (a full
pty would block the child's writes), collects the child's one-line JSON report from a pipe, and
kills the child's whole process group if it does not finish in time.

The kiosk and the bare app alternate run by run, after one discarded warm-up run of each (it
fills the OS page cache), so a slow patch on the machine hits both alike.

Both apps load compiled bytecode, as an installed kiosk does: Textual's was compiled when pip
installed it, and the kiosk's is compiled here first (``make run`` does the same). Without
that, on a machine with ``PYTHONDONTWRITEBYTECODE`` set (as the child's environment has, so
that no run changes the next) every kiosk start would compile its source again.
"""

from __future__ import annotations

import compileall
import fcntl
import json
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.cache import CACHE_NAME

CHILD = Path(__file__).resolve().with_name("startup_child.py")
ROOT = CHILD.parent.parent
#: Terminal size for every run (rows, columns), as in the tests.
ROWS, COLUMNS = 24, 80
#: A run that has not reached its first interactive frame by then has failed.
RUN_TIMEOUT_S = 60.0
#: Default number of measured runs per app (after one discarded warm-up run each).
DEFAULT_RUNS = 7
#: The screen each app must show on its first interactive frame, or the clock stopped wrongly.
EXPECTED_SCREEN = {
    "kiosk": "WelcomeScreen",
    "kiosk-cold": "WelcomeScreen",
    "kiosk-eager-screens": "WelcomeScreen",
    "kiosk-plain-theme": "WelcomeScreen",
    "bare": "Screen",
}
#: The kiosk with one start-up mechanism switched off (``python -m benchmarks --mechanisms``).
MECHANISM_VARIANTS = ("kiosk-eager-screens", "kiosk-plain-theme")


class StartupError(RuntimeError):
    """A child did not report its first interactive frame."""


@dataclass(frozen=True, slots=True)
class StartupRun:
    """One process: milliseconds from spawn to its first interactive frame, and its peak RSS."""

    ready_ms: float
    main_ms: float
    run_ms: float
    peak_rss_bytes: int
    screen: str


@dataclass(frozen=True, slots=True)
class StartupResult:
    """Every measured run of one app."""

    app: str
    runs: tuple[StartupRun, ...]

    @property
    def ready_ms(self) -> float:
        return statistics.median(run.ready_ms for run in self.runs)

    @property
    def main_ms(self) -> float:
        return statistics.median(run.main_ms for run in self.runs)

    @property
    def run_ms(self) -> float:
        return statistics.median(run.run_ms for run in self.runs)

    @property
    def peak_rss_bytes(self) -> float:
        return statistics.median(run.peak_rss_bytes for run in self.runs)


def child_environment() -> dict[str, str]:
    """The parent's environment minus anything that changes how Textual runs or draws."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name not in {"NO_COLOR", "COLUMNS", "LINES"}
    }
    env["TERM"] = "xterm-256color"
    env["COLORTERM"] = "truecolor"
    # Both apps load the same bytecode the same way: never write .pyc files mid-measurement.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_once(app: str) -> StartupRun:
    """Start ``app`` ("kiosk", "kiosk-cold" or "bare") once and return what the child
    measured."""
    if app == "kiosk-cold":
        (ROOT / "content" / CACHE_NAME).unlink(missing_ok=True)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    result_read, result_write = os.pipe()
    spawn_ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    process = subprocess.Popen(
        [sys.executable, str(CHILD), app, str(result_write), str(spawn_ns)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        pass_fds=(result_write,),
        cwd=ROOT,
        env=child_environment(),
        start_new_session=True,  # its own process group, so cleanup can never miss a child
    )
    os.close(slave)
    os.close(result_write)
    report = b""
    screen_output = bytearray()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        open_fds = {master, result_read}
        while open_fds and time.monotonic() < deadline:
            ready, _, _ = select.select(list(open_fds), [], [], 0.5)
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    open_fds.discard(fd)
                elif fd == master:
                    screen_output += chunk
                else:
                    report += chunk
            if master not in open_fds and process.poll() is not None:
                break
        process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        pass
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
        os.close(result_read)
    if not report.strip():
        tail = bytes(screen_output[-2000:]).decode(errors="replace")
        raise StartupError(
            f"{app}: no report (exit code {process.returncode}); terminal output ends:\n{tail}"
        )
    data = json.loads(report)
    expected = EXPECTED_SCREEN[app]
    if data["screen"] != expected:
        raise StartupError(
            f"{app}: the first interactive frame shows {data['screen']}, not {expected}"
        )
    return StartupRun(
        ready_ms=data["elapsed_ns"] / 1e6,
        main_ms=data["at_main_ns"] / 1e6,
        run_ms=data["at_run_ns"] / 1e6,
        peak_rss_bytes=int(data["peak_rss_bytes"]),
        screen=data["screen"],
    )


def run_startup(
    runs: int = DEFAULT_RUNS, variants: tuple[str, ...] = ()
) -> tuple[StartupResult, StartupResult, StartupResult, dict[str, StartupResult]]:
    """``runs`` measured runs of the kiosk, the bare app and the kiosk's first start after a
    content change, interleaved; (kiosk, bare, kiosk without its content cache).

    "kiosk" is the kiosk as it starts every day: its content unchanged since it was last
    checked, so read from the content cache (kiosk/content/cache.py) that the warm-up run (or
    `kiosk validate`) saved. "kiosk-cold" has the cache removed before each run, so it reads
    and checks every YAML file, as the first start after staff change one does.
    """
    compileall.compile_dir(ROOT / "kiosk", quiet=1)
    apps = ("kiosk", "bare", "kiosk-cold", *variants)
    for app in apps:
        run_once(app)  # warm-up, discarded
    measured: dict[str, list[StartupRun]] = {app: [] for app in apps}
    for _ in range(runs):
        for app in apps:
            measured[app].append(run_once(app))
    return (
        StartupResult("kiosk", tuple(measured["kiosk"])),
        StartupResult("bare", tuple(measured["bare"])),
        StartupResult("kiosk-cold", tuple(measured["kiosk-cold"])),
        {variant: StartupResult(variant, tuple(measured[variant])) for variant in variants},
    )
