"""The letter-size arithmetic behind "Larger text" and the deployment guide's font table."""

from __future__ import annotations

import pytest

from kiosk.rules.text_size import Screen


def test_a_capital_of_0_7_degrees_at_50_cm_is_about_6_mm() -> None:
    screen = Screen(15.6, 1920, 1080)
    assert screen.large_capital_mm() == pytest.approx(6.11, abs=0.01)


@pytest.mark.parametrize(
    ("screen", "font", "cells"),
    [
        (Screen(15.6, 1920, 1080), 48, (66, 17)),  # the lobby's 15.6-inch touchscreen
        (Screen(21.5, 1920, 1080), 35, (91, 23)),
        (Screen(24, 1920, 1080), 32, (100, 25)),
    ],
)
def test_larger_text_meets_the_angle_on_each_screen(
    screen: Screen, font: int, cells: tuple[int, int]
) -> None:
    assert screen.large_font_pixels() == font
    assert screen.capital_degrees(font) >= 0.7 > screen.capital_degrees(font - 1)
    assert screen.cells(font) == cells


def test_todays_font_is_well_below_the_angle() -> None:
    """The deployment guide's 22-pixel font: capitals about 2.8 mm on the 15.6-inch screen."""
    screen = Screen(15.6, 1920, 1080)
    assert screen.capital_mm(22) == pytest.approx(2.8, abs=0.05)
    assert screen.capital_degrees(22) < 0.35
