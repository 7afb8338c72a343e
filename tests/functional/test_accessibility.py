"""Accessibility checks that a rule, not an opinion, can decide.

- Contrast: every piece of text drawn on every screen, in both themes and both languages, is
  measured with the WCAG 2.x contrast formula: at least 4.5:1 in the normal theme and 7:1 in
  the high-contrast theme.
- Touch targets: every button on every screen is at least 3 rows tall, with space around it.
- Plain language: every Learn section reads at grade 8 or below.
- Languages: a language that lacks an id English has fails validation.
- NO_COLOR: the kiosk stays usable, and focus is still visible by shape.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from rich.cells import cell_len
from rich.color import Color, ColorSystem
from textual.widgets import Button

from kiosk.app import KioskApp
from kiosk.content.model import ContentError, ContentLibrary, load_library
from kiosk.content.readability import (
    MAX_GRADE,
    MIN_RUSSIAN_EASE,
    MIN_SPANISH_EASE,
    section_readings,
)
from kiosk.screens.idle import IdleWarningScreen
from kiosk.textual_internals import screen_strips, visible_regions
from kiosk.themes import HIGH_CONTRAST, NORMAL
from kiosk.widgets.buttons import FOCUS_MARKERS
from tests.conftest import CONTENT_DIR, AppFactory, screen_text

MINIMUM = {NORMAL: 4.5, HIGH_CONTRAST: 7.0}

# Key presses that walk through every kind of screen; each entry is one state to measure.
TOUR: list[list[str]] = [
    [],
    ["tab"],
    ["1"],
    ["right", "right", "right"],
    ["tab", "tab"],
    ["2"],
    ["enter", "tab", "enter"],
    ["tab", "tab", "tab", "tab", "tab", "tab", "enter"],
    ["escape", "tab", "tab", "tab", "tab", "tab", "tab", "tab", "enter"],
    ["3"],
    ["enter"],
    ["n", "tab"],
    ["y", "y", "y", "y", "y", "y"],
    ["tab", "tab"],
    ["h"],
]


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: Color, other: Color) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colours(
    app: KioskApp, *, linux_console: bool = False
) -> Iterator[tuple[str, Color, Color, str]]:
    """(text, foreground, background, where) for every run of letters or digits on screen;
    with ``linux_console``, the colours that console shows for them."""
    for row, strip in enumerate(screen_strips(app.screen)):
        for segment in strip:
            if not any(ch.isalnum() for ch in segment.text) or segment.style is None:
                continue
            style = segment.style
            assert not style.dim, f"dim text is hard to read: {segment.text!r}"
            foreground, background = style.color, style.bgcolor
            assert foreground is not None and background is not None, segment
            if style.reverse:
                foreground, background = background, foreground
            if linux_console:
                foreground, background = as_linux_console_draws(
                    foreground, background, bool(style.bold)
                )
            yield segment.text.strip(), foreground, background, f"row {row}"


#: The Linux text console's 16 colours: its default palette, the VGA one (and Rich's).
VGA_HEX = (
    "#000000 #AA0000 #00AA00 #AA5500 #0000AA #AA00AA #00AAAA #AAAAAA "
    "#555555 #FF5555 #55FF55 #FFFF55 #5555FF #FF55FF #55FFFF #FFFFFF"
)
CONSOLE_PALETTE = [Color.parse(hex_colour) for hex_colour in VGA_HEX.split()]


def as_linux_console_draws(foreground: Color, background: Color, bold: bool) -> tuple[Color, Color]:
    """The colours the Linux text console (TERM=linux) shows for a cell Textual drew in
    ``foreground`` on ``background``: each made one of the 16 standard colours (as Textual
    writes them), bold text in the bright version of its colour (the console has no bold
    font), and a bright background as the dim one (it reads SGR 100-107 as 40-47)."""
    fore = foreground.downgrade(ColorSystem.STANDARD).number or 0
    back = background.downgrade(ColorSystem.STANDARD).number or 0
    if bold and fore < 8:
        fore += 8
    if back >= 8:
        back -= 8
    return CONSOLE_PALETTE[fore], CONSOLE_PALETTE[back]


async def measure_tour(app: KioskApp, theme: str, *, linux_console: bool = False) -> list[str]:
    failures = []
    seen = 0
    async with app.run_test(size=(80, 24)) as pilot:
        if linux_console:
            # What on_mount does on such a terminal (a test's pilot has no terminal).
            app.use_sixteen_colour_themes()
        app.theme = theme
        await pilot.pause()
        states = [*TOUR, ["idle"]]
        for keys in states:
            if keys == ["idle"]:
                app.push_screen(IdleWarningScreen(30, app.content))
            else:
                await pilot.press(*keys)
            await pilot.pause()
            for text, fg, bg, where in text_colours(app, linux_console=linux_console):
                seen += cell_len(text)  # cells: a Chinese character takes two
                ratio = contrast(fg, bg)
                if ratio < MINIMUM[theme]:
                    failures.append(
                        f"{type(app.screen).__name__} {where}: {text[:30]!r} "
                        f"{fg.get_truecolor().hex} on {bg.get_truecolor().hex} = {ratio:.2f}:1"
                    )
    assert seen > 5000, "the tour measured too little text to mean anything"
    return sorted(set(failures))


@pytest.mark.parametrize("language", ["en", "es", "zh-Hans"])
@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST])
async def test_every_text_meets_its_contrast_bar(
    make_app: AppFactory, theme: str, language: str
) -> None:
    app = make_app(default_language=language)
    failures = await measure_tour(app, theme)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST])
async def test_sixteen_colour_console_contrast(
    make_app: AppFactory, theme: str, language: str
) -> None:
    """On the Linux text console (TERM=linux: 16 colours) every text meets its bar too, as
    that console draws it. (Booted, the truecolor themes gave the result's heading and the
    help lines' names dark grey on light grey there, 3.2:1.)"""
    app = make_app(default_language=language)
    failures = await measure_tour(app, theme, linux_console=True)
    assert failures == [], "\n".join(failures)


def test_the_console_model_finds_the_booted_fault() -> None:
    """Guard for the model above: the truecolor theme's bold near-black on white is what the
    booted console showed, dark grey on light grey."""
    fore, back = as_linux_console_draws(Color.parse("#1B1B1B"), Color.parse("#FFFFFF"), True)
    assert fore.get_truecolor().hex == "#555555" and back.get_truecolor().hex == "#aaaaaa"
    assert contrast(fore, back) < 3.5


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast(Color.parse("#000000"), Color.parse("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(Color.parse("#777777"), Color.parse("#FFFFFF")) == pytest.approx(4.48, 0.01)


# -- touch targets ---------------------------------------------------------------------------


async def test_every_button_is_a_finger_sized_target(make_app: AppFactory) -> None:
    app = make_app()
    checked = 0
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in TOUR:
            await pilot.press(*keys)
            await pilot.pause()
            # Buttons on screen now (not those in a hidden view of the self-check).
            buttons = [
                b
                for b in app.screen.query(Button)
                if all(node.display for node in b.ancestors_with_self if hasattr(node, "display"))
            ]
            for button in buttons:
                checked += 1
                assert button.outer_size.height >= 3, f"{button.id} is too short"
                assert button.outer_size.width >= 8, f"{button.id} is too narrow"
            # No two buttons touch: the parts of them on show never overlap. (A button scrolled
            # half under the nav bar is clipped there: only its visible part counts.)
            shown = visible_regions(app.screen)
            regions = [shown[b] for b in buttons if b in shown and shown[b].area]
            for index, one in enumerate(regions):
                for other in regions[index + 1 :]:
                    assert not one.overlaps(other)
    assert checked > 100


# -- plain language ----------------------------------------------------------------------------


def test_bundled_sections_are_plain_language(library: ContentLibrary) -> None:
    for reading in section_readings(library.get("en")):
        assert reading.score is not None and reading.score <= MAX_GRADE, str(reading)
    for reading in section_readings(library.get("es")):
        assert reading.score is not None and reading.score >= MIN_SPANISH_EASE, str(reading)
    for reading in section_readings(library.get("ru")):
        assert reading.score is not None and reading.score >= MIN_RUSSIAN_EASE, str(reading)
    # Vietnamese and Chinese have no formula: said so, never a guess or a traceback.
    for language in ("vi", "zh-Hans"):
        for reading in section_readings(library.get(language)):
            assert reading.score is None and "not measured" in str(reading)


def test_hard_text_is_flagged(library: ContentLibrary) -> None:
    from dataclasses import replace

    hard = (
        "Notwithstanding considerable heterogeneity in institutional methodologies, "
        "comprehensive multidisciplinary interventions demonstrate substantially "
        "improved longitudinal outcomes relative to conventional approaches."
    )
    content = library.get("en")
    section = msgspec.structs.replace(content.learn.sections[0], summary=hard, blocks=(hard,))
    learn = msgspec.structs.replace(content.learn, sections=(section,))
    (reading,) = section_readings(replace(content, learn=learn))
    assert reading.too_hard and "TOO HARD" in str(reading)


# -- languages -----------------------------------------------------------------------------------


def test_a_language_missing_an_english_id_fails(tmp_path: Path) -> None:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    compare = tmp_path / "content/es/compare.yaml"
    text = compare.read_text()
    compare.write_text(text.replace("- id: smart", "- id: smart_recovery", 1))
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path / "content")
    messages = [str(problem) for problem in caught.value.problems]
    assert any("option 'smart' is missing in this language" in m for m in messages), messages
    assert any("'smart_recovery' is not in" in m for m in messages), messages
    assert all(str(compare) in m for m in messages)


# -- no colour --------------------------------------------------------------------------------


async def test_usable_with_no_color(monkeypatch: pytest.MonkeyPatch, make_app: AppFactory) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # Focus is visible by shape: the arrows around the focused button's label.
        assert FOCUS_MARKERS[0].strip() in screen_text(app)
        await pilot.press("3", "enter")
        assert "1" in screen_text(app) and FOCUS_MARKERS[0].strip() in screen_text(app)
        await pilot.press("2", "enter")
        assert "selected" in screen_text(app)  # picked state in words, not colour


async def test_high_contrast_switch_on_welcome_and_reset(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#toggle-contrast")
        assert app.theme == HIGH_CONTRAST
        assert "Normal colors" in screen_text(app)
        await pilot.press("1", "x")
        assert app.theme == NORMAL


async def test_page_buttons_scroll_long_text_and_hide_when_not_needed(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        view = app.screen.page_target()
        assert view is not None and view.max_scroll_y > 0
        assert "▼" in screen_text(app) and not app.screen.query_one("#page-down").disabled
        await pilot.click("#page-down")
        assert view.scroll_y > 0
        await pilot.click("#page-up")
        assert view.scroll_y == 0
        # The self-check's start fits: the buttons are hidden and cannot be focused. (The
        # help screen, which fitted before it had QR codes, now scrolls at 80 x 24.)
        await pilot.press("3")
        await pilot.pause()
        down = app.screen.query_one("#page-down")
        assert down.disabled and not down.focusable
        assert "▼" not in screen_text(app) and "▲" not in screen_text(app)
