"""The list of languages: every language of the content, each named in itself.

Opened by the welcome screen's Language button or the L key. One big button per language,
in the order of ``[kiosk] languages`` in kiosk.toml, each labelled with that language's own
``language_name`` (English, Español, Tiếng Việt, Русский, 中文), so a visitor finds their
language without reading the one on screen. Picking one starts again from the welcome screen
in that language; a reset returns to the default language.

Read aloud says each name in its own language's voice (:meth:`LanguageScreen.speech_parts`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widget import Widget

from kiosk.screens.base import KioskScreen
from kiosk.widgets import KioskButton

#: Drawn before the language on screen now (by shape, not colour alone).
CURRENT_MARK = "✔ "


class LanguageScreen(KioskScreen):
    """A button for every language; the visitor's current one marked with a tick."""

    AREA = "language"

    # The list's own layout, kept with it: two columns of equal, finger-sized buttons (five
    # languages fit an 80x24 screen without scrolling), one column on a narrow screen.
    CSS = """
    #language-grid {
        layout: grid;
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: 3;
        grid-gutter: 1 2;
        height: auto;
        max-width: 100;
        padding: 1 1 0 1;
    }
    LanguageScreen.-narrow #language-grid {
        grid-size: 1;
        grid-columns: 1fr;
    }
    #language-grid KioskButton {
        width: 100%;
        margin: 0;
    }
    """

    def screen_title(self) -> str:
        return self.content.ui.language_title

    def languages(self) -> list[str]:
        """The languages to offer, in kiosk.toml's order."""
        return self.kiosk.settings.kiosk.language_order(self.kiosk.library.languages)

    def compose_body(self) -> ComposeResult:
        library = self.kiosk.library
        with Horizontal(classes="paged"):
            with (
                VerticalScroll(id="language-list", classes="body"),
                Grid(id="language-grid"),
            ):
                for language in self.languages():
                    name = library.get(language).ui.language_name
                    mark = CURRENT_MARK if language == self.language else ""
                    yield KioskButton(
                        f"{mark}{name}",
                        id=f"language-{language}",
                        classes="language-choice",
                        action=f"app.set_language('{language}')",
                    )
            yield self.page_buttons()

    def first_focus(self) -> Widget:
        # Keyboard users start on the language on screen now: Enter keeps it.
        return self.query_one(f"#language-{self.language}")

    def on_mount(self) -> None:
        super().on_mount()
        self.take_first_focus()

    def speech_text(self, private_audio: bool) -> str:
        return "\n".join(text for text, _ in self.speech_parts())

    def label_language(self, widget: Widget) -> str | None:
        """The language a button's label is written in (for the audio guide, which says a
        focused button's label: each language's name in its own voice), or None for the
        buttons in the visitor's language."""
        widget_id = widget.id or ""
        language = widget_id.removeprefix("language-")
        if widget_id.startswith("language-") and language in self.kiosk.library.languages:
            return language
        return None

    def speech_parts(self) -> list[tuple[str, str]]:
        """What read-aloud says, as (text, language): the title in the visitor's language,
        then each language's name in that language, to be said in its own voice."""
        library = self.kiosk.library
        parts = [(self.content.ui.language_title, self.language)]
        parts += [(library.get(code).ui.language_name, code) for code in self.languages()]
        return parts
