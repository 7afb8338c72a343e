"""The help lines screen: the clinic line and the crisis lines, large."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.screens.base import KioskScreen
from kiosk.widgets.help_lines import HelpLines
from kiosk.widgets.qr_codes import QrCodes


class HelpScreen(KioskScreen):
    """Every help line, with the clinic's first."""

    AREA = "help"

    def screen_title(self) -> str:
        return self.content.ui.help_title

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="paged"):
            with VerticalScroll(classes="body"):
                yield Static(self.content.ui.help_intro, markup=False, classes="intro")
                yield HelpLines(self.content.help)
                yield QrCodes(self.content.help, self.content.ui.qr_note)
            yield self.page_buttons()

    def speech_text(self, private_audio: bool) -> str:
        help_text = self.content.help
        lines = [self.content.ui.help_title, self.content.ui.help_intro]
        lines.append(
            f"{help_text.clinic_name}: {help_text.clinic_phone}. {help_text.clinic_detail}"
        )
        lines += [f"{line.name}: {line.number}. {line.detail}" for line in help_text.more_lines]
        return "\n".join(lines)
