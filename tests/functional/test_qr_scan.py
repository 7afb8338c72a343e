"""The help lines' QR codes, read as a phone reads them: from a real picture of the screen.

``kiosk serve`` shows the kiosk in Debian's Chromium at the deployment guide's font size
(``?fontsize=22`` on a 1920 x 1080 screen: 147 x 37 cells), the test takes a screenshot, and
zbar (``zbarimg``, Debian's zbar-tools, installed by ``make debian-packages``) decodes every
code on it. What it reads must be exactly what staff wrote in ``help.yaml``: nothing more, and
never anything about the visitor (the self-check result screen is read the same way).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from kiosk.content.model import ContentLibrary
from tests.functional.test_serve import (
    SCREEN_GEOMETRY,
    KioskPage,
    Served,
    chromium,
    needs_chromium,
    served,
)

__all__ = ["served"]  # the fixture, imported so that pytest finds it here

ZBARIMG = shutil.which("zbarimg")
needs_zbar = pytest.mark.skipif(
    ZBARIMG is None, reason="zbarimg is not installed; `make test` installs zbar-tools"
)


def decode(picture: Path) -> list[str]:
    """Every QR code zbar finds in ``picture``, as text (one entry per code)."""
    assert ZBARIMG is not None
    found = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # zbarimg exits 4 when it found no code at all.
    assert found.returncode in (0, 4), found.stderr
    return found.stdout.splitlines()


@pytest.fixture
def big_browser(tmp_path: Path) -> Iterator[BrowserContext]:
    """Debian's Chromium at the lobby screen's size, 1920 x 1080."""
    yield from chromium(tmp_path, 1920, 1080)


def _open(browser: BrowserContext, served: Served) -> KioskPage:
    page = browser.new_page()
    page.goto(served.url + "?fontsize=22")
    page.wait_for_function("() => window.__kioskTerminal !== undefined", timeout=15_000)
    # The deployment guide's lobby terminal.
    assert page.evaluate("() => [window.__kioskTerminal.cols, window.__kioskTerminal.rows]") == [
        147,
        37,
    ]
    return KioskPage(page)


def _codes_seen_while_scrolling(kiosk: KioskPage, folder: Path) -> set[str]:
    """Screenshots of the screen as a visitor scrolls down with the mouse wheel, a few lines at
    a time, to the end, and every code zbar reads on them."""
    seen: set[str] = set()
    left, top, width, height, _, _ = kiosk.page.evaluate(SCREEN_GEOMETRY)
    for step in range(30):
        picture = folder / f"screen-{step}.png"
        kiosk.page.screenshot(path=str(picture))
        seen.update(decode(picture))
        before = kiosk.text()
        kiosk.page.mouse.move(left + width / 3, top + height / 2)
        for _ in range(3):
            kiosk.page.mouse.wheel(0, 120)
        if not _changes(kiosk, before):
            break  # at the end
    return seen


def _changes(kiosk: KioskPage, before: str, seconds: float = 5) -> bool:
    """Whether the screen's text changes from ``before`` within ``seconds`` (it returns as soon
    as it does; at the end of the text it waits them all. 1.5 s was too short on a loaded
    machine: the first scroll had not come, and no code below the fold was ever seen)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if kiosk.text() != before:
            kiosk.page.wait_for_timeout(100)  # the rest of the scroll's frames
            return True
        kiosk.page.wait_for_timeout(20)
    return False


@needs_chromium
@needs_zbar
@pytest.mark.parametrize("theme", ["normal", "high contrast"])
def test_help_screen_codes_decode_to_exactly_the_staff_written_targets(
    served: Served,
    big_browser: BrowserContext,
    tmp_path: Path,
    library: ContentLibrary,
    theme: str,
) -> None:
    """Dark modules on light in both themes: many phone readers cannot read light on dark,
    and zbar here is not asked to try inverted codes."""
    targets = [code.target for code in library.get("en").help.qr_targets]
    assert targets  # the shipped content has codes to read
    kiosk = _open(big_browser, served)
    kiosk.wait_for("Welcome to Northpoint Evergreen")
    if theme == "high contrast":
        kiosk.tap("High contrast")
        kiosk.wait_for("Normal colors")
    kiosk.tap("Get help now")
    # The codes' labels may be below the first screenful (the reading column is narrower on a
    # wide screen, so the codes take more rows): the scroll below reaches them.
    kiosk.wait_for("Get help now", "Scan a code with your phone")

    seen = _codes_seen_while_scrolling(kiosk, tmp_path)
    # Every code reads as its target, and nothing else was read.
    assert seen == set(targets), (seen, targets)


@needs_chromium
@needs_zbar
def test_result_screen_codes_hold_no_answer(
    served: Served, big_browser: BrowserContext, tmp_path: Path, library: ContentLibrary
) -> None:
    targets = {code.target for code in library.get("en").help.qr_targets}
    kiosk = _open(big_browser, served)
    kiosk.wait_for("Welcome to Northpoint Evergreen")
    kiosk.tap("3  Private self-check")
    kiosk.wait_for("Start the self-check")
    kiosk.tap("Start the self-check")
    kiosk.wait_for("Question 1 of 7")
    kiosk.tap("Yes")
    for number in range(2, 8):
        kiosk.wait_for(f"Question {number} of 7")
        kiosk.tap("No")
    kiosk.wait_for("This is not a diagnosis")
    # Every code of the result screen reads as a help line's target: none holds an answer.
    assert _codes_seen_while_scrolling(kiosk, tmp_path) == targets
