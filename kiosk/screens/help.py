"""The help lines screen: the clinic line and the crisis lines, large."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.content.model import Content
from kiosk.rules.guide_phrases import Place
from kiosk.screens.base import KioskScreen
from kiosk.widgets.help_lines import HelpLines
from kiosk.widgets.qr_codes import QrCodes


def help_speech(content: Content, *, over_self_check: bool = False) -> str:
    """What read-aloud says for the help lines (on the help screen, or over the self-check)."""
    ui, help_text = content.ui, content.help
    lines = [ui.help_title]
    if over_self_check:
        lines.append(ui.help_over_selfcheck_note)
    lines.append(ui.help_intro)
    lines.append(f"{help_text.clinic_name}: {help_text.clinic_phone}. {help_text.clinic_detail}")
    lines += [f"{line.name}: {line.number}. {line.detail}" for line in help_text.more_lines]
    return "\n".join(lines)


def help_place(content: Content, *, over_self_check: bool = False) -> Place:
    """The help lines, for the audio guide: every line is said on arrival."""
    title, *lines = help_speech(content, over_self_check=over_self_check).splitlines()
    return Place(title, tuple(lines), content.ui.guide.help_keys)


class HelpScreen(KioskScreen):
    """Every help line, with the clinic's first. (In the middle of the self-check the same
    lines show as a view of the self-check screen instead: kiosk.screens.selfcheck.)"""

    AREA = "help"

    def screen_title(self) -> str:
        return self.content.ui.help_title

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="paged"):
            with VerticalScroll(classes="body column"):
                yield Static(self.content.ui.help_intro, markup=False, classes="intro")
                yield HelpLines(self.content.help)
                yield QrCodes(self.content.help, self.content.ui.qr_note)
            yield self.page_buttons()

    def speech_text(self, private_audio: bool) -> str:
        return help_speech(self.content)

    def guide_place(self) -> Place:
        return help_place(self.content)
