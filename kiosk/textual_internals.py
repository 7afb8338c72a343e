"""Every use of Textual's private API, in one place.

Textual is pinned exactly (``textual==8.2.8``, see pyproject.toml) and each name below was checked
against that version. Each entry says what the kiosk needs it for and which public API is missing.
``tests/functional/test_textual_internals.py`` exercises every one of them, so that an upgrade of
Textual fails there, in one place, with a clear message, rather than silently elsewhere. No other
module of the kiosk, its tests or its benchmarks touches a private Textual name.

Each private name, what the kiosk needs it for, and the public API that is missing:

* ``textual._xterm_parser``, ``textual._parser``, ``textual._loop``: the Linux driver's input
  loop with a lenient UTF-8 decoder (:func:`input_thread_loop`, :mod:`kiosk.system.terminal`).
  Missing: a way to choose the input decoder's error handling.
* ``App._register`` and ``AwaitMount``, ``Screen._refresh_layout``,
  ``Screen._compositor.render_update``: building and laying out a screen off screen, before a
  visitor asks for it (:func:`mount_off_screen`, :func:`lay_out`, :func:`fill_line_caches`;
  :mod:`kiosk.parts.screen_pool`). Missing: "mount this screen without showing it".
* ``Screen._compositor.render_strips``: what a screen shows, for tests (:func:`screen_lines`,
  :func:`screen_strips`). Missing: a screen's text and colours without an SVG.
* ``textual._context.visible_screen_stack``: forgetting the screens Textual last drew behind
  the top one, once a self-check under the help screen has closed (a task started later copies
  the variable and would keep the self-check, answers and all, alive:
  :func:`forget_screens_drawn_behind`, :mod:`kiosk.parts.screen_pool`). Missing: drawing that
  does not leave screens in a context variable.
* ``Screen._compositor.visible_widgets``: where each widget is on the glass, clipped, for tests
  (:func:`visible_regions`). Missing: a widget's visible region.
* ``App._refresh_truecolor_filter``: setting the first theme without parsing every stylesheet
  twice (:func:`set_first_theme`). Missing: a theme set before the app runs.
* ``App._driver``: the terminal's file descriptor, and writing ESC [3J to it
  (:func:`terminal_fileno`, :func:`write_to_terminal`). Missing: "write to the terminal".
* ``App._handle_exception``: an error in a handler starts the kiosk again instead of ending it
  (:class:`ErrorHookApp`). Missing: a hook for errors in message handlers.
* ``textual._compositor`` (its update classes), ``App._display``, ``App._batch_count``,
  ``App._exception``, ``App._exception_event``, ``App._exit_renderables``, the message queues
  and a screen's dirty flags: the benchmarks' frame clock and their "the app has finished
  with this input" (:func:`watch_frames`, :func:`watch_frames_of_every_app`,
  :func:`frames_held`, :func:`queues_busy`, :func:`screen_pending`, :func:`draw_pending_frame`,
  :func:`failure`, :func:`failure_event`, :func:`error_reports`). Missing: a frame hook, and an
  "idle" that does not sleep 20 ms as the pilot's does.
* ``rich._wrap.words`` (Rich, which Textual wraps text with): where a line may break, so that
  Chinese breaks between characters and never before a full stop
  (:func:`break_lines_between_cjk_characters`, :mod:`kiosk.rules.line_breaks`). Missing: a
  line-breaking rule for scripts written without spaces.
"""

from __future__ import annotations

import asyncio
import os
import selectors
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

# See the table above: the parser of terminal input, and a helper of its loop.
# The compositor's frame updates: what the benchmarks' frame clock records and replays.
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual._context import visible_screen_stack
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import AwaitMount, Widget

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.drivers.linux_driver import LinuxDriver

#: The Textual version every name here was checked against.
CHECKED_WITH = "8.2.8"

__all__ = [
    "CHECKED_WITH",
    "ChopsUpdate",
    "CompositorUpdate",
    "ErrorHookApp",
    "LayoutUpdate",
    "break_lines_between_cjk_characters",
    "draw_pending_frame",
    "error_reports",
    "failure",
    "failure_event",
    "fill_line_caches",
    "forget_screens_drawn_behind",
    "frames_held",
    "input_thread_loop",
    "lay_out",
    "mount_off_screen",
    "queues_busy",
    "screen_lines",
    "screen_pending",
    "screen_strips",
    "set_first_theme",
    "terminal_fileno",
    "visible_regions",
    "watch_frames",
    "watch_frames_of_every_app",
    "write_to_terminal",
]

