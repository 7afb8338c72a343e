"""The kiosk app's parts: each one behaviour, in a class of its own, wired in by the app.

================  =====================================================================
``lockdown``      what visitors cannot do (Textual's quit, palette, copy …), and the staff
                  knock (F12 three times) and PIN gate that let staff out
``idle``          how long since the last key or tap: the idle warning and reset
``crash_guard``   an error starts the kiosk again calmly; too many in a row end it for
                  systemd to restart
``collector``     when Python's garbage collector may run (never between a tap and its frame)
``live_content``  noticing that staff saved content or settings, and loading them off the
                  event loop
``screen_pool``   screens kept and built ahead, off screen, so that opening one takes a frame
``watchdog``      telling systemd the kiosk is alive
================  =====================================================================

The parts import nothing from :mod:`kiosk.app` and know nothing of each other; the app holds
one of each and calls them. The pure ones (lockdown, idle, crash_guard) are tested without
Textual.
"""
