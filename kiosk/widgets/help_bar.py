"""The help line, visible at the foot of every screen, and the line of shortcut keys."""

from __future__ import annotations

from textual import events
from textual.widgets import Static


class HelpBar(Static):
    """The clinic's phone line: "Call (425) 629-0433 · 24/7 · or ask the front desk"."""

    DEFAULT_CSS = """
    HelpBar {
        width: 100%;
        height: auto;
        padding: 0 1;
        text-align: center;
        text-style: bold;
        background: $kiosk-bar-background;
        color: $kiosk-bar-foreground;
    }
    """


class KeysHint(Static):
    """The shortcut keys of the kiosk, shown on screen so nobody has to guess them.

    ``more``: keys shown after them (R and the audio guide's key, where the kiosk has speech):
    on the same line where it fits, else on a line of their own, never broken in the middle.
    """

    DEFAULT_CSS = """
    KeysHint {
        width: 100%;
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, keys: str, more: str = "", *, id: str | None = None) -> None:
        super().__init__(keys, markup=False, id=id)
        self.keys = keys
        self.more = more

    def on_resize(self, event: events.Resize) -> None:
        if not self.more:
            return
        one_line = f"{self.keys} · {self.more}"
        room = event.size.width  # the content width: padding is outside it
        text = one_line if len(one_line) <= room else f"{self.keys}\n{self.more}"
        if str(self.content) != text:
            self.update(text)
