"""What every visitor screen shares: a title line, the body, the keys line and the help bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from kiosk.content import Content
from kiosk.widgets import HelpBar, KeysHint, KioskButton

if TYPE_CHECKING:
    from kiosk.app import KioskApp


class KioskScreen(Screen[None], inherit_bindings=False):
    """Base of every visitor screen.

    Subclasses implement :meth:`compose_body` and :meth:`screen_title`; the help bar is added
    here so that no screen can forget it. ``inherit_bindings=False`` drops Textual's ctrl+c
    "copy selected text" binding; only focus movement is kept.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab,down", "app.focus_next", "Next", show=False),
        Binding("shift+tab,up", "app.focus_previous", "Previous", show=False),
    ]

    #: Which main area this screen belongs to ("learn", "compare", "selfcheck", "help" or "").
    AREA: ClassVar[str] = ""
    #: The top bar with the title and big Back / Home / Help buttons, for visitors using touch.
    SHOW_NAV_BAR: ClassVar[bool] = True

    @property
    def kiosk(self) -> KioskApp:
        """The running kiosk app, typed."""
        return cast("KioskApp", self.app)

    @property
    def content(self) -> Content:
        """The content in the visitor's current language."""
        return self.kiosk.content

    def screen_title(self) -> str:
        """The line shown at the top of the screen."""
        return ""

    def compose(self) -> ComposeResult:
        with Vertical(id="bottom-bars"):
            yield KeysHint(self.content.ui.keys_hint, markup=False, id="keys-hint")
            yield HelpBar(self.content.help.bar_text, markup=False, id="help-bar")
        if self.SHOW_NAV_BAR:
            ui = self.content.ui
            with Horizontal(id="nav-bar"):
                yield Static(self.screen_title(), markup=False, id="screen-title")
                yield KioskButton(ui.back_button, id="nav-back", action="app.back")
                yield KioskButton(ui.home_button, id="nav-home", action="app.home")
                if self.AREA != "help":
                    yield KioskButton(ui.help_button, id="nav-help", action="app.open_area('help')")
                yield KioskButton(ui.hide_button, id="nav-hide", action="app.hide")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_mouse_down(self) -> None:
        # Taps count as activity for the idle timer (pilot clicks never reach App.on_event).
        self.kiosk.note_activity()

    def go_back(self) -> bool:
        """Handle Escape / Back inside the screen; return False to let the app pop it."""
        return False
