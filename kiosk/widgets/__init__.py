"""Reusable pieces of the kiosk's screens."""

from kiosk.widgets.buttons import KioskButton, PageButton
from kiosk.widgets.help_bar import HelpBar, KeysHint

__all__ = ["HelpBar", "KeysHint", "KioskButton", "PageButton"]
