"""Staff only: the PIN prompt and the staff screen (content status, reload, exit).

Staff words are in English and live here, not in ``content/``: visitors never see them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from kiosk.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.app import KioskApp


class PinScreen(ModalScreen[bool]):
    """Asks for the staff PIN; dismisses with True when it is right."""

    def __init__(self) -> None:
        super().__init__(id="pin-screen")

    @property
    def kiosk(self) -> KioskApp:
        """The running kiosk app, typed."""
        return cast("KioskApp", self.app)

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
        verdict = self.kiosk.check_pin(pin)
        if verdict == "ok":
            self.dismiss(True)
            return
        status = self.query_one("#pin-status", Static)
        if verdict == "locked":
            seconds = int(self.kiosk.pin_attempts.seconds_locked(self.kiosk.clock())) + 1
            status.update(f"Too many wrong PINs. Try again in {seconds} seconds.")
        else:
            status.update("Wrong PIN.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)


class StaffScreen(Screen[None]):
    """What staff need on site: is the content good, and a way out."""

    @property
    def kiosk(self) -> KioskApp:
        """The running kiosk app, typed."""
        return cast("KioskApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="staff-body", classes="body"):
            yield Static("Staff screen", id="staff-title", classes="section-title")
            yield Static(self._status(), id="staff-status", markup=False)
            with Horizontal(classes="button-row"):
                yield KioskButton("Check content again", id="staff-reload")
                yield KioskButton("Back to the kiosk", id="staff-back")
                yield KioskButton("Exit the kiosk", id="staff-exit")

    def _status(self) -> str:
        app = self.kiosk
        lines = [f"Content folder: {app.library.folder}"]
        lines.append("Languages: " + ", ".join(app.library.languages))
        if app.content_problems:
            lines.append("")
            lines.append(
                f"The last change has {len(app.content_problems)} problem(s); "
                "visitors still see the last good content:"
            )
            lines.extend(str(problem) for problem in app.content_problems)
        else:
            lines.append("Content: no problems found.")
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.query_one("#staff-back").focus()

    def refresh_status(self) -> None:
        """Show the latest content status."""
        self.query_one("#staff-status", Static).update(self._status())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "staff-exit":
            self.kiosk.staff_exit()
        elif event.button.id == "staff-back":
            self.kiosk.action_reset()
        elif event.button.id == "staff-reload":
            self.kiosk.reload_content()
