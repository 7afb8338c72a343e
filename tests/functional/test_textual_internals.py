"""Every private Textual name the kiosk uses, exercised: an upgrade of Textual fails here first.

kiosk/textual_internals.py is the only module that touches Textual's private API. Each test
below uses one of its functions the way the kiosk does and checks the effect, so a renamed or
changed private name shows up as a failing test named after what broke, not as a blank screen
or a benchmark measuring nothing. The last test checks that no other module reaches for a
private Textual name.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import re
import threading
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widgets import Button, Static

from kiosk import textual_internals as internals
from tests.conftest import ROOT


def test_the_pinned_textual_is_the_one_checked() -> None:
    assert version("textual") == internals.CHECKED_WITH


class Tiny(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello", id="hello")
        yield Button("press", id="press")


class Other(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("built off screen", id="other")


async def test_a_screen_mounts_and_lays_out_off_screen() -> None:
    app = Tiny()
    async with app.run_test(size=(40, 10)) as pilot:
        other = Other()
        await internals.mount_off_screen(app, other)
        assert other.is_mounted and other not in app.screen_stack
        internals.lay_out(other, app.size)
        await pilot.pause()
        assert other.size == app.size
        internals.fill_line_caches(other)
        assert "built off screen" in "\n".join(internals.screen_lines(other))
        assert "hello" in internals.screen_lines(app.screen)[0]
        strips = internals.screen_strips(app.screen)
        assert len(strips) == 10 and any(segment.style for segment in strips[0])


class Cover(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("on top", id="cover")


async def test_visible_regions_and_the_screens_drawn_behind() -> None:
    """Where a widget is on the glass; and the context variable in which Textual's drawing
    leaves the screen under the top one, which the kiosk forgets once a self-check closed."""
    from textual._context import visible_screen_stack

    app = Tiny()
    async with app.run_test(size=(40, 10)) as pilot:
        regions = internals.visible_regions(app.screen)
        hello = app.screen.query_one("#hello")
        assert regions[hello].y == 0 and regions[hello].width == 40
        base = app.screen
        await app.push_screen(Cover())
        await pilot.pause()
        app.screen.get_style_at(1, 1)  # what a tap asks, from this task
        assert base in visible_screen_stack.get()
        internals.forget_screens_drawn_behind()
        assert visible_screen_stack.get() == []


async def test_the_first_theme_is_set_without_a_refresh() -> None:
    app = Tiny()
    internals.set_first_theme(app, "textual-light")
    assert app.theme == "textual-light" and app.has_class("-light-mode")
    async with app.run_test():
        assert app.current_theme.name == "textual-light"


async def test_the_terminal_of_a_headless_app_is_none_and_not_written() -> None:
    app = Tiny()
    async with app.run_test():
        assert internals.terminal_fileno(app) is None
        internals.write_to_terminal(app, "\x1b[3J")  # headless: nothing to write to


class Failing(internals.ErrorHookApp[None]):
    def __init__(self, handled: bool) -> None:
        super().__init__()
        self.handled = handled
        self.errors: list[Exception] = []

    def compose(self) -> ComposeResult:
        yield Button("boom", id="boom")

    def on_button_pressed(self) -> None:
        raise RuntimeError("boom")

    def on_handler_error(self, error: Exception) -> bool:
        self.errors.append(error)
        return self.handled


@pytest.mark.parametrize("handled", [True, False])
async def test_errors_in_handlers_reach_the_hook(handled: bool) -> None:
    app = Failing(handled)
    with contextlib.nullcontext() if handled else pytest.raises(RuntimeError):
        async with app.run_test():
            app.query_one("#boom", Button).press()
            for _ in range(200):  # not pilot.pause: a failed handler never settles
                if app.errors:
                    break
                await asyncio.sleep(0.01)
            assert [str(error) for error in app.errors] == ["boom"]
            assert (internals.failure(app) is None) == handled


async def test_frames_are_watched_and_the_app_settles() -> None:
    app = Tiny()
    frames: list[Any] = []
    internals.watch_frames(app, lambda screen, update: frames.append(update))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert frames and isinstance(frames[-1], internals.CompositorUpdate)
        assert internals.LayoutUpdate and internals.ChopsUpdate
        before = len(frames)
        app.query_one("#hello", Static).update("changed")
        for _ in range(100):
            if not internals.screen_pending(app.screen) and not internals.queues_busy(app):
                break
            if not internals.frames_held(app):
                internals.draw_pending_frame(app.screen)
            await asyncio.sleep(0.01)
        assert len(frames) > before
        assert not internals.failure_event(app).is_set()
        assert internals.error_reports(app) == 0


def test_every_app_can_be_watched_from_before_it_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(App, "_display", App._display)  # undone after the test
    internals.watch_frames_of_every_app(lambda app, screen: seen.append(type(app).__name__))

    async def run() -> None:
        async with Tiny().run_test() as pilot:
            await pilot.pause()

    asyncio.run(run())
    assert "Tiny" in seen


def test_the_input_loop_decodes_leniently_and_parses_keys() -> None:
    """The Linux driver's input loop with the kiosk's decoder, on a pipe instead of a tty."""
    read_end, write_end = os.pipe()
    events: list[Any] = []

    class FakeDriver:
        fileno = read_end
        exit_event = threading.Event()

        def process_message(self, message: Any) -> None:
            events.append(message)
            if getattr(message, "character", None) == "b":
                self.exit_event.set()

    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    os.write(write_end, b"a\xe9\xffb")
    thread = threading.Thread(
        target=internals.input_thread_loop, args=(FakeDriver(), decoder.decode)
    )
    thread.start()
    thread.join(timeout=10)
    os.close(write_end)
    os.close(read_end)
    assert not thread.is_alive()
    assert [getattr(event, "character", None) for event in events if hasattr(event, "key")] == [
        "a",
        "b",
    ]
    assert issubclass(LinuxDriver, object)  # the driver the loop belongs to still exists


#: A private attribute of a Textual object: ``app._driver``, ``screen._compositor`` …
PRIVATE_USE = re.compile(
    r"\b(?:app|screen|self\.app|driver|widget|pilot\.app)\._(?!_)[a-z]\w*|from textual\._"
)


@pytest.mark.parametrize("folder", ["kiosk", "tests", "benchmarks"])
def test_no_other_module_touches_textuals_private_api(folder: str) -> None:
    offenders = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        if path.name in {"textual_internals.py", "test_textual_internals.py"}:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE_USE.search(line) and "noqa: private" not in line:
                offenders.append(f"{Path(path).relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
