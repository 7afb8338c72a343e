"""What read-aloud says: the screen's text, turned into words a person would say.

espeak-ng reads what is written: "(425) 629-0433" as "four hundred twenty-five … six hundred
twenty-nine dash zero four three three", "24/7" as "twenty-four slash seven", and in Spanish
the "·" between the help bar's parts as "punto medio". So before the text goes to espeak-ng:

1. the language's own table (``ui.yaml`` ``spoken_as``, written by staff) replaces written forms
   with spoken ones, e.g. "24/7" -> "24 hours a day, 7 days a week", "IOP" -> "I O P";
2. every phone number of ``help.yaml`` is said digit by digit in its groups, the way a person
   reads a number out: "4 2 5, 6 2 9, 0 4 3 3" (a toll-free "800" stays "eight hundred");
3. the symbols the screens use for layout or marks (· • ✔ ✘ ◐ ◇ ▲ ▼ — …) become a pause or
   nothing. The words next to a mark always say what it means.

Pure: no I/O, nothing kept between calls. Tested in ``tests/functional/test_spoken.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Signs that separate parts of a line: said as a short pause.
PAUSES = "·•—|"
#: Marks and arrows drawn next to words that already say what they mean: not said at all.
SILENT = "✔✘◐◇▲▼▶◀☐☑"
#: Groups of digits said as a number, not digit by digit ("1-800-…": "one, eight hundred").
SAID_AS_NUMBERS = frozenset({"800"})


def spoken_number(number: str) -> str:
    """A phone number as a person reads it out: its groups of digits, digit by digit.

    >>> spoken_number("(425) 629-0433")
    '4 2 5, 6 2 9, 0 4 3 3'
    >>> spoken_number("1-800-662-4357")
    '1, 800, 6 6 2, 4 3 5 7'
    """
    groups = re.findall(r"\d+", number)
    return ", ".join(group if group in SAID_AS_NUMBERS else " ".join(group) for group in groups)


def _written_pattern(written: str) -> re.Pattern[str]:
    """``written`` as a whole: not inside a longer word ("AA" is not found in "AAA")."""
    before = r"(?<!\w)" if written[:1].isalnum() else ""
    after = r"(?!\w)" if written[-1:].isalnum() else ""
    return re.compile(before + re.escape(written) + after)


def speech_text(text: str, spoken_as: Mapping[str, str], numbers: Iterable[str] = ()) -> str:
    """``text`` as read-aloud should say it (see the module docstring).

    ``spoken_as``: written form -> spoken form, for this language. ``numbers``: the phone
    numbers as written on screen (help.yaml), said digit by digit.
    """
    # Longest first: an entry for "(425) 629-0433" wins over one for "629".
    for written in sorted(spoken_as, key=len, reverse=True):
        if written:
            text = _written_pattern(written).sub(f" {spoken_as[written]} ", text)
    for number in sorted(set(numbers), key=len, reverse=True):
        if any(character.isdigit() for character in number):
            text = _written_pattern(number).sub(f" {spoken_number(number)} ", text)
    for sign in PAUSES:
        text = text.replace(sign, ", ")
    for sign in SILENT:
        text = text.replace(sign, " ")
    return _tidy(text)


def _tidy(text: str) -> str:
    """One space between words, none before a comma or full stop, no doubled commas; line
    breaks (pauses between screen parts) kept."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"[ \t]+", " ", line)
        line = re.sub(r" +([,.;:?!])", r"\1", line)
        line = re.sub(r",(\s*,)+", ",", line)
        line = re.sub(r"([.;:?!]),", r"\1", line)
        line = line.strip(" ,")
        if line:
            lines.append(line)
    return "\n".join(lines)
