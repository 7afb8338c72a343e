"""The kiosk's two themes: its own normal theme and a high-contrast one.

Textual's stock themes fall below WCAG AA on some of their own widgets (tabs, footers), so the kiosk
never uses them. Every text colour here is chosen against the background it is drawn on: the normal
theme reaches at least 4.5:1 and the high-contrast theme at least 7:1 (checked by
``test_every_text_meets_its_contrast_bar`` in ``tests/functional/test_accessibility.py``, on
rendered screens).
"""

from __future__ import annotations

from textual.theme import Theme

NORMAL = "kiosk-light"
HIGH_CONTRAST = "kiosk-high-contrast"

KIOSK_LIGHT = Theme(
    name=NORMAL,
    primary="#0B4A7A",  # dark blue: white text on it is 9.4:1
    secondary="#4A2C6E",
    accent="#8A3B00",
    warning="#7A4B00",
    error="#9B1C1C",
    success="#1B5E20",
    foreground="#1B1B1B",
    background="#FFFFFF",
    surface="#F1F3F5",
    panel="#E3E8EE",
    dark=False,
    text_alpha=1.0,
    variables={
        "kiosk-muted": "#3D4650",  # secondary text: 9.9:1 on white
        "kiosk-on-primary": "#FFFFFF",  # text on buttons
        "kiosk-bar-background": "#0B4A7A",
        "kiosk-bar-foreground": "#FFFFFF",
        "kiosk-focus": "#FFD54A",  # amber on the dark-blue buttons: 7.1:1
        "kiosk-focus-on-page": "#8A3B00",  # dark orange on white, for focused text areas
        "kiosk-selected-background": "#1B5E20",
        "kiosk-selected-foreground": "#FFFFFF",
        "footer-background": "#E3E8EE",
        "footer-foreground": "#1B1B1B",
        "footer-key-foreground": "#0B4A7A",
        "footer-description-foreground": "#1B1B1B",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-background": "#0B4A7A",
        "scrollbar": "#5A6570",
        "scrollbar-hover": "#3D4650",
        "scrollbar-active": "#0B4A7A",
        "scrollbar-background": "#E3E8EE",
    },
)

KIOSK_HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",  # yellow on black is 19.6:1
    secondary="#00FFFF",
    accent="#FFFFFF",
    warning="#FFFF00",
    error="#FF8080",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    text_alpha=1.0,
    variables={
        "kiosk-muted": "#FFFFFF",
        "kiosk-on-primary": "#000000",  # black on the yellow buttons
        "kiosk-bar-background": "#FFFF00",
        "kiosk-bar-foreground": "#000000",
        "kiosk-focus": "#000000",  # black on the yellow buttons
        "kiosk-focus-on-page": "#00FFFF",
        "kiosk-selected-background": "#00FF00",
        "kiosk-selected-foreground": "#000000",
        "footer-background": "#000000",
        "footer-foreground": "#FFFFFF",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "scrollbar": "#FFFFFF",
        "scrollbar-hover": "#FFFF00",
        "scrollbar-active": "#FFFF00",
        "scrollbar-background": "#1A1A1A",
    },
)

THEMES: tuple[Theme, ...] = (KIOSK_LIGHT, KIOSK_HIGH_CONTRAST)


# ---- the same two themes on a 16-colour terminal (the Linux text console) -------------------
#
# With TERM=linux, Textual (through Rich) draws every colour as the nearest of the 16 standard
# ones, and the Linux console then changes two things on its own: bold text is drawn in the
# bright version of its colour (its fonts have no bold), and a bright *background* is drawn
# as the dim one (SGR 100-107 mean 40-47 there). The truecolor themes above then came out as
# dark grey on light grey (3.2:1): near-black bold text became dark grey, and the white page
# became light grey. So on 16 colours each theme is replaced, under its own name, by one made
# of the standard colours only (exact VGA values: nothing is left to rounding), light text on
# a black page, where bold only makes text brighter. Checked with that console's rules by
# ``test_sixteen_colour_console_contrast`` (tests/functional/test_accessibility.py).

#: The 16 standard colours as Rich draws them (rich._palettes.STANDARD_PALETTE, the VGA ones).
BLACK, RED, BLUE, MAGENTA, GREY = "#000000", "#AA0000", "#0000AA", "#AA00AA", "#AAAAAA"
BRIGHT_WHITE, BRIGHT_YELLOW, BRIGHT_CYAN = "#FFFFFF", "#FFFF55", "#55FFFF"


def _console_theme(name: str, *, text: str, selected: str) -> Theme:
    """A theme of standard colours: ``text`` on black, white on blue buttons and bars, white
    on ``selected`` for picked options."""
    return Theme(
        name=name,
        primary=BLUE,  # bright white on blue: 13.3:1
        secondary=selected,  # the short "pressed" look
        accent=BRIGHT_WHITE,
        warning=BRIGHT_YELLOW,
        error=BRIGHT_WHITE,
        success=BRIGHT_WHITE,
        foreground=text,
        background=BLACK,
        surface=BLACK,
        panel=BLACK,
        dark=True,
        text_alpha=1.0,
        variables={
            "kiosk-muted": text,
            "kiosk-on-primary": BRIGHT_WHITE,
            "kiosk-bar-background": BLUE,
            "kiosk-bar-foreground": BRIGHT_WHITE,
            "kiosk-focus": BRIGHT_YELLOW,
            "kiosk-focus-on-page": BRIGHT_YELLOW,
            "kiosk-selected-background": selected,
            "kiosk-selected-foreground": BRIGHT_WHITE,
            "footer-background": BLACK,
            "footer-foreground": text,
            "footer-key-foreground": BRIGHT_YELLOW,
            "footer-description-foreground": text,
            "block-cursor-foreground": BRIGHT_WHITE,
            "block-cursor-background": BLUE,
            "scrollbar": GREY,
            "scrollbar-hover": BRIGHT_WHITE,
            "scrollbar-active": BRIGHT_WHITE,
            "scrollbar-background": BLACK,
        },
    )


#: The normal theme on 16 colours: grey on black (9:1; bold text is drawn white, 21:1).
CONSOLE_LIGHT = _console_theme(NORMAL, text=GREY, selected=MAGENTA)  # white on it: 6.4:1
#: The high-contrast theme on 16 colours: bright white on black (21:1).
CONSOLE_HIGH_CONTRAST = _console_theme(HIGH_CONTRAST, text=BRIGHT_WHITE, selected=RED)  # 7.7:1
CONSOLE_THEMES: tuple[Theme, ...] = (CONSOLE_LIGHT, CONSOLE_HIGH_CONTRAST)

#: Colour systems (Rich's names) with no more than the 16 standard colours.
SIXTEEN_COLOUR_SYSTEMS = frozenset({"standard", "windows"})
