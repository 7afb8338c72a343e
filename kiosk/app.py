"""KioskApp: screen wiring, lockdown, idle reset, quick hide, crash recovery and live content.

The screen stack is always ``[Textual's default screen, WelcomeScreen, …]``. Opening an area
from anywhere first drops every screen above the welcome screen, and leaving the self-check
always destroys it and its answers.

The Learn, Compare (with its side-by-side and pros-and-cons views) and Help screens are *kept*:
built once for every language, in the background right after the first frame when the kiosk
starts, and shown again later, because building one takes 50-100 ms and showing a kept one
takes a single frame. They hold nothing a visitor typed
or answered, and every entry and every reset sets them back to how a new one starts (first tab,
nothing picked, scrolled to the top). The self-check screen is never kept: each visitor gets
a new one, built ahead as a spare while nobody is using it and discarded, with the answers,
when the visitor leaves it.

A *reset* (Start over, idle timeout, quick hide, language change, crash recovery) drops every
screen above the welcome screen, sets the kept screens back to their start, restores the
default language and theme, and clears the terminal's scrollback; nothing of the last visitor
can be brought back with Back or Escape. New content and crash recovery go further: every kept
screen is discarded (and built again when first opened) and the welcome screen is built anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from textual import events, work
from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen
from textual.widget import AwaitMount

from kiosk import screens, watchdog
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.content import Content, ContentError, ContentLibrary, load_library
from kiosk.errors import describe_error, log_line, log_problems
from kiosk.reload import ChangeWatcher
from kiosk.screens.base import KioskScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.security import AttemptLimiter, verify_pin
from kiosk.speech import Speaker, SpeechUnavailable, find_espeak
from kiosk.state import PinLockoutMemory, save_good_settings, state_folder
from kiosk.themes import HIGH_CONTRAST, NORMAL, THEMES
from kiosk.yamlsource import Problem, SourceError, read_text

if TYPE_CHECKING:
    from kiosk.screens.selfcheck import SelfCheckScreen

#: The screen class that opens each main area (a name in kiosk.screens: imported when used).
AREAS: dict[str, str] = {
    "learn": "LearnScreen",
    "compare": "CompareScreen",
    "selfcheck": "SelfCheckScreen",
    "help": "HelpScreen",
}

#: Every kept screen (see the module docstring), built in the background when the kiosk
#: starts: three of the areas, and the compare views. Never the self-check.
KEPT_SCREENS: dict[str, str] = {
    "learn": "LearnScreen",
    "compare": "CompareScreen",
    "help": "HelpScreen",
    "side-by-side": "SideBySideScreen",
    "option": "OptionScreen",
}


def screen_class(name: str) -> type[KioskScreen]:
    """The screen class called ``name`` in :mod:`kiosk.screens` (imported on first use)."""
    found: type[KioskScreen] = getattr(screens, name)
    return found


#: Textual actions a visitor must never reach in kiosk mode, whatever key or link asks for them.
BLOCKED_ACTIONS = frozenset(
    {
        "quit",
        "help_quit",
        "command_palette",
        "screenshot",
        "deliver_screenshot",
        "suspend_process",
        "copy_text",
        "toggle_dark",
        "change_theme",
        "open_url",
        "show_keys",
        "hide_keys",
        "simulate_key",
    }
)

#: Staff press this key this many times within STAFF_KEY_WINDOW seconds to get the PIN prompt.
STAFF_KEY = "f12"
STAFF_KEY_PRESSES = 3
STAFF_KEY_WINDOW = 3.0
#: How often the idle time is checked.
IDLE_CHECK_SECONDS = 1.0
#: Python runs a full garbage collection after this many collections of its middle generation
#: (its default: 10). With the kept screens and Textual's caches, a full collection takes 20-35
#: ms, and one landing between a tap and its frame made the slowest taps; so the kiosk makes
#: them rare and runs its own while nobody waits (COLLECT_WHEN_IDLE_SECONDS).
FULL_COLLECTION_THRESHOLD = 100
#: After this many seconds without input (a visitor reading), one full collection.
COLLECT_WHEN_IDLE_SECONDS = 1.0
#: How often the content folder and kiosk.toml are checked for changes.
RELOAD_POLL_SECONDS = 2.0
#: More crashes than this within CRASH_WINDOW seconds: exit and let systemd restart the kiosk.
CRASH_LIMIT = 5
CRASH_WINDOW = 60.0


class KioskApp(App[None], inherit_bindings=False):
    """The waiting-room kiosk.

    ``inherit_bindings=False`` drops Textual's ctrl+q / ctrl+c quit bindings: visitors must not
    be able to leave. ``kiosk_mode=False`` (``kiosk run --dev``) is for maintainers: it keeps
    Textual's own crash report and lets ctrl+q quit.
    """

    CSS_PATH = "kiosk.tcss"
    TITLE = "Kiosk"
    ENABLE_COMMAND_PALETTE = False
    # Text selection would let a visitor copy what is on screen (for example a result).
    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "open_area('learn')", "Learn", id="open-learn", show=False),
        Binding("2", "open_area('compare')", "Compare", id="open-compare", show=False),
        Binding("3", "open_area('selfcheck')", "Self-check", id="open-selfcheck", show=False),
        Binding("h,f1", "open_area('help')", "Help lines", id="open-help", show=False),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("x", "hide", "Hide", id="hide", show=False),
        Binding("r", "read_aloud", "Read aloud", id="read-aloud", show=False),
        Binding(STAFF_KEY, "staff_key", show=False, system=True),
    ]

    def __init__(
        self,
        settings: Settings,
        library: ContentLibrary,
        *,
        kiosk_mode: bool = True,
        config_file: Path | None = None,
        content_problems: list[Problem] | None = None,
        clock: Callable[[], float] = time.monotonic,
        speaker: Speaker | None = None,
        freeze_after_start: bool = False,
        prepare_screens: bool = False,
        pin_memory: PinLockoutMemory | None = None,
    ) -> None:
        # Before App.__init__, which asks get_driver_class (and that depends on the mode).
        self.kiosk_mode = kiosk_mode
        super().__init__()
        self.settings = settings
        self.library = library
        #: kiosk.toml, watched for changes together with the content folder (None: not watched).
        self.config_file = config_file
        #: Mistakes in the content staff saved last; shown on the staff screen, never to visitors.
        self.content_problems: list[Problem] = list(content_problems or [])
        self.language = settings.kiosk.default_language
        self.clock = clock
        self._freeze_after_start = freeze_after_start
        self._prepare_screens = prepare_screens
        #: Kept screens by (language, name); see KEPT_SCREENS.
        self._kept_screens: dict[tuple[str, str], KioskScreen] = {}
        #: A self-check built ahead for the next visitor, never shown yet (prepare_screens).
        self._spare_selfcheck: SelfCheckScreen | None = None
        #: Held by the one prepare_screens at work.
        self._preparing = asyncio.Lock()
        #: Read-aloud, when kiosk.toml enables it and espeak-ng is installed (else None).
        self.speaker = speaker if speaker is not None else self._default_speaker(settings)
        #: Remembers wrong PINs across restarts (kiosk.state); None: in memory only (tests).
        self._pin_memory = pin_memory
        self.pin_attempts = pin_memory.load() if pin_memory is not None else AttemptLimiter()
        self._pending: tuple[Settings, ContentLibrary] | None = None
        self._watcher: ChangeWatcher | None = None
        self._last_activity = clock()
        #: Whether there was input since the last full collection made while idle.
        self._collect_when_idle = False
        #: Whether a freeze was put off because a self-check existed (_freeze_long_lived_objects).
        self._freeze_pending = False
        self._staff_key_times: list[float] = []
        self._crash_times: list[float] = []
        for theme in THEMES:
            self.register_theme(theme)
        self._set_first_theme(settings.kiosk.theme)
        self.animation_level = "none"
        if not kiosk_mode:
            self._bindings.bind("ctrl+q", "quit", "Quit", show=False, priority=True)

    def _set_first_theme(self, name: str) -> None:
        """Start with theme ``name``: what setting ``App.theme`` does, minus its CSS refresh.

        Before the app runs, that refresh would parse every stylesheet a second time (about
        20 ms of start-up) when none has been parsed even once: the first parse, at start,
        already uses the theme set here. The rest of Textual's theme watcher is done here too:
        the theme's classes and CSS variables, and the filter that maps ANSI colours for it.
        """
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(theme.dark, "-dark-mode", update=False)
        self.set_class(not theme.dark, "-light-mode", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        # The stylesheet was created with the variables of Textual's default theme.
        self.stylesheet.set_variables(self.get_css_variables())

    @staticmethod
    def _default_speaker(settings: Settings) -> Speaker | None:
        program = find_espeak() if settings.speech.enabled else None
        return Speaker(program) if program else None

    @property
    def content(self) -> Content:
        """The content in the visitor's current language."""
        return self.library.get(self.language)

    def on_mount(self) -> None:
        self.push_screen(WelcomeScreen())
        self.note_activity()
        if self._freeze_after_start:
            self.call_after_refresh(self._freeze_start_up_objects)
        if self._prepare_screens:
            # After the first frame, so the welcome screen shows no later for it; in a worker,
            # so a tap meanwhile waits for one step of it at most, not for all of it.
            self.call_after_refresh(self._start_preparing)
        # A plain interval and a timestamp rather than a resettable one-shot timer: Textual's
        # Timer.reset() only takes effect at the end of the current wait.
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_time)
        terminal = self._terminal_fileno()
        if terminal is not None:
            self.set_interval(IDLE_CHECK_SECONDS, partial(self.check_terminal, terminal))
        if self.config_file is not None:
            self._watcher = self._make_watcher()
            self.set_interval(RELOAD_POLL_SECONDS, self.check_for_changes)
        # Under systemd (Type=notify): READY=1 after the first frame, WATCHDOG=1 from this loop.
        self.notifier = watchdog.start(self)

    def _freeze_start_up_objects(self) -> None:
        """After the first frame: exempt everything built so far from garbage collection.

        Textual, the content and the first screens live as long as the kiosk; leaving them out
        of every later collection keeps collections (pauses between a tap and the screen) short.
        Full collections become rare too: the kiosk runs them when idle (check_idle_time).
        """
        self._freeze_long_lived_objects()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
        gc.enable()

    def _freeze_long_lived_objects(self) -> None:
        """Exempt every object that exists now from garbage collection (``gc.freeze``), unless
        a self-check exists: then try again the next time screens are built ahead.

        A frozen object is never freed by the collector, and a screen can only be freed by it
        (its widgets refer to each other). So a self-check caught in a freeze, in use or just
        closed, would keep what the visitor answered for as long as the kiosk runs.
        """
        if screens.SelfCheckScreen.in_memory():
            gc.collect()  # one that was closed and removed is garbage: free it first
        self._freeze_pending = bool(screens.SelfCheckScreen.in_memory())
        if not self._freeze_pending:
            gc.freeze()

    async def _closed_self_checks_removed(self) -> None:
        """Wait until every closed self-check has been removed: Textual removes a popped screen
        a moment later, in a task of its own, and only then can a collection free it. At most
        a second (a removal never takes that long); then the freeze is simply put off."""
        for _ in range(20):
            closing = [
                screen
                for screen in screens.SelfCheckScreen.in_memory()
                if screen.is_attached and screen not in self.screen_stack
            ]
            if not closing:
                return
            del closing  # the list must not keep them alive during the wait
            await asyncio.sleep(0.05)

    # -- lockdown -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Refuse Textual's quit, palette, screenshot and copy actions in kiosk mode."""
        return not (self.kiosk_mode and action in BLOCKED_ACTIONS)

    def action_staff_key(self) -> None:
        """Staff key pressed: three presses within a few seconds ask for the PIN."""
        now = self.clock()
        self._staff_key_times = [t for t in self._staff_key_times if now - t < STAFF_KEY_WINDOW]
        self._staff_key_times.append(now)
        if len(self._staff_key_times) < STAFF_KEY_PRESSES:
            return
        self._staff_key_times.clear()
        if not self.settings.staff.pin_hash:
            # No PIN set: staff exit is off (the README says how to stop the service instead).
            return
        if not isinstance(self.screen, screens.PinScreen | screens.StaffScreen):
            self.push_screen(screens.PinScreen(), self._pin_entered)

    def check_pin(self, pin: str) -> str:
        """Check a PIN typed on the PIN screen: "ok", "wrong" or "locked"."""
        now = self.clock()
        if self.pin_attempts.seconds_locked(now) > 0:
            return "locked"
        right = verify_pin(pin, self.settings.staff.pin_hash)
        if right:
            self.pin_attempts.record_success()
        else:
            self.pin_attempts.record_failure(now)
        if self._pin_memory is not None:
            self._pin_memory.save(self.pin_attempts)
        if right:
            return "ok"
        return "locked" if self.pin_attempts.seconds_locked(now) > 0 else "wrong"

    def _pin_entered(self, accepted: bool | None) -> None:
        if accepted:
            self.push_screen(screens.StaffScreen())

    def staff_exit(self) -> None:
        """Leave the kiosk (staff only, after the PIN)."""
        log_line("staff exit")
        self.exit(return_code=0)

    # -- activity and idle --------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Real keys and mouse events pass through here; pilot clicks arrive at the widgets and
        # are noted by KioskScreen.on_mouse_down.
        if isinstance(
            event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp
        ):
            self.note_activity()
        await super().on_event(event)

    def note_activity(self) -> None:
        """A key or a tap: the visitor is here; start the idle wait again."""
        self._last_activity = self.clock()
        self._collect_when_idle = self._freeze_after_start

    def check_idle_time(self) -> None:
        """Called every second: warn (or reset) once ``idle_seconds`` pass without input.

        Before that, once the visitor has stopped for a moment (to read), a full garbage
        collection: where it keeps nobody waiting, not between their next tap and its frame.
        """
        idle_for = self.clock() - self._last_activity
        if idle_for >= self.settings.kiosk.idle_seconds:
            self._idle_timeout()
        elif idle_for >= COLLECT_WHEN_IDLE_SECONDS and self._collect_when_idle:
            self._collect_when_idle = False
            gc.collect()

    def _terminal_fileno(self) -> int | None:
        """The terminal the kiosk reads keys from; None when headless, in a browser (only
        Textual's Linux driver has a ``fileno``) or not started on a terminal."""
        fileno = getattr(self._driver, "fileno", None)
        if self.is_headless or not isinstance(fileno, int) or not os.isatty(fileno):
            return None
        return fileno

    def check_terminal(self, fileno: int) -> None:
        """Called every second: stop when the terminal has gone (closed, hung up).

        Textual 8.2.8's input thread then reads end-of-file again and again, at full CPU, for a
        kiosk that is on no screen any more; stopped, it is started again by systemd.
        """
        if not os.isatty(fileno):
            with contextlib.suppress(OSError):  # stderr may be that terminal
                log_line("the terminal has gone; stopping")
            self.exit(return_code=1)

    def _has_visitor_state(self) -> bool:
        """Whether a visitor has moved away from the untouched welcome screen."""
        return (
            len(self.screen_stack) > 2
            or self.language != self.settings.kiosk.default_language
            or self.theme != self.settings.kiosk.theme
        )

    def _idle_timeout(self) -> None:
        if isinstance(
            self.screen, screens.IdleWarningScreen | screens.PinScreen | screens.StaffScreen
        ):
            self.note_activity()
            if isinstance(self.screen, screens.PinScreen | screens.StaffScreen):
                self.action_reset()  # staff walked away: never leave the staff screen open
            return
        if not self._has_visitor_state():
            self.note_activity()  # an untouched welcome screen: nothing to warn about
            if self._pending is not None:
                self.action_reset()  # but new content can go live now
            return
        self.push_screen(
            screens.IdleWarningScreen(self.settings.kiosk.idle_warning_seconds),
            self._idle_answered,
        )

    def _idle_answered(self, visitor_is_here: bool | None) -> None:
        if visitor_is_here:
            self.note_activity()
        else:
            self.action_reset()

    # -- navigation ---------------------------------------------------------------------------

    def _drop_to_welcome(self) -> list[Screen[object]]:
        """Pop every screen above the welcome screen; returns them, top first.

        Kept screens stay (suspended) for next time; every other screen is discarded.
        """
        popped: list[Screen[object]] = []
        while len(self.screen_stack) > 2:
            popped.append(self.screen)
            self.pop_screen()
        self._closed_screens(popped)
        return popped

    def action_open_area(self, area: str) -> None:
        """Open a main area from anywhere (keys 1, 2, 3 and H, and the welcome buttons)."""
        name = AREAS.get(area)
        if name is None or not isinstance(self.screen, KioskScreen):
            return  # unknown area, or a dialog (idle warning, PIN) is on top
        if isinstance(self.screen, screen_class(name)) and len(self.screen_stack) == 3:
            return  # already at the start of that area
        kept = self._kept_screens.get((self.language, area))
        if kept is not None and kept in self.screen_stack:
            # The area's kept screen is under the one on top (e.g. Compare under side by side):
            # go down to it rather than pop it and push it again in one step.
            while self.screen is not kept:
                self.pop_screen()
            kept.start_again()
            return
        self._drop_to_welcome()
        self.push_screen(self._area_screen(area))

    def _area_screen(self, area: str) -> KioskScreen:
        """The screen that opens ``area``: the kept one set back to its start, or a new one."""
        if area == "selfcheck":
            return self._take_spare_selfcheck()
        if area not in KEPT_SCREENS:
            return screen_class(AREAS[area])()
        screen = self.kept_screen(area, screen_class(KEPT_SCREENS[area]))
        if screen.is_mounted:
            screen.start_again()
        return screen

    def kept_screen(
        self, name: str, build: Callable[[], KioskScreen], language: str | None = None
    ) -> KioskScreen:
        """The kept screen ``name`` in ``language`` (default: the visitor's); ``build`` makes
        it the first time.

        Kept screens must hold nothing a visitor typed or answered, and must set themselves
        back to their start in :meth:`KioskScreen.start_again` (called on every reset).
        """
        language = language or self.language
        key = (language, name)
        screen = self._kept_screens.get(key)
        if screen is None:
            screen = self._kept_screens[key] = build()
            screen.language = language
            # Installed, Textual keeps the screen when it is popped instead of removing it.
            self.install_screen(screen, f"{name}-{language}")
        return screen

    def _take_spare_selfcheck(self) -> SelfCheckScreen:
        """A new self-check for the visitor: the spare one built in advance, if there is one.

        Every visitor still gets a self-check nobody used before; building it ahead only moves
        the 50-100 ms of building out of the tap. The next spare is built when the visitor
        leaves this one (:meth:`_closed_screens`).
        """
        spare, self._spare_selfcheck = self._spare_selfcheck, None
        if spare is not None:
            # No longer installed: when the visitor leaves it, Textual removes it, answers and all.
            self.uninstall_screen(spare)
            if spare.language == self.language and spare.step < 0:
                # Even if still being built: it is new, and nearly ready. It may be showing one
                # of the views it lays out ahead (the builder stops once it is taken): back to
                # its intro, as a new one starts.
                if spare.is_mounted:
                    spare.start_again()
                return spare
            spare.remove()
        return screens.SelfCheckScreen()

    def _closed_screens(self, popped: list[Screen[object]]) -> None:
        """Screens were popped: erase a self-check among them at once, and build the spare for
        the next visitor now, rather than while this visitor was answering."""
        closed_self_checks = [s for s in popped if isinstance(s, screens.SelfCheckScreen)]
        for self_check in closed_self_checks:
            self_check.erase_answers()
        if closed_self_checks and self._prepare_screens and self._spare_selfcheck is None:
            # Through the app's own queue: the worker's task copies the context it starts in,
            # and a context naming the closing self-check as the active message pump would keep
            # it, answers and all, alive.
            self.call_later(self._start_preparing)

    def _start_preparing(self) -> None:
        self.run_worker(self.prepare_screens, group="prepare", exit_on_error=False)

    async def prepare_screens(self) -> None:
        """Build and lay out, off screen, every kept screen (in every language) that does not
        exist yet, and a spare self-check.

        Runs after the first frame when the kiosk starts, and when a visitor leaves a
        self-check (``prepare_screens``). Building everything at the start also means the kiosk's
        memory does not grow later, when a visitor first switches language.
        """
        # One builder at a time; each builds whatever is missing when its turn comes.
        async with self._preparing:
            built = False
            languages = [self.language, *(n for n in self.library.languages if n != self.language)]
            for language in languages:
                for name, class_name in KEPT_SCREENS.items():
                    if (language, name) not in self._kept_screens:
                        await self._build_off_screen(
                            self.kept_screen(name, screen_class(class_name), language)
                        )
                        built = True
            if (built or self._freeze_pending) and self._freeze_after_start:
                # The kept screens live as long as the kiosk, like the start-up objects: out of
                # the collector's sight too, or each full collection scans them again, a 50-70
                # ms pause between a tap and the screen. (Before the spare, which is not kept.)
                await self._closed_self_checks_removed()
                self._freeze_long_lived_objects()
            if self._spare_selfcheck is None:
                spare = self._spare_selfcheck = screens.SelfCheckScreen()
                # Installed while it waits, so that Textual closes it with the app.
                self.install_screen(spare, "selfcheck-spare")
                await self._build_off_screen(spare)

    async def _build_off_screen(self, screen: KioskScreen) -> None:
        """Compose, mount and lay out ``screen`` without showing it.

        This is what push_screen does for a new screen: register it (its widgets are composed
        and mounted in its own task), then lay it out for the current terminal size, twice, so
        that size-dependent handlers (on_resize) have run too; the same for each of its views
        (:meth:`KioskScreen.views_to_prepare`), ending at its start. Showing it later is then
        one frame. Textual has no public API to build a screen off screen; the version is pinned
        and the tests cover this path.
        """
        mounted = asyncio.ensure_future(AwaitMount(screen, self._register(self, screen)))
        while not mounted.done():
            # A screen removed before it finished mounting never will: stop waiting for it.
            await asyncio.wait([mounted], timeout=0.1)
            if not screen.is_attached:
                mounted.cancel()
                return
        for show_view in [*screen.views_to_prepare(), screen.start_again]:
            if not self._still_off_screen(screen):
                return
            show_view()
            for _ in range(2):
                if not self._still_off_screen(screen):
                    return
                screen._refresh_layout(self.size)
                await self._screen_idle(screen)
            if self._still_off_screen(screen):
                screen._compositor.render_update(full=True)  # fills each widget's line cache

    def _still_off_screen(self, screen: KioskScreen) -> bool:
        """Whether ``screen`` is still waiting off screen: a visitor may have opened it while it
        was being built (then it is theirs, and must not be reset), or a reset discarded it."""
        return screen.is_attached and screen not in self.screen_stack

    @staticmethod
    async def _screen_idle(screen: KioskScreen) -> None:
        """Wait until ``screen`` has handled every message queued so far, or is removed (a
        removed screen never gets there, and the builder must not wait for it forever)."""
        idle = asyncio.Event()
        screen.call_after_refresh(idle.set)
        while not idle.is_set() and screen.is_attached:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(idle.wait(), timeout=0.1)

    def _forget_kept_screens(self, just_popped: list[Screen[object]]) -> None:
        """Discard every kept screen and the spare self-check (new content, or recovering from
        an error).

        Called after every screen above the welcome screen was popped: Textual removes those
        (``just_popped``) itself once they are no longer installed; the others are removed here.
        """
        screens: list[Screen[object]] = list(self._kept_screens.values())
        if self._spare_selfcheck is not None:
            screens.append(self._spare_selfcheck)
        for screen in screens:
            self.uninstall_screen(screen)
            if screen.is_running and screen not in just_popped:
                screen.remove()
        self._kept_screens.clear()
        self._spare_selfcheck = None
        if self._freeze_after_start:
            gc.unfreeze()  # the collector may free the discarded screens; rebuilt ones freeze

    def action_home(self) -> None:
        """Home: back to the welcome screen (an open self-check and its answers are dropped)."""
        if isinstance(self.screen, KioskScreen):
            self._drop_to_welcome()

    def action_back(self) -> None:
        """Escape / Back: one step back; at the welcome screen, nothing happens."""
        screen = self.screen
        if not isinstance(screen, KioskScreen | screens.StaffScreen):
            return
        if isinstance(screen, KioskScreen) and screen.go_back():
            return
        if len(self.screen_stack) > 2:
            self.pop_screen()
            self._closed_screens([screen])

    def action_set_language(self, language: str) -> None:
        """Switch the visitor's language and start again from the welcome screen."""
        if language in self.library.languages:
            self.language = language
            self._replace_all_screens(new_welcome=True)

    def action_toggle_contrast(self) -> None:
        """Switch between the normal and the high-contrast theme (reset restores the default)."""
        self.theme = NORMAL if self.theme == HIGH_CONTRAST else HIGH_CONTRAST
        if isinstance(self.screen, WelcomeScreen):
            self.screen.show_contrast_choice()

    def action_read_aloud(self) -> None:
        """Read the screen aloud (R or the button); pressed while speaking, stop."""
        if self.speaker is None:
            return
        if self.speaker.speaking:
            self.speaker.stop()
            return
        screen = self.screen
        if isinstance(screen, KioskScreen):
            text = screen.speech_text(self.settings.speech.private_audio)
            try:
                self.speaker.speak(text, self.language)
            except SpeechUnavailable as error:
                self._speech_failed(str(error))

    def _speech_failed(self, why: str) -> None:
        """espeak-ng is gone or broken: speech off, its buttons hidden, staff told once."""
        log_line(f"{why}; read-aloud is off until the kiosk restarts")
        self.speaker = None
        for screen in [*self.screen_stack, *self._kept_screens.values()]:
            for button in screen.query("#read-aloud"):
                button.display = False

    def action_hide(self) -> None:
        """Quick hide (X, or the Hide button): reset at once."""
        self.action_reset()

    def action_reset(self, notice: str = "") -> None:
        """Start over: new content if staff saved some, default language and theme, fresh
        screens, a clear scrollback. Nothing of the last visitor is kept.

        ``notice`` is shown at the top of the new welcome screen.
        """
        build_new = bool(notice)  # after an error, nothing that was on screen is reused
        new_content = self._pending is not None
        if self._pending is not None:
            self.settings, self.library = self._pending
            self._pending = None
            self._watcher = self._make_watcher() if self._watcher is not None else None
            log_line("new content is now showing")
            build_new = True
        if self.speaker is not None:
            self.speaker.stop()
        self.language = self.settings.kiosk.default_language
        self.theme = self.settings.kiosk.theme
        self._replace_all_screens(notice, new_welcome=build_new, forget_kept=build_new)
        for screen in self._kept_screens.values():
            if screen.is_mounted:
                screen.start_again()  # nothing picked or scrolled stays behind, even unseen
        if new_content and not notice and self._prepare_screens:
            # New content: build its screens ahead again. Not after an error: a screen that
            # fails as it is built would fail again and again.
            self.call_later(self._start_preparing)
        self._clear_scrollback()
        self.note_activity()

    def _replace_all_screens(
        self, notice: str = "", *, new_welcome: bool, forget_kept: bool = False
    ) -> None:
        """Drop to the welcome screen, and reuse it unless ``new_welcome`` (or the language
        changed); with ``forget_kept``, discard every kept screen too."""
        popped = self._drop_to_welcome()
        if forget_kept:
            self._forget_kept_screens(popped)
        welcome = self.screen
        if (
            not new_welcome
            and isinstance(welcome, WelcomeScreen)
            and welcome.language == self.language
            and not welcome.notice
            and welcome.is_mounted
        ):
            welcome.start_again()
        else:
            self.switch_screen(WelcomeScreen(notice=notice))

    def _clear_scrollback(self) -> None:
        # Textual draws on the alternate screen, but a terminal may still keep scrollback;
        # ESC [3J erases it so nothing scrolled off can be scrolled back into view.
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write("\x1b[3J")
            driver.flush()

    # -- live content -------------------------------------------------------------------------

    def _make_watcher(self) -> ChangeWatcher:
        paths = [self.settings.content_path]
        if self.config_file is not None:
            paths.append(self.config_file)
        return ChangeWatcher(tuple(paths))

    def check_for_changes(self) -> None:
        """Poll the content folder and kiosk.toml; load them again if staff saved a change."""
        if self._watcher is not None and self._watcher.changed():
            self.reload_content()

    @work(thread=True, exclusive=True, group="reload")
    def reload_content(self) -> None:
        """Validate the saved content in a thread; switch to it at the next reset."""
        try:
            settings = load_settings(self.config_file) if self.config_file else self.settings
            library = load_library(settings.content_dir)
        except (ConfigError, ContentError) as error:
            self.call_from_thread(self._reload_failed, error.problems)
            return
        except Exception as error:
            # A mistake the checks did not foresee must not reset the visitor: it is reported
            # like the others, at the settings file (the content folder is named in it).
            where = self.config_file or self.settings.content_dir
            problem = Problem(where, 1, f"could not be loaded ({describe_error(error)})")
            self.call_from_thread(self._reload_failed, [problem])
            return
        if self.config_file is not None:
            with contextlib.suppress(SourceError):
                save_good_settings(state_folder(), read_text(self.config_file, "settings"))
        self.call_from_thread(self._reload_succeeded, settings, library)

    def _reload_failed(self, problems: list[Problem]) -> None:
        self.content_problems = list(problems)
        log_problems(
            f"content change NOT used ({len(problems)} problem(s)); the last good stays on:",
            problems,
        )
        self._refresh_staff_screen()

    def _refresh_staff_screen(self) -> None:
        if isinstance(self.screen, screens.StaffScreen):
            self.screen.refresh_status()

    def _reload_succeeded(self, settings: Settings, library: ContentLibrary) -> None:
        self.content_problems = []
        self._pending = (settings, library)
        self._refresh_staff_screen()
        if isinstance(self.screen, WelcomeScreen) and not self._has_visitor_state():
            self.action_reset()  # nobody is using the kiosk: show the new content now
        else:
            log_line("content change validated; it will show after the next reset")

    # -- crash safety -------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """In kiosk mode: one answer-free line for staff, then a fresh start for the visitor.

        Textual's own handler prints a traceback with local variables (which could hold a
        visitor's answers) and exits; here the screen that failed is replaced instead. If errors
        repeat, the kiosk exits with an error and systemd starts it again.
        """
        if not self.kiosk_mode:
            super()._handle_exception(error)
            return
        self._crashed(describe_error(error))

    def panic(self, *renderables: RenderableType) -> None:
        """In kiosk mode: as :meth:`_handle_exception`, never a report on the screen.

        Textual calls this for errors outside any message handler (its drivers' threads), with
        a Rich traceback to print when the app exits, on the visitor's screen.
        """
        if not self.kiosk_mode:
            super().panic(*renderables)
            return
        self._crashed("an error outside the screens (Textual panic)")

    def _crashed(self, what: str) -> None:
        """One answer-free line, then a fresh start; exit after too many in a row."""
        log_line(f"error: {what}; starting again")
        now = self.clock()
        self._crash_times = [t for t in self._crash_times if now - t < CRASH_WINDOW]
        self._crash_times.append(now)
        if len(self._crash_times) > CRASH_LIMIT:
            log_line("too many errors; exiting so that the service restarts the kiosk")
            self._return_code = 1
            self._close_messages_no_wait()
            return
        self.call_later(self._recover)

    async def run_action(
        self, action: str | ActionParseResult, default_namespace: DOMNode | None = None
    ) -> bool:
        """Run an action; in kiosk mode an error inside it restarts the kiosk calmly.

        Key bindings run their actions in the app's own message loop: an error left to Textual
        would end that loop and with it the kiosk.
        """
        try:
            return await super().run_action(action, default_namespace)
        except Exception as error:
            if not self.kiosk_mode:
                raise
            self._handle_exception(error)
            return True

    def get_driver_class(self) -> type[Driver]:
        """In kiosk mode on a terminal, :class:`~kiosk.terminal.KioskTerminalDriver` (lenient
        input, clean stops on signals). A served kiosk keeps textual-serve's web driver, named
        in ``TEXTUAL_DRIVER``, and maintainers (``--dev``) keep Textual's own."""
        default = super().get_driver_class()
        if self.kiosk_mode and default.__name__ == "LinuxDriver":
            from kiosk.terminal import KioskTerminalDriver

            return KioskTerminalDriver
        return default

    def _recover(self) -> None:
        self.action_reset(
            notice=self.library.get(self.settings.kiosk.default_language).ui.error_message
        )