ReturnType = TypeVar("ReturnType")


# -- the terminal driver ------------------------------------------------------------------------


def input_thread_loop(driver: LinuxDriver, decode: Callable[..., str]) -> None:
    """``LinuxDriver.run_input_thread`` of Textual 8.2.8, with the UTF-8 ``decode`` passed in.

    Textual's own creates a strict decoder inside the method, so a single byte that is not
    UTF-8 ends the kiosk's input (see :mod:`kiosk.system.terminal`). Line for line the same loop
    otherwise: read what is there, parse it into events, hand them to the driver.
    """
    selector = selectors.SelectSelector()
    selector.register(driver.fileno, selectors.EVENT_READ)
    fileno = driver.fileno
    parser = XTermParser(False)
    feed = parser.feed
    tick = parser.tick
    read = os.read

    def process_selector_events(
        selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
    ) -> None:
        for last, (_selector_key, mask) in loop_last(selector_events):
            if mask & selectors.EVENT_READ:
                unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                if not unicode_data:
                    # Only invalid bytes, or end of input (a pipe): nothing to parse.
                    break
                for event in feed(unicode_data):
                    driver.process_message(event)
        for event in tick():
            driver.process_message(event)

    try:
        while not driver.exit_event.is_set():
            process_selector_events(selector.select(0.1))
        selector.unregister(driver.fileno)
        process_selector_events(selector.select(0.1), final=True)
    finally:
        selector.close()
        try:
            for _event in feed(""):
                pass
        except (EOFError, ParseError):
            pass


def break_lines_between_cjk_characters() -> None:
    """Let Rich's ``divide_line`` (which Textual's text wrapping calls) break lines between
    Chinese and Japanese characters, keeping punctuation with its character; text in other
    scripts is split exactly as before. Safe to call more than once."""
    import rich._wrap

    from kiosk.rules.line_breaks import words

    setattr(rich._wrap, "words", words)  # noqa: B010 (a module's private name: no type)


def terminal_fileno(app: App[Any]) -> int | None:
    """The file descriptor of the terminal the app reads keys from, if its driver has one
    (only Textual's Linux driver does; not the headless or the web driver)."""
    fileno = getattr(app._driver, "fileno", None)
    return fileno if isinstance(fileno, int) else None


def write_to_terminal(app: App[Any], data: str) -> None:
    """Write ``data`` (an escape sequence) straight to the app's terminal, if it has one."""
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(data)
        driver.flush()


# -- building screens off screen -------------------------------------------------------------


def mount_off_screen(app: App[Any], screen: Screen[Any]) -> Awaitable[None]:
    """What ``push_screen`` does for a new screen, without showing it: register it with the app
    (its widgets are composed and mounted in its own task). Await the result for the mount."""
    return AwaitMount(screen, app._register(app, screen))


def lay_out(screen: Screen[Any], size: Size) -> None:
    """Lay ``screen`` out for a terminal of ``size`` now, shown or not."""
    screen._refresh_layout(size)


def fill_line_caches(screen: Screen[Any]) -> None:
    """Render every widget of ``screen`` once, so that its first frame on show is cheap."""
    screen._compositor.render_update(full=True)


def screen_strips(screen: Screen[Any]) -> list[Strip]:
    """What ``screen`` shows, as Rich segments with their styles, one strip per row (tests
    read colours from them)."""
    return list(screen._compositor.render_strips())


def screen_lines(screen: Screen[Any]) -> list[str]:
    """What ``screen`` shows, as plain text, one string per row (for tests)."""
    return [strip.text for strip in screen_strips(screen)]


def visible_regions(screen: Screen[Any]) -> dict[Widget, Region]:
    """Every widget on show on ``screen`` and the part of the glass it covers, clipped by what
    scrolls over it (for tests: touch targets, buttons that must not move)."""
    return {
        widget: region.intersection(clip)
        for widget, (region, clip) in screen._compositor.visible_widgets.items()
    }


