"""The lobby-size layouts and the smaller defects found on the same tour (issue 14).

Each test here failed before its fix: a nav button cut off in Spanish at 60 columns, Back in
another place on the help screen, compare's actions below the fold, a silent fourth pick, pros
and cons of the first of three picked without a word, the legend's "•" on a line of its own,
a focus arrow lost or covering a letter, a tap on a description (or focus leaving the result)
moving everything by a column, arrows that did nothing or moved sideways, ▲ / ▼ that looked
usable where they do nothing.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from kiosk.app import KioskApp
from kiosk.screens.compare import CompareScreen, OptionScreen
from kiosk.textual_internals import screen_lines, screen_strips, visible_regions
from kiosk.widgets.buttons import KioskButton, PageButton
from tests.conftest import AppFactory, flat, screen_text, settle, tap


def place(app: KioskApp, selector: str) -> tuple[int, int, int, int]:
    """Where the one widget ``selector`` is on the glass: x, y, width, height."""
    widget = app.screen.query_one(selector)
    region = visible_regions(app.screen)[widget]
    return region.x, region.y, region.width, region.height


def focused_id(app: KioskApp) -> str:
    focused: Widget | None = app.screen.focused
    return focused.id or "" if focused is not None else ""


# -- the nav bar ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(60, 40), (80, 24), (147, 40)])
async def test_back_home_and_hide_are_in_the_same_place_on_every_screen(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        places = {}
        for key in ["1", "2", "h", "3"]:
            await pilot.press(key)
            await pilot.pause()
            places[key] = [place(app, f"#nav-{name}") for name in ("back", "home", "hide")]
        await pilot.press("enter", "h")  # the help lines over a question
        await pilot.pause()
        places["help over a question"] = [
            place(app, f"#nav-{name}") for name in ("back", "home", "hide")
        ]
        assert len({tuple(value) for value in places.values()}) == 1, places
        # Where it does not apply, the help button is neither seen nor usable.
        help_button = app.screen.query_one("#nav-help")
        assert help_button.disabled and not help_button.visible


async def test_spanish_nav_buttons_fit_a_60_column_screen(make_app: AppFactory) -> None:
    app = make_app(default_language="es")
    async with app.run_test(size=(60, 40)) as pilot:
        for key in ["1", "2", "3", "h"]:
            await pilot.press(key)
            await pilot.pause()
            for name in ("back", "home", "hide"):
                x, _, width, _ = place(app, f"#nav-{name}")
                assert x + width <= 60
            top = "\n".join(screen_lines(app.screen)[:6])
            for label in ("Atrás", "Inicio", "Ocultar"):
                assert label in top, top


# -- compare --------------------------------------------------------------------------------


async def test_compare_actions_are_in_sight_at_80x24(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        for action in ("side-by-side", "details", "clear"):
            _, y, _, height = place(app, f"#{action}")
            assert y + height <= 22  # above the keys line and the help bar
        # They stay in sight however far the picker and the grid are scrolled.
        app.screen.query_one("#compare-body").scroll_end(animate=False, immediate=True)
        await pilot.pause()
        _, y, _, height = place(app, "#side-by-side")
        assert height >= 3 and y + height <= 22


async def test_a_fourth_pick_says_three_at_a_time_and_how_to_take_one_off(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        screen.pick("iop", "php", "inpatient")
        await tap(pilot, "#pick-smart")
        assert [option.id for option in screen.picked] == ["iop", "php", "inpatient"]
        assert "compare 3 at a time" in flat(screen_text(app))
        assert "Tap a picked option to take it off" in flat(screen_text(app))


async def test_pros_and_cons_with_several_picked_asks_which(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        screen.pick("iop", "php", "inpatient")
        await tap(pilot, "#details")
        assert app.screen is screen  # no option chosen for the visitor
        assert "Pick just 1" in flat(screen_text(app))
        await tap(pilot, "#pick-php")
        await tap(pilot, "#pick-inpatient")
        await tap(pilot, "#details")
        assert isinstance(app.screen, OptionScreen) and app.screen.option.id == "iop"


@pytest.mark.parametrize("language", ["en", "es"])
async def test_the_legend_never_leaves_a_symbol_alone(make_app: AppFactory, language: str) -> None:
    app = make_app(default_language=language)
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        legend = app.screen.query_one("#compare-legend")
        legend.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        _, y, _, height = place(app, "#compare-legend")
        for line in screen_lines(app.screen)[y : y + height]:
            words = line.split()
            # Every line starts with a symbol followed by its word, never a symbol alone.
            assert words and len(words[0]) == 1 and words[-1] not in "✔◐✘•◇", line


# -- focus markers --------------------------------------------------------------------------


async def test_a_wrapped_action_keeps_its_focus_arrow(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.press("2")
        app.screen.query_one("#side-by-side").focus()
        await pilot.pause()
        x, y, width, height = place(app, "#side-by-side")
        inside = [line[x : x + width] for line in screen_lines(app.screen)[y : y + height]]
        assert "▶ Show" in "\n".join(inside), inside
        assert "side" in flat(" ".join(inside))


@pytest.mark.parametrize("size", [(80, 24), (147, 40)])
async def test_a_tab_arrow_is_followed_by_a_space_where_there_is_room(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    """In the browser ▶ is wider than its cell and covered the first letter after it."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert "▶ What is IOP?" in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert "▶ ☐ IOP" in screen_text(app)


