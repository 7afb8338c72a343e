"""The kiosk's button: big enough for a finger, and focus shown by shape as well as colour."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Button

#: Drawn around the label of the focused button, so focus never relies on colour alone.
FOCUS_MARKERS = ("▶ ", " ◀")


class KioskButton(Button):
    """A :class:`~textual.widgets.Button` that marks focus with arrows around its label.

    The focus border comes from the stylesheet; the arrows are added here because CSS cannot
    add text. The label staff wrote is kept in :attr:`plain_label`.
    """

    #: Drawn around the label while the button has focus.
    FOCUS_MARKERS: tuple[str, str] = FOCUS_MARKERS
    #: What the audio guide calls it (a word of ``ui.yaml`` ``guide:``).
    GUIDE_KIND: ClassVar[Literal["button", "tab", "option"]] = "button"

    DEFAULT_CSS = """
    KioskButton {
        height: 3;
        min-width: 12;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        action: str | None = None,
        tight: bool = False,
        spoken_label: str = "",
    ) -> None:
        """``tight``: no blank column either side of the label, for buttons in narrow grid
        cells. (Set here because Textual 8.2.8's CSS parser refuses ``line-pad: 0``.)
        ``spoken_label``: what the audio guide says instead of the label, if set."""
        super().__init__(Content(label), id=id, classes=classes, disabled=disabled, action=action)
        self.plain_label = label
        self.spoken_label = spoken_label
        if tight:
            self.styles.line_pad = 0
        self._show_label()  # reserve the arrows' room from the start

    def set_label(self, label: str) -> None:
        """Change the label, keeping the focus markers if the button has focus."""
        self.plain_label = label
        self._show_label()
        width = self.styles.width
        if width is None or width.is_auto:
            # A new label may need a new width (Button's label does not ask for a layout).
            self.refresh(layout=True)

    def focus_markers(self) -> tuple[str, str]:
        """The markers drawn around the label while the button has focus: both arrows where
        the button has room for them, else one, else none (the focus border still shows it).

        A label wider than its button pushed the button's right edge one cell out, a stray
        block beside "Not sure" at 60 columns."""
        before, after = self.FOCUS_MARKERS
        # The label's room: inside the border, less the blank column Button keeps either side.
        room = max(0, self.content_region.width - 2 * self.styles.line_pad)
        lines = self.plain_label.split("\n")

        inside = self.content_region.width

        def line_fits(line: str) -> bool:
            # A line wider than the inside of the button is wrapped by Button, arrows and all;
            # only one that fits inside but not beside the blank columns overflowed.
            return cell_len(line) <= room or cell_len(line) > inside

        def fits(before: str, after: str) -> bool:
            # The first marker goes before the first line, the second after the last; the
            # lines between are the same with or without them.
            if len(lines) == 1:
                return line_fits(before + lines[0] + after)
            return line_fits(before + lines[0]) and line_fits(lines[-1] + after)

        if not room or fits(before, after):
            return before, after
        # One arrow before the words, with a space after it where there is room (in the
        # browser the arrow is wider than a cell and covered the first letter without one).
        for fewer in (("▶ ", ""), ("▶", "")):
            if fits(*fewer):
                return fewer
        return ("", "")

    def on_resize(self) -> None:
        """The room decides the markers: label the button again when they change (the cell's
        size does not depend on the label, so this costs no new layout)."""
        if self.focus_markers() != self._markers:
            self._show_label()

    #: The markers the label was last drawn with room for.
    _markers: tuple[str, str] = ("", "")

    def _show_label(self) -> None:
        before, after = self._markers = self.focus_markers()
        if not self.has_focus:
            # Blanks as wide as the arrows: the button keeps its width when focus arrives,
            # so nothing on screen jumps and no label is cut.
            before, after = " " * len(before), " " * len(after)
        # Content(), not a str: a str label is parsed as markup, and staff text may hold "[".
        label = Content(f"{before}{self.plain_label}{after}")
        if self.has_focus:
            # The words are underlined, not the button: `text-style: underline` in the
            # stylesheet underlined its blank rows too, stripes across a tall focused button
            # (seen on the lobby screen in Chromium and foot).
            label = label.stylize("underline", len(before), len(before) + len(self.plain_label))
        self.label = label

    def guide_label(self) -> str:
        """The label the audio guide says when the button has focus."""
        return self.spoken_label or self.plain_label

    def guide_state(self) -> str:
        """A state the audio guide says with the label (e.g. "selected"); none by default."""
        return ""

    def watch_has_focus(self, has_focus: bool) -> None:
        """Add or remove the arrows whenever focus arrives or leaves."""
        super().watch_has_focus(has_focus)
        self._show_label()


class SnugButton(KioskButton):
    """A button in a narrow grid cell (a Learn tab, an option to pick): focus is marked with
    one arrow before the label, followed by a space where the cell has room for it.

    In the browser kiosk the arrow is wider than its cell (Roboto Mono has no ▶; the glyph
    comes from another font) and covered the first letter of the label when no space
    followed it.
    """

    FOCUS_MARKERS = ("▶ ", "")

    def focus_markers(self) -> tuple[str, str]:
        room = self.content_region.width
        first_line = self.plain_label.split("\n", 1)[0]  # the arrow goes before it alone
        if not room or len(first_line) + 2 > room:
            return ("▶", "")  # no room for the space: the arrow alone, the words whole
        return self.FOCUS_MARKERS


class PageButton(KioskButton):
    """A big ▲ or ▼ beside long text; shown only while that text scrolls.

    Hidden by opacity and an empty label, not by ``visible``: a change of visibility needs a new
    layout, which Textual makes only on its next frame (20-35 ms later), while these are
    repainted in the frame being drawn, so the button is right in the same frame as the text it
    pages through. At opacity 0 the border and background take the colour behind them; the
    empty label leaves no arrow even where a terminal rounds colours. Disabled, the button can
    be neither tapped nor focused. It keeps its place while hidden, so nothing moves.
    """

    def __init__(self, arrow: str, *, id: str, action: str) -> None:
        super().__init__(arrow, id=id, action=action)
        self.arrow = arrow
        #: Whether the text scrolls at all (the button is on show), and whether it is at the
        #: end this button pages towards (the button is on show but does nothing).
        self.shown = True
        self.at_end = False
        self.show(False)  # until the text is known to scroll

    def show(self, shown: bool, at_end: bool = False) -> None:
        """Show or hide the button, in the frame being drawn. ``at_end``: shown, but the text
        is already at its top (for ▲) or foot (for ▼), so the button is drawn flat and
        outlined, not as a button (class ``-at-end``, kiosk.tcss), and cannot be pressed."""
        at_end = shown and at_end
        if (shown, at_end) == (self.shown, self.at_end):
            return
        self.shown, self.at_end = shown, at_end
        self.disabled = not shown or at_end
        self.set_class(at_end, "-at-end")
        self.styles.opacity = 1.0 if shown else 0.0
        self.set_label(self.arrow if shown else " ")
