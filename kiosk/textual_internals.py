"""Every use of Textual's private API, in one place.

Textual is pinned exactly (``textual==8.2.8``, see pyproject.toml) and each name below was
checked against that version. Each entry says what the kiosk needs it for and which public API
is missing. ``tests/test_textual_internals.py`` exercises every one of them, so that an upgrade
of Textual fails there, in one place, with a clear message, rather than silently elsewhere.
"""

from __future__ import annotations

import os
import selectors
from collections.abc import Callable
from typing import TYPE_CHECKING

# Private: Textual's parser of terminal input (keys, mouse reports, escape sequences), and a
# helper of its loop. Needed to run the Linux driver's input loop with a lenient decoder
# (kiosk.terminal); Textual has no public way to choose the decoder's error handling.
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser

if TYPE_CHECKING:
    from textual.drivers.linux_driver import LinuxDriver

#: The Textual version every name here was checked against.
CHECKED_WITH = "8.2.8"


def input_thread_loop(driver: LinuxDriver, decode: Callable[..., str]) -> None:
    """``LinuxDriver.run_input_thread`` of Textual 8.2.8, with the UTF-8 ``decode`` passed in.

    Textual's own creates a strict decoder inside the method, so a single byte that is not
    UTF-8 ends the kiosk's input (see :mod:`kiosk.terminal`). Line for line the same loop
    otherwise: read what is there, parse it into events, hand them to the driver.
    """
    selector = selectors.SelectSelector()
    selector.register(driver.fileno, selectors.EVENT_READ)
    fileno = driver.fileno
    parser = XTermParser(False)
    feed = parser.feed
    tick = parser.tick
    read = os.read

    def process_selector_events(
        selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
    ) -> None:
        for last, (_selector_key, mask) in loop_last(selector_events):
            if mask & selectors.EVENT_READ:
                unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                if not unicode_data:
                    # Only invalid bytes, or end of input (a pipe): nothing to parse.
                    break
                for event in feed(unicode_data):
                    driver.process_message(event)
        for event in tick():
            driver.process_message(event)

    try:
        while not driver.exit_event.is_set():
            process_selector_events(selector.select(0.1))
        selector.unregister(driver.fileno)
        process_selector_events(selector.select(0.1), final=True)
    finally:
        selector.close()
        try:
            for _event in feed(""):
                pass
        except (EOFError, ParseError):
            pass
