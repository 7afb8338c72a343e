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
from textual.app import ScreenStackError
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.driver import Driver
from textual.screen import Screen
from textual.timer import Timer

from kiosk import screens
from kiosk.config import Settings
from kiosk.content.model import Content, ContentLibrary
from kiosk.content.yamlsource import Problem
from kiosk.parts.audio_guide import GUIDE_KEY, KEYPAD_ACTIONS, AudioGuide, describe_control
from kiosk.parts.collector import CollectorPolicy
from kiosk.parts.crash_guard import CrashGuard
from kiosk.parts.idle import IDLE_CHECK_SECONDS, IdleWatch
from kiosk.parts.live_content import RELOAD_POLL_SECONDS, LiveContent, Loaded, Refused
from kiosk.parts.lockdown import BLOCKED_ACTIONS, STAFF_KEY, PinGate, PinVerdict, StaffKnock
from kiosk.parts.screen_pool import KEPT_SCREENS, ScreenPool, screen_class
from kiosk.rules.guide_phrases import Place
from kiosk.rules.spoken import speech_text
from kiosk.rules.text_size import text_size_link
from kiosk.screens.base import KioskScreen, KioskServices
from kiosk.screens.welcome import WelcomeScreen
from kiosk.system import watchdog
from kiosk.system.speech import Speaker, SpeechUnavailable, find_espeak
from kiosk.system.staff_log import describe_error, log_line, log_problems
from kiosk.system.state import PinLockoutMemory
from kiosk.textual_internals import (
    ErrorHookApp,
    break_lines_between_cjk_characters,
    set_first_theme,
    terminal_fileno,
    write_to_terminal,
)
from kiosk.themes import CONSOLE_THEMES, HIGH_CONTRAST, NORMAL, SIXTEEN_COLOUR_SYSTEMS, THEMES

# Chinese has no spaces: let lines break between its characters (kiosk/rules/line_breaks.py).
break_lines_between_cjk_characters()

if TYPE_CHECKING:
    from kiosk.screens.selfcheck import SelfCheckScreen
    from kiosk.screens.staff import PinScreen, StaffScreen, StaffStatus

