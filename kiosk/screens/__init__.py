"""One module per screen of the kiosk.

The kiosk imports its screens when it first needs them (``kiosk.screens.LearnScreen``), not
when it starts: its first frame shows only the welcome screen, and importing the others takes
about 5 ms of every start. The areas' screens are imported right after that frame, when the
kiosk builds them ahead (:mod:`kiosk.app`); the idle warning and the staff screens when first
shown (or, for the staff screens, at the first Back).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.screens.compare import CompareScreen, OptionScreen, SideBySideScreen
    from kiosk.screens.help import HelpScreen
    from kiosk.screens.idle import IdleWarningScreen
    from kiosk.screens.language import LanguageScreen
    from kiosk.screens.learn import LearnScreen
    from kiosk.screens.selfcheck import SelfCheckScreen
    from kiosk.screens.staff import PinScreen, StaffScreen, StaffStatus

#: Each screen class that is imported on first use, and the module that defines it.
_MODULE_OF = {
    "CompareScreen": "compare",
    "OptionScreen": "compare",
    "SideBySideScreen": "compare",
    "HelpScreen": "help",
    "IdleWarningScreen": "idle",
    "LanguageScreen": "language",
    "LearnScreen": "learn",
    "SelfCheckScreen": "selfcheck",
    "PinScreen": "staff",
    "StaffScreen": "staff",
    "StaffStatus": "staff",
}

__all__ = [
    "CompareScreen",
    "HelpScreen",
    "IdleWarningScreen",
    "LanguageScreen",
    "LearnScreen",
    "OptionScreen",
    "PinScreen",
    "SelfCheckScreen",
    "SideBySideScreen",
    "StaffScreen",
    "StaffStatus",
]


def __getattr__(name: str) -> Any:
    """``kiosk.screens.LearnScreen`` and the like: the class, its module imported now."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
