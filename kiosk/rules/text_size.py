"""How big the kiosk's letters are on the lobby's own screen, and how big "Larger text" makes them.

EN 301 549 §5.1.4 (closed functionality) asks for a text-enlargement mode in which a capital
letter H subtends at least 0.7° at the viewing distance: 2 x d x tan(0.35°), about 6.1 mm at
50 cm. A terminal's letters are as tall as its font makes them, so the size follows from the
screen: its diagonal and resolution give the size of one pixel, the font's cap height
(:data:`CAP_HEIGHT_EM` of the font size, for the browser kiosk's Roboto Mono and for DejaVu Sans
Mono alike) gives the capital's height in pixels.

Pure arithmetic, used by ``kiosk serve`` (the font size of "Larger text"), by ``kiosk
validate`` (to say what the configured screen gives) and by the deployment guide's table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The visual angle of a capital H in the enlargement mode (EN 301 549 §5.1.4.1).
LARGE_TEXT_DEGREES = 0.7
#: Height of a capital letter as a share of the font size: Roboto Mono's cap height is 1456
#: of 2048 units (0.711), DejaVu Sans Mono's 1493 of 2048 (0.729); the lower is used.
CAP_HEIGHT_EM = 0.711
#: A cell is about this much wider and taller than the font size (measured in Chromium with
#: Roboto Mono: font size 22 gives 13 x 29 pixel cells; foot with DejaVu Sans Mono: 13 x 27).
CELL_WIDTH_EM = 0.6
CELL_HEIGHT_EM = 1.32


@dataclass(frozen=True)
class Screen:
    """A physical screen: its diagonal and resolution, and how far visitors stand from it."""

    diagonal_inches: float
    width_pixels: int
    height_pixels: int
    viewing_distance_cm: float = 50.0

    @property
    def pixel_mm(self) -> float:
        """The size of one pixel, in millimetres."""
        return 25.4 * self.diagonal_inches / math.hypot(self.width_pixels, self.height_pixels)

    def capital_mm(self, font_pixels: float) -> float:
        """How tall a capital letter of a ``font_pixels`` font is on this screen."""
        return font_pixels * CAP_HEIGHT_EM * self.pixel_mm

    def capital_degrees(self, font_pixels: float) -> float:
        """The visual angle of that capital at the viewing distance."""
        return math.degrees(
            2 * math.atan(self.capital_mm(font_pixels) / 2 / (self.viewing_distance_cm * 10))
        )

    def large_font_pixels(self) -> int:
        """The smallest whole font size whose capital H subtends :data:`LARGE_TEXT_DEGREES`."""
        return math.ceil(self.large_capital_mm() / (CAP_HEIGHT_EM * self.pixel_mm))

    def large_capital_mm(self) -> float:
        """How tall a capital must be to subtend :data:`LARGE_TEXT_DEGREES` here."""
        half_angle = math.radians(LARGE_TEXT_DEGREES / 2)
        return 2 * self.viewing_distance_cm * 10 * math.tan(half_angle)

    def cells(self, font_pixels: float) -> tuple[int, int]:
        """About how many terminal cells (columns, rows) fit at ``font_pixels``."""
        columns = int(self.width_pixels // (font_pixels * CELL_WIDTH_EM))
        rows = int(self.height_pixels // (font_pixels * CELL_HEIGHT_EM))
        return columns, rows


#: How the kiosk asks the browser page for larger or normal letters: a "link" it opens, which
#: ``kiosk serve`` turns into a message to the page and never opens (kiosk.system.serve).
TEXT_SIZE_LINK = "kiosk:text-size/"


def text_size_link(larger: bool) -> str:
    """The link that asks for larger (or normal) letters."""
    return f"{TEXT_SIZE_LINK}{'large' if larger else 'normal'}"
