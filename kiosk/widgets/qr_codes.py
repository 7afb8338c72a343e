"""The help lines' QR codes, for a visitor to scan with their own phone.

The widget is made from the help lines (:class:`~kiosk.content.model.HelpText`) and nothing else: it
has no way to be handed other text, so a code can only ever hold a public number or web page
that staff wrote in ``help.yaml`` (``kiosk/rules/qr.py`` refuses anything else as well). The codes
are drawn black on white in both themes, each with its label under it, and wrap onto more rows
as the screen narrows.

A code that does not fit whole in the scrolling area around it could not be scanned (a phone
needs the whole code, quiet zone included, on screen at once): then the codes and their note
are hidden. The largest code decides (the shipped content's: 33 columns and 18 rows with its
label), so a visitor who scrolls always finds each code whole on screen. At every size the
kiosk is made for they show (80 x 24 has a text area of 65 x 19; 147 x 40, 80 x 66, 60 x 40);
they are hidden below it, for example at 80 x 22 or 45 x 40, and on a short wide screen
(60 x 24: a 17-row text area).
"""

from __future__ import annotations

from rich.columns import Columns
from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from kiosk.content.model import HelpText
from kiosk.rules.qr import QrDrawing, qr_lines

#: Black on white, whatever the theme: phones read dark modules on a light ground.
DARK = "#000000"
LIGHT = "#FFFFFF"
BOLD = Style(bold=True)


class QrCodes(Vertical):
    """Every QR code of the help lines, under a one-line note that they hold nothing private."""

    DEFAULT_CSS = """
    QrCodes {
        height: auto;
        margin: 1 0 0 0;
    }
    QrCodes .qr-note {
        margin: 0 0 1 0;
    }
    """

    def __init__(self, help_text: HelpText, note: str, *, id: str | None = None) -> None:
        if not isinstance(help_text, HelpText):
            # The one way in is the help lines: not a string, not a result, not an answer.
            raise TypeError("QrCodes shows the help lines' codes only")
        super().__init__(id=id)
        self._note = note
        #: (label, drawing) of every code, the clinic's first.
        self.codes: tuple[tuple[str, QrDrawing], ...] = tuple(
            (code.label, qr_lines(code.target)) for code in help_text.qr_targets
        )
        #: Columns and rows the largest code needs, its label included.
        self.needed = Size(
            max((drawing.width for _, drawing in self.codes), default=0),
            max((drawing.height + 1 for _, drawing in self.codes), default=0),
        )
        self.display = False  # until the size around it is known to fit a code

    @property
    def targets(self) -> tuple[str, ...]:
        """What the codes on this widget say, in order."""
        return tuple(drawing.target for _, drawing in self.codes)

    def compose(self) -> ComposeResult:
        yield Static(self._note, markup=False, classes="qr-note note")
        yield Static(self._codes_renderable(), classes="qr-codes")

    def _codes_renderable(self) -> Columns:
        style = Style(color=DARK, bgcolor=LIGHT)
        boxes = []
        for label, drawing in self.codes:
            lines = [Text(line, style=style, no_wrap=True) for line in drawing.lines]
            # Centred by hand, so that the label's spaces are white too.
            caption = Text(label[: drawing.width].center(drawing.width), style=style + BOLD)
            boxes.append(Group(*lines, caption))
        return Columns(boxes, padding=(1, 2))

    def on_mount(self) -> None:
        # After every layout of the screen (a resize, the nav bar's title moving to a line of
        # its own): the size of the area around the codes is known only then. Widget.size is
        # not a reactive, so it cannot be watched.
        self.screen.screen_layout_refresh_signal.subscribe(self, lambda _screen: self._fit())

    def _fit(self) -> None:
        """Show the codes only where a whole code fits the scrolling area around them."""
        parent = self.parent
        if not isinstance(parent, Widget) or not self.codes:
            self.display = False
            return
        room = parent.scrollable_content_region.size
        self.display = room.width >= self.needed.width and room.height >= self.needed.height
