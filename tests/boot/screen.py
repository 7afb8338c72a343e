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
    line: tuple[int, int, int, int]

    @property
    def center(self) -> tuple[int, int]:
        return self.left + self.width // 2, self.top + self.height // 2


def _tesseract(image: Path, page: int) -> list[Word]:
    tsv = subprocess.run(
        ["tesseract", str(image), "-", "--psm", "3", "tsv"],
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
                (page, int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def read_words(ppm: Path) -> list[Word]:
    """Every word on a screenshot (qemu's PPM), in reading order.

    Read twice: as it is, and with its colours inverted, because tesseract misses light text
    on a dark button (the kiosk's buttons are white on blue) and reads it once inverted.
    """
    data = ppm.read_bytes()
    # qemu writes "P6\n<width> <height>\n255\n", then the pixels.
    magic, size, maximum, _ = data.split(b"\n", 3)
    header_end = len(magic) + len(size) + len(maximum) + 3
    inverted = ppm.with_name(ppm.stem + "-inverted.ppm")
    inverted.write_bytes(data[:header_end] + data[header_end:].translate(INVERT))
    return _tesseract(ppm, 0) + _tesseract(inverted, 1)


#: Byte 0 becomes 255 and so on: the inverted picture.
INVERT = bytes(range(255, -1, -1))


def text_of(words: list[Word]) -> str:
    """The words as lines of text (one line per line tesseract found)."""
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(line) for line in lines.values())


def squash(text: str) -> str:
    """Lower case, letters and digits only: what OCR reads reliably."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def holds(found: str, wanted: str, misreads: int = 0) -> bool:
    """Whether squashed text ``found`` holds squashed ``wanted``, with at most ``misreads``
    characters read wrong (tesseract read Chromium's "0433" as "6433"). Only for a text that
    is the only one of its kind on the screen: with one misread, "Question 3 of 7" would
    stand for "Question 4 of 7"."""
    if wanted in found:
        return True
    return misreads > 0 and any(
        sum(a != b for a, b in zip(found[start : start + len(wanted)], wanted, strict=True))
        <= misreads
        for start in range(len(found) - len(wanted) + 1)
    )


def shows(words: list[Word], phrase: str) -> bool:
    """Whether the phrase is on the screen (compared without spaces and punctuation)."""
    return squash(phrase) in squash(text_of(words).replace("\n", " "))


def find_last(words: list[Word], phrase: str) -> tuple[int, int] | None:
    """The middle of the lowest place on the screen where the phrase is written on one line."""
    wanted = squash(phrase)
    lines: dict[tuple[int, int, int, int], list[Word]] = {}
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


def line_with(
    words: list[Word], phrase: str, misreads: int = 0
) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) of the lowest line of text that holds the phrase
    (with at most ``misreads`` characters read wrong, see :func:`holds`)."""
    wanted = squash(phrase)
    lines: dict[tuple[int, int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    boxes = [
        (
            min(word.left for word in line),
            min(word.top for word in line),
            max(word.left + word.width for word in line),
            max(word.top + word.height for word in line),
        )
        for line in lines.values()
        if holds(squash("".join(word.text for word in line)), wanted, misreads)
    ]
    if not boxes:
        return None
    # The lowest line; of its readings (the picture as it is and inverted), the widest: one
    # reading may stop a few words short of the line's end.
    lowest = max(box[3] for box in boxes)
    return max((box for box in boxes if box[3] > lowest - 10), key=lambda box: box[2] - box[0])


#: The kiosk's button colour (kiosk-light), as foot and Chromium draw it: a run of such pixels.
BUTTON_RUN = re.compile(rb"(?:[\x00-\x28][\x3c-\x5a][\x64-\x8c]){40,}")


def _load_ppm(ppm: Path) -> tuple[int, int, bytes]:
    magic, size, _, pixels = ppm.read_bytes().split(b"\n", 3)
    assert magic == b"P6"
    width, height = (int(n) for n in size.split())
    return width, height, pixels


def buttons(ppm: Path) -> list[tuple[str, tuple[int, int]]]:
    """Every button on the screen: its label and its middle.

    Buttons are found by their colour (solid blocks of the button blue, narrower than the
    screen: the help bar is as wide as the screen), and each label is read on its own, cut
    out and made black on white: tesseract misses white labels on blue in a whole screen.
    """
    width, height, pixels = _load_ppm(ppm)
    step = 3
    # A box goes on down while each row's blue (around the label's letters) spans the same
    # width: a button right under another one of another width (the result screen's Hide
    # above the scroll buttons) is a box of its own, not one box with both.
    # It also goes on across a few rows with no blue run at all: in a narrow button the label's
    # letters leave no run of 40 blue pixels on their rows (the self-check's focused "Start").
    tolerance = 6
    gap = 6 * step
    boxes: list[list[int]] = []  # left, right, top, bottom, and the last row's left, right
    for y in range(0, height, step):
        row = pixels[y * width * 3 : (y + 1) * width * 3]
        spans: dict[int, list[int]] = {}  # index of the box above -> this row's span under it
        for run in BUTTON_RUN.finditer(row):
            if run.start() % 3:
                continue
            left, right = run.start() // 3, run.end() // 3
            for index, box in enumerate(boxes):
                if y - gap <= box[3] < y and left < box[5] and right > box[4]:
                    span = spans.setdefault(index, [left, right])
                    span[0], span[1] = min(span[0], left), max(span[1], right)
                    break
            else:
                boxes.append([left, right, y, y, left, right])
        for index, (left, right) in spans.items():
            box = boxes[index]
            if abs(left - box[4]) <= tolerance and abs(right - box[5]) <= tolerance:
                box[0], box[1], box[3], box[4], box[5] = (
                    min(box[0], left), max(box[1], right), y, left, right
                )  # fmt: skip
            else:
                boxes.append([left, right, y, y, left, right])
    found = []
    for left, right, top, bottom in _frames_joined(boxes, gap):
        if not (40 <= right - left < width * 3 // 4 and bottom - top >= 30):
            continue
        found.append(
            (
                _read_label(pixels, width, (left, right, top, bottom), ppm),
                (
                    (left + right) // 2,
                    (top + bottom) // 2,
                ),
            )
        )
    return found


def _frames_joined(boxes: list[list[int]], gap: int) -> list[tuple[int, int, int, int]]:
    """The boxes, with each one that is the inside of a focus frame joined to the one around it.

    A focused button's yellow frame cuts its blue in two: the band outside the frame, and
    the band inside it, a little narrower on both sides (seen on Chromium's focused "Start the
    self-check", read as two buttons with no label). Inside means: starting right under the
    outer band, inset by the same few pixels on the left and the right. A button under a button
    of another width (Hide above the scroll buttons) is not inset on both sides alike.
    """
    joined: list[list[int]] = []
    for left, right, top, bottom, _, _ in sorted(boxes, key=lambda box: box[2]):
        for outer in joined:
            inset_left, inset_right = left - outer[0], outer[1] - right
            if (
                0 <= top - outer[3] <= gap + 12
                and 0 < inset_left <= 20
                and 0 < inset_right <= 20
                and abs(inset_left - inset_right) <= 4
            ):
                outer[3] = max(outer[3], bottom)
                break
        else:
            joined.append([left, right, top, bottom])
    return [(left, right, top, bottom) for left, right, top, bottom in joined]


def _read_label(pixels: bytes, width: int, box: tuple[int, int, int, int], ppm: Path) -> str:
    left, right, top, bottom = box
    inset = 12  # inside the button's border (the focused one has a yellow frame)
    left, right, top, bottom = left + inset, right - inset, top + inset, bottom - inset
    crop = bytearray()
    for y in range(top, bottom):
        row = pixels[(y * width + left) * 3 : (y * width + right) * 3]
        # Light pixels (the label) black, the rest white.
        line = bytes(0 if sum(row[i : i + 3]) > 3 * 150 else 255 for i in range(0, len(row), 3))
        # The focused button's label is underlined: a row with a long unbroken run of "ink"
        # (longer than two letters are wide) is the underline, or the frame, which joins the
        # letters and hides them from tesseract.
        if line.count(0) > len(line) // 2 or b"\x00" * 30 in line:
            line = b"\xff" * len(line)
        crop += line
    pgm = ppm.with_name(f"{ppm.stem}-button.pgm")
    pgm.write_bytes(b"P5\n%d %d\n255\n" % (right - left, bottom - top) + bytes(crop))
    return subprocess.run(
        ["tesseract", str(pgm), "-", "--psm", "7"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def find_button(found: list[tuple[str, tuple[int, int]]], label: str) -> tuple[int, int] | None:
    """The middle of the button with this label (focus markers and digits around it allowed)."""
    wanted = squash(label)
    exact = [where for text, where in found if squash(text) == wanted]
    near = [
        where
        for text, where in found
        if wanted in squash(text) and len(squash(text)) - len(wanted) <= 3
    ]
    return (exact or near or [None])[0]