def forget_screens_drawn_behind() -> None:
    """Forget, in the current task, the screens Textual drew behind the top one.

    Textual's compositor keeps them in a context variable (``visible_screen_stack``) of
    whichever task drew last, and every task or timer started afterwards copies it. Once a
    self-check that was under the help screen has closed, a copy would keep it alive.
    """
    visible_screen_stack.set([])


# -- themes -------------------------------------------------------------------------------------


def set_first_theme(app: App[Any], name: str) -> None:
    """Start ``app`` with theme ``name``: what setting ``App.theme`` does, minus its CSS
    refresh, before the app runs.

    That refresh would parse every stylesheet a second time (about 20 ms of start-up) when
    none has been parsed even once: the first parse, at start, already uses the theme set
    here. The rest of Textual 8.2.8's ``App._watch_theme`` is done here too: the theme's
    classes and CSS variables, and the filter that maps ANSI colours for it.
    """
    app.set_reactive(App.theme, name)
    theme = app.current_theme
    app.set_class(True, f"-theme-{name}", update=False)
    app.set_class(theme.dark, "-dark-mode", update=False)
    app.set_class(not theme.dark, "-light-mode", update=False)
    app._refresh_truecolor_filter(app.ansi_theme)
    # The stylesheet was created with the variables of Textual's default theme.
    app.stylesheet.set_variables(app.get_css_variables())


# -- errors -------------------------------------------------------------------------------------


class ErrorHookApp(App[ReturnType], Generic[ReturnType]):
    """An App whose errors in message handlers go to :meth:`on_handler_error` first.

    Textual's ``_handle_exception`` prints a traceback with local variables and ends the app;
    subclasses return True from the hook when they dealt with the error themselves.
    """

    def on_handler_error(self, error: Exception) -> bool:
        """An exception escaped a message handler; True when it was dealt with."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        if not self.on_handler_error(error):
            super()._handle_exception(error)


# -- the benchmarks' view of the app ------------------------------------------------------------


def watch_frames(app: App[Any], on_frame: Callable[[Screen[Any], CompositorUpdate], None]) -> None:
    """Call ``on_frame`` with every frame the app draws (a compositor update), after it is
    handed to the driver. Frames held back (``batch_update``, ``delay_update``) are not frames.
    """
    original = app._display

    def display(screen: Screen[Any], renderable: RenderableType | None) -> None:
        original(screen, renderable)
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            on_frame(screen, renderable)

    # An instance attribute shadows the method: screens call ``app._display(...)``.
    app._display = display  # type: ignore[method-assign]


def watch_frames_of_every_app(on_frame: Callable[[App[Any], Screen[Any]], None]) -> None:
    """Call ``on_frame`` after every frame any app draws: for the start-up benchmark, which
    watches an app that ``kiosk run`` makes, from before it exists."""
    original = App._display

    def display(app: App[Any], screen: Screen[Any], renderable: RenderableType | None) -> None:
        original(app, screen, renderable)
        if renderable is not None and not app._batch_count:
            on_frame(app, screen)

    # A class attribute, so every app made from now on is watched; the signature is the same.
    App._display = display  # type: ignore[method-assign,assignment]


def frames_held(app: App[Any]) -> bool:
    """Whether the app holds frames back now (``batch_update``, ``delay_update``)."""
    return bool(app._batch_count)


def screen_pending(screen: Screen[Any]) -> bool:
    """True while the screen has layout, repaint or after-refresh callbacks still to do."""
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    )


def queues_busy(app: App[Any]) -> bool:
    """True while the app or any node of the current screen has unprocessed messages."""
    if not app._message_queue.empty():
        return True
    return any(not node._message_queue.empty() for node in app.screen.walk_children(with_self=True))


def draw_pending_frame(screen: Screen[Any]) -> None:
    """Draw the screen's pending frame now instead of at its next update-timer tick."""
    screen._on_timer_update()


def failure(app: App[Any]) -> BaseException | None:
    """The error that ended (or is ending) the app, if one did."""
    return app._exception


def error_reports(app: App[Any]) -> int:
    """How many error reports Textual holds to print when the app exits (a panic's)."""
    return len(app._exit_renderables)


def failure_event(app: App[Any]) -> asyncio.Event:
    """Set when an error ends the app."""
    return app._exception_event
