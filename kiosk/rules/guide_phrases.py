"""What the audio guide says: phrases built from what a screen shows and what has focus.

The audio guide (:mod:`kiosk.parts.audio_guide`) is for visitors who cannot see the screen.
Each screen describes itself as a :class:`Place` (where the visitor is, what it holds, what
they can do) and each focused control as a :class:`Control`; this module turns them into the
words spoken, in the visitor's language (``ui.yaml`` ``guide:``). The written forms are made
speakable afterwards (:mod:`kiosk.rules.spoken`).

The privacy rule lives here, in one place: a place marked ``private`` (a self-check question
or its result) is described fully only with private audio (headphones). Without it, the guide
says once that the self-check needs headphones and offers the help lines, then names only
where the visitor is ("Question 2 of 7"), never a question's answer, the answer given, or the
result.

Pure: no I/O, no Textual, nothing kept between calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kiosk.content.model import UiText

#: The kinds of control the guide names.
ControlKind = Literal["button", "tab", "option", "text_area"]


@dataclass(frozen=True, slots=True)
class Control:
    """The focused control: its kind, its label, its state, and its place in the focus order."""

    kind: ControlKind
    label: str
    #: 1-based position among the screen's buttons in focus order, and how many there are
    #: (0 for a text area: it is not one of the buttons).
    number: int
    total: int
    #: A state worth saying ("selected"), or "".
    state: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """Where the visitor is, as a screen describes itself to the guide.

    Two places are the same place when they are equal: the guide speaks when the place changes
    (a new screen, a new tab, the next question), and otherwise only the focus.
    """

    #: The screen's title ("Learn about IOP").
    where: str
    #: What it holds, read on arrival ("Tab 1 of 8, What is IOP?"; a question's text).
    detail: tuple[str, ...] = ()
    #: What the visitor can do here.
    keys: str = ""
    #: Holds, or is built from, a visitor's answers: said in full only with private audio.
    private: bool = False
    #: Said instead of ``detail`` and ``keys`` where others could hear (no answer in it).
    public_detail: tuple[str, ...] = ()
    #: Whether ``detail`` already says what has focus (no focus phrase on arrival).
    describes_focus: bool = False
    #: With ``describes_focus``: the label of the control focus goes to (its landing there,
    #: if it comes a moment later, is not said again).
    focus_label: str = ""
    #: The answer just given (its label), confirmed first; where others could hear, only
    #: that an answer was taken.
    answered: str = ""
    #: Arrived here with Back.
    came_back: bool = False
    #: A part of the self-check (the first place in it says that headphones are needed).
    self_check: bool = False


def focus_phrase(ui: UiText, control: Control) -> str:
    """ "Button, Compare options, 2 of 7"; with a state: "Option, IOP, selected, 1 of 13"."""
    guide = ui.guide
    kind = getattr(guide, control.kind)
    position = ""
    if control.number:
        position = guide.position.format(number=control.number, total=control.total)
    parts = [kind, _one_line(control.label), control.state, position]
    return ", ".join(part for part in parts if part)


def state_phrase(control: Control) -> str:
    """A focused control whose state changed (an option picked): "IOP, selected"."""
    return ", ".join(part for part in (_one_line(control.label), control.state) if part)


def place_phrase(
    ui: UiText,
    place: Place,
    before: Place | None = None,
    *,
    private_audio: bool,
    headphones_said: bool = True,
) -> str:
    """What is said on arriving at ``place``.

    ``before``: the place the visitor was at on the same screen (None: a new screen). On the
    same screen (a new tab, the next question) the title is not said again, nor the keys if
    they are the same. ``headphones_said``: the guide has already said, in this visit, that
    the self-check needs headphones (said once, the first time a place of the self-check is
    reached without private audio).
    """
    guide = ui.guide
    same_screen = before is not None and before.where == place.where
    lines: list[str] = []
    if place.came_back:
        lines.append(guide.back)
    if place.private and not private_audio:
        # Nothing built from an answer: not the answer, not the question, not the result.
        if place.answered:
            lines.append(ui.answer_taken_spoken)
        if not same_screen:
            lines.append(place.where)
        lines += place.public_detail
    else:
        if place.answered:
            lines.append(guide.answered.format(answer=place.answered))
        if not same_screen:
            lines.append(place.where)
        lines += place.detail
        if not (same_screen and before is not None and before.keys == place.keys):
            lines.append(place.keys)
    if place.self_check and not private_audio and not headphones_said:
        lines.append(guide.headphones_needed)
    return "\n".join(_full_stop(line) for line in lines if line)


def guide_started(ui: UiText, arrival: str) -> str:
    """Said when the guide starts: the guide's keys, then where the visitor is."""
    return "\n".join(part for part in (ui.guide.started, arrival) if part)


def _full_stop(line: str) -> str:
    """One mark at the end of a sentence: "What is IOP?." -> "What is IOP?" (a title that
    ends in a question mark, in a template that adds a full stop)."""
    return re.sub(r"([?!.:])\.(?=\s|$)", r"\1", line)


def _one_line(text: str) -> str:
    """A label that wraps on screen ("IOP\\nShow pros and cons") as one spoken line."""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())
