"""The idle warning: a large countdown and "I'm still here", over whatever the visitor sees."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Digits, Static

from kiosk.content.model import Content
from kiosk.rules.guide_phrases import Place
from kiosk.widgets import HelpBar, KioskButton


class IdleWarningScreen(ModalScreen[bool]):
    """Counts down ``seconds``; any key or tap dismisses it with ``True`` (the visitor stays).

    When the count reaches zero it dismisses with ``False`` and the app resets.
    """

    def __init__(self, seconds: int, content: Content) -> None:
        super().__init__(id="idle-warning")
        self.remaining = seconds
        #: The visitor's language: the warning speaks to them.
        self.content = content
        self._ticker: Timer | None = None
        self._answered = False

    def compose(self) -> ComposeResult:
        ui = self.content.ui
        # The warning covers the whole screen: while the visitor is away, passers-by cannot read
        # what they were looking at. The help line stays, as on every screen.
        with Vertical(id="bottom-bars"):
            yield HelpBar(self.content.help.bar_text, markup=False, id="help-bar")
        with Vertical(id="idle-dialog"):
            yield Static(ui.idle_title, markup=False, id="idle-title")
            yield Digits(str(self.remaining), id="idle-countdown")
            yield Static(self._message(), markup=False, id="idle-message")
            yield KioskButton(ui.idle_button, id="still-here")

    def guide_place(self) -> Place:
        """The warning, for the audio guide."""
        ui = self.content.ui
        return Place(ui.idle_title, (self._message(),), ui.guide.idle_keys)

    def _message(self) -> str:
        return self.content.ui.idle_message.format(seconds=self.remaining)

    def on_mount(self) -> None:
        self.query_one("#still-here").focus()
        self._ticker = self.set_interval(1.0, self.tick)

    def _finish(self, visitor_is_here: bool) -> None:
        # A key can arrive together with its button press: answer only once.
        if self._answered:
            return
        self._answered = True
        if self._ticker is not None:
            self._ticker.stop()
        self.dismiss(visitor_is_here)

    def tick(self) -> None:
        """One second less; at zero, tell the app to reset."""
        self.remaining -= 1
        if self.remaining <= 0:
            self._finish(False)
            return
        self.query_one(Digits).update(str(self.remaining))
        self.query_one("#idle-message", Static).update(self._message())

    # Any key or tap keeps the visitor's place: they are clearly still here.
    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self._finish(True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self._finish(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._finish(True)
