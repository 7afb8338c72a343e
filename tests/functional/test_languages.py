"""The language list: one Language button (and the L key), every language of the content
named in itself, kiosk.toml's order and default, and a reset back to the default."""

from __future__ import annotations

from kiosk.content.model import ContentLibrary
from kiosk.screens.language import LanguageScreen
from kiosk.screens.welcome import WelcomeScreen
from tests.conftest import AppFactory, screen_text, settle, tap

#: Each shipped language's name, as it names itself.
NAMES = {
    "en": "English",
    "es": "Español",
    "vi": "Tiếng Việt",
    "ru": "Русский",
    "zh-Hans": "中文",
}


def test_every_language_names_itself(library: ContentLibrary) -> None:
    assert {code: library.get(code).ui.language_name for code in library.languages} == NAMES


async def test_one_language_button_lists_every_language(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query("#language-es")  # no button per language on the welcome
        await tap(pilot, "#open-language")
        assert isinstance(app.screen, LanguageScreen)
        buttons = [button.id for button in app.screen.query(".language-choice")]
        assert buttons == [f"language-{code}" for code in NAMES]
        text = screen_text(app)
        for name in NAMES.values():
            assert name in text


async def test_tap_a_language(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(60, 40)) as pilot:
        await tap(pilot, "#open-language")
        await tap(pilot, "#language-vi")
        assert isinstance(app.screen, WelcomeScreen)
        assert app.language == "vi" and app.screen.language == "vi"
        assert "Ngôn ngữ" in screen_text(app)


async def test_keyboard_only(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LanguageScreen)
        assert app.focused is not None and app.focused.id == "language-en"  # the current one
        await pilot.press("tab", "tab", "tab", "enter")  # en, es, vi, ru
        await settle(pilot)
        assert app.language == "ru" and isinstance(app.screen, WelcomeScreen)
        await pilot.press("l")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "language-ru"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen) and app.language == "ru"


async def test_order_and_default_come_from_kiosk_toml(make_app: AppFactory) -> None:
    app = make_app(languages=("zh-Hans", "ru"), default_language="zh-Hans")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.language == "zh-Hans"
        await pilot.press("l")
        await settle(pilot)
        buttons = [button.id for button in app.screen.query(".language-choice")]
        # Listed first, in kiosk.toml's order; the others after, by name.
        assert buttons == [f"language-{c}" for c in ("zh-Hans", "ru", "en", "es", "vi")]
        assert "✔ 中文" in screen_text(app)


async def test_every_reset_returns_to_the_default(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for reset in ("x", "start_over", "idle"):
            await pilot.press("l")
            await settle(pilot)
            await tap(pilot, "#language-zh-Hans")
            assert app.language == "zh-Hans"
            if reset == "x":
                await pilot.press("x")
            elif reset == "start_over":
                app.action_reset()
            else:
                app.action_reset()  # what the idle warning's end calls
            await settle(pilot)
            assert app.language == "en" and isinstance(app.screen, WelcomeScreen)
            assert app.screen.language == "en"


async def test_not_in_the_self_check(make_app: AppFactory) -> None:
    """L in the self-check does nothing: a new language would drop the answers unasked."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen


async def test_each_language_button_says_which_language_its_label_is_in(
    make_app: AppFactory,
) -> None:
    """For the audio guide: a focused language button is spoken in its own language's voice."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LanguageScreen)
        for code in NAMES:
            assert screen.label_language(screen.query_one(f"#language-{code}")) == code
        assert screen.label_language(screen.query_one("#nav-back")) is None
        parts = screen.speech_parts()
        assert parts[0] == ("Choose a language", "en")
        assert parts[1:] == [(name, code) for code, name in NAMES.items()]


async def test_welcome_buttons_wrap_when_one_row_is_too_wide(make_app: AppFactory) -> None:
    """With Read aloud as a fifth button, the options no longer fit 80 columns: they wrap
    (lobby-layout's rows of three), so that Hide is never pushed off the screen."""
    from kiosk.system.speech import Speaker

    app = make_app()
    app.speaker = Speaker("/bin/true")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-wrap")
        for button in app.screen.query("#welcome-options KioskButton"):
            assert button.region.right <= 80, button.id
    plain = make_app()
    async with plain.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not plain.screen.has_class("-wrap")  # four buttons fit one row


async def test_arrows_move_across_the_two_columns(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("right")  # English -> Español, beside it
        assert app.focused is not None and app.focused.id == "language-es"
        await pilot.press("down")  # Español -> Русский, under it
        assert app.focused is not None and app.focused.id == "language-ru"
