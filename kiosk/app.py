"""KioskApp: screen wiring, the main-area keys, language, theme and reset.

The screen stack is always ``[Textual's default screen, WelcomeScreen, …]``. Opening an area
from anywhere first drops every screen above the welcome screen, so at most one area's screens
exist at a time and leaving the self-check always destroys its answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from kiosk.config import Settings
from kiosk.content import Content, ContentLibrary
from kiosk.screens.base import KioskScreen
from kiosk.screens.compare import CompareScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.learn import LearnScreen
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.themes import THEMES

#: The screen class that opens each main area.
AREAS: dict[str, type[KioskScreen]] = {
    "learn": LearnScreen,
    "compare": CompareScreen,
    "selfcheck": SelfCheckScreen,
    "help": HelpScreen,
}


class KioskApp(App[None], inherit_bindings=False):
    """The waiting-room kiosk.

    ``inherit_bindings=False`` drops Textual's ctrl+q / ctrl+c quit bindings: visitors must not
    be able to leave the kiosk.
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
    ]

    def __init__(self, settings: Settings, library: ContentLibrary) -> None:
        super().__init__()
        self.settings = settings
        self.library = library
        self.language = settings.kiosk.default_language
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = settings.kiosk.theme
        self.animation_level = "none"

    @property
    def content(self) -> Content:
        """The content in the visitor's current language."""
        return self.library.get(self.language)

    @property
    def content_dir(self) -> Path:
        """The folder the content was loaded from."""
        return self.library.folder

    def on_mount(self) -> None:
        self.push_screen(WelcomeScreen())

    # -- navigation ---------------------------------------------------------------------------

    def _drop_to_welcome(self) -> None:
        """Pop every screen above the welcome screen (screen objects are discarded)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_open_area(self, area: str) -> None:
        """Open a main area from anywhere (keys 1, 2, 3 and H, and the welcome buttons)."""
        screen_class = AREAS.get(area)
        if screen_class is None:
            return
        if isinstance(self.screen, screen_class) and len(self.screen_stack) == 3:
            return  # already at the start of that area
        self._drop_to_welcome()
        self.push_screen(screen_class())

    def action_home(self) -> None:
        """Home: back to the welcome screen (an open self-check and its answers are dropped)."""
        self._drop_to_welcome()

    def action_back(self) -> None:
        """Escape / Back: one step back; at the welcome screen, nothing happens."""
        screen = self.screen
        if isinstance(screen, KioskScreen) and screen.go_back():
            return
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_set_language(self, language: str) -> None:
        """Switch the visitor's language and start again from the welcome screen."""
        if language in self.library.languages:
            self.language = language
            self._replace_all_screens()

    def action_reset(self) -> None:
        """Start over: default language and theme, fresh screens, nothing kept."""
        self.language = self.settings.kiosk.default_language
        self.theme = self.settings.kiosk.theme
        self._replace_all_screens()

    def _replace_all_screens(self) -> None:
        self._drop_to_welcome()
        self.switch_screen(WelcomeScreen())
