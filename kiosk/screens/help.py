"""The help lines screen: the clinic line and the crisis lines, large."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.screens.base import KioskScreen
from kiosk.widgets.help_lines import HelpLines


class HelpScreen(KioskScreen):
    """Every help line, with the clinic's first.

    ``over_self_check``: shown over a self-check in progress; it then says, first, that the
    visitor's answers are kept and Back returns to their question.
    """

    AREA = "help"

    def __init__(self, *, over_self_check: bool = False) -> None:
        super().__init__()
        self.over_self_check = over_self_check

    def screen_title(self) -> str:
        return self.content.ui.help_title

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="paged"):
            with VerticalScroll(classes="body"):
                if self.over_self_check:
                    yield Static(
                        self.content.ui.help_over_selfcheck_note,
                        markup=False,
                        classes="intro privacy",
                        id="back-to-selfcheck",
                    )
                yield Static(self.content.ui.help_intro, markup=False, classes="intro")
                yield HelpLines(self.content.help)
            yield self.page_buttons()

    def speech_text(self, private_audio: bool) -> str:
        help_text = self.content.help
        lines = [self.content.ui.help_title]
        if self.over_self_check:
            lines.append(self.content.ui.help_over_selfcheck_note)
        lines.append(self.content.ui.help_intro)
        lines.append(
            f"{help_text.clinic_name}: {help_text.clinic_phone}. {help_text.clinic_detail}"
        )
        lines += [f"{line.name}: {line.number}. {line.detail}" for line in help_text.more_lines]
        return "\n".join(lines)
