"""The help lines screen: the clinic line and the crisis lines, large."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.screens.base import KioskScreen
from kiosk.widgets.help_lines import HelpLines


class HelpScreen(KioskScreen):
    """Every help line, with the clinic's first."""

    AREA = "help"

    def screen_title(self) -> str:
        return self.content.ui.help_title

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="body"):
            yield Static(self.content.ui.help_intro, markup=False, classes="intro")
            yield HelpLines(self.content.help)