#: How long a new screen must have settled before the audio guide speaks about it (and when it
#: looks again after an input on the same screen); see KioskApp._guide_look.
GUIDE_SETTLE_SECONDS = 0.03
#: Two more looks after an input, this many seconds apart, in case its work came later still
#: (on a busy machine a key can wait in the screen's queue behind a frame); each says only
#: what changed since the last.
GUIDE_LOOKS_AFTER = (0.07, 0.2)

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
        Binding("l", "choose_language", "Language", id="choose-language", show=False),
        Binding("r", "read_aloud", "Read aloud", id="read-aloud", show=False),
        Binding(GUIDE_KEY, "toggle_guide", "Audio guide", id="audio-guide", show=False),
        *(
            Binding(key, action, id=f"guide-{key}", show=False)
            for key, action in KEYPAD_ACTIONS.items()
        ),
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
        if self.speaker is not None:
            self.speaker.voice_for = settings.speech.voice  # kiosk.toml's voice per language
        #: The audio guide (:mod:`kiosk.parts.audio_guide`): off until a visitor presses 5.
        self.guide = AudioGuide(self.say)
        self._guide_pending = False
        self._guide_timer: Timer | None = None
        self._guide_looks_left: list[float] = []
        #: When the screen on top came up (time.monotonic).
        self._screen_since = 0.0
        #: The screen whose text Read aloud is speaking (None: nothing, or not a screen's text).
        self._reading: object | None = None
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
        return sorted(self.language_order(), key=lambda language: language != self.language)

    def language_order(self) -> list[str]:
        """Every language of the content, in the order of kiosk.toml's ``languages``."""
        return self.settings.kiosk.language_order(self.library.languages)

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
        if self.on_sixteen_colours():
            self.use_sixteen_colour_themes()
        self.push_screen(WelcomeScreen())
        self.idle.note_activity()
        # After the first frame, so the welcome screen shows no later for either.
        self.call_after_refresh(self.collector.after_first_frame)
        if self.pool.build_ahead:
            self.call_after_refresh(self.pool.start_building)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_time)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        terminal = terminal_fileno(self)
        if terminal is not None and os.isatty(terminal):
            self.set_interval(IDLE_CHECK_SECONDS, partial(self.check_terminal, terminal))
        if self.live.config_file is not None:
            self.set_interval(RELOAD_POLL_SECONDS, self.check_for_changes)
        # Under systemd (Type=notify): READY=1 after the first frame, WATCHDOG=1 from this loop.
        self.notifier = watchdog.start(self)

    def on_sixteen_colours(self) -> bool:
        """Whether the kiosk draws on a terminal of 16 colours (the Linux text console, where
        ``TERM=linux``). Never for pictures (headless) or the browser (xterm.js has them all)."""
        return (
            not self.is_headless
            and not self.is_web
            and self.console.color_system in SIXTEEN_COLOUR_SYSTEMS
        )

    def use_sixteen_colour_themes(self) -> None:
        """Both themes, under their own names, made of the 16 standard colours only
        (:data:`kiosk.themes.CONSOLE_THEMES`: the truecolor ones are grey on grey there)."""
        for theme in CONSOLE_THEMES:
            self.register_theme(theme)
        self.refresh_css(animate=False)

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
        if isinstance(event, events.Key) and self.speaker is not None:
            self._key_for_guide(event)
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
            or self.larger_text
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

    def action_choose_language(self) -> None:
        """The list of languages (L, or the welcome screen's Language button). Not in the
        self-check: choosing a language starts again, and would drop the visitor's answers
        without their asking."""
        screen = self.screen
        if len(self.library.languages) < 2 or not isinstance(screen, KioskScreen):
            return  # one language, or a dialog (idle warning, PIN) is on top
        if isinstance(screen, screens.LanguageScreen | screens.SelfCheckScreen):
            return
        self.push_screen(screens.LanguageScreen())

    def action_set_language(self, language: str) -> None:
        """Switch the visitor's language and start again from the welcome screen."""
        if language == self.language:
            self._drop_to_welcome()  # the same language: nothing to build again
        elif language in self.library.languages:
            self.language = language
            self._replace_all_screens(new_welcome=True)

    def action_toggle_contrast(self) -> None:
        """Switch between the normal and the high-contrast theme (reset restores the default)."""
        self.theme = NORMAL if self.theme == HIGH_CONTRAST else HIGH_CONTRAST
        if isinstance(self.screen, WelcomeScreen):
            self.screen.show_contrast_choice()

    #: Whether the visitor chose "Larger text" (the browser kiosk only; a reset undoes it).
    larger_text: bool = False

    def action_toggle_larger_text(self) -> None:
        """Larger text, or normal text again (the browser kiosk's button on the welcome
        screen). The page raises its terminal's font so that a capital H subtends 0.7° on the
        screen in ``[screen]``, and the kiosk re-flows to the fewer, larger cells. A terminal
        the kiosk cannot resize has no such button (deploy/README.md: choosing a font)."""
        if self.is_web:
            self._set_larger_text(not self.larger_text)
            if isinstance(self.screen, WelcomeScreen):
                self.screen.show_text_size_choice()

    def _set_larger_text(self, larger: bool) -> None:
        self.larger_text = larger
        # Through Textual's own "open this link" message, which kiosk serve turns into a
        # message to the page (and which never opens anything).
        self.open_url(text_size_link(larger), new_tab=False)

    def action_read_aloud(self) -> None:
        """Read the screen aloud (R or the button); pressed while speaking, stop."""
        if self.speaker is None:
            return
        screen = self.screen
        if self.speaker.speaking and self._reading is screen and not self.guide.on:
            self.speaker.stop()
            self._reading = None
            if isinstance(screen, KioskScreen):
                screen.reading_aloud = False
            return
        if isinstance(screen, screens.LanguageScreen):
            # Each language's name in its own voice (one SSML utterance).
            self.say_in_languages(screen.speech_parts())
            self._reading = screen
            screen.reading_aloud = True
        elif isinstance(screen, KioskScreen):
            text = screen.speech_text(self.settings.speech.private_audio)
            # With the guide on, the repeat key may say it again; off, it is not kept (a
            # self-check's words must not outlive it).
            (self.guide.say if self.guide.on else self.say)(text)
            self._reading = screen
            screen.reading_aloud = True

    def say_in_languages(self, parts: list[tuple[str, str]]) -> None:
        """Speak each ``(text, language)`` of ``parts`` in that language's voice (the list
        of languages: each name in its own voice). Nothing without speech."""
        if self.speaker is None:
            return
        voices = [
            (
                speech_text(text, self.library.get(language).ui.spoken_as, []),
                self.settings.speech.voice(language),
            )
            for text, language in parts
        ]
        try:
            self.speaker.speak_parts(voices)
        except SpeechUnavailable as error:
            self._speech_failed(str(error))

    def say(self, text: str) -> None:
        """Speak ``text`` now, in the visitor's language, as a person would say it: phone numbers
        digit by digit, "24/7" in words (:mod:`kiosk.rules.spoken`). Nothing without speech."""
        if self.speaker is None:
            return
        self._reading = None  # new words: not (or no longer) a screen's text read aloud
        content = self.content
        numbers = [content.help.clinic_phone, *(line.number for line in content.help.more_lines)]
        try:
            self.speaker.speak(speech_text(text, content.ui.spoken_as, numbers), self.language)
        except SpeechUnavailable as error:
            self._speech_failed(str(error))

    # -- the audio guide ----------------------------------------------------------------------

    def _key_for_guide(self, event: events.Key) -> None:
        """Any key: the guide looks at the screen once the key has done its work; with the
        guide off, a key on the welcome screen offers it (once a visit)."""
        if self.guide.on:
            # Not at once: the key's work is not done yet (and focus moves a message later).
            # A focus move is said as it happens; anything else once the key has settled.
            self._guide_settle_later()
        elif (
            isinstance(self.screen, WelcomeScreen)
            and event.key not in (GUIDE_KEY, "r")
            and not self.guide.offered
        ):
            self.guide.offer(self.content.ui)

    @property
    def guide_looking(self) -> bool:
        """Whether the guide is about to look at the screen (tests wait for it)."""
        return self._guide_pending or self._guide_timer is not None

    def _guide_soon(self) -> None:
        """Look at the screen for the guide after the next refresh (once, however many events
        ask for it in between)."""
        if self.guide.on and not self._guide_pending:
            self._guide_pending = True
            self.call_after_refresh(self._guide_look)

    def _guide_look(self) -> None:
        """A screen came up (or was focused as it came up): speak once it has settled.

        A key's effects come in steps. A new screen is focused by Textual first, then by the
        screen itself: the guide waits until nothing has changed for
        :data:`GUIDE_SETTLE_SECONDS` and speaks once, about where focus ends. On the same
        screen a focus move is said as it happens (:meth:`on_descendant_focus`); the look
        after a key says what came without one (a button's Pressed message picks an option
        after its frame, an answer keeps focus on Yes).
        """
        self._guide_pending = False
        screen = self._screen_now()
        if screen is not None and not self.guide.is_new_screen(screen):
            self._guide_observe()
        self._guide_settle_later()

    def _guide_settle_later(self) -> None:
        """Look again once nothing has asked for a look for :data:`GUIDE_SETTLE_SECONDS`,
        and after that at :data:`GUIDE_LOOKS_AFTER`."""
        self._guide_looks_left = list(GUIDE_LOOKS_AFTER)
        self._guide_timer_in(GUIDE_SETTLE_SECONDS)

    def _guide_timer_in(self, seconds: float) -> None:
        if self._guide_timer is not None:
            self._guide_timer.stop()
        self._guide_timer = self.set_timer(seconds, self._guide_settled)

    def _guide_settled(self) -> None:
        self._guide_timer = None
        screen = self._screen_now()
        if screen is not None and self.guide.is_new_screen(screen):
            # A screen that came up while the timer ran (a slow one, built on the spot) may
            # not have its own focus yet: give it its settling time too (a screen with
            # nothing to focus is described after a second all the same).
            waited = time.monotonic() - self._screen_since
            if waited < GUIDE_SETTLE_SECONDS or (screen.focused is None and waited < 1.0):
                self._guide_timer_in(max(GUIDE_SETTLE_SECONDS - waited, 0.01))
                return
        self._guide_observe()
        if self._guide_looks_left:
            self._guide_timer_in(self._guide_looks_left.pop(0))

    def _screen_now(self) -> Screen[object] | None:
        """The screen on top; None while the app is closing."""
        try:
            return self.screen
        except ScreenStackError:
            return None

    def _guide_observe(self) -> None:
        screen = self._screen_now()
        if screen is None:
            return
        self.guide.observe(
            self.content.ui,
            screen,
            self._guide_place(screen),
            describe_control(screen, screen.focused),
            private_audio=self.settings.speech.private_audio,
        )

    @staticmethod
    def _guide_place(screen: Screen[object]) -> Place | None:
        """The place a screen describes (visitor screens and the idle warning); else None."""
        if isinstance(screen, KioskScreen | screens.IdleWarningScreen):
            return screen.guide_place()
        return None

    def on_descendant_focus(self) -> None:
        """Focus moved (a key, a tap, a new screen): the guide names the control. On the same
        screen at once (the focus is known now: no need to wait for a frame), then a look
        again once the input has settled; on a new screen once it has settled."""
        screen = self._screen_now()
        if not self.guide.on or screen is None:
            return
        if self.guide.is_new_screen(screen):
            self._guide_soon()
            return
        self._guide_observe()
        self._guide_settle_later()

    def _screen_changed(self, screen: Screen[object]) -> None:
        """A new screen on top: the guide says where the visitor is; read-aloud of the screen
        that went stops (it no longer describes what is shown)."""
        self._screen_since = time.monotonic()
        if self._reading is not None and self._reading is not screen:
            self._reading = None
            if self.speaker is not None and not self.guide.on:
                self.speaker.stop()
        self._guide_soon()

    def action_toggle_guide(self) -> None:
        """5: the audio guide on (its keys, then where the visitor is) or off."""
        if self.speaker is None:
            return
        if self.guide.on:
            self.guide.stop(self.content.ui)
            return
        screen = self.screen
        self.guide.start(
            self.content.ui,
            screen,
            self._guide_place(screen),
            describe_control(screen, screen.focused),
            private_audio=self.settings.speech.private_audio,
        )

    def action_guide_volume(self, steps: int) -> None:
        """+ / -: louder or softer (the guide on)."""
        if self.speaker is not None and self.guide.on:
            guide = self.content.ui.guide
            changed = self.speaker.change_volume(steps)
            self.guide.say(
                guide.limit if not changed else guide.louder if steps > 0 else guide.softer
            )

    def action_guide_rate(self, steps: int) -> None:
        """* and /: faster or slower (the guide on)."""
        if self.speaker is not None and self.guide.on:
            guide = self.content.ui.guide
            changed = self.speaker.change_rate(steps)
            self.guide.say(
                guide.limit if not changed else guide.faster if steps > 0 else guide.slower
            )

    def action_guide_repeat(self) -> None:
        """0: say the last thing again (the guide on)."""
        if self.guide.on and self.guide.last:
            self.say(self.guide.last)

    def action_guide_read_screen(self) -> None:
        """The period key: read the whole screen (the guide on)."""
        screen = self.screen
        if self.guide.on and isinstance(screen, KioskScreen):
            self.guide.say(screen.speech_text(self.settings.speech.private_audio))

    def on_kiosk_screen_read_requested(self) -> None:
        """Enter on an open Learn tab: with the guide on, read the tab."""
        self.action_guide_read_screen()

    def announce(self, text: str) -> None:
        """A screen's own announcement to a visitor who asked for read-aloud (the next
        question): said unless the audio guide is on, which says it its own way."""
        if not self.guide.on:
            self.say(text)

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
            self.speaker.restore()
        self._reading = None
        guide_was_on = self.guide.on
        self.guide.reset()
        self.language = self.settings.kiosk.default_language
        if guide_was_on:
            self.say(self.content.ui.guide.ended)
        self.theme = self.settings.kiosk.theme
        if self.larger_text:
            self._set_larger_text(False)
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
        if self.speaker is not None:
            self.speaker.voice_for = loaded.settings.speech.voice
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
