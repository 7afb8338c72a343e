"""The audio guide's phrases (kiosk/rules/guide_phrases.py), apart from any screen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.content.model import ContentLibrary, UiText
from kiosk.rules.guide_phrases import Control, Place, focus_phrase, place_phrase, state_phrase


@pytest.fixture(scope="module")
def ui(library: ContentLibrary) -> UiText:
    return library.get("en").ui


def test_focus_names_kind_label_and_position(ui: UiText) -> None:
    assert focus_phrase(ui, Control("button", "Compare options", 2, 7)) == (
        "Button, Compare options, 2 of 7"
    )
    assert focus_phrase(ui, Control("option", "IOP", 1, 13, "not selected")) == (
        "Option, IOP, not selected, 1 of 13"
    )
    # A label drawn on two lines is said as one; a text area has no position among buttons.
    assert focus_phrase(ui, Control("button", "IOP\nShow pros and cons", 1, 3)) == (
        "Button, IOP, Show pros and cons, 1 of 3"
    )
    assert focus_phrase(ui, Control("text_area", "", 0, 0)) == "Text"
    assert state_phrase(Control("option", "IOP", 1, 13, "selected")) == "IOP, selected"


def test_spanish_words(library: ContentLibrary) -> None:
    ui = library.get("es").ui
    assert focus_phrase(ui, Control("tab", "Otras opciones", 2, 12)) == (
        "Pestaña, Otras opciones, 2 de 12"
    )


def test_arrival_says_where_what_and_keys_and_a_new_tab_only_what_changed(ui: UiText) -> None:
    first = Place("Learn about IOP", ("Tab 1 of 8, What is IOP?.",), "Press Enter to read it.")
    second = Place("Learn about IOP", ("Tab 2 of 8, Other options.",), "Press Enter to read it.")
    assert place_phrase(ui, first, private_audio=False) == (
        "Learn about IOP\nTab 1 of 8, What is IOP?\nPress Enter to read it."
    )
    assert place_phrase(ui, second, first, private_audio=False) == "Tab 2 of 8, Other options."


QUESTION = Place(
    "Private self-check",
    ("Question 3 of 7: Can you stay away?", "Press Y for Yes."),
    private=True,
    public_detail=("Question 3 of 7.",),
    answered="No",
    self_check=True,
)


def test_with_private_audio_an_answer_is_confirmed_and_the_question_read(ui: UiText) -> None:
    before = Place("Private self-check", ("Question 2 of 7: …",), private=True, self_check=True)
    assert place_phrase(ui, QUESTION, before, private_audio=True) == (
        "You answered No.\nQuestion 3 of 7: Can you stay away?\nPress Y for Yes."
    )


def test_without_private_audio_only_where_and_that_an_answer_was_taken(ui: UiText) -> None:
    before = Place("Private self-check", (), private=True, self_check=True)
    said = place_phrase(ui, QUESTION, before, private_audio=False, headphones_said=True)
    assert said == "Answer taken.\nQuestion 3 of 7."
    said = place_phrase(ui, QUESTION, before, private_audio=False, headphones_said=False)
    assert said == f"Answer taken.\nQuestion 3 of 7.\n{ui.guide.headphones_needed}"


@given(
    answer=st.sampled_from(["Yes", "No", "Not sure"]),
    question=st.text(min_size=3, alphabet="abcdefgh "),
    came_back=st.booleans(),
    headphones_said=st.booleans(),
)
def test_no_answer_or_question_is_ever_said_without_private_audio(
    library: ContentLibrary, answer: str, question: str, came_back: bool, headphones_said: bool
) -> None:
    ui = library.get("en").ui
    place = Place(
        "Private self-check",
        (f"QUESTION {question}", f"You answered {answer} before."),
        "KEYS",
        private=True,
        public_detail=("Question 1 of 7.",),
        answered=answer,
        came_back=came_back,
        self_check=True,
    )
    said = place_phrase(ui, place, private_audio=False, headphones_said=headphones_said)
    assert "QUESTION" not in said and "KEYS" not in said
    assert f"answered {answer}" not in said
    assert answer not in said.replace(ui.guide.headphones_needed, "")


def test_back_is_announced(ui: UiText) -> None:
    place = Place("Private self-check", ("Question 1 of 7: …",), came_back=True, private=True)
    assert place_phrase(ui, place, private_audio=True).startswith("Back.\nPrivate self-check")
