"""Reading a graphical launcher's screen: qemu's screenshot, read by tesseract (Debian's OCR).

The text console is read exactly, as text, from the guest's kernel (tests/boot/vm.py,
``read_console``). cage + foot and Chromium draw pixels, so there the test reads the words
on qemu's screenshot, and finds where a button's label is to tap it, as a person would.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Word:
    """One word tesseract read, and where it is on the screen (pixels)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]

    @property
    def center(self) -> tuple[int, int]:
        return self.left + self.width // 2, self.top + self.height // 2


def read_words(png: Path) -> list[Word]:
    """Every word on the screenshot, in reading order."""
    tsv = subprocess.run(
        ["tesseract", str(png), "-", "--psm", "3", "tsv"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text or row["conf"] == "-1":
            continue
        words.append(
            Word(
                text,
                int(row["left"]),
                int(row["top"]),
                int(row["width"]),
                int(row["height"]),
                (int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def text_of(words: list[Word]) -> str:
    """The words as lines of text (one line per line tesseract found)."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(line) for line in lines.values())


def squash(text: str) -> str:
    """Lower case, letters and digits only: what OCR reads reliably."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def shows(words: list[Word], phrase: str) -> bool:
    """Whether the phrase is on the screen (compared without spaces and punctuation)."""
    return squash(phrase) in squash(text_of(words).replace("\n", " "))


def find_last(words: list[Word], phrase: str) -> tuple[int, int] | None:
    """The middle of the lowest place on the screen where the phrase is written on one line."""
    wanted = squash(phrase)
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    found: list[tuple[int, int]] = []
    for line in lines.values():
        for start in range(len(line)):
            joined = ""
            for end in range(start, len(line)):
                joined += squash(line[end].text)
                if joined == wanted:
                    first, last = line[start], line[end]
                    found.append(
                        (
                            (first.left + last.left + last.width) // 2,
                            (first.top + last.top + last.height) // 2,
                        )
                    )
                    break
                if not wanted.startswith(joined):
                    break
    return max(found, key=lambda point: point[1]) if found else None
