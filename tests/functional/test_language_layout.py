"""Every button's words fit its button, and every button the screen, in every language, on the
smallest screens.

Measured in terminal cells, as they are drawn: a Chinese character takes two cells, Vietnamese
stacked marks none. A label may wrap onto the rows its button has (the comparison's buttons have
two), but no word may be cut in two and no row may be lost. (The focus arrows ▶ ◀ of a Learn
tab are left out: on a 60-column screen they do not fit beside a long title in any language,
English included, and the tab's heavy border shows the focus all the same.)
"""

from __future__ import annotations

import re

import pytest
from rich._wrap import divide_line
from rich.cells import cell_len

from kiosk.app import KioskApp
from kiosk.widgets import KioskButton
from tests.conftest import LANGUAGES, AppFactory, settle

#: The way from the welcome screen to each screen checked (answer keys are the language's).
SCREENS = ["welcome", "languages", "learn", "compare", "question", "result", "help"]


def rows_needed(label: str, width: int) -> tuple[int, list[str]]:
    """How many rows ``label`` takes at ``width`` cells, and the words cut in two doing so."""
    cut = [word for word in re.split(r"\s+", label) if cell_len(word) > width]
    return len(divide_line(label, width)) + 1, cut


def misfits(app: KioskApp) -> list[str]:
    found = []
    for button in app.screen.query(KioskButton):
        region = button.content_region
        if not button.display or region.width <= 0 or not button.plain_label.strip():
            continue
        if button.region.right > app.size.width:
            found.append(
                f"{type(app.screen).__name__} #{button.id}: {button.plain_label!r} goes past the "
                f"right edge ({button.region.right} > {app.size.width})"
            )
        width = region.width - 2 * button.styles.line_pad
        label = button.plain_label
        rows, cut = rows_needed(label, width)
        if cut or rows > region.height:
            found.append(
                f"{type(app.screen).__name__} #{button.id}: {label!r} needs {rows} row(s) of "
                f"{width} cells, has {region.height}" + (f"; cuts {cut}" if cut else "")
            )
    return found


@pytest.mark.parametrize("size", [(60, 40), (80, 24)], ids=["60x40", "80x24"])
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_label_fits_its_button(
    make_app: AppFactory, library: object, language: str, size: tuple[int, int]
) -> None:
    from kiosk.content.model import ContentLibrary

    assert isinstance(library, ContentLibrary)
    ui = library.get(language).ui
    yes, no = ui.answer_yes_key.lower(), ui.answer_no_key.lower()
    questions = len(library.get(language).selfcheck.questions)
    app = make_app(default_language=language)
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        for screen in SCREENS:
            keys = {
                "welcome": [],
                "languages": ["l"],
                "learn": ["1"],
                "compare": ["2", "enter", "tab", "tab", "tab", "enter"],
                "question": ["3", "enter"],
                "result": ["3", "enter", yes, *[no] * (questions - 1)],
                "help": ["h"],
            }[screen]
            await pilot.press("x")
            await settle(pilot)
            await pilot.press(*keys)
            await settle(pilot)
            problems += misfits(app)
    assert problems == [], "\n".join(problems)
