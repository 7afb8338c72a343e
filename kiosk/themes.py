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
