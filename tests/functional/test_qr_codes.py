"""The QR codes on the help and result screens: where they show, and what they may hold."""

from __future__ import annotations

import pytest

from kiosk.content.model import ContentLibrary
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.widgets import qr_codes
from kiosk.widgets.qr_codes import QrCodes
from tests.conftest import AppFactory, flat, screen_text


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((147, 40), True),
        ((80, 66), True),
        ((60, 40), True),
        ((100, 29), True),
        ((80, 24), True),
        # Below the sizes the kiosk is made for: no whole code fits.
        ((80, 22), False),
        ((60, 24), False),
        ((45, 40), False),
    ],
)
async def test_help_screen_shows_the_codes_only_where_a_whole_code_fits(
    make_app: AppFactory, library: ContentLibrary, size: tuple[int, int], shown: bool
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await pilot.pause()
        codes = app.screen.query_one(QrCodes)
        assert codes.display is shown
        text = flat(screen_text(app))
        assert ("Scan a code with your phone" in text) is shown
        room = codes.parent.scrollable_content_region.size  # type: ignore[union-attr]
        fits = room.width >= codes.needed.width and room.height >= codes.needed.height
        assert fits is shown
        if shown:
            # Scrolled to, the first row of codes is on screen whole, labels included.
            codes.query_one(".qr-codes").scroll_visible(animate=False, top=True)
            await pilot.pause()
            on_screen = screen_text(app)
            assert "█▀▀▀▀▀█" in on_screen  # a finder pattern's top edge
            assert "Call the clinic" in on_screen
        # The help lines themselves are always there.
        assert "(425) 629-0433" in text


async def test_codes_follow_a_resize(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(147, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        codes = app.screen.query_one(QrCodes)
        assert codes.display
        await pilot.resize_terminal(80, 22)
        await pilot.pause()
        assert not codes.display
        await pilot.resize_terminal(147, 40)
        await pilot.pause()
        assert codes.display


async def test_spanish_codes_have_spanish_labels_and_the_same_targets(
    make_app: AppFactory, library: ContentLibrary
) -> None:
    app = make_app(default_language="es")
    async with app.run_test(size=(147, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        codes = app.screen.query_one(QrCodes)
        assert [label for label, _ in codes.codes][:3] == [
            "Llamar a la clínica",
            "Llamar al 988",
            "Enviar texto al 988",
        ]
        assert codes.targets == tuple(c.target for c in library.get("en").help.qr_targets)
        assert "nunca sus respuestas" in flat(screen_text(app))


def test_codes_are_made_from_the_help_lines_and_nothing_else(library: ContentLibrary) -> None:
    with pytest.raises(TypeError):
        QrCodes("tel:988", "note")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        QrCodes(library.get("en").selfcheck, "note")  # type: ignore[arg-type]


async def test_no_answer_or_result_ever_reaches_a_code(
    make_app: AppFactory, library: ContentLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every text the kiosk turns into a code during whole self-checks (each result) and the
    help screen is a help line's staff-written target, in every language."""
    allowed = {
        code.target for content in library.languages.values() for code in content.help.qr_targets
    }
    drawn: list[str] = []
    real = qr_codes.qr_lines

    def recording(target: str) -> object:
        drawn.append(target)
        return real(target)

    monkeypatch.setattr(qr_codes, "qr_lines", recording)
    app = make_app()
    async with app.run_test(size=(147, 40)) as pilot:
        for answers in ["ynnnnnn", "nyyyyyy", "sssssss", "nnnnnnn"]:
            await pilot.press("3", "enter", *answers)
            await pilot.pause()
            result = app.screen
            assert isinstance(result, SelfCheckScreen)
            codes = result.query_one("#result-qr-codes", QrCodes)
            assert codes.display
            assert set(codes.targets) == allowed
            heading = str(result.query_one("#result-heading").render())
            assert heading and heading not in drawn
            await pilot.press("x")
        await pilot.press("h")
        await pilot.pause()
    assert drawn  # codes were drawn ...
    assert set(drawn) <= allowed  # ... and only of help lines
