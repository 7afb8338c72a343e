"""KioskApp: the kiosk's bindings and actions, and the wiring between its parts.

Each behaviour lives in a part of its own (:mod:`kiosk.parts`): lockdown and the staff knock,
the idle watch, the crash guard, the garbage-collector policy, live content, and the screen
pool (kept screens and the spare self-check, built off screen). The app holds one of each,
routes keys and events to them, and moves between screens.

The screen stack is always ``[Textual's default screen, WelcomeScreen, …]``. Opening an area
from anywhere first drops every screen above the welcome screen, and leaving the self-check
always destroys it and its answers.

A *reset* (Start over, idle timeout, quick hide, language change, crash recovery) drops every
screen above the welcome screen, sets the kept screens back to their start, restores the
default language and theme, and clears the terminal's scrollback; nothing of the last visitor
can be brought back with Back or Escape. New content and crash recovery go further: every kept
screen is discarded (and built again) and the welcome screen is built anew.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from textual import events, work
from textual.actions import ActionParseResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen

from kiosk import screens
from kiosk.config import Settings
from kiosk.content.model import Content, ContentLibrary
from kiosk.content.yamlsource import Problem
from kiosk.parts.collector import CollectorPolicy
from kiosk.parts.crash_guard import CrashGuard
from kiosk.parts.idle import IDLE_CHECK_SECONDS, IdleWatch
from kiosk.parts.live_content import RELOAD_POLL_SECONDS, LiveContent, Loaded, Refused
from kiosk.parts.lockdown import BLOCKED_ACTIONS, STAFF_KEY, PinGate, PinVerdict, StaffKnock
from kiosk.parts.screen_pool import KEPT_SCREENS, ScreenPool, screen_class
from kiosk.rules.spoken import speech_text
from kiosk.screens.base import KioskScreen, KioskServices
from kiosk.screens.welcome import WelcomeScreen
from kiosk.system import watchdog
from kiosk.system.speech import Speaker, SpeechUnavailable, find_espeak
from kiosk.system.staff_log import describe_error, log_line, log_problems
from kiosk.system.state import PinLockoutMemory
from kiosk.textual_internals import (
    ErrorHookApp,
    set_first_theme,
    terminal_fileno,
    write_to_terminal,
)
from kiosk.themes import HIGH_CONTRAST, NORMAL, THEMES

if TYPE_CHECKING:
    from kiosk.screens.selfcheck import SelfCheckScreen
    from kiosk.screens.staff import PinScreen, StaffScreen, StaffStatus

#: The screen class that opens each main area (a name in kiosk.screens: imported when used).
AREAS: dict[str, str] = {
    "learn": "LearnScreen",
    "compare": "CompareScreen",
    "selfcheck": "SelfCheckScreen",
    "help": "HelpScreen",
}


class KioskApp(ErrorHookApp[None], inherit_bindings=False):
    """The waiting-room kiosk.

    ``inherit_bindings=False`` drops Textual's ctrl+q / ctrl+c quit bindings: visitors must not
    be able to leave. ``kiosk_mode=False`` (``kiosk run --dev``) is for maintainers: it keeps
    Textual's own crash report and lets ctrl+q quit.

    ``build_ahead`` (``kiosk run``): build the kept screens and a spare self-check off screen
    after the first frame. ``tune_collector`` (``kiosk run``): rare full garbage collections,
    run when a visitor pauses (:mod:`kiosk.parts.collector`). Tests leave both off.
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
        tune_collector: bool = False,
        freeze_collector: bool = True,
        build_ahead: bool = False,
        pin_memory: PinLockoutMemory | None = None,
    ) -> None:
        # Before App.__init__, which asks get_driver_class (and that depends on the mode).
        self.kiosk_mode = kiosk_mode
        super().__init__()
        self.settings = settings
        self.library = library
        self.language = settings.kiosk.default_language
        self.clock = clock
        #: Read-aloud, when kiosk.toml enables it and espeak-ng is installed (else None).
        self.speaker = speaker if speaker is not None else self._default_speaker(settings)
        self.idle = IdleWatch(clock, settings.kiosk.idle_seconds)
        self.crashes = CrashGuard(clock)
        self.staff_knock = StaffKnock(clock)
        self.pin_gate = PinGate(settings.staff.pin_hash, clock, pin_memory)
        self.live = LiveContent(settings, config_file, content_problems)
        self.collector = CollectorPolicy(
            enabled=tune_collector,
            freeze=freeze_collector,
            self_checks_alive=screens.SelfCheckScreen.in_memory,
        )
        self.pool = ScreenPool(
            self, languages=self._languages, build_ahead=build_ahead, collector=self.collector
        )
        for theme in THEMES:
            self.register_theme(theme)
        set_first_theme(self, settings.kiosk.theme)
        self.animation_level = "none"
        if not kiosk_mode:
            self.bind("ctrl+q", "quit", description="Quit", show=False)

    @staticmethod
    def _default_speaker(settings: Settings) -> Speaker | None:
        program = find_espeak() if settings.speech.enabled else None
        return Speaker(program) if program else None

    def _languages(self) -> list[str]:
        """Every language of the content, the visitor's first."""
        return sorted(self.library.languages, key=lambda language: language != self.language)

    @property
    def content(self) -> Content:
        """The content in the visitor's current language."""
        return self.library.get(self.language)

    @property
    def content_problems(self) -> list[Problem]:
        """Mistakes in the content staff saved last; for the staff screen, never visitors."""
        return self.live.problems

    def get_driver_class(self) -> type[Driver]:
        """In kiosk mode on a terminal, :class:`~kiosk.system.terminal.KioskTerminalDriver` (lenient
        input, clean stops on signals). A served kiosk keeps textual-serve's web driver, named
        in ``TEXTUAL_DRIVER``, and maintainers (``--dev``) keep Textual's own."""
        default = super().get_driver_class()
        if self.kiosk_mode and default.__name__ == "LinuxDriver":
            from kiosk.system.terminal import KioskTerminalDriver

            return KioskTerminalDriver
        return default

    def on_mount(self) -> None:
        self.push_screen(WelcomeScreen())
        self.idle.note_activity()
        # After the first frame, so the welcome screen shows no later for either.
        self.call_after_refresh(self.collector.after_first_frame)
        if self.pool.build_ahead:
            self.call_after_refresh(self.pool.start_building)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_time)
        terminal = terminal_fileno(self)
        if terminal is not None and os.isatty(terminal):
            self.set_interval(IDLE_CHECK_SECONDS, partial(self.check_terminal, terminal))
        if self.live.config_file is not None:
            self.set_interval(RELOAD_POLL_SECONDS, self.check_for_changes)
        # Under systemd (Type=notify): READY=1 after the first frame, WATCHDOG=1 from this loop.
        self.notifier = watchdog.start(self)

    # -- lockdown -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Refuse Textual's quit, palette, screenshot and copy actions in kiosk mode."""
        return not (self.kiosk_mode and action in BLOCKED_ACTIONS)

    def action_staff_key(self) -> None:
        """Staff key pressed: three presses within a few seconds ask for the PIN (when one is
        set: without a PIN, staff exit is off and the README says how to stop the service)."""
        if not self.staff_knock.press() or not self.pin_gate.enabled:
            return
        if not isinstance(self.screen, screens.PinScreen | screens.StaffScreen):
            self.push_screen(screens.PinScreen(), self._pin_entered)

    def on_pin_screen_typed(self, message: PinScreen.Typed) -> None:
        """Staff typed a PIN: check it, and tell the PIN screen."""
        verdict: PinVerdict = self.pin_gate.check(message.pin)
        if isinstance(self.screen, screens.PinScreen):
            self.screen.show_verdict(verdict, self.pin_gate.seconds_locked())

    def _pin_entered(self, accepted: bool | None) -> None:
        if accepted:
            self.push_screen(screens.StaffScreen(self._staff_status()))

    def _staff_status(self) -> StaffStatus:
        return screens.StaffStatus(
            self.library.folder, list(self.library.languages), self.live.problems
        )

    def on_staff_screen_chose(self, message: StaffScreen.Chose) -> None:
        """A button of the staff screen: check the content again, back to visitors, or exit."""
        if message.choice == "exit":
            log_line("staff exit")
            self.exit(return_code=0)
        elif message.choice == "back":
            self.action_reset()
        else:
            self.reload_content()

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
        self.idle.note_activity()

    def check_idle_time(self) -> None:
        """Called every second: warn (or reset) once ``idle_seconds`` pass without input, and
        let the collector run once a visitor has stopped for a moment (to read)."""
        state = self.idle.check()
        if state == "timed_out":
            self._idle_timeout()
        elif state == "paused":
            self.collector.visitor_paused()

    def check_terminal(self, fileno: int) -> None:
        """Called every second: stop when the terminal has gone (closed, hung up).

        Textual 8.2.8's input thread then reads end-of-file again and again, at full CPU, for a
        kiosk that is on no screen any more; stopped, it is started again by systemd.
        """
        if not os.isatty(fileno):
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
            if self.live.pending is not None:
                self.action_reset()  # but new content can go live now
            return
        self.push_screen(
            screens.IdleWarningScreen(self.settings.kiosk.idle_warning_seconds, self.content),
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
        self.pool.screens_closed(popped)
        return popped

    def action_open_area(self, area: str) -> None:
        """Open a main area from anywhere (keys 1, 2, 3 and H, and the welcome buttons).

        Help opened from the self-check goes *over* it: the visitor can read the help lines
        and come back, with Back, to the same question with their answers. Every other way
        out of the self-check (another area, Home, Hide, the idle reset) still drops it.
        """
        name = AREAS.get(area)
        if name is None or not isinstance(self.screen, KioskScreen):
            return  # unknown area, or a dialog (idle warning, PIN) is on top
        if self._help_over_self_check(area):
            return
        if isinstance(self.screen, screen_class(name)) and len(self.screen_stack) == 3:
            return  # already at the start of that area
        kept = self.pool.kept_if_made(area, self.language)
        if kept is not None and kept in self.screen_stack:
            # The area's kept screen is under the one on top (e.g. Compare under side by side):
            # go down to it rather than pop it and push it again in one step.
            while self.screen is not kept:
                self.pop_screen()
            kept.start_again()
            return
        self._drop_to_welcome()
        self.push_screen(self._area_screen(area))

    def _help_over_self_check(self, area: str) -> bool:
        """Help asked for in the self-check (shown over the question, by the self-check
        itself), or the self-check asked for while its help shows: handled here (True)."""
        screen = self.screen
        if not isinstance(screen, screens.SelfCheckScreen):
            return False
        if area == "help":
            screen.show_help()
            return True
        if area == "selfcheck" and screen.help_shown:
            screen.hide_help()  # back to the visitor's own question, answers and all
            return True
        return False

    def _area_screen(self, area: str) -> KioskScreen:
        """The screen that opens ``area``: the kept one set back to its start, or a new one."""
        if area == "selfcheck":
            return self.pool.take_self_check(self.language)
        if area not in KEPT_SCREENS:
            return screen_class(AREAS[area])()
        screen = self.pool.kept(area, self.language)
        if screen.is_mounted:
            screen.start_again()
        return screen

    @property
    def has_speech(self) -> bool:
        """Whether Read aloud can speak (kiosk.toml enables it and espeak-ng is there)."""
        return self.speaker is not None

    def kept_screen(self, name: str, language: str | None = None) -> KioskScreen:
        """The kept screen ``name`` (see :data:`~kiosk.parts.screen_pool.KEPT_SCREENS`) in
        ``language`` (default: the visitor's)."""
        return self.pool.kept(name, language or self.language)

    @property
    def spare_self_check(self) -> SelfCheckScreen | None:
        """The self-check built ahead for the next visitor, if there is one."""
        return self.pool.spare

    def action_home(self) -> None:
        """Home: back to the welcome screen (an open self-check and its answers are dropped)."""
        if isinstance(self.screen, KioskScreen):
            self._drop_to_welcome()

    async def action_back(self) -> None:
        """Escape / Back: one step back; at the welcome screen, nothing happens.

        (Async, as Textual's own ``App.action_back`` which this replaces.)"""
        screen = self.screen
        if not isinstance(screen, KioskScreen | screens.StaffScreen):
            return
        if isinstance(screen, KioskScreen) and screen.go_back():
            return
        if len(self.screen_stack) > 2:
            self.pop_screen()
            self.pool.screens_closed([screen])

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
            if isinstance(self.screen, KioskScreen):
                self.screen.reading_aloud = False
            return
        screen = self.screen
        if isinstance(screen, KioskScreen):
            self.say(screen.speech_text(self.settings.speech.private_audio))
            screen.reading_aloud = True

    def say(self, text: str) -> None:
        """Speak ``text`` now, in the visitor's language, as a person would say it: phone numbers
        digit by digit, "24/7" in words (:mod:`kiosk.rules.spoken`). Nothing without speech."""
        if self.speaker is None:
            return
        content = self.content
        numbers = [content.help.clinic_phone, *(line.number for line in content.help.more_lines)]
        try:
            self.speaker.speak(speech_text(text, content.ui.spoken_as, numbers), self.language)
        except SpeechUnavailable as error:
            self._speech_failed(str(error))

    def _speech_failed(self, why: str) -> None:
        """espeak-ng is gone or broken: speech off, its buttons hidden, staff told once."""
        log_line(f"{why}; read-aloud is off until the kiosk restarts")
        self.speaker = None
        for screen in [*self.screen_stack, *self.pool.all_kept()]:
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
        pending = self.live.take_pending()
        if pending is not None:
            self._take_new_content(pending)
            build_new = True
        if self.speaker is not None:
            self.speaker.stop()
        self.language = self.settings.kiosk.default_language
        self.theme = self.settings.kiosk.theme
        self._replace_all_screens(notice, new_welcome=build_new, forget_kept=build_new)
        self.pool.start_all_again()
        if pending is not None and not notice and self.pool.build_ahead:
            # New content: build its screens ahead again. Not after an error: a screen that
            # fails as it is built would fail again and again.
            self.call_later(self.pool.start_building)
        # Textual draws on the alternate screen, but a terminal may still keep scrollback;
        # ESC [3J erases it so nothing scrolled off can be scrolled back into view.
        write_to_terminal(self, "\x1b[3J")
        self.note_activity()

    def _take_new_content(self, loaded: Loaded) -> None:
        self.settings, self.library = loaded.settings, loaded.library
        self.idle.idle_seconds = loaded.settings.kiosk.idle_seconds
        self.pin_gate.pin_hash = loaded.settings.staff.pin_hash
        log_line("new content is now showing")

    def _replace_all_screens(
        self, notice: str = "", *, new_welcome: bool, forget_kept: bool = False
    ) -> None:
        """Drop to the welcome screen, and reuse it unless ``new_welcome`` (or the language
        changed); with ``forget_kept``, discard every kept screen too."""
        popped = self._drop_to_welcome()
        if forget_kept:
            self.pool.forget_all(popped)
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

    # -- live content -------------------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Poll the content folder and kiosk.toml; load them again if staff saved a change."""
        if self.live.changed():
            self.reload_content()

    @work(thread=True, exclusive=True, group="reload")
    def reload_content(self) -> None:
        """Validate the saved content in a thread; switch to it at the next reset."""
        result = self.live.load()
        self.call_from_thread(self.content_loaded, result)

    def content_loaded(self, result: Loaded | Refused) -> None:
        """A reload finished: keep its result, and show good content now if nobody is using
        the kiosk."""
        self.live.loaded(result)
        if isinstance(self.screen, screens.StaffScreen):
            self.screen.show_status(self._staff_status())
        if isinstance(result, Refused):
            log_problems(
                f"content change NOT used ({len(result.problems)} problem(s)); "
                "the last good stays on:",
                result.problems,
            )
        elif isinstance(self.screen, WelcomeScreen) and not self._has_visitor_state():
            self.action_reset()  # nobody is using the kiosk: show the new content now
        else:
            log_line("content change validated; it will show after the next reset")

    # -- crash safety -------------------------------------------------------------------------

    def on_handler_error(self, error: Exception) -> bool:
        """In kiosk mode: one answer-free line for staff, then a fresh start for the visitor.

        Textual's own handler prints a traceback with local variables (which could hold a
        visitor's answers) and exits; here the screen that failed is replaced instead. If errors
        repeat, the kiosk exits with an error and systemd starts it again.
        """
        if not self.kiosk_mode:
            return False
        self._crashed(describe_error(error))
        return True

    def panic(self, *renderables: RenderableType) -> None:
        """In kiosk mode: as :meth:`on_handler_error`, never a report on the screen.

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
        if self.crashes.record():
            log_line("too many errors; exiting so that the service restarts the kiosk")
            self.exit(return_code=1)
            return
        self.call_later(self._recover)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action; in kiosk mode an error inside it restarts the kiosk calmly.

        Key bindings run their actions in the app's own message loop: an error left to Textual
        would end that loop and with it the kiosk. (Textual 8.2.8's signature, ``namespaces``
        included: ``Widget.run_action`` passes it.)
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            if not self.kiosk_mode:
                raise
            self.on_handler_error(error)
            return True

    def _recover(self) -> None:
        self.action_reset(
            notice=self.library.get(self.settings.kiosk.default_language).ui.error_message
        )


if TYPE_CHECKING:
    # The app is what its screens may ask of it (mypy checks this line, nothing runs it).
    _SCREENS_GET: type[KioskServices] = KioskApp
