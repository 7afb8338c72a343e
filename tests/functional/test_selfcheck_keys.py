"""The self-check records what the visitor meant: per-language answer keys shown next to the
buttons, buttons that never move between questions, and a clear confirmation of each answer.
"""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding

from kiosk.app import KioskApp
from kiosk.content.model import RESERVED_KEYS, ContentLibrary, answer_keys
from kiosk.screens.base import KioskScreen
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.textual_internals import visible_regions
from tests.conftest import LANGUAGES as ALL_LANGUAGES
from tests.conftest import AppFactory, screen_text, tap

LANGUAGES = ALL_LANGUAGES
#: The sizes of the tests and of real lobby screens (PRODUCT.md, "Where it really runs").
SIZES = [(80, 24), (60, 40), (160, 48), (147, 40), (80, 66), (100, 29)]


def bound_characters(bindings: list[Binding | tuple[str, ...]]) -> set[str]:
    """The printable keys bound in ``bindings`` ("h,f1" -> {"h"})."""
    found: set[str] = set()
    for binding in bindings:
        keys = binding.key if isinstance(binding, Binding) else binding[0]
        for key in keys.split(","):
            key = key.strip()
            if len(key) == 1:
                found.add(key.lower())
            elif key == "space":
                found.add(" ")
    return found


def test_reserved_keys_cover_every_key_the_kiosk_binds() -> None:
    """kiosk validate refuses an answer key the kiosk already uses: its list must know them
    all, or a new binding would silently steal an answer key."""
    bound = bound_characters(list(KioskApp.BINDINGS)) | bound_characters(list(KioskScreen.BINDINGS))
    assert bound <= RESERVED_KEYS, bound - RESERVED_KEYS
    assert {"1", "2", "3", "h", "l", "x", "r"} <= RESERVED_KEYS


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_answer_key_is_the_first_letter_a_visitor_would_try(
    library: ContentLibrary, language: str
) -> None:
    """Yes / Sí on its own letter, No on N, no key twice, and the spoken line names them."""
    ui = library.get(language).ui
    keys = answer_keys(ui)
    assert sorted(keys.values()) == ["no", "not_sure", "yes"]
    # Y for Yes, S for Sí, C for Có; where the word is not in Latin letters (Да, 是) the key
    # is a Latin letter of how it sounds or is known (D, Y), typeable on a US keyboard.
    for answer, word in (("yes", ui.answer_yes), ("no", ui.answer_no)):
        if word[0].isascii():
            assert keys[word[0].lower()] == answer
    assert all(key.isascii() and key.isprintable() for key in keys)
    for key in keys:
        if key.isalpha():
            assert re.search(rf"(?<!\w){key.upper()}(?!\w)", ui.answer_keys_spoken), key


@pytest.mark.parametrize(
    ("language", "pressed", "meant"),
    [
        ("en", "y", "Yes"),
        ("en", "Y", "Yes"),
        ("en", "n", "No"),
        ("en", "s", "Not sure"),
        ("es", "s", "Sí"),  # the Spanish fault: S used to record "No sé"
        ("es", "S", "Sí"),
        ("es", "n", "No"),
        ("es", "question_mark", "No sé"),
    ],
)
async def test_a_key_records_the_answer_its_language_gives_it(
    make_app: AppFactory, language: str, pressed: str, meant: str
) -> None:
    app = make_app(default_language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", pressed)
        screen = app.screen
        assert isinstance(screen, SelfCheckScreen) and screen.step == 1
        question = screen.questions[0].id
        assert screen.answer_label(screen.answers.answer_to(question)) == meant  # type: ignore[arg-type]
        # The next question says, at its top, which answer was taken.
        status = str(screen.query_one("#answer-status").content)  # type: ignore[attr-defined]
        assert status.startswith("✔") and status.endswith(f" 1: {meant}.")
        assert status in screen_text(app)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_other_letters_answer_nothing(
    make_app: AppFactory, library: ContentLibrary, language: str
) -> None:
    """In Spanish, Y is no key at all (it is not Sí)."""
    app = make_app(default_language=language)
    taken = answer_keys(library.get(language).ui)
    others = [letter for letter in "yqza" if letter not in taken]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", *others)
        screen = app.screen
        assert isinstance(screen, SelfCheckScreen)
        assert screen.step == 0 and len(screen.answers) == 0


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_keys_are_named_next_to_the_buttons(
    make_app: AppFactory, library: ContentLibrary, language: str
) -> None:
    ui = library.get(language).ui
    app = make_app(default_language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        lines = screen_text(app).splitlines()
        shown = visible_regions(app.screen)
        for answer, key in (
            ("yes", ui.answer_yes_key),
            ("no", ui.answer_no_key),
            ("not_sure", ui.answer_not_sure_key),
        ):
            button = shown[app.screen.query_one(f"#answer-{answer}")]
            under = lines[button.bottom][button.x : button.right]  # the line right under it
            assert ui.answer_key_label.format(key=key.upper()) in under, (answer, under)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_the_answer_buttons_stay_in_one_place_for_every_question(
    make_app: AppFactory, library: ContentLibrary, language: str, size: tuple[int, int]
) -> None:
    """A visitor tapping the same spot taps the same answer, whatever the question's length:
    the same rows and columns for every question, going forward and back."""
    questions = library.get(language).selfcheck.questions
    no_key = library.get(language).ui.answer_no_key.lower()
    app = make_app(default_language=language)
    async with app.run_test(size=size) as pilot:
        await pilot.press("3", "enter")
        places = set()
        for _ in questions:
            await pilot.pause()
            shown = visible_regions(app.screen)
            regions = tuple(
                shown[app.screen.query_one(f"#answer-{answer}")]
                for answer in ("yes", "no", "not_sure")
            )
            places.add(regions)
            await pilot.press(no_key)
        for _ in questions:
            await pilot.press("escape")
            await pilot.pause()
            shown = visible_regions(app.screen)
            places.add(
                tuple(
                    shown[app.screen.query_one(f"#answer-{answer}")]
                    for answer in ("yes", "no", "not_sure")
                )
            )
            if app.screen.step == 0:
                break
        assert len(places) == 1, places
        ((yes, no, not_sure),) = places
        # Big enough for a finger, and wholly on screen.
        for region in (yes, no, not_sure):
            assert region.height >= 3 and region.width >= 12
            assert region.bottom <= size[1] - 2  # above the keys line and the help bar


@pytest.mark.parametrize("language", LANGUAGES)
async def test_going_back_shows_the_answer_given_before(
    make_app: AppFactory, library: ContentLibrary, language: str
) -> None:
    ui = library.get(language).ui
    app = make_app(default_language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        await tap(pilot, "#answer-not_sure")
        await pilot.press("escape")
        text = screen_text(app)
        assert ui.answer_given.format(answer=ui.answer_not_sure)[:30] in text
        assert app.focused is not None and app.focused.id == "answer-not_sure"
        await pilot.press("escape")  # to the intro: the answer's line is gone
        status = app.screen.query_one("#answer-status")
        assert str(status.content) == ""  # type: ignore[attr-defined]
