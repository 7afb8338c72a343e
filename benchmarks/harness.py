"""Drive a running Textual app the way a terminal does, and tell when it has drawn the result.

Why not ``pilot.press`` / ``pilot.click``? Both wait for the CPU to go idle with
``wait_for_idle``, which sleeps at least 20 ms per call (two calls per key, four per click).
That floor would swamp a 16 ms latency budget and make a 20,000-event soak take half an hour.
Pilot clicks also skip ``App.on_event`` (they forward straight to the screen), so they are not
what a touch screen sends. Here, as the real Linux driver does, a key is one ``Key`` event and a
tap is ``MouseDown`` + ``MouseUp`` posted to the app's queue; ``App.on_event`` then turns the
pair into a ``Click`` exactly as it does for a real terminal.

"Drawn" is observed, not guessed: :class:`FrameClock` wraps ``App._display``, which every
screen calls with the compositor's update for each frame. In headless mode Textual skips turning
that update into terminal output, so the clock does that step itself (``render_segments``);
a frame is therefore only counted once the bytes a terminal would receive exist.
:class:`VirtualTerminal` replays those updates afterwards to tell which frames changed what a
visitor sees.

What this needs of Textual's private API (the frame hook, whether frames are held back, the
message queues and the screen's dirty flags) comes from :mod:`kiosk.textual_internals`, the one
module that touches it; its test fails first if an upgrade renames anything.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.strip import Strip

from kiosk.textual_internals import (
    ChopsUpdate,
    CompositorUpdate,
    LayoutUpdate,
    draw_pending_frame,
    failure,
    failure_event,
    frames_held,
    queues_busy,
    screen_pending,
    watch_frames,
)

#: The characters a terminal sends with each named key (what Textual's xterm parser reports).
KEY_CHARACTERS: dict[str, str | None] = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "shift+tab": None,
    "space": " ",
    "left": None,
    "right": None,
    "up": None,
    "down": None,
    "f1": None,
}

#: Longest an input may take to be processed and drawn before we call the app hung.
SETTLE_TIMEOUT_S = 10.0


class AppHung(RuntimeError):
    """The app did not finish processing an input within :data:`SETTLE_TIMEOUT_S`."""


def key_event(key: str) -> events.Key:
    """The ``Key`` event a terminal produces for ``key`` (a Textual key name)."""
    character = KEY_CHARACTERS.get(key, key if len(key) == 1 else None)
    return events.Key(key, character)


def tap_events(x: int, y: int) -> list[events.MouseEvent]:
    """The events a tap (press and release at one cell) produces, as the Linux driver sends them."""
    common: dict[str, Any] = {
        "widget": None,
        "x": x,
        "y": y,
        "delta_x": 0,
        "delta_y": 0,
        "button": 1,
        "shift": False,
        "meta": False,
        "ctrl": False,
        "screen_x": x,
        "screen_y": y,
    }
    return [events.MouseDown(**common), events.MouseUp(**common)]


def post_key(app: App[Any], key: str) -> None:
    """Queue a key press on the app, as the driver's input thread would."""
    event = key_event(key)
    event.set_sender(app)
    app.post_message(event)


def post_tap(app: App[Any], x: int, y: int) -> None:
    """Queue a tap at screen cell (x, y) on the app."""
    for event in tap_events(x, y):
        event.set_sender(app)
        app.post_message(event)


