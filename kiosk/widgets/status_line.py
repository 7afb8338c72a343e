"""A line of feedback that changes its words without changing its height."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.content import Content
from textual.widgets import Static


class StatusLine(Static):
    """Feedback text ("Selected: IOP") as tall as the longest text it can show at this width.

    A Static that changes height needs a new layout of the screen, and Textual lays out again
    only on its next frame: the visitor would see the tap answered in two steps, 20-35 ms
    apart. Kept at one height, a new text is a repaint within the tap's own frame, and nothing
    below it jumps up and down as the text changes.
    """

    def __init__(self, text: str, possible_texts: Iterable[str], *, id: str) -> None:
        super().__init__(text, markup=False, id=id, classes="status")
        self.text = text
        #: Every text this line may show (only the longest wrapped one matters).
        self.possible_texts = (text, *possible_texts)

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        if width <= 0:
            return
        # Textual 8.2.8 types the rules as RulesMap, while its docstring and its own callers
        # pass a widget's styles: the same mapping of rules.
        lines = max(
            Content(text).get_height(self.styles, width)  # type: ignore[arg-type]
            for text in self.possible_texts
        )
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines

    def show(self, text: str) -> None:
        """Show ``text`` (one of the possible texts) without a new layout."""
        if text != self.text:
            self.text = text
            self.update(text, layout=False)
