"""Where a line of text may break, for Chinese and Japanese as well as for spaced scripts.

Textual wraps text with Rich's ``divide_line``, which breaks only at spaces; a run of Chinese
characters has none, so the whole run is one "word": it is moved whole to the next line
(leaving the line before it short, or a Latin word such as "IOP" alone on a line) and only
then cut into lines cell by cell, which may start a line with a full stop. Chinese is written
without spaces and may break between any two characters, except that closing punctuation
(，。、：）” …) never starts a line and opening punctuation (（“「 …) never ends one.

:func:`words` splits text into the pieces a line may break between, in the shape of Rich's
own ``words`` (start, end, text with its trailing spaces): each Chinese or Japanese character
is a piece of its own, with the opening punctuation before it and the closing punctuation after
it; other text is split at spaces as before. Text without such characters is split exactly
as Rich splits it (:func:`kiosk.textual_internals.break_lines_between_cjk_characters` puts
this in Rich's place).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Characters of scripts written without spaces: CJK ideographs, kana, bopomofo, Hangul
#: compatibility, CJK punctuation and full-width forms.
CJK = (
    "\u2e80-\u2fff\u3000-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
#: Punctuation that must not end a line (it belongs to what follows).
OPENING = "（［｛〔〈《「『【〖〘〚“‘"
#: Punctuation that must not start a line (it belongs to what comes before).
CLOSING = "，。、．：；！？）］｝〕〉》」』】〗〙〛”’…—～·％"

_HAS_CJK = re.compile(f"[{CJK}]")
_PIECE = re.compile(
    rf"\s*[{OPENING}]*"
    rf"(?:(?![{OPENING}{CLOSING}])[{CJK}]|[^\s{CJK}{OPENING}{CLOSING}]+)"
    rf"[{CLOSING}]*\s*"
    r"|\s*\S\s*"  # a stray sign (a lone closing mark at the very start): on its own
)
#: Rich's own split, for text without CJK characters.
_RICH_WORD = re.compile(r"\s*\S+\s*")


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """Each piece of ``text`` that a line may break after, as ``(start, end, piece)``."""
    pattern = _PIECE if _HAS_CJK.search(text) else _RICH_WORD
    position = 0
    match = pattern.match(text, position)
    while match is not None and match.end() > position:
        position = match.end()
        yield match.start(), position, match.group(0)
        match = pattern.match(text, position)
