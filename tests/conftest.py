"""Shared fixtures: the bundled content, settings, and a factory for the kiosk app.

Tests run headless with animations off and NO_COLOR unset, so snapshots do not depend on the
machine that runs them.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.config import Settings, load_settings
from kiosk.content.model import ContentLibrary, load_library
from kiosk.textual_internals import forget_screens_drawn_behind, screen_lines

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
CONFIG_FILE = ROOT / "kiosk.toml"
#: The shipped content's languages, as the library lists them: English first, then by name.
LANGUAGES = ["en", "es", "ru", "vi", "zh-Hans"]


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Same rendering everywhere: no NO_COLOR, no animations, no Textual debug variables."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    for name in list(os.environ):
        # Keep the snapshot plugin's own variables; drop debug ones (devtools, log, driver …).
        if name.startswith("TEXTUAL_") and not name.startswith(
            ("TEXTUAL_SNAPSHOT", "TEXTUAL_ANIM")
        ):
            monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture(scope="session")
def library() -> ContentLibrary:
    """The bundled content, loaded once."""
    return load_library(CONTENT_DIR)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The bundled kiosk.toml."""
    return load_settings(CONFIG_FILE)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A kiosk folder: a copy of kiosk.toml and of the content next to it."""
    folder = tmp_path / "site"
    # Without the content cache `kiosk validate` may have saved in content/: a test starts
    # from the files.
    shutil.copytree(CONTENT_DIR, folder / "content", ignore=shutil.ignore_patterns(".kiosk-cache*"))
    shutil.copy(CONFIG_FILE, folder / "kiosk.toml")
    return folder


AppFactory = Callable[..., KioskApp]


@pytest.fixture
def make_app(settings: Settings, library: ContentLibrary) -> AppFactory:
    """Build a kiosk app on the bundled content; keyword arguments override [kiosk] settings."""

    def factory(clock: Callable[[], float] | None = None, **kiosk_overrides: object) -> KioskApp:
        kiosk_settings = msgspec.structs.replace(settings.kiosk, **kiosk_overrides)
        app_settings = msgspec.structs.replace(settings, kiosk=kiosk_settings)
        if clock is None:
            return KioskApp(app_settings, library)
        return KioskApp(app_settings, library, clock=clock)

    return factory


class FakeClock:
    """A monotonic clock that a test moves by hand: idle tests need no real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def screen_text(app: KioskApp) -> str:
    """Everything on the terminal right now, as plain text (one line per row)."""
    return "\n".join(screen_lines(app.screen))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces collapsed, to search for wrapped sentences."""
    return " ".join(text.split())


async def settle(pilot: Pilot[None]) -> None:
    """Wait until no button shows its short "pressed" effect (0.2 s after a press).

    A Textual button ignores a second click while it shows that effect; the kiosk keeps that,
    because it stops one accidental double tap from answering two questions. Snapshots wait for
    it too, or a picture would depend on how fast the machine is.
    """
    for _ in range(100):
        if pilot.app.return_code is not None or not pilot.app.screen.query(".-active"):
            return
        await pilot.pause(0.01)
    raise AssertionError("a button stayed pressed")


async def tap(pilot: Pilot[None], selector: str) -> None:
    """Click like a finger, then wait for the button's pressed effect to end.

    A finger first scrolls to a button below the fold (on an 80x24 screen the compare actions
    are under the eight option buttons); a button already on screen is not moved.
    """
    pilot.app.screen.query_one(selector).scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(selector)
    await settle(pilot)


async def screen_drawn(app: KioskApp, pilot: Pilot[None]) -> None:
    """Wait until the screen now showing (after a reset, or after leaving) has been drawn.

    Until then Textual may still hold a discarded screen in the queue of callbacks it runs
    after the next refresh (a ``refresh_bindings`` queued while that screen was on top). That
    queue is run, and emptied, with the next frame: a visitor cannot act any sooner.
    """
    drawn = asyncio.Event()
    app.screen.call_after_refresh(drawn.set)
    await drawn.wait()
    await pilot.pause()


def fresh_python(code: str) -> tuple[Any, set[str]]:
    """Run ``code`` in a new interpreter, with the kiosk importable, and return what it left in
    ``result`` (as JSON) and the names of every module imported by then: what a start-up of
    the kiosk would pay for."""
    script = f"{code}\nimport json, sys\nprint(json.dumps([result, sorted(sys.modules)]))\n"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result, modules = json.loads(completed.stdout)
    return result, set(modules)


def forget_the_pilots_view() -> None:
    """Drop what the test's own task keeps of the screens drawn behind the top one.

    Textual keeps the screens under the one on top (the self-check under the help screen or
    the idle warning) in a context variable of whichever task drew the screen last. A pilot's
    tap does that from the test's own task (it asks the compositor what is under the finger),
    and so can the app methods a test calls directly; the pilot's waits then copy that context
    into timers which asyncio keeps, cancelled, for up to 30 seconds. A kiosk has no such task;
    its own are what the privacy checks are about (kiosk.app clears the variable when a
    self-check closes). Cancelled timers never run: asyncio drops them in time anyway.
    """
    forget_screens_drawn_behind()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    scheduled = loop._scheduled  # type: ignore[attr-defined]
    # What asyncio itself does once enough timers are cancelled (BaseEventLoop._run_once).
    scheduled[:] = [handle for handle in scheduled if not handle.cancelled()]
    heapq.heapify(scheduled)
    loop._timer_cancelled_count = 0  # type: ignore[attr-defined]


def objects_in_memory() -> list[object]:
    """Every object the collector tracks after a full collection, frozen ones included.

    ``gc.get_objects()`` leaves out objects frozen by ``gc.freeze()`` (the kiosk freezes its
    long-lived ones), and a frozen object is never collected: a leftover there would go unseen.
    So: collect what can be freed, then thaw the rest without collecting, then list it.
    """
    forget_the_pilots_view()
    gc.collect()
    gc.unfreeze()
    return gc.get_objects()