# -- nothing moves --------------------------------------------------------------------------


async def test_tapping_a_description_moves_nothing(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        parts = "#welcome-intro, .area-button, .area-hint, #welcome-options KioskButton"
        widgets = list(app.screen.query(parts))
        before = [visible_regions(app.screen)[widget] for widget in widgets]
        await pilot.click(".area-hint")
        await pilot.pause()
        # The text area took the focus (its bar in the left column), and nothing moved.
        assert app.screen.focused is app.screen.query_one("#welcome-body")
        assert [visible_regions(app.screen)[widget] for widget in widgets] == before


async def test_focus_leaving_the_result_rewraps_nothing(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", *"nnnnnnn")
        await pilot.pause()
        message, start_over = place(app, "#result-message"), place(app, "#start-over")
        await pilot.press("tab")
        await pilot.pause()
        assert focused_id(app) == "start-over"
        assert place(app, "#result-message") == message
        assert place(app, "#start-over") == start_over


# -- arrows ---------------------------------------------------------------------------------


async def press_and_see(pilot: Pilot[None], app: KioskApp, key: str) -> str:
    await pilot.press(key)
    await pilot.pause()
    return focused_id(app)


async def test_arrows_move_to_the_nearest_control_that_way(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert focused_id(app) == "open-learn"
        assert await press_and_see(pilot, app, "right") == "open-compare"  # a column of one
        assert await press_and_see(pilot, app, "down") == "open-selfcheck"
        assert await press_and_see(pilot, app, "up") == "open-compare"
        assert await press_and_see(pilot, app, "left") == "open-learn"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert focused_id(app) == "answer-yes"
        assert await press_and_see(pilot, app, "right") == "answer-no"
        assert await press_and_see(pilot, app, "right") == "answer-not_sure"
        assert await press_and_see(pilot, app, "right") == "answer-not_sure"  # the row's end
        assert await press_and_see(pilot, app, "down") == "answer-not_sure"  # not sideways
        assert await press_and_see(pilot, app, "left") == "answer-no"
        assert (await press_and_see(pilot, app, "up")).startswith("nav-")


# -- page buttons ---------------------------------------------------------------------------


async def test_page_buttons_are_inactive_at_the_top_and_the_foot(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        up = app.screen.query_one("#page-up", PageButton)
        down = app.screen.query_one("#page-down", PageButton)
        assert up.disabled and up.has_class("-at-end") and "▲" in screen_text(app)
        assert not down.disabled and not down.has_class("-at-end")
        await pilot.click("#page-down")
        await settle(pilot)
        assert not up.disabled and not up.has_class("-at-end")
        view = app.screen.page_target()
        assert view is not None
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert down.disabled and down.has_class("-at-end") and not up.disabled


@pytest.mark.parametrize("language", ["en", "es", "vi", "ru"])
@pytest.mark.parametrize("size", [(60, 40), (80, 24)])
async def test_no_button_draws_past_its_own_edge(
    make_app: AppFactory, language: str, size: tuple[int, int]
) -> None:
    # At 60 columns "Not sure" with its focus arrows' room was one cell wider than its button:
    # the button's right edge was drawn a cell further out on the label's row, a stray block
    # beside it. Every button's edge must be where its region ends, on every row.
    app = make_app(default_language=language)
    async with app.run_test(size=size) as pilot:
        for keys in (("3", "enter", "n"), ("escape", "escape", "2")):
            await pilot.press(*keys)
            await settle(pilot)
            rows = screen_lines(app.screen)
            shown = visible_regions(app.screen)
            for button in app.screen.query(KioskButton):
                region = button.region
                if shown.get(button) != region or region.right >= size[0]:
                    continue  # hidden, scrolled partly out of sight, or at the screen's edge
                for y in range(region.y, min(region.bottom, len(rows))):
                    beyond = rows[y][region.right] if region.right < len(rows[y]) else " "
                    assert beyond not in "│┃╮╯┐┘", (button.id, y, rows[y])


# -- the focused button ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [(147, 40), (80, 24)])
async def test_a_focused_button_underlines_its_words_not_its_blank_rows(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    # `text-style: underline` on the focused button underlined every blank row inside it too:
    # three stripes across the tall welcome buttons on the lobby screen (seen in Chromium).
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        button = app.screen.focused
        assert isinstance(button, KioskButton)
        x, y, width, height = visible_regions(app.screen)[button]
        underlined: dict[int, str] = {}
        for row, strip in enumerate(screen_strips(app.screen)[y : y + height], start=y):
            column, text = 0, ""
            for segment in strip:
                for character in segment.text:
                    inside = x <= column < x + width
                    if inside and segment.style is not None and segment.style.underline:
                        text += character
                    column += 1
            if text:
                underlined[row] = text
        assert list(underlined.values()) == [button.plain_label], underlined
