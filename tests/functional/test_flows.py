"""Pilot tours through every area: by keyboard alone, and by mouse (tap) alone."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from kiosk.app import KioskApp
from kiosk.content.model import ContentLibrary
from kiosk.screens.compare import CompareScreen, OptionScreen, SideBySideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.learn import LearnScreen
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from tests.conftest import AppFactory, flat, screen_text, tap

SIZE = (80, 24)


async def tab_to(pilot, widget_id: str, limit: int = 30) -> None:
    """Press Tab until the widget with ``widget_id`` has focus (fails after ``limit`` presses)."""
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached #{widget_id}; focus is on {pilot.app.focused!r}")


def assert_help_bar(app: KioskApp) -> None:
    text = screen_text(app)
    assert "Call (425) 629-0433 · 24/7 · or ask the front desk" in text


async def test_keyboard_only_tour(make_app: AppFactory, library: ContentLibrary) -> None:
    content = library.get("en")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert_help_bar(app)
        assert app.focused is not None and app.focused.id == "open-learn"

        # Learn: Enter on the focused first choice, then every tab with the Right arrow.
        await pilot.press("enter")
        assert isinstance(app.screen, LearnScreen)
        for index, section in enumerate(content.learn.sections):
            if index:
                await pilot.press("right")
            await pilot.pause()
            assert app.screen.open_section_id == section.id
            # Each tab opens with its summary (its first words are on screen).
            assert flat(section.summary)[:40] in flat(screen_text(app))
            assert_help_bar(app)
        # Tab + Enter also opens a tab.
        await tab_to(pilot, "tab-dual_diagnosis")
        await pilot.press("enter")
        assert app.screen.open_section_id == "dual_diagnosis"
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)

        # Compare: pick two with Enter, see them side by side, then one option's pros and cons.
        await pilot.press("2")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("enter")  # first toggle (IOP) has focus
        await pilot.press("tab", "enter")  # traditional outpatient
        assert [o.id for o in app.screen.picked] == ["iop", "outpatient"]
        assert "selected" in screen_text(app)
        await tab_to(pilot, "side-by-side")
        await pilot.press("enter")
        assert isinstance(app.screen, SideBySideScreen)
        text = screen_text(app)
        for option in content.compare.options[:2]:
            assert option.short_name in text
        assert content.compare.rows[1].label in text  # short: not wrapped in its cell
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)
        # Pros and cons are for one option: with two picked, the kiosk asks to pick one.
        await tab_to(pilot, "details")
        await pilot.press("enter")
        assert isinstance(app.screen, CompareScreen)
        assert "Pick just 1" in flat(screen_text(app))
        await tab_to(pilot, "pick-outpatient")
        await pilot.press("enter")  # un-picked: IOP alone
        await tab_to(pilot, "details")
        await pilot.press("enter")
        assert isinstance(app.screen, OptionScreen)
        text = flat(screen_text(app))
        assert content.ui.compare_pros_title in text and content.ui.compare_cons_title in text
        # The two columns share screen rows, so only the start of a point is on one line.
        assert flat(content.compare.options[0].cons[0].text)[:14] in text

        # Self-check from anywhere with 3; answer with the keys; the result offers Start over.
        await pilot.press("3")
        assert isinstance(app.screen, SelfCheckScreen)
        assert len(app.screen_stack) == 3  # the compare screens were dropped
        assert flat(content.ui.privacy_note)[:50] in flat(screen_text(app))
        await pilot.press("enter")
        total = len(content.selfcheck.questions)
        # Can stay clean at home, nothing else applies: no rule leans either way.
        keys = {"stay_clean_at_home": "y"}
        for number, question in enumerate(content.selfcheck.questions, start=1):
            assert f"Question {number} of {total}" in screen_text(app)
            await pilot.press(keys.get(question.id, "n"))
        text = flat(screen_text(app))
        # Only "can stay sober at home": nothing leans either way, so "let's talk it through".
        assert flat(content.selfcheck.result("talk_it_through").heading) in text
        # Focus starts on the result text, so a stray Enter cannot erase it…
        assert app.focused is not None and app.focused.id == "selfcheck-result"
        await pilot.press("enter")
        assert isinstance(app.screen, SelfCheckScreen)
        # …and Tab reaches Start over.
        await tab_to(pilot, "start-over")
        await pilot.press("enter")
        assert isinstance(app.screen, WelcomeScreen)

        # Help from anywhere with H.
        await pilot.press("h")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for number in ("(425) 629-0433", "988", "911", "1-800-662-4357"):
            assert number in text
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        # Escape at the top does nothing: the welcome screen stays.
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)


async def test_mouse_only_tour(make_app: AppFactory, library: ContentLibrary) -> None:
    content = library.get("en")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await tap(pilot, "#open-learn")
        assert isinstance(app.screen, LearnScreen)
        for section in content.learn.sections:
            await tap(pilot, f"#tab-{section.id}")
            assert app.screen.open_section_id == section.id
            assert flat(section.summary)[:40] in flat(screen_text(app))
        await tap(pilot, "#nav-back")
        assert isinstance(app.screen, WelcomeScreen)

        await tap(pilot, "#open-compare")
        assert isinstance(app.screen, CompareScreen)
        await tap(pilot, "#pick-iop")
        await tap(pilot, "#pick-inpatient")
        await tap(pilot, "#pick-smart")
        await tap(pilot, "#side-by-side")
        assert isinstance(app.screen, SideBySideScreen)
        assert [o.id for o in app.screen.options] == ["iop", "inpatient", "smart"]
        await tap(pilot, "#details-smart")
        assert isinstance(app.screen, OptionScreen) and app.screen.option.id == "smart"
        await tap(pilot, "#nav-back")
        assert isinstance(app.screen, SideBySideScreen)
        await tap(pilot, "#nav-back")
        assert isinstance(app.screen, CompareScreen)
        assert [o.id for o in app.screen.picked] == ["iop", "inpatient", "smart"]
        await tap(pilot, "#pick-iop")  # un-pick
        await tap(pilot, "#pick-smart")
        await tap(pilot, "#details")
        assert isinstance(app.screen, OptionScreen) and app.screen.option.id == "inpatient"
        await tap(pilot, "#nav-home")
        assert isinstance(app.screen, WelcomeScreen)

        await tap(pilot, "#open-selfcheck")
        await tap(pilot, "#start")
        for _ in content.selfcheck.questions:
            await tap(pilot, "#answer-yes")
        assert content.selfcheck.result("medical_first").heading in screen_text(app)
        await tap(pilot, "#nav-back")
        assert app.screen.step == len(content.selfcheck.questions) - 1
        await tap(pilot, "#answer-no")
        await tap(pilot, "#start-over")
        assert isinstance(app.screen, WelcomeScreen)
        await tap(pilot, "#open-help")
        assert isinstance(app.screen, HelpScreen)
        assert_help_bar(app)
        await tap(pilot, "#nav-home")
        assert isinstance(app.screen, WelcomeScreen)


async def test_every_button_has_a_label(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("1", "2", "3", "h"):
            await pilot.press(key)
            for button in app.screen.query(Button):
                if button.disabled:
                    continue  # a hidden ▲ / ▼ (nothing to page): not drawn, cannot be used
                assert str(button.label).strip(), f"unlabelled button {button!r}"


async def test_larger_text_is_offered_only_in_the_browser_and_a_reset_undoes_it(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal the kiosk cannot change the font: no button. In the browser (the web
    driver) the button asks the page for larger letters, names the way back, and a reset asks
    for the normal size again. (The page's side: tests/functional/test_serve.py.)"""
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query("#toggle-text-size")

    monkeypatch.setattr(KioskApp, "is_web", property(lambda self: True))
    app = make_app()
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(100, 29)) as pilot:
        await pilot.click("#toggle-text-size")
        assert opened == ["kiosk:text-size/large"] and app.larger_text
        assert "Normal text size" in screen_text(app)
        await pilot.press("1", "x")  # Hide: a reset
        assert opened == ["kiosk:text-size/large", "kiosk:text-size/normal"]
        assert not app.larger_text and "Larger text" in screen_text(app)
