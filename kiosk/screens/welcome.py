"""The welcome screen: the three main areas, help, language and theme."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from kiosk.screens.base import KioskScreen
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
                    )
                    yield Static(hint, markup=False, classes="area-hint")
            with Horizontal(id="welcome-options", classes="button-row"):
                yield KioskButton(ui.help_button, id="open-help", action="app.open_area('help')")
                for language, content in self.kiosk.library.languages.items():
                    if language != self.language:
                        yield KioskButton(
                            content.ui.language_name,
                            id=f"language-{language}",
                            action=f"app.set_language('{language}')",
                        )
                yield KioskButton(
                    self._contrast_label(), id="toggle-contrast", action="app.toggle_contrast"
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

    def _contrast_label(self) -> str:
        """The contrast button names the theme it switches to."""
        ui = self.content.ui
        high = self.kiosk.theme == HIGH_CONTRAST
        return ui.normal_contrast_button if high else ui.high_contrast_button

    def show_contrast_choice(self) -> None:
        """Update the contrast button after the theme changed."""
        button = self.query_one("#toggle-contrast", KioskButton)
        label = self._contrast_label()
        if button.plain_label != label:  # a new label costs a layout; skip it when unchanged
            button.set_label(label)

    def first_focus(self) -> Widget:
        # Keyboard users start on the first choice; Enter opens it.
        return self.query_one("#open-learn")

    def on_mount(self) -> None:
        self.take_first_focus()

    def start_again(self) -> None:
        """Reused after Start over: the contrast choice follows the theme, focus on Learn."""
        self.show_contrast_choice()
        super().start_again()
