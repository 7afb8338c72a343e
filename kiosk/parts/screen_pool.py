"""Screens kept and built ahead, off screen, so that opening one takes a single frame.

Building a screen takes 50-100 ms; showing one that exists takes a frame. So:

* **Kept screens** (:data:`KEPT_SCREENS`: Learn, Compare with its side-by-side and pros-and-cons
  views, Help) are built once for every language, off screen, after the first frame, and shown
  again later. They hold nothing a visitor typed or answered, and every entry and every reset
  sets them back to how a new one starts (:meth:`KioskScreen.start_again`: first tab, nothing
  picked, scrolled to the top). Each language's five cost about 11 MB (measured with the five
  shipped languages: 103 MB after building, against 69 MB with two) and 0.5-1.3 s of
  background work after the first frame, the visitor's language first. Paid once, so memory
  stays flat over weeks and a screen opens in one frame in any language.
* **The self-check is never kept.** Each visitor gets a new one: a *spare* is built ahead while
  nobody uses the kiosk, taken when a visitor opens the self-check
  (:meth:`ScreenPool.take_self_check`), and discarded with the answers when they leave it
  (:meth:`ScreenPool.screens_closed`), which starts building the next spare.

Building off screen uses Textual's private API (:mod:`kiosk.textual_internals`): Textual has
none for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from kiosk import screens
from kiosk.parts.collector import CollectorPolicy
from kiosk.textual_internals import (
    fill_line_caches,
    forget_screens_drawn_behind,
    lay_out,
    mount_off_screen,
)

if TYPE_CHECKING:
    from kiosk.screens.base import KioskScreen
    from kiosk.screens.selfcheck import SelfCheckScreen

#: Every kept screen by name, and its class in :mod:`kiosk.screens` (imported when first used).
KEPT_SCREENS: dict[str, str] = {
    "learn": "LearnScreen",
    "compare": "CompareScreen",
    "help": "HelpScreen",
    "side-by-side": "SideBySideScreen",
    "option": "OptionScreen",
}


def screen_class(name: str) -> type[KioskScreen]:
    """The screen class called ``name`` in :mod:`kiosk.screens` (imported on first use)."""
    found: type[KioskScreen] = getattr(screens, name)
    return found


class ScreenPool:
    """The kept screens by (language, name), and the spare self-check.

    ``build_ahead`` False (tests, the preview) builds each screen when it is first asked for.
    ``languages`` gives the languages to build for, the visitor's first.
    """

    def __init__(
        self,
        app: App[Any],
        *,
        languages: Callable[[], Sequence[str]],
        build_ahead: bool,
        collector: CollectorPolicy,
    ) -> None:
        self.app = app
        self.languages = languages
        self.build_ahead = build_ahead
        self.collector = collector
        self._kept: dict[tuple[str, str], KioskScreen] = {}
        #: A self-check built ahead for the next visitor, never shown yet.
        self._spare: SelfCheckScreen | None = None
        #: Held by the one builder at work.
        self._building = asyncio.Lock()

    # -- asking for screens -----------------------------------------------------------------

    def kept(self, name: str, language: str) -> KioskScreen:
        """The kept screen ``name`` in ``language``, made (and installed) the first time."""
        key = (language, name)
        screen = self._kept.get(key)
        if screen is None:
            screen = self._kept[key] = screen_class(KEPT_SCREENS[name])()
            screen.language = language
            # Installed, Textual keeps the screen when it is popped instead of removing it.
            self.app.install_screen(screen, f"{name}-{language}")
        return screen

    def kept_if_made(self, name: str, language: str) -> KioskScreen | None:
        """The kept screen ``name`` in ``language`` if it exists already."""
        return self._kept.get((language, name))

    def all_kept(self) -> list[KioskScreen]:
        """Every kept screen that exists, in every language."""
        return list(self._kept.values())

    @property
    def spare(self) -> SelfCheckScreen | None:
        """The self-check built ahead for the next visitor, if there is one."""
        return self._spare

    def take_self_check(self, language: str) -> SelfCheckScreen:
        """A new self-check for the visitor: the spare built ahead, if there is one in their
        language, or a new one.

        Every visitor still gets a self-check nobody used before; building it ahead only moves
        the 50-100 ms of building out of the tap. The next spare is built when the visitor
        leaves this one (:meth:`screens_closed`).
        """
        spare, self._spare = self._spare, None
        if spare is not None:
            # No longer installed: when the visitor leaves it, Textual removes it, answers and all.
            self.app.uninstall_screen(spare)
            if spare.language == language and spare.step < 0:
                # Even if still being built: it is new, and nearly ready. It may be showing one
                # of the views it lays out ahead (the builder stops once it is taken): back to
                # its intro, as a new one starts.
                if spare.is_mounted:
                    spare.start_again()
                return spare
            spare.remove()
        return screens.SelfCheckScreen()

    # -- screens closing, resets --------------------------------------------------------------

    def screens_closed(self, popped: Sequence[Screen[Any]]) -> None:
        """Screens were popped: erase a self-check among them at once, and build the spare for
        the next visitor now, rather than while this visitor was answering."""
        closed = [screen for screen in popped if isinstance(screen, screens.SelfCheckScreen)]
        for self_check in closed:
            self_check.erase_answers()
        if closed:
            # Textual keeps the screens it last drew behind the top one in a context variable:
            # a closed self-check there would be copied into every task started from now on
            # (the builder of the next spare among them) and kept alive by it.
            forget_screens_drawn_behind()
        if closed and self.build_ahead and self._spare is None:
            # Through the app's own queue: the worker's task copies the context it starts in,
            # and a context naming the closing self-check as the active message pump would keep
            # it, answers and all, alive.
            self.app.call_later(self.start_building)

    def start_all_again(self) -> None:
        """Set every kept screen back to its start (a reset): nothing picked or scrolled stays
        behind, even on screens not on show."""
        for screen in self._kept.values():
            if screen.is_mounted:
                screen.start_again()

    def forget_all(self, just_popped: Sequence[Screen[Any]]) -> None:
        """Discard every kept screen and the spare (new content, or recovering from an error).

        Called after every screen above the welcome screen was popped: Textual removes those
        (``just_popped``) itself once they are no longer installed; the others are removed here.
        """
        discarded: list[Screen[Any]] = list(self._kept.values())
        if self._spare is not None:
            discarded.append(self._spare)
        for screen in discarded:
            self.app.uninstall_screen(screen)
            if screen.is_running and screen not in just_popped:
                screen.remove()
        self._kept.clear()
        self._spare = None
        # The collector may free the discarded screens; the rebuilt ones are frozen again.
        self.collector.forget_frozen()

    # -- building ahead -----------------------------------------------------------------------

    def start_building(self) -> None:
        """Build whatever is missing, in a worker (a tap meanwhile waits one step at most)."""
        # Textual 8.2.8's run_worker overloads infer its result type as Never for a coroutine
        # function returning None; the worker runs the coroutine all the same.
        self.app.run_worker(
            self.build_missing,  # type: ignore[arg-type]
            group="prepare",
            exit_on_error=False,
        )

    async def build_missing(self) -> None:
        """Build and lay out, off screen, every kept screen (in every language, the visitor's
        first) that does not exist yet, and a spare self-check.

        Building everything at the start also means the kiosk's memory does not grow later,
        when a visitor first switches language.
        """
        async with self._building:  # one builder at a time; each builds what is missing
            built = False
            for language in self.languages():
                for name in KEPT_SCREENS:
                    if (language, name) not in self._kept:
                        await self._build_off_screen(self.kept(name, language))
                        built = True
            if built or self.collector.freeze_pending:
                # The kept screens live as long as the kiosk, like the start-up objects. (Before
                # the spare, which is not kept.)
                await self._closed_self_checks_removed()
                self.collector.freeze_long_lived()
            if self._spare is None:
                spare = self._spare = screens.SelfCheckScreen()
                # Installed while it waits, so that Textual closes it with the app.
                self.app.install_screen(spare, "selfcheck-spare")
                await self._build_off_screen(spare)

    async def _build_off_screen(self, screen: KioskScreen) -> None:
        """Compose, mount and lay out ``screen`` without showing it.

        This is what push_screen does for a new screen: register it (its widgets are composed
        and mounted in its own task), then lay it out for the current terminal size, twice, so
        that size-dependent handlers (on_resize) have run too; the same for each of its views
        (:meth:`KioskScreen.views_to_prepare`), ending at its start. Showing it later is then
        one frame.
        """
        mounted = asyncio.ensure_future(mount_off_screen(self.app, screen))
        while not mounted.done():
            # A screen removed before it finished mounting never will: stop waiting for it.
            await asyncio.wait([mounted], timeout=0.1)
            if not screen.is_attached:
                mounted.cancel()
                return
        for show_view in [*screen.views_to_prepare(), screen.start_again]:
            if not self._still_off_screen(screen):
                return
            show_view()
            for _ in range(2):
                if not self._still_off_screen(screen):
                    return
                lay_out(screen, self.app.size)
                await self._screen_idle(screen)
            if self._still_off_screen(screen):
                fill_line_caches(screen)

    def _still_off_screen(self, screen: KioskScreen) -> bool:
        """Whether ``screen`` is still waiting off screen: a visitor may have opened it while it
        was being built (then it is theirs, and must not be reset), or a reset discarded it."""
        return screen.is_attached and screen not in self.app.screen_stack

    @staticmethod
    async def _screen_idle(screen: KioskScreen) -> None:
        """Wait until ``screen`` has handled every message queued so far, or is removed (a
        removed screen never gets there, and the builder must not wait for it forever)."""
        idle = asyncio.Event()
        screen.call_after_refresh(idle.set)
        while not idle.is_set() and screen.is_attached:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(idle.wait(), timeout=0.1)

    async def _closed_self_checks_removed(self) -> None:
        """Wait until every closed self-check has been removed: Textual removes a popped screen
        a moment later, in a task of its own, and only then can a collection free it. At most
        a second (a removal never takes that long); then a freeze is simply put off."""
        for _ in range(20):
            closing = [
                screen
                for screen in screens.SelfCheckScreen.in_memory()
                if screen.is_attached and screen not in self.app.screen_stack
            ]
            if not closing:
                return
            del closing  # the list must not keep them alive during the wait
            await asyncio.sleep(0.05)
