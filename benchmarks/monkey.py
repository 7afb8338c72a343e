"""The seeded "monkey": random keys and taps over every screen, and the health check after each.

Shared by the long soak in ``make bench`` (:mod:`benchmarks.soak`) and the short one in ``make
test`` (``tests/functional/test_soak.py``), so both exercise exactly the same inputs. One seed gives
one sequence of events, so any failure can be replayed from its seed and event number.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from textual.app import App
from textual.css.query import NoMatches
from textual.errors import NoWidget

from benchmarks.harness import post_key, post_tap, settle
from kiosk.screens.base import KioskScreen
from kiosk.textual_internals import ErrorHookApp, error_reports, failure

#: Every key a visitor can reach on the kiosk's keyboard that does something somewhere.
KEYS: tuple[str, ...] = (
    "1",
    "2",
    "3",
    "h",
    "escape",
    "tab",
    "shift+tab",
    "enter",
    "left",
    "right",
    "up",
    "down",
    "y",
    "n",
    "s",
    "space",
)

#: Relative weights of :data:`KEYS` (Enter presses whatever has focus, so it weighs more).
#: Keys that do nothing where they are pressed (Y on the welcome screen) are still sent:
#: ignoring them is behaviour too.
KEY_WEIGHTS: tuple[int, ...] = (2, 2, 3, 2, 2, 2, 2, 4, 1, 1, 1, 1, 3, 3, 3, 2)

#: Share of single events that are taps (at a random cell) rather than key presses.
TAP_SHARE = 0.35

#: Chance, at each event, that a burst of quick answers starts instead: a visitor who knows
#: what to say. Single random keys alone almost never get through all the self-check's
#: questions before an area key or Escape pulls the monkey out, so without bursts the result
#: screen and "Start over" (the path that must destroy the answers) would hardly be soaked.
BURST_CHANCE = 0.04
#: Keys of a burst: the answer keys, and Enter (which starts the self-check or presses the
#: focused answer).
BURST_KEYS: tuple[str, ...] = ("y", "n", "s", "enter")
#: Shortest and longest burst.
BURST_LENGTH = (4, 12)

#: Default seed of the soak, so two runs on one machine soak the very same sequence.
DEFAULT_SEED = 20_260_611


@dataclass(frozen=True, slots=True)
class MonkeyEvent:
    """One input: a key press or a tap at a screen cell."""

    number: int
    kind: Literal["key", "tap"]
    key: str = ""
    x: int = 0
    y: int = 0

    def __str__(self) -> str:
        if self.kind == "key":
            return f"event {self.number}: key {self.key!r}"
        return f"event {self.number}: tap at ({self.x}, {self.y})"


def monkey_events(seed: int, count: int, size: tuple[int, int] = (80, 24)) -> Iterator[MonkeyEvent]:
    """``count`` events from ``random.Random(seed)``, numbered from 0; same seed, same events.

    The sequence depends on the seed only, so a shorter run is a prefix of a longer one.
    """
    rng = random.Random(seed)
    width, height = size
    number = 0
    while number < count:
        if rng.random() < BURST_CHANCE:
            for _ in range(rng.randint(*BURST_LENGTH)):
                if number == count:
                    return
                yield MonkeyEvent(number, "key", key=rng.choice(BURST_KEYS))
                number += 1
        elif rng.random() < TAP_SHARE:
            yield MonkeyEvent(number, "tap", x=rng.randrange(width), y=rng.randrange(height))
            number += 1
        else:
            yield MonkeyEvent(number, "key", key=rng.choices(KEYS, weights=KEY_WEIGHTS)[0])
            number += 1


async def apply_event(app: App[Any], event: MonkeyEvent) -> None:
    """Send one event as the terminal driver would; wait until it is processed and drawn."""
    if event.kind == "key":
        post_key(app, event.key)
    else:
        post_tap(app, event.x, event.y)
    await settle(app, draw_now=True)


def record_errors(app: App[Any]) -> list[BaseException]:
    """Every exception that reaches the app's handler from now on, even those it recovers from.

    In kiosk mode the app logs one line and starts again instead of crashing, so a soak that
    only checked whether the app is still running would miss errors.
    """
    errors: list[BaseException] = []
    assert isinstance(app, ErrorHookApp)
    handle = app.on_handler_error

    def recording_handler(error: Exception) -> bool:
        errors.append(error)
        return handle(error)

    # An instance attribute shadows the method (ErrorHookApp calls ``self.on_handler_error``).
    app.on_handler_error = recording_handler  # type: ignore[method-assign]
    return errors


def health_problem(
    app: App[Any], phone: str, errors: list[BaseException] | None = None
) -> str | None:
    """What is wrong with the kiosk right now, or None when it is healthy.

    Healthy means: no exception was raised (``errors`` from :func:`record_errors`) or logged by
    Textual, the app still runs, the current screen is a kiosk screen, and its help bar is
    displayed, on screen, not covered, and shows ``phone``.
    """
    if errors:
        return f"an exception reached the app: {errors[0]!r}"
    if failure(app) is not None:
        return f"an exception was raised: {failure(app)!r}"
    if reports := error_reports(app):
        return f"Textual logged {reports} error(s) to show at exit"
    if not app.is_running or app.return_code is not None:
        return f"the app is not running (return code {app.return_code})"
    screen = app.screen
    if not isinstance(screen, KioskScreen):
        return f"the screen on show, {type(screen).__name__}, is not a kiosk screen"
    try:
        bar = screen.query_one("#help-bar")
    except NoMatches:
        return f"{type(screen).__name__} has no #help-bar"
    if not (bar.display and bar.visible):
        return "the help bar is hidden"
    region = bar.region
    if not region or not screen.region.contains_region(region):
        return f"the help bar is not on screen (region {region})"
    try:
        on_top, _ = app.get_widget_at(*region.center)
    except NoWidget:
        on_top = None
    if on_top is not bar:
        return f"the help bar is covered by {on_top!r}"
    text = str(bar.render())
    if phone not in text:
        return f"the help bar does not show {phone!r}: {text!r}"
    return None


def place(app: App[Any]) -> str:
    """Where the visitor is: the screen's class, plus "result" on the self-check's result."""
    screen = app.screen
    name = type(screen).__name__
    if screen.query("#start-over"):
        name += " (result)"
    return name
