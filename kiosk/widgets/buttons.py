"""The kiosk's button: big enough for a finger, and focus shown by shape as well as colour."""

from __future__ import annotations

from typing import ClassVar, Literal

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

    def _show_label(self) -> None:
        before, after = self.FOCUS_MARKERS
        if not self.has_focus:
            # Blanks as wide as the arrows: the button keeps its width when focus arrives,
            # so nothing on screen jumps and no label is cut.
            before, after = " " * len(before), " " * len(after)
        # Content(), not a str: a str label is parsed as markup, and staff text may hold "[".
        self.label = Content(f"{before}{self.plain_label}{after}")

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
        self.show(False)  # until the text is known to scroll

    @property
    def shown(self) -> bool:
        """Whether the button is on show (and can be used)."""
        return not self.disabled

    def show(self, shown: bool) -> None:
        """Show or hide the button, in the frame being drawn."""
        self.disabled = not shown
        self.styles.opacity = 1.0 if shown else 0.0
        self.set_label(self.arrow if shown else " ")
