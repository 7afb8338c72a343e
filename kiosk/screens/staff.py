"""Staff only: the PIN prompt and the staff screen (content status, check again, exit).

Staff words are in English and live here, not in ``content/``: visitors never see them.
Both screens get what they show from the app and tell it what staff chose with messages: the
PIN screen posts :class:`PinScreen.Typed` and shows the verdict it is given back; the staff
screen posts :class:`StaffScreen.Chose`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from kiosk.widgets import KioskButton


class PinScreen(ModalScreen[bool]):
    """Asks for the staff PIN; the app checks it (:class:`PinScreen.Typed`) and answers with
    :meth:`show_verdict`. Dismisses with True when it was right."""

    class Typed(Message):
        """Staff typed a PIN and pressed Enter."""

        def __init__(self, pin: str) -> None:
            super().__init__()
            self.pin = pin

        def __repr__(self) -> str:
            return "PinScreen.Typed(<hidden>)"  # the PIN never reaches a log

    def __init__(self) -> None:
        super().__init__(id="pin-screen")

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-dialog"):
            yield Static("Staff only: type the PIN, then press Enter.", id="pin-title")
            yield Input(password=True, id="pin-input", max_length=12, restrict=r"[0-9]*")
            yield Static("", id="pin-status")
            with Horizontal(classes="button-row"):
                yield KioskButton("Cancel", id="pin-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pin = event.value
        event.input.value = ""  # the PIN does not stay on screen or in the widget
        self.post_message(self.Typed(pin))

    def show_verdict(
        self, verdict: Literal["ok", "wrong", "locked"], seconds_locked: float
    ) -> None:
        """What the app found: in, a wrong PIN, or locked for a while."""
        if verdict == "ok":
            self.dismiss(True)
            return
        status = self.query_one("#pin-status", Static)
        if verdict == "locked":
            status.update(f"Too many wrong PINs. Try again in {int(seconds_locked) + 1} seconds.")
        else:
            status.update("Wrong PIN.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)


@dataclass(frozen=True)
class StaffStatus:
    """What the staff screen shows: where the content is, and whether the last change failed."""

    folder: Path
    languages: Sequence[str]
    problems: Sequence[object]

    def text(self) -> str:
        lines = [f"Content folder: {self.folder}", "Languages: " + ", ".join(self.languages)]
        if self.problems:
            lines.append("")
            lines.append(
                f"The last change has {len(self.problems)} problem(s); "
                "visitors still see the last good content:"
            )
            lines.extend(str(problem) for problem in self.problems[:50])
            if len(self.problems) > 50:
                lines.append(f"… and {len(self.problems) - 50} more (see the journal)")
        else:
            lines.append("Content: no problems found.")
        return "\n".join(lines)


StaffChoice = Literal["check", "back", "exit"]
#: The staff screen's buttons and what each asks the app for.
STAFF_CHOICES: dict[str, StaffChoice] = {
    "staff-check": "check",
    "staff-back": "back",
    "staff-exit": "exit",
}


class StaffScreen(Screen[None]):
    """What staff need on site: is the content good, and a way out."""

    class Chose(Message):
        """Staff pressed one of the screen's buttons."""

        def __init__(self, choice: StaffChoice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, status: StaffStatus) -> None:
        super().__init__()
        self.status = status

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="staff-body", classes="body"):
            yield Static("Staff screen", id="staff-title", classes="section-title")
            yield Static(self.status.text(), id="staff-status", markup=False)
            with Horizontal(classes="button-row"):
                yield KioskButton("Check content again", id="staff-check")
                yield KioskButton("Back to the kiosk", id="staff-back")
                yield KioskButton("Exit the kiosk", id="staff-exit")

    def on_mount(self) -> None:
        self.query_one("#staff-back").focus()

    def show_status(self, status: StaffStatus) -> None:
        """Show the latest content status."""
        self.status = status
        self.query_one("#staff-status", Static).update(status.text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = STAFF_CHOICES.get(event.button.id or "")
        if choice is not None:
            self.post_message(self.Chose(choice))
