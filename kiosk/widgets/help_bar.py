"""The help line, visible at the foot of every screen, and the line of shortcut keys."""

from __future__ import annotations

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
    """The shortcut keys of the kiosk, shown on screen so nobody has to guess them."""

    DEFAULT_CSS = """
    KeysHint {
        width: 100%;
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """
