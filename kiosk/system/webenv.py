"""The child side of ``kiosk serve``: what a kiosk process run for one browser page may keep.

``kiosk run`` in kiosk mode removes every ``TEXTUAL`` / ``TEXTUAL_*`` variable before Textual is
imported, so nobody can switch on devtools, a log file, screenshots or key injection. A kiosk
served by textual-serve (``kiosk run --web``, started by ``kiosk serve``) is told by its parent
how to talk to the browser through three of those variables (see ``AppService._build_environment``
in textual_serve/app_service.py). This module decides which of them survive, and with which
values; everything else is still removed. It imports nothing from Textual on purpose: it runs
before Textual reads its environment.

It also ties the served kiosk's life to its server (:func:`exit_with_parent`): a kiosk whose
server is gone would otherwise keep running, with a visitor's answers in memory, and no browser
could ever close it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from collections.abc import Mapping

#: The only driver a served kiosk may load. ``TEXTUAL_DRIVER`` names a class that Textual
#: imports and runs, so any other value would run someone else's code inside the kiosk.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

#: Colour systems Rich knows; textual-serve sends "truecolor".
COLOR_SYSTEMS = frozenset({"standard", "256", "truecolor", "windows"})


def _is_frame_rate(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1 <= int(value) <= 240


def web_driver_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``TEXTUAL_*`` variables a served kiosk keeps: the web driver, and textual-serve's
    frame rate and colour system when their values are plain settings.

    Debug variables that textual-serve sets in its own debug mode (``TEXTUAL=debug,devtools``,
    ``TEXTUAL_LOG``) and every other ``TEXTUAL_*`` variable are not kept.
    """
    kept = {"TEXTUAL_DRIVER": WEB_DRIVER}
    fps = environ.get("TEXTUAL_FPS", "")
    if _is_frame_rate(fps):
        kept["TEXTUAL_FPS"] = fps
    color_system = environ.get("TEXTUAL_COLOR_SYSTEM", "")
    if color_system in COLOR_SYSTEMS:
        kept["TEXTUAL_COLOR_SYSTEM"] = color_system
    return kept


#: From <linux/prctl.h>.
PR_SET_PDEATHSIG = 1


def exit_with_parent() -> bool:
    """Ask Linux to send this process SIGTERM when its parent (the ``kiosk serve`` server) dies.

    textual-serve ends a page's kiosk by a "quit" message from the server. If the server itself
    is killed, the kiosk's input merely reaches end-of-file and Textual's web driver keeps the
    app running; with this, the kernel sends SIGTERM, which the web driver turns into a normal
    exit. Returns False where this is not available (not Linux).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    # If the server died before this call, no browser was ever connected to this kiosk, so it
    # holds no answers; its first write to the closed pipe ends it.
    result: int = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    return result == 0
