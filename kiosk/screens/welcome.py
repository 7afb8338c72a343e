"""The welcome screen: the three main areas, help, language and theme."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from kiosk.rules.cells import cell_width
from kiosk.rules.guide_phrases import Place
from kiosk.screens.base import NARROW_WIDTH, KioskScreen
from kiosk.themes import HIGH_CONTRAST
from kiosk.widgets import KioskButton


class WelcomeScreen(KioskScreen):
    """First screen, and the one every reset returns to."""

    SHOW_NAV_BAR = False

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        #: A calm one-line message for the visitor, e.g. after an error ("starting again").
        self.notice = notice

    def compose_body(self) -> ComposeResult:
        ui = self.content.ui
        with VerticalScroll(id="welcome-body", classes="body"):
            if self.notice:
                yield Static(self.notice, markup=False, id="welcome-notice")
            yield Static(ui.welcome_title, markup=False, id="welcome-title")
            yield Static(ui.welcome_intro, markup=False, id="welcome-intro")
            # Said once, plainly, near the top: the kiosk comes from a clinic that sells IOP.
            yield Static(ui.provider_note, markup=False, id="provider-note", classes="note")
            for number, (area, label, hint) in enumerate(
                (
                    ("learn", ui.learn_button, ui.learn_hint),
                    ("compare", ui.compare_button, ui.compare_hint),
                    ("selfcheck", ui.selfcheck_button, ui.selfcheck_hint),
                ),
                start=1,
            ):
                with Horizontal(classes="area-choice"):
                    yield KioskButton(
                        f"{number}  {label}",
                        id=f"open-{area}",
                        classes="area-button",
                        action=f"app.open_area('{area}')",
                        spoken_label=label,  # the welcome keys say the number
                    )
                    yield Static(hint, markup=False, classes="area-hint")
            with Horizontal(id="welcome-options", classes="button-row"):
                yield KioskButton(ui.help_button, id="open-help", action="app.open_area('help')")
                if len(self.kiosk.library.languages) > 1:
                    # One button for every language (the list scales to any number).
                    yield KioskButton(
                        ui.language_button,
                        id="open-language",
                        action="app.choose_language",
                    )
                yield KioskButton(
                    self._contrast_label(), id="toggle-contrast", action="app.toggle_contrast"
                )
                if self.kiosk.is_web:  # only the browser's terminal can be given larger letters
                    yield KioskButton(
                        self._text_size_label(),
                        id="toggle-text-size",
                        action="app.toggle_larger_text",
                    )
                yield KioskButton(ui.hide_button, id="welcome-hide", action="app.hide")
                if self.kiosk.has_speech:
                    yield KioskButton(
                        ui.read_aloud_button, id="read-aloud", action="app.read_aloud"
                    )

    def speech_text(self, private_audio: bool) -> str:
        ui = self.content.ui
        return "\n".join(
            [
                ui.welcome_title,
                ui.welcome_intro,
                ui.provider_note,
                f"1: {ui.learn_button}. {ui.learn_hint}",
                f"2: {ui.compare_button}. {ui.compare_hint}",
                f"3: {ui.selfcheck_button}. {ui.selfcheck_hint}",
                self.content.help.bar_text,
            ]
        )

    def guide_place(self) -> Place:
        ui = self.content.ui
        return Place(ui.welcome_title, keys=ui.guide.welcome_keys)

    def _contrast_label(self) -> str:
        """The contrast button names the theme it switches to."""
        ui = self.content.ui
        high = self.kiosk.theme == HIGH_CONTRAST
        return ui.normal_contrast_button if high else ui.high_contrast_button

    def _text_size_label(self) -> str:
        """The text size button names the size it switches to."""
        ui = self.content.ui
        return ui.normal_text_button if self.kiosk.larger_text else ui.larger_text_button

    def show_text_size_choice(self) -> None:
        """Update the text size button after the size changed (or a reset)."""
        for button in self.query("#toggle-text-size").results(KioskButton):
            label = self._text_size_label()
            if button.plain_label != label:
                button.set_label(label)

    def show_contrast_choice(self) -> None:
        """Update the contrast button after the theme changed."""
        button = self.query_one("#toggle-contrast", KioskButton)
        label = self._contrast_label()
        if button.plain_label != label:  # a new label costs a layout; skip it when unchanged
            button.set_label(label)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        # One row of buttons when they fit, else rows of three (in the browser, Larger text
        # makes five: at 80 columns the last was cut off). Narrow screens have rows of two.
        buttons = self.query("#welcome-options KioskButton").results(KioskButton)
        # Counted in cells: a Chinese label takes two a character.
        needed = sum(max(12, cell_width(button.plain_label) + 8) + 1 for button in buttons) + 2
        self.set_class(event.size.width >= NARROW_WIDTH and needed > event.size.width, "-wrap")

    def first_focus(self) -> Widget:
        # Keyboard users start on the first choice; Enter opens it.
        return self.query_one("#open-learn")

    def on_mount(self) -> None:
        self.take_first_focus()

    def start_again(self) -> None:
        """Reused after Start over: the contrast and text size choices follow the theme and
        the size, focus on Learn."""
        self.show_contrast_choice()
        self.show_text_size_choice()
        super().start_again()