class FrameClock:
    """Every frame the app draws: when (``time.perf_counter``) and what (the compositor update).

    Frames pile up until :meth:`take` collects them, so the owner must take them regularly.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.count = 0
        self._frames: list[tuple[float, CompositorUpdate]] = []

        def frame(screen: Screen[Any], update: CompositorUpdate) -> None:
            if app.is_headless:
                # The work the real driver does for every frame: build the terminal's bytes.
                update.render_segments(app.console)
            self._frames.append((time.perf_counter(), update))
            self.count += 1

        watch_frames(app, frame)

    def take(self) -> list[tuple[float, CompositorUpdate]]:
        """The frames drawn since the last call, oldest first."""
        frames, self._frames = self._frames, []
        return frames


Cell = tuple[str, Any]


class VirtualTerminal:
    """What a terminal would show after the frames so far: one (character, style) per cell.

    Textual often draws a frame that changes nothing a visitor can see (for example the layout
    pass after a restyle that produced the same styles). Replaying the updates here tells which
    frames really changed the screen.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.cells: list[list[Cell]] = [[(" ", None)] * width for _ in range(height)]

    def apply(self, update: CompositorUpdate) -> bool:
        """Apply one compositor update; True if any cell changed."""
        changed = False
        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    changed |= self._put(x, y, strip)
                    x += strip.cell_length
        elif isinstance(update, ChopsUpdate):
            # The same walk as ChopsUpdate.render_segments, writing cells instead of bytes.
            for y, x1, x2 in update.spans:
                line = update.chops[y]
                ends = update.chop_ends[y]
                for end, (x, strip) in zip(ends, line.items(), strict=False):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if not (x2 > x >= x1 and end <= x2):
                        strip = strip.crop(0, min(end, x2) - x)
                    changed |= self._put(x, y, strip)
        else:
            raise TypeError(f"unexpected compositor update {type(update).__name__}")
        return changed

    def _put(self, x: int, y: int, strip: Strip) -> bool:
        if not 0 <= y < self.height:
            return False
        row = self.cells[y]
        changed = False
        for segment in strip:
            if segment.control:
                continue
            for character in segment.text:
                width = cell_len(character)
                for offset in range(width):
                    cell = (character if offset == 0 else "", segment.style)
                    if 0 <= x < self.width and row[x] != cell:
                        row[x] = cell
                        changed = True
                    x += 1
        return changed


def app_busy(app: App[Any]) -> bool:
    """Cheap check: is there still work (messages, held frames, pending repaint) for the app?"""
    if frames_held(app):
        return True
    try:
        screen = app.screen
    except Exception:  # no screen yet (start-up) or the app is closing
        return False
    return queues_busy(app) or screen_pending(screen)


async def drain(app: App[Any]) -> None:
    """Wait until every message queued so far on the app and the current screen is processed.

    Same idea as the pilot's private ``_wait_for_screen``: ``call_later`` puts a callback at the
    end of each queue; when all have run, everything queued before them has been handled.
    """
    try:
        nodes = [app, *app.screen.walk_children(with_self=True)]
    except Exception:
        return
    remaining = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            remaining += 1
    if remaining:
        waiter = asyncio.ensure_future(done.wait())
        failed = asyncio.ensure_future(failure_event(app).wait())
        finished, pending = await asyncio.wait(
            [waiter, failed], timeout=SETTLE_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        if not finished:
            raise AppHung("messages were not processed in time")


async def settle(
    app: App[Any],
    *,
    draw_now: bool = False,
    poll_s: float = 0.0005,
    timeout_s: float = SETTLE_TIMEOUT_S,
) -> None:
    """Return once the app has processed everything queued and drawn the result.

    Polls cheap flags first (so the harness does not compete with the app while it works), then
    confirms with :func:`drain`, and repeats until both agree the app is quiet. Held frames
    (``delay_update``, ``batch_update``) and ``call_after_refresh`` callbacks count as work.

    ``draw_now`` draws a pending frame as soon as every queue is empty instead of waiting for
    the screen's 60 Hz update timer, as ``Pilot.pause`` does. The soaks use it: the frame and
    all its work still happen, but about half of a soak's time would otherwise be spent waiting
    for timer ticks. Latency measurement never uses it: the wait is part of the latency.
    """
    deadline = time.perf_counter() + timeout_s
    while True:
        while app_busy(app):
            if failure(app) is not None or not app.is_running:
                return
            if time.perf_counter() > deadline:
                raise AppHung("the app stayed busy")
            if draw_now and not frames_held(app) and not queues_busy(app):
                draw_pending_frame(app.screen)
            await asyncio.sleep(poll_s)
        if failure(app) is not None or not app.is_running:
            return
        await drain(app)
        if not app_busy(app):
            return


def rss_bytes() -> int:
    """Resident set size of this process now (``/proc/self/statm``, Linux)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")
