"""One start-up run, in its own process: start an app, stop at its first interactive frame.

Run by :mod:`benchmarks.startup` as
``python startup_child.py {kiosk|kiosk-cold|bare} RESULT_FD SPAWN_NS`` with a pseudo-terminal
as stdin, stdout and stderr, so Textual uses its real Linux driver and writes real escape
sequences. It is a plain script, not a module of the package, so that
nothing but what the app itself needs is imported before the clock stops.

The first interactive frame is the first frame written to the terminal in which the screen has
content and, if it has anything focusable, a focused widget: for the kiosk, the welcome screen
with the focus on its first choice (focus is set in ``on_mount``, so a frame without it is a
frame the visitor cannot act on yet); for the bare app, its screen with the Static. The check
runs right after Textual has handed the frame's bytes to the driver's writer thread
(:func:`kiosk.textual_internals.watch_frames_of_every_app`).

The child then writes one JSON line to RESULT_FD and exits:
``elapsed_ns`` since SPAWN_NS (``CLOCK_MONOTONIC``, taken by the parent just before it spawned
this process, so interpreter start-up and imports count), ``at_main_ns`` (when this script's
first line ran) and ``at_run_ns`` (when ``App.run`` was called, after imports and content
loading), all on the same clock, and ``peak_rss_bytes``, the process's high-water mark of
resident memory (``VmHWM``) at that moment, and ``screen``, the class of the screen shown.
"""

from __future__ import annotations

import time

AT_MAIN_NS = time.clock_gettime_ns(time.CLOCK_MONOTONIC)

import json  # noqa: E402  (the clock above must run before any import)
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_bytes() -> int:
    """``VmHWM`` from ``/proc/self/status``: the most resident memory this process has used."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> int:
    which, result_fd, spawn_ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if which.startswith("kiosk"):
        # What `kiosk run` does before Textual is imported (imported here first, to be timed).
        from kiosk import set_frame_rate

        set_frame_rate()

    from textual.app import App

    # The frame hook (Textual's private API, kept in that one module). Importing it costs both
    # apps the same: everything it imports, Textual's Linux driver imports too.
    from kiosk.textual_internals import watch_frames_of_every_app

    marks: dict[str, int] = {}
    original_run = App.run

    def is_interactive(screen: Any) -> bool:
        if not screen.children:
            return False  # Textual's empty default screen, before the app's own is shown.
        return screen.focused is not None or not screen.focus_chain

    def display(self: App[Any], screen: Any) -> None:
        if "ready" not in marks and screen is self.screen and is_interactive(screen):
            marks["ready"] = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
            report = {
                "elapsed_ns": marks["ready"] - spawn_ns,
                "at_main_ns": AT_MAIN_NS - spawn_ns,
                "at_run_ns": marks["run"] - spawn_ns,
                "peak_rss_bytes": peak_rss_bytes(),
                "screen": type(screen).__name__,
            }
            os.write(result_fd, (json.dumps(report) + "\n").encode())
            os.close(result_fd)
            self.exit()

    def run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        marks["run"] = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        return original_run(self, *args, **kwargs)

    watch_frames_of_every_app(display)
    App.run = run  # type: ignore[method-assign]

    if which.startswith("kiosk"):  # kiosk-cold: the parent removed the content cache
        # Mechanisms switched off, to measure what each buys (``--mechanisms``).
        if which == "kiosk-eager-screens":
            # Every screen imported at start, as before kiosk.screens imported them lazily.
            import kiosk.screens.compare
            import kiosk.screens.help
            import kiosk.screens.idle
            import kiosk.screens.learn
            import kiosk.screens.selfcheck
            import kiosk.screens.staff
        if which == "kiosk-plain-theme":
            # The first theme set the plain way, which parses every stylesheet once more.
            import kiosk.app

            def plain_theme(app: Any, name: str) -> None:
                app.theme = name

            kiosk.app.set_first_theme = plain_theme  # type: ignore[assignment]
        # Exactly what `kiosk run` does (the console script calls kiosk.cli.main).
        from kiosk.cli import main as kiosk_main

        return kiosk_main(["--config", str(ROOT / "kiosk.toml"), "run"])
    if which == "bare":
        from textual.app import ComposeResult
        from textual.widgets import Static

        class BareApp(App[None]):
            """The baseline: Textual with one Static and nothing else."""

            def compose(self) -> ComposeResult:
                yield Static("Hello")

        BareApp().run()
        return 0
    raise SystemExit(f"unknown app {which!r}")


if __name__ == "__main__":
    sys.exit(main())
