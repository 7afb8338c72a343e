"""When Python's garbage collector may run: never between a tap and its frame.

With the kept screens and Textual's caches, a full collection takes 20-35 ms, and one landing
between a tap and its frame made the slowest taps (measured: 12 in a latency tour before,
20-36 ms each). So, after the first frame, full collections are made rare (threshold
:data:`FULL_COLLECTION_THRESHOLD` instead of Python's 10) and the kiosk runs one itself when a
visitor pauses (:meth:`CollectorPolicy.visitor_paused`), where it keeps nobody waiting.

Optionally (``freeze=True``) everything alive after start-up, and the kept screens once built,
are also exempted from collection (``gc.freeze``), so that a full collection has less to scan.
A frozen object is never freed, and a self-check screen can only be freed by the collector
(its widgets refer to each other): a self-check caught in a freeze would keep a visitor's
answers for as long as the kiosk runs. So nothing is frozen while a self-check exists
(``self_checks_alive``); the freeze waits for the next chance.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

#: Python runs a full collection after this many collections of its middle generation.
FULL_COLLECTION_THRESHOLD = 100


@contextmanager
def no_collection_while_starting() -> Iterator[None]:
    """No garbage collection while the kiosk starts (``kiosk run`` wraps the whole run in it).

    Start-up makes hundreds of thousands of long-lived objects (Textual, the content models),
    which Python's collector would scan again and again for nothing. The app's
    :meth:`CollectorPolicy.after_first_frame` switches collection back on after its first
    frame; leaving the block switches it on in any case.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class CollectorPolicy:
    """The kiosk's use of the garbage collector (see the module docstring).

    ``enabled`` False (tests, the preview) leaves Python's defaults alone.
    ``self_checks_alive`` lists every self-check screen still in memory.
    """

    def __init__(
        self,
        *,
        enabled: bool,
        freeze: bool,
        self_checks_alive: Callable[[], Sequence[object]],
    ) -> None:
        self.enabled = enabled
        self.freeze = freeze and enabled
        self.self_checks_alive = self_checks_alive
        #: Whether a freeze was put off because a self-check existed.
        self.freeze_pending = False

    def after_first_frame(self) -> None:
        """Start-up is over: rare full collections from now on (and freeze what exists)."""
        if not self.enabled:
            return
        self.freeze_long_lived()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)
        gc.enable()

    def freeze_long_lived(self) -> None:
        """Exempt every object that exists now from collection, unless a self-check exists."""
        if not self.freeze:
            return
        if self.self_checks_alive():
            gc.collect()  # one that was closed and removed is garbage: free it first
        self.freeze_pending = bool(self.self_checks_alive())
        if not self.freeze_pending:
            gc.freeze()

    def forget_frozen(self) -> None:
        """Long-lived objects were discarded (new content, an error): let them be freed."""
        if self.freeze:
            gc.unfreeze()

    def visitor_paused(self) -> None:
        """Nobody is waiting for a frame: a full collection now."""
        if self.enabled:
            gc.collect()
