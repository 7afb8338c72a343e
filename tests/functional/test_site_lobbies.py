"""Each lobby of the example group, as a visitor sees it: its own phone number on every screen's
help bar, its own languages, and a reset that returns to its own default language."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.content.loading import load_site
from tests.conftest import flat, screen_text, tap


def _lobby_app(site: Path, name: str) -> KioskApp:
    config = site / "kiosk.toml"
    config.write_text(config.read_text().replace("[kiosk]\n", f'[kiosk]\nsite = "{name}"\n', 1))
    loaded = load_site(config)
    assert loaded.ok and loaded.settings and loaded.library, loaded.problems
    return KioskApp(loaded.settings, loaded.library)


@pytest.mark.parametrize(
    ("name", "bar"),
    [
        ("northgate", "Call (206) 555-0134 · 8 am to 8 pm, Mon–Sat"),
        ("riverside", "Call (360) 555-0118 · 24/7"),
    ],
)
async def test_each_lobby_shows_its_own_help_line(site: Path, name: str, bar: str) -> None:
    app = _lobby_app(site, name)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        welcome = flat(screen_text(app))
        assert bar in welcome
        # The lobby's clinic is named wherever the shared text names the group's clinic.
        assert f"Welcome to Northpoint {name.title()}" in welcome
        assert "Northpoint Evergreen" not in welcome
        await tap(pilot, "#open-help")
        text = flat(screen_text(app))
        assert bar.split(" · ")[0].removeprefix("Call ") in text
        assert "(425) 629-0433" not in text  # never the shared content's number


async def test_a_spanish_lobby_starts_and_resets_in_spanish(site: Path) -> None:
    app = _lobby_app(site, "eastpark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "(425) 555-0172" in flat(screen_text(app))
        assert app.language == "es"
        # English through the language list (L), as a visitor would choose it.
        await pilot.press("l")
        await pilot.pause()
        await tap(pilot, "#language-en")
        assert app.language == "en"
        app.action_reset()
        await pilot.pause()
        assert app.language == "es"


async def test_a_one_language_lobby_offers_no_other_language(site: Path) -> None:
    app = _lobby_app(site, "riverside")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        welcome = app.screen
        assert not welcome.query("#open-language")  # no Language button for one language
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is welcome  # and L opens no list
