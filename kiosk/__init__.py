"""A private, accessible waiting-room kiosk about intensive outpatient treatment (IOP)."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

__version__ = "1.0.0"

#: The most frames a second Textual may draw (``TEXTUAL_FPS``; Textual's default is 60).
#: Textual draws a frame only when something changed, so this costs nothing while the screen is
#: still. But an input that needs a second frame (a tap: the focus moves on the press, the
#: choice changes on the click) gets it on Textual's next tick, which at 60 comes 17 to 33 ms
#: after the first frame; at 120, 8 to 17 ms.
FRAMES_PER_SECOND = 120


def set_frame_rate(environ: MutableMapping[str, str] | None = None) -> None:
    """Let Textual draw up to :data:`FRAMES_PER_SECOND` frames a second. Textual reads the
    setting when it is imported: call this before (``kiosk run`` does, and the benchmarks)."""
    (os.environ if environ is None else environ)["TEXTUAL_FPS"] = str(FRAMES_PER_SECOND)
