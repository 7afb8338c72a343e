"""The audio guide: speech for every screen, focus move and answer, for visitors who cannot see.

Started and ended by one key, the same on every screen (:data:`GUIDE_KEY`, "5": the keypad's
middle key, which carries a raised dot; the deployment guide says to mark it). While it is on,
the app tells it after every key, focus change and screen change (:meth:`AudioGuide.observe`)
what the screen is (a :class:`~kiosk.rules.guide_phrases.Place`, from the screen itself) and what
has focus (a :class:`~kiosk.rules.guide_phrases.Control`, from :func:`describe_control`); the
guide answers with the words to say for what changed, built by :mod:`kiosk.rules.guide_phrases`.

While the guide is off, it only offers itself: on the welcome screen, the first key a visitor
presses gets one short spoken line naming the guide's key (:meth:`AudioGuide.offer`). Nothing
else is spoken unless a visitor asks: the lobby is shared.

Everything here lives in memory for one visit; :meth:`AudioGuide.reset` (Hide, the idle reset,
Start over) forgets it, the last words said included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.screen import Screen
from textual.widget import Widget

from kiosk.content.model import UiText
from kiosk.rules.guide_phrases import (
    Control,
    Place,
    focus_phrase,
    guide_started,
    place_phrase,
    state_phrase,
)
from kiosk.widgets import KioskButton

#: The key that starts and ends the guide, on every screen.
GUIDE_KEY = "5"
#: The guide's other keys, all on a numeric keypad: Textual's key name -> the app's action.
KEYPAD_ACTIONS: dict[str, str] = {
    "plus": "guide_volume(1)",
    "minus": "guide_volume(-1)",
    "asterisk": "guide_rate(1)",
    "slash": "guide_rate(-1)",
    "0": "guide_repeat",
    "full_stop": "guide_read_screen",
}


class GuidedScreen(Protocol):
    """A screen that describes itself to the guide (every visitor screen, the idle warning)."""

    def guide_place(self) -> Place:
        """Where the visitor is, and what they can do there."""
        ...


def describe_control(screen: Screen[object], widget: Widget | None) -> Control | None:
    """The focused ``widget`` as the guide names it: kind, label, state, and its position among
    the screen's buttons in focus order (a scrolling text area is said without one)."""
    if widget is None:
        return None
    if not isinstance(widget, KioskButton):
        return Control("text_area", "", 0, 0)
    buttons = [other for other in screen.focus_chain if isinstance(other, KioskButton)]
    number = buttons.index(widget) + 1 if widget in buttons else 0
    return Control(
        widget.GUIDE_KIND, widget.guide_label(), number, len(buttons), widget.guide_state()
    )


class AudioGuide:
    """The guide's state for one visit: on or off, what was last said, where the visitor was."""

    def __init__(self, say: Callable[[str], None]) -> None:
        #: Speaks words (made speakable, in the visitor's language); new words cut old ones.
        self._say = say
        #: The label of the control a place that says what has focus sends focus to, while
        #: focus has not landed there (None: no landing awaited). Focus moves a message after
        #: the view changes, and on a busy machine the guide can look in between: that
        #: landing is the same input, and saying it would cut off the question.
        self._landing: str | None = None
        #: Whether the guide is on.
        self.on = False
        #: Whether the welcome screen's offer has been said this visit.
        self.offered = False
        #: Whether "the self-check needs headphones" has been said this visit.
        self.headphones_said = False
        #: The last words said, for the repeat key (in memory only; erased by a reset).
        self.last = ""
        self._screen_id = 0
        self._place: Place | None = None
        self._control: Control | None = None

    def is_new_screen(self, screen: Screen[object]) -> bool:
        """Whether ``screen`` is not the one the guide last described."""
        return id(screen) != self._screen_id

    def say(self, text: str) -> None:
        """Say ``text`` (cutting what plays) and remember it for the repeat key."""
        self._utter(text)

    def _utter(self, text: str) -> None:
        if text:
            self.last = text
            self._say(text)

    def offer(self, ui: UiText) -> None:
        """Offer the guide, once a visit (a key pressed on the welcome screen, guide off)."""
        if not self.on and not self.offered:
            self.offered = True
            self._say(ui.guide.offer)

    def start(
        self,
        ui: UiText,
        screen: Screen[object],
        place: Place | None,
        control: Control | None,
        *,
        private_audio: bool,
    ) -> None:
        """Turn the guide on: its keys, then where the visitor is and what has focus."""
        self.on = True
        self.offered = True
        self._screen_id = 0  # everything is new to the guide
        self._place = self._control = None
        arrival = self._changes(ui, screen, place, control, private_audio=private_audio)
        self.say(guide_started(ui, arrival))

    def stop(self, ui: UiText) -> None:
        """Turn the guide off, saying so. What it knew of the screen is dropped: a place of the
        self-check holds the visitor's answers."""
        self.on = False
        self.say(ui.guide.ended)
        self._screen_id = 0
        self._place = self._control = None

    def observe(
        self,
        ui: UiText,
        screen: Screen[object],
        place: Place | None,
        control: Control | None,
        *,
        private_audio: bool,
    ) -> None:
        """The screen after an input: say what changed (nothing when nothing did)."""
        if self.on:
            self._utter(self._changes(ui, screen, place, control, private_audio=private_audio))

    def _changes(
        self,
        ui: UiText,
        screen: Screen[object],
        place: Place | None,
        control: Control | None,
        *,
        private_audio: bool,
    ) -> str:
        new_screen = id(screen) != self._screen_id
        old_place, old_control = self._place, self._control
        self._screen_id, self._place, self._control = id(screen), place, control
        if place is None:
            return ""  # a staff screen: nothing for the guide
        words: list[str] = []
        arrived = new_screen or old_place is None or old_place.where != place.where
        if new_screen or place != old_place:
            before = None if new_screen else old_place
            words.append(
                place_phrase(
                    ui,
                    place,
                    before,
                    private_audio=private_audio,
                    headphones_said=self.headphones_said,
                )
            )
            if place.self_check and not private_audio:
                self.headphones_said = True
            if place.describes_focus:
                # Focus may still be on its way (or Textual moved it off a control that was
                # hidden first): its landing, when it comes, is this same input.
                landed = control is not None and control.label == place.focus_label
                self._landing = None if landed else place.focus_label
        if arrived:
            # Where focus lands on arrival is said, unless the place already says it; on a
            # question it may be the answer given before: never said where others hear.
            quiet_focus = place.describes_focus or (place.private and not private_audio)
            if control is not None and not quiet_focus:
                words.append(focus_phrase(ui, control))
        elif control is not None and control != old_control:
            if old_control is not None and (control.kind, control.label, control.number) == (
                old_control.kind,
                old_control.label,
                old_control.number,
            ):
                if control.state != old_control.state:  # the same control, a new state
                    words.append(state_phrase(control))
            elif not (place.describes_focus and (place != old_place or self._landed(control))):
                words.append(focus_phrase(ui, control))
        return "\n".join(word for word in words if word)

    def _landed(self, control: Control) -> bool:
        """Whether this focus move is the awaited landing (the first move after the place was
        said, onto the control it named); no landing is awaited after it either way."""
        landing, self._landing = self._landing, None
        return landing is not None and control.label == landing

    def reset(self) -> None:
        """A new visit: the guide off, nothing remembered."""
        self.on = False
        self.offered = False
        self.headphones_said = False
        self.last = ""
        self._screen_id = 0
        self._place = self._control = None
