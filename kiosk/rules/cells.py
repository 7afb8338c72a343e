"""How many terminal cells a text takes, without Rich (pure logic runs without it).

A terminal draws most characters in one cell, East Asian wide and full-width characters (Chinese,
Japanese kana, full-width punctuation) in two, and combining marks (Vietnamese can stack two
on one letter, when written decomposed) in none. This follows the Unicode East Asian Width
property as Rich's ``cell_len`` and the terminals do; ``tests/unit/test_languages.py`` checks that
both agree on every text of the shipped content.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """The number of cells ``text`` takes on a terminal."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)
