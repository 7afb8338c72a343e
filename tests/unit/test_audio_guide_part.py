"""The audio guide's state (kiosk/parts/audio_guide.py), driven by hand: no app, no speech."""

from __future__ import annotations

from typing import cast

import pytest
from textual.screen import Screen

from kiosk.content.model import ContentLibrary, UiText
from kiosk.parts.audio_guide import AudioGuide
from kiosk.rules.guide_phrases import Control, Place

SCREEN = cast(Screen[object], object())  # the guide only tells screens apart
TAB_1 = Place(
    "Learn",
    ("Tab 1 of 8, What is IOP?",),
    "Keys.",
    describes_focus=True,
    focus_label="What is IOP?",
)
TAB_2 = Place(
    "Learn",
    ("Tab 2 of 8, Other options.",),
    "Keys.",
    describes_focus=True,
    focus_label="Other options",
)
FOCUS_1 = Control("tab", "What is IOP?", 5, 15)
FOCUS_2 = Control("tab", "Other options", 6, 15)
FOCUS_3 = Control("tab", "Dual diagnosis", 7, 15)


@pytest.fixture
def ui(library: ContentLibrary) -> UiText:
    return library.get("en").ui


def started(said: list[str], ui: UiText) -> AudioGuide:
    guide = AudioGuide(said.append)
    guide.start(ui, SCREEN, TAB_1, FOCUS_1, private_audio=False)
    said.clear()
    return guide


def test_a_tab_spoken_before_its_focus_lands_is_not_said_twice(ui: UiText) -> None:
    said: list[str] = []
    guide = started(said, ui)
    guide.observe(ui, SCREEN, TAB_2, FOCUS_1, private_audio=False)  # the view, then focus
    guide.observe(ui, SCREEN, TAB_2, FOCUS_2, private_audio=False)  # lands where it said
    assert said == ["Tab 2 of 8, Other options."]
    guide.observe(ui, SCREEN, TAB_2, FOCUS_3, private_audio=False)  # the visitor's Tab
    assert said[-1] == "Tab, Dual diagnosis, 7 of 15"
    guide.observe(ui, SCREEN, TAB_2, FOCUS_2, private_audio=False)  # and back
    assert said[-1] == "Tab, Other options, 6 of 15"


def test_only_a_landing_on_the_named_control_is_absorbed(ui: UiText) -> None:
    said: list[str] = []
    guide = started(said, ui)
    guide.observe(ui, SCREEN, TAB_2, FOCUS_2, private_audio=False)  # both at once
    guide.observe(ui, SCREEN, TAB_2, FOCUS_3, private_audio=False)  # a quick Tab after
    assert said == ["Tab 2 of 8, Other options.", "Tab, Dual diagnosis, 7 of 15"]
    guide.observe(ui, SCREEN, TAB_1, FOCUS_3, private_audio=False)  # focus not there yet
    guide.observe(ui, SCREEN, TAB_1, FOCUS_2, private_audio=False)  # went elsewhere: said
    assert said[-1] == "Tab, Other options, 6 of 15"


def test_off_and_reset_forget_the_visit(ui: UiText) -> None:
    said: list[str] = []
    guide = started(said, ui)
    guide.stop(ui)
    assert said == ["Audio guide off."] and not guide.on
    guide.observe(ui, SCREEN, TAB_2, FOCUS_2, private_audio=False)
    assert said == ["Audio guide off."]  # nothing while off
    guide.reset()
    assert guide.last == "" and not guide.offered
    guide.offer(ui)
    guide.offer(ui)
    assert said[1:] == [ui.guide.offer]  # once a visit
